//! The page of one background job (`/tugas/{id}`): its status and a progress bar that survives a
//! reload and updates itself (`static/tugas.js` polls `/tugas/{id}/status`; without script the page
//! has a plain Refresh link), the link to its result or its file, and "start again" for a failed
//! job. A reader sees the district's jobs (admin, pimpinan) or only their own (everyone else); a
//! job outside that is the same 404 as a missing one.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use crate::db::job::{self as db_job, Job, JobScope};
use crate::domain::format::{ZonaWaktu, tanggal_waktu};
use crate::domain::{JobStatus, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::phrases::Messages;
use crate::i18n::{Language, Message, MessageKey};
use crate::services::jobs;
use crate::state::AppState;
use crate::table::{Cell, Table};
use crate::web::extract::{CsrfForm, CurrentUser, Lang, NoFields};
use crate::web::page::{ListPage, ListQuery, PageCtx, list_response, render, see_other};

/// Whose jobs a reader sees: the whole district's for admin and leadership, else their own.
pub fn scope_of(user: &CurrentUser) -> JobScope {
    JobScope {
        kode_kabkota: user.kode_kabkota.clone(),
        user_id: match user.role {
            Role::Admin | Role::Pimpinan => None,
            _ => Some(user.id),
        },
    }
}

/// Its owner or an admin may start a failed job again.
fn may_restart(user: &CurrentUser, job: &Job) -> bool {
    user.role == Role::Admin || job.user_id == Some(user.id)
}

fn language(t: &Messages) -> Language {
    Language::from_code(t.lang_code)
}

/// The job in the reader's scope, after failing the jobs whose worker died (so a dead job never
/// reads as running).
async fn load(state: &AppState, user: &CurrentUser, id: i64) -> AppResult<Job> {
    let scope = scope_of(user);
    let stale = f64::from(state.settings.job_stale_seconds);
    state
        .db(move |conn| {
            jobs::sweep_interrupted(conn, stale)?;
            db_job::find_for_scope(conn, id, &scope)?.ok_or(AppError::NotFound)
        })
        .await
}

#[derive(askama::Template)]
#[template(path = "tugas.html")]
struct JobPage {
    ctx: PageCtx,
    title: String,
    id: i64,
    /// `queued`/`running` while the script should keep polling
    active: bool,
    status: String,
    error: Option<String>,
    done: i64,
    /// the bar's maximum; 0 while the total is unknown (the bar is then indeterminate)
    total: i64,
    percent: u64,
    facts: Vec<(String, String)>,
    result_link: Option<String>,
    download: bool,
    /// The result file was dropped `job_file_ttl_days` after the job ended: said, not offered.
    expired: Option<String>,
    restart: bool,
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let t = lang.0;
    let job = load(&state, &user, id.into_inner()).await?;
    let zone = ZonaWaktu::of_province(&user.kode_kabkota);
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| {
        at.map(|at| tanggal_waktu(at, zone))
            .unwrap_or_else(|| "-".to_owned())
    };
    let facts = vec![
        (
            t.tugas_kind.to_owned(),
            jobs::kind_message(&job.kind).render(language(t)),
        ),
        (t.pelaku.to_owned(), job.actor.clone()),
        (t.tugas_created.to_owned(), when(Some(job.created_at))),
        (t.tugas_started.to_owned(), when(job.started_at)),
        (t.tugas_finished.to_owned(), when(job.finished_at)),
        (t.tugas_attempts.to_owned(), job.attempts.to_string()),
    ];
    let total = job.progress_total.unwrap_or(0);
    let page = JobPage {
        ctx: PageCtx::new(&state, &user, t, "").await?,
        title: format!("{} #{}", t.tugas_title, job.id),
        id: job.id,
        active: matches!(job.status, JobStatus::Queued | JobStatus::Running),
        status: jobs::status_message(job.status).render(language(t)),
        error: jobs::error_message(&job).map(|message| message.render(language(t))),
        done: job.progress_done,
        total,
        percent: percent_of(&job),
        facts,
        result_link: (job.status == JobStatus::Done)
            .then(|| job.result_link.clone())
            .flatten(),
        download: job.status == JobStatus::Done && job.result_file_name.is_some(),
        expired: file_expired(&state, &user, &job).map(|message| message.render(language(t))),
        restart: job.status == JobStatus::Failed && may_restart(&user, &job),
    };
    render(&page)
}

/// What a job whose result file expired says instead of offering it.
fn file_expired(state: &AppState, user: &CurrentUser, job: &Job) -> Option<Message> {
    let zone = ZonaWaktu::of_province(&user.kode_kabkota);
    job.result_file_expired_at.map(|at| {
        Message::new(MessageKey::JobFileExpired)
            .arg(job.id)
            .arg(tanggal_waktu(at, zone))
            .arg(state.settings.job_file_ttl_days)
    })
}

fn percent_of(job: &Job) -> u64 {
    let total = job
        .progress_total
        .and_then(|total| u64::try_from(total).ok());
    let done = u64::try_from(job.progress_done).unwrap_or(0);
    if job.status == JobStatus::Done {
        100
    } else {
        jobs::percent(done, total)
    }
}

/// The reader's newest jobs (`/tugas`), each linked to its page; downloads as xlsx like every list.
pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let t = lang.0;
    let scope = scope_of(&user);
    let stale = f64::from(state.settings.job_stale_seconds);
    let rows = state
        .db(move |conn| {
            jobs::sweep_interrupted(conn, stale)?;
            Ok(db_job::list_for_scope(conn, &scope, 200)?)
        })
        .await?;
    let zone = ZonaWaktu::of_province(&user.kode_kabkota);
    let mut table = Table::new(&[
        "#",
        t.tugas_created,
        t.pelaku,
        t.tugas_kind,
        t.tugas_status,
        t.tugas_progress,
    ]);
    for job in rows {
        table.push(
            vec![
                Cell::text(job.id.to_string()),
                Cell::text(tanggal_waktu(job.created_at, zone)),
                Cell::text(job.actor.clone()),
                Cell::text(jobs::kind_message(&job.kind).render(language(t))),
                Cell::text(jobs::status_message(job.status).render(language(t))),
                Cell::text(format!("{}%", percent_of(&job))),
            ],
            Some(format!("/tugas/{}", job.id)),
        );
    }
    let page = ListPage {
        ctx: PageCtx::new(&state, &user, t, "").await?,
        title: t.tugas_list.to_owned(),
        intro: None,
        actions: vec![],
        table,
        download: Some("/tugas?format=xlsx".into()),
        form: None,
        errors: vec![],
    };
    list_response(page, &query, "tugas").await
}

