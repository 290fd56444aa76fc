//! The realisation kind of import, in two layouts told apart by their headers: lokus's realisation
//! form (`spreadsheet::realisasi_form`, keyed by its locked line id column, a keuangan and a fisik
//! column per month) and a finance-system sheet (SIPD-RI penatausahaan, SIMDA: rows keyed by sub
//! kegiatan code + kode rekening (+ uraian) with a month or a date, amounts summed per line and
//! month; a key matching no current line or several is listed at its row, never guessed). Both
//! become the months to set per line, checked by `record_realisation::plan` (the web form's own
//! checks), every problem placed back at its row and column; `apply` records them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use calamine::Data;
use chrono::Datelike;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::pipeline::{
    self, Analysis, Checked, CommitOptions, ImportRequest, PROGRESS_EVERY, Progress, Purpose, Stage,
};
use super::report::{ImportReport, MonthDiff, REPORT_VERSION, RealisasiDiff, RowCounts, money};
use crate::db::opd::Opd;
use crate::db::realisasi::{self, LineForRealisation};
use crate::domain::amount::{MONEY_DECIMALS, QUANTITY_DECIMALS};
use crate::domain::names::normalise;
use crate::i18n::{Message, MessageKey};
use crate::services::activity_log::{self, Actor, NOTHING};
use crate::services::error::{ServiceError, ServiceResult};
use crate::services::record_realisation::{
    self, Figure, Figures, Hold, LineMonths, MonthInput, RecordOutcome, Via,
};
use crate::spreadsheet::columns::{Severity, normalise_header};
use crate::spreadsheet::read::{
    self, LayoutSpec, NumberCell, ReadOptions, SpecRow, SpecSheet, date_cell, excerpt, number_cell,
    text_cell,
};
use crate::spreadsheet::realisasi_form::{BULAN, FormHeader, FormLine, LINE_ID_HEADER};

/// A column the realisation kind reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    LineId,
    Keuangan(i16),
    Fisik(i16),
    SubKegiatan,
    Rekening,
    Uraian,
    Amount,
    Bulan,
    Tanggal,
}

/// The month a header's tail names (`januari`, `jan`, `1`), 1-based.
fn month_of(text: &str) -> Option<i16> {
    if let Ok(number) = text.parse::<i16>() {
        return (1..=12).contains(&number).then_some(number);
    }
    const ENGLISH: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (0..12).find_map(|index| {
        let indonesian = BULAN[index].to_lowercase();
        let english = ENGLISH[index];
        let matches = text == indonesian
            || text == english
            || (text.len() == 3 && (indonesian.starts_with(text) || english.starts_with(text)));
        matches.then_some(index as i16 + 1)
    })
}

fn form_column(header: &str) -> Option<Column> {
    if header == normalise_header(LINE_ID_HEADER) || header == "idbarisanggaran" {
        return Some(Column::LineId);
    }
    if let Some(month) = header.strip_prefix("keuangan") {
        return month_of(month).map(Column::Keuangan);
    }
    if let Some(month) = header.strip_prefix("fisik") {
        return month_of(month).map(Column::Fisik);
    }
    None
}

fn finance_column(header: &str) -> Option<Column> {
    Some(match header {
        "kodesubkegiatan" | "kodesubkegiatanbelanja" => Column::SubKegiatan,
        "koderekening" | "kodeakun" | "koderekeningbelanja" | "kodeakunbelanja" => Column::Rekening,
        "uraian" | "uraianbelanja" | "uraianrincian" => Column::Uraian,
        "nilai" | "nilaisp2d" | "nilairealisasi" | "realisasi" | "realisasikeuangan" | "jumlah"
        | "jumlahbelanja" | "nilaibelanja" | "nominal" | "belanja" => Column::Amount,
        "bulan" | "bulanrealisasi" | "periode" => Column::Bulan,
        "tanggal" | "tanggalsp2d" | "tglsp2d" | "tgl" | "tanggaltransaksi" | "tanggalbukti" => {
            Column::Tanggal
        }
        _ => return None,
    })
}

const FORM: usize = 0;
static LAYOUTS: [LayoutSpec<Column>; 2] = [
    LayoutSpec {
        required: &[(&[Column::LineId], LINE_ID_HEADER)],
        column: form_column,
    },
    LayoutSpec {
        required: &[
            (&[Column::SubKegiatan], "Kode Sub Kegiatan"),
            (&[Column::Rekening], "Kode Rekening"),
            (&[Column::Amount], "Nilai"),
        ],
        column: finance_column,
    },
];

