//! Queries on `activity_log`. Rows are written only through `services::activity_log`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::activity_log;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = activity_log)]
pub struct NewAuditEntry {
    pub kode_kabkota: Option<String>,
    pub user_id: Option<i32>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = activity_log)]
pub struct ActivityEntry {
    pub id: i64,
    pub kode_kabkota: Option<String>,
    pub user_id: Option<i32>,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub fn insert(conn: &mut PgConnection, entry: &NewAuditEntry) -> QueryResult<()> {
    diesel::insert_into(activity_log::table)
        .values(entry)
        .execute(conn)
        .map(drop)
}

/// Many entries in a few statements (an import's realisation writes one per line).
pub fn insert_many(conn: &mut PgConnection, entries: &[NewAuditEntry]) -> QueryResult<()> {
    // 8 parameters a row; PostgreSQL takes at most 65,535 per statement
    for chunk in entries.chunks(8_000) {
        diesel::insert_into(activity_log::table)
            .values(chunk)
            .execute(conn)?;
    }
    Ok(())
}

pub fn list_recent(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    limit: i64,
) -> QueryResult<Vec<ActivityEntry>> {
    activity_log::table
        .filter(activity_log::kode_kabkota.eq(kode_kabkota))
        .order(activity_log::id.desc())
        .limit(limit)
        .load(conn)
}
