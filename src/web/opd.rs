//! OPD pages: the list (an `opd` user sees only their own), one OPD with its users, create and edit.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::db::{opd, users};
use crate::domain::Role;
use crate::error::{AppError, AppResult};
use crate::services::setup::{self, OpdInput};
use crate::state::AppState;
use crate::table::{Cell, Table};
use crate::web::STAFF;
use crate::web::extract::{CsrfForm, CurrentUser, Lang};
use crate::web::page::{
    FieldKind, FormField, FormPage, ListPage, ListQuery, PageCtx, ShowPage, form_outcome,
    list_response, render_status, see_other, show_response,
};

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    let t = lang.0;
    let scope = user.scope();
    let rows = state
        .db(move |conn| Ok(opd::list_for_scope(conn, &scope)?))
        .await?;
    let mut table = Table::new(&[t.kode, t.nama, t.singkatan, t.aktif]);
    for row in rows {
        let link = Some(format!("/opd/{}", row.id));
        table.push(
            vec![
                Cell::text(row.kode),
                Cell::text(row.nama),
                Cell::opt_text(row.singkatan),
                Cell::Bool(row.aktif),
            ],
            link,
        );
    }
    let actions = if user.role == Role::Admin {
        vec![("/opd/baru".to_owned(), t.opd_new.to_owned())]
    } else {
        vec![]
    };
    let page = ListPage {
        ctx: PageCtx::new(&state, &user, t, "/opd").await?,
        title: t.opd_title.to_owned(),
        intro: None,
        actions,
        table,
        download: Some("/opd?format=xlsx".into()),
        form: None,
        errors: vec![],
    };
    list_response(page, &query, "opd").await
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    let t = lang.0;
    let id = id.into_inner();
    let scope = user.scope();
    let (unit, members) = state
        .db(move |conn| {
            let unit = opd::find_by_id_for_scope(conn, id, &scope)?.ok_or(AppError::NotFound)?;
            let members = users::list_for_opd(conn, unit.id)?;
            Ok((unit, members))
        })
        .await?;
    let mut table = Table::new(&[t.email, t.nama, t.aktif]);
    for member in members {
        table.push(
            vec![
                Cell::text(member.email),
                Cell::text(member.nama),
                Cell::Bool(member.aktif),
            ],
            None,
        );
    }
    let mut actions = if user.role == Role::Admin {
        vec![(format!("/opd/{id}/ubah"), t.edit.to_owned())]
    } else {
        vec![]
    };
    actions.push((format!("/opd/{id}?format=xlsx"), t.download_xlsx.to_owned()));
    let page = ShowPage {
        ctx: PageCtx::new(&state, &user, t, "/opd").await?,
        title: unit.nama.clone(),
        facts: vec![
            (t.kode.to_owned(), unit.kode),
            (t.singkatan.to_owned(), unit.singkatan.unwrap_or_default()),
            (
                t.aktif.to_owned(),
                if unit.aktif { t.yes } else { t.no }.to_owned(),
            ),
        ],
        actions,
        errors: vec![],
        tables: vec![(t.opd_users.to_owned(), table)],
        forms: vec![],
    };
    show_response(page, query.wants_xlsx(), &format!("pengguna-opd-{id}")).await
}

fn form_fields(
    t: &crate::i18n::phrases::Messages,
    input: &OpdInput,
    editing: bool,
) -> Vec<FormField> {
    let mut fields = vec![
        FormField::text("kode", t.opd_kode_label, &input.kode, true),
        FormField::text("nama", t.nama, &input.nama, true),
        FormField::text("singkatan", t.singkatan, &input.singkatan, false),
    ];
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
    t: &'static crate::i18n::phrases::Messages,
    input: &OpdInput,
    id: Option<i32>,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let (title, action) = match id {
        Some(id) => (
            format!("{} {}", t.edit, input.nama),
            format!("/opd/{id}/ubah"),
        ),
        None => (t.opd_new.to_owned(), "/opd/baru".to_owned()),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        ctx: PageCtx::new(state, user, t, "/opd").await?,
        title,
        action,
        fields: form_fields(t, input, id.is_some()),
        errors,
        submit: t.save.to_owned(),
        back: "/opd".into(),
    };
    render_status(&page, status)
}

pub async fn new_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    form_page(&state, &user, lang.0, &OpdInput::default(), None, vec![]).await
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<OpdInput>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let input = form.0;
    let (actor, kode_kabkota, attempt) = (user.actor(), user.kode_kabkota.clone(), input.clone());
    let result = state
        .db(move |conn| Ok(setup::create_opd(conn, &actor, &kode_kabkota, &attempt)))
        .await?;
    form_outcome(
        result,
        lang,
        |created| async move { Ok(see_other(&format!("/opd/{}", created.id))) },
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
    let scope = user.scope();
    let unit = state
        .db(move |conn| opd::find_by_id_for_scope(conn, id, &scope)?.ok_or(AppError::NotFound))
        .await?;
    let input = OpdInput {
        kode: unit.kode,
        nama: unit.nama,
        singkatan: unit.singkatan.unwrap_or_default(),
        aktif: unit.aktif.then(|| "on".into()),
    };
    form_page(&state, &user, lang.0, &input, Some(id), vec![]).await
}

pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    form: CsrfForm<OpdInput>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let id = id.into_inner();
    let input = form.0;
    let (actor, scope, attempt) = (user.actor(), user.scope(), input.clone());
    let result = state
        .db(move |conn| Ok(setup::update_opd(conn, &actor, &scope, id, &attempt)))
        .await?;
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other(&format!("/opd/{id}"))) },
        |errors| form_page(&state, &user, lang.0, &input, Some(id), errors),
    )
    .await
}