/// What a checked realisation file leaves for its writer: the recording worked out by
/// `record_realisation::plan`, under the writers' locks when the analysis was a commit's.
pub(super) struct Entries {
    plan: Option<record_realisation::Plan>,
    /// The file named no month to set at all.
    nothing: bool,
}

/// Where each line and line-month came from in the file, to place the checks' problems.
#[derive(Default)]
struct Places {
    line_row: HashMap<i64, u32>,
    month_row: HashMap<(i64, i16), u32>,
    /// The column of a figure of a month (the form) or of every amount (a finance sheet).
    keuangan: HashMap<i16, u32>,
    fisik: HashMap<i16, u32>,
    line_column: Option<u32>,
    /// Lines whose row the reader already counted as rejected.
    rejected: BTreeSet<i64>,
}

/// The pipeline's collector, each column named by the header this sheet gives it.
struct Problems<'a> {
    sheet: &'a SpecSheet<Column>,
    all: pipeline::Problems,
}

impl Problems<'_> {
    fn at(&mut self, severity: Severity, row: u32, column: Option<u32>, message: Message) {
        let header = column.map(|c| self.sheet.header_at(c)).unwrap_or_default();
        let field = column
            .and_then(|c| self.sheet.columns.iter().find(|m| m.column == c))
            .map_or("baris", |m| field_name(m.key));
        self.all
            .push_cell(severity, row, column, field, header, message);
    }

    fn error(&mut self, row: u32, column: Option<u32>, message: Message) {
        self.at(Severity::Error, row, column, message);
    }
}

/// lokus's stable name of a column, for programs reading the JSON.
fn field_name(column: Column) -> &'static str {
    match column {
        Column::LineId => "line_id",
        Column::Keuangan(_) => "keuangan",
        Column::Fisik(_) => "fisik",
        Column::SubKegiatan => "sub_kegiatan_kode",
        Column::Rekening => "kode_rekening",
        Column::Uraian => "uraian",
        Column::Amount => "nilai",
        Column::Bulan => "bulan",
        Column::Tanggal => "tanggal",
    }
}

