//! Workplan import pages: the history with the upload form, the dry-run report of one upload (with
//! its diff, errors and warnings), its commit, and the files it offers (original, annotated, template).

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use futures_util::StreamExt;

use crate::db::job as db_job;
use crate::db::{budget_line, district, opd};
use crate::domain::format::{ZonaWaktu, rupiah, tanggal_waktu};
use crate::domain::{BatchStatus, Role};
use crate::error::{AppError, AppResult};
use crate::i18n::phrases::Messages;
use crate::i18n::{Language, Message, MessageKey};
use crate::services::import::{
    self, CommitOptions, Diff, ImportKind, ImportReport, ImportRequest, Issue, Silent, Tahapan,
    status_message,
};
use crate::services::{import_jobs, jobs};
use crate::state::AppState;
use crate::table::{Cell, Table};
use crate::web::extract::{CsrfForm, CurrentUser, Lang, csrf_matches};
use crate::web::page::{
    FieldKind, FormField, InlineForm, ListPage, ListQuery, PageCtx, list_response, render_status,
    see_other,
};

const IMPORTERS: [Role; 3] = [Role::Admin, Role::Opd, Role::Baas];
/// Leadership reads the import history and its reports (PRODUCT.md: everything, read-only); the
/// BAAS desk reads its own children imports.
const READERS: [Role; 4] = [Role::Admin, Role::Opd, Role::Pimpinan, Role::Baas];

/// baas-import: a children import holds personal data (its stored file has whole NIKs), so only
/// the BAAS desk sees the BAAS batches, and the desk sees no others.
fn kind_visible(role: Role, kind: ImportKind) -> bool {
    (role == Role::Baas) == matches!(kind, ImportKind::BaasAnak | ImportKind::BaasSponsor)
}
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
/// always have the other half. The job workers of `lokus serve` take their turns at the same gate.
fn import_gate(state: &AppState) -> &'static import::ImportGate {
    import::gate(import::gate_limit(
        state.settings.max_concurrent_imports,
        Some(state.pool.max_size()),
    ))
}

/// Uploads above this many bytes are analysed and committed as background jobs (helper "jobs").
fn job_threshold(state: &AppState) -> u64 {
    u64::from(state.settings.import_job_threshold_kb) * 1024
}

/// The language of the catalogue messages made below the web layer, as the page's phrases.
fn language(t: &Messages) -> Language {
    Language::from_code(t.lang_code)
}

/// The import kind a page is about: `?jenis=` on the upload page, the form's choice after a
/// refused upload; a workplan when none is named (as before kinds).
fn page_kind(name: &str) -> ImportKind {
    ImportKind::try_from(name.to_owned()).unwrap_or(ImportKind::Workplan)
}

/// The menu entry (and upload page) of an import kind, so its pages light up their own entry.
fn menu_path(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Realisasi => "/impor?jenis=realisasi",
        _ => "/impor",
    }
}

