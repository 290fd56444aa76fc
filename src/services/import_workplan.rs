//! Turns an OPD's workplan workbook into budget lines. `analyse` reads the file
//! (`spreadsheet::read`), checks every line against the district's catalogues, desa and OPDs, and
//! compares the result with the current workplan; it writes nothing. `preview` keeps an analysed
//! upload as a batch (with the file) for a person to look at; `commit` applies it: all lines in one
//! transaction or none, under a lock per OPD and year so two imports never interleave.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::budget_line::{
    self, BudgetLine, BudgetLineChanges, ImportBatch, NewImportBatch, NewLineDesa,
};
use crate::db::catalogue::{self, SimpleCatalogue};
use crate::db::opd::{self, NewOpd, Opd};
use crate::db::{district, wilayah};
use crate::domain::names::{DesaIndex, DesaNotFound, normalise};
use crate::domain::{BatchStatus, Jenis, Scope, TagSource};
use crate::i18n::{Language, Message, MessageKey};
use crate::services::activity_log::{self, Actor, NOTHING};
use crate::services::error::{ServiceError, ServiceResult};
use crate::spreadsheet::columns::{Field, Severity, column_index, column_letter};
use crate::spreadsheet::read::{
    self, Layout, ParsedSheet, ReadOptions, RowKind, SheetRow, SkipReason, excerpt,
};

/// The budget stage lives in `domain`; it is re-exported here because every import names one.
pub use crate::domain::Tahapan;

/// The bound on how many imports this process reads and checks at a time: each holds its
/// workbook and its lines in memory (about 240 MiB at 200,000 lines, measured), so the bound
/// gives a server's import memory a ceiling, and since a turn is taken before a database
/// connection, imports never hold more than that many of the pool's connections. More uploads
/// wait for a turn; none is refused for it.
pub struct ImportGate {
    turns: Arc<tokio::sync::Semaphore>,
    limit: usize,
}

/// One import's turn; the next waiting import goes when it is dropped.
pub struct ImportTurn {
    _permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl ImportGate {
    pub fn new(limit: usize) -> ImportGate {
        let limit = limit.max(1);
        ImportGate {
            turns: Arc::new(tokio::sync::Semaphore::new(limit)),
            limit,
        }
    }

    /// How many imports go at once.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Waits for a turn without holding a thread or a connection meanwhile.
    pub async fn turn(&self) -> ImportTurn {
        // the semaphore is never closed; were it, imports would simply go unbounded
        ImportTurn {
            _permit: self.turns.clone().acquire_owned().await.ok(),
        }
    }

    /// A turn if one is free now.
    pub fn try_turn(&self) -> Option<ImportTurn> {
        self.turns
            .clone()
            .try_acquire_owned()
            .ok()
            .map(|permit| ImportTurn {
                _permit: Some(permit),
            })
    }
}

static GATE: OnceLock<ImportGate> = OnceLock::new();

/// This process's gate, bounded by `Settings::max_concurrent_imports` (the first caller's value:
/// a process has one setting).
pub fn gate(limit: usize) -> &'static ImportGate {
    GATE.get_or_init(|| ImportGate::new(limit))
}

/// What an import is asked to do.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub kode_kabkota: String,
    pub tahun: i16,
    pub tahapan: Tahapan,
    /// The OPD the file is for. Required for a file without an OPD column; with one (a SIPD export)
    /// it restricts the import to that OPD's rows.
    pub opd_id: Option<i32>,
    pub sheet: Option<String>,
    /// Create OPDs the file names but lokus does not know (admins only; the caller checks).
    pub create_opds: bool,
    pub file_name: String,
    pub max_rows: usize,
}

type ImportResult<T> = ServiceResult<T>;

/// A workbook that cannot be read is the uploader's to fix: its message, never a 500.
impl From<read::ReadError> for ServiceError {
    fn from(error: read::ReadError) -> ServiceError {
        if let read::ReadError::Corrupt { detail } = &error {
            tracing::info!(%detail, "uploaded workbook cannot be read");
        }
        ServiceError::Unreadable(error.message())
    }
}

/// One problem, located the way a spreadsheet user finds it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Issue {
    #[serde(default)]
    pub sheet: String,
    #[serde(default)]
    pub row: u32,
    /// Column letter (`H`), or none for a problem of the whole row.
    #[serde(default)]
    pub column: Option<String>,
    /// lokus's stable name of the field (`pagu`, `desa_lokus`), for programs reading the JSON.
    #[serde(default)]
    pub field: String,
    /// The field as the person sees it: the column's header in their file. Empty for a problem
    /// of the whole file, and in reports stored before it existed.
    #[serde(default)]
    pub header: String,
    #[serde(deserialize_with = "message_or_text", default = "unknown_message")]
    pub message: Message,
}

impl Issue {
    /// The field as the page shows it: the file's header; nothing for a problem of the whole
    /// file (its `field` is an internal word); lokus's field name in reports stored before
    /// headers were kept.
    pub fn shown_field(&self) -> &str {
        if !self.header.is_empty() {
            &self.header
        } else if self.column.is_none() {
            ""
        } else {
            &self.field
        }
    }
}

fn unknown_message() -> Message {
    MessageKey::UnknownMessage.into()
}

/// A stored message: a catalogue message, or the Indonesian sentence an earlier version stored.
fn message_or_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Message, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Keyed(Message),
        Text(String),
    }
    Ok(
        match <Stored as serde::Deserialize>::deserialize(deserializer)? {
            Stored::Keyed(message) => message,
            Stored::Text(text) => Message::new(MessageKey::StoredText).arg(text),
        },
    )
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RowCounts {
    pub read: usize,
    pub accepted: usize,
    pub skipped: usize,
    pub rejected: usize,
}

/// An OPD's share of the file.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct OpdShare {
    pub kode: String,
    pub nama: String,
    pub rows: usize,
    pub pagu: String,
    /// Not yet known to lokus (created at commit when asked to).
    pub new: bool,
}

/// How the file differs from an OPD's current workplan.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Diff {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub total_before: String,
    pub total_after: String,
    /// The first few hundred changes, for people to read.
    pub changes: Vec<LineChange>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LineChange {
    /// `tambah`, `hapus` or `ubah`.
    pub kind: String,
    pub opd: String,
    pub sub_kegiatan_kode: String,
    pub kode_rekening: String,
    pub uraian: String,
    pub pagu_before: Option<String>,
    pub pagu_after: Option<String>,
}

/// The shape of the stored report. A field added later takes its default when an older report
/// is read (every struct here is `#[serde(default)]`), so adding one needs no migration; bump the
/// version when a field changes meaning, and read the old meaning where `version` says so.
pub const REPORT_VERSION: u32 = 2;

/// At most this many errors, and as many warnings, are kept in a report (the counts stay exact):
/// a 200,000-row file of errors would otherwise store 200,000 sentences with its batch.
pub const ISSUES_KEPT: usize = 1_000;

/// The report of an import, as the preview page shows it and `--json` prints it.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ImportReport {
    /// [`REPORT_VERSION`] when written; 0 for reports stored before versions (version 1's shape).
    pub version: u32,
    /// `dry_run`, `committed` or `rejected`.
    pub status: String,
    pub file_name: String,
    pub sha256: String,
    pub sheet: String,
    pub header_row: u32,
    pub layout: String,
    pub tahun: i16,
    pub tahapan: String,
    pub rows: RowCounts,
    pub total_pagu: String,
    pub pagu_by_jenis: BTreeMap<String, String>,
    pub pagu_by_intervensi: BTreeMap<String, String>,
    pub skipped_by_reason: BTreeMap<String, usize>,
    /// The first [`ISSUES_KEPT`] errors; `error_count` says how many there were.
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    pub error_count: usize,
    pub warning_count: usize,
    pub opds: Vec<OpdShare>,
    /// Rows of other OPDs left out of an `opd` user's (or `--opd`) import of a SIPD export.
    pub other_opds: Vec<OpdShare>,
    /// Rows whose OPD lokus does not know (errors unless the import creates them).
    pub unknown_opds: Vec<OpdShare>,
    pub diff: Diff,
    /// An earlier committed import of exactly this file.
    pub same_file_as: Option<i64>,
    pub batch_id: Option<i64>,
}