pub(super) fn analyse(
    conn: &mut PgConnection,
    request: &ImportRequest,
    bytes: &[u8],
    progress: &dyn Progress,
    purpose: Purpose,
) -> ServiceResult<Analysis> {
    let options = ReadOptions {
        sheet: request.sheet.clone(),
        max_rows: request.max_rows,
        ..ReadOptions::default()
    };
    let sheet = read::read_by_spec(bytes, &options, &LAYOUTS)?;
    let scope = request.scope();
    let mut problems = Problems {
        sheet: &sheet,
        all: pipeline::Problems::new(&sheet.sheet),
    };
    if !sheet.choice.other_candidates.is_empty() {
        problems.all.push_about(
            Severity::Warning,
            sheet.header_row,
            "lembar",
            Message::new(MessageKey::ImportSheetChosen)
                .arg(&sheet.sheet)
                .arg(sheet.choice.other_candidates.join(", ")),
        );
    }
    let mut counts = RowCounts {
        read: sheet.blank_rows,
        skipped: sheet.blank_rows,
        ..RowCounts::default()
    };
    let mut skipped_by_reason = BTreeMap::new();
    if sheet.blank_rows > 0 {
        skipped_by_reason.insert("kosong".to_owned(), sheet.blank_rows);
    }
    let mut places = Places::default();
    let (input, lines) = if sheet.layout == FORM {
        read_form(
            conn,
            request,
            &sheet,
            &mut problems,
            &mut counts,
            &mut places,
            progress,
        )?
    } else {
        read_finance(
            conn,
            request,
            &sheet,
            &mut problems,
            &mut counts,
            &mut places,
            progress,
        )?
    };
    // this kind skips only rows without a line or a figure
    if counts.skipped > 0 {
        skipped_by_reason.insert("kosong".to_owned(), counts.skipped);
    }

    // the months were checked against these OPDs' workplans as they stand now
    let mut opd_ids: Vec<i32> = input
        .iter()
        .filter_map(|line| lines.get(&line.line_id).map(|found| found.opd_id))
        .collect();
    opd_ids.sort_unstable();
    opd_ids.dedup();
    let (base_batch_id, hold) = match purpose {
        Purpose::Look => (
            pipeline::workplan_base(conn, request, &opd_ids)?,
            Hold::Nothing,
        ),
        // a commit checks under the locks it writes with, so its checks still hold when it writes
        Purpose::Commit { base } => {
            let base = match base {
                Some(shown) => shown,
                None => pipeline::workplan_base(conn, request, &opd_ids)?,
            };
            pipeline::hold_workplan_base(
                conn,
                request,
                &opd_ids,
                base,
                MessageKey::RealisasiWorkplanChangedMeanwhile,
            )?;
            (base, Hold::Writers)
        }
    };
    // the web form's own checks, every problem placed back at its cell
    let plan = record_realisation::plan(conn, &scope, &input, &lines, request.rules, hold)?;
    let outcome = &plan.outcome;
    let mut rejected_lines: BTreeSet<i64> = BTreeSet::new();
    for problem in &outcome.problems {
        let row = match problem.bulan {
            Some(bulan) => places
                .month_row
                .get(&(problem.line_id, bulan))
                .or(places.line_row.get(&problem.line_id)),
            None => places.line_row.get(&problem.line_id),
        }
        .copied()
        .unwrap_or(sheet.header_row);
        let column = match (problem.figure, problem.bulan) {
            (Figure::Line, _) | (_, None) => places.line_column,
            (Figure::Keuangan, Some(bulan)) => places.keuangan.get(&bulan).copied(),
            (Figure::Fisik, Some(bulan)) => places
                .fisik
                .get(&bulan)
                .or(places.keuangan.get(&bulan))
                .copied(),
        };
        if problem.severity == Severity::Error {
            rejected_lines.insert(problem.line_id);
        }
        problems.at(problem.severity, row, column, problem.message.clone());
    }
    let newly = rejected_lines.difference(&places.rejected).count();
    counts.rejected += newly;
    counts.accepted = counts.accepted.saturating_sub(newly);
    if input.is_empty() && problems.all.error_count == 0 {
        problems.all.push_about(
            Severity::Error,
            sheet.header_row,
            "berkas",
            MessageKey::RealisasiNothingToImport.into(),
        );
    }
    let diff = describe(outcome, &lines);
    let nothing = input.is_empty();
    drop(input);
    let sha256 = pipeline::sha256_hex(bytes);
    let pipeline::Problems {
        errors,
        warnings,
        error_count,
        warning_count,
        ..
    } = problems.all;
    let report = ImportReport {
        version: REPORT_VERSION,
        kind: String::new(),
        status: if errors.is_empty() {
            "dry_run"
        } else {
            "rejected"
        }
        .to_owned(),
        file_name: request.file_name.clone(),
        sha256,
        sheet: sheet.sheet.clone(),
        header_row: sheet.header_row,
        layout: if sheet.layout == FORM {
            "formulir"
        } else {
            "keuangan"
        }
        .to_owned(),
        tahun: request.tahun,
        tahapan: request.tahapan.as_str().to_owned(),
        rows: counts,
        total_pagu: money(Decimal::ZERO),
        skipped_by_reason,
        errors,
        warnings,
        error_count,
        warning_count,
        realisasi: diff,
        ..ImportReport::default()
    };
    Ok(Analysis {
        report,
        base_batch_id,
        checked: Checked::Realisasi(Entries {
            plan: Some(plan),
            nothing,
        }),
    })
}

/// The lines the file names that exist in scope, by id (another OPD's line is not among them).
type KnownLines = HashMap<i64, LineForRealisation>;

