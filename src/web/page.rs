//! The frame every page shares (who is logged in, the menu for their role, language, CSRF token)
//! and the generic pages most screens are made of: a list, a form, a record with its details.

use std::future::Future;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::{district, wilayah};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::i18n::phrases::Messages;
use crate::services::error::ServiceResult;
use crate::state::{AppState, blocking};
use crate::table::Table;
use crate::web::extract::{CurrentUser, Lang, local_path};

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

pub struct PageCtx {
    pub t: &'static Messages,
    pub user_nama: String,
    pub role_label: &'static str,
    pub csrf_token: String,
    pub district_name: String,
    pub demo: bool,
    pub nav: Vec<NavItem>,
}

pub fn role_label(t: &'static Messages, role: Role) -> &'static str {
    match role {
        Role::Admin => t.role_admin,
        Role::Opd => t.role_opd,
        Role::Pimpinan => t.role_pimpinan,
        Role::Baas => t.role_baas,
        Role::Sponsor => t.role_sponsor,
    }
}

/// The menu of a role: only pages it can use. An `opd` officer uploads and tags; the set-up pages
/// stay reachable by link but are the admin's work. Leadership gets the read pages.
fn menu(t: &'static Messages, role: Role) -> Vec<(&'static str, &'static str)> {
    let setup = [
        ("/opd", t.nav_opd_list),
        ("/intervensi", t.nav_intervensi),
        ("/sumber-dana", t.nav_sumber_dana),
        ("/sasaran", t.nav_sasaran),
        ("/tahun", t.nav_tahun),
        ("/wilayah", t.nav_wilayah),
    ];
    // each import kind its own entry, named for its kind, on the one import page
    let imports = [
        ("/impor", t.nav_impor),
        ("/impor?jenis=realisasi", t.nav_impor_realisasi),
    ];
    let mut nav = vec![("/", t.nav_home)];
    match role {
        Role::Admin => {
            nav.push(("/anggaran", t.nav_anggaran));
            nav.extend(imports);
            nav.extend(setup);
            nav.extend([
                ("/pengguna", t.nav_pengguna),
                ("/aktivitas", t.nav_activity_log),
            ]);
            // everything, BAAS included (read-only there: the desk's pages show no forms)
            nav.push(("/baas", t.nav_baas));
        }
        Role::Opd => {
            nav.push(("/anggaran", t.nav_anggaran));
            nav.extend(imports);
        }
        Role::Pimpinan => {
            nav.push(("/anggaran", t.nav_anggaran));
            nav.extend(imports);
            nav.extend(setup);
            nav.push(("/aktivitas", t.nav_activity_log));
            nav.push(("/baas", t.nav_baas));
        }
        // baas
        // baas-import: the desk imports its children and sponsors on /impor
        Role::Baas => nav.extend([("/baas", t.nav_baas), ("/impor", t.impor_title_baas)]),
        Role::Sponsor => nav.push(("/asuh", t.nav_asuh)),
    }
    // summary: the Bupati's summary, right after home for every role that reads budgets
    if role.sees_budget_data() {
        nav.insert(1, ("/ringkasan", t.nav_ringkasan));
    }
    nav
}

impl PageCtx {
    pub async fn new(
        state: &AppState,
        user: &CurrentUser,
        t: &'static Messages,
        active: &str,
    ) -> AppResult<PageCtx> {
        let kode = user.kode_kabkota.clone();
        let (district_name, demo) = state
            .db(move |conn| {
                let name = wilayah::find_by_kode(conn, &kode)?
                    .map(|row| row.nama)
                    .unwrap_or(kode.clone());
                let demo = district::find_district(conn, &kode)?.is_some_and(|row| row.demo);
                Ok((name, demo))
            })
            .await?;
        let nav = menu(t, user.role);
        Ok(PageCtx {
            t,
            user_nama: user.nama.clone(),
            role_label: role_label(t, user.role),
            csrf_token: user.csrf_token.clone(),
            district_name,
            demo,
            nav: nav
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    active: href == active,
                })
                .collect(),
        })
    }
}

pub enum FieldKind {
    Text,
    /// A file input; the form is then sent as multipart.
    File,
    Textarea,
    Password,
    Select(Vec<(String, String)>),
    Checkbox(bool),
    /// summary: a value a filter carries along unseen (the month an attention point was judged by)
    Hidden,
}

pub struct FormField {
    pub name: &'static str,
    pub label: String,
    pub kind: FieldKind,
    pub value: String,
    pub required: bool,
}

impl FormField {
    pub fn text(name: &'static str, label: &str, value: &str, required: bool) -> FormField {
        FormField {
            name,
            label: label.to_owned(),
            kind: FieldKind::Text,
            value: value.to_owned(),
            required,
        }
    }