impl ImportReport {
    /// How many errors the file had (older reports kept them all and no count).
    pub fn error_total(&self) -> usize {
        self.error_count.max(self.errors.len())
    }

    pub fn warning_total(&self) -> usize {
        self.warning_count.max(self.warnings.len())
    }
}

/// The report a batch stored, whatever version of lokus stored it. A report that cannot be read
/// at all (a shape this version does not know) is rebuilt from the batch's own columns, with a
/// warning saying so: an old batch's page never fails.
pub fn stored_report(batch: &ImportBatch) -> ImportReport {
    match serde_json::from_value::<ImportReport>(batch.report.clone()) {
        Ok(report) => report,
        Err(error) => {
            tracing::warn!(batch = batch.id, %error, "stored import report unreadable; showing the batch's columns");
            let count = |n: i32| usize::try_from(n).unwrap_or_default();
            ImportReport {
                status: batch.status.to_string(),
                file_name: batch.file_name.clone(),
                sha256: batch.sha256.clone(),
                sheet: batch.sheet.clone().unwrap_or_default(),
                tahun: batch.tahun,
                tahapan: batch.tahapan.to_string(),
                rows: RowCounts {
                    read: count(batch.rows_read),
                    accepted: count(batch.rows_accepted),
                    skipped: count(batch.rows_skipped),
                    rejected: count(batch.rows_rejected),
                },
                total_pagu: money(batch.total_pagu),
                warnings: vec![Issue {
                    sheet: String::new(),
                    row: 0,
                    column: None,
                    field: "laporan".to_owned(),
                    header: String::new(),
                    message: MessageKey::ImportReportUnreadable.into(),
                }],
                warning_count: 1,
                batch_id: Some(batch.id),
                ..ImportReport::default()
            }
        }
    }
}

/// The report as `--json` prints it: each message rendered in `language`, with its catalogue key
/// beside it (`message_key`) for programs that match on it.
pub fn report_json(report: &ImportReport, language: Language) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap_or(serde_json::Value::Null);
    for (name, issues) in [("errors", &report.errors), ("warnings", &report.warnings)] {
        let Some(serde_json::Value::Array(items)) = value.get_mut(name) else {
            continue;
        };
        for (item, issue) in items.iter_mut().zip(issues) {
            if let Some(object) = item.as_object_mut() {
                object.insert("message".to_owned(), issue.message.render(language).into());
                object.insert("message_key".to_owned(), issue.message.key.name().into());
            }
        }
    }
    value
}

/// Money in the report: always two decimals, as text, so JSON readers never meet a float.
pub fn money(value: Decimal) -> String {
    let mut value =
        value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    value.rescale(2);
    value.to_string()
}

/// A line ready to be written, tied to its OPD by code (the OPD may be created at commit).
#[derive(Debug, Clone)]
struct Candidate {
    opd_kode: String,
    source_row: u32,
    sub_kegiatan_kode: String,
    sub_kegiatan_nama: Option<String>,
    kode_rekening: Option<String>,
    uraian: String,
    volume: Option<Decimal>,
    satuan: Option<String>,
    harga_satuan: Option<Decimal>,
    pagu: Decimal,
    sumber_dana: Option<String>,
    intervensi_id: Option<i32>,
    jenis: Option<Jenis>,
    sasaran: Option<String>,
    target_output: Option<Decimal>,
    satuan_output: Option<String>,
    keterangan: Option<String>,
    desa: Vec<String>,
}

/// The result of reading and checking a file: the report and, when it has no errors, the lines.
pub struct Analysis {
    pub report: ImportReport,
    candidates: Vec<Candidate>,
    /// Known OPDs by code, and those to create (code -> name).
    opds: HashMap<String, Opd>,
    new_opds: BTreeMap<String, String>,
    pub base_batch_id: Option<i64>,
    pub parsed: ParsedSheet,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        !self.report.errors.is_empty()
    }

    /// Problems by (row, 0-based column) for the annotated error workbook.
    pub fn notes(&self, language: Language) -> Vec<crate::spreadsheet::annotate::CellNote> {
        report_notes(&self.report, language)
    }
}

