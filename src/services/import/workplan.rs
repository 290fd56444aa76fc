//! The workplan kind of import: turns an OPD's workplan workbook into budget lines. `analyse`
//! reads the file (`spreadsheet::read`, whose header detection knows RKA/DPA printouts and SIPD's
//! flat export), checks every line against the district's catalogues, desa and OPDs, and compares
//! the result with the current workplan; it writes nothing. `apply` writes it, inside the
//! pipeline's transaction, under a lock per OPD and year so two imports never interleave.

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::pipeline::{
    self, Analysis, Checked, CommitOptions, ImportRequest, PROGRESS_EVERY, Progress, Stage,
};
use super::report::{Diff, ImportReport, LineChange, OpdShare, REPORT_VERSION, RowCounts, money};
use crate::db::budget_line::{self, BudgetLine, BudgetLineChanges, NewLineDesa};
use crate::db::catalogue::{self, SimpleCatalogue};
use crate::db::opd::{self, NewOpd, Opd};
use crate::db::{district, wilayah};
use crate::domain::names::{DesaIndex, DesaNotFound, normalise};
use crate::domain::{Jenis, Scope, TagSource};
use crate::i18n::{Message, MessageKey};
use crate::services::activity_log::{self, Actor, NOTHING};
use crate::services::error::{ServiceError, ServiceResult};
use crate::spreadsheet::columns::{Field, Severity};
use crate::spreadsheet::read::{
    self, Layout, ParsedSheet, ReadOptions, RowKind, SheetRow, SkipReason, excerpt,
};

type ImportResult<T> = ServiceResult<T>;

use crate::domain::Tahapan;

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

/// What a checked workplan file leaves for its writer: the lines, the OPDs they belong to
/// (known by code) and those to create (code -> name).
pub(super) struct Lines {
    candidates: Vec<Candidate>,
    opds: HashMap<String, Opd>,
    new_opds: BTreeMap<String, String>,
}

/// The pipeline's collector, each field named by the header this sheet gives it.
struct Problems<'a> {
    parsed: &'a ParsedSheet,
    all: pipeline::Problems,
}

