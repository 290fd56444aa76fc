//! The activity log of the district, newest first, for admins and leadership: each entry as a
//! sentence (who, when, what, which record by its own code and name, what changed), with the stored
//! JSON one click away.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use serde_json::Value;

use crate::db::activity_log::{self, ActivityEntry};
use crate::db::users;
use crate::domain::Role;
use crate::domain::format::{ZonaWaktu, tanggal_waktu};
use crate::error::AppResult;
use crate::i18n::phrases::Messages;
use crate::state::AppState;
use crate::table::{Cell, Table};
use crate::web::extract::{CurrentUser, Lang};
use crate::web::page::{ListPage, ListQuery, PageCtx, list_response, render};

const SHOWN: i64 = 200;
/// Long change summaries are cut on the page; the JSON beside them and the download keep them whole.
const SUMMARY_CHARS: usize = 300;

/// One entry as the page shows it.
pub struct ActivityRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub record: String,
    /// The record's page, when it has one.
    pub link: Option<String>,
    pub changes: String,
    pub json: String,
}

#[derive(Template)]
#[template(path = "activity_log.html")]
struct ActivityLogPage {
    ctx: PageCtx,
    rows: Vec<ActivityRow>,
}

fn action_label(t: &Messages, action: &str) -> String {
    match action {
        "create" => t.activity_create,
        "update" => t.activity_update,
        "delete" => t.activity_delete,
        "import" => t.activity_import,
        "tag" => t.activity_tag,
        "login" => t.activity_login,
        "logout" => t.activity_logout,
        "reset" => t.activity_reset,
        "lock" => t.activity_lock,
        "unlock" => t.activity_unlock,
        other => other,
    }
    .to_owned()
}

fn entity_label(t: &Messages, entity: &str) -> String {
    match entity {
        "opd" => t.nav_opd,
        "user" => t.activity_user,
        "lokus_desa" => t.activity_lokus_desa,
        "tahun_anggaran" => t.activity_tahun,
        "intervensi" => t.intervensi,
        "sumber_dana" => t.sumber_dana,
        "sasaran" => t.sasaran,
        "wilayah" => t.nav_wilayah,
        "district" => t.home_district,
        "import_batch" => t.activity_import_batch,
        "budget_line" => t.activity_budget_line,
        "session" => t.activity_session,
        "password" => t.password,
        "realisasi" => t.activity_realisasi,
        "periode_kunci" => t.activity_periode_kunci,
        other => other,
    }
    .to_owned()
}

/// A field of the stored JSON by the name the pages give it.
fn key_label(t: &Messages, key: &str) -> String {
    match key {
        "kode" => t.kode,
        "nama" => t.nama,
        "singkatan" => t.singkatan,
        "aktif" => t.aktif,
        "jenis" => t.jenis,
        "sasaran" => t.sasaran,
        "indikator" => t.indikator,
        "target_nasional" => t.target_nasional,
        "terkunci" => t.terkunci,
        "prevalensi_baseline" => t.prevalensi_baseline,
        "sumber_baseline" => t.sumber_baseline,
        "prevalensi_target" => t.prevalensi_target,
        "email" => t.email,
        "role" => t.role,
        "opd_id" => t.nav_opd,
        "kode_induk" => t.activity_kode_induk,
        "tingkat" => t.tingkat,
        other => other,
    }
    .to_owned()
}