/// The error workbook of a stored batch: its file read again at the report's sheet, each problem
/// of the report marked at its cell, in the reader's language. Blocking work: call it off the
/// async workers.
pub fn error_workbook(
    report: &ImportReport,
    bytes: &[u8],
    language: Language,
) -> ServiceResult<Vec<u8>> {
    use crate::spreadsheet::annotate::{self, SheetCopy};
    let infos = read::sheet_infos(bytes)?;
    let annotated = infos
        .iter()
        .position(|info| info.name == report.sheet)
        .ok_or_else(|| {
            ServiceError::Unreadable(
                Message::new(MessageKey::ReadSheetNotFound)
                    .arg(&report.sheet)
                    .arg(
                        infos
                            .iter()
                            .map(|info| info.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
            )
        })?;
    // the sheet that was read must come back whole; another too large to copy comes back empty
    let mut grids = Vec::with_capacity(infos.len());
    for (index, info) in infos.iter().enumerate() {
        let grid = match read::read_grid(bytes, &info.name) {
            Ok(grid) => grid,
            Err(error) if index == annotated => return Err(error.into()),
            Err(_) => calamine::Range::empty(),
        };
        grids.push(grid);
    }
    let sheets: Vec<SheetCopy<'_>> = infos
        .iter()
        .zip(&grids)
        .map(|(info, grid)| SheetCopy {
            name: &info.name,
            grid,
            hidden: info.hidden,
            dropdowns: &info.dropdowns,
        })
        .collect();
    let notes = report_notes(report, language);
    annotate::error_workbook(language, &sheets, annotated, report.header_row, &notes)
        .map_err(ServiceError::internal)
}

/// The cell notes of a report, at the cells its column letters name.
pub fn report_notes(
    report: &ImportReport,
    language: Language,
) -> Vec<crate::spreadsheet::annotate::CellNote> {
    let column_index = |letter: &Option<String>| letter.as_deref().and_then(column_index);
    let mut notes = Vec::new();
    for (issues, severity) in [
        (&report.errors, Severity::Error),
        (&report.warnings, Severity::Warning),
    ] {
        for issue in issues {
            notes.push(crate::spreadsheet::annotate::CellNote {
                row: issue.row,
                column: column_index(&issue.column),
                message: issue.message.render(language),
                severity,
            });
        }
    }
    notes
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The district's reference data an import checks against, loaded once per import.
struct Lookups {
    intervensi: HashMap<String, (i32, Jenis)>,
    intervensi_kode: HashMap<i32, String>,
    sumber_dana: HashMap<String, String>,
    desa: DesaIndex,
    lokus: HashSet<String>,
    opds: HashMap<String, Opd>,
    /// Interventions switched off in this district: named in a file, they are refused as such.
    intervensi_nonaktif: HashSet<String>,
    /// Sub kegiatan codes the district's workplans already name: a file may leave their name out.
    known_sub_kegiatan: HashSet<String>,
}

impl Lookups {
    fn load(conn: &mut PgConnection, kode_kabkota: &str, tahun: i16) -> ImportResult<Lookups> {
        let mut intervensi = HashMap::new();
        let mut intervensi_kode = HashMap::new();
        let mut intervensi_nonaktif = HashSet::new();
        for row in catalogue::list_intervensi(conn, kode_kabkota)? {
            if !row.aktif {
                intervensi_nonaktif.insert(row.kode.to_uppercase());
            } else if let Some(jenis) = Jenis::parse(&row.jenis) {
                intervensi.insert(row.kode.to_uppercase(), (row.id, jenis));
                intervensi_kode.insert(row.id, row.kode.clone());
            }
        }
        let mut sumber_dana = HashMap::new();
        for row in catalogue::list_simple(conn, SimpleCatalogue::SumberDana, kode_kabkota)? {
            sumber_dana.insert(normalise(&row.kode), row.kode.clone());
            sumber_dana.insert(normalise(&row.nama), row.kode.clone());
        }
        let desa = DesaIndex::new(
            wilayah::list_desa_in_kabkota(conn, kode_kabkota)?
                .into_iter()
                .map(|row| (row.kode, row.nama)),
        );
        let lokus = district::list_lokus(conn, kode_kabkota, tahun)?
            .into_iter()
            .map(|row| row.kode_desa)
            .collect();
        let scope = Scope {
            kode_kabkota: kode_kabkota.to_owned(),
            opd_id: None,
            sponsor_user_id: None,
        };
        let opds = opd::list_for_scope(conn, &scope)?
            .into_iter()
            .map(|row| (row.kode.clone(), row))
            .collect();
        let known_sub_kegiatan = budget_line::named_sub_kegiatan(conn, kode_kabkota)?
            .into_iter()
            .collect();
        Ok(Lookups {
            known_sub_kegiatan,
            intervensi_nonaktif,
            intervensi,
            intervensi_kode,
            sumber_dana,
            desa,
            lokus,
            opds,
        })
    }
}

/// Collects problems with their location, keeping the first [`ISSUES_KEPT`] of each severity.
struct Problems<'a> {
    parsed: &'a ParsedSheet,
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
    error_count: usize,
    warning_count: usize,
}

impl Problems<'_> {
    fn keep(&mut self, severity: Severity, issue: Issue) {
        let (kept, count) = match severity {
            Severity::Error => (&mut self.errors, &mut self.error_count),
            Severity::Warning => (&mut self.warnings, &mut self.warning_count),
        };
        *count += 1;
        if kept.len() < ISSUES_KEPT {
            kept.push(issue);
        }
    }

    /// A problem of the whole file or request rather than of a cell (`field` names what it is about).
    fn push_about(&mut self, severity: Severity, row: u32, field: &str, message: Message) {
        let issue = Issue {
            sheet: self.parsed.sheet.clone(),
            row,
            column: None,
            field: field.to_owned(),
            header: String::new(),
            message,
        };
        self.keep(severity, issue);
    }

    fn push(
        &mut self,
        severity: Severity,
        row: u32,
        column: Option<u32>,
        field: Field,
        message: Message,
    ) {
        let issue = Issue {
            sheet: self.parsed.sheet.clone(),
            row,
            column: column.map(column_letter),
            field: field.key().to_owned(),
            header: self.parsed.header_of(field),
            message,
        };
        self.keep(severity, issue);
    }
}

/// How a stored skip-reason key reads (the report keeps the stable key).
pub fn skip_reason_message(key: &str) -> Message {
    let key = match key {
        "kosong" => MessageKey::SkipBlank,
        "penomoran_kolom" => MessageKey::SkipNumbering,
        "subtotal" => MessageKey::SkipSubtotal,
        "jumlah" => MessageKey::SkipTotal,
        "contoh" => MessageKey::SkipExample,
        "opd_lain" => MessageKey::SkipOtherOpd,
        other => return Message::new(MessageKey::StoredText).arg(other.replace('_', " ")),
    };
    Message::new(key)
}

/// How a batch or report status reads.
pub fn status_message(status: &str) -> Message {
    Message::new(match status {
        "preview" | "dry_run" => MessageKey::ImportStatusPreview,
        "committed" => MessageKey::ImportStatusCommitted,
        "rejected" => MessageKey::ImportStatusRejected,
        _ => MessageKey::ImportStatusDiscarded,
    })
}

/// How the report's layout key reads.
pub fn layout_message(layout: &str) -> Message {
    match layout {
        "sipd" => MessageKey::LayoutSipd.into(),
        _ => MessageKey::LayoutTable.into(),
    }
}

/// How a change's kind (`tambah`, `ubah`, `hapus`) reads.
pub fn change_kind_message(kind: &str) -> Message {
    Message::new(match kind {
        "tambah" => MessageKey::DiffAdded,
        "hapus" => MessageKey::DiffRemoved,
        _ => MessageKey::DiffChanged,
    })
}

/// The one-line summary of a diff.
pub fn diff_summary(diff: &Diff) -> Message {
    use crate::domain::format::rupiah;
    Message::new(MessageKey::DiffSummary)
        .arg(diff.added)
        .arg(diff.changed)
        .arg(diff.removed)
        .arg(diff.unchanged)
        .arg(rupiah(diff.total_before.parse().unwrap_or_default()))
        .arg(rupiah(diff.total_after.parse().unwrap_or_default()))
}

fn skip_reason_key(reason: SkipReason) -> &'static str {
    match reason {
        SkipReason::Blank => "kosong",
        SkipReason::Numbering => "penomoran_kolom",
        SkipReason::Subtotal => "subtotal",
        SkipReason::Total => "jumlah",
        SkipReason::Example => "contoh",
    }
}

/// The longest file name an import keeps (most file systems allow 255).
pub const FILE_NAME_LIMIT: usize = 255;

