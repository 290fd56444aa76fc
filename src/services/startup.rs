//! Start-up steps, in order, before lokus serves or runs a command: open the database (connected and
//! migrated by `db`), then load the reference data the services need. The arrows point one way:
//! services call the database layer, never the reverse.

use crate::config::Settings;
use crate::db::{self, Database, DbSetupError};
use crate::services::reference_data;

/// Opens and migrates the database, then loads missing reference data under the set-up lock, so two
/// processes starting together load it once.
pub fn open_database(settings: &Settings) -> Result<Database, DbSetupError> {
    let database = Database::open(settings)?;
    let mut conn = database.pool.get()?;
    db::with_setup_lock(&mut conn, |conn| {
        reference_data::ensure_loaded(conn)
            .map_err(|error| DbSetupError::ReferenceData(error.to_string()))
    })?;
    drop(conn);
    Ok(database)
}