/// What the upload form remembers between attempts.
#[derive(Default, Clone)]
struct UploadInput {
    kind: String,
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
            import::expire_previews(conn, ttl_hours)?;
            let batches = budget_line::list_batches_for_scope(conn, &scope, 200)?;
            let years = district::list_tahun(conn, &kode_kabkota)?;
            let units = opd::list_for_scope(conn, &scope)?;
            Ok((batches, years, units))
        })
        .await?;
    let zone = ZonaWaktu::of_province(&user.kode_kabkota);
    // the page is named for its kind; the history below is every kind's, one list
    // (the BAAS desk imports only its own kinds: children unless it named sponsors)
    let kind = match (user.role, page_kind(&input.kind)) {
        (Role::Baas, chosen @ (ImportKind::BaasAnak | ImportKind::BaasSponsor)) => chosen,
        (Role::Baas, _) => ImportKind::BaasAnak,
        (_, chosen) => chosen,
    };
    let names: HashMap<i32, String> = units
        .iter()
        .map(|unit| (unit.id, unit.nama.clone()))
        .collect();
    let mut table = Table::new(&[
        "#",
        t.waktu,
        t.pelaku,
        t.impor_kind,
        t.impor_file_name,
        t.nav_opd,
        t.tahun,
        t.tahapan,
        t.impor_status,
        t.jumlah,
        t.impor_total,
    ]);
    for batch in batches
        .into_iter()
        .filter(|b| kind_visible(user.role, b.kind))
    {
        table.push(
            vec![
                Cell::text(batch.id.to_string()),
                Cell::text(tanggal_waktu(batch.created_at, zone)),
                Cell::text(batch.actor),
                Cell::text(t.import_kind_word(batch.kind)),
                Cell::text(batch.file_name),
                Cell::text(
                    batch
                        .opd_id
                        .and_then(|id| names.get(&id).cloned())
                        .unwrap_or_else(|| "-".into()),
                ),
                Cell::text(batch.tahun.to_string()),
                Cell::text(t.tahapan_word(batch.tahapan.as_str())),
                Cell::text(status_message(batch.status.as_str()).render(language(t))),
                Cell::Int(i64::from(batch.rows_accepted)),
                match batch.kind {
                    ImportKind::Workplan => Cell::Money(batch.total_pagu),
                    ImportKind::Realisasi | ImportKind::BaasAnak => Cell::Empty,
                    // the sponsors' pledges
                    ImportKind::BaasSponsor => Cell::Money(batch.total_pagu),
                },
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
    // the BAAS desk imports children; the others workplans and realisation
    let kinds = if user.role == Role::Baas {
        vec![
            ("baas_anak".into(), t.impor_kind_baas_long.into()),
            ("baas_sponsor".into(), t.impor_kind_baas_sponsor_long.into()),
        ]
    } else {
        vec![
            ("workplan".into(), t.impor_kind_workplan_long.into()),
            ("realisasi".into(), t.impor_kind_realisasi_long.into()),
        ]
    };
    let mut fields = vec![
        FormField::text("file", t.impor_file, "", true).with_kind(FieldKind::File),
        FormField::text("kind", t.impor_kind, kind.as_str(), true)
            .with_kind(FieldKind::Select(kinds)),
        FormField::text("tahun", t.tahun, &tahun, true).with_kind(FieldKind::Select(year_options)),
    ];
    if user.role != Role::Baas {
        fields.push(
            FormField::text("tahapan", t.tahapan, &input.tahapan, true).with_kind(
                FieldKind::Select(vec![
                    ("murni".into(), t.tahapan_murni_apbd.into()),
                    ("perubahan".into(), t.tahapan_perubahan_apbd.into()),
                ]),
            ),
        );
    }
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
    // leadership reads the history; only importers get the upload form and the template
    let can_upload = IMPORTERS.contains(&user.role);
    let mut actions = Vec::new();
    if can_upload {
        match kind {
            ImportKind::Workplan => actions.push((
                "/impor/templat.xlsx".to_owned(),
                t.impor_template.to_owned(),
            )),
            // an officer's own OPD's form; an admin picks the OPD on the budget lines
            ImportKind::Realisasi if user.role == Role::Opd => actions.push((
                "/realisasi/formulir.xlsx".to_owned(),
                t.realisasi_form_download.to_owned(),
            )),
            ImportKind::BaasAnak | ImportKind::BaasSponsor => actions.extend([
                (
                    "/impor/templat.xlsx".to_owned(),
                    t.impor_template.to_owned(),
                ),
                (
                    "/impor/templat.xlsx?jenis=baas_sponsor".to_owned(),
                    t.impor_baas_sponsor_template.to_owned(),
                ),
            ]),
            _ => {}
        }
        // large imports run as background jobs (helper "jobs")
        actions.push(("/tugas".to_owned(), t.tugas_list.to_owned()));
    }
    let download = match kind {
        ImportKind::Workplan => "/impor?format=xlsx".to_owned(),
        _ => format!("{}&format=xlsx", menu_path(kind)),
    };
    let page = ListPage {
        ctx: PageCtx::new(state, user, t, menu_path(kind)).await?,
        title: t.import_title(kind).to_owned(),
        intro: can_upload.then(|| t.import_intro(kind).to_owned()),
        actions,
        table,
        download: Some(download),
        form: can_upload.then(|| InlineForm {
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
        return list_response(page, &query, "riwayat-impor").await;
    }
    render_status(&page, status)
}

#[derive(serde::Deserialize)]
pub struct HistoryQuery {
    pub format: Option<String>,
    /// The kind the upload page is for (`realisasi`); none: a workplan.
    pub jenis: Option<String>,
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<HistoryQuery>,
) -> AppResult<HttpResponse> {
    user.require(&READERS)?;
    let input = UploadInput {
        kind: query.jenis.clone().unwrap_or_default(),
        ..UploadInput::default()
    };
    let as_workbook = query.format.as_deref() == Some("xlsx");
    history_page(&state, &user, lang.0, &input, vec![], as_workbook).await
}

/// Parts an upload may have: its few text fields (CSRF token, year, stage, sheet, options) and the
/// file; and the size of one text field.
const MAX_UPLOAD_PARTS: usize = 16;
const MAX_UPLOAD_TEXT_FIELD_BYTES: usize = 4 * 1024;

/// Reads the multipart upload: the form fields and the file, refusing a file above the limit.
async fn read_upload(
    mut payload: Multipart,
    limit: usize,
) -> Result<(HashMap<String, String>, Option<(String, Vec<u8>)>, bool), AppError> {
    let mut fields = HashMap::new();
    let mut file = None;
    let mut too_large = false;
    let mut parts = 0usize;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|error| {
            tracing::info!(%error, "upload refused: unreadable multipart");
            AppError::bad_request(MessageKey::UploadUnreadable)
        })?;
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_owned);
        // the upload form has a handful of short fields and one file: anything beyond that is
        // refused before it is read, so a request cannot fill memory with fields
        parts += 1;
        if parts > MAX_UPLOAD_PARTS || (file_name.is_some() && (name != "file" || file.is_some())) {
            return Err(AppError::bad_request(MessageKey::UploadFormMalformed));
        }
        let field_limit = if file_name.is_some() {
            limit
        } else {
            MAX_UPLOAD_TEXT_FIELD_BYTES
        };
        let mut data = Vec::new();
        let mut seen = 0usize;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|error| {
                tracing::info!(%error, "upload refused: interrupted");
                AppError::bad_request(MessageKey::UploadInterrupted)
            })?;
            seen += chunk.len();
            if file_name.is_none() && seen > field_limit {
                return Err(AppError::bad_request(MessageKey::UploadFormMalformed));
            }
            // keep reading past the limit (so the browser gets our answer, not a reset), up to a point
            if seen > field_limit.saturating_mul(4) {
                return Err(AppError::Service(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    Message::new(MessageKey::UploadTooLarge).arg(limit / (1024 * 1024)),
                ));
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
        kind: field("kind"),
        tahun: field("tahun"),
        tahapan: field("tahapan"),
        opd: field("opd"),
        sheet: field("sheet"),
        create_opds: user.role == Role::Admin && fields.contains_key("create_opds"),
    };
    let refuse = |message: String| history_page(&state, &user, t, &input, vec![message], false);
    if too_large {
        let response = refuse(t.impor_too_large.replace("{mb}", &limit_mb.to_string())).await?;
        let mut response = response;
        *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return Ok(response);
    }
    let Some((file_name, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else {
        return refuse(t.impor_no_file.to_owned()).await;
    };
    let Ok(tahun) = input.tahun.parse::<i16>() else {
        return refuse(t.impor_no_year.to_owned()).await;
    };
    // an upload without a kind is a workplan, as before kinds (the desk's: children)
    let kind = match input.kind.as_str() {
        "" if user.role == Role::Baas => ImportKind::BaasAnak,
        "" => ImportKind::Workplan,
        kind => match ImportKind::try_from(kind.to_owned()) {
            Ok(kind) => kind,
            Err(_) => return refuse(t.impor_no_kind.to_owned()).await,
        },
    };
    if !kind_visible(user.role, kind) {
        return refuse(t.impor_no_kind.to_owned()).await;
    }
    // a realisation import records against the workplan as it stands, whatever its stage
    let tahapan = match (kind, Tahapan::parse(&input.tahapan)) {
        (_, Some(tahapan)) => tahapan,
        (ImportKind::Realisasi | ImportKind::BaasAnak | ImportKind::BaasSponsor, None) => {
            Tahapan::Murni
        }
        (ImportKind::Workplan, None) => return refuse(t.impor_no_stage.to_owned()).await,
    };
    let (kode_kabkota, scope, actor) = (user.kode_kabkota.clone(), user.scope(), user.actor());
    let opd_kode = input.opd.clone();
    let is_admin = user.role == Role::Admin;
    let user_opd = user.opd_id;
    let request_base = ImportRequest {
        kind,
        kode_kabkota: kode_kabkota.clone(),
        tahun,
        tahapan,
        opd_id: None,
        sheet: (!input.sheet.is_empty()).then(|| input.sheet.clone()),
        create_opds: input.create_opds,
        file_name,
        max_rows: state.settings.max_import_rows,
        rules: crate::services::record_realisation::Rules {
            fisik_tolerance_percent: state.settings.fisik_tolerance_percent,
        },
    };
    let ttl_hours = state.settings.preview_ttl_hours;
    // a large file is analysed as a job, with a progress bar (helper "jobs")
    let as_job = bytes.len() as u64 > job_threshold(&state);
    let result = state
        .db(move |conn| {
            import::expire_previews(conn, ttl_hours)?;
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
            if as_job {
                let payload = serde_json::json!(import_jobs::AnalysePayload::from(&request));
                return Ok(jobs::enqueue_with_file(
                    conn,
                    import_jobs::ANALYSE,
                    &payload,
                    Some(&bytes),
                    &actor,
                )
                .map(Err));
            }
            Ok(import::preview(conn, &actor, &request, &bytes, &Silent).map(Ok))
        })
        .await?;
    match result {
        Ok(Err(job)) => Ok(see_other(&format!("/tugas/{job}"))),
        Ok(Ok(report)) => Ok(see_other(&format!(
            "/impor/{}",
            report.batch_id.unwrap_or_default()
        ))),
        Err(error) => match error.user_message() {
            Some(message) => refuse(message.render(language(t))).await,
            None => Err(error.into()),
        },
    }
}

/// One problem as the report lists it.
pub struct IssueRow {
    pub row: u32,
    pub column: String,
    pub field: String,
    pub message: String,
}

/// A field as the user's sheet names it (`Desa Lokus`), not its key in the JSON (`desa_lokus`).
fn field_header(key: &str) -> String {
    use crate::spreadsheet::columns::{Field, TEMPLATE_FIELDS};
    TEMPLATE_FIELDS
        .iter()
        .copied()
        .chain([
            Field::KodeOpd,
            Field::NamaOpd,
            Field::Tahun,
            Field::NamaRekening,
            Field::NamaStandarHarga,
        ])
        .find(|field| field.key() == key)
        .map_or_else(
            || key.to_owned(),
            |field| field.template_header().to_owned(),
        )
}

/// The problems shown (at most `ISSUES_SHOWN`), and a last row saying how many more there are.
fn issue_rows(t: &Messages, issues: &[Issue], total: usize) -> Vec<IssueRow> {
    let language = language(t);
    let mut rows: Vec<IssueRow> = issues
        .iter()
        .take(ISSUES_SHOWN)
        .map(|issue| IssueRow {
            row: issue.row,
            column: issue.column.clone().unwrap_or_default(),
            // the header the file itself has; lokus's template header for older reports
            field: if issue.header.is_empty() && issue.column.is_some() {
                field_header(&issue.field)
            } else {
                issue.shown_field().to_owned()
            },
            message: issue.message.render(language),
        })
        .collect();
    let shown = rows.len();
    if total > shown {
        rows.push(IssueRow {
            row: 0,
            column: String::new(),
            field: String::new(),
            message: Message::new(MessageKey::IssuesMore)
                .arg(total - shown)
                .render(language),
        });
    }
    rows
}

/// One line of the report's facts, linked when it names a record the reader may open.
pub struct Fact {
    pub label: String,
    pub value: String,
    pub link: Option<String>,
}

fn fact(label: &str, value: String) -> Fact {
    Fact {
        label: label.to_owned(),
        value,
        link: None,
    }
}

/// The commit button of a preview, with what it will do when that is more than adding lines.
pub struct CommitForm {
    pub action: String,
    /// Non-empty when the commit removes lines or lowers the total: a checkbox must then be ticked.
    pub warnings: Vec<String>,
    /// Removed lines hold realisation: said, and a checkbox of its own must be ticked.
    pub realisasi: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "import.html")]
struct ReportPage {
    ctx: PageCtx,
    title: String,
    notice: Option<String>,
    errors: Vec<String>,
    problems: Vec<(String, Vec<IssueRow>)>,
    facts: Vec<Fact>,
    actions: Vec<(String, String)>,
    commit: Option<CommitForm>,
    /// Why a preview cannot be committed, when that is not obvious from its errors.
    blocked: Option<&'static str>,
    tables: Vec<(String, Table)>,
}

fn money_of(text: &str) -> rust_decimal::Decimal {
    text.parse().unwrap_or_default()
}

/// What committing this diff does beyond adding and changing lines, said plainly (empty: nothing).
fn commit_warnings(t: &Messages, diff: &Diff) -> Vec<String> {
    let (before, after) = (money_of(&diff.total_before), money_of(&diff.total_after));
    let mut warnings = Vec::new();
    if diff.removed > 0 {
        warnings.push(
            t.impor_commit_removes
                .replace("{hapus}", &diff.removed.to_string()),
        );
    }
    if after < before {
        warnings.push(
            t.impor_commit_lowers
                .replace("{sebelum}", &rupiah(before))
                .replace("{sesudah}", &rupiah(after)),
        );
    }
    warnings
}

/// What moves with removed lines, when some hold realisation.
fn removed_realisation(t: &Messages, diff: &Diff) -> Option<String> {
    (diff.removed_with_realisasi > 0).then(|| {
        t.impor_commit_removes_realisasi
            .replace("{lines}", &diff.removed_with_realisasi.to_string())
            .replace("{amount}", &rupiah(money_of(&diff.removed_realisasi)))
    })
}

fn committed_notice(t: &Messages, diff: &Diff) -> String {
    t.impor_committed
        .replace("{tambah}", &diff.added.to_string())
        .replace("{ubah}", &diff.changed.to_string())
        .replace("{hapus}", &diff.removed.to_string())
        .replace("{tetap}", &diff.unchanged.to_string())
        .replace("{sebelum}", &rupiah(money_of(&diff.total_before)))
        .replace("{sesudah}", &rupiah(money_of(&diff.total_after)))
}

/// The workplan kind's tables: pagu by jenis and intervention, the OPDs, the line diff.
fn workplan_tables(t: &Messages, report: &ImportReport, tables: &mut Vec<(String, Table)>) {
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
                    Cell::text(match &change.realisasi {
                        Some(spent) => format!(
                            "{} ({} {})",
                            import::change_kind_message(&change.kind).render(language(t)),
                            t.realisasi_link,
                            rupiah(money_of(spent))
                        ),
                        None => import::change_kind_message(&change.kind).render(language(t)),
                    }),
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
            import::diff_summary(diff).render(language(t))
        );
        tables.push((heading, table));
    }
}

