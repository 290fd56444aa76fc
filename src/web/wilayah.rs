//! Browsing the national area codes, one level at a time, starting at the user's own district.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::db::wilayah;
use crate::domain::Role;
use crate::domain::{KodeWilayah, Tingkat};
use crate::error::{AppError, AppResult};
use crate::i18n::phrases::Messages;
use crate::i18n::{Message, MessageKey};
use crate::services::setup;
use crate::state::AppState;
use crate::table::{Cell, Table};
use crate::web::STAFF;
use crate::web::extract::CsrfForm;
use crate::web::extract::{CurrentUser, Lang};
use crate::web::page::{
    FormField, FormPage, InlineForm, ListPage, PageCtx, form_outcome, list_response, render_status,
    see_other,
};

#[derive(serde::Deserialize)]
pub struct BrowseQuery {
    /// The area whose children are listed; the user's kabupaten/kota when absent.
    pub induk: Option<String>,
    pub format: Option<String>,
}

fn tingkat_label(t: &Messages, level: i16) -> &'static str {
    match Tingkat::from_level(level) {
        Some(Tingkat::Provinsi) => t.provinsi,
        Some(Tingkat::KabupatenKota) => t.home_district,
        Some(Tingkat::Kecamatan) => t.kecamatan,
        _ => t.desa,
    }
}

pub async fn browse(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<BrowseQuery>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    let t = lang.0;
    let induk = match query
        .induk
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        Some(text) => KodeWilayah::parse(text).ok_or_else(|| {
            AppError::Service(
                StatusCode::BAD_REQUEST,
                Message::new(MessageKey::WilayahCodeInvalid).arg(text),
            )
        })?,
        None => KodeWilayah::parse(&user.kode_kabkota)
            .ok_or_else(|| AppError::internal("district code invalid"))?,
    };
    let lookup = induk.clone();
    let (area, children) = state
        .db(move |conn| {
            let area = wilayah::find_by_kode(conn, lookup.as_str())?.ok_or(AppError::NotFound)?;
            let children = wilayah::list_children(conn, lookup.as_str())?;
            Ok((area, children))
        })
        .await?;
    // an admin looks after the kecamatan and desa of their own district
    let editable = |kode: &str| user.role == Role::Admin && in_district(kode, &user.kode_kabkota);
    let mut table = Table::new(&[t.kode, t.nama, t.tingkat]);
    for child in children {
        let link = if child.tingkat < Tingkat::DesaKelurahan.level() {
            Some(format!("/wilayah?induk={}", child.kode))
        } else {
            editable(&child.kode).then(|| format!("/wilayah/{}/ubah", child.kode))
        };
        table.push(
            vec![
                Cell::text(child.kode),
                Cell::text(child.nama),
                Cell::text(tingkat_label(t, child.tingkat)),
            ],
            link,
        );
    }
    let mut actions = Vec::new();
    if let Some(parent) = induk.induk() {
        actions.push((
            format!("/wilayah?induk={parent}"),
            format!("{} ({parent})", t.back),
        ));
    }
    if area.tingkat == Tingkat::Kecamatan.level() && editable(&area.kode) {
        actions.push((format!("/wilayah/{}/ubah", area.kode), t.edit.to_owned()));
    }
    let form = (user.role == Role::Admin
        && area.tingkat < Tingkat::DesaKelurahan.level()
        && (area.kode == user.kode_kabkota || editable(&area.kode)))
    .then(|| InlineForm {
        action: "/wilayah/baru".into(),
        fields: vec![
            FormField::text("kode", t.kode, &format!("{}.", area.kode), true),
            FormField::text("nama", t.nama, "", true),
        ],
        submit: t.add.to_owned(),
    });
    let page = ListPage {
        ctx: PageCtx::new(&state, &user, t, "/wilayah").await?,
        title: format!("{}: {} {}", t.wilayah_title, area.kode, area.nama),
        intro: Some(tingkat_label(t, area.tingkat).to_owned()),
        actions,
        table,
        download: Some(format!("/wilayah?induk={}&format=xlsx", area.kode)),
        form,
        errors: vec![],
    };
    let list_query = web::Query(crate::web::page::ListQuery {
        format: query.format.clone(),
    });
    list_response(page, &list_query, &format!("wilayah-{}", area.kode)).await
}

