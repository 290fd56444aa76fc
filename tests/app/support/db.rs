//! A private database for each test, cloned from a migrated template so that it takes a fraction
//! of a second. The server is `TEST_DATABASE_URL` when set (CI and the development machines),
//! else a private cluster under `target/` run by the same code as lokus's embedded default.

use std::fs::File;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::prelude::*;
use lokus::db::embedded::EmbeddedPostgres;
use lokus::db::{quote_identifier, with_database};
use sha2::{Digest, Sha256};

/// What a fresh test database holds besides the migrations and reference data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    /// Migrated, wilayah loaded, no district.
    Empty,
    /// As `Empty` plus the Berau demo district.
    Demo,
}

/// A database of the test's own, dropped (with any connection left) when the test ends.
pub struct TestDb {
    pub url: String,
    pub name: String,
    admin_url: String,
}

impl TestDb {
    pub fn new(seed: Seed) -> TestDb {
        let admin_url = server_url();
        let template = template_for(&admin_url, seed);
        Self::create(&admin_url, Some(&template))
    }

    /// A database with nothing in it, not even migrations.
    pub fn blank() -> TestDb {
        Self::create(&server_url(), None)
    }

    fn create(admin_url: &str, template: Option<&str>) -> TestDb {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "lokus_t_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut admin = PgConnection::establish(admin_url).expect("connect to the test server");
        diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_identifier(&name)
        ))
        .execute(&mut admin)
        .expect("drop a stale test database");
        let sql = match template {
            Some(template) => format!(
                "CREATE DATABASE {} TEMPLATE {}",
                quote_identifier(&name),
                quote_identifier(template)
            ),
            None => format!("CREATE DATABASE {}", quote_identifier(&name)),
        };
        diesel::sql_query(sql)
            .execute(&mut admin)
            .expect("create the test database");
        TestDb {
            url: with_database(admin_url, &name),
            name,
            admin_url: admin_url.to_owned(),
        }
    }

    /// Takes charge of a database something else created (so that it is dropped at the end).
    pub fn adopt(url: &str) -> TestDb {
        TestDb {
            url: url.to_owned(),
            name: lokus::db::database_name(url).expect("a database in the URL"),
            admin_url: server_url(),
        }
    }

    pub fn connect(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connect to the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_identifier(&self.name)
            ))
            .execute(&mut admin);
        }
    }
}

/// The maintenance-database URL of the server the tests use.
pub fn server_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => private_cluster_url(),
    })
    .clone()
}

/// Starts (once, shared by every test process) a private cluster under `target/`. A file lock keeps
/// two test processes from running `initdb` on the same folder at once.
fn private_cluster_url() -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("lokus-test-pg");
    std::fs::create_dir_all(&dir).expect("create target/lokus-test-pg");
    let lock = File::create(dir.with_extension("lock")).expect("create the cluster lock file");
    lock.lock().expect("lock the cluster lock file");
    let mut cluster =
        EmbeddedPostgres::start(&dir, "postgres").unwrap_or_else(|error| panic!("{error}"));
    // Left running for the next test process; `pg_ctl stop -D target/lokus-test-pg` stops it.
    cluster.keep_running();
    cluster.url("postgres")
}

/// Everything that changes what a template holds: migrations, reference data, set-up services, and
/// the database layer and domain types they write through.
pub fn fingerprint(seed: Seed) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in FINGERPRINTED {
        collect_files(&root.join(dir), &mut files);
    }
    files.sort();
    let mut hasher = Sha256::new();
    hasher.update(format!("{seed:?}"));
    for file in files {
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&file).expect("read a fingerprinted file"));
    }
    hasher
        .finalize()
        .iter()
        .take(6)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The folders whose files make up a template's fingerprint.
pub const FINGERPRINTED: [&str; 5] = [
    "migrations",
    "data/wilayah",
    "src/services",
    "src/db",
    "src/domain",
];

fn collect_files(dir: &std::path::Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("read a fingerprinted folder")
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, into);
        } else {
            into.push(path);
        }
    }
}

/// The template database for `seed`, built once per content fingerprint under an advisory lock
/// so that concurrent tests and processes build it once.
fn template_for(admin_url: &str, seed: Seed) -> String {
    let name = format!("lokus_tpl_{}", fingerprint(seed));
    let mut admin = PgConnection::establish(admin_url).expect("connect to the test server");
    diesel::sql_query("SELECT pg_advisory_lock(727001)")
        .execute(&mut admin)
        .expect("take the template lock");
    let ready: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "EXISTS (SELECT 1 FROM pg_database WHERE datname = '{name}' AND datistemplate)"
    )))
    .get_result(&mut admin)
    .expect("look for the template");
    if !ready {
        diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_identifier(&name)
        ))
        .execute(&mut admin)
        .expect("drop a half-built template");
        diesel::sql_query(format!("CREATE DATABASE {}", quote_identifier(&name)))
            .execute(&mut admin)
            .expect("create the template");
        {
            let mut conn = PgConnection::establish(&with_database(admin_url, &name))
                .expect("connect to the template");
            lokus::db::run_migrations(&mut conn).expect("migrate the template");
            lokus::services::reference_data::ensure_loaded(&mut conn).expect("load reference data");
            if seed == Seed::Demo {
                lokus::services::demo::load(&mut conn).expect("load the demo district");
            }
        }
        diesel::sql_query(format!(
            "ALTER DATABASE {} WITH IS_TEMPLATE true",
            quote_identifier(&name)
        ))
        .execute(&mut admin)
        .expect("mark the template");
    }
    diesel::sql_query("SELECT pg_advisory_unlock(727001)")
        .execute(&mut admin)
        .expect("release the template lock");
    name
}