fn text_of(t: &Messages, value: &Value) -> String {
    match value {
        Value::Null => "-".to_owned(),
        Value::Bool(true) => t.yes.to_owned(),
        Value::Bool(false) => t.no.to_owned(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn field<'a>(entry: &'a ActivityEntry, key: &str) -> Option<&'a str> {
    entry
        .after
        .as_ref()
        .and_then(|after| after.get(key))
        .or_else(|| entry.before.as_ref().and_then(|before| before.get(key)))
        .and_then(Value::as_str)
}

/// "kode nama" of the record, from what was stored with the entry.
fn code_and_name(entry: &ActivityEntry) -> String {
    let parts: Vec<&str> = [field(entry, "kode"), field(entry, "nama")]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect();
    if parts.is_empty() {
        entry.entity_id.clone()
    } else {
        parts.join(" ")
    }
}

/// The record the entry is about, by its own code, name or number, and its page.
fn record(
    t: &Messages,
    entry: &ActivityEntry,
    users: &HashMap<String, String>,
) -> (String, Option<String>) {
    let label = entity_label(t, &entry.entity);
    let id = entry.entity_id.as_str();
    match entry.entity.as_str() {
        "opd" => (
            format!("{label} {}", code_and_name(entry)),
            Some(format!("/opd/{id}")),
        ),
        "intervensi" | "sumber_dana" | "sasaran" | "wilayah" | "district" => {
            (format!("{label} {}", code_and_name(entry)), None)
        }
        "user" => {
            let who = match (field(entry, "nama"), field(entry, "email")) {
                (Some(nama), Some(email)) if nama != email => format!("{nama} ({email})"),
                (_, Some(email)) => email.to_owned(),
                _ => id.to_owned(),
            };
            (format!("{label} {who}"), None)
        }
        "session" | "password" => {
            let who = users.get(id).cloned().unwrap_or_else(|| format!("#{id}"));
            (format!("{label} {who}"), None)
        }
        "tahun_anggaran" => (format!("{label} {id}"), Some(format!("/tahun/{id}"))),
        "realisasi" => (
            format!("{label} {id}"),
            Some(format!("/realisasi/baris/{id}")),
        ),
        "lokus_desa" => {
            // entity_id is "tahun/kode"; a creation stored the desa, a removal its code only
            let (tahun, kode) = id.split_once('/').unwrap_or(("", id));
            let nama = field(entry, "nama")
                .map(|nama| format!(" {nama}"))
                .unwrap_or_default();
            (
                format!("{label} {tahun}: {kode}{nama}"),
                (!tahun.is_empty()).then(|| format!("/tahun/{tahun}")),
            )
        }
        "import_batch" => {
            let file = field(entry, "file_name")
                .map(|name| format!(" {name}"))
                .unwrap_or_default();
            (format!("{label} #{id}{file}"), Some(format!("/impor/{id}")))
        }
        "budget_line" => {
            // the stored line ids; entries written before the fix hold a count as their id
            let ids: Vec<String> = entry
                .after
                .as_ref()
                .and_then(|after| after.get("lines"))
                .and_then(Value::as_array)
                .map(|lines| lines.iter().map(Value::to_string).collect())
                .unwrap_or_else(|| vec![id.to_owned()]);
            let shown = if ids.len() > 10 {
                format!("{} … ({})", ids[..10].join(", "), ids.len())
            } else {
                ids.join(", ")
            };
            (format!("{label} {shown}"), None)
        }
        _ => (format!("{label} {id}"), None),
    }
}

/// What changed, in words: the fields an update changed, what an import or a tag did.
/// A realisation change (months before → after) or a period lock (the months), in the reader's
/// month names and rupiah rather than the stored JSON's Indonesian keys.
fn realisation_changes(t: &Messages, entry: &ActivityEntry) -> Option<String> {
    let names: Vec<&str> = t.realisasi_months.split(',').collect();
    let month = |bulan: i64| {
        usize::try_from(bulan - 1)
            .ok()
            .and_then(|index| names.get(index).copied())
            .map_or_else(|| bulan.to_string(), str::to_owned)
    };
    let number = |value: &Value| -> Option<rust_decimal::Decimal> {
        match value {
            Value::String(text) => text.parse().ok(),
            Value::Number(number) => number.to_string().parse().ok(),
            _ => None,
        }
    };
    match entry.entity.as_str() {
        "realisasi" => {
            let before = entry.before.as_ref()?.get("bulan")?.as_object()?;
            let after = entry.after.as_ref()?.get("bulan")?.as_object()?;
            let figures = |value: Option<&Value>| match value.and_then(Value::as_object) {
                Some(figures) => {
                    let keuangan = figures
                        .get("keuangan")
                        .and_then(number)
                        .map(crate::domain::format::rupiah)
                        .unwrap_or_default();
                    match figures.get("fisik").and_then(number) {
                        Some(fisik) => format!("{keuangan} / {}", fisik.normalize()),
                        None => keuangan,
                    }
                }
                None => "-".to_owned(),
            };
            let mut months: Vec<i64> = after.keys().filter_map(|key| key.parse().ok()).collect();
            months.sort_unstable();
            Some(
                months
                    .into_iter()
                    .map(|bulan| {
                        let key = bulan.to_string();
                        format!(
                            "{}: {} → {}",
                            month(bulan),
                            figures(before.get(&key)),
                            figures(after.get(&key))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        }
        "periode_kunci" => {
            let after = entry.after.as_ref()?;
            let tahun = after.get("tahun")?.as_i64()?;
            let months: Vec<String> = after
                .get("bulan")?
                .as_array()?
                .iter()
                .filter_map(Value::as_i64)
                .map(month)
                .collect();
            Some(format!("{tahun}: {}", months.join(", ")))
        }
        _ => None,
    }
}

fn changes(t: &Messages, entry: &ActivityEntry) -> String {
    let after = entry.after.as_ref();
    if let Some(text) = realisation_changes(t, entry) {
        return text;
    }
    match (entry.action.as_str(), entry.before.as_ref(), after) {
        ("update", Some(Value::Object(before)), Some(Value::Object(after))) => {
            let mut changed: Vec<String> = after
                .iter()
                .filter(|(key, value)| before.get(*key) != Some(*value))
                .map(|(key, value)| {
                    let old = before
                        .get(key)
                        .map_or("-".to_owned(), |old| text_of(t, old));
                    format!("{}: {old} → {}", key_label(t, key), text_of(t, value))
                })
                .collect();
            changed.sort();
            changed.join("; ")
        }
        ("import", _, Some(after)) => {
            let get = |path: &[&str]| {
                path.iter()
                    .try_fold(after, |value, key| value.get(*key))
                    .map(|value| text_of(t, value))
                    .unwrap_or_default()
            };
            let total = get(&["total_pagu"])
                .parse()
                .map(crate::domain::format::rupiah)
                .unwrap_or_default();
            format!(
                "{} {} ({}), {} {}, {} {total}",
                t.tahun,
                get(&["tahun"]),
                t.tahapan_word(&get(&["tahapan"])),
                get(&["rows", "accepted"]),
                t.lines_word,
                t.impor_total.to_lowercase(),
            )
        }
        ("tag", _, Some(after)) => {
            let mut parts = Vec::new();
            for (key, label) in [("intervensi", t.intervensi), ("desa", t.desa)] {
                if let Some(value) = after.get(key).and_then(Value::as_str) {
                    parts.push(format!("{label} {value}"));
                }
            }
            if after.get("oleh").and_then(Value::as_str) == Some("saran") {
                parts.push(t.tag_saran.to_owned());
            }
            parts.join("; ")
        }
        ("create", _, Some(Value::Object(after))) => {
            // what a creation set beyond the record's name
            ["role", "jenis", "tingkat"]
                .iter()
                .filter_map(|key| {
                    after
                        .get(*key)
                        .map(|value| format!("{}: {}", key_label(t, key), text_of(t, value)))
                })
                .collect::<Vec<_>>()
                .join("; ")
        }
        _ => String::new(),
    }
}

fn json(entry: &ActivityEntry) -> String {
    let text = |value: &Option<Value>| {
        value
            .as_ref()
            .map(|value| serde_json::to_string_pretty(value).unwrap_or_default())
            .unwrap_or_else(|| "-".to_owned())
    };
    match (&entry.before, &entry.after) {
        (None, None) => String::new(),
        (None, Some(_)) => text(&entry.after),
        _ => format!("{}\n→\n{}", text(&entry.before), text(&entry.after)),
    }
}

fn cut(text: String) -> String {
    if text.chars().count() <= SUMMARY_CHARS {
        text
    } else {
        format!("{}…", text.chars().take(SUMMARY_CHARS).collect::<String>())
    }
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Pimpinan])?;
    let t = lang.0;
    let (kode_kabkota, scope) = (user.kode_kabkota.clone(), user.scope());
    let (entries, people) = state
        .db(move |conn| {
            let entries = activity_log::list_recent(conn, &kode_kabkota, SHOWN)?;
            let people = users::list_for_district(conn, &scope)?;
            Ok((entries, people))
        })
        .await?;
    let zone = ZonaWaktu::of_province(&user.kode_kabkota);
    let by_id: HashMap<String, String> = people
        .iter()
        .map(|person| (person.id.to_string(), person.email.clone()))
        .collect();
    let names: HashMap<&str, &str> = people
        .iter()
        .map(|person| (person.email.as_str(), person.nama.as_str()))
        .collect();
    let rows: Vec<ActivityRow> = entries
        .iter()
        .map(|entry| {
            let (record, link) = record(t, entry, &by_id);
            let actor = match names.get(entry.actor.as_str()) {
                Some(nama) => format!("{nama} ({})", entry.actor),
                None => entry.actor.clone(),
            };
            ActivityRow {
                at: tanggal_waktu(entry.at, zone),
                actor,
                action: action_label(t, &entry.action),
                record,
                link,
                changes: changes(t, entry),
                json: json(entry),
            }
        })
        .collect();
    if query.wants_xlsx() {
        let mut table = Table::new(&[t.waktu, t.pelaku, t.aksi, t.entitas, t.perubahan, "JSON"]);
        for row in rows {
            table.push(
                vec![
                    Cell::text(row.at),
                    Cell::text(row.actor),
                    Cell::text(row.action),
                    Cell::text(row.record),
                    Cell::text(row.changes),
                    Cell::text(row.json),
                ],
                None,
            );
        }
        let page = ListPage {
            ctx: PageCtx::new(&state, &user, t, "/aktivitas").await?,
            title: t.activity_title.to_owned(),
            intro: None,
            actions: vec![],
            table,
            download: None,
            form: None,
            errors: vec![],
        };
        return list_response(page, &query, "jejak-audit").await;
    }
    let rows = rows
        .into_iter()
        .map(|row| ActivityRow {
            changes: cut(row.changes),
            ..row
        })
        .collect();
    render(&ActivityLogPage {
        ctx: PageCtx::new(&state, &user, t, "/aktivitas").await?,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::phrases::{EN, ID};

    fn entry(
        action: &str,
        entity: &str,
        id: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> ActivityEntry {
        ActivityEntry {
            id: 1,
            kode_kabkota: Some("64.03".into()),
            user_id: Some(1),
            actor: "admin@berau.demo".into(),
            at: chrono::Utc::now(),
            action: action.into(),
            entity: entity.into(),
            entity_id: id.into(),
            before,
            after,
        }
    }

    #[test]
    fn a_record_is_named_by_its_own_code_and_name_not_its_row_id() {
        let created = entry(
            "create",
            "opd",
            "1",
            None,
            Some(
                serde_json::json!({"id": 1, "kode": "1.02.0.00.0.00.01.0000", "nama": "Dinas Kesehatan"}),
            ),
        );
        let (text, link) = record(&ID, &created, &HashMap::new());
        assert_eq!(text, "OPD 1.02.0.00.0.00.01.0000 Dinas Kesehatan");
        assert_eq!(link.as_deref(), Some("/opd/1"));
        // a tag written before the fix stored the count as its id; the lines are in the JSON
        let tagged = entry(
            "tag",
            "budget_line",
            "1",
            None,
            Some(
                serde_json::json!({"lines": [22], "intervensi": "SP3", "desa": null, "oleh": "saran"}),
            ),
        );
        assert_eq!(record(&ID, &tagged, &HashMap::new()).0, "baris anggaran 22");
        assert_eq!(
            changes(&ID, &tagged),
            "Intervensi SP3; petugas (saran lokus)"
        );
        assert_eq!(action_label(&EN, "tag"), "tagged");
    }

    #[test]
    fn an_update_lists_the_fields_it_changed_in_words() {
        let updated = entry(
            "update",
            "opd",
            "1",
            Some(
                serde_json::json!({"kode": "1.02.0.00.0.00.01.0000", "nama": "Dinkes", "aktif": true}),
            ),
            Some(
                serde_json::json!({"kode": "1.02.0.00.0.00.01.0000", "nama": "Dinas Kesehatan", "aktif": false}),
            ),
        );
        assert_eq!(
            changes(&ID, &updated),
            "Aktif: Ya → Tidak; Nama: Dinkes → Dinas Kesehatan"
        );
        assert_eq!(
            changes(&EN, &updated),
            "Active: Yes → No; Name: Dinkes → Dinas Kesehatan"
        );
    }
}
