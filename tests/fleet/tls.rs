//! `rediss://` (feature `redis-tls`): a fleet jar over TLS to a real
//! `redis-server` with a throwaway CA and server certificate made by the
//! `openssl` command for this test, trusted through
//! `FleetJarBuilder::tls_root_certificates`; without that CA the
//! connection is refused with a clear error.

use super::server::RedisServer;
use super::{url, NOW};
use cookiejar::{FleetError, FleetJar};
use std::path::Path;
use std::process::Command;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, and a certificate for 127.0.0.1 and localhost that it signed;
/// `None` (with a note) without the `openssl` command, except under CI.
fn certificates(dir: &Path) -> Option<()> {
    if Command::new("openssl").arg("version").output().is_err() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true and the openssl command is missing (.ci/run installs it)"
        );
        eprintln!("note: skipping, the openssl command is not installed");
        return None;
    }
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec![
        "req",
        "-x509",
        "-days",
        "2",
        "-subj",
        "/CN=cookiejar test CA",
    ];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(dir, &ca);
    let mut csr = vec![
        "req",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ];
    csr.extend(ec);
    openssl(dir, &csr);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.crt",
        ],
    );
    Some(())
}

#[test]
fn a_fleet_jar_over_tls_with_a_private_ca() {
    let certs = tempfile::tempdir().unwrap();
    if certificates(certs.path()).is_none() {
        return;
    }
    let Some(server) = RedisServer::start_tls(
        &certs.path().join("server.crt"),
        &certs.path().join("server.key"),
    ) else {
        return;
    };
    let redis_url = server.url();
    assert!(redis_url.starts_with("rediss://"), "{redis_url}");
    let ca = std::fs::read(certs.path().join("ca.crt")).unwrap();
    let open = || {
        FleetJar::builder(&redis_url, "tls-job")
            .tls_root_certificates(ca.clone())
            .open()
            .unwrap()
    };
    let (a, b) = (open(), open());
    let u = url("https://www.example.com/");
    a.set_cookie_at(&u, "sid=1; Secure", NOW).unwrap();
    b.sync().unwrap();
    assert_eq!(b.cookie_header_at(&u, NOW).as_deref(), Some("sid=1"));

    // The system's roots do not know the test CA.
    let err = FleetJar::open(&redis_url, "tls-job").unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, FleetError::Unavailable { .. }), "{text}");
    assert!(text.to_lowercase().contains("certificate"), "{text}");
    assert!(!text.contains(super::server::PASSWORD), "{text}");
}