/// The realisation form: one row per line id, a keuangan and a fisik column per month.
fn read_form(
    conn: &mut PgConnection,
    request: &ImportRequest,
    sheet: &SpecSheet<Column>,
    problems: &mut Problems<'_>,
    counts: &mut RowCounts,
    places: &mut Places,
    progress: &dyn Progress,
) -> ServiceResult<(Vec<LineMonths>, KnownLines)> {
    let id_column = sheet.column_of(Column::LineId);
    places.line_column = id_column;
    let mut months: Vec<(i16, u32, Option<u32>)> = Vec::new();
    for column in &sheet.columns {
        if let Column::Keuangan(bulan) = column.key {
            places.keuangan.insert(bulan, column.column);
            months.push((bulan, column.column, sheet.column_of(Column::Fisik(bulan))));
        }
        if let Column::Fisik(bulan) = column.key {
            places.fisik.insert(bulan, column.column);
        }
    }
    months.sort_unstable();
    // a month column whose header names no month ("Keuangan 13") would be skipped unseen
    for (column, header) in &sheet.ignored {
        let normalised = normalise_header(header);
        let field = if normalised.starts_with("keuangan") {
            "keuangan"
        } else if normalised.starts_with("fisik") {
            "fisik"
        } else {
            continue;
        };
        problems.all.push_cell(
            Severity::Error,
            sheet.header_row,
            Some(*column),
            field,
            header.clone(),
            Message::new(MessageKey::RealisasiHeaderMonthUnknown).arg(header),
        );
    }
    let id_header = id_column
        .map(|c| sheet.header_at(c))
        .unwrap_or_else(|| LINE_ID_HEADER.to_owned());
    // The lines the file names are looked up while its months are read: their ids first (one cell
    // a row), then the query runs on its own thread with the connection while this one reads the
    // cells (an import of 20,000 lines spends about as long on each).
    let mut named: Vec<i64> = sheet
        .rows
        .iter()
        .filter_map(
            |row| match line_id_cell(id_column.map_or(&Data::Empty, |c| row.cell(c))) {
                LineIdCell::Id(id) => Some(id),
                LineIdCell::Blank | LineIdCell::Invalid => None,
            },
        )
        .collect();
    named.sort_unstable();
    named.dedup();
    let (mut input, known) = std::thread::scope(|threads| {
        let lookup = threads.spawn(|| known_lines(conn, request, &named));
        let input = read_form_months(
            sheet, &months, id_column, &id_header, problems, counts, places, progress,
        );
        let known = lookup.join().unwrap_or_else(|_| {
            Err(ServiceError::internal(
                "the lookup of the form's lines failed",
            ))
        });
        known.map(|known| (input, known))
    })?;
    // a form of another year is not this year's realisation
    input.retain(|line| match known.get(&line.line_id) {
        Some(found) if found.tahun != request.tahun => {
            problems.error(
                places.line_row[&line.line_id],
                id_column,
                Message::new(MessageKey::ImportTahunMismatch)
                    .arg(found.tahun)
                    .arg(request.tahun),
            );
            if places.rejected.insert(line.line_id) {
                counts.accepted -= 1;
                counts.rejected += 1;
            }
            false
        }
        _ => true,
    });
    Ok((input, known))
}

/// A line id cell of the form: blank, a line id (a whole number above 0), or not one.
enum LineIdCell {
    Blank,
    Id(i64),
    Invalid,
}

fn line_id_cell(cell: &Data) -> LineIdCell {
    match number_cell(cell, 0) {
        NumberCell::Blank => LineIdCell::Blank,
        NumberCell::Value(value) if value.fract().is_zero() && value > Decimal::ZERO => {
            match i64::try_from(value.trunc().mantissa()) {
                Ok(id) if id > 0 => LineIdCell::Id(id),
                _ => LineIdCell::Invalid,
            }
        }
        NumberCell::Value(_) | NumberCell::NotANumber(_) => LineIdCell::Invalid,
    }
}