/// What the page's script polls: small, never cached.
#[derive(serde::Serialize)]
struct StatusJson {
    status: JobStatus,
    label: String,
    done: i64,
    total: Option<i64>,
    percent: u64,
    /// where a done job's result is: the script goes there
    link: Option<String>,
}

pub async fn status(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let job = load(&state, &user, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(StatusJson {
        status: job.status,
        label: jobs::status_message(job.status).render(language(lang.0)),
        done: job.progress_done,
        total: job.progress_total,
        percent: percent_of(&job),
        link: (job.status == JobStatus::Done)
            .then(|| job.result_link.clone())
            .flatten(),
    }))
}

pub async fn download(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let job = load(&state, &user, id.into_inner()).await?;
    if job.status != JobStatus::Done {
        return Err(AppError::NotFound);
    }
    if let Some(message) = file_expired(&state, &user, &job) {
        return Err(AppError::Service(StatusCode::GONE, message));
    }
    let id = job.id;
    let (name, bytes) = state
        .db(move |conn| db_job::result_file(conn, id)?.ok_or(AppError::NotFound))
        .await?;
    let safe: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "._- ".contains(*c))
        .collect();
    let content_type = if safe.ends_with(".xlsx") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        "application/octet-stream"
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{safe}\""),
        ))
        .body(bytes))
}

pub async fn restart(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let job = load(&state, &user, id.into_inner()).await?;
    if !may_restart(&user, &job) {
        return Err(AppError::Forbidden);
    }
    let (id, scope, actor) = (job.id, scope_of(&user), user.actor());
    state
        .db(move |conn| Ok(jobs::restart(conn, &actor, &scope, id)?))
        .await?;
    Ok(see_other(&format!("/tugas/{id}")))
}

/// The progress bar's script, compiled in like the stylesheet (the CSP allows only our own files).
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/tugas.js"))
}
