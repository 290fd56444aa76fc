//! Turns an OPD's workplan workbook into budget lines. `analyse` reads the file
//! (`spreadsheet::read`), checks every line against the district's catalogues, desa and OPDs, and
//! compares the result with the current workplan; it writes nothing. `preview` keeps an analysed
//! upload as a batch (with the file) for a person to look at; `commit` applies it: all lines in one
//! transaction or none, under a lock per OPD and year so two imports never interleave.

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::budget::{
    self, BudgetLine, BudgetLineChanges, ImportBatch, NewImportBatch, NewLineDesa,
};
use crate::db::catalogue::{self, SimpleCatalogue};
use crate::db::opd::{self, NewOpd, Opd};
use crate::db::{district, wilayah};
use crate::domain::{Jenis, Scope};
use crate::services::audit::{self, Actor, NOTHING};
use crate::spreadsheet::columns::{Field, Severity, column_letter};
use crate::spreadsheet::read::{
    self, Layout, ParsedSheet, ReadError, ReadOptions, RowKind, SheetRow, SkipReason,
};

/// APBD murni or APBD-Perubahan. A workplan moves forward only: a perubahan import replaces murni.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tahapan {
    Murni,
    Perubahan,
}

impl Tahapan {
    pub fn parse(text: &str) -> Option<Tahapan> {
        match text.trim().to_lowercase().as_str() {
            "murni" | "apbd" | "apbd murni" => Some(Tahapan::Murni),
            "perubahan" | "apbd-p" | "apbdp" | "apbd perubahan" => Some(Tahapan::Perubahan),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tahapan::Murni => "murni",
            Tahapan::Perubahan => "perubahan",
        }
    }
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

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read at all (not a workbook, corrupt, empty, no header).
    #[error("{0}")]
    Unreadable(#[from] ReadError),
    /// The request cannot be served as asked (no OPD chosen, year locked, ...).
    #[error("{0}")]
    Invalid(String),
    #[error("tidak ditemukan")]
    NotFound,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

type ImportResult<T> = Result<T, ImportError>;

/// One problem, located the way a spreadsheet user finds it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Issue {
    pub sheet: String,
    pub row: u32,
    /// Column letter (`H`), or none for a problem of the whole row.
    pub column: Option<String>,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct RowCounts {
    pub read: usize,
    pub accepted: usize,
    pub skipped: usize,
    pub rejected: usize,
}

/// An OPD's share of the file.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
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

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
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

/// The report of an import, as the preview page shows it and `--json` prints it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ImportReport {
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
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
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
    pub fn notes(&self) -> Vec<crate::spreadsheet::annotate::CellNote> {
        report_notes(&self.report, &self.parsed)
    }
}

/// The cell notes of a report, located on the parsed sheet's columns.
pub fn report_notes(
    report: &ImportReport,
    parsed: &ParsedSheet,
) -> Vec<crate::spreadsheet::annotate::CellNote> {
    let column_index = |letter: &Option<String>| {
        letter.as_ref().and_then(|letter| {
            parsed
                .columns
                .iter()
                .map(|column| column.column)
                .find(|index| column_letter(*index) == *letter)
        })
    };
    let mut notes = Vec::new();
    for (issues, severity) in [
        (&report.errors, Severity::Error),
        (&report.warnings, Severity::Warning),
    ] {
        for issue in issues {
            notes.push(crate::spreadsheet::annotate::CellNote {
                row: issue.row,
                column: column_index(&issue.column),
                message: issue.message.clone(),
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

/// Lower-case, single-spaced text: how names from a file are compared with the catalogues.
fn normalise(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The district's reference data an import checks against, loaded once per import.
struct Lookups {
    intervensi: HashMap<String, (i32, Jenis)>,
    intervensi_kode: HashMap<i32, String>,
    sumber_dana: HashMap<String, String>,
    desa_by_kode: HashMap<String, String>,
    desa_by_nama: HashMap<String, Vec<String>>,
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
        let mut desa_by_kode = HashMap::new();
        let mut desa_by_nama: HashMap<String, Vec<String>> = HashMap::new();
        for row in wilayah::list_desa_in_kabkota(conn, kode_kabkota)? {
            desa_by_nama
                .entry(normalise(&row.nama))
                .or_default()
                .push(row.kode.clone());
            desa_by_kode.insert(row.kode, row.nama);
        }
        let lokus = district::list_lokus(conn, kode_kabkota, tahun)?
            .into_iter()
            .map(|row| row.kode_desa)
            .collect();
        let scope = Scope {
            kode_kabkota: kode_kabkota.to_owned(),
            opd_id: None,
        };
        let opds = opd::list_for_scope(conn, &scope)?
            .into_iter()
            .map(|row| (row.kode.clone(), row))
            .collect();
        let known_sub_kegiatan = budget::named_sub_kegiatan(conn, kode_kabkota)?
            .into_iter()
            .collect();
        Ok(Lookups {
            known_sub_kegiatan,
            intervensi_nonaktif,
            intervensi,
            intervensi_kode,
            sumber_dana,
            desa_by_kode,
            desa_by_nama,
            lokus,
            opds,
        })
    }
}

/// Collects problems with their location.
struct Problems<'a> {
    sheet: &'a str,
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
}

impl Problems<'_> {
    /// A problem of the whole file or request rather than of a cell (`field` names what it is about).
    fn push_about(&mut self, severity: Severity, row: u32, field: &str, message: String) {
        let issue = Issue {
            sheet: self.sheet.to_owned(),
            row,
            column: None,
            field: field.to_owned(),
            message,
        };
        match severity {
            Severity::Error => self.errors.push(issue),
            Severity::Warning => self.warnings.push(issue),
        }
    }

    fn push(
        &mut self,
        severity: Severity,
        row: u32,
        column: Option<u32>,
        field: Field,
        message: String,
    ) {
        let issue = Issue {
            sheet: self.sheet.to_owned(),
            row,
            column: column.map(column_letter),
            field: field.key().to_owned(),
            message,
        };
        match severity {
            Severity::Error => self.errors.push(issue),
            Severity::Warning => self.warnings.push(issue),
        }
    }
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

/// Reads and checks `bytes`; writes nothing.
pub fn analyse(
    conn: &mut PgConnection,
    request: &ImportRequest,
    bytes: &[u8],
) -> ImportResult<Analysis> {
    let year = district::find_tahun(conn, &request.kode_kabkota, request.tahun)?.ok_or_else(|| {
        ImportError::Invalid(format!(
            "Tahun anggaran {} belum dibuat untuk kabupaten/kota ini; admin dapat membuatnya di menu Tahun & lokus.",
            request.tahun
        ))
    })?;
    if year.terkunci {
        return Err(ImportError::Invalid(format!(
            "Tahun anggaran {} sudah dikunci; rencana kerjanya tidak dapat diubah.",
            request.tahun
        )));
    }
    let options = ReadOptions {
        sheet: request.sheet.clone(),
        max_rows: request.max_rows,
        ..ReadOptions::default()
    };
    let parsed = read::read_workbook(bytes, &options)?;
    let lookups = Lookups::load(conn, &request.kode_kabkota, request.tahun)?;
    let fixed_opd = match request.opd_id {
        Some(id) => Some(
            lookups
                .opds
                .values()
                .find(|unit| unit.id == id)
                .cloned()
                .ok_or(ImportError::NotFound)?,
        ),
        None => None,
    };
    // a file names its OPD per row (SIPD export, lokus's budget-line download) or is for one OPD
    let has_opd_column = parsed.column_of(Field::KodeOpd).is_some();
    if !has_opd_column && fixed_opd.is_none() {
        return Err(ImportError::Invalid(
            "Berkas ini tidak memuat kolom Kode SKPD: pilih OPD pemilik rencana kerja ini (--opd KODE).".into(),
        ));
    }

    // codes named somewhere in this file count as named for all its lines
    let named_in_file: HashSet<&str> = parsed
        .rows
        .iter()
        .filter(|row| row.values.sub_kegiatan_nama.is_some())
        .filter_map(|row| row.values.sub_kegiatan_kode.as_deref())
        .collect();
    let sheet = parsed.sheet.clone();
    let mut problems = Problems {
        sheet: &sheet,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let mut counts = RowCounts::default();
    let mut skipped_by_reason: BTreeMap<String, usize> = BTreeMap::new();
    let mut candidates = Vec::new();
    let mut other_opds: BTreeMap<String, OpdShare> = BTreeMap::new();
    let mut unknown_opds: BTreeMap<String, (OpdShare, u32)> = BTreeMap::new();

    for row in &parsed.rows {
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
        let errors_before = problems.errors.len();
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
                        "Kode SKPD kosong.".into(),
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
                format!(
                    "Tahun {tahun} pada baris ini tidak sama dengan tahun impor {}.",
                    request.tahun
                ),
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
                format!("Nama Sub Kegiatan wajib diisi: kode {kode} belum dikenal lokus."),
            );
        }
        let (intervensi_id, jenis) = check_intervensi(&lookups, &parsed, row, &mut problems);
        let sumber_dana = row.values.sumber_dana.as_ref().map(|text| {
            match lookups.sumber_dana.get(&normalise(text)) {
                Some(kode) => kode.clone(),
                None => {
                    problems.push(
                        Severity::Warning,
                        row.row,
                        parsed.column_of(Field::SumberDana),
                        Field::SumberDana,
                        format!("Sumber dana `{text}` belum ada di katalog; admin dapat menambahkannya di menu Sumber dana."),
                    );
                    text.clone()
                }
            }
        });
        let desa = check_desa(&lookups, &parsed, row, &mut problems);

        if row_has_reader_errors || problems.errors.len() > errors_before {
            counts.rejected += 1;
            continue;
        }
        // the reader guarantees these on a line without errors
        let (Some(sub_kegiatan_kode), Some(uraian), Some(pagu)) = (
            row.values.sub_kegiatan_kode.clone(),
            row.values.uraian.clone(),
            row.values.pagu,
        ) else {
            counts.rejected += 1;
            continue;
        };
        counts.accepted += 1;
        candidates.push(Candidate {
            opd_kode,
            source_row: row.row,
            sub_kegiatan_kode,
            sub_kegiatan_nama: row.values.sub_kegiatan_nama.clone(),
            kode_rekening: row.values.kode_rekening.clone(),
            uraian,
            volume: row.values.volume,
            satuan: row.values.satuan.clone(),
            harga_satuan: row.values.harga_satuan,
            pagu,
            sumber_dana,
            intervensi_id,
            jenis,
            sasaran: row.values.sasaran.clone(),
            target_output: row.values.target_output,
            satuan_output: row.values.satuan_output.clone(),
            keterangan: row.values.keterangan.clone(),
            desa,
        });
    }

    // OPDs lokus does not know: one error each, unless the import creates them.
    let mut new_opds = BTreeMap::new();
    for (kode, (share, first_row)) in &unknown_opds {
        if request.create_opds {
            if let Err(message) = crate::services::setup::check_opd_code(kode) {
                problems.push(
                    Severity::Error,
                    *first_row,
                    parsed.column_of(Field::KodeOpd),
                    Field::KodeOpd,
                    message,
                );
            } else if share.nama.trim().is_empty() {
                problems.push(
                    Severity::Error,
                    *first_row,
                    parsed.column_of(Field::NamaOpd),
                    Field::NamaOpd,
                    format!("OPD {kode} akan dibuat, tetapi Nama SKPD-nya kosong."),
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
                format!(
                    "OPD {kode} ({}) belum terdaftar di lokus ({} baris). Admin dapat membuatnya dari berkas ini (buat OPD baru).",
                    share.nama, share.rows
                ),
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
        let current = budget::current_lines(conn, &request.kode_kabkota, *opd_id, request.tahun)?;
        if let Some(line) = current
            .iter()
            .find(|line| Tahapan::parse(&line.tahapan) > Some(request.tahapan))
        {
            problems.push_about(
                Severity::Error,
                parsed.header_row,
                "tahapan",
                format!(
                    "Rencana kerja {} tahun {} sudah tahap {}; impor tahap {} tidak dapat menggantikannya.",
                    unit.nama,
                    request.tahun,
                    line.tahapan,
                    request.tahapan.as_str()
                ),
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
        budget::last_batch_touching(conn, &request.kode_kabkota, request.tahun, &known_ids)?;

    let sha256 = sha256_hex(bytes);
    let same_file_as = budget::committed_with_sha256(conn, &request.kode_kabkota, &sha256)?
        .first()
        .map(|batch| batch.id);
    if let Some(earlier) = same_file_as {
        problems.push_about(
            Severity::Warning,
            parsed.header_row,
            "berkas",
            format!("Berkas yang sama persis (sha256) sudah pernah diimpor dan disimpan (impor #{earlier})."),
        );
    }
    let Problems {
        errors, warnings, ..
    } = problems;
    let status = if errors.is_empty() {
        "dry_run"
    } else {
        "rejected"
    };
    let report = ImportReport {
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
                        format!("Intervensi {kode} dinonaktifkan di kabupaten/kota ini; pilih intervensi lain atau minta admin mengaktifkannya."),
                    );
                    return (None, None);
                }
                None => {
                    problems.push(
                        Severity::Error,
                        row.row,
                        column,
                        Field::Intervensi,
                        format!("Kode intervensi `{text}` tidak ada di katalog (contoh: SP1 sampai SP9, SE1 sampai SE11)."),
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
                    format!("Jenis intervensi `{text}` harus spesifik atau sensitif."),
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
                format!(
                    "Jenis `{}` tidak sesuai dengan intervensi {kode}, yang {}.",
                    stated.as_str(),
                    jenis.as_str()
                ),
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
        let kode = if lookups.desa_by_kode.contains_key(token.as_str()) {
            token.clone()
        } else {
            match lookups
                .desa_by_nama
                .get(&normalise(token))
                .map(Vec::as_slice)
            {
                Some([only]) => only.clone(),
                Some(many) if !many.is_empty() => {
                    problems.push(
                        Severity::Error,
                        row.row,
                        column,
                        Field::DesaLokus,
                        format!(
                            "Nama desa `{token}` dipakai beberapa desa ({}); tulis kodenya.",
                            many.join(", ")
                        ),
                    );
                    continue;
                }
                _ => {
                    problems.push(
                        Severity::Error,
                        row.row,
                        column,
                        Field::DesaLokus,
                        format!("Desa/kelurahan `{token}` tidak ada di kabupaten/kota ini."),
                    );
                    continue;
                }
            }
        };
        if !lookups.lokus.contains(&kode) {
            let nama = lookups.desa_by_kode.get(&kode).cloned().unwrap_or_default();
            problems.push(
                Severity::Warning,
                row.row,
                column,
                Field::DesaLokus,
                format!("Desa {kode} {nama} bukan desa lokus tahun ini; tetap ditautkan."),
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
    status: &str,
) -> NewImportBatch {
    let report = &analysis.report;
    NewImportBatch {
        kode_kabkota: request.kode_kabkota.clone(),
        tahun: request.tahun,
        tahapan: request.tahapan.as_str().to_owned(),
        opd_id: request.opd_id,
        user_id: actor.user_id,
        actor: actor.label.clone(),
        file_name: request.file_name.clone(),
        sha256: report.sha256.clone(),
        file: bytes.to_vec(),
        sheet: Some(report.sheet.clone()),
        create_opds: request.create_opds,
        status: status.to_owned(),
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
        "rejected"
    } else {
        "preview"
    };
    // the stored report leaves batch_id out: the row's own id says it
    let id = budget::insert_batch(conn, &new_batch(request, actor, bytes, &analysis, status))?;
    analysis.report.batch_id = Some(id);
    Ok(analysis.report)
}

/// The request a stored batch was made with.
pub fn request_of(batch: &ImportBatch) -> ImportResult<ImportRequest> {
    Ok(ImportRequest {
        kode_kabkota: batch.kode_kabkota.clone(),
        tahun: batch.tahun,
        tahapan: Tahapan::parse(&batch.tahapan).ok_or(ImportError::NotFound)?,
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
        let batch = budget::find_batch_for_scope(conn, batch_id, scope)?.ok_or(ImportError::NotFound)?;
        if batch.status != "preview" {
            return Err(ImportError::Invalid(match batch.status.as_str() {
                "committed" => format!("Impor #{batch_id} sudah disimpan."),
                _ => format!("Impor #{batch_id} memuat galat dan tidak dapat disimpan; perbaiki berkasnya lalu unggah lagi."),
            }));
        }
        let request = request_of(&batch)?;
        let bytes = budget::batch_file(conn, batch_id)?;
        let mut analysis = analyse(conn, &request, &bytes)?;
        if analysis.has_errors() {
            return Err(ImportError::Invalid(
                "Data acuan berubah sejak pratinjau dan berkas ini kini memuat galat; unggah lagi untuk melihatnya.".into(),
            ));
        }
        apply(conn, actor, &request, &mut analysis, batch_id, batch.base_batch_id)?;
        let report = serde_json::to_value(&analysis.report).unwrap_or(serde_json::Value::Null);
        budget::mark_batch_committed(conn, batch_id, &report)?;
        Ok(analysis.report)
    })
}

/// Analyses and, when there are no errors and `dry_run` is off, commits in one go (the command line).
/// A rejected file is kept in the history; a dry run is not.
pub fn import_now(
    conn: &mut PgConnection,
    actor: &Actor,
    request: &ImportRequest,
    bytes: &[u8],
    dry_run: bool,
) -> ImportResult<ImportReport> {
    let mut analysis = analyse(conn, request, bytes)?;
    if analysis.has_errors() {
        let id = budget::insert_batch(
            conn,
            &new_batch(request, actor, bytes, &analysis, "rejected"),
        )?;
        analysis.report.batch_id = Some(id);
        return Ok(analysis.report);
    }
    if dry_run {
        return Ok(analysis.report);
    }
    conn.transaction(|conn| {
        let id = budget::insert_batch(
            conn,
            &new_batch(request, actor, bytes, &analysis, "preview"),
        )?;
        let base = analysis.base_batch_id;
        apply(conn, actor, request, &mut analysis, id, base)?;
        let report = serde_json::to_value(&analysis.report).unwrap_or(serde_json::Value::Null);
        budget::mark_batch_committed(conn, id, &report)?;
        Ok(analysis.report)
    })
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
        budget::lock_workplan(conn, &request.kode_kabkota, *opd_id, request.tahun)?;
    }
    let current_base =
        budget::last_batch_touching(conn, &request.kode_kabkota, request.tahun, &known_ids)?;
    if current_base != base_batch_id {
        return Err(ImportError::Invalid(
            "Rencana kerja OPD ini sudah diubah oleh impor lain sejak pratinjau dibuat; unggah lagi untuk melihat perbedaan terbaru.".into(),
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
        audit::record(
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
        let current = budget::current_lines(conn, &request.kode_kabkota, unit.id, request.tahun)?;
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
                Some(id) => (
                    Some(id),
                    after.jenis.map(|jenis| jenis.as_str().to_owned()),
                    Some("impor".to_owned()),
                ),
                None if before.intervensi_id.is_some() => (
                    before.intervensi_id,
                    before.jenis.clone(),
                    before.tag_source.clone(),
                ),
                None => (
                    None,
                    after.jenis.map(|jenis| jenis.as_str().to_owned()),
                    None,
                ),
            };
            updates.push((
                before.id,
                BudgetLineChanges {
                    tahapan: request.tahapan.as_str().to_owned(),
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
                    tag_source: "impor".into(),
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
        budget::snapshot_versions(conn, &superseded, batch_id)?;
        budget::update_lines(conn, &updates)?;
        // the file's desa replace the file's earlier desa; links a person made stay (and are not doubled)
        budget::delete_imported_desa(conn, &desa_replaced)?;
        let kept: HashSet<(i64, String)> = budget::desa_links(conn, &desa_replaced)?
            .into_iter()
            .map(|(line_id, kode, _)| (line_id, kode))
            .collect();
        desa_new.retain(|link| !kept.contains(&(link.line_id, link.kode_desa.clone())));
        budget::copy_desa_links(conn, &desa_new)?;
        budget::mark_removed(conn, &removed, batch_id)?;
        if request.tahapan == Tahapan::Perubahan {
            // unchanged survivors now belong to the perubahan version too
            budget::set_current_tahapan(
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

    // New lines: ids first, then COPY of the lines and of their desa links.
    let ids = budget::allocate_line_ids(conn, inserts.len())?;
    let mut lines = Vec::with_capacity(inserts.len());
    let mut links = Vec::new();
    for ((opd_id, line), id) in inserts.iter().zip(ids) {
        lines.push(BudgetLine {
            id,
            kode_kabkota: request.kode_kabkota.clone(),
            opd_id: *opd_id as i32,
            tahun: request.tahun,
            tahapan: request.tahapan.as_str().to_owned(),
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
            jenis: line.jenis.map(|jenis| jenis.as_str().to_owned()),
            tag_source: line.intervensi_id.map(|_| "impor".to_owned()),
            sasaran: line.sasaran.clone(),
            target_output: line.target_output,
            satuan_output: line.satuan_output.clone(),
            keterangan: line.keterangan.clone(),
        });
        links.extend(line.desa.iter().map(|kode| NewLineDesa {
            line_id: id,
            kode_desa: kode.clone(),
            tag_source: "impor".into(),
            kode_kabkota: request.kode_kabkota.clone(),
        }));
    }
    budget::copy_lines(conn, &lines)?;
    budget::copy_desa_links(conn, &links)?;

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
    audit::record(
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
) -> Result<Vec<u8>, String> {
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
    let lists = load(conn).map_err(|error| error.to_string())?;
    workplan_template(&lists).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn names_are_compared_without_case_or_punctuation() {
        assert_eq!(normalise("  Tanjung-Redeb "), "tanjung redeb");
        assert_eq!(normalise("DAK Non-Fisik BOK"), "dak non fisik bok");
    }
}
