//! A TCP proxy on loopback in front of the test's `redis-server`, that
//! can lose the reply to one `XADD`: the command reaches Redis (which
//! appends the entry), the connection is cut before the reply comes back,
//! and new connections are refused until the test lets them through. That
//! is the fault after which a writer cannot know whether its change is in
//! the log.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Default)]
struct Faults {
    /// Cut the connection that sends the next `XADD`, after sending it.
    cut_next_xadd: AtomicBool,
    /// Refuse new connections (accept and close them).
    refuse: AtomicBool,
    /// Whether a cut happened.
    cut: Mutex<bool>,
    cut_seen: Condvar,
}

pub(crate) struct Proxy {
    pub(crate) port: u16,
    faults: Arc<Faults>,
}

impl Proxy {
    /// A proxy to `127.0.0.1:upstream`.
    pub(crate) fn start(upstream: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let faults = Arc::new(Faults::default());
        let accept_faults = faults.clone();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                if accept_faults.refuse.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                relay(client, server, accept_faults.clone());
            }
        });
        Proxy { port, faults }
    }

    /// The URL of the proxied server, with the test server's password.
    pub(crate) fn url(&self) -> String {
        format!(
            "redis://:{}@127.0.0.1:{}/0",
            super::server::PASSWORD,
            self.port
        )
    }

    /// Loses the reply to the next `XADD`, then refuses connections.
    pub(crate) fn cut_next_xadd(&self) {
        self.faults.cut_next_xadd.store(true, Ordering::SeqCst);
    }

    /// Waits until the cut happened (ten seconds at most).
    pub(crate) fn wait_cut(&self) {
        let cut = self.faults.cut.lock().unwrap();
        let (cut, timeout) = self
            .faults
            .cut_seen
            .wait_timeout_while(cut, Duration::from_secs(10), |cut| !*cut)
            .unwrap();
        assert!(*cut && !timeout.timed_out(), "no XADD was cut");
    }

    /// Accepts connections again.
    pub(crate) fn heal(&self) {
        self.faults.refuse.store(false, Ordering::SeqCst);
    }
}

/// Copies bytes both ways, and applies the faults.
fn relay(client: TcpStream, server: TcpStream, faults: Arc<Faults>) {
    let cutting = Arc::new(AtomicBool::new(false));
    let (mut c_read, mut s_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let up_cutting = cutting.clone();
    let up_faults = faults.clone();
    std::thread::spawn(move || {
        let mut buf = vec![0; 64 * 1024];
        while let Ok(n @ 1..) = c_read.read(&mut buf) {
            let chunk = &buf[..n];
            // `XADD` as a RESP bulk string: the command itself, not a
            // script that calls it.
            let is_xadd = chunk.windows(10).any(|w| w == b"$4\r\nXADD\r\n");
            if is_xadd && up_faults.cut_next_xadd.swap(false, Ordering::SeqCst) {
                up_faults.refuse.store(true, Ordering::SeqCst);
                up_cutting.store(true, Ordering::SeqCst);
            }
            if s_write.write_all(chunk).is_err() {
                break;
            }
        }
        let _ = s_write.shutdown(Shutdown::Write);
    });
    let (mut s_read, mut c_write) = (server, client);
    std::thread::spawn(move || {
        let mut buf = vec![0; 64 * 1024];
        while let Ok(n @ 1..) = s_read.read(&mut buf) {
            if cutting.load(Ordering::SeqCst) {
                // Redis has answered: the client never hears it.
                let _ = c_write.shutdown(Shutdown::Both);
                let _ = s_read.shutdown(Shutdown::Both);
                *faults.cut.lock().unwrap() = true;
                faults.cut_seen.notify_all();
                return;
            }
            if c_write.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = c_write.shutdown(Shutdown::Write);
    });
}
