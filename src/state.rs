//! What every handler can reach (`AppState`): the pool and the settings. Both the server builder
//! and the web handlers depend on this module; it depends on neither.

use std::sync::Arc;

use actix_web::web;
use diesel::PgConnection;

use crate::config::Settings;
use crate::db::PgPool;
use crate::error::AppResult;

/// Holds no state of its own beyond the pool: any number of lokus processes can serve the same
/// database.
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
}

impl AppState {
    pub fn new(pool: PgPool, settings: Settings) -> AppState {
        AppState {
            pool,
            settings: Arc::new(settings),
        }
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
