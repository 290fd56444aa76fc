//! The machinery every import kind shares: the gate that bounds imports in memory, the request,
//! the problems collector (each problem at its row and column, named by the file's own header),
//! the batch kept in `import_batch` with its file and report, the dry run, the all-or-nothing
//! commit of a stored preview (dispatched on the batch's kind), the CLI's one-step import and the
//! annotated error workbook. A kind brings only its column specifications, row rules and writer
//! (`workplan.rs`, `realisation.rs`): its `analyse` and `apply`.

use std::sync::{Arc, OnceLock};

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::report::{ISSUES_KEPT, ImportReport, Issue};
use super::{baas_anak, baas_sponsor, realisation, workplan};
use crate::db::budget_line::{self, ImportBatch, NewImportBatch};
use crate::domain::{BatchStatus, ImportKind, Scope, Tahapan};
use crate::i18n::{Language, Message, MessageKey};
use crate::services::activity_log::Actor;
use crate::services::error::{ServiceError, ServiceResult};
use crate::services::record_realisation::Rules;
use crate::spreadsheet::columns::{Severity, column_index, column_letter};
use crate::spreadsheet::read;

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

    /// Waits for a turn on a thread of its own (a job worker's): the same queue as the web's
    /// uploads, so jobs and requests share one bound.
    pub fn turn_blocking(&self) -> ImportTurn {
        block_on(self.turn())
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

/// Runs a future to its end on this thread, parked between polls (the gate's semaphore needs no
/// runtime, only a waker).
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        // a spurious wake-up only polls again
        std::thread::park();
    }
}

static GATE: OnceLock<ImportGate> = OnceLock::new();

/// This process's gate, bounded by `Settings::max_concurrent_imports` (the first caller's value:
/// a process has one setting). The web's uploads, commits and error workbooks and the job
/// workers' import jobs all take their turns here, so one process never reads more imports at
/// once than its bound, however many job workers it runs: the worker count does not bound import
/// memory (`job_workers` and `max_concurrent_imports` are set apart, and requests import beside
/// the jobs).
pub fn gate(limit: usize) -> &'static ImportGate {
    GATE.get_or_init(|| ImportGate::new(limit))
}

/// The gate's bound for a process: `max_concurrent_imports`, and, where the process serves the
/// web from a pool of `pool_size` connections, never more than half of it (a turn leads to a
/// connection; ordinary requests keep the other half).
pub fn gate_limit(max_concurrent_imports: usize, pool_size: Option<u32>) -> usize {
    match pool_size {
        Some(size) => max_concurrent_imports.min((size as usize / 2).max(1)),
        None => max_concurrent_imports,
    }
}

/// What an import is asked to do.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub kind: ImportKind,
    pub kode_kabkota: String,
    pub tahun: i16,
    /// The workplan's budget stage; a realisation import records the workplan's current stage.
    pub tahapan: Tahapan,
    /// The OPD the file is for. A workplan file without an OPD column needs one; with one (a SIPD
    /// export) it restricts the import to that OPD's rows. A realisation import takes only that
    /// OPD's lines (an `opd` user's always).
    pub opd_id: Option<i32>,
    pub sheet: Option<String>,
    /// Create OPDs the file names but lokus does not know (admins only; the caller checks).
    pub create_opds: bool,
    pub file_name: String,
    pub max_rows: usize,
    /// The realisation checks' settings (`fisik_tolerance_percent`).
    pub rules: Rules,
}

impl ImportRequest {
    /// A workplan import of `file_name` for a district's year and stage, with the defaults of the
    /// other fields (every OPD the file names, the first sheet with a header, 200,000 rows).
    pub fn workplan(kode_kabkota: &str, tahun: i16, tahapan: Tahapan, file_name: &str) -> Self {
        ImportRequest {
            kind: ImportKind::Workplan,
            kode_kabkota: kode_kabkota.to_owned(),
            tahun,
            tahapan,
            opd_id: None,
            sheet: None,
            create_opds: false,
            file_name: file_name.to_owned(),
            max_rows: read::ReadOptions::default().max_rows,
            rules: Rules::default(),
        }
    }

    /// A BAAS children import, recorded under a fiscal year of the district (the history's).
    pub fn baas_anak(kode_kabkota: &str, tahun: i16, file_name: &str) -> Self {
        ImportRequest {
            kind: ImportKind::BaasAnak,
            ..ImportRequest::workplan(kode_kabkota, tahun, Tahapan::Murni, file_name)
        }
    }