/// The realisation kind's table: every month the file replaces, before and after. The line page's
/// narrow set of columns (the line, the month, keuangan and fisik), so it fits 1280 px without a
/// sideways scroll: the line's id links to its page, which shows its codes; on a phone each month
/// is a card.
fn realisasi_tables(t: &Messages, report: &ImportReport, tables: &mut Vec<(String, Table)>) {
    let diff = &report.realisasi;
    let months: Vec<&str> = t.realisasi_months.split(',').collect();
    let mut table = Table::new(&[
        t.impor_line_id,
        t.uraian,
        t.realisasi_bulan,
        t.impor_keuangan_before,
        t.impor_keuangan_after,
        t.impor_fisik_before,
        t.impor_fisik_after,
    ]);
    let quantity = |value: &Option<String>| {
        value
            .as_deref()
            .map_or(Cell::Empty, |text| match text.parse() {
                Ok(number) => Cell::Number(number),
                Err(_) => Cell::text(text),
            })
    };
    for change in &diff.changes {
        let month = months
            .get(usize::try_from(change.bulan - 1).unwrap_or_default())
            .copied()
            .unwrap_or_default();
        table.push(
            vec![
                Cell::Int(change.line_id),
                Cell::text(change.uraian.clone()),
                Cell::text(month.to_owned()),
                change
                    .keuangan_before
                    .as_deref()
                    .map_or(Cell::Empty, amount),
                change.keuangan_after.as_deref().map_or(Cell::Empty, amount),
                quantity(&change.fisik_before),
                quantity(&change.fisik_after),
            ],
            Some(format!("/realisasi/baris/{}", change.line_id)),
        );
    }
    let heading = t
        .impor_realisasi_diff
        .replace("{months}", &diff.months_changed.to_string())
        .replace("{lines}", &diff.lines_changed.to_string())
        .replace("{sebelum}", &rupiah(money_of(&diff.total_before)))
        .replace("{sesudah}", &rupiah(money_of(&diff.total_after)));
    tables.push((heading, table));
}

