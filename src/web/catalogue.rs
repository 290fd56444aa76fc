//! The two simple code + name catalogues, sumber dana and sasaran: a list with an add form for admins.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::db::catalogue::{self, SimpleCatalogue};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::services::setup;
use crate::state::AppState;
use crate::table::{Cell, Table};
use crate::web::STAFF;
use crate::web::extract::{CsrfForm, CurrentUser, Lang};
use crate::web::page::{
    FormField, FormPage, InlineForm, ListPage, ListQuery, PageCtx, form_outcome, list_response,
    render, render_status, see_other,
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
    t: &crate::i18n::phrases::Messages,
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
        // the district's own entries can be renamed by its admin; the national seed cannot
        let link = (user.role == Role::Admin && row.kode_kabkota.is_some())
            .then(|| format!("{path}/{}/ubah", row.id));
        table.push(
            vec![Cell::text(row.kode), Cell::text(row.nama), Cell::text(asal)],
            link,
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
    list_response(page, &query, describe(which, lang.0).2).await
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
    let (state, user, input) = (&state, &user, &input);
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other(describe(which, lang.0).0)) },
        |errors| async move { render(&list_page(state, user, lang, which, input, errors).await?) },
    )
    .await
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

async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    lang: Lang,
    which: SimpleCatalogue,
    id: i32,
    entry: &CatalogueInput,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let t = lang.0;
    let (path, _, _) = describe(which, t);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        ctx: PageCtx::new(state, user, t, path).await?,
        title: format!("{} {}", t.edit, entry.kode),
        action: format!("{path}/{id}/ubah"),
        fields: vec![FormField::text("nama", t.nama, &entry.nama, true)],
        errors,
        submit: t.save.to_owned(),
        back: path.to_owned(),
    };
    render_status(&page, status)
}

async fn edit(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    which: SimpleCatalogue,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let (id, kode_kabkota) = (id.into_inner(), user.kode_kabkota.clone());
    let entry = state
        .db(move |conn| {
            catalogue::list_simple(conn, which, &kode_kabkota)?
                .into_iter()
                .find(|entry| entry.id == id && entry.kode_kabkota.is_some())
                .ok_or(AppError::NotFound)
        })
        .await?;
    edit_page(
        &state,
        &user,
        lang,
        which,
        id,
        &CatalogueInput {
            kode: entry.kode,
            nama: entry.nama,
        },
        vec![],
    )
    .await
}

async fn rename(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    form: CsrfForm<CatalogueInput>,
    which: SimpleCatalogue,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let (id, input) = (id.into_inner(), form.0);
    let (actor, kode_kabkota, nama) = (user.actor(), user.kode_kabkota.clone(), input.nama.clone());
    let result = state
        .db(move |conn| {
            Ok(setup::rename_catalogue_entry(
                conn,
                &actor,
                &kode_kabkota,
                which,
                id,
                &nama,
            ))
        })
        .await?;
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other(describe(which, lang.0).0)) },
        |errors| edit_page(&state, &user, lang, which, id, &input, errors),
    )
    .await
}

pub async fn edit_sumber_dana(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    edit(state, user, lang, id, SimpleCatalogue::SumberDana).await
}

pub async fn rename_sumber_dana(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    form: CsrfForm<CatalogueInput>,
) -> AppResult<HttpResponse> {
    rename(state, user, lang, id, form, SimpleCatalogue::SumberDana).await
}

pub async fn edit_sasaran(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    edit(state, user, lang, id, SimpleCatalogue::Sasaran).await
}

pub async fn rename_sasaran(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    form: CsrfForm<CatalogueInput>,
) -> AppResult<HttpResponse> {
    rename(state, user, lang, id, form, SimpleCatalogue::Sasaran).await
}
