//! Workplan import pages: the history with the upload form, the dry-run report of one upload (with
//! its diff, errors and warnings), its commit, and the files it offers (original, annotated, template).

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use futures_util::StreamExt;

use crate::db::{budget, district, opd};
use crate::domain::Role;
use crate::domain::format::{ZonaWaktu, rupiah, tanggal_waktu};
use crate::error::{AppError, AppResult};
use crate::i18n::{Language, Message, MessageKey};
use crate::server::AppState;
use crate::services::import_workplan::{self, ImportRequest, Issue, Tahapan, status_message};
use crate::table::{Cell, Table};
use crate::web::extract::{CsrfForm, CurrentUser, Lang, NoFields, csrf_matches};
use crate::web::i18n::Messages;
use crate::web::page::{
    FieldKind, FormField, InlineForm, ListPage, ListQuery, PageCtx, ShowPage, list_response,
    render, render_status, see_other,
};

const IMPORTERS: [Role; 2] = [Role::Admin, Role::Opd];
/// Problems listed on the page; the annotated workbook and the JSON carry them all.
const ISSUES_SHOWN: usize = 500;

fn xlsx_response(bytes: Vec<u8>, file_name: &str) -> HttpResponse {
    let safe: String = file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "._- ".contains(*c))
        .collect();
    HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{safe}\""),
        ))
        .body(bytes)
}

/// Report keys as people read them (the JSON keeps `belum_ditandai`).
fn readable_key(t: &Messages, key: &str) -> String {
    if key == "belum_ditandai" {
        t.belum_ditandai.to_owned()
    } else {
        key.to_owned()
    }
}

fn amount(text: &str) -> Cell {
    Cell::Money(text.parse().unwrap_or_default())
}

/// The import gate; its turns are at most half the pool's connections, so ordinary requests
/// always have the other half.
fn import_gate(state: &AppState) -> &'static import_workplan::ImportGate {
    let budget = (state.pool.max_size() as usize / 2).max(1);
    import_workplan::gate(state.settings.max_concurrent_imports.min(budget))
}

/// The language of the catalogue messages made below the web layer, as the page's phrases.
fn language(t: &Messages) -> Language {
    Language::from_code(t.lang_code)
}

/// What the upload form remembers between attempts.
#[derive(Default, Clone)]
struct UploadInput {
    tahun: String,
    tahapan: String,
    opd: String,
    sheet: String,
    create_opds: bool,
}

