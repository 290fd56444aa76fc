//! The intervention catalogue: the national SP1–SP9 / SE1–SE11 seed plus the district's own
//! additions, which an admin can create and edit.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::db::catalogue;
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::i18n::phrases::Messages;
use crate::services::setup::{self, IntervensiInput};
use crate::state::AppState;
use crate::table::{Cell, RowAction, Table};
use crate::web::STAFF;
use crate::web::extract::{CsrfForm, CurrentUser, Lang, NoFields};
use crate::web::page::{
    ActiveQuery, FieldKind, FormField, FormPage, ListPage, ListQuery, PageCtx, form_outcome,
    list_response, render_status, see_other,
};

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    let t = lang.0;
    let kode_kabkota = user.kode_kabkota.clone();
    let rows = state
        .db(move |conn| Ok(catalogue::list_intervensi(conn, &kode_kabkota)?))
        .await?;
    let is_admin = user.role == Role::Admin;
    let mut table = Table::new(&[
        t.kode,
        t.nama,
        t.jenis,
        t.sasaran,
        t.indikator,
        t.target_nasional,
        t.asal,
        t.aktif,
    ]);
    for row in rows {
        let district_owned = row.kode_kabkota.is_some();
        let link = (is_admin && district_owned).then(|| format!("/intervensi/{}/ubah", row.id));
        let asal = if district_owned {
            t.asal_daerah
        } else {
            t.asal_nasional
        };
        // a national intervention can be switched off for this district; its own are edited
        let action = (is_admin && !district_owned).then(|| {
            let (value, label) = if row.aktif {
                (0, t.nonaktifkan)
            } else {
                (1, t.aktifkan)
            };
            RowAction {
                url: format!("/intervensi/{}/aktif?nilai={value}", row.id),
                label: label.to_owned(),
            }
        });
        table.push(
            vec![
                Cell::text(row.kode),
                Cell::text(row.nama),
                Cell::text(row.jenis),
                Cell::text(row.sasaran),
                Cell::text(row.indikator),
                Cell::opt_text(row.target_nasional),
                Cell::text(asal),
                Cell::Bool(row.aktif),
            ],
            link,
        );
        if let Some(last) = table.rows.last_mut() {
            last.action = action;
        }
    }
    let actions = if is_admin {
        vec![("/intervensi/baru".to_owned(), t.intervensi_new.to_owned())]
    } else {
        vec![]
    };
    let page = ListPage {
        ctx: PageCtx::new(&state, &user, t, "/intervensi").await?,
        title: t.intervensi_title.to_owned(),
        intro: None,
        actions,
        table,
        download: Some("/intervensi?format=xlsx".into()),
        form: None,
        errors: vec![],
    };
    list_response(page, &query, "intervensi").await
}

fn form_fields(t: &Messages, input: &IntervensiInput, editing: bool) -> Vec<FormField> {
    let jenis = vec![
        ("spesifik".to_owned(), "spesifik".to_owned()),
        ("sensitif".to_owned(), "sensitif".to_owned()),
    ];
    let mut fields = Vec::new();
    if !editing {
        fields.push(FormField::text("kode", t.kode, &input.kode, true));
    }
    fields.extend([
        FormField::text("nama", t.nama, &input.nama, true),
        FormField::text("jenis", t.jenis, &input.jenis, true).with_kind(FieldKind::Select(jenis)),
        FormField::text("sasaran", t.sasaran, &input.sasaran, true),
        FormField::text("indikator", t.indikator, &input.indikator, true)
            .with_kind(FieldKind::Textarea),
        FormField::text(
            "target_nasional",
            t.target_nasional,
            &input.target_nasional,
            false,
        ),
    ]);
    if editing {
        fields.push(
            FormField::text("aktif", t.aktif, "", false)
                .with_kind(FieldKind::Checkbox(input.aktif.is_some())),
        );
    }
    fields
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    input: &IntervensiInput,
    id: Option<i32>,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let (title, action) = match id {
        Some(id) => (
            format!("{} {}", t.edit, input.kode),
            format!("/intervensi/{id}/ubah"),
        ),
        None => (t.intervensi_new.to_owned(), "/intervensi/baru".to_owned()),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        ctx: PageCtx::new(state, user, t, "/intervensi").await?,
        title,
        action,
        fields: form_fields(t, input, id.is_some()),
        errors,
        submit: t.save.to_owned(),
        back: "/intervensi".into(),
    };
    render_status(&page, status)
}

pub async fn new_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let input = IntervensiInput {
        jenis: "spesifik".into(),
        ..IntervensiInput::default()
    };
    form_page(&state, &user, lang.0, &input, None, vec![]).await
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<IntervensiInput>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let input = form.0;
    let (actor, kode_kabkota, attempt) = (user.actor(), user.kode_kabkota.clone(), input.clone());
    let result = state
        .db(move |conn| {
            Ok(setup::create_intervensi(
                conn,
                &actor,
                &kode_kabkota,
                &attempt,
            ))
        })
        .await?;
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other("/intervensi")) },
        |errors| form_page(&state, &user, lang.0, &input, None, errors),
    )
    .await
}

pub async fn edit_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let id = id.into_inner();
    let kode_kabkota = user.kode_kabkota.clone();
    let row = state
        .db(move |conn| {
            catalogue::find_intervensi_for_district(conn, id, &kode_kabkota)?
                .ok_or(AppError::NotFound)
        })
        .await?;
    // The national seed is shared by every district and is not edited here.
    if row.kode_kabkota.is_none() {
        return Err(AppError::Forbidden);
    }
    let input = IntervensiInput {
        kode: row.kode,
        nama: row.nama,
        jenis: row.jenis,
        sasaran: row.sasaran,
        indikator: row.indikator,
        target_nasional: row.target_nasional.unwrap_or_default(),
        aktif: row.aktif.then(|| "on".into()),
    };
    form_page(&state, &user, lang.0, &input, Some(id), vec![]).await
}

pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    form: CsrfForm<IntervensiInput>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let id = id.into_inner();
    let input = form.0;
    let (actor, kode_kabkota, attempt) = (user.actor(), user.kode_kabkota.clone(), input.clone());
    let result = state
        .db(move |conn| {
            Ok(setup::update_intervensi(
                conn,
                &actor,
                &kode_kabkota,
                id,
                &attempt,
            ))
        })
        .await?;
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other("/intervensi")) },
        |errors| form_page(&state, &user, lang.0, &input, Some(id), errors),
    )
    .await
}

pub async fn toggle_national(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    query: web::Query<ActiveQuery>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let (id, aktif, actor, kode_kabkota) = (
        id.into_inner(),
        query.on(),
        user.actor(),
        user.kode_kabkota.clone(),
    );
    state
        .db(move |conn| {
            Ok(setup::set_national_intervensi_active(
                conn,
                &actor,
                &kode_kabkota,
                id,
                aktif,
            )?)
        })
        .await?;
    Ok(see_other("/intervensi"))
}