/// Reads and checks `bytes`; writes nothing.
pub fn analyse(
    conn: &mut PgConnection,
    request: &ImportRequest,
    bytes: &[u8],
) -> ImportResult<Analysis> {
    let name_length = request.file_name.chars().count();
    if name_length > FILE_NAME_LIMIT {
        return Err(ServiceError::Invalid(
            Message::new(MessageKey::ImportFileNameTooLong)
                .arg(name_length)
                .arg(FILE_NAME_LIMIT),
        ));
    }
    let year =
        district::find_tahun(conn, &request.kode_kabkota, request.tahun)?.ok_or_else(|| {
            ServiceError::Invalid(Message::new(MessageKey::ImportYearMissing).arg(request.tahun))
        })?;
    if year.terkunci {
        return Err(ServiceError::Conflict(
            Message::new(MessageKey::ImportYearLocked).arg(request.tahun),
        ));
    }
    let options = ReadOptions {
        sheet: request.sheet.clone(),
        max_rows: request.max_rows,
        ..ReadOptions::default()
    };
    let mut parsed = read::read_workbook(bytes, &options)?;
    // the rows are consumed into candidates below, so a line's texts are held once
    let rows = std::mem::take(&mut parsed.rows);
    let lookups = Lookups::load(conn, &request.kode_kabkota, request.tahun)?;
    let fixed_opd = match request.opd_id {
        Some(id) => Some(
            lookups
                .opds
                .values()
                .find(|unit| unit.id == id)
                .cloned()
                .ok_or(ServiceError::NotFound)?,
        ),
        None => None,
    };
    // a file names its OPD per row (SIPD export, lokus's budget-line download) or is for one OPD
    let has_opd_column = parsed.column_of(Field::KodeOpd).is_some();
    if !has_opd_column && fixed_opd.is_none() {
        return Err(ServiceError::invalid(MessageKey::ImportNeedsOpd));
    }

    // codes named somewhere in this file count as named for all its lines
    let named_in_file: HashSet<String> = rows
        .iter()
        .filter(|row| row.values.sub_kegiatan_nama.is_some())
        .filter_map(|row| row.values.sub_kegiatan_kode.clone())
        .collect();
    let mut problems = Problems {
        parsed: &parsed,
        errors: Vec::new(),
        warnings: Vec::new(),
        error_count: 0,
        warning_count: 0,
    };
    // a sheet picked among several is said, with the others, so nobody imports a decoy unawares
    let choice = &parsed.choice;
    if !choice.other_candidates.is_empty() {
        problems.push_about(
            Severity::Warning,
            parsed.header_row,
            "lembar",
            Message::new(MessageKey::ImportSheetChosen)
                .arg(&parsed.sheet)
                .arg(choice.other_candidates.join(", ")),
        );
    }
    if !choice.hidden_candidates.is_empty() {
        problems.push_about(
            Severity::Warning,
            parsed.header_row,
            "lembar",
            Message::new(MessageKey::ImportHiddenSheetsSkipped)
                .arg(choice.hidden_candidates.join(", ")),
        );
    }
    let mut counts = RowCounts::default();
    let mut skipped_by_reason: BTreeMap<String, usize> = BTreeMap::new();
    let mut candidates = Vec::new();
    let mut other_opds: BTreeMap<String, OpdShare> = BTreeMap::new();
    let mut unknown_opds: BTreeMap<String, (OpdShare, u32)> = BTreeMap::new();

    // rows holding nothing at all are not kept by the reader, only counted
    if parsed.blank_rows > 0 {
        counts.read += parsed.blank_rows;
        counts.skipped += parsed.blank_rows;
        *skipped_by_reason
            .entry(skip_reason_key(SkipReason::Blank).to_owned())
            .or_default() += parsed.blank_rows;
    }
    // taken from the back and the buffer given back as it empties, so rows and the candidates
    // made of them are not both held in full (about 200 MB apiece at 200,000 lines)
    let mut rows = rows;
    rows.reverse();
    while let Some(row) = rows.pop() {
        if rows.capacity() > 2 * rows.len() + 4096 {
            rows.shrink_to_fit();
        }
        counts.read += 1;
        for problem in &row.problems {
            problems.push(
                problem.severity,
                row.row,
                problem.column,
                problem.field,
                problem.message.clone(),
            );
        }
        if let RowKind::Skipped(reason) = row.kind {
            counts.skipped += 1;
            *skipped_by_reason
                .entry(skip_reason_key(reason).to_owned())
                .or_default() += 1;
            continue;
        }
        let errors_before = problems.error_count;
        let row_has_reader_errors = row
            .problems
            .iter()
            .any(|problem| problem.severity == Severity::Error);

        // Whose line is it?
        let opd_kode = match (&fixed_opd, has_opd_column) {
            (Some(unit), false) => unit.kode.clone(),
            (fixed, _) => {
                let Some(kode) = row.values.kode_opd.clone() else {
                    problems.push(
                        Severity::Error,
                        row.row,
                        parsed.column_of(Field::KodeOpd),
                        Field::KodeOpd,
                        Message::new(MessageKey::CellBlank).arg(parsed.header_of(Field::KodeOpd)),
                    );
                    counts.rejected += 1;
                    continue;
                };
                if let Some(unit) = fixed
                    && unit.kode != kode
                {
                    counts.skipped += 1;
                    *skipped_by_reason.entry("opd_lain".to_owned()).or_default() += 1;
                    let share = other_opds.entry(kode.clone()).or_insert_with(|| OpdShare {
                        kode: kode.clone(),
                        nama: row.values.nama_opd.clone().unwrap_or_default(),
                        rows: 0,
                        pagu: String::new(),
                        new: false,
                    });
                    share.rows += 1;
                    continue;
                }
                if !lookups.opds.contains_key(&kode) {
                    let entry = unknown_opds.entry(kode.clone()).or_insert_with(|| {
                        (
                            OpdShare {
                                kode: kode.clone(),
                                nama: row.values.nama_opd.clone().unwrap_or_default(),
                                rows: 0,
                                pagu: String::new(),
                                new: true,
                            },
                            row.row,
                        )
                    });
                    entry.0.rows += 1;
                }
                kode
            }
        };
        if let Some(tahun) = row.values.tahun
            && tahun != i32::from(request.tahun)
        {
            problems.push(
                Severity::Error,
                row.row,
                parsed.column_of(Field::Tahun),
                Field::Tahun,
                Message::new(MessageKey::ImportTahunMismatch)
                    .arg(tahun)
                    .arg(request.tahun),
            );
        }

        if let Some(kode) = row.values.sub_kegiatan_kode.as_deref()
            && row.values.sub_kegiatan_nama.is_none()
            && !named_in_file.contains(kode)
            && !lookups.known_sub_kegiatan.contains(kode)
        {
            let column = parsed
                .column_of(Field::SubKegiatanNama)
                .or(parsed.column_of(Field::SubKegiatanKode));
            problems.push(
                Severity::Error,
                row.row,
                column,
                Field::SubKegiatanNama,
                Message::new(MessageKey::ImportSubKegiatanNameRequired)
                    .arg(parsed.header_of(Field::SubKegiatanNama))
                    .arg(kode),
            );
        }
        let (intervensi_id, jenis) = check_intervensi(&lookups, &parsed, &row, &mut problems);
        let sumber_dana = row.values.sumber_dana.as_ref().map(|text| {
            match lookups.sumber_dana.get(&normalise(text)) {
                Some(kode) => kode.clone(),
                None => {
                    problems.push(
                        Severity::Warning,
                        row.row,
                        parsed.column_of(Field::SumberDana),
                        Field::SumberDana,
                        Message::new(MessageKey::ImportSumberDanaUnknown).arg(excerpt(text)),
                    );
                    text.clone()
                }
            }
        });
        let desa = check_desa(&lookups, &parsed, &row, &mut problems);

        if row_has_reader_errors || problems.error_count > errors_before {
            counts.rejected += 1;
            continue;
        }
        // the reader guarantees these on a line without errors
        let source_row = row.row;
        let values = row.values;
        let (Some(sub_kegiatan_kode), Some(uraian), Some(pagu)) =
            (values.sub_kegiatan_kode, values.uraian, values.pagu)
        else {
            counts.rejected += 1;
            continue;
        };
        counts.accepted += 1;
        candidates.push(Candidate {
            opd_kode,
            source_row,
            sub_kegiatan_kode,
            sub_kegiatan_nama: values.sub_kegiatan_nama,
            kode_rekening: values.kode_rekening,
            uraian,
            volume: values.volume,
            satuan: values.satuan,
            harga_satuan: values.harga_satuan,
            pagu,
            sumber_dana,
            intervensi_id,
            jenis,
            sasaran: values.sasaran,
            target_output: values.target_output,
            satuan_output: values.satuan_output,
            keterangan: values.keterangan,
            desa,
        });
    }

    // OPDs lokus does not know: one error each, unless the import creates them.
    let mut new_opds = BTreeMap::new();
    for (kode, (share, first_row)) in &unknown_opds {
        if request.create_opds {
            if !crate::domain::budget_code::is_unit_code(kode) {
                problems.push(
                    Severity::Error,
                    *first_row,
                    parsed.column_of(Field::KodeOpd),
                    Field::KodeOpd,
                    Message::new(MessageKey::ImportOpdCodeInvalid).arg(kode),
                );
            } else if share.nama.trim().is_empty() {
                problems.push(
                    Severity::Error,
                    *first_row,
                    parsed.column_of(Field::NamaOpd),
                    Field::NamaOpd,
                    Message::new(MessageKey::ImportNewOpdNameBlank)
                        .arg(kode)
                        .arg(parsed.header_of(Field::NamaOpd)),
                );
            } else {
                new_opds.insert(kode.clone(), share.nama.trim().to_owned());
            }
        } else {
            problems.push(
                Severity::Error,
                *first_row,
                parsed.column_of(Field::KodeOpd),
                Field::KodeOpd,
                Message::new(MessageKey::ImportOpdUnknown)
                    .arg(kode)
                    .arg(&share.nama)
                    .arg(share.rows),
            );
        }
    }
    // lines of OPDs that will not be created cannot land
    if !request.create_opds {
        let before = candidates.len();
        candidates.retain(|line| lookups.opds.contains_key(&line.opd_kode));
        let dropped = before - candidates.len();
        counts.accepted -= dropped;
        counts.rejected += dropped;
    }

    // Totals
    let mut total = Decimal::ZERO;
    let mut by_jenis: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut by_intervensi: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut by_opd: BTreeMap<String, (usize, Decimal)> = BTreeMap::new();
    for line in &candidates {
        total += line.pagu;
        let jenis = line.jenis.map_or("belum_ditandai", Jenis::as_str);
        *by_jenis.entry(jenis.to_owned()).or_default() += line.pagu;
        let intervensi = line
            .intervensi_id
            .and_then(|id| lookups.intervensi_kode.get(&id).cloned())
            .unwrap_or_else(|| "belum_ditandai".to_owned());
        *by_intervensi.entry(intervensi).or_default() += line.pagu;
        let share = by_opd.entry(line.opd_kode.clone()).or_default();
        share.0 += 1;
        share.1 += line.pagu;
    }
    let opds: Vec<OpdShare> = by_opd
        .iter()
        .map(|(kode, (rows, pagu))| OpdShare {
            kode: kode.clone(),
            nama: lookups
                .opds
                .get(kode)
                .map(|unit| unit.nama.clone())
                .or_else(|| new_opds.get(kode).cloned())
                .unwrap_or_default(),
            rows: *rows,
            pagu: money(*pagu),
            new: !lookups.opds.contains_key(kode),
        })
        .collect();

    // The diff against the current workplans of the OPDs in the file, and the base it was made on.
    let known_ids: Vec<i32> = by_opd
        .keys()
        .filter_map(|kode| lookups.opds.get(kode).map(|unit| unit.id))
        .collect();
    let mut diff = Diff::default();
    let mut before_total = Decimal::ZERO;
    for opd_id in &known_ids {
        let Some(unit) = lookups.opds.values().find(|unit| unit.id == *opd_id) else {
            continue;
        };
        let current =
            budget_line::current_lines(conn, &request.kode_kabkota, *opd_id, request.tahun)?;
        if let Some(line) = current.iter().find(|line| line.tahapan > request.tahapan) {
            problems.push_about(
                Severity::Error,
                parsed.header_row,
                "tahapan",
                Message::new(MessageKey::ImportStageBehind)
                    .arg(&unit.nama)
                    .arg(request.tahun)
                    .arg(line.tahapan)
                    .arg(request.tahapan.as_str()),
            );
        }
        before_total += current.iter().map(|line| line.pagu).sum::<Decimal>();
        let mine: Vec<&Candidate> = candidates
            .iter()
            .filter(|line| line.opd_kode == unit.kode)
            .collect();
        let plan = plan_changes(&current, &mine);
        diff.added += plan.added.len();
        diff.removed += plan.removed.len();
        diff.changed += plan.changed.len();
        diff.unchanged += plan.unchanged;
        describe_changes(&mut diff.changes, &unit.nama, &plan, &current, &mine);
    }
    diff.total_before = money(before_total);
    diff.total_after = money(total);
    let base_batch_id =
        budget_line::last_batch_touching(conn, &request.kode_kabkota, request.tahun, &known_ids)?;

    let sha256 = sha256_hex(bytes);
    let same_file_as = budget_line::committed_with_sha256(conn, &request.kode_kabkota, &sha256)?
        .first()
        .map(|batch| batch.id);
    // no import number here: the reader may not be allowed to open it (the page links it when so)
    if same_file_as.is_some() {
        problems.push_about(
            Severity::Warning,
            parsed.header_row,
            "berkas",
            Message::new(MessageKey::ImportSameFile),
        );
    }
    let Problems {
        errors,
        warnings,
        error_count,
        warning_count,
        ..
    } = problems;
    let status = if errors.is_empty() {
        "dry_run"
    } else {
        "rejected"
    };
    let report = ImportReport {
        version: REPORT_VERSION,
        status: status.to_owned(),
        file_name: request.file_name.clone(),
        sha256,
        sheet: parsed.sheet.clone(),
        header_row: parsed.header_row,
        layout: match parsed.layout {
            Layout::Table => "tabel".to_owned(),
            Layout::SipdFlat => "sipd".to_owned(),
        },
        tahun: request.tahun,
        tahapan: request.tahapan.as_str().to_owned(),
        rows: counts,
        total_pagu: money(total),
        pagu_by_jenis: by_jenis
            .into_iter()
            .map(|(key, value)| (key, money(value)))
            .collect(),
        pagu_by_intervensi: by_intervensi
            .into_iter()
            .map(|(key, value)| (key, money(value)))
            .collect(),
        skipped_by_reason,
        errors,
        warnings,
        error_count,
        warning_count,
        opds,
        other_opds: other_opds.into_values().collect(),
        unknown_opds: unknown_opds.into_values().map(|(share, _)| share).collect(),
        diff,
        same_file_as,
        batch_id: None,
    };
    Ok(Analysis {
        report,
        candidates,
        opds: lookups.opds,
        new_opds,
        base_batch_id,
        parsed,
    })
}

