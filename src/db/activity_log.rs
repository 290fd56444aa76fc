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

/// A JSON document already serialised (by serde, without building a `serde_json::Value` tree
/// first), written to a `json` column as it is.
#[derive(Debug, Clone, diesel::expression::AsExpression)]
#[diesel(sql_type = diesel::sql_types::Json)]
pub struct JsonText(pub String);

impl diesel::serialize::ToSql<diesel::sql_types::Json, diesel::pg::Pg> for JsonText {
    fn to_sql<'b>(
        &'b self,
        out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
    ) -> diesel::serialize::Result {
        use std::io::Write;
        // json's binary form is its text
        out.write_all(self.0.as_bytes())?;
        Ok(diesel::serialize::IsNull::No)
    }
}

/// An entry of a change to thousands of records at once, borrowing what its entries share.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = activity_log, treat_none_as_default_value = false)]
pub struct NewAuditRow<'a> {
    pub kode_kabkota: Option<&'a str>,
    pub user_id: Option<i32>,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<&'a JsonText>,
    pub after: Option<&'a JsonText>,
}

/// Many entries in one `COPY` (an import's realisation writes one per line, 20,000 of them).
pub fn copy_many(conn: &mut PgConnection, rows: &[NewAuditRow<'_>]) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    diesel::copy_from(activity_log::table)
        .from_insertable(rows)
        .execute(conn)
        .map(drop)
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
