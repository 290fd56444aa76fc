//! What every handler can reach (`AppState`): the pool and the settings. Both the server builder
//! and the web handlers depend on this module; it depends on neither.

use std::sync::{Arc, OnceLock};

use actix_web::web;
use diesel::PgConnection;

use crate::config::Settings;
use crate::db::PgPool;
use crate::error::AppResult;

/// Holds no state of its own beyond the pool (and a copy of a secret kept in the database): any
/// number of lokus processes can serve the same database.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    login_csrf_key: Arc<OnceLock<Vec<u8>>>,
}

impl AppState {
    pub fn new(pool: PgPool, settings: Settings) -> AppState {
        AppState {
            pool,
            settings: Arc::new(settings),
            login_csrf_key: Arc::default(),
        }
    }

    /// The key of the login form's CSRF token: the database's `login_csrf` secret (made by the
    /// first process that needs it), read once per process.
    pub async fn login_csrf_key(&self) -> AppResult<Vec<u8>> {
        if let Some(key) = self.login_csrf_key.get() {
            return Ok(key.clone());
        }
        let key = self
            .db(|conn| {
                let fresh = crate::services::auth::fresh_secret();
                Ok(crate::db::sessions::server_secret(
                    conn,
                    crate::services::auth::LOGIN_CSRF_SECRET,
                    &fresh,
                )?)
            })
            .await?;
        Ok(self.login_csrf_key.get_or_init(|| key).clone())
    }

    /// Runs blocking diesel work on actix's thread pool with a pooled connection.
    pub async fn db<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut PgConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await?
    }
}

/// Runs CPU-heavy work (writing a workbook, hashing a password) on actix's blocking pool, so the
/// async workers keep answering other requests meanwhile. Takes no connection.
pub async fn blocking<T, F>(work: F) -> AppResult<T>
where
    F: FnOnce() -> AppResult<T> + Send + 'static,
    T: Send + 'static,
{
    web::block(work).await?
}
