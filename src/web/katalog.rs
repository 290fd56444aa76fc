//! The two simple code + name catalogues, sumber dana and sasaran: a list with an add form for admins.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::db::catalogue::{self, SimpleCatalogue};
use crate::domain::Role;
use crate::error::AppResult;
use crate::server::AppState;
use crate::services::setup::{self, SetupError};
use crate::table::{Cell, Table};
use crate::web::STAFF;
use crate::web::extract::{CsrfForm, CurrentUser, Lang};
use crate::web::page::{
    FormField, InlineForm, ListPage, ListQuery, PageCtx, list_response, render_status, see_other,
};

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CatalogueInput {
    #[serde(default)]
    pub kode: String,
    #[serde(default)]
    pub nama: String,
}

/// Where each catalogue lives and what it is called.
fn describe(
    which: SimpleCatalogue,
    t: &crate::web::i18n::Messages,
) -> (&'static str, &'static str, &'static str) {
    match which {
        SimpleCatalogue::SumberDana => ("/sumber-dana", t.sumber_dana_title, "sumber-dana"),
        SimpleCatalogue::Sasaran => ("/sasaran", t.sasaran_title, "sasaran"),
    }
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    lang: Lang,
    which: SimpleCatalogue,
    input: &CatalogueInput,
    errors: Vec<String>,
) -> AppResult<ListPage> {
    let t = lang.0;
    let (path, title, _) = describe(which, t);
    let kode_kabkota = user.kode_kabkota.clone();
    let rows = state
        .db(move |conn| Ok(catalogue::list_simple(conn, which, &kode_kabkota)?))
        .await?;
    let mut table = Table::new(&[t.kode, t.nama, t.asal]);
    for row in rows {
        let asal = if row.kode_kabkota.is_some() {
            t.asal_daerah
        } else {
            t.asal_nasional
        };
        table.push(
            vec![Cell::text(row.kode), Cell::text(row.nama), Cell::text(asal)],
            None,
        );
    }
    let form = (user.role == Role::Admin).then(|| InlineForm {
        action: path.to_owned(),
        fields: vec![
            FormField::text("kode", t.kode, &input.kode, true),
            FormField::text("nama", t.nama, &input.nama, true),
        ],
        submit: t.add.to_owned(),
    });
    Ok(ListPage {
        ctx: PageCtx::new(state, user, t, path).await?,
        title: title.to_owned(),
        intro: None,
        actions: vec![],
        table,
        download: Some(format!("{path}?format=xlsx")),
        form,
        errors,
    })
}

async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ListQuery>,
    which: SimpleCatalogue,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    let page = list_page(
        &state,
        &user,
        lang,
        which,
        &CatalogueInput::default(),
        vec![],
    )
    .await?;
    list_response(page, &query, describe(which, lang.0).2)
}

async fn add(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<CatalogueInput>,
    which: SimpleCatalogue,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let input = form.0;
    let (actor, kode_kabkota, attempt) = (user.actor(), user.kode_kabkota.clone(), input.clone());
    let result = state
        .db(move |conn| {
            Ok(setup::add_catalogue_entry(
                conn,
                &actor,
                &kode_kabkota,
                which,
                &attempt.kode,
                &attempt.nama,
            ))
        })
        .await?;
    match result {
        Ok(_) => Ok(see_other(describe(which, lang.0).0)),
        Err(SetupError::Invalid(message)) => {
            let page = list_page(&state, &user, lang, which, &input, vec![message]).await?;
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn list_sumber_dana(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    list(state, user, lang, query, SimpleCatalogue::SumberDana).await
}

pub async fn add_sumber_dana(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<CatalogueInput>,
) -> AppResult<HttpResponse> {
    add(state, user, lang, form, SimpleCatalogue::SumberDana).await
}

pub async fn list_sasaran(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    list(state, user, lang, query, SimpleCatalogue::Sasaran).await
}

pub async fn add_sasaran(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<CatalogueInput>,
) -> AppResult<HttpResponse> {
    add(state, user, lang, form, SimpleCatalogue::Sasaran).await
}