/// baas-import: the children kind's table (masked NIK only) and its consent fact.
fn baas_tables(
    t: &Messages,
    report: &ImportReport,
    facts: &mut Vec<Fact>,
    tables: &mut Vec<(String, Table)>,
) {
    let baas = &report.baas;
    let consent = if baas.persetujuan_oleh.is_empty() {
        Message::new(MessageKey::BaasImportConsentPending)
    } else {
        Message::new(MessageKey::BaasImportConsentRecorded)
            .arg(&baas.persetujuan_oleh)
            .arg(&baas.persetujuan_tanggal)
    };
    facts.push(fact(t.impor_baas_consent, consent.render(language(t))));
    let mut table = Table::new(&[
        t.baas_baris,
        t.nama,
        t.baas_nik,
        t.baas_jk,
        t.baas_tgl_lahir,
        t.desa,
        t.asuh_tanggal,
        t.asuh_bb,
        t.asuh_tb,
        t.baas_zs_tbu,
        t.baas_status_tbu,
        t.impor_baas_child_id,
    ]);
    let text = |value: &Option<String>| value.clone().map_or(Cell::Empty, Cell::text);
    for line in &baas.rows {
        table.push(
            vec![
                Cell::Int(i64::from(line.row)),
                Cell::text(line.nama.clone()),
                Cell::text(line.nik_masked.clone()),
                Cell::text(line.jk.clone()),
                Cell::text(line.tgl_lahir.clone()),
                Cell::text(format!("{} {}", line.kode_desa, line.desa)),
                text(&line.tanggal_ukur),
                text(&line.bb),
                text(&line.tb),
                text(&line.zs_tbu),
                text(&line.status_tbu),
                line.child_id
                    .map_or(Cell::Empty, |id| Cell::Int(i64::from(id))),
            ],
            None,
        );
    }
    let heading = t
        .impor_baas_children
        .replace("{n}", &baas.children.to_string())
        .replace("{m}", &baas.measurements.to_string());
    tables.push((heading, table));
}