impl Problems<'_> {
    fn push_about(&mut self, severity: Severity, row: u32, field: &str, message: Message) {
        self.all.push_about(severity, row, field, message);
    }

    fn push(
        &mut self,
        severity: Severity,
        row: u32,
        column: Option<u32>,
        field: Field,
        message: Message,
    ) {
        let header = self.parsed.header_of(field);
        self.all
            .push_cell(severity, row, column, field.key(), header, message);
    }
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
pub(super) fn analyse(
    conn: &mut PgConnection,
    request: &ImportRequest,
    bytes: &[u8],
    progress: &dyn Progress,
) -> ImportResult<Analysis> {
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
    let total_rows = rows.len();
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
        all: pipeline::Problems::new(&parsed.sheet),
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
        if counts.read % PROGRESS_EVERY == 0 {
            progress.advance(Stage::Check, counts.read - parsed.blank_rows, total_rows);
        }
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
        let errors_before = problems.all.error_count;
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

        if row_has_reader_errors || problems.all.error_count > errors_before {
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
    let mut removed_realisasi = Decimal::ZERO;
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
        let removed: Vec<i64> = plan.removed.iter().map(|i| current[*i].id).collect();
        let spent = realised(conn, &removed)?;
        diff.removed_with_realisasi += spent.len();
        removed_realisasi += spent.values().copied().sum::<Decimal>();
        describe_changes(
            &mut diff.changes,
            &unit.nama,
            &plan,
            &current,
            &mine,
            &spent,
        );
    }
    diff.total_before = money(before_total);
    diff.removed_realisasi = money(removed_realisasi);
    // said before the commit, which is refused unless the realisation is confirmed to move
    if diff.removed_with_realisasi > 0 {
        problems.push_about(
            Severity::Warning,
            parsed.header_row,
            "realisasi",
            removed_realisation_message(&diff),
        );
    }
    diff.total_after = money(total);
    let base_batch_id = pipeline::workplan_base(conn, request, &known_ids)?;

    let sha256 = pipeline::sha256_hex(bytes);
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
    let pipeline::Problems {
        errors,
        warnings,
        error_count,
        warning_count,
        ..
    } = problems.all;
    let status = if errors.is_empty() {
        "dry_run"
    } else {
        "rejected"
    };
    let report = ImportReport {
        version: REPORT_VERSION,
        kind: String::new(),
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
        realisasi: Default::default(),
        baas: Default::default(),
        same_file_as,
        batch_id: None,
    };
    Ok(Analysis {
        report,
        base_batch_id,
        checked: Checked::Workplan(Lines {
            candidates,
            opds: lookups.opds,
            new_opds,
        }),
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

/// The realisation recorded so far on each of these lines (keuangan of the year), for the lines
/// that have any.
fn realised(conn: &mut PgConnection, ids: &[i64]) -> ImportResult<HashMap<i64, Decimal>> {
    let mut spent: HashMap<i64, Decimal> = HashMap::new();
    for row in crate::db::realisasi::for_lines(conn, ids)? {
        *spent.entry(row.line_id).or_default() += row.keuangan;
    }
    Ok(spent)
}

fn removed_realisation_message(diff: &Diff) -> Message {
    Message::new(MessageKey::RealisasiRemovedLinesHaveRealisation)
        .arg(diff.removed_with_realisasi)
        .arg(crate::domain::format::rupiah(
            diff.removed_realisasi.parse().unwrap_or_default(),
        ))
}

fn describe_changes(
    into: &mut Vec<LineChange>,
    opd_nama: &str,
    plan: &ChangePlan,
    current: &[BudgetLine],
    file: &[&Candidate],
    spent: &HashMap<i64, Decimal>,
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
            realisasi: None,
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
            realisasi: None,
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
            realisasi: spent.get(&line.id).copied().map(money),
        });
    }
}

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
#[expect(
    clippy::too_many_arguments,
    reason = "the pipeline's one writer signature, shared by every kind"
)]
pub(super) fn apply(
    conn: &mut PgConnection,
    actor: &Actor,
    request: &ImportRequest,
    report: &mut ImportReport,
    analysis: &mut Lines,
    batch_id: i64,
    base_batch_id: Option<i64>,
    options: &CommitOptions,
    progress: &dyn Progress,
) -> ImportResult<()> {
    // A file without lines would replace a whole workplan with nothing: refused on every path (the
    // web page has no button for it; the command line and any other caller are stopped here).
    if report.rows.accepted == 0 {
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
    let known_ids: Vec<i32> = opd_kodes
        .iter()
        .filter_map(|kode| analysis.opds.get(kode).map(|unit| unit.id))
        .collect();
    pipeline::hold_workplan_base(
        conn,
        request,
        &known_ids,
        base_batch_id,
        MessageKey::ImportChangedMeanwhile,
    )?;

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
        // a removed line keeps its realisation (shown as removed); the person committing must
        // have been told and have said so, on every path
        let spent = realised(conn, &removed)?;
        if !spent.is_empty() && !options.confirm_removed_realisation {
            let diff = Diff {
                removed_with_realisasi: spent.len(),
                removed_realisasi: money(spent.values().copied().sum()),
                ..Diff::default()
            };
            return Err(ServiceError::Conflict(removed_realisation_message(&diff)));
        }
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
    let (mut written, to_write) = (0, inserts.len());
    for (inserts, ids) in inserts.chunks(COPY_CHUNK).zip(ids.chunks(COPY_CHUNK)) {
        copy_new_lines(conn, request, batch_id, inserts, ids)?;
        written += inserts.len();
        progress.advance(Stage::Write, written, to_write);
    }
    let after = serde_json::json!({
        "file_name": request.file_name,
        "sha256": report.sha256,
        "tahun": request.tahun,
        "tahapan": request.tahapan.as_str(),
        "rows": report.rows,
        "total_pagu": report.total_pagu,
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
