//! User accounts of the district, managed by its admin: list, create, enable/disable.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::db::{opd, users};
use crate::domain::Role;
use crate::error::AppResult;
use crate::i18n::phrases::Messages;
use crate::services::auth::NewPassword;
use crate::services::setup::{self, UserInput};
use crate::state::{AppState, blocking};
use crate::table::{Cell, RowAction, Table};
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
    user.require(&[Role::Admin])?;
    let t = lang.0;
    let scope = user.scope();
    let rows = state
        .db(move |conn| Ok(users::list_for_district(conn, &scope)?))
        .await?;
    let mut table = Table::new(&[t.email, t.nama, t.role, t.nav_opd, t.aktif]);
    for row in rows {
        let role_text = Role::parse(&row.role).map_or(row.role.clone(), |role| {
            crate::web::page::role_label(t, role).to_owned()
        });
        let (value, label) = if row.aktif {
            (0, t.nonaktifkan)
        } else {
            (1, t.aktifkan)
        };
        let action = (row.id != user.id).then(|| RowAction {
            url: format!("/pengguna/{}/aktif?nilai={value}", row.id),
            label: label.to_owned(),
        });
        table.push(
            vec![
                Cell::text(row.email),
                Cell::text(row.nama),
                Cell::text(role_text),
                Cell::opt_text(row.opd_nama),
                Cell::Bool(row.aktif),
            ],
            None,
        );
        if let Some(last) = table.rows.last_mut() {
            last.action = action;
        }
    }
    let page = ListPage {
        ctx: PageCtx::new(&state, &user, t, "/pengguna").await?,
        title: t.pengguna_title.to_owned(),
        intro: None,
        actions: vec![("/pengguna/baru".to_owned(), t.pengguna_new.to_owned())],
        table,
        download: Some("/pengguna?format=xlsx".into()),
        form: None,
        errors: vec![],
    };
    list_response(page, &query, "pengguna").await
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    input: &UserInput,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let scope = user.scope();
    let units = state
        .db(move |conn| Ok(opd::list_for_scope(conn, &scope)?))
        .await?;
    let roles = [
        Role::Admin,
        Role::Opd,
        Role::Pimpinan,
        Role::Baas,
        Role::Sponsor,
    ]
    .into_iter()
    .map(|role| {
        (
            role.as_str().to_owned(),
            crate::web::page::role_label(t, role).to_owned(),
        )
    })
    .collect();
    let mut opd_options = vec![(String::new(), "-".to_owned())];
    opd_options.extend(
        units
            .into_iter()
            .filter(|unit| unit.aktif)
            .map(|unit| (unit.kode.clone(), format!("{} ({})", unit.nama, unit.kode))),
    );
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        ctx: PageCtx::new(state, user, t, "/pengguna").await?,
        title: t.pengguna_new.to_owned(),
        action: "/pengguna/baru".into(),
        fields: vec![
            FormField::text("email", t.email, &input.email, true),
            FormField::text("nama", t.nama, &input.nama, false),
            FormField::text("role", t.role, &input.role, true).with_kind(FieldKind::Select(roles)),
            FormField::text("opd", t.opd_kode_hint, &input.opd, false)
                .with_kind(FieldKind::Select(opd_options)),
            FormField::text("password", t.password, "", true).with_kind(FieldKind::Password),
        ],
        errors,
        submit: t.save.to_owned(),
        back: "/pengguna".into(),
    };
    render_status(&page, status)
}

pub async fn new_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let input = UserInput {
        role: Role::Opd.as_str().into(),
        ..UserInput::default()
    };
    form_page(&state, &user, lang.0, &input, vec![]).await
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<UserInput>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let input = form.0;
    let (actor, kode_kabkota, attempt) = (user.actor(), user.kode_kabkota.clone(), input.clone());
    // argon2 on the blocking pool, before a connection is taken
    let plain = input.password.clone();
    let password = blocking(move || Ok(NewPassword::hash(&plain))).await?;
    let result = match password {
        Ok(password) => {
            state
                .db(move |conn| {
                    Ok(setup::create_user_with_password(
                        conn,
                        &actor,
                        &kode_kabkota,
                        &attempt,
                        &password,
                    ))
                })
                .await?
        }
        Err(error) => Err(error),
    };
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other("/pengguna")) },
        |errors| form_page(&state, &user, lang.0, &input, errors),
    )
    .await
}

pub async fn toggle_active(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    query: web::Query<ActiveQuery>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let (id, aktif) = (id.into_inner(), query.on());
    let (actor, kode_kabkota) = (user.actor(), user.kode_kabkota.clone());
    state
        .db(move |conn| {
            Ok(setup::set_user_active(
                conn,
                &actor,
                &kode_kabkota,
                id,
                aktif,
            )?)
        })
        .await?;
    Ok(see_other("/pengguna"))
}
