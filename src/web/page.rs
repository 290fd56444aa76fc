//! The frame every page shares (who is logged in, the menu for their role, language, CSRF token)
//! and the generic pages most screens are made of: a list, a form, a record with its details.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::{district, wilayah};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::table::Table;
use crate::web::extract::CurrentUser;
use crate::web::i18n::Messages;

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
    let mut nav = vec![("/", t.nav_home)];
    match role {
        Role::Admin => {
            nav.extend([("/anggaran", t.nav_anggaran), ("/impor", t.nav_impor)]);
            nav.extend(setup);
            nav.extend([("/pengguna", t.nav_pengguna), ("/audit", t.nav_audit)]);
        }
        Role::Opd => nav.extend([("/anggaran", t.nav_anggaran), ("/impor", t.nav_impor)]),
        Role::Pimpinan => {
            nav.extend([("/anggaran", t.nav_anggaran), ("/impor", t.nav_impor)]);
            nav.extend(setup);
            nav.push(("/audit", t.nav_audit));
        }
        Role::Baas | Role::Sponsor => {}
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

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
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
pub fn list_response(
    page: ListPage,
    query: &web::Query<ListQuery>,
    file_stem: &str,
) -> AppResult<HttpResponse> {
    if !query.wants_xlsx() {
        return render(&page);
    }
    let bytes = crate::spreadsheet::write::table_workbook(
        &page.title,
        &page.table,
        page.ctx.t.yes,
        page.ctx.t.no,
    )
    .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_stem}.xlsx\""),
        ))
        .body(bytes))
}

/// Answers a record page, or with `?format=xlsx` its first table as a workbook.
pub fn show_response(page: ShowPage, wants_xlsx: bool, file_stem: &str) -> AppResult<HttpResponse> {
    let Some((title, table)) = page.tables.first().filter(|_| wants_xlsx) else {
        return render(&page);
    };
    let bytes =
        crate::spreadsheet::write::table_workbook(title, table, page.ctx.t.yes, page.ctx.t.no)
            .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_stem}.xlsx\""),
        ))
        .body(bytes))
}
