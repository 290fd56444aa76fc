//! Several lokus processes on one database behave as one: a login made on one server is honoured
//! by another, and a logout on either ends it everywhere.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use crate::support::{Client, DEMO_PASSWORD, Seed, TestDb};

/// A `lokus serve` process, killed when the test ends.
struct Served {
    child: Child,
    addr: SocketAddr,
}

impl Served {
    fn start(db: &TestDb) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lokus"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("DATABASE_URL", &db.url)
            .env("LOKUS_COOKIE_SECURE", "false")
            .env("LOKUS_WORKERS", "1")
            .env("LOKUS_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start lokus serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("lokus exited before it was ready")
                .expect("read stdout");
            if let Some(rest) = line.strip_prefix("lokus is ready: log in at http://") {
                break rest
                    .trim_end_matches("/masuk")
                    .parse()
                    .expect("address in the ready line");
            }
        };
        // keep draining stdout so the server never blocks on a full pipe
        std::thread::spawn(move || for _ in lines {});
        Served { child, addr }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn two_servers_on_one_database_share_a_login_session() {
    let db = TestDb::new(Seed::Demo);
    let first = Served::start(&db);
    let second = Served::start(&db);
    assert_ne!(first.addr, second.addr);

    let mut on_first = Client::new(first.addr);
    assert_eq!(on_first.get("/healthz").status, 200);
    assert_eq!(
        on_first.login("bupati@berau.demo", DEMO_PASSWORD).status,
        303
    );

    // the same browser, routed by the balancer to the other server
    let mut on_second = on_first.with_addr(second.addr);
    let home = on_second.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Kantor Bupati Berau"));

    // a form served by one server is accepted by the other (the CSRF token lives in the database)
    let token = on_first.get("/").csrf_token();
    assert_eq!(
        on_second
            .post_form("/keluar", &[("csrf_token", &token)])
            .status,
        303
    );
    assert_eq!(
        on_first.get("/").location(),
        Some("/masuk"),
        "logged out everywhere"
    );
}