/// The form's rows read into line-months, every problem of a cell reported at it.
#[expect(
    clippy::too_many_arguments,
    reason = "the form's reading state, kept by the caller for the checks that follow"
)]
fn read_form_months(
    sheet: &SpecSheet<Column>,
    months: &[(i16, u32, Option<u32>)],
    id_column: Option<u32>,
    id_header: &str,
    problems: &mut Problems<'_>,
    counts: &mut RowCounts,
    places: &mut Places,
    progress: &dyn Progress,
) -> Vec<LineMonths> {
    let mut input: Vec<LineMonths> = Vec::new();
    for (index, row) in sheet.rows.iter().enumerate() {
        if index % PROGRESS_EVERY == 0 {
            progress.advance(Stage::Check, index, sheet.rows.len());
        }
        counts.read += 1;
        let errors_before = problems.all.error_count;
        let id_cell = id_column.map_or(&Data::Empty, |c| row.cell(c));
        let line_id = match line_id_cell(id_cell) {
            LineIdCell::Blank => {
                // a row holding only the sheet's own totals or notes is not a line
                if months
                    .iter()
                    .all(|(_, column, _)| number_cell(row.cell(*column), 2) == NumberCell::Blank)
                {
                    counts.skipped += 1;
                    continue;
                }
                problems.error(
                    row.row,
                    id_column,
                    Message::new(MessageKey::RealisasiCellBlank).arg(id_header),
                );
                counts.rejected += 1;
                continue;
            }
            LineIdCell::Id(id) => id,
            LineIdCell::Invalid => -1,
        };
        if line_id <= 0 {
            problems.error(
                row.row,
                id_column,
                Message::new(MessageKey::RealisasiLineIdInvalid)
                    .arg(excerpt(&id_cell.to_string()))
                    .arg(id_header),
            );
            counts.rejected += 1;
            continue;
        }
        if let Some(first) = places.line_row.get(&line_id) {
            problems.error(
                row.row,
                id_column,
                Message::new(MessageKey::RealisasiLineTwice)
                    .arg(line_id)
                    .arg(first),
            );
            counts.rejected += 1;
            continue;
        }
        places.line_row.insert(line_id, row.row);
        let mut line = LineMonths {
            line_id,
            months: Vec::new(),
        };
        for (bulan, keuangan_column, fisik_column) in months {
            let keuangan = figure(problems, row, Some(*keuangan_column), MONEY_DECIMALS);
            let fisik = figure(problems, row, *fisik_column, QUANTITY_DECIMALS);
            if let (Ok(None), Ok(Some(_))) = (&keuangan, &fisik) {
                problems.error(
                    row.row,
                    *fisik_column,
                    Message::new(MessageKey::RealisasiFisikWithoutKeuangan).arg(bulan),
                );
                continue;
            }
            if let (Ok(keuangan), Ok(fisik)) = (keuangan, fisik) {
                line.months.push(MonthInput {
                    bulan: *bulan,
                    keuangan,
                    fisik,
                });
            }
        }
        // a row with a bad cell still has its other months checked, so the file shows every
        // problem at once; the report's errors keep it from being committed
        if problems.all.error_count > errors_before {
            counts.rejected += 1;
            places.rejected.insert(line_id);
        } else {
            counts.accepted += 1;
        }
        input.push(line);
    }
    input
}

fn known_lines(
    conn: &mut PgConnection,
    request: &ImportRequest,
    ids: &[i64],
) -> ServiceResult<KnownLines> {
    Ok(realisasi::lines_in_scope(conn, ids, &request.scope())?
        .into_iter()
        .map(|line| (line.id, line))
        .collect())
}

/// A figure cell: `Ok(None)` when blank, the error reported at its cell otherwise.
fn figure(
    problems: &mut Problems<'_>,
    row: &SpecRow,
    column: Option<u32>,
    decimals: u32,
) -> Result<Option<Decimal>, ()> {
    let Some(column) = column else {
        return Ok(None);
    };
    match number_cell(row.cell(column), decimals) {
        NumberCell::Blank => Ok(None),
        NumberCell::Value(value) => Ok(Some(value)),
        NumberCell::NotANumber(text) => {
            let header = problems.sheet.header_at(column);
            problems.error(
                row.row,
                Some(column),
                Message::new(MessageKey::RealisasiCellNotNumber)
                    .arg(text)
                    .arg(header),
            );
            Err(())
        }
    }
}

