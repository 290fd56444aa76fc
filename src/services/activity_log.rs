//! The activity log: one call records who changed what, with a before/after summary, inside the
//! caller's transaction so that a change and its record land together or not at all. ("Audit" is
//! kept for the audit kasus stunting, AKS, so the word never means two things.)

use diesel::PgConnection;
use serde::Serialize;

use crate::db::activity_log::{JsonText, NewAuditEntry, NewAuditRow, insert};

/// Who is acting: a logged-in user, or the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub label: String,
    pub kode_kabkota: Option<String>,
}

impl Actor {
    pub fn cli() -> Actor {
        let who = std::env::var("USER").unwrap_or_else(|_| "unknown".to_owned());
        Actor {
            user_id: None,
            label: format!("cli:{who}"),
            kode_kabkota: None,
        }
    }

    pub fn in_district(mut self, kode_kabkota: &str) -> Actor {
        self.kode_kabkota = Some(kode_kabkota.to_owned());
        self
    }
}

pub fn record<B: Serialize, A: Serialize>(
    conn: &mut PgConnection,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    before: Option<&B>,
    after: Option<&A>,
) -> diesel::QueryResult<()> {
    let entry = NewAuditEntry {
        kode_kabkota: actor.kode_kabkota.clone(),
        user_id: actor.user_id,
        actor: actor.label.clone(),
        action: action.to_owned(),
        entity: entity.to_owned(),
        entity_id: entity_id.to_string(),
        before: before.map(to_json),
        after: after.map(to_json),
    };
    insert(conn, &entry)
}

/// One entry per record, all with the same action and entity, written in one statement: for a
/// change that touches thousands of records at once. Each item is (entity id, before, after).
pub fn record_all<B: Serialize, A: Serialize>(
    conn: &mut PgConnection,
    actor: &Actor,
    action: &str,
    entity: &str,
    items: &[(String, Option<B>, Option<A>)],
) -> diesel::QueryResult<()> {
    record_serialised(conn, actor, action, entity, &serialise_all(items))
}

/// Entries of [`record_all`] serialised, not yet written: a caller may serialise them on another
/// thread while its connection does other work, then write them with [`record_serialised`].
pub struct SerialisedEntries(Vec<(String, Option<JsonText>, Option<JsonText>)>);

pub fn serialise_all<B: Serialize, A: Serialize>(
    items: &[(String, Option<B>, Option<A>)],
) -> SerialisedEntries {
    SerialisedEntries(
        items
            .iter()
            .map(|(entity_id, before, after)| {
                (
                    entity_id.clone(),
                    before.as_ref().map(to_json_text),
                    after.as_ref().map(to_json_text),
                )
            })
            .collect(),
    )
}

pub fn record_serialised(
    conn: &mut PgConnection,
    actor: &Actor,
    action: &str,
    entity: &str,
    entries: &SerialisedEntries,
) -> diesel::QueryResult<()> {
    let rows: Vec<NewAuditRow<'_>> = entries
        .0
        .iter()
        .map(|(entity_id, before, after)| NewAuditRow {
            kode_kabkota: actor.kode_kabkota.as_deref(),
            user_id: actor.user_id,
            actor: &actor.label,
            action,
            entity,
            entity_id,
            before: before.as_ref(),
            after: after.as_ref(),
        })
        .collect();
    crate::db::activity_log::copy_many(conn, &rows)
}

fn to_json_text<T: Serialize>(value: &T) -> JsonText {
    JsonText(serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()))
}

fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// A `None` for `record` when there is nothing before (a creation) or after (a deletion).
pub const NOTHING: Option<&()> = None;
