//! Database access: the pool, embedded migrations, the private cluster, and one file of queries per
//! table family. Queries take `&mut PgConnection` so a service can run several in one transaction.

pub mod activity_log;
pub mod budget_line;
pub mod catalogue;
pub mod district;
pub mod embedded;
pub mod job;
pub mod opd;
pub mod realisasi;
pub mod schema;
pub mod sessions;
pub mod summary;
pub mod types;
pub mod users;
pub mod wilayah;
// baas
pub mod baas;
// baas desk: the desk's list queries (latest measurements, overdue, money per sponsor)
pub mod baas_desk;

use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::{Secret, Settings};
use embedded::{EmbeddedError, EmbeddedPostgres};

pub type PgPool = Pool<ConnectionManager<PgConnection>>;
pub type PooledConnection = diesel::r2d2::PooledConnection<ConnectionManager<PgConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// The database name lokus uses on its private cluster.
pub const EMBEDDED_DATABASE: &str = "lokus";

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(#[from] ConnectionError),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("migrations failed: {0}")]
    Migration(String),
    #[error("cannot build the connection pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("reference data: {0}")]
    ReferenceData(String),
}

/// An open, migrated database, and the private cluster behind it when there is one.
/// The cluster is stopped when this value is dropped (if this process started it).
pub struct Database {
    pub pool: PgPool,
    pub url: Secret,
    pub embedded: Option<EmbeddedPostgres>,
}

impl Database {
    /// Connects to `DATABASE_URL` (creating the database if needed) or starts the private cluster,
    /// then runs pending migrations. Loading the reference data is the caller's next start-up step
    /// (`services::startup`): the database layer knows no service.
    pub fn open(settings: &Settings) -> Result<Database, DbSetupError> {
        let (url, embedded) = Self::server(settings)?;
        create_database_if_missing(url.expose())?;
        let mut conn = PgConnection::establish(url.expose())?;
        let applied = run_migrations(&mut conn)?;
        if !applied.is_empty() {
            tracing::info!(migrations = ?applied, "applied migrations");
        }
        let pool = build_pool(url.expose(), 10)?;
        Ok(Database {
            pool,
            url,
            embedded,
        })
    }
}

impl Database {
    /// The URL of lokus's database (`DATABASE_URL`, or the private cluster, started if need be),
    /// without creating or migrating it: for tools that work in databases of their own on that server.
    pub fn server(settings: &Settings) -> Result<(Secret, Option<EmbeddedPostgres>), DbSetupError> {
        Ok(match &settings.database_url {
            Some(url) => (url.clone(), None),
            None => {
                let cluster = EmbeddedPostgres::start(
                    &settings.data_dir.join("postgres"),
                    &settings.embedded_pg_user,
                )?;
                (Secret::new(cluster.url(EMBEDDED_DATABASE)), Some(cluster))
            }
        })
    }
}

pub fn build_pool(url: &str, max_size: u32) -> Result<PgPool, DbSetupError> {
    let manager = ConnectionManager::<PgConnection>::new(url);
    Ok(Pool::builder()
        .max_size(max_size)
        .connection_timeout(std::time::Duration::from_secs(10))
        .build(manager)?)
}

/// Runs the pending migrations, one lokus process at a time (see `with_setup_lock`).
pub fn run_migrations(conn: &mut PgConnection) -> Result<Vec<String>, DbSetupError> {
    with_setup_lock(conn, |conn| {
        conn.run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|error| DbSetupError::Migration(error.to_string()))
    })
}

/// The advisory lock key of schema and reference-data set-up ("lokus" in ASCII, then "setup").
const SETUP_LOCK: i64 = 0x6c6f_6b75_7300_0001;

/// Runs `work` holding the database's set-up lock, so that two processes starting together do not
/// both create the migrations table, apply the same migration or load the same reference rows:
/// the second waits, then finds the work done. The lock is the session's, released even on error.
pub fn with_setup_lock<T, E>(
    conn: &mut PgConnection,
    work: impl FnOnce(&mut PgConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    diesel::sql_query("SELECT pg_advisory_lock($1)")
        .bind::<diesel::sql_types::BigInt, _>(SETUP_LOCK)
        .execute(conn)?;
    let outcome = work(conn);
    let unlocked = diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<diesel::sql_types::BigInt, _>(SETUP_LOCK)
        .execute(conn);
    let value = outcome?;
    unlocked?;
    Ok(value)
}

/// Creates the database named in `url` when the server does not have it yet.
pub fn create_database_if_missing(url: &str) -> Result<(), DbSetupError> {
    let Some(name) = database_name(url) else {
        return Ok(());
    };
    if PgConnection::establish(url).is_ok() {
        return Ok(());
    }
    let mut admin = PgConnection::establish(&with_database(url, "postgres"))?;
    let exists: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "EXISTS (SELECT 1 FROM pg_database WHERE datname = {})",
        quote_literal(&name)
    )))
    .get_result(&mut admin)?;
    if !exists {
        diesel::sql_query(format!("CREATE DATABASE {}", quote_identifier(&name)))
            .execute(&mut admin)?;
        tracing::info!(database = %name, "created database");
    }
    Ok(())
}

/// The database part of a `postgres://` URL, if it names one.
pub fn database_name(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let path = rest.split_once('/')?.1;
    let name = path.split('?').next().unwrap_or("");
    (!name.is_empty()).then(|| name.to_owned())
}

/// The same URL naming another database on the same server.
pub fn with_database(url: &str, database: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let query = path.split_once('?').map(|(_, query)| query);
    match query {
        Some(query) => format!("{scheme}://{authority}/{database}?{query}"),
        None => format!("{scheme}://{authority}/{database}"),
    }
}

pub fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_are_taken_apart_and_rebuilt() {
        let tcp = "postgres://postgres@127.0.0.1:5432/lokus";
        assert_eq!(database_name(tcp).as_deref(), Some("lokus"));
        assert_eq!(
            with_database(tcp, "postgres"),
            "postgres://postgres@127.0.0.1:5432/postgres"
        );
        let socket = "postgres://postgres@/lokus?host=/srv/lokus/var/postgres";
        assert_eq!(database_name(socket).as_deref(), Some("lokus"));
        assert_eq!(
            with_database(socket, "t1"),
            "postgres://postgres@/t1?host=/srv/lokus/var/postgres"
        );
        assert_eq!(database_name("postgres://localhost"), None);
    }

    #[test]
    fn identifiers_and_literals_are_quoted() {
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_literal("o'neil"), "'o''neil'");
    }
}