    pub fn with_kind(mut self, kind: FieldKind) -> FormField {
        self.kind = kind;
        self
    }
}

pub struct InlineForm {
    pub action: String,
    pub fields: Vec<FormField>,
    pub submit: String,
}

impl InlineForm {
    pub fn is_multipart(&self) -> bool {
        self.fields
            .iter()
            .any(|field| matches!(field.kind, FieldKind::File))
    }
}

/// A list page: a table with links, optional actions above it and an optional form below it.
#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub title: String,
    pub intro: Option<String>,
    pub actions: Vec<(String, String)>,
    pub table: Table,
    pub download: Option<String>,
    pub form: Option<InlineForm>,
    /// Problems with the form below the table, shown above it (the list is re-rendered with them).
    pub errors: Vec<String>,
}

/// A create/edit form page. `errors` are shown above the fields, the values kept.
#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub title: String,
    pub action: String,
    pub fields: Vec<FormField>,
    pub errors: Vec<String>,
    pub submit: String,
    pub back: String,
}

/// One record: its facts, then a related table and forms.
#[derive(Template)]
#[template(path = "show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub title: String,
    pub facts: Vec<(String, String)>,
    pub actions: Vec<(String, String)>,
    pub errors: Vec<String>,
    /// Related tables, each under its heading.
    pub tables: Vec<(String, Table)>,
    pub forms: Vec<InlineForm>,
}

pub fn render(page: &impl Template) -> AppResult<HttpResponse> {
    let html = page.render().map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// Renders with a status other than 200 (a form with errors answers 422).
pub fn render_status(
    page: &impl Template,
    status: actix_web::http::StatusCode,
) -> AppResult<HttpResponse> {
    let html = page.render().map_err(AppError::internal)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// A redirect after a form. Only to a path of this site; anything else (another host, a header
/// break smuggled into a `kembali` field) goes to the home page instead.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, local_path(location).unwrap_or("/")))
        .finish()
}

/// The one way a form handler answers once its service ran: `done` with the value; when the
/// service refused input the user can fix, the same form again (`again` renders it with the user's
/// input and the messages), in the reader's language and with 422; any other error is its error
/// page.
pub async fn form_outcome<T, Done, Again>(
    result: ServiceResult<T>,
    lang: Lang,
    done: impl FnOnce(T) -> Done,
    again: impl FnOnce(Vec<String>) -> Again,
) -> AppResult<HttpResponse>
where
    Done: Future<Output = AppResult<HttpResponse>>,
    Again: Future<Output = AppResult<HttpResponse>>,
{
    match result {
        Ok(value) => done(value).await,
        Err(error) => match error.user_message() {
            Some(message) => {
                let mut response = again(vec![message.render(lang.language())]).await?;
                *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                Ok(response)
            }
            None => Err(error.into()),
        },
    }
}

/// `?nilai=1` switches something on, `?nilai=0` off: explicit, so a repeated click does not flip it back.
#[derive(serde::Deserialize)]
pub struct ActiveQuery {
    pub nilai: u8,
}

impl ActiveQuery {
    pub fn on(&self) -> bool {
        self.nilai == 1
    }
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    pub format: Option<String>,
}

impl ListQuery {
    pub fn wants_xlsx(&self) -> bool {
        self.format.as_deref() == Some("xlsx")
    }
}

/// Answers a list either as its page or, with `?format=xlsx`, as a workbook of the same rows.
pub async fn list_response(
    page: ListPage,
    query: &web::Query<ListQuery>,
    file_stem: &str,
) -> AppResult<HttpResponse> {
    if !query.wants_xlsx() {
        return render(&page);
    }
    let (yes, no) = (page.ctx.t.yes, page.ctx.t.no);
    xlsx_download(page.title, page.table, yes, no, file_stem).await
}

/// Answers a record page, or with `?format=xlsx` its first table as a workbook.
pub async fn show_response(
    mut page: ShowPage,
    wants_xlsx: bool,
    file_stem: &str,
) -> AppResult<HttpResponse> {
    if !wants_xlsx || page.tables.is_empty() {
        return render(&page);
    }
    let (title, table) = page.tables.swap_remove(0);
    xlsx_download(title, table, page.ctx.t.yes, page.ctx.t.no, file_stem).await
}

/// A table as a workbook download. Writing a workbook of many rows is seconds of CPU: it runs on
/// the blocking pool, so the async workers keep answering other requests meanwhile.
pub async fn xlsx_download(
    title: String,
    table: Table,
    yes: &'static str,
    no: &'static str,
    file_stem: &str,
) -> AppResult<HttpResponse> {
    let bytes = blocking(move || {
        crate::spreadsheet::write::table_workbook(&title, &table, yes, no)
            .map_err(AppError::internal)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_stem}.xlsx\""),
        ))
        .body(bytes))
}