/// baas-import: the sponsors kind's table.
fn sponsor_tables(t: &Messages, report: &ImportReport, tables: &mut Vec<(String, Table)>) {
    let mut table = Table::new(&[
        t.baas_baris,
        t.nama,
        t.baas_jenis_sponsor,
        t.baas_kontak,
        t.baas_ekspor_children,
        t.baas_bulan_janji,
        t.baas_rupiah_per_bulan,
        t.baas_janji_sponsor,
        t.baas_akun_login,
        t.impor_baas_sponsor_id,
    ]);
    for line in &report.baas.sponsor_rows {
        table.push(
            vec![
                Cell::Int(i64::from(line.row)),
                Cell::text(line.nama.clone()),
                Cell::text(line.jenis.clone()),
                Cell::text(line.kontak.clone()),
                Cell::Int(i64::from(line.janji_anak)),
                Cell::Int(i64::from(line.janji_bulan)),
                amount(&line.janji_rupiah_per_bulan),
                amount(&line.janji_total),
                Cell::text(line.login.clone()),
                line.sponsor_id
                    .map_or(Cell::Empty, |id| Cell::Int(i64::from(id))),
            ],
            None,
        );
    }
    let heading = t
        .impor_baas_sponsors
        .replace("{n}", &report.baas.sponsors.to_string());
    tables.push((heading, table));
}