    /// A BAAS sponsors import, recorded under a fiscal year of the district.
    pub fn baas_sponsor(kode_kabkota: &str, tahun: i16, file_name: &str) -> Self {
        ImportRequest {
            kind: ImportKind::BaasSponsor,
            ..ImportRequest::workplan(kode_kabkota, tahun, Tahapan::Murni, file_name)
        }
    }

    /// A realisation import (the realisation form or a finance-system sheet) for a year.
    pub fn realisasi(kode_kabkota: &str, tahun: i16, file_name: &str) -> Self {
        ImportRequest {
            kind: ImportKind::Realisasi,
            ..ImportRequest::workplan(kode_kabkota, tahun, Tahapan::Murni, file_name)
        }
    }

    /// Whose lines the import may touch: the district, or one OPD of it.
    pub fn scope(&self) -> Scope {
        Scope {
            kode_kabkota: self.kode_kabkota.clone(),
            opd_id: self.opd_id,
            sponsor_user_id: None,
        }
    }
}

/// What the person committing has confirmed, and the settings the commit checks with.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommitOptions {
    /// A workplan revision removes lines that hold realisation: the realisation moves with its
    /// line to "removed" (kept and shown). Without this the commit is refused.
    pub confirm_removed_realisation: bool,
    /// The realisation checks' settings, from the configuration.
    pub rules: Rules,
}

/// Where a long import stands, for a progress bar or a progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Rows read from the file being checked (`total`: the rows the reader kept).
    Check,
    /// Lines or line-months being written (`total`: what the commit writes).
    Write,
}

/// Told how far an import has come; called every few thousand rows, from the importing thread.
pub trait Progress {
    fn advance(&self, stage: Stage, done: usize, total: usize);
}

impl<F: Fn(Stage, usize, usize)> Progress for F {
    fn advance(&self, stage: Stage, done: usize, total: usize) {
        self(stage, done, total)
    }
}

/// No progress reporting (the web's synchronous path and the tests).
pub struct Silent;

impl Progress for Silent {
    fn advance(&self, _: Stage, _: usize, _: usize) {}
}

/// How often (in rows) a kind tells its progress.
pub(super) const PROGRESS_EVERY: usize = 2_000;

/// A workbook that cannot be read is the uploader's to fix: its message, never a 500.
impl From<read::ReadError> for ServiceError {
    fn from(error: read::ReadError) -> ServiceError {
        if let read::ReadError::Corrupt { detail } = &error {
            tracing::info!(%detail, "uploaded workbook cannot be read");
        }
        ServiceError::Unreadable(error.message())
    }
}

/// Collects problems with their location, keeping the first [`ISSUES_KEPT`] of each severity
/// (the counts stay exact).
pub(super) struct Problems {
    sheet: String,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    pub error_count: usize,
    pub warning_count: usize,
}

impl Problems {
    pub fn new(sheet: &str) -> Problems {
        Problems {
            sheet: sheet.to_owned(),
            errors: Vec::new(),
            warnings: Vec::new(),
            error_count: 0,
            warning_count: 0,
        }
    }

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
    pub fn push_about(&mut self, severity: Severity, row: u32, field: &str, message: Message) {
        let issue = Issue {
            sheet: self.sheet.clone(),
            row,
            column: None,
            field: field.to_owned(),
            header: String::new(),
            message,
        };
        self.keep(severity, issue);
    }

    /// A problem of a cell: its 0-based column (none for the whole row), lokus's name of the field
    /// and the header the file gives it.
    pub fn push_cell(
        &mut self,
        severity: Severity,
        row: u32,
        column: Option<u32>,
        field: &str,
        header: String,
        message: Message,
    ) {
        let issue = Issue {
            sheet: self.sheet.clone(),
            row,
            column: column.map(column_letter),
            field: field.to_owned(),
            header,
            message,
        };
        self.keep(severity, issue);
    }
}

/// The longest file name an import keeps (most file systems allow 255).
pub const FILE_NAME_LIMIT: usize = 255;

/// What a kind's analysis leaves for its writer.
pub(super) enum Checked {
    Workplan(workplan::Lines),
    Realisasi(realisation::Entries),
    BaasAnak(baas_anak::Children),
    BaasSponsor(baas_sponsor::Sponsors),
}

/// The result of reading and checking a file: the report and, when it has no errors, what the
/// commit writes.
pub struct Analysis {
    pub report: ImportReport,
    /// The import the diff was made against: a commit is refused when another landed since.
    pub base_batch_id: Option<i64>,
    pub(super) checked: Checked,
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

/// Why a file is analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// To look at it (a dry run, a preview): nothing is locked.
    Look,
    /// To commit it, inside the commit's transaction: a kind takes the locks its writer needs
    /// before it checks, so what it checked still holds when it writes (and need not be checked
    /// again). `base`: the workplan the preview was shown against, to be refused if another
    /// import has landed since (`None`: whichever is there now).
    Commit { base: Option<Option<i64>> },
}

