//! A real `redis-server` for the fleet tests: started on a free loopback
//! port in a temporary directory, with the append-only file fsynced on
//! every write (so that a kill and restart loses nothing it acknowledged),
//! and a password; killed when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(crate) const PASSWORD: &str = "fleet-test-secret";

pub(crate) struct RedisServer {
    child: Option<Child>,
    pub(crate) port: u16,
    dir: tempfile::TempDir,
    /// `--tls-port` and the certificate files, for a TLS-only server.
    tls: Vec<String>,
}

/// `redis-server`'s path, or `None` (with a note) to skip; under `CI=true`
/// a missing server fails the test (`.ci/run` installs it).
fn binary() -> Option<PathBuf> {
    for dir in std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/sbin")])
    {
        let candidate = dir.join("redis-server");
        if candidate.is_file() {
            return Some(candidate);
        }
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "CI=true and redis-server is not installed (.ci/run installs the redis-server package)"
        );
    }
    eprintln!("note: skipping, redis-server is not installed (CI installs it; see .ci/run)");
    None
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

impl RedisServer {
    /// A server on a free port, or `None` to skip.
    pub(crate) fn start() -> Option<RedisServer> {
        binary()?;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut server = RedisServer {
            child: None,
            port: free_port(),
            dir,
            tls: Vec::new(),
        };
        server.spawn();
        Some(server)
    }

    /// A server that speaks only TLS (`rediss://`), with the certificate
    /// and key files `cert` and `key`; `None` to skip.
    #[allow(dead_code)]
    pub(crate) fn start_tls(cert: &std::path::Path, key: &std::path::Path) -> Option<RedisServer> {
        binary()?;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = free_port();
        let mut server = RedisServer {
            child: None,
            port,
            dir,
            tls: vec![
                "--port".into(),
                "0".into(),
                "--tls-port".into(),
                port.to_string(),
                "--tls-cert-file".into(),
                cert.display().to_string(),
                "--tls-key-file".into(),
                key.display().to_string(),
                "--tls-auth-clients".into(),
                "no".into(),
            ],
        };
        server.spawn();
        Some(server)
    }

    pub(crate) fn url(&self) -> String {
        let scheme = match self.tls.is_empty() {
            true => "redis",
            false => "rediss",
        };
        format!("{scheme}://:{PASSWORD}@127.0.0.1:{}/0", self.port)
    }

    fn spawn(&mut self) {
        let binary = binary().expect("redis-server");
        let child = Command::new(binary)
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--requirepass", PASSWORD])
            .arg("--dir")
            .arg(self.dir.path())
            .args(["--appendonly", "yes", "--appendfsync", "always"])
            .args(["--save", ""])
            .args(["--daemonize", "no", "--loglevel", "warning"])
            // Later options win: a TLS server's `--port 0`.
            .args(&self.tls)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server did not listen on port {}", self.port);
    }

    /// Kills the server at once (SIGKILL: no shutdown save).
    pub(crate) fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops the server's process (SIGSTOP): connections stay open and
    /// nothing is answered until [`RedisServer::thaw`].
    #[allow(dead_code)] // used by the reqwest test only
    pub(crate) fn freeze(&self) {
        self.signal("-STOP");
    }

    /// Lets a frozen server run again (SIGCONT).
    #[allow(dead_code)]
    pub(crate) fn thaw(&self) {
        self.signal("-CONT");
    }

    #[allow(dead_code)]
    fn signal(&self, signal: &str) {
        let pid = self.child.as_ref().expect("a running server").id();
        let status = Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} {pid}");
    }

    /// Starts it again on the same port and directory.
    pub(crate) fn restart(&mut self) {
        self.kill();
        self.spawn();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}
