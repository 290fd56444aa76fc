//! The home page (what each role sees first), the health check, the stylesheet, the tab icon and
//! the language switch.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use crate::db::budget_line::{self, LineFilter};
use crate::db::{catalogue, district, opd};
use crate::domain::{Role, format};
use crate::error::AppResult;
use crate::i18n::phrases::Messages;
use crate::state::AppState;
use crate::web::extract::{CurrentUser, LANG_COOKIE, Lang, cookie, referring_path};
use crate::web::page::{PageCtx, render, see_other};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageCtx,
    facts: Vec<(String, String)>,
    /// What an importer should do next: (sentence, link).
    next_steps: Vec<(String, String)>,
    show_baas_note: bool,
}

/// Untagged lines counted up to this many; beyond it the page says "more than".
const UNTAGGED_COUNTED: i64 = 1_000;

/// What the workplan of the latest year still needs from an importer (an `opd` officer: their OPD).
struct Workload {
    tahun: i16,
    lines: i64,
    untagged: i64,
    /// Previews not yet committed, newest first.
    previews: Vec<i64>,
}

fn next_steps(t: &Messages, work: &Workload) -> Vec<(String, String)> {
    let tahun = work.tahun.to_string();
    let mut steps = Vec::new();
    for id in &work.previews {
        steps.push((
            t.home_next_preview.replace("{id}", &id.to_string()),
            format!("/impor/{id}"),
        ));
    }
    if work.lines == 0 {
        steps.push((
            t.home_next_upload.replace("{tahun}", &tahun),
            "/impor".to_owned(),
        ));
    } else if work.untagged > 0 {
        let count = if work.untagged > UNTAGGED_COUNTED {
            t.home_more_than
                .replace("{n}", &format::angka(UNTAGGED_COUNTED.into(), 0))
        } else {
            format::angka(work.untagged.into(), 0)
        };
        steps.push((
            t.home_next_tag
                .replace("{n}", &count)
                .replace("{tahun}", &tahun),
            format!("/anggaran?tahun={tahun}&tampil=belum"),
        ));
    } else {
        steps.push((
            t.home_next_done.replace("{tahun}", &tahun),
            "/impor".to_owned(),
        ));
    }
    steps
}