async fn history_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    input: &UploadInput,
    errors: Vec<String>,
    as_workbook: bool,
) -> AppResult<HttpResponse> {
    let scope = user.scope();
    let kode_kabkota = user.kode_kabkota.clone();
    let ttl_hours = state.settings.preview_ttl_hours;
    let (batches, years, units) = state
        .db(move |conn| {
            import_workplan::expire_previews(conn, ttl_hours)?;
            let batches = budget::list_batches_for_scope(conn, &scope, 200)?;
            let years = district::list_tahun(conn, &kode_kabkota)?;
            let units = opd::list_for_scope(conn, &scope)?;
            Ok((batches, years, units))
        })
        .await?;
    let zone = ZonaWaktu::of_province(&user.kode_kabkota);
    let names: HashMap<i32, String> = units
        .iter()
        .map(|unit| (unit.id, unit.nama.clone()))
        .collect();
    let mut table = Table::new(&[
        "#",
        t.waktu,
        t.pelaku,
        t.impor_file_name,
        t.nav_opd,
        t.tahun,
        t.tahapan,
        t.impor_status,
        t.jumlah,
        t.impor_total,
    ]);
    for batch in batches {
        table.push(
            vec![
                Cell::text(batch.id.to_string()),
                Cell::text(tanggal_waktu(batch.created_at, zone)),
                Cell::text(batch.actor),
                Cell::text(batch.file_name),
                Cell::text(
                    batch
                        .opd_id
                        .and_then(|id| names.get(&id).cloned())
                        .unwrap_or_else(|| "-".into()),
                ),
                Cell::text(batch.tahun.to_string()),
                Cell::text(batch.tahapan),
                Cell::text(status_message(&batch.status).render(language(t))),
                Cell::Int(i64::from(batch.rows_accepted)),
                Cell::Money(batch.total_pagu),
            ],
            Some(format!("/impor/{}", batch.id)),
        );
    }
    let year_options: Vec<(String, String)> = years
        .iter()
        .map(|year| (year.tahun.to_string(), year.tahun.to_string()))
        .collect();
    let tahun = if input.tahun.is_empty() {
        year_options
            .first()
            .map(|(value, _)| value.clone())
            .unwrap_or_default()
    } else {
        input.tahun.clone()
    };
    let mut fields = vec![
        FormField::text("file", t.impor_file, "", true).with_kind(FieldKind::File),
        FormField::text("tahun", t.tahun, &tahun, true).with_kind(FieldKind::Select(year_options)),
        FormField::text("tahapan", t.tahapan, &input.tahapan, true).with_kind(FieldKind::Select(
            vec![
                ("murni".into(), "APBD murni".into()),
                ("perubahan".into(), "APBD perubahan".into()),
            ],
        )),
    ];
    if user.role == Role::Admin {
        let mut options = vec![(String::new(), "-".to_owned())];
        options.extend(
            units
                .iter()
                .filter(|unit| unit.aktif)
                .map(|unit| (unit.kode.clone(), unit.nama.clone())),
        );
        fields.push(
            FormField::text("opd", t.impor_opd_hint, &input.opd, false)
                .with_kind(FieldKind::Select(options)),
        );
    }
    fields.push(FormField::text("sheet", t.impor_sheet, &input.sheet, false));
    if user.role == Role::Admin {
        fields.push(
            FormField::text("create_opds", t.impor_create_opds, "", false)
                .with_kind(FieldKind::Checkbox(input.create_opds)),
        );
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ListPage {
        ctx: PageCtx::new(state, user, t, "/impor").await?,
        title: t.impor_title.to_owned(),
        intro: Some(t.impor_intro.to_owned()),
        actions: vec![(
            "/impor/templat.xlsx".to_owned(),
            t.impor_template.to_owned(),
        )],
        table,
        download: Some("/impor?format=xlsx".into()),
        form: Some(InlineForm {
            action: "/impor".into(),
            fields,
            submit: t.impor_upload.to_owned(),
        }),
        errors,
    };
    if as_workbook {
        let query = web::Query(ListQuery {
            format: Some("xlsx".into()),
        });
        return list_response(page, &query, "riwayat-impor");
    }
    render_status(&page, status)
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    user.require(&IMPORTERS)?;
    history_page(
        &state,
        &user,
        lang.0,
        &UploadInput::default(),
        vec![],
        query.wants_xlsx(),
    )
    .await
}

/// Reads the multipart upload: the form fields and the file, refusing a file above the limit.
async fn read_upload(
    mut payload: Multipart,
    limit: usize,
) -> Result<(HashMap<String, String>, Option<(String, Vec<u8>)>, bool), AppError> {
    let mut fields = HashMap::new();
    let mut file = None;
    let mut too_large = false;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|error| {
            AppError::BadRequest(format!("Unggahan tidak dapat dibaca: {error}"))
        })?;
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_owned);
        let field_limit = if file_name.is_some() {
            limit
        } else {
            64 * 1024
        };
        let mut data = Vec::new();
        let mut seen = 0usize;
        while let Some(chunk) = field.next().await {
            let chunk = chunk
                .map_err(|error| AppError::BadRequest(format!("Unggahan terputus: {error}")))?;
            seen += chunk.len();
            // keep reading past the limit (so the browser gets our answer, not a reset), up to a point
            if seen > field_limit.saturating_mul(4) {
                return Err(AppError::PayloadTooLarge(format!(
                    "Berkas lebih besar dari batas unggahan {} MB.",
                    limit / (1024 * 1024)
                )));
            }
            if seen <= field_limit {
                data.extend_from_slice(&chunk);
            }
        }
        if seen > field_limit {
            too_large = true;
            continue;
        }
        match file_name {
            Some(file_name) if name == "file" => file = Some((file_name, data)),
            _ => {
                fields.insert(name, String::from_utf8_lossy(&data).into_owned());
            }
        }
    }
    Ok((fields, file, too_large))
}