/// A finance-system sheet: payments keyed by codes (+ uraian) and a month or date, summed per
/// line and month. The months named replace what those lines held in them; fisik, which finance
/// systems do not carry, stays as recorded.
fn read_finance(
    conn: &mut PgConnection,
    request: &ImportRequest,
    sheet: &SpecSheet<Column>,
    problems: &mut Problems<'_>,
    counts: &mut RowCounts,
    places: &mut Places,
    progress: &dyn Progress,
) -> ServiceResult<(Vec<LineMonths>, KnownLines)> {
    let column = |key| sheet.column_of(key);
    let (sub_column, rekening_column, amount_column) = (
        column(Column::SubKegiatan),
        column(Column::Rekening),
        column(Column::Amount),
    );
    let (uraian_column, bulan_column, tanggal_column) = (
        column(Column::Uraian),
        column(Column::Bulan),
        column(Column::Tanggal),
    );
    places.line_column = sub_column;
    let current = realisasi::current_lines_in_scope(conn, &request.scope(), request.tahun)?;
    let mut by_key: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (index, line) in current.iter().enumerate() {
        by_key
            .entry((
                line.sub_kegiatan_kode.clone(),
                line.kode_rekening.clone().unwrap_or_default(),
            ))
            .or_default()
            .push(index);
    }
    if bulan_column.is_none() && tanggal_column.is_none() {
        problems.all.push_about(
            Severity::Error,
            sheet.header_row,
            "bulan",
            MessageKey::RealisasiNoMonthColumn.into(),
        );
        return Ok((Vec::new(), HashMap::new()));
    }
    let mut sums: BTreeMap<(i64, i16), Decimal> = BTreeMap::new();
    for (index, row) in sheet.rows.iter().enumerate() {
        if index % PROGRESS_EVERY == 0 {
            progress.advance(Stage::Check, index, sheet.rows.len());
        }
        counts.read += 1;
        let text = |column: Option<u32>| column.and_then(|c| text_cell(row.cell(c)));
        let (sub, rekening, uraian) =
            (text(sub_column), text(rekening_column), text(uraian_column));
        let amount = number_cell(amount_column.map_or(&Data::Empty, |c| row.cell(c)), 2);
        if sub.is_none() && rekening.is_none() && amount == NumberCell::Blank {
            counts.skipped += 1;
            continue;
        }
        let errors_before = problems.all.error_count;
        let amount = match amount {
            NumberCell::Value(value) => Some(value),
            NumberCell::Blank => {
                let header = amount_column
                    .map(|c| sheet.header_at(c))
                    .unwrap_or_default();
                problems.error(
                    row.row,
                    amount_column,
                    Message::new(MessageKey::RealisasiCellBlank).arg(header),
                );
                None
            }
            NumberCell::NotANumber(text) => {
                let header = amount_column
                    .map(|c| sheet.header_at(c))
                    .unwrap_or_default();
                problems.error(
                    row.row,
                    amount_column,
                    Message::new(MessageKey::RealisasiCellNotNumber)
                        .arg(text)
                        .arg(header),
                );
                None
            }
        };
        // a negative row is a refund (pengembalian): it counts against its month, whose sum the
        // checks hold to >= 0
        let bulan = month_of_row(request, sheet, row, bulan_column, tanggal_column, problems);
        for (value, column) in [(&sub, sub_column), (&rekening, rekening_column)] {
            if value.is_none() {
                let header = column.map(|c| sheet.header_at(c)).unwrap_or_default();
                problems.error(
                    row.row,
                    column,
                    Message::new(MessageKey::RealisasiCellBlank).arg(header),
                );
            }
        }
        let (Some(sub), Some(rekening)) = (sub, rekening) else {
            counts.rejected += 1;
            continue;
        };
        // the key never guesses: one current line, or the uraian must single one out
        let found: Vec<&LineForRealisation> = by_key
            .get(&(sub.clone(), rekening.clone()))
            .map(|indexes| indexes.iter().map(|i| &current[*i]).collect())
            .unwrap_or_default();
        let found = match (&uraian, found.len()) {
            (Some(uraian), n) if n > 1 => {
                let wanted = normalise(uraian);
                let narrowed: Vec<&LineForRealisation> = found
                    .iter()
                    .copied()
                    .filter(|line| normalise(&line.uraian) == wanted)
                    .collect();
                if narrowed.is_empty() { found } else { narrowed }
            }
            _ => found,
        };
        let shown_uraian = uraian
            .as_deref()
            .map(|text| format!(" / {}", excerpt(text)))
            .unwrap_or_default();
        let line = match found.as_slice() {
            [line] => Some(*line),
            [] => {
                problems.error(
                    row.row,
                    sub_column,
                    Message::new(MessageKey::RealisasiKeyUnmatched)
                        .arg(excerpt(&sub))
                        .arg(excerpt(&rekening))
                        .arg(&shown_uraian),
                );
                None
            }
            many => {
                let ids: Vec<String> = many.iter().map(|line| line.id.to_string()).collect();
                problems.error(
                    row.row,
                    sub_column,
                    Message::new(MessageKey::RealisasiKeyAmbiguous)
                        .arg(excerpt(&sub))
                        .arg(excerpt(&rekening))
                        .arg(&shown_uraian)
                        .arg(many.len())
                        .arg(ids.join(", ")),
                );
                None
            }
        };
        if problems.all.error_count > errors_before {
            counts.rejected += 1;
            continue;
        }
        let (Some(line), Some(bulan), Some(amount)) = (line, bulan, amount) else {
            counts.rejected += 1;
            continue;
        };
        counts.accepted += 1;
        places.line_row.entry(line.id).or_insert(row.row);
        places.month_row.entry((line.id, bulan)).or_insert(row.row);
        *sums.entry((line.id, bulan)).or_default() += amount;
    }
    if let Some(column) = amount_column {
        places.keuangan = (1..=12).map(|bulan| (bulan, column)).collect();
    }
    let ids: Vec<i64> = sums.keys().map(|(id, _)| *id).collect();
    let stored: HashMap<(i64, i16), Option<Decimal>> = realisasi::for_lines(conn, &ids)?
        .into_iter()
        .map(|row| ((row.line_id, row.bulan), row.fisik))
        .collect();
    let mut input: Vec<LineMonths> = Vec::new();
    for ((line_id, bulan), keuangan) in sums {
        let month = MonthInput {
            bulan,
            keuangan: Some(keuangan),
            fisik: stored.get(&(line_id, bulan)).copied().flatten(),
        };
        match input.last_mut() {
            Some(last) if last.line_id == line_id => last.months.push(month),
            _ => input.push(LineMonths {
                line_id,
                months: vec![month],
            }),
        }
    }
    let known = current.into_iter().map(|line| (line.id, line)).collect();
    Ok((input, known))
}