/// Reads and checks `bytes` as the request's kind of import; writes nothing.
pub fn analyse(
    conn: &mut PgConnection,
    request: &ImportRequest,
    bytes: &[u8],
) -> ServiceResult<Analysis> {
    analyse_with(conn, request, bytes, &Silent)
}

/// [`analyse`], telling `progress` how far the check has come.
pub fn analyse_with(
    conn: &mut PgConnection,
    request: &ImportRequest,
    bytes: &[u8],
    progress: &dyn Progress,
) -> ServiceResult<Analysis> {
    analyse_for(conn, request, bytes, progress, Purpose::Look)
}

/// [`analyse_with`] for a purpose.
fn analyse_for(
    conn: &mut PgConnection,
    request: &ImportRequest,
    bytes: &[u8],
    progress: &dyn Progress,
    purpose: Purpose,
) -> ServiceResult<Analysis> {
    let name_length = request.file_name.chars().count();
    if name_length > FILE_NAME_LIMIT {
        return Err(ServiceError::Invalid(
            Message::new(MessageKey::ImportFileNameTooLong)
                .arg(name_length)
                .arg(FILE_NAME_LIMIT),
        ));
    }
    let started = std::time::Instant::now();
    let mut analysis = match request.kind {
        ImportKind::Workplan => workplan::analyse(conn, request, bytes, progress)?,
        ImportKind::Realisasi => realisation::analyse(conn, request, bytes, progress, purpose)?,
        ImportKind::BaasAnak => baas_anak::analyse(conn, request, bytes, progress)?,
        ImportKind::BaasSponsor => baas_sponsor::analyse(conn, request, bytes, progress)?,
    };
    analysis.report.kind = request.kind.as_str().to_owned();
    // (how long each half of an import takes, for operators and `lokus bench`)
    tracing::info!(
        kind = request.kind.as_str(),
        rows = analysis.report.rows.read,
        ms = started.elapsed().as_millis() as u64,
        "import analysed"
    );
    Ok(analysis)
}

/// The workplan an import is analysed against, the base of its preview: the newest import that
/// changed the lines of these OPDs in the request's year (`Analysis::base_batch_id`).
pub(super) fn workplan_base(
    conn: &mut PgConnection,
    request: &ImportRequest,
    opd_ids: &[i32],
) -> ServiceResult<Option<i64>> {
    Ok(budget_line::last_batch_touching(
        conn,
        &request.kode_kabkota,
        request.tahun,
        opd_ids,
    )?)
}

/// Locks the workplans of these OPDs for the rest of the transaction (in a fixed order, so two
/// commits never wait on each other crosswise), then refuses with `changed` when their base is no
/// longer the one the preview was made against: another workplan import landed since, and what
/// the preview showed may no longer hold. Every kind that depends on the workplan commits
/// through this one check.
pub(super) fn hold_workplan_base(
    conn: &mut PgConnection,
    request: &ImportRequest,
    opd_ids: &[i32],
    base_batch_id: Option<i64>,
    changed: MessageKey,
) -> ServiceResult<()> {
    let mut opd_ids = opd_ids.to_vec();
    opd_ids.sort_unstable();
    opd_ids.dedup();
    for opd_id in &opd_ids {
        budget_line::lock_workplan(conn, &request.kode_kabkota, *opd_id, request.tahun)?;
    }
    if workplan_base(conn, request, &opd_ids)? != base_batch_id {
        return Err(ServiceError::Conflict(changed.into()));
    }
    Ok(())
}