/// Whether a kecamatan or desa code lies in the kabupaten/kota.
fn in_district(kode: &str, kode_kabkota: &str) -> bool {
    KodeWilayah::parse(kode)
        .filter(|code| code.tingkat() >= Tingkat::Kecamatan)
        .and_then(|code| code.kabkota())
        .is_some_and(|parent| parent.as_str() == kode_kabkota)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct WilayahInput {
    #[serde(default)]
    pub kode: String,
    #[serde(default)]
    pub nama: String,
}

async fn wilayah_form(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    input: &WilayahInput,
    editing: bool,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let (title, action, fields) = if editing {
        (
            format!("{} {}", t.edit, input.kode),
            format!("/wilayah/{}/ubah", input.kode),
            vec![FormField::text("nama", t.nama, &input.nama, true)],
        )
    } else {
        (
            format!("{} {}", t.add, t.wilayah_title),
            "/wilayah/baru".to_owned(),
            vec![
                FormField::text("kode", t.kode, &input.kode, true),
                FormField::text("nama", t.nama, &input.nama, true),
            ],
        )
    };
    let back = KodeWilayah::parse(&input.kode)
        .and_then(|code| code.induk())
        .map_or("/wilayah".to_owned(), |parent| {
            format!("/wilayah?induk={parent}")
        });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        ctx: PageCtx::new(state, user, t, "/wilayah").await?,
        title,
        action,
        fields,
        errors,
        submit: t.save.to_owned(),
        back,
    };
    render_status(&page, status)
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<WilayahInput>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let input = form.0;
    let (actor, kode_kabkota, attempt) = (user.actor(), user.kode_kabkota.clone(), input.clone());
    let result = state
        .db(move |conn| {
            Ok(setup::add_wilayah(
                conn,
                &actor,
                &kode_kabkota,
                &attempt.kode,
                &attempt.nama,
            ))
        })
        .await?;
    form_outcome(
        result,
        lang,
        |row| async move {
            Ok(see_other(&format!(
                "/wilayah?induk={}",
                row.kode_induk.unwrap_or_default()
            )))
        },
        |errors| wilayah_form(&state, &user, lang.0, &input, false, errors),
    )
    .await
}

pub async fn edit_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    kode: web::Path<String>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let kode = kode.into_inner();
    if !in_district(&kode, &user.kode_kabkota) {
        return Err(AppError::NotFound);
    }
    let row = state
        .db(move |conn| wilayah::find_by_kode(conn, &kode)?.ok_or(AppError::NotFound))
        .await?;
    let input = WilayahInput {
        kode: row.kode,
        nama: row.nama,
    };
    wilayah_form(&state, &user, lang.0, &input, true, vec![]).await
}

pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    kode: web::Path<String>,
    form: CsrfForm<WilayahInput>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let kode = kode.into_inner();
    let input = WilayahInput {
        kode: kode.clone(),
        nama: form.0.nama,
    };
    let (actor, kode_kabkota, nama) = (user.actor(), user.kode_kabkota.clone(), input.nama.clone());
    let result = state
        .db(move |conn| {
            Ok(setup::rename_wilayah(
                conn,
                &actor,
                &kode_kabkota,
                &kode,
                &nama,
            ))
        })
        .await?;
    form_outcome(
        result,
        lang,
        |row| async move {
            Ok(see_other(&format!(
                "/wilayah?induk={}",
                row.kode_induk.unwrap_or_default()
            )))
        },
        |errors| wilayah_form(&state, &user, lang.0, &input, true, errors),
    )
    .await
}
