//! Connection by URL with auth: an ACL user (`redis://user:pass@host`)
//! whose permissions cover only its own jar's keys, which the hash tag
//! makes one pattern (`cookiejar:{NAME}:*`).

use super::server::RedisServer;
use super::{url, NOW};
use cookiejar::{FleetError, FleetJar};

const USER: &str = "crawler";
const PASS: &str = "crawler-pass-7f3a";

#[test]
fn an_acl_user_limited_to_its_jars_keys_can_use_that_jar_and_no_other() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let _: () = redis::cmd("ACL")
        .arg("SETUSER")
        .arg(USER)
        .arg("on")
        .arg(format!(">{PASS}"))
        .arg("~cookiejar:{acl-job}:*")
        .arg("+@all")
        .arg("-@admin")
        .query(&mut super::admin(&server))
        .unwrap();
    let as_user = format!("redis://{USER}:{PASS}@127.0.0.1:{}/0", server.port);
    let a = FleetJar::open(&as_user, "acl-job").unwrap();
    let b = FleetJar::open(&as_user, "acl-job").unwrap();
    let u = url("https://www.example.com/");
    a.set_cookie_at(&u, "sid=1", NOW).unwrap();
    b.sync().unwrap();
    assert_eq!(b.cookie_header_at(&u, NOW).as_deref(), Some("sid=1"));

    // Another jar's keys are not the user's.
    let err = FleetJar::open(&as_user, "other-job").unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, FleetError::Unavailable { .. }), "{text}");
    assert!(text.contains("no permissions"), "{text}");
    assert!(!text.contains(PASS), "the password is not shown: {text}");
    assert!(text.contains(USER), "the user is: {text}");

    // A wrong password for the user.
    let wrong = format!("redis://{USER}:nope@127.0.0.1:{}/0", server.port);
    let err = FleetJar::open(&wrong, "acl-job").unwrap_err();
    assert!(matches!(err, FleetError::Unavailable { .. }), "{err}");
    assert!(!err.to_string().contains("nope"), "{err}");
}
