//! Fiscal years with their prevalence baseline and target, and the lokus desa designated each year.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::db::district;
use crate::domain::{Role, format};
use crate::error::{AppError, AppResult};
use crate::i18n::phrases::Messages;
use crate::services::setup::{self, TahunInput};
use crate::state::AppState;
use crate::table::{Cell, RowAction, Table};
use crate::web::STAFF;
use crate::web::extract::{CsrfForm, CurrentUser, Lang, NoFields};
use crate::web::page::{
    FieldKind, FormField, FormPage, InlineForm, ListPage, ListQuery, PageCtx, ShowPage,
    form_outcome, list_response, render_status, see_other, show_response,
};

fn percent_text(value: Option<rust_decimal::Decimal>) -> String {
    value
        .map(|value| format::angka(value.normalize(), value.normalize().scale()))
        .unwrap_or_default()
}

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
        .db(move |conn| {
            let years = district::list_tahun(conn, &kode_kabkota)?;
            let mut counted = Vec::with_capacity(years.len());
            for year in years {
                let lokus = district::list_lokus(conn, &kode_kabkota, year.tahun)?.len();
                counted.push((year, lokus));
            }
            Ok(counted)
        })
        .await?;
    let mut table = Table::new(&[
        t.tahun,
        t.prevalensi_baseline,
        t.sumber_baseline,
        t.prevalensi_target,
        t.lokus_title,
        t.terkunci,
    ]);
    for (year, lokus) in rows {
        table.push(
            vec![
                Cell::text(year.tahun.to_string()),
                year.prevalensi_baseline.map_or(Cell::Empty, Cell::Percent),
                Cell::opt_text(year.sumber_baseline),
                year.prevalensi_target.map_or(Cell::Empty, Cell::Percent),
                Cell::Int(lokus as i64),
                Cell::Bool(year.terkunci),
            ],
            Some(format!("/tahun/{}", year.tahun)),
        );
    }
    let actions = if user.role == Role::Admin {
        vec![("/tahun/baru".to_owned(), t.tahun_new.to_owned())]
    } else {
        vec![]
    };
    let page = ListPage {
        ctx: PageCtx::new(&state, &user, t, "/tahun").await?,
        title: t.tahun_title.to_owned(),
        intro: None,
        actions,
        table,
        download: Some("/tahun?format=xlsx".into()),
        form: None,
        errors: vec![],
    };
    list_response(page, &query, "tahun-anggaran").await
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LokusInput {
    #[serde(default)]
    pub desa: String,
}

async fn show_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    tahun: i16,
    lokus_input: &str,
    errors: Vec<String>,
    as_workbook: bool,
) -> AppResult<HttpResponse> {
    let kode_kabkota = user.kode_kabkota.clone();
    let (year, lokus, locked_months) = state
        .db(move |conn| {
            let year =
                district::find_tahun(conn, &kode_kabkota, tahun)?.ok_or(AppError::NotFound)?;
            let lokus = district::list_lokus(conn, &kode_kabkota, tahun)?;
            let locked = crate::db::realisasi::locked_months(conn, &kode_kabkota, tahun)?;
            Ok((year, lokus, locked))
        })
        .await?;
    let editable = user.role == Role::Admin && !year.terkunci;
    let mut table = Table::new(&[t.kode, t.desa]);
    for desa in lokus {
        let action = editable.then(|| RowAction {
            url: format!("/tahun/{tahun}/lokus/{}/hapus", desa.kode_desa),
            label: t.remove.to_owned(),
        });
        table.push(
            vec![Cell::text(desa.kode_desa), Cell::text(desa.nama_desa)],
            None,
        );
        if let Some(row) = table.rows.last_mut() {
            row.action = action;
        }
    }
    let mut facts = vec![
        (
            t.prevalensi_baseline.to_owned(),
            year.prevalensi_baseline
                .map(|v| format::persen(v, 2))
                .unwrap_or_default(),
        ),
        (
            t.sumber_baseline.to_owned(),
            year.sumber_baseline.clone().unwrap_or_default(),
        ),
        (
            t.prevalensi_target.to_owned(),
            year.prevalensi_target
                .map(|v| format::persen(v, 2))
                .unwrap_or_default(),
        ),
    ];
    facts.push((
        t.terkunci.to_owned(),
        if year.terkunci { t.yes } else { t.no }.to_owned(),
    ));
    let names: Vec<&str> = t.realisasi_months.split(',').collect();
    let locked_names: Vec<&str> = locked_months
        .iter()
        .filter_map(|bulan| names.get((*bulan - 1) as usize).copied())
        .collect();
    facts.push((
        t.periode_locked_months.to_owned(),
        if locked_names.is_empty() {
            "-".to_owned()
        } else {
            locked_names.join(", ")
        },
    ));
    let mut actions = if user.role == Role::Admin {
        vec![
            (format!("/tahun/{tahun}/ubah"), t.edit.to_owned()),
            (
                format!("/tahun/{tahun}/periode"),
                t.periode_title.to_owned(),
            ),
        ]
    } else {
        vec![]
    };
    actions.push((
        format!("/tahun/{tahun}?format=xlsx"),
        t.download_xlsx.to_owned(),
    ));
    let forms = if editable {
        vec![InlineForm {
            action: format!("/tahun/{tahun}/lokus"),
            fields: vec![
                FormField::text("desa", t.lokus_add, lokus_input, true)
                    .with_kind(FieldKind::Textarea),
            ],
            submit: t.add.to_owned(),
        }]
    } else {
        vec![]
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ShowPage {
        ctx: PageCtx::new(state, user, t, "/tahun").await?,
        title: format!("{} {tahun}", t.tahun),
        facts,
        actions,
        errors,
        tables: vec![(t.lokus_title.to_owned(), table)],
        forms,
    };
    if as_workbook {
        return show_response(page, true, &format!("lokus-{tahun}")).await;
    }
    render_status(&page, status)
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    tahun: web::Path<i16>,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    show_page(
        &state,
        &user,
        lang.0,
        tahun.into_inner(),
        "",
        vec![],
        query.wants_xlsx(),
    )
    .await
}

fn form_fields(t: &Messages, input: &TahunInput, editing: bool) -> Vec<FormField> {
    let mut fields = Vec::new();
    if !editing {
        fields.push(FormField::text("tahun", t.tahun, &input.tahun, true));
    }
    fields.extend([
        FormField::text(
            "prevalensi_baseline",
            t.prevalensi_baseline,
            &input.prevalensi_baseline,
            false,
        ),
        FormField::text(
            "sumber_baseline",
            t.sumber_baseline,
            &input.sumber_baseline,
            false,
        ),
        FormField::text(
            "prevalensi_target",
            t.prevalensi_target,
            &input.prevalensi_target,
            false,
        ),
    ]);
    if editing {
        fields.push(
            FormField::text("terkunci", t.terkunci, "", false)
                .with_kind(FieldKind::Checkbox(input.terkunci.is_some())),
        );
    }
    fields
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    input: &TahunInput,
    editing: Option<i16>,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let (title, action, back) = match editing {
        Some(tahun) => (
            format!("{} {} {tahun}", t.edit, t.tahun),
            format!("/tahun/{tahun}/ubah"),
            format!("/tahun/{tahun}"),
        ),
        None => (
            t.tahun_new.to_owned(),
            "/tahun/baru".to_owned(),
            "/tahun".to_owned(),
        ),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        ctx: PageCtx::new(state, user, t, "/tahun").await?,
        title,
        action,
        fields: form_fields(t, input, editing.is_some()),
        errors,
        submit: t.save.to_owned(),
        back,
    };
    render_status(&page, status)
}

pub async fn new_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    form_page(&state, &user, lang.0, &TahunInput::default(), None, vec![]).await
}

pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<TahunInput>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let input = form.0;
    let (actor, kode_kabkota, attempt) = (user.actor(), user.kode_kabkota.clone(), input.clone());
    let result = state
        .db(move |conn| Ok(setup::create_tahun(conn, &actor, &kode_kabkota, &attempt)))
        .await?;
    form_outcome(
        result,
        lang,
        |created| async move { Ok(see_other(&format!("/tahun/{}", created.tahun))) },
        |errors| form_page(&state, &user, lang.0, &input, None, errors),
    )
    .await
}

pub async fn edit_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    tahun: web::Path<i16>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let tahun = tahun.into_inner();
    let kode_kabkota = user.kode_kabkota.clone();
    let year = state
        .db(move |conn| district::find_tahun(conn, &kode_kabkota, tahun)?.ok_or(AppError::NotFound))
        .await?;
    let input = TahunInput {
        tahun: year.tahun.to_string(),
        prevalensi_baseline: percent_text(year.prevalensi_baseline),
        sumber_baseline: year.sumber_baseline.unwrap_or_default(),
        prevalensi_target: percent_text(year.prevalensi_target),
        terkunci: year.terkunci.then(|| "on".into()),
    };
    form_page(&state, &user, lang.0, &input, Some(tahun), vec![]).await
}

pub async fn update(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    tahun: web::Path<i16>,
    form: CsrfForm<TahunInput>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let tahun = tahun.into_inner();
    let input = form.0;
    let (actor, kode_kabkota, attempt) = (user.actor(), user.kode_kabkota.clone(), input.clone());
    let result = state
        .db(move |conn| {
            Ok(setup::update_tahun(
                conn,
                &actor,
                &kode_kabkota,
                tahun,
                &attempt,
            ))
        })
        .await?;
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other(&format!("/tahun/{tahun}"))) },
        |errors| form_page(&state, &user, lang.0, &input, Some(tahun), errors),
    )
    .await
}

pub async fn add_lokus(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    tahun: web::Path<i16>,
    form: CsrfForm<LokusInput>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let tahun = tahun.into_inner();
    let input = form.0;
    let (actor, kode_kabkota, entries) =
        (user.actor(), user.kode_kabkota.clone(), input.desa.clone());
    let result = state
        .db(move |conn| {
            Ok(setup::add_lokus(
                conn,
                &actor,
                &kode_kabkota,
                tahun,
                &entries,
            ))
        })
        .await?;
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other(&format!("/tahun/{tahun}"))) },
        |errors| show_page(&state, &user, lang.0, tahun, &input.desa, errors, false),
    )
    .await
}

pub async fn remove_lokus(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    path: web::Path<(i16, String)>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let (tahun, kode_desa) = path.into_inner();
    let (actor, kode_kabkota) = (user.actor(), user.kode_kabkota.clone());
    let result = state
        .db(move |conn| {
            Ok(setup::remove_lokus(
                conn,
                &actor,
                &kode_kabkota,
                tahun,
                &kode_desa,
            ))
        })
        .await?;
    form_outcome(
        result,
        lang,
        |()| async move { Ok(see_other(&format!("/tahun/{tahun}"))) },
        |errors| show_page(&state, &user, lang.0, tahun, "", errors, false),
    )
    .await
}