pub async fn upload(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    user.require(&IMPORTERS)?;
    // a turn before the body is read: waiting uploads hold neither memory nor a connection
    let _turn = import_gate(&state).turn().await;
    let t = lang.0;
    let limit_mb = state.settings.max_upload_mb as usize;
    let (fields, file, too_large) = read_upload(payload, limit_mb * 1024 * 1024).await?;
    if !csrf_matches(
        &user,
        fields
            .get("csrf_token")
            .map(String::as_str)
            .unwrap_or_default(),
    ) {
        return Err(AppError::Csrf);
    }
    let field = |name: &str| {
        fields
            .get(name)
            .map(|value| value.trim().to_owned())
            .unwrap_or_default()
    };
    let input = UploadInput {
        tahun: field("tahun"),
        tahapan: field("tahapan"),
        opd: field("opd"),
        sheet: field("sheet"),
        create_opds: user.role == Role::Admin && fields.contains_key("create_opds"),
    };
    let refuse = |message: String| history_page(&state, &user, t, &input, vec![message], false);
    if too_large {
        let response = refuse(format!("Berkas lebih besar dari batas unggahan {limit_mb} MB. Pecah berkasnya per OPD atau minta admin menaikkan batasnya.")).await?;
        let mut response = response;
        *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return Ok(response);
    }
    let Some((file_name, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else {
        return refuse("Pilih berkas .xlsx yang akan diunggah.".into()).await;
    };
    let Ok(tahun) = input.tahun.parse::<i16>() else {
        return refuse("Pilih tahun anggaran.".into()).await;
    };
    let Some(tahapan) = Tahapan::parse(&input.tahapan) else {
        return refuse("Pilih tahap anggaran (murni atau perubahan).".into()).await;
    };
    let (kode_kabkota, scope, actor) = (user.kode_kabkota.clone(), user.scope(), user.actor());
    let opd_kode = input.opd.clone();
    let is_admin = user.role == Role::Admin;
    let user_opd = user.opd_id;
    let request_base = ImportRequest {
        kode_kabkota: kode_kabkota.clone(),
        tahun,
        tahapan,
        opd_id: None,
        sheet: (!input.sheet.is_empty()).then(|| input.sheet.clone()),
        create_opds: input.create_opds,
        file_name,
        max_rows: state.settings.max_import_rows,
    };
    let ttl_hours = state.settings.preview_ttl_hours;
    let result = state
        .db(move |conn| {
            import_workplan::expire_previews(conn, ttl_hours)?;
            let opd_id = if is_admin {
                match opd_kode.as_str() {
                    "" => None,
                    kode => Some(
                        opd::find_by_kode(conn, &scope.kode_kabkota, kode)?
                            .ok_or(AppError::NotFound)?
                            .id,
                    ),
                }
            } else {
                user_opd
            };
            let request = ImportRequest {
                opd_id,
                ..request_base
            };
            Ok(import_workplan::preview(conn, &actor, &request, &bytes))
        })
        .await?;
    match result {
        Ok(report) => Ok(see_other(&format!(
            "/impor/{}",
            report.batch_id.unwrap_or_default()
        ))),
        Err(error) => match error.user_message() {
            Some(message) => refuse(message.render(language(t))).await,
            None => Err(error.into()),
        },
    }
}

fn issue_table(t: &Messages, issues: &[Issue], total: usize) -> Table {
    let language = language(t);
    let mut table = Table::new(&[t.baris, t.kolom, t.kolom_data, t.pesan]);
    for issue in issues.iter().take(ISSUES_SHOWN) {
        table.push(
            vec![
                Cell::Int(i64::from(issue.row)),
                Cell::text(issue.column.clone().unwrap_or_default()),
                Cell::text(issue.shown_field().to_owned()),
                Cell::text(issue.message.render(language)),
            ],
            None,
        );
    }
    let shown = issues.len().min(ISSUES_SHOWN);
    if total > shown {
        let more = Message::new(MessageKey::IssuesMore).arg(total - shown);
        table.push(
            vec![
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::text(more.render(language)),
            ],
            None,
        );
    }
    table
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    user.require(&IMPORTERS)?;
    let t = lang.0;
    let (id, scope) = (id.into_inner(), user.scope());
    let batch = state
        .db(move |conn| budget::find_batch_for_scope(conn, id, &scope)?.ok_or(AppError::NotFound))
        .await?;
    let report = import_workplan::stored_report(&batch);
    let zone = ZonaWaktu::of_province(&user.kode_kabkota);
    let rows = &report.rows;
    let mut facts = vec![
        (t.impor_file_name.to_owned(), batch.file_name.clone()),
        ("sha256".to_owned(), batch.sha256.clone()),
        (
            t.impor_status.to_owned(),
            status_message(&batch.status).render(language(t)),
        ),
        (t.waktu.to_owned(), tanggal_waktu(batch.created_at, zone)),
        (t.pelaku.to_owned(), batch.actor.clone()),
        (
            t.tahun.to_owned(),
            format!("{} ({})", batch.tahun, batch.tahapan),
        ),
        (
            t.impor_sheet_label.to_owned(),
            format!(
                "{} ({} {}, {} {})",
                report.sheet,
                t.impor_header_at,
                report.header_row,
                t.impor_layout,
                import_workplan::layout_message(&report.layout).render(language(t))
            ),
        ),
        (
            t.impor_rows.to_owned(),
            format!(
                "{} / {} / {} / {}",
                rows.read, rows.accepted, rows.skipped, rows.rejected
            ),
        ),
        (
            t.impor_total.to_owned(),
            rupiah(report.total_pagu.parse().unwrap_or_default()),
        ),
    ];
    if !report.skipped_by_reason.is_empty() {
        let reasons: Vec<String> = report
            .skipped_by_reason
            .iter()
            .map(|(reason, count)| {
                let reason = import_workplan::skip_reason_message(reason).render(language(t));
                format!("{reason}: {count}")
            })
            .collect();
        facts.push((t.impor_skipped.to_owned(), reasons.join(", ")));
    }
    if let Some(earlier) = report.same_file_as {
        facts.push((
            t.impor_same_file.to_owned(),
            format!("{} #{earlier}", t.impor_same_file_text),
        ));
    }
    let mut tables = Vec::new();
    if !report.errors.is_empty() {
        tables.push((
            format!("{} ({})", t.impor_errors, report.error_total()),
            issue_table(t, &report.errors, report.error_total()),
        ));
    }
    if !report.warnings.is_empty() {
        tables.push((
            format!("{} ({})", t.impor_warnings, report.warning_total()),
            issue_table(t, &report.warnings, report.warning_total()),
        ));
    }
    let mut by_jenis = Table::new(&[t.jenis, t.pagu]);
    for (jenis, pagu) in &report.pagu_by_jenis {
        by_jenis.push(vec![Cell::text(readable_key(t, jenis)), amount(pagu)], None);
    }
    tables.push((t.impor_by_jenis.to_owned(), by_jenis));
    let mut by_intervensi = Table::new(&[t.intervensi, t.pagu]);
    for (kode, pagu) in &report.pagu_by_intervensi {
        by_intervensi.push(vec![Cell::text(readable_key(t, kode)), amount(pagu)], None);
    }
    tables.push((t.impor_by_intervensi.to_owned(), by_intervensi));
    for (heading, shares) in [
        (t.impor_opds, &report.opds),
        (t.impor_unknown_opds, &report.unknown_opds),
        (t.impor_other_opds, &report.other_opds),
    ] {
        if shares.is_empty() {
            continue;
        }
        let mut table = Table::new(&[t.kode, t.nama, t.jumlah, t.pagu]);
        for share in shares {
            let pagu = if share.pagu.is_empty() {
                Cell::Empty
            } else {
                amount(&share.pagu)
            };
            table.push(
                vec![
                    Cell::text(share.kode.clone()),
                    Cell::text(share.nama.clone()),
                    Cell::Int(share.rows as i64),
                    pagu,
                ],
                None,
            );
        }
        tables.push((heading.to_owned(), table));
    }
    let diff = &report.diff;
    if diff.changed + diff.removed + diff.unchanged > 0 {
        let mut table = Table::new(&[
            t.perubahan_jenis,
            t.nav_opd,
            t.sub_kegiatan,
            t.kode_rekening,
            t.uraian,
            t.sebelum,
            t.sesudah,
        ]);
        for change in &diff.changes {
            table.push(
                vec![
                    Cell::text(
                        import_workplan::change_kind_message(&change.kind).render(language(t)),
                    ),
                    Cell::text(change.opd.clone()),
                    Cell::text(change.sub_kegiatan_kode.clone()),
                    Cell::text(change.kode_rekening.clone()),
                    Cell::text(change.uraian.clone()),
                    change.pagu_before.as_deref().map_or(Cell::Empty, amount),
                    change.pagu_after.as_deref().map_or(Cell::Empty, amount),
                ],
                None,
            );
        }
        let heading = format!(
            "{}: {}",
            t.impor_diff,
            import_workplan::diff_summary(diff).render(language(t))
        );
        tables.push((heading, table));
    }
    // a discarded upload's file is gone
    let kept = batch.status != "discarded";
    let mut actions = Vec::new();
    if kept {
        actions.push((format!("/impor/{id}/berkas"), t.impor_original.to_owned()));
    }
    if kept && (!report.errors.is_empty() || !report.warnings.is_empty()) {
        actions.push((
            format!("/impor/{id}/catatan.xlsx"),
            t.impor_annotated.to_owned(),
        ));
    }
    let forms = if batch.status == "preview" {
        vec![InlineForm {
            action: format!("/impor/{id}/simpan"),
            fields: vec![],
            submit: t.impor_commit.to_owned(),
        }]
    } else {
        vec![]
    };
    let page = ShowPage {
        ctx: PageCtx::new(&state, &user, t, "/impor").await?,
        title: format!("{} #{id}", t.impor_title),
        facts,
        actions,
        errors: vec![],
        tables,
        forms,
    };
    render(&page)
}

pub async fn commit(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    user.require(&IMPORTERS)?;
    let (id, scope, actor) = (id.into_inner(), user.scope(), user.actor());
    let _turn = import_gate(&state).turn().await;
    let result = state
        .db(move |conn| Ok(import_workplan::commit_preview(conn, &actor, &scope, id)))
        .await?;
    match result {
        Ok(_) => Ok(see_other(&format!("/impor/{id}"))),
        Err(error) => {
            let Some(message) = error.user_message().map(|m| m.render(language(lang.0))) else {
                return Err(error.into());
            };
            history_page(
                &state,
                &user,
                lang.0,
                &UploadInput::default(),
                vec![message],
                false,
            )
            .await
            .map(|mut response| {
                *response.status_mut() = StatusCode::CONFLICT;
                response
            })
        }
    }
}

pub async fn original(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    user.require(&IMPORTERS)?;
    let (id, scope) = (id.into_inner(), user.scope());
    let (batch, bytes) = state
        .db(move |conn| {
            let batch =
                budget::find_batch_for_scope(conn, id, &scope)?.ok_or(AppError::NotFound)?;
            let bytes = budget::batch_file(conn, id)?;
            Ok((batch, bytes))
        })
        .await?;
    Ok(xlsx_response(bytes, &batch.file_name))
}

pub async fn annotated(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    user.require(&IMPORTERS)?;
    // rewriting a whole sheet is an import's worth of memory: it waits its turn like one
    let _turn = import_gate(&state).turn().await;
    let (id, scope) = (id.into_inner(), user.scope());
    let (batch, bytes) = state
        .db(move |conn| {
            let batch =
                budget::find_batch_for_scope(conn, id, &scope)?.ok_or(AppError::NotFound)?;
            let bytes = budget::batch_file(conn, id)?;
            Ok((batch, bytes))
        })
        .await?;
    let report = import_workplan::stored_report(&batch);
    let language = language(lang.0);
    let workbook = web::block(move || {
        import_workplan::error_workbook(&report, &bytes, language).map_err(AppError::from)
    })
    .await??;
    let stem = batch.file_name.trim_end_matches(".xlsx");
    Ok(xlsx_response(
        workbook,
        &format!("{stem}-catatan-impor.xlsx"),
    ))
}

#[derive(serde::Deserialize)]
pub struct TemplateQuery {
    pub tahun: Option<i16>,
}

pub async fn template(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<TemplateQuery>,
) -> AppResult<HttpResponse> {
    user.require(&IMPORTERS)?;
    let (kode_kabkota, tahun) = (user.kode_kabkota.clone(), query.tahun);
    let bytes = state
        .db(move |conn| Ok(import_workplan::template_for(conn, &kode_kabkota, tahun)?))
        .await?;
    Ok(xlsx_response(bytes, "templat-rencana-kerja-lokus.xlsx"))
}