fn check_intervensi(
    lookups: &Lookups,
    parsed: &ParsedSheet,
    row: &SheetRow,
    problems: &mut Problems,
) -> (Option<i32>, Option<Jenis>) {
    let column = parsed.column_of(Field::Intervensi);
    let intervensi = match row.values.intervensi.as_deref() {
        None => None,
        Some(text) => {
            // "SP1", "sp1", "SP1 - Tambahan asupan gizi ..."
            let kode = text
                .split(|c: char| c.is_whitespace() || c == '-' || c == ':')
                .next()
                .unwrap_or("")
                .to_uppercase();
            match lookups.intervensi.get(&kode) {
                Some(found) => Some((kode, *found)),
                None if lookups.intervensi_nonaktif.contains(&kode) => {
                    problems.push(
                        Severity::Error,
                        row.row,
                        column,
                        Field::Intervensi,
                        Message::new(MessageKey::ImportIntervensiInactive).arg(&kode),
                    );
                    return (None, None);
                }
                None => {
                    problems.push(
                        Severity::Error,
                        row.row,
                        column,
                        Field::Intervensi,
                        Message::new(MessageKey::ImportIntervensiUnknown).arg(excerpt(text)),
                    );
                    return (None, None);
                }
            }
        }
    };
    let stated = match row.values.jenis.as_deref() {
        None => None,
        Some(text) => match Jenis::parse(text) {
            Some(jenis) => Some(jenis),
            None => {
                problems.push(
                    Severity::Error,
                    row.row,
                    parsed.column_of(Field::Jenis),
                    Field::Jenis,
                    Message::new(MessageKey::ImportJenisInvalid).arg(excerpt(text)),
                );
                return (None, None);
            }
        },
    };
    match (intervensi, stated) {
        (Some((kode, (_, jenis))), Some(stated)) if jenis != stated => {
            problems.push(
                Severity::Error,
                row.row,
                parsed.column_of(Field::Jenis),
                Field::Jenis,
                Message::new(MessageKey::ImportJenisMismatch)
                    .arg(stated.as_str())
                    .arg(&kode)
                    .arg(jenis.as_str()),
            );
            (None, None)
        }
        (Some((_, (id, jenis))), _) => (Some(id), Some(jenis)),
        (None, stated) => (None, stated),
    }
}

