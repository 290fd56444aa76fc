//! What the integration tests share: a database per test, a lokus server per test, an HTTP client.

pub mod cli;
pub mod db;
pub mod http;
pub mod workbook;

use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc;

use lokus::config::Settings;
use lokus::server;
use lokus::state::AppState;

pub use db::{Seed, TestDb};
pub use http::Client;

pub const DEMO_PASSWORD: &str = lokus::services::demo::PASSWORD;

/// A lokus server on its own port and its own database, stopped when the test ends.
pub struct TestApp {
    pub addr: SocketAddr,
    pub db: TestDb,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestApp {
    pub fn start(seed: Seed) -> TestApp {
        Self::start_on(TestDb::new(seed))
    }

    pub fn start_on(db: TestDb) -> TestApp {
        Self::start_with(db, |_| {})
    }

    /// A server whose settings the test adjusts first.
    pub fn start_with(db: TestDb, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = Settings {
            workers: Some(1),
            // the test client speaks plain http
            cookie_secure: false,
            ..Settings::default()
        };
        adjust(&mut settings);
        let pool = lokus::db::build_pool(&db.url, 3).expect("pool for the test database");
        Self::start_with_pool(db, pool, settings)
    }

    /// A server on a pool the test built (to watch how connections are used, say).
    pub fn start_with_pool(db: TestDb, pool: lokus::db::PgPool, settings: Settings) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let addr = listener.local_addr().expect("local address");
        let state = AppState::new(pool, settings);
        let (sender, receiver) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = server::run(listener, state).expect("start the server");
                sender
                    .send(server.handle())
                    .expect("hand over the server handle");
                let _ = server.await;
            });
        });
        let handle = receiver.recv().expect("server started");
        TestApp {
            addr,
            db,
            handle,
            thread: Some(thread),
        }
    }

    pub fn client(&self) -> Client {
        Client::new(self.addr)
    }

    /// A client already logged in as one of the demo accounts.
    pub fn login_as(&self, email: &str) -> Client {
        let mut client = self.client();
        let response = client.login(email, DEMO_PASSWORD);
        assert_eq!(
            response.status,
            303,
            "login as {email} failed: {}",
            response.text()
        );
        client
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        actix_web::rt::System::new().block_on(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