/// A preview with lines and no errors, which an importer may commit.
fn committable(batch: &budget_line::ImportBatch, report: &ImportReport) -> bool {
    batch.status == BatchStatus::Preview && report.rows.accepted > 0
}

#[derive(serde::Deserialize)]
pub struct ReportQuery {
    /// Set by the redirect after a commit, to say what changed.
    pub disimpan: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i64>,
    query: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    user.require(&READERS)?;
    report_page(
        &state,
        &user,
        lang.0,
        id.into_inner(),
        query.disimpan.is_some(),
        vec![],
    )
    .await
}

async fn report_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    id: i64,
    just_committed: bool,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let scope = user.scope();
    let viewer = user.role;
    let (batch, earlier_visible, job) = state
        .db(move |conn| {
            let batch = budget_line::find_batch_for_scope(conn, id, &scope)?
                .filter(|batch| kind_visible(viewer, batch.kind))
                .ok_or(AppError::NotFound)?;
            let job = db_job::active_for_batch(conn, &scope.kode_kabkota, id)?;
            let report = import::stored_report(&batch);
            // the duplicate-file note links only to an import this reader may open
            let earlier = report.same_file_as;
            let earlier_visible = match earlier {
                Some(earlier) => {
                    budget_line::find_batch_for_scope(conn, earlier, &scope)?.is_some()
                }
                None => false,
            };
            Ok((batch, earlier_visible, job))
        })
        .await?;
    let report = import::stored_report(&batch);
    let zone = ZonaWaktu::of_province(&user.kode_kabkota);
    let rows = &report.rows;
    let mut facts = vec![
        fact(t.impor_file_name, batch.file_name.clone()),
        fact(
            t.impor_status,
            status_message(batch.status.as_str()).render(language(t)),
        ),
        fact(t.waktu, tanggal_waktu(batch.created_at, zone)),
        fact(t.pelaku, batch.actor.clone()),
        fact(t.impor_kind, t.import_kind_word(batch.kind).to_owned()),
        fact(
            t.tahun,
            match batch.kind {
                ImportKind::Workplan => format!(
                    "{} ({})",
                    batch.tahun,
                    t.tahapan_word(batch.tahapan.as_str())
                ),
                ImportKind::Realisasi | ImportKind::BaasAnak | ImportKind::BaasSponsor => {
                    batch.tahun.to_string()
                }
            },
        ),
        fact(
            t.impor_rows,
            format!(
                "{} / {} / {} / {}",
                rows.read, rows.accepted, rows.skipped, rows.rejected
            ),
        ),
        fact(
            t.impor_sheet_label,
            format!(
                "{} ({} {}, {} {})",
                report.sheet,
                t.impor_header_at,
                report.header_row,
                t.impor_layout,
                import::layout_message(&report.layout).render(language(t))
            ),
        ),
    ];
    if !report.skipped_by_reason.is_empty() {
        let reasons: Vec<String> = report
            .skipped_by_reason
            .iter()
            .map(|(reason, count)| {
                let reason = import::skip_reason_message(reason).render(language(t));
                format!("{reason}: {count}")
            })
            .collect();
        facts.push(fact(t.impor_skipped, reasons.join(", ")));
    }
    if let Some(earlier) = report.same_file_as {
        facts.push(if earlier_visible {
            Fact {
                label: t.impor_same_file.to_owned(),
                value: format!("{} #{earlier}", t.impor_same_file_text),
                link: Some(format!("/impor/{earlier}")),
            }
        } else {
            fact(t.impor_same_file, t.impor_same_file_elsewhere.to_owned())
        });
    }
    if batch.kind == ImportKind::Workplan {
        facts.push(fact(t.impor_total, rupiah(money_of(&report.total_pagu))));
    }
    facts.push(fact("sha256", batch.sha256.clone()));
    if let Some(job) = job {
        facts.push(Fact {
            label: t.tugas_title.to_owned(),
            value: format!("#{job}"),
            link: Some(format!("/tugas/{job}")),
        });
    }
    let mut problems = Vec::new();
    if !report.errors.is_empty() {
        problems.push((
            format!("{} ({})", t.impor_errors, report.error_total()),
            issue_rows(t, &report.errors, report.error_total()),
        ));
    }
    if !report.warnings.is_empty() {
        problems.push((
            format!("{} ({})", t.impor_warnings, report.warning_total()),
            issue_rows(t, &report.warnings, report.warning_total()),
        ));
    }
    let mut tables = Vec::new();
    match batch.kind {
        ImportKind::Workplan => workplan_tables(t, &report, &mut tables),
        ImportKind::Realisasi => realisasi_tables(t, &report, &mut tables),
        ImportKind::BaasAnak => baas_tables(t, &report, &mut facts, &mut tables),
        ImportKind::BaasSponsor => sponsor_tables(t, &report, &mut tables),
    }
    // a discarded upload's file is gone
    let kept = batch.status != BatchStatus::Discarded;
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
    let commit =
        (IMPORTERS.contains(&user.role) && committable(&batch, &report)).then(|| CommitForm {
            action: format!("/impor/{id}/simpan"),
            warnings: commit_warnings(t, &report.diff),
            realisasi: removed_realisation(t, &report.diff),
        });
    let notice =
        (just_committed && batch.status == BatchStatus::Committed).then(|| match batch.kind {
            ImportKind::Workplan => committed_notice(t, &report.diff),
            ImportKind::Realisasi => t
                .realisasi_saved
                .replace("{n}", &report.realisasi.months_changed.to_string()),
            ImportKind::BaasAnak => t
                .impor_baas_saved
                .replace("{n}", &report.baas.children.to_string()),
            ImportKind::BaasSponsor => t
                .impor_baas_sponsors_saved
                .replace("{n}", &report.baas.sponsors.to_string()),
        });
    // a preview without lines has no button: say why, so nobody looks for it
    let blocked = (IMPORTERS.contains(&user.role)
        && batch.status == BatchStatus::Preview
        && !committable(&batch, &report))
    .then_some(t.impor_commit_empty);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ReportPage {
        ctx: PageCtx::new(state, user, t, menu_path(batch.kind)).await?,
        title: format!("{} #{id}", t.import_title(batch.kind)),
        notice,
        errors,
        problems,
        facts,
        actions,
        commit,
        blocked,
        tables,
    };
    render_status(&page, status)
}