fn check_desa(
    lookups: &Lookups,
    parsed: &ParsedSheet,
    row: &SheetRow,
    problems: &mut Problems,
) -> Vec<String> {
    let column = parsed.column_of(Field::DesaLokus);
    let mut found = Vec::new();
    for token in &row.values.desa {
        let kode = match lookups.desa.resolve(token) {
            Ok(kode) => kode.to_owned(),
            Err(DesaNotFound::Ambiguous(many)) => {
                problems.push(
                    Severity::Error,
                    row.row,
                    column,
                    Field::DesaLokus,
                    Message::new(MessageKey::ImportDesaAmbiguous)
                        .arg(excerpt(token))
                        .arg(many.join(", ")),
                );
                continue;
            }
            Err(DesaNotFound::Unknown) => {
                problems.push(
                    Severity::Error,
                    row.row,
                    column,
                    Field::DesaLokus,
                    Message::new(MessageKey::ImportDesaUnknown).arg(excerpt(token)),
                );
                continue;
            }
        };
        if !lookups.lokus.contains(&kode) {
            let nama = lookups.desa.nama(&kode).unwrap_or_default();
            problems.push(
                Severity::Warning,
                row.row,
                column,
                Field::DesaLokus,
                Message::new(MessageKey::ImportDesaNotLokus)
                    .arg(&kode)
                    .arg(nama),
            );
        }
        if !found.contains(&kode) {
            found.push(kode);
        }
    }
    found
}

/// How a file's lines map onto an OPD's current lines. Lines are matched by sub kegiatan, kode
/// rekening and uraian (the n-th of equal keys with the n-th), so a line that survives a revision
/// keeps its id and the realisation recorded against it.
struct ChangePlan {
    /// Indexes into the file's lines.
    added: Vec<usize>,
    /// Indexes into the current lines.
    removed: Vec<usize>,
    /// (current index, file index) pairs whose values differ.
    changed: Vec<(usize, usize)>,
    unchanged: usize,
}

fn line_key(sub_kegiatan: &str, rekening: Option<&str>, uraian: &str) -> String {
    format!(
        "{}|{}|{}",
        sub_kegiatan,
        rekening.unwrap_or(""),
        normalise(uraian)
    )
}

fn plan_changes(current: &[BudgetLine], file: &[&Candidate]) -> ChangePlan {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, line) in current.iter().enumerate() {
        by_key
            .entry(line_key(
                &line.sub_kegiatan_kode,
                line.kode_rekening.as_deref(),
                &line.uraian,
            ))
            .or_default()
            .push(index);
    }
    for indexes in by_key.values_mut() {
        indexes.reverse();
    }
    let mut plan = ChangePlan {
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        unchanged: 0,
    };
    let mut matched = vec![false; current.len()];
    for (file_index, line) in file.iter().enumerate() {
        let key = line_key(
            &line.sub_kegiatan_kode,
            line.kode_rekening.as_deref(),
            &line.uraian,
        );
        match by_key.get_mut(&key).and_then(Vec::pop) {
            Some(current_index) => {
                matched[current_index] = true;
                if differs(&current[current_index], line) {
                    plan.changed.push((current_index, file_index));
                } else {
                    plan.unchanged += 1;
                }
            }
            None => plan.added.push(file_index),
        }
    }
    plan.removed = matched
        .iter()
        .enumerate()
        .filter(|(_, seen)| !**seen)
        .map(|(index, _)| index)
        .collect();
    plan
}

fn differs(current: &BudgetLine, line: &Candidate) -> bool {
    current.pagu != line.pagu
        || current.volume != line.volume
        || current.harga_satuan != line.harga_satuan
        || current.satuan != line.satuan
        || current.sumber_dana != line.sumber_dana
        || current.sub_kegiatan_nama != line.sub_kegiatan_nama
        || (line.intervensi_id.is_some() && current.intervensi_id != line.intervensi_id)
        || current.sasaran != line.sasaran
        || current.target_output != line.target_output
        || current.satuan_output != line.satuan_output
        || current.keterangan != line.keterangan
}

const CHANGES_SHOWN: usize = 300;

fn describe_changes(
    into: &mut Vec<LineChange>,
    opd_nama: &str,
    plan: &ChangePlan,
    current: &[BudgetLine],
    file: &[&Candidate],
) {
    let room = |into: &Vec<LineChange>| into.len() < CHANGES_SHOWN;
    for (current_index, file_index) in &plan.changed {
        if !room(into) {
            return;
        }
        let (before, after) = (&current[*current_index], file[*file_index]);
        into.push(LineChange {
            kind: "ubah".into(),
            opd: opd_nama.to_owned(),
            sub_kegiatan_kode: after.sub_kegiatan_kode.clone(),
            kode_rekening: after.kode_rekening.clone().unwrap_or_default(),
            uraian: after.uraian.clone(),
            pagu_before: Some(money(before.pagu)),
            pagu_after: Some(money(after.pagu)),
        });
    }
    for index in &plan.added {
        if !room(into) {
            return;
        }
        let line = file[*index];
        into.push(LineChange {
            kind: "tambah".into(),
            opd: opd_nama.to_owned(),
            sub_kegiatan_kode: line.sub_kegiatan_kode.clone(),
            kode_rekening: line.kode_rekening.clone().unwrap_or_default(),
            uraian: line.uraian.clone(),
            pagu_before: None,
            pagu_after: Some(money(line.pagu)),
        });
    }
    for index in &plan.removed {
        if !room(into) {
            return;
        }
        let line = &current[*index];
        into.push(LineChange {
            kind: "hapus".into(),
            opd: opd_nama.to_owned(),
            sub_kegiatan_kode: line.sub_kegiatan_kode.clone(),
            kode_rekening: line.kode_rekening.clone().unwrap_or_default(),
            uraian: line.uraian.clone(),
            pagu_before: Some(money(line.pagu)),
            pagu_after: None,
        });
    }
}

/// Who imports, and for which user the batch is recorded.
fn new_batch(
    request: &ImportRequest,
    actor: &Actor,
    bytes: &[u8],
    analysis: &Analysis,
    status: BatchStatus,
) -> NewImportBatch {
    let report = &analysis.report;
    NewImportBatch {
        kode_kabkota: request.kode_kabkota.clone(),
        tahun: request.tahun,
        tahapan: request.tahapan,
        opd_id: request.opd_id,
        user_id: actor.user_id,
        actor: actor.label.clone(),
        file_name: request.file_name.clone(),
        sha256: report.sha256.clone(),
        file: bytes.to_vec(),
        sheet: Some(report.sheet.clone()),
        create_opds: request.create_opds,
        status,
        rows_read: report.rows.read as i32,
        rows_accepted: report.rows.accepted as i32,
        rows_skipped: report.rows.skipped as i32,
        rows_rejected: report.rows.rejected as i32,
        total_pagu: report.total_pagu.parse().unwrap_or_default(),
        report: serde_json::to_value(report).unwrap_or(serde_json::Value::Null),
        base_batch_id: analysis.base_batch_id,
        committed_at: None,
    }
}

/// Keeps an analysed upload as a batch a person can look at and commit later (from any server).
/// A file with errors is kept as `rejected`, for the history.
pub fn preview(
    conn: &mut PgConnection,
    actor: &Actor,
    request: &ImportRequest,
    bytes: &[u8],
) -> ImportResult<ImportReport> {
    let mut analysis = analyse(conn, request, bytes)?;
    let status = if analysis.has_errors() {
        BatchStatus::Rejected
    } else {
        BatchStatus::Preview
    };
    // the stored report leaves batch_id out: the row's own id says it
    let id = budget_line::insert_batch(conn, &new_batch(request, actor, bytes, &analysis, status))?;
    analysis.report.batch_id = Some(id);
    Ok(analysis.report)
}