pub async fn dashboard(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
) -> AppResult<HttpResponse> {
    let t = lang.0;
    let ctx = PageCtx::new(&state, &user, t, "/").await?;
    let mut facts = Vec::new();
    let mut steps = Vec::new();
    let importer = matches!(user.role, Role::Admin | Role::Opd);
    if user.role.sees_budget_data() {
        let scope = user.scope();
        let (years, opds, interventions) = state
            .db(move |conn| {
                let years = district::list_tahun(conn, &scope.kode_kabkota)?;
                let latest = years.into_iter().next();
                let lokus = match &latest {
                    Some(year) => {
                        district::list_lokus(conn, &scope.kode_kabkota, year.tahun)?.len()
                    }
                    None => 0,
                };
                let opds = opd::list_for_scope(conn, &scope)?.len();
                let interventions = catalogue::list_intervensi(conn, &scope.kode_kabkota)?.len();
                let pagu = match &latest {
                    Some(year) => crate::db::budget_line::pagu_by_jenis(conn, &scope, year.tahun)?,
                    None => Vec::new(),
                };
                let workload = match &latest {
                    Some(year) if importer => {
                        let filter = LineFilter {
                            tahun: Some(year.tahun),
                            untagged: true,
                            ..LineFilter::default()
                        };
                        let untagged =
                            budget_line::list_lines(conn, &scope, &filter, UNTAGGED_COUNTED + 1)?
                                .len();
                        let previews = budget_line::list_batches_for_scope(conn, &scope, 20)?
                            .into_iter()
                            .filter(|batch| {
                                batch.status == crate::domain::BatchStatus::Preview
                                    && batch.tahun == year.tahun
                            })
                            .map(|batch| batch.id)
                            .take(3)
                            .collect();
                        Some(Workload {
                            tahun: year.tahun,
                            lines: pagu.iter().map(|share| share.lines).sum(),
                            untagged: untagged as i64,
                            previews,
                        })
                    }
                    _ => None,
                };
                Ok(((latest, lokus, pagu, workload), opds, interventions))
            })
            .await?;
        let (latest, lokus, pagu, workload) = years;
        if let Some(work) = &workload {
            steps = next_steps(t, work);
        }
        if let Some(year) = latest {
            facts.push((t.home_year.to_owned(), year.tahun.to_string()));
            if let Some(baseline) = year.prevalensi_baseline {
                // the source often carries its own brackets ("SSGI 2022 (angka contoh)")
                let source = year
                    .sumber_baseline
                    .map(|s| format!(", {} {s}", t.home_source))
                    .unwrap_or_default();
                facts.push((
                    t.home_prevalence.to_owned(),
                    format!("{}{source}", format::persen(baseline, 2)),
                ));
            }
            if let Some(target) = year.prevalensi_target {
                facts.push((t.home_target.to_owned(), format::persen(target, 2)));
            }
            facts.push((t.home_lokus_count.to_owned(), lokus.to_string()));
            if !pagu.is_empty() {
                let total: rust_decimal::Decimal = pagu.iter().map(|share| share.pagu).sum();
                facts.push((
                    format!("{} {}", t.home_pagu, year.tahun),
                    format::rupiah(total),
                ));
                for crate::db::budget_line::JenisShare {
                    jenis,
                    pagu: share,
                    lines,
                } in &pagu
                {
                    let label = jenis.map_or_else(|| t.belum_ditandai.to_owned(), String::from);
                    let percent = if total.is_zero() {
                        rust_decimal::Decimal::ZERO
                    } else {
                        share * rust_decimal::Decimal::ONE_HUNDRED / total
                    };
                    facts.push((
                        format!("· {label}"),
                        format!(
                            "{} ({}, {lines} {})",
                            format::rupiah(*share),
                            format::persen(percent, 1),
                            t.baris.to_lowercase()
                        ),
                    ));
                }
            }
        }
        facts.push((t.home_opd_count.to_owned(), opds.to_string()));
        facts.push((
            t.home_intervensi_count.to_owned(),
            interventions.to_string(),
        ));
    }
    let show_baas_note = matches!(user.role, Role::Baas | Role::Sponsor);
    render(&HomePage {
        ctx,
        facts,
        next_steps: steps,
        show_baas_note,
    })
}

/// 200 when the database answers a query, 503 otherwise; no login needed (for load balancers).
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let answer = state
        .db(|conn| Ok(diesel::sql_query("SELECT 1").execute(conn)?))
        .await;
    match answer {
        Ok(_) => HttpResponse::Ok().content_type("text/plain").body("ok"),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable")
        }
    }
}

pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/lokus.css"))
}

/// The browser's tab icon, compiled in like the stylesheet.
pub async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/x-icon")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(&include_bytes!("../../static/favicon.ico")[..])
}

/// The vendored chart library (static/vendor/chartjs, Chart.js 4.6.1), compiled in like the
/// stylesheet: the summary's charts and any later page draw with it from their own static script.
pub async fn chart_library() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(include_str!("../../static/vendor/chartjs/chart.umd.min.js"))
}

/// Sets the language cookie and goes back to the page the link was on (same site only).
pub async fn switch_language(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> HttpResponse {
    let code = if code.as_str() == "en" { "en" } else { "id" };
    let back = referring_path(&req).unwrap_or_else(|| "/".to_owned());
    let mut response = see_other(&back);
    let _ = response.add_cookie(&cookie(
        LANG_COOKIE,
        code.to_owned(),
        state.settings.cookie_secure,
    ));
    response
}