/// The month of a finance-system row: its Bulan cell, else its date (within the fiscal year).
fn month_of_row(
    request: &ImportRequest,
    sheet: &SpecSheet<Column>,
    row: &SpecRow,
    bulan_column: Option<u32>,
    tanggal_column: Option<u32>,
    problems: &mut Problems<'_>,
) -> Option<i16> {
    if let Some(column) = bulan_column {
        let cell = row.cell(column);
        let month = match cell {
            Data::Int(value) => i16::try_from(*value).ok().filter(|m| (1..=12).contains(m)),
            Data::Float(value) if value.fract() == 0.0 && (1.0..=12.0).contains(value) => {
                Some(*value as i16)
            }
            Data::String(text) => month_of(&normalise_header(text)),
            _ => None,
        };
        if month.is_some() || tanggal_column.is_none() {
            if month.is_none() {
                problems.error(
                    row.row,
                    Some(column),
                    Message::new(MessageKey::RealisasiMonthCellInvalid)
                        .arg(excerpt(&cell.to_string()))
                        .arg(sheet.header_at(column)),
                );
            }
            return month;
        }
    }
    let column = tanggal_column?;
    let cell = row.cell(column);
    let Some(date) = date_cell(cell) else {
        problems.error(
            row.row,
            Some(column),
            Message::new(MessageKey::RealisasiDateInvalid)
                .arg(excerpt(&cell.to_string()))
                .arg(sheet.header_at(column)),
        );
        return None;
    };
    if date.year() != i32::from(request.tahun) {
        problems.error(
            row.row,
            Some(column),
            Message::new(MessageKey::RealisasiDateOutsideYear)
                .arg(date.format("%d/%m/%Y").to_string())
                .arg(request.tahun),
        );
        return None;
    }
    Some(date.month() as i16)
}

/// A line's twelve months: keuangan and fisik where recorded.
type Year = [Option<(Decimal, Option<Decimal>)>; 12];

/// What the realisation form of one OPD's year holds: its current lines with their recorded
/// months, and the months an admin locked. The web download, `lokus template realisasi` and the
/// demo write it with `spreadsheet::realisasi_form`.
pub fn realisation_form(
    conn: &mut PgConnection,
    unit: &Opd,
    tahun: i16,
    from: i16,
    to: i16,
) -> QueryResult<(FormHeader, Vec<FormLine>)> {
    let lines = realisasi::current_lines_of_opd(conn, &unit.kode_kabkota, unit.id, tahun)?;
    let ids: Vec<i64> = lines.iter().map(|line| line.id).collect();
    let mut recorded: HashMap<i64, Year> = HashMap::new();
    for row in realisasi::for_lines(conn, &ids)? {
        if (1..=12).contains(&row.bulan) {
            recorded.entry(row.line_id).or_insert([None; 12])[(row.bulan - 1) as usize] =
                Some((row.keuangan, row.fisik));
        }
    }
    let locked_months = realisasi::locked_months(conn, &unit.kode_kabkota, tahun)?;
    let lines = lines
        .into_iter()
        .map(|line| FormLine {
            months: recorded.get(&line.id).copied().unwrap_or([None; 12]),
            id: line.id,
            sub_kegiatan_kode: line.sub_kegiatan_kode,
            kode_rekening: line.kode_rekening,
            uraian: line.uraian,
            pagu: line.pagu,
            target_output: line.target_output,
            satuan_output: line.satuan_output,
        })
        .collect();
    let header = FormHeader {
        opd_kode: unit.kode.clone(),
        opd_nama: unit.nama.clone(),
        tahun,
        from,
        to,
        locked_months,
    };
    Ok((header, lines))
}