/// Lets uploads nobody committed within `ttl_hours` expire: they become `discarded` and their
/// file (up to the upload limit each) is dropped. Called lazily, whenever uploads are listed or
/// made, so no timer is needed and every server process does its share.
pub fn expire_previews(conn: &mut PgConnection, ttl_hours: u32) -> ServiceResult<usize> {
    let before = chrono::Utc::now() - chrono::Duration::hours(i64::from(ttl_hours));
    let discarded = budget_line::discard_stale_batches(conn, before)?;
    if discarded > 0 {
        tracing::info!(discarded, "expired uncommitted imports");
    }
    Ok(discarded)
}

/// The request a stored batch was made with.
pub fn request_of(batch: &ImportBatch) -> ImportResult<ImportRequest> {
    Ok(ImportRequest {
        kode_kabkota: batch.kode_kabkota.clone(),
        tahun: batch.tahun,
        tahapan: batch.tahapan,
        opd_id: batch.opd_id,
        sheet: batch.sheet.clone(),
        create_opds: batch.create_opds,
        file_name: batch.file_name.clone(),
        max_rows: usize::MAX,
    })
}

/// Commits a previewed batch: the stored file is analysed again and applied, provided nothing
/// changed the same workplans since the preview was shown.
pub fn commit_preview(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    batch_id: i64,
) -> ImportResult<ImportReport> {
    conn.transaction(|conn| {
        let batch = budget_line::find_batch_for_scope(conn, batch_id, scope)?
            .ok_or(ServiceError::NotFound)?;
        if batch.status != BatchStatus::Preview {
            let key = match batch.status {
                BatchStatus::Committed => MessageKey::ImportAlreadyCommitted,
                BatchStatus::Rejected => MessageKey::ImportHasErrorsCannotCommit,
                BatchStatus::Preview | BatchStatus::Discarded => MessageKey::ImportNoLongerPreview,
            };
            return Err(ServiceError::Conflict(Message::new(key).arg(batch_id)));
        }
        let request = request_of(&batch)?;
        let bytes = budget_line::batch_file(conn, batch_id)?;
        let mut analysis = analyse(conn, &request, &bytes)?;
        if analysis.has_errors() {
            return Err(ServiceError::Conflict(
                MessageKey::ImportNowHasErrors.into(),
            ));
        }
        apply(
            conn,
            actor,
            &request,
            &mut analysis,
            batch_id,
            batch.base_batch_id,
        )?;
        let report = serde_json::to_value(&analysis.report).unwrap_or(serde_json::Value::Null);
        budget_line::mark_batch_committed(conn, batch_id, &report)?;
        Ok(analysis.report)
    })
}

/// Analyses and, when there are no errors and `dry_run` is off, commits in one go (the command line).
/// A rejected file is kept in the history; a dry run changes nothing at all, not even the history.
pub fn import_now(
    conn: &mut PgConnection,
    actor: &Actor,
    request: &ImportRequest,
    bytes: &[u8],
    dry_run: bool,
) -> ImportResult<ImportReport> {
    let mut analysis = analyse(conn, request, bytes)?;
    if dry_run {
        return Ok(analysis.report);
    }
    if analysis.has_errors() {
        let id = budget_line::insert_batch(
            conn,
            &new_batch(request, actor, bytes, &analysis, BatchStatus::Rejected),
        )?;
        analysis.report.batch_id = Some(id);
        return Ok(analysis.report);
    }
    conn.transaction(|conn| {
        let id = budget_line::insert_batch(
            conn,
            &new_batch(request, actor, bytes, &analysis, BatchStatus::Preview),
        )?;
        let base = analysis.base_batch_id;
        apply(conn, actor, request, &mut analysis, id, base)?;
        let report = serde_json::to_value(&analysis.report).unwrap_or(serde_json::Value::Null);
        budget_line::mark_batch_committed(conn, id, &report)?;
        Ok(analysis.report)
    })
}

/// How many new lines one `COPY` statement writes.
const COPY_CHUNK: usize = 10_000;

/// Writes one chunk of new lines (with the ids taken for them) and then their desa links.
fn copy_new_lines(
    conn: &mut PgConnection,
    request: &ImportRequest,
    batch_id: i64,
    inserts: &[(usize, &Candidate)],
    ids: &[i64],
) -> ImportResult<()> {
    let mut lines = Vec::with_capacity(inserts.len());
    let mut links = Vec::new();
    for ((opd_id, line), &id) in inserts.iter().zip(ids) {
        lines.push(BudgetLine {
            id,
            kode_kabkota: request.kode_kabkota.clone(),
            opd_id: *opd_id as i32,
            tahun: request.tahun,
            tahapan: request.tahapan,
            batch_id,
            removed_in_batch: None,
            source_row: line.source_row as i32,
            sub_kegiatan_kode: line.sub_kegiatan_kode.clone(),
            sub_kegiatan_nama: line.sub_kegiatan_nama.clone(),
            kode_rekening: line.kode_rekening.clone(),
            uraian: line.uraian.clone(),
            volume: line.volume,
            satuan: line.satuan.clone(),
            harga_satuan: line.harga_satuan,
            pagu: line.pagu,
            sumber_dana: line.sumber_dana.clone(),
            intervensi_id: line.intervensi_id,
            jenis: line.jenis,
            tag_source: line.intervensi_id.map(|_| TagSource::Impor),
            sasaran: line.sasaran.clone(),
            target_output: line.target_output,
            satuan_output: line.satuan_output.clone(),
            keterangan: line.keterangan.clone(),
        });
        links.extend(line.desa.iter().map(|kode| NewLineDesa {
            line_id: id,
            kode_desa: kode.clone(),
            tag_source: TagSource::Impor,
            kode_kabkota: request.kode_kabkota.clone(),
        }));
    }
    budget_line::copy_lines(conn, &lines)?;
    budget_line::copy_desa_links(conn, &links)?;
    Ok(())
}