#[derive(serde::Deserialize)]
pub struct CommitFields {
    /// The ticked confirmation of a commit that removes lines or lowers the total.
    pub konfirmasi: Option<String>,
    /// The ticked confirmation that removed lines take their realisation to "removed".
    pub konfirmasi_realisasi: Option<String>,
}

pub async fn commit(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i64>,
    form: CsrfForm<CommitFields>,
) -> AppResult<HttpResponse> {
    user.require(&IMPORTERS)?;
    let t = lang.0;
    let (id, scope, actor) = (id.into_inner(), user.scope(), user.actor());
    // The page asks; the server checks the same thing, so no form without the box gets through.
    let lookup_scope = scope.clone();
    let viewer = user.role;
    let batch = state
        .db(move |conn| {
            budget_line::find_batch_for_scope(conn, id, &lookup_scope)?
                .filter(|batch| kind_visible(viewer, batch.kind))
                .ok_or(AppError::NotFound)
        })
        .await?;
    if batch.status == BatchStatus::Preview {
        let report = import::stored_report(&batch);
        let refusal = if !committable(&batch, &report) {
            Some(t.impor_commit_empty)
        } else if !commit_warnings(t, &report.diff).is_empty() && form.0.konfirmasi.is_none() {
            Some(t.impor_commit_unconfirmed)
        } else if report.diff.removed_with_realisasi > 0 && form.0.konfirmasi_realisasi.is_none() {
            Some(t.impor_commit_realisasi_unconfirmed)
        } else {
            None
        };
        if let Some(message) = refusal {
            return report_page(&state, &user, t, id, false, vec![message.to_owned()]).await;
        }
    }
    let options = CommitOptions {
        confirm_removed_realisation: form.0.konfirmasi_realisasi.is_some(),
        rules: crate::services::record_realisation::Rules {
            fisik_tolerance_percent: state.settings.fisik_tolerance_percent,
        },
    };
    // a large file is committed as a job, with a progress bar (helper "jobs")
    let (threshold, job_actor, job_scope) = (job_threshold(&state), actor.clone(), scope.clone());
    let job = state
        .db(move |conn| {
            if db_job::batch_file_bytes(conn, &job_scope.kode_kabkota, id)? as u64 <= threshold {
                return Ok(None);
            }
            let payload = import_jobs::commit_payload(id, &job_scope, &options);
            Ok(Some(jobs::enqueue(
                conn,
                import_jobs::COMMIT,
                &payload,
                &job_actor,
            )?))
        })
        .await?;
    if let Some(job) = job {
        return Ok(see_other(&format!("/tugas/{job}")));
    }
    let _turn = import_gate(&state).turn().await;
    let result = state
        .db(move |conn| {
            Ok(import::commit_preview(
                conn, &actor, &scope, id, &options, &Silent,
            ))
        })
        .await?;
    match result {
        Ok(_) => Ok(see_other(&format!("/impor/{id}?disimpan=1"))),
        Err(error) => {
            let Some(message) = error.user_message().map(|m| m.render(language(t))) else {
                return Err(error.into());
            };
            let input = UploadInput {
                kind: batch.kind.as_str().to_owned(),
                ..UploadInput::default()
            };
            history_page(&state, &user, t, &input, vec![message], false)
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
    user.require(&READERS)?;
    let (id, scope) = (id.into_inner(), user.scope());
    let viewer = user.role;
    let (batch, bytes) = state
        .db(move |conn| {
            let batch = budget_line::find_batch_for_scope(conn, id, &scope)?
                .filter(|batch| kind_visible(viewer, batch.kind))
                .ok_or(AppError::NotFound)?;
            let bytes = budget_line::batch_file(conn, id)?;
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
    user.require(&READERS)?;
    // rewriting a whole sheet is an import's worth of memory: it waits its turn like one
    let _turn = import_gate(&state).turn().await;
    let (id, scope) = (id.into_inner(), user.scope());
    let viewer = user.role;
    let (batch, bytes) = state
        .db(move |conn| {
            let batch = budget_line::find_batch_for_scope(conn, id, &scope)?
                .filter(|batch| kind_visible(viewer, batch.kind))
                .ok_or(AppError::NotFound)?;
            let bytes = budget_line::batch_file(conn, id)?;
            Ok((batch, bytes))
        })
        .await?;
    let report = import::stored_report(&batch);
    let language = language(lang.0);
    let workbook = web::block(move || {
        import::error_workbook(&report, &bytes, language).map_err(AppError::from)
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
    /// baas-import: `baas_sponsor` for the desk's sponsors template.
    pub jenis: Option<String>,
}

pub async fn template(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<TemplateQuery>,
) -> AppResult<HttpResponse> {
    user.require(&IMPORTERS)?;
    let (kode_kabkota, tahun) = (user.kode_kabkota.clone(), query.tahun);
    if user.role == Role::Baas && query.jenis.as_deref() == Some("baas_sponsor") {
        let bytes = web::block(|| import::sponsor_template().map_err(AppError::from)).await??;
        return Ok(xlsx_response(bytes, "templat-sponsor-baas-lokus.xlsx"));
    }
    if user.role == Role::Baas {
        let bytes = state
            .db(move |conn| Ok(import::baas_template(conn, &kode_kabkota)?))
            .await?;
        return Ok(xlsx_response(bytes, "templat-anak-baas-lokus.xlsx"));
    }
    let bytes = state
        .db(move |conn| Ok(import::template_for(conn, &kode_kabkota, tahun)?))
        .await?;
    Ok(xlsx_response(bytes, "templat-rencana-kerja-lokus.xlsx"))
}