const CHANGES_SHOWN: usize = 300;

fn describe(outcome: &RecordOutcome, lines: &KnownLines) -> RealisasiDiff {
    let figures = |figures: &Option<Figures>| {
        (
            figures.as_ref().map(|f| money(f.keuangan)),
            figures
                .as_ref()
                .and_then(|f| f.fisik)
                .map(|fisik| fisik.normalize().to_string()),
        )
    };
    let keuangan =
        |figures: &Option<Figures>| figures.as_ref().map_or(Decimal::ZERO, |f| f.keuangan);
    let mut diff = RealisasiDiff::default();
    let (mut before, mut after) = (Decimal::ZERO, Decimal::ZERO);
    let mut changed_lines = BTreeSet::new();
    for change in &outcome.changes {
        before += keuangan(&change.before);
        after += keuangan(&change.after);
        changed_lines.insert(change.line_id);
        if diff.changes.len() < CHANGES_SHOWN {
            let line = lines.get(&change.line_id);
            let (keuangan_before, fisik_before) = figures(&change.before);
            let (keuangan_after, fisik_after) = figures(&change.after);
            diff.changes.push(MonthDiff {
                line_id: change.line_id,
                sub_kegiatan_kode: line
                    .map(|l| l.sub_kegiatan_kode.clone())
                    .unwrap_or_default(),
                kode_rekening: line
                    .and_then(|l| l.kode_rekening.clone())
                    .unwrap_or_default(),
                uraian: line.map(|l| l.uraian.clone()).unwrap_or_default(),
                bulan: change.bulan,
                keuangan_before,
                keuangan_after,
                fisik_before,
                fisik_after,
            });
        }
    }
    diff.lines_changed = changed_lines.len();
    diff.months_changed = outcome.changes.len();
    diff.total_before = money(before);
    diff.total_after = money(after);
    diff
}

#[expect(
    clippy::too_many_arguments,
    reason = "the pipeline's one writer signature, shared by every kind"
)]
pub(super) fn apply(
    conn: &mut PgConnection,
    actor: &Actor,
    request: &ImportRequest,
    report: &mut ImportReport,
    entries: &mut Entries,
    batch_id: i64,
    // the analysis of a commit already held the workplans at their base, and checked with the
    // request's rules under the writers' locks: the plan is written as it stands
    _base_batch_id: Option<i64>,
    _options: &CommitOptions,
    progress: &dyn Progress,
) -> ServiceResult<()> {
    let plan = match entries.plan.take() {
        Some(plan) if !entries.nothing => plan,
        _ => return Err(ServiceError::invalid(MessageKey::RealisasiNothingToImport)),
    };
    let months = plan.months_written();
    progress.advance(Stage::Write, 0, months);
    let outcome =
        record_realisation::write(conn, actor, &request.scope(), Via::Import(batch_id), plan)?;
    progress.advance(Stage::Write, months, months);
    let after = serde_json::json!({
        "kind": "realisasi",
        "file_name": request.file_name,
        "sha256": report.sha256,
        "tahun": request.tahun,
        "rows": report.rows,
        "months_changed": outcome.changes.len(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_headers_are_read_in_both_languages_and_by_number() {
        assert_eq!(form_column("keuanganjanuari"), Some(Column::Keuangan(1)));
        assert_eq!(form_column("fisikdesember"), Some(Column::Fisik(12)));
        assert_eq!(form_column("keuanganmar"), Some(Column::Keuangan(3)));
        assert_eq!(form_column("fisik13"), None);
        assert_eq!(form_column("idbaris"), Some(Column::LineId));
        assert_eq!(month_of("august"), Some(8));
        assert_eq!(month_of("agu"), Some(8));
        assert_eq!(month_of("0"), None);
    }

    #[test]
    fn a_finance_export_is_read_by_its_own_headers() {
        assert_eq!(
            finance_column(&normalise_header("Tgl SP2D")),
            Some(Column::Tanggal)
        );
        assert_eq!(
            finance_column(&normalise_header("Kd Rek")),
            Some(Column::Rekening)
        );
        assert_eq!(
            finance_column(&normalise_header("Nilai (Rp)")),
            Some(Column::Amount)
        );
        assert_eq!(finance_column(&normalise_header("Nomor SP2D")), None);
    }
}