/// Writes an analysed file's lines inside the caller's transaction.
fn apply(
    conn: &mut PgConnection,
    actor: &Actor,
    request: &ImportRequest,
    analysis: &mut Analysis,
    batch_id: i64,
    base_batch_id: Option<i64>,
) -> ImportResult<()> {
    // A file without lines would replace a whole workplan with nothing: refused on every path (the
    // web page has no button for it; the command line and any other caller are stopped here).
    if analysis.report.rows.accepted == 0 {
        return Err(ServiceError::Invalid(Message::new(
            MessageKey::ImportNoLinesToCommit,
        )));
    }
    // Lock every OPD's workplan the file touches, in a fixed order, then check nobody got there first.
    let mut opd_kodes: Vec<String> = analysis
        .candidates
        .iter()
        .map(|line| line.opd_kode.clone())
        .collect();
    opd_kodes.sort();
    opd_kodes.dedup();
    let mut known_ids: Vec<i32> = opd_kodes
        .iter()
        .filter_map(|kode| analysis.opds.get(kode).map(|unit| unit.id))
        .collect();
    known_ids.sort_unstable();
    for opd_id in &known_ids {
        budget_line::lock_workplan(conn, &request.kode_kabkota, *opd_id, request.tahun)?;
    }
    let current_base =
        budget_line::last_batch_touching(conn, &request.kode_kabkota, request.tahun, &known_ids)?;
    if current_base != base_batch_id {
        return Err(ServiceError::Conflict(
            MessageKey::ImportChangedMeanwhile.into(),
        ));
    }

    // OPDs created from the file
    for (kode, nama) in &analysis.new_opds {
        let created = opd::insert(
            conn,
            &NewOpd {
                kode_kabkota: request.kode_kabkota.clone(),
                kode: kode.clone(),
                nama: nama.clone(),
                singkatan: None,
            },
        )?;
        activity_log::record(
            conn,
            actor,
            "create",
            "opd",
            created.id,
            NOTHING,
            Some(&created),
        )?;
        analysis.opds.insert(kode.clone(), created);
    }

    let mut inserts: Vec<(usize, &Candidate)> = Vec::new();
    let mut summary = serde_json::Map::new();
    for kode in &opd_kodes {
        let Some(unit) = analysis.opds.get(kode) else {
            continue;
        };
        let current =
            budget_line::current_lines(conn, &request.kode_kabkota, unit.id, request.tahun)?;
        let mine: Vec<&Candidate> = analysis
            .candidates
            .iter()
            .filter(|line| &line.opd_kode == kode)
            .collect();
        let plan = plan_changes(&current, &mine);
        // Changed lines are written in bulk (a perubahan may change every line of a district).
        let mut updates: Vec<(i64, BudgetLineChanges)> = Vec::with_capacity(plan.changed.len());
        let mut desa_replaced: Vec<i64> = Vec::new();
        let mut desa_new: Vec<NewLineDesa> = Vec::new();
        for (current_index, file_index) in &plan.changed {
            let (before, after) = (&current[*current_index], mine[*file_index]);
            // a tag a person made survives a file that says nothing about it
            let (intervensi_id, jenis, tag_source) = match after.intervensi_id {
                Some(id) => (Some(id), after.jenis, Some(TagSource::Impor)),
                None if before.intervensi_id.is_some() => {
                    (before.intervensi_id, before.jenis, before.tag_source)
                }
                None => (None, after.jenis, None),
            };
            updates.push((
                before.id,
                BudgetLineChanges {
                    tahapan: request.tahapan,
                    batch_id,
                    source_row: after.source_row as i32,
                    sub_kegiatan_nama: after.sub_kegiatan_nama.clone(),
                    volume: after.volume,
                    satuan: after.satuan.clone(),
                    harga_satuan: after.harga_satuan,
                    pagu: after.pagu,
                    sumber_dana: after.sumber_dana.clone(),
                    intervensi_id,
                    jenis,
                    tag_source,
                    sasaran: after.sasaran.clone(),
                    target_output: after.target_output,
                    satuan_output: after.satuan_output.clone(),
                    keterangan: after.keterangan.clone(),
                },
            ));
            if !after.desa.is_empty() {
                desa_replaced.push(before.id);
                desa_new.extend(after.desa.iter().map(|kode| NewLineDesa {
                    line_id: before.id,
                    kode_desa: kode.clone(),
                    tag_source: TagSource::Impor,
                    kode_kabkota: request.kode_kabkota.clone(),
                }));
            }
        }
        let removed: Vec<i64> = plan
            .removed
            .iter()
            .map(|index| current[*index].id)
            .collect();
        // earlier values first, then the changes
        let superseded: Vec<i64> = updates
            .iter()
            .map(|(id, _)| *id)
            .chain(removed.iter().copied())
            .collect();
        budget_line::snapshot_versions(conn, &superseded, batch_id)?;
        budget_line::update_lines(conn, &updates)?;
        // the file's desa replace the file's earlier desa; links a person made stay (and are not doubled)
        budget_line::delete_imported_desa(conn, &desa_replaced)?;
        let kept: HashSet<(i64, String)> = budget_line::desa_links(conn, &desa_replaced)?
            .into_iter()
            .map(|(line_id, kode, _)| (line_id, kode))
            .collect();
        desa_new.retain(|link| !kept.contains(&(link.line_id, link.kode_desa.clone())));
        budget_line::copy_desa_links(conn, &desa_new)?;
        budget_line::mark_removed(conn, &removed, batch_id)?;
        if request.tahapan == Tahapan::Perubahan {
            // unchanged survivors now belong to the perubahan version too
            budget_line::set_current_tahapan(
                conn,
                &request.kode_kabkota,
                unit.id,
                request.tahun,
                request.tahapan.as_str(),
            )?;
        }
        inserts.extend(
            plan.added
                .iter()
                .map(|index| (unit.id as usize, mine[*index])),
        );
        summary.insert(
            kode.clone(),
            serde_json::json!({"tambah": plan.added.len(), "ubah": plan.changed.len(), "hapus": plan.removed.len(), "tetap": plan.unchanged}),
        );
    }

    // New lines: ids first, then COPY of the lines and of their desa links, a chunk at a time so
    // that the rows built for COPY never double what the analysis already holds (each statement's
    // references are checked once, by the set-wise triggers).
    let ids = budget_line::allocate_line_ids(conn, inserts.len())?;
    for (inserts, ids) in inserts.chunks(COPY_CHUNK).zip(ids.chunks(COPY_CHUNK)) {
        copy_new_lines(conn, request, batch_id, inserts, ids)?;
    }

    analysis.report.status = "committed".to_owned();
    analysis.report.batch_id = Some(batch_id);
    let after = serde_json::json!({
        "file_name": request.file_name,
        "sha256": analysis.report.sha256,
        "tahun": request.tahun,
        "tahapan": request.tahapan.as_str(),
        "rows": analysis.report.rows,
        "total_pagu": analysis.report.total_pagu,
        "opd": summary,
    });
    activity_log::record(
        conn,
        actor,
        "import",
        "import_batch",
        batch_id,
        NOTHING,
        Some(&after),
    )?;
    Ok(())
}

/// lokus's workplan template for a district, with dropdowns of its catalogues and of the lokus desa
/// of `tahun` (the latest fiscal year when none is given).
pub fn template_for(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    tahun: Option<i16>,
) -> ServiceResult<Vec<u8>> {
    use crate::spreadsheet::template::{TemplateLists, workplan_template};
    let load = |conn: &mut PgConnection| -> QueryResult<TemplateLists> {
        let tahun = match tahun {
            Some(tahun) => Some(tahun),
            None => district::list_tahun(conn, kode_kabkota)?
                .first()
                .map(|year| year.tahun),
        };
        let district_name = wilayah::find_by_kode(conn, kode_kabkota)?
            .map(|row| row.nama)
            .unwrap_or_default();
        let intervensi = catalogue::list_intervensi(conn, kode_kabkota)?
            .into_iter()
            .filter(|row| row.aktif)
            .map(|row| (row.kode, row.nama, row.jenis))
            .collect();
        let sumber_dana = catalogue::list_simple(conn, SimpleCatalogue::SumberDana, kode_kabkota)?
            .into_iter()
            .map(|row| (row.kode, row.nama))
            .collect();
        let lokus_desa = match tahun {
            Some(tahun) => district::list_lokus(conn, kode_kabkota, tahun)?
                .into_iter()
                .map(|row| (row.kode_desa, row.nama_desa))
                .collect(),
            None => Vec::new(),
        };
        Ok(TemplateLists {
            district_name,
            tahun,
            intervensi,
            sumber_dana,
            lokus_desa,
        })
    };
    let lists = load(conn)?;
    workplan_template(&lists).map_err(ServiceError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_lets_through_as_many_imports_as_its_limit_and_the_next_when_one_ends() {
        let gate = ImportGate::new(2);
        let first = gate.try_turn().expect("a first turn");
        let second = gate.try_turn().expect("a second turn");
        assert!(gate.try_turn().is_none(), "a third waits");
        drop(first);
        let third = gate.try_turn().expect("the third goes when one ends");
        drop((second, third));
        assert!(
            ImportGate::new(0).try_turn().is_some(),
            "a limit of 0 still lets one through"
        );
    }

    #[test]
    fn money_always_has_two_decimals() {
        assert_eq!(money(Decimal::new(1_234, 0)), "1234.00");
        assert_eq!(money(Decimal::new(1_2345, 3)), "12.35");
        assert_eq!(money(Decimal::ZERO), "0.00");
    }

    #[test]
    fn stages_only_move_forward() {
        assert!(Tahapan::Murni < Tahapan::Perubahan);
        assert_eq!(Tahapan::parse("APBD-P"), Some(Tahapan::Perubahan));
        assert_eq!(Tahapan::parse("Murni"), Some(Tahapan::Murni));
        assert_eq!(Tahapan::parse("induk"), None);
    }
}