/// Writes an analysed file inside the caller's transaction, as its kind does.
fn apply(
    conn: &mut PgConnection,
    actor: &Actor,
    request: &ImportRequest,
    analysis: &mut Analysis,
    batch_id: i64,
    options: &CommitOptions,
    progress: &dyn Progress,
) -> ServiceResult<()> {
    let started = std::time::Instant::now();
    let base = analysis.base_batch_id;
    let Analysis {
        report, checked, ..
    } = analysis;
    match checked {
        Checked::Workplan(lines) => workplan::apply(
            conn, actor, request, report, lines, batch_id, base, options, progress,
        )?,
        Checked::Realisasi(entries) => realisation::apply(
            conn, actor, request, report, entries, batch_id, base, options, progress,
        )?,
        Checked::BaasAnak(children) => baas_anak::apply(
            conn, actor, request, report, children, batch_id, base, options, progress,
        )?,
        Checked::BaasSponsor(sponsors) => baas_sponsor::apply(
            conn, actor, request, report, sponsors, batch_id, base, options, progress,
        )?,
    }
    report.status = "committed".to_owned();
    report.batch_id = Some(batch_id);
    tracing::info!(
        kind = request.kind.as_str(),
        batch_id,
        ms = started.elapsed().as_millis() as u64,
        "import written"
    );
    Ok(())
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
        kind: request.kind,
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
    progress: &dyn Progress,
) -> ServiceResult<ImportReport> {
    let mut analysis = analyse_with(conn, request, bytes, progress)?;
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

/// The request a stored batch was made with (the settings' rules come with the commit).
pub fn request_of(batch: &ImportBatch) -> ServiceResult<ImportRequest> {
    Ok(ImportRequest {
        kind: batch.kind,
        kode_kabkota: batch.kode_kabkota.clone(),
        tahun: batch.tahun,
        tahapan: batch.tahapan,
        opd_id: batch.opd_id,
        sheet: batch.sheet.clone(),
        create_opds: batch.create_opds,
        file_name: batch.file_name.clone(),
        max_rows: usize::MAX,
        rules: Rules::default(),
    })
}

/// Commits a previewed batch of any kind: the stored file is analysed again and applied, in one
/// transaction, provided nothing changed what it changes since the preview was shown.
pub fn commit_preview(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    batch_id: i64,
    options: &CommitOptions,
    progress: &dyn Progress,
) -> ServiceResult<ImportReport> {
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
        let request = ImportRequest {
            rules: options.rules,
            ..request_of(&batch)?
        };
        let bytes = budget_line::batch_file(conn, batch_id)?;
        let purpose = Purpose::Commit {
            base: Some(batch.base_batch_id),
        };
        let mut analysis = analyse_for(conn, &request, &bytes, progress, purpose)?;
        if analysis.has_errors() {
            return Err(ServiceError::Conflict(
                MessageKey::ImportNowHasErrors.into(),
            ));
        }
        // the diff was shown against this base; another import since would make it a lie
        analysis.base_batch_id = batch.base_batch_id;
        apply(
            conn,
            actor,
            &request,
            &mut analysis,
            batch_id,
            options,
            progress,
        )?;
        let report = serde_json::to_value(&analysis.report).unwrap_or(serde_json::Value::Null);
        budget_line::mark_batch_committed(conn, batch_id, &report)?;
        Ok(analysis.report)
    })
}

/// Analyses and, when there are no errors and `dry_run` is off, commits in one go (the command
/// line, the demo). A rejected file is kept in the history; a dry run changes nothing at all, not
/// even the history.
pub fn import_now(
    conn: &mut PgConnection,
    actor: &Actor,
    request: &ImportRequest,
    bytes: &[u8],
    dry_run: bool,
    options: &CommitOptions,
    progress: &dyn Progress,
) -> ServiceResult<ImportReport> {
    if dry_run {
        return Ok(analyse_with(conn, request, bytes, progress)?.report);
    }
    conn.transaction(|conn| {
        let purpose = Purpose::Commit { base: None };
        let mut analysis = analyse_for(conn, request, bytes, progress, purpose)?;
        if analysis.has_errors() {
            // only the history changes: the file is kept as rejected
            let id = budget_line::insert_batch(
                conn,
                &new_batch(request, actor, bytes, &analysis, BatchStatus::Rejected),
            )?;
            analysis.report.batch_id = Some(id);
            return Ok(analysis.report);
        }
        let id = budget_line::insert_batch(
            conn,
            &new_batch(request, actor, bytes, &analysis, BatchStatus::Preview),
        )?;
        apply(conn, actor, request, &mut analysis, id, options, progress)?;
        let report = serde_json::to_value(&analysis.report).unwrap_or(serde_json::Value::Null);
        budget_line::mark_batch_committed(conn, id, &report)?;
        Ok(analysis.report)
    })
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
    fn a_worker_thread_waits_for_its_turn_in_the_same_queue() {
        let gate = Arc::new(ImportGate::new(1));
        let held = gate.try_turn().expect("the only turn");
        let (sender, receiver) = std::sync::mpsc::channel();
        let waiting = gate.clone();
        let worker = std::thread::spawn(move || {
            let _turn = waiting.turn_blocking();
            sender.send(()).unwrap();
        });
        assert!(
            receiver
                .recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "it waits while the turn is held"
        );
        drop(held);
        receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("it goes once the turn is free");
        worker.join().unwrap();
        assert_eq!(gate_limit(2, Some(3)), 1);
        assert_eq!(gate_limit(2, Some(20)), 2);
        assert_eq!(gate_limit(4, None), 4);
    }
}
