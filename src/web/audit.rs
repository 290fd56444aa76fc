//! The audit trail of the district, newest first, for admins and leadership.

use actix_web::{HttpResponse, web};

use crate::db::audit;
use crate::domain::Role;
use crate::domain::format::{ZonaWaktu, tanggal_waktu};
use crate::error::AppResult;
use crate::state::AppState;
use crate::table::{Cell, Table};
use crate::web::extract::{CurrentUser, Lang};
use crate::web::page::{ListPage, ListQuery, PageCtx, list_response};

const SHOWN: i64 = 200;
/// Long before/after summaries are cut on the page; the download keeps them whole.
const SUMMARY_CHARS: usize = 300;

fn summary(
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    whole: bool,
) -> String {
    let text = match (before, after) {
        (Some(before), Some(after)) => format!("{before} → {after}"),
        (None, Some(after)) => after.to_string(),
        (Some(before), None) => format!("{before} → -"),
        (None, None) => String::new(),
    };
    if whole || text.chars().count() <= SUMMARY_CHARS {
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
    let kode_kabkota = user.kode_kabkota.clone();
    let rows = state
        .db(move |conn| Ok(audit::list_recent(conn, &kode_kabkota, SHOWN)?))
        .await?;
    let zone = ZonaWaktu::of_province(&user.kode_kabkota);
    let whole = query.wants_xlsx();
    let mut table = Table::new(&[t.waktu, t.pelaku, t.aksi, t.entitas, t.perubahan]);
    for row in rows {
        table.push(
            vec![
                Cell::text(tanggal_waktu(row.at, zone)),
                Cell::text(row.actor),
                Cell::text(row.action),
                Cell::text(format!("{} {}", row.entity, row.entity_id)),
                Cell::text(summary(row.before, row.after, whole)),
            ],
            None,
        );
    }
    let page = ListPage {
        ctx: PageCtx::new(&state, &user, t, "/audit").await?,
        title: t.audit_title.to_owned(),
        intro: None,
        actions: vec![],
        table,
        download: Some("/audit?format=xlsx".into()),
        form: None,
        errors: vec![],
    };
    list_response(page, &query, "jejak-audit").await
}
