//! The BAAS children kind of import: a sheet like an e-PPGBM export (NIK, nama, JK, tanggal lahir,
//! nama ortu, desa by name or kode wilayah, posyandu, optional No. KK, and one measurement: tanggal
//! ukur, BB, TB/PB, cara ukur). Every row is held to exactly what the desk's form holds a child to
//! (`services::baas::check_child`) and its measurement to `check_measurement`, each problem at its
//! cell; a child twice in the file or already registered (same NIK, or same name, birth date and
//! desa) is an error at its row, never merged or doubled. `apply` registers each child through
//! `services::baas::register_child` (consent in the name of the person committing, on the day of
//! the commit) and its measurement through `record_measurement`.
//!
//! Personal data stays out of the report: it holds the masked NIK only.

use std::collections::{BTreeMap, HashMap};

use calamine::Data;
use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::pipeline::{
    self, Analysis, Checked, CommitOptions, ImportRequest, PROGRESS_EVERY, Progress, Stage,
};
use super::report::{BaasChildLine, BaasReport, ImportReport, REPORT_VERSION, RowCounts, money};
use crate::db::wilayah;
use crate::domain::baas::{MeasuredBy, mask};
use crate::domain::growth::{self, Position, Sex};
use crate::domain::names::{DesaIndex, DesaNotFound, normalise};
use crate::i18n::{Message, MessageKey};
use crate::services::activity_log::{self, Actor, NOTHING};
use crate::services::baas::{self, ChildField, ChildInput, MeasureField, MeasurementInput};
use crate::services::error::{ServiceError, ServiceResult};
use crate::spreadsheet::columns::Severity;
use crate::spreadsheet::read::{
    self, LayoutSpec, NumberCell, ReadOptions, SpecRow, SpecSheet, date_cell, excerpt, number_cell,
    text_cell,
};

/// A column the children kind reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Nik,
    NoKk,
    Nama,
    Jk,
    TglLahir,
    NamaOrtu,
    NamaAyah,
    NamaIbu,
    Alamat,
    Desa,
    Posyandu,
    StatusKrs,
    TanggalUkur,
    Bb,
    Tb,
    CaraUkur,
}

/// The column a header names (normalised by `normalise_header`): lokus's template headers and
/// what e-PPGBM, Elsimil and hand-made lists call them.
pub fn column_of(header: &str) -> Option<Column> {
    Some(match header {
        "nik" | "nikanak" | "nikbalita" | "nomorindukkependudukan" | "noinduk" => Column::Nik,
        "nokk" | "nomorkk" | "kk" | "nomorkartukeluarga" | "nokartukeluarga" => Column::NoKk,
        "nama" | "namaanak" | "namabalita" | "namalengkap" => Column::Nama,
        "jk" | "jeniskelamin" | "kelamin" | "lp" | "sex" | "jnskelamin" => Column::Jk,
        "tgllahir" | "tanggallahir" | "tgllhr" | "tanggallhr" | "lahir" | "dob" | "birthdate" => {
            Column::TglLahir
        }
        "namaortu" | "namaorangtua" | "ortu" | "orangtua" | "namaortuwali" | "namawali" => {
            Column::NamaOrtu
        }
        "namaayah" | "ayah" => Column::NamaAyah,
        "namaibu" | "ibu" | "namaibukandung" => Column::NamaIbu,
        "alamat" | "alamatlengkap" => Column::Alamat,
        "desa" | "desakelurahan" | "desakel" | "kelurahan" | "kelurahandesa" | "namadesa"
        | "kodedesa" | "kodewilayah" | "kodedesakelurahan" | "wilayah" => Column::Desa,
        "posyandu" | "namaposyandu" => Column::Posyandu,
        "statuskrs" | "krs" | "keluargaberisikostunting" => Column::StatusKrs,
        "tanggalukur" | "tglukur" | "tanggalpengukuran" | "tglpengukuran"
        | "tanggalpenimbangan" | "tglpenimbangan" | "tglukurterakhir" => Column::TanggalUkur,
        "bb" | "bbkg" | "beratbadan" | "beratbadankg" | "berat" | "beratkg" => Column::Bb,
        "tb" | "pb" | "tbpb" | "pbtb" | "tbcm" | "pbcm" | "tbpbcm" | "tinggibadan"
        | "panjangbadan" | "tinggi" | "panjang" | "tinggipanjangbadan" | "panjangtinggibadan"
        | "tinggibadancm" => Column::Tb,
        "caraukur" | "posisi" | "posisiukur" | "caraukurtbpb" => Column::CaraUkur,
        _ => return None,
    })
}

/// The headers lokus's template writes, in order (also what messages call a missing column).
pub const TEMPLATE_HEADERS: [(Column, &str); 14] = [
    (Column::Nik, "NIK"),
    (Column::Nama, "Nama"),
    (Column::Jk, "JK"),
    (Column::TglLahir, "Tgl Lahir"),
    (Column::NamaOrtu, "Nama Ortu"),
    (Column::Desa, "Desa"),
    (Column::Posyandu, "Posyandu"),
    (Column::TanggalUkur, "Tanggal Ukur"),
    (Column::Bb, "BB"),
    (Column::Tb, "TB/PB"),
    (Column::CaraUkur, "Cara Ukur"),
    (Column::NoKk, "No. KK"),
    (Column::Alamat, "Alamat"),
    (Column::StatusKrs, "Status KRS"),
];

static LAYOUTS: [LayoutSpec<Column>; 1] = [LayoutSpec {
    required: &[
        (&[Column::Nik], "NIK"),
        (&[Column::Nama], "Nama"),
        (&[Column::Jk], "JK"),
        (&[Column::TglLahir], "Tgl Lahir"),
        (&[Column::Desa], "Desa"),
    ],
    column: column_of,
}];

/// lokus's stable name of a column, for programs reading the JSON.
fn field_name(column: Column) -> &'static str {
    match column {
        Column::Nik => "nik",
        Column::NoKk => "no_kk",
        Column::Nama => "nama",
        Column::Jk => "jk",
        Column::TglLahir => "tgl_lahir",
        Column::NamaOrtu => "nama_ortu",
        Column::NamaAyah => "nama_ayah",
        Column::NamaIbu => "nama_ibu",
        Column::Alamat => "alamat",
        Column::Desa => "desa",
        Column::Posyandu => "posyandu",
        Column::StatusKrs => "status_krs",
        Column::TanggalUkur => "tanggal_ukur",
        Column::Bb => "bb",
        Column::Tb => "tb",
        Column::CaraUkur => "cara_ukur",
    }
}

/// One measurement of a row.
#[derive(Debug, Clone)]
struct RowMeasurement {
    tanggal: NaiveDate,
    bb: Option<Decimal>,
    tb: Option<Decimal>,
    cara_ukur: Option<Position>,
}

/// A row that passed every check: what `apply` registers.
struct ChildRow {
    row: u32,
    input: ChildInput,
    measurement: Option<RowMeasurement>,
}

/// What a checked children file leaves for its writer.
pub(super) struct Children {
    rows: Vec<ChildRow>,
}

/// The pipeline's collector, each column named by the header this sheet gives it.
struct Problems<'a> {
    sheet: &'a SpecSheet<Column>,
    all: pipeline::Problems,
}

impl Problems<'_> {
    fn at(&mut self, severity: Severity, row: u32, key: Option<Column>, message: Message) {
        let column = key.and_then(|key| self.sheet.column_of(key));
        let header = column.map(|c| self.sheet.header_at(c)).unwrap_or_default();
        let field = key.map_or("baris", field_name);
        self.all
            .push_cell(severity, row, column, field, header, message);
    }

    fn error(&mut self, row: u32, key: Column, message: Message) {
        self.at(Severity::Error, row, Some(key), message);
    }

    fn header(&self, key: Column) -> String {
        self.sheet
            .column_of(key)
            .map(|c| self.sheet.header_at(c))
            .unwrap_or_else(|| {
                TEMPLATE_HEADERS
                    .iter()
                    .find(|(column, _)| *column == key)
                    .map(|(_, header)| (*header).to_owned())
                    .unwrap_or_default()
            })
    }
}

/// The cell of `key` in `row`, empty when the sheet has no such column.
fn cell<'r>(sheet: &SpecSheet<Column>, row: &'r SpecRow, key: Column) -> &'r Data {
    sheet.column_of(key).map_or(&Data::Empty, |c| row.cell(c))
}

fn text(sheet: &SpecSheet<Column>, row: &SpecRow, key: Column) -> Option<String> {
    text_cell(cell(sheet, row, key))
}

/// A date cell of the row: `Ok(None)` when blank, an error at its cell when not a date.
fn date(
    sheet: &SpecSheet<Column>,
    row: &SpecRow,
    key: Column,
    problems: &mut Problems<'_>,
) -> Result<Option<NaiveDate>, ()> {
    let value = cell(sheet, row, key);
    if text_cell(value).is_none() && !matches!(value, Data::DateTime(_) | Data::DateTimeIso(_)) {
        return Ok(None);
    }
    match date_cell(value) {
        Some(day) => Ok(Some(day)),
        None => {
            problems.error(
                row.row,
                key,
                Message::new(MessageKey::RealisasiDateInvalid)
                    .arg(excerpt(&value.to_string()))
                    .arg(problems.header(key)),
            );
            Err(())
        }
    }
}

/// A measure cell (kg to 2 decimals, cm to 1, as stored).
fn measure(
    sheet: &SpecSheet<Column>,
    row: &SpecRow,
    key: Column,
    decimals: u32,
    problems: &mut Problems<'_>,
) -> Result<Option<Decimal>, ()> {
    match number_cell(cell(sheet, row, key), 2) {
        NumberCell::Blank => Ok(None),
        NumberCell::Value(value) => Ok(Some(value.round_dp(decimals))),
        NumberCell::NotANumber(found) => {
            problems.error(
                row.row,
                key,
                Message::new(MessageKey::RealisasiCellNotNumber)
                    .arg(found)
                    .arg(problems.header(key)),
            );
            Err(())
        }
    }
}

/// Where a problem of `check_child` belongs in the sheet.
fn child_column(field: ChildField) -> Option<Column> {
    match field {
        ChildField::Nama => Some(Column::Nama),
        ChildField::TglLahir => Some(Column::TglLahir),
        ChildField::Desa => Some(Column::Desa),
        ChildField::Nik => Some(Column::Nik),
        ChildField::NoKk => Some(Column::NoKk),
        ChildField::Persetujuan => None,
    }
}

fn measure_column(field: MeasureField) -> Column {
    match field {
        MeasureField::Tanggal => Column::TanggalUkur,
        MeasureField::Bb => Column::Bb,
        MeasureField::Tb => Column::Tb,
    }
}

fn message_of(error: &ServiceError) -> Message {
    error
        .user_message()
        .cloned()
        .unwrap_or_else(|| MessageKey::UnknownMessage.into())
}

/// Rows listed in the report for people to read.
const ROWS_SHOWN: usize = 300;

/// Who stands in for the person committing while a file is only checked: consent is recorded at
/// the commit, in that person's name.
const CONSENT_PENDING: &str = "(pengguna yang menyimpan)";

pub(super) fn analyse(
    conn: &mut PgConnection,
    request: &ImportRequest,
    bytes: &[u8],
    progress: &dyn Progress,
) -> ServiceResult<Analysis> {
    let options = ReadOptions {
        sheet: request.sheet.clone(),
        max_rows: request.max_rows,
        ..ReadOptions::default()
    };
    let sheet = read::read_by_spec(bytes, &options, &LAYOUTS)?;
    let scope = request.scope();
    let today = chrono::Utc::now().date_naive();
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
    let measures_readable =
        sheet.column_of(Column::Bb).is_some() || sheet.column_of(Column::Tb).is_some();
    if !measures_readable && sheet.column_of(Column::TanggalUkur).is_some() {
        problems.all.push_about(
            Severity::Warning,
            sheet.header_row,
            "tanggal_ukur",
            Message::new(MessageKey::BaasImportNoMeasureColumns)
                .arg(problems.header(Column::TanggalUkur)),
        );
    }
    let desa = DesaIndex::new(
        wilayah::list_desa_in_kabkota(conn, &request.kode_kabkota)?
            .into_iter()
            .map(|row| (row.kode, row.nama)),
    );
    let mut counts = RowCounts {
        read: sheet.blank_rows,
        skipped: sheet.blank_rows,
        ..RowCounts::default()
    };
    let mut skipped_by_reason = BTreeMap::new();
    if sheet.blank_rows > 0 {
        skipped_by_reason.insert("kosong".to_owned(), sheet.blank_rows);
    }
    let mut by_nik: HashMap<String, u32> = HashMap::new();
    let mut by_identity: HashMap<(String, NaiveDate, String), u32> = HashMap::new();
    let mut accepted: Vec<ChildRow> = Vec::new();
    let mut report = BaasReport::default();
    for (index, row) in sheet.rows.iter().enumerate() {
        if index % PROGRESS_EVERY == 0 {
            progress.advance(Stage::Check, index, sheet.rows.len());
        }
        counts.read += 1;
        let errors_before = problems.all.error_count;
        let nama = text(&sheet, row, Column::Nama).unwrap_or_default();
        let nik_text = text(&sheet, row, Column::Nik).unwrap_or_default();
        // a 16-digit number typed into Excel keeps 15 significant digits: say so, the file may
        // have lost the last digit before lokus saw it
        for key in [Column::Nik, Column::NoKk] {
            if matches!(cell(&sheet, row, key), Data::Float(_) | Data::Int(_)) {
                problems.at(
                    Severity::Warning,
                    row.row,
                    Some(key),
                    Message::new(MessageKey::BaasImportNumberAsText).arg(problems.header(key)),
                );
            }
        }
        for (value, key) in [(&nik_text, Column::Nik), (&nama, Column::Nama)] {
            if value.is_empty() {
                problems.error(
                    row.row,
                    key,
                    Message::new(MessageKey::RealisasiCellBlank).arg(problems.header(key)),
                );
            }
        }
        let jk = match text(&sheet, row, Column::Jk) {
            None => {
                problems.error(
                    row.row,
                    Column::Jk,
                    Message::new(MessageKey::RealisasiCellBlank).arg(problems.header(Column::Jk)),
                );
                None
            }
            Some(value) => {
                let sex = Sex::parse(&value);
                if sex.is_none() {
                    problems.error(
                        row.row,
                        Column::Jk,
                        Message::new(MessageKey::BaasImportSexInvalid)
                            .arg(excerpt(&value))
                            .arg(problems.header(Column::Jk)),
                    );
                }
                sex
            }
        };
        let tgl_lahir = match date(&sheet, row, Column::TglLahir, &mut problems) {
            Ok(Some(day)) => Some(day),
            Ok(None) => {
                problems.error(
                    row.row,
                    Column::TglLahir,
                    Message::new(MessageKey::RealisasiCellBlank)
                        .arg(problems.header(Column::TglLahir)),
                );
                None
            }
            Err(()) => None,
        };
        let kode_desa = match text(&sheet, row, Column::Desa) {
            None => {
                problems.error(
                    row.row,
                    Column::Desa,
                    Message::new(MessageKey::RealisasiCellBlank).arg(problems.header(Column::Desa)),
                );
                None
            }
            Some(token) => match desa.resolve(&token) {
                Ok(kode) => Some(kode.to_owned()),
                Err(DesaNotFound::Ambiguous(many)) => {
                    problems.error(
                        row.row,
                        Column::Desa,
                        Message::new(MessageKey::ImportDesaAmbiguous)
                            .arg(excerpt(&token))
                            .arg(many.join(", ")),
                    );
                    None
                }
                Err(DesaNotFound::Unknown) => {
                    problems.error(
                        row.row,
                        Column::Desa,
                        Message::new(MessageKey::ImportDesaUnknown).arg(excerpt(&token)),
                    );
                    None
                }
            },
        };
        // the measurement: all or nothing of its cells
        let tanggal_ukur = date(&sheet, row, Column::TanggalUkur, &mut problems);
        let bb = measure(&sheet, row, Column::Bb, 2, &mut problems);
        let tb = measure(&sheet, row, Column::Tb, 1, &mut problems);
        let cara_ukur = match text(&sheet, row, Column::CaraUkur) {
            None => Ok(None),
            Some(value) => match Position::parse(&value) {
                Some(position) => Ok(Some(position)),
                None => {
                    problems.error(
                        row.row,
                        Column::CaraUkur,
                        Message::new(MessageKey::BaasImportPositionInvalid)
                            .arg(excerpt(&value))
                            .arg(problems.header(Column::CaraUkur)),
                    );
                    Err(())
                }
            },
        };
        let measurement = match (tanggal_ukur, bb, tb, cara_ukur) {
            (Ok(None), Ok(None), Ok(None), _) => None,
            (Ok(None), Ok(_), Ok(_), _) => {
                problems.error(
                    row.row,
                    Column::TanggalUkur,
                    Message::new(MessageKey::BaasImportMeasureWithoutDate)
                        .arg(problems.header(Column::TanggalUkur)),
                );
                None
            }
            (Ok(Some(tanggal)), Ok(bb), Ok(tb), Ok(cara_ukur)) => {
                for (field, error) in baas::check_measurement(tgl_lahir, tanggal, bb, tb, today) {
                    problems.error(row.row, measure_column(field), message_of(&error));
                }
                Some(RowMeasurement {
                    tanggal,
                    bb,
                    tb,
                    cara_ukur,
                })
            }
            _ => None,
        };
        let ortu = |key: Column| text(&sheet, row, key).unwrap_or_default();
        // e-PPGBM's one parent column (Nama Ortu) is, in practice, the mother's name
        let nama_ibu = match ortu(Column::NamaIbu) {
            ibu if ibu.is_empty() => ortu(Column::NamaOrtu),
            ibu => ibu,
        };
        let input = ChildInput {
            nama: nama.clone(),
            jk: jk.unwrap_or(Sex::Male),
            tgl_lahir: tgl_lahir.unwrap_or(today),
            kode_desa: kode_desa.clone().unwrap_or_default(),
            nik: nik_text.clone(),
            no_kk: ortu(Column::NoKk),
            nama_ayah: ortu(Column::NamaAyah),
            nama_ibu,
            alamat: ortu(Column::Alamat),
            status_krs: ortu(Column::StatusKrs),
            posyandu: ortu(Column::Posyandu),
            persetujuan_oleh: CONSENT_PENDING.to_owned(),
            persetujuan_tanggal: today,
        };
        // the desk form's checks, when the row's own cells could be read
        if let (false, Some(_), Some(_), Some(kode_desa)) = (
            nik_text.is_empty() || nama.is_empty(),
            jk,
            tgl_lahir,
            &kode_desa,
        ) {
            if let Err(found) = baas::check_child(conn, &scope, &input, today)? {
                for problem in found {
                    problems.at(
                        Severity::Error,
                        row.row,
                        child_column(problem.field),
                        message_of(&problem.error),
                    );
                }
            }
            // twice in the file: the later row is the one to remove
            let digits: String = nik_text.chars().filter(char::is_ascii_digit).collect();
            if digits.len() == 16 {
                if let Some(first) = by_nik.get(&digits) {
                    problems.error(
                        row.row,
                        Column::Nik,
                        Message::new(MessageKey::BaasImportNikTwice)
                            .arg(mask(&digits))
                            .arg(first),
                    );
                } else {
                    by_nik.insert(digits, row.row);
                }
            }
            let identity = (normalise(&nama), input.tgl_lahir, kode_desa.clone());
            if let Some(first) = by_identity.get(&identity) {
                problems.error(
                    row.row,
                    Column::Nama,
                    Message::new(MessageKey::BaasImportChildTwice)
                        .arg(&nama)
                        .arg(input.tgl_lahir)
                        .arg(kode_desa)
                        .arg(first),
                );
            } else {
                by_identity.insert(identity, row.row);
            }
        }
        if problems.all.error_count > errors_before {
            counts.rejected += 1;
            continue;
        }
        counts.accepted += 1;
        // a WHO-implausible measure is kept (it is what was measured) and flagged for checking
        let assessment = measurement.as_ref().and_then(|m| {
            growth::assess(&growth::Measurement {
                sex: input.jk,
                age_days: growth::age_in_days(input.tgl_lahir, m.tanggal)?,
                weight_kg: m.bb.and_then(|v| f64::try_from(v).ok()),
                length_cm: m.tb.and_then(|v| f64::try_from(v).ok()),
                position: m.cara_ukur,
            })
            .ok()
        });
        if let Some(assessment) = &assessment {
            for indicator in &assessment.implausible {
                let (key, z) = match indicator {
                    growth::Indicator::LengthForAge => (Column::Tb, assessment.length_for_age),
                    growth::Indicator::WeightForAge => (Column::Bb, assessment.weight_for_age),
                    _ => (Column::Bb, assessment.weight_for_length),
                };
                problems.at(
                    Severity::Warning,
                    row.row,
                    Some(key),
                    Message::new(MessageKey::AnthroImplausible)
                        .arg(indicator.code())
                        .arg(z.map_or_else(String::new, |z| format!("{:.2}", z.value()))),
                );
            }
        }
        report.children += 1;
        report.measurements += usize::from(measurement.is_some());
        if report.rows.len() < ROWS_SHOWN {
            let nik_masked = crate::domain::baas::Nik::parse(&input.nik)
                .map(|nik| nik.masked())
                .unwrap_or_default();
            report.rows.push(BaasChildLine {
                row: row.row,
                nama: input.nama.clone(),
                nik_masked,
                jk: input.jk.as_str().to_owned(),
                tgl_lahir: input.tgl_lahir.to_string(),
                kode_desa: input.kode_desa.clone(),
                desa: desa.nama(&input.kode_desa).unwrap_or_default().to_owned(),
                tanggal_ukur: measurement.as_ref().map(|m| m.tanggal.to_string()),
                bb: measurement
                    .as_ref()
                    .and_then(|m| m.bb)
                    .map(|v| v.normalize().to_string()),
                tb: measurement
                    .as_ref()
                    .and_then(|m| m.tb)
                    .map(|v| v.normalize().to_string()),
                zs_tbu: assessment
                    .as_ref()
                    .and_then(|a| a.length_for_age)
                    .map(|z| format!("{:.2}", z.value())),
                status_tbu: assessment
                    .as_ref()
                    .and_then(|a| a.tbu_category())
                    .map(|c| c.as_str().to_owned()),
                child_id: None,
            });
        }
        accepted.push(ChildRow {
            row: row.row,
            input,
            measurement,
        });
    }
    if accepted.is_empty() && problems.all.error_count == 0 {
        problems.all.push_about(
            Severity::Error,
            sheet.header_row,
            "berkas",
            MessageKey::BaasImportNothing.into(),
        );
    }
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
        sha256: pipeline::sha256_hex(bytes),
        sheet: sheet.sheet.clone(),
        header_row: sheet.header_row,
        layout: "baas_anak".to_owned(),
        tahun: request.tahun,
        tahapan: request.tahapan.as_str().to_owned(),
        rows: counts,
        total_pagu: money(Decimal::ZERO),
        skipped_by_reason,
        errors,
        warnings,
        error_count,
        warning_count,
        baas: report,
        ..ImportReport::default()
    };
    Ok(Analysis {
        report,
        base_batch_id: None,
        checked: Checked::BaasAnak(Children { rows: accepted }),
    })
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
    children: &mut Children,
    batch_id: i64,
    _base_batch_id: Option<i64>,
    _options: &CommitOptions,
    progress: &dyn Progress,
) -> ServiceResult<()> {
    if children.rows.is_empty() {
        return Err(ServiceError::invalid(MessageKey::BaasImportNothing));
    }
    let scope = request.scope();
    let today = chrono::Utc::now().date_naive();
    let total = children.rows.len();
    progress.advance(Stage::Write, 0, total);
    let mut ids: HashMap<u32, i32> = HashMap::new();
    for (index, row) in children.rows.iter().enumerate() {
        if index % PROGRESS_EVERY == 0 {
            progress.advance(Stage::Write, index, total);
        }
        // consent is the committing person's statement, on the day they commit
        let input = ChildInput {
            persetujuan_oleh: actor.label.clone(),
            persetujuan_tanggal: today,
            ..row.input.clone()
        };
        let child = baas::register_child(conn, actor, &scope, input, today)?;
        if let Some(measurement) = &row.measurement {
            baas::record_measurement(
                conn,
                actor,
                &scope,
                MeasurementInput {
                    child_id: child.id,
                    tanggal: measurement.tanggal,
                    bb: measurement.bb,
                    tb: measurement.tb,
                    cara_ukur: measurement.cara_ukur,
                    oleh: MeasuredBy::Posyandu,
                },
                today,
            )?;
        }
        ids.insert(row.row, child.id);
    }
    progress.advance(Stage::Write, total, total);
    for line in &mut report.baas.rows {
        line.child_id = ids.get(&line.row).copied();
    }
    report.baas.persetujuan_oleh = actor.label.clone();
    report.baas.persetujuan_tanggal = today.to_string();
    let after = serde_json::json!({
        "kind": "baas_anak",
        "file_name": request.file_name,
        "sha256": report.sha256,
        "rows": report.rows,
        "children": report.baas.children,
        "measurements": report.baas.measurements,
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

/// lokus's children template for a district: the header row, the district's desa to copy from,
/// and the instructions (in Indonesian and English).
pub fn baas_template(conn: &mut PgConnection, kode_kabkota: &str) -> ServiceResult<Vec<u8>> {
    use crate::spreadsheet::baas_workbook::{CHILDREN_SHEET, TemplateColumn, entry_template};
    let desa: Vec<(String, String)> = wilayah::list_desa_in_kabkota(conn, kode_kabkota)?
        .into_iter()
        .map(|row| (row.kode, row.nama))
        .collect();
    let district = wilayah::find_by_kode(conn, kode_kabkota)?
        .map_or_else(|| kode_kabkota.to_owned(), |row| row.nama);
    let help = |column: Column| -> (&'static str, bool, &'static [&'static str], bool) {
        match column {
            Column::Nik => (
                "Wajib. 16 angka NIK anak; enam angka pertama kode kecamatan. / Required: the child's 16-digit NIK.",
                true,
                &[],
                true,
            ),
            Column::Nama => (
                "Wajib. Nama lengkap anak. / Required: the child's full name.",
                false,
                &[],
                true,
            ),
            Column::Jk => (
                "Wajib. L atau P (juga 1 = laki-laki, 2 = perempuan). / Required: L (boy) or P (girl), or 1/2.",
                false,
                &["L", "P"],
                true,
            ),
            Column::TglLahir => (
                "Wajib. Tanggal lahir (tanggal Excel atau DD/MM/YYYY). / Required: birth date.",
                false,
                &[],
                true,
            ),
            Column::NamaOrtu => (
                "Nama orang tua/wali (ibu). / The parent's or guardian's name (the mother).",
                false,
                &[],
                false,
            ),
            Column::Desa => (
                "Wajib. Nama desa/kelurahan atau kode wilayahnya (lihat lembar Desa). / Required: desa name or kode wilayah (see the Desa sheet).",
                false,
                &[],
                true,
            ),
            Column::Posyandu => ("Nama posyandu. / The posyandu.", false, &[], false),
            Column::TanggalUkur => (
                "Tanggal pengukuran; isi bila BB atau TB/PB diisi. / Measurement date, with BB or TB/PB.",
                false,
                &[],
                false,
            ),
            Column::Bb => (
                "Berat badan dalam kg (mis. 9,8). / Weight in kg.",
                false,
                &[],
                false,
            ),
            Column::Tb => (
                "Panjang/tinggi badan dalam cm (mis. 74,5). / Length/height in cm.",
                false,
                &[],
                false,
            ),
            Column::CaraUkur => (
                "berbaring atau berdiri; kosong: sesuai umur menurut WHO. / Lying or standing; empty: WHO's default for the age.",
                false,
                &["berbaring", "berdiri"],
                false,
            ),
            Column::NoKk => (
                "Nomor Kartu Keluarga, 16 angka (boleh kosong). / Family card number, 16 digits (optional).",
                true,
                &[],
                false,
            ),
            Column::Alamat => (
                "Alamat (boleh kosong). / Address (optional).",
                false,
                &[],
                false,
            ),
            Column::StatusKrs => (
                "Status keluarga berisiko stunting (boleh kosong). / At-risk family status (optional).",
                false,
                &[],
                false,
            ),
            _ => ("", false, &[], false),
        }
    };
    let columns: Vec<TemplateColumn<'_>> = TEMPLATE_HEADERS
        .iter()
        .map(|(column, header)| {
            let (help, text, choices, required) = help(*column);
            TemplateColumn {
                header,
                text,
                choices,
                required,
                help,
            }
        })
        .collect();
    let instructions = vec![
        format!("Daftar anak BAAS, {district}. / BAAS children list, {district}."),
        "Satu baris satu anak, mulai baris 2 lembar Anak. Kolom merah wajib. / One row per child from row 2 of the Anak sheet; red columns are required.".to_owned(),
        "Unggah di Impor (jenis: Anak BAAS) atau `lokus import baas FILE`; pratinjau menunjukkan setiap masalah di sel-nya, dan tidak ada yang tersimpan sebelum Anda menyimpan. / Upload on Impor (kind: BAAS children) or run `lokus import baas FILE`; the preview shows every problem at its cell, and nothing is saved before you commit.".to_owned(),
        "Anak yang sudah terdaftar (NIK sama, atau nama + tanggal lahir + desa sama) ditolak, tidak digabung: hapus barisnya. / A child already registered (same NIK, or same name + birth date + desa) is refused, never merged: remove the row.".to_owned(),
        "Persetujuan orang tua/wali dicatat atas nama pengguna yang menyimpan impor, pada tanggal penyimpanan: simpan hanya bila persetujuan sudah diperoleh (UU 27/2022). / The parents' consent is recorded in the name of the user who commits, on that day: commit only with consent obtained (UU 27/2022).".to_owned(),
        "NIK dan No. KK adalah data pribadi spesifik: jangan kirim berkas ini lewat saluran terbuka. / NIK and No. KK are special-category personal data: do not send this file over open channels.".to_owned(),
    ];
    entry_template(
        CHILDREN_SHEET,
        "Templat Anak BAAS / BAAS children template",
        &columns,
        &desa,
        &instructions,
    )
    .map_err(ServiceError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spreadsheet::columns::normalise_header;

    #[test]
    fn e_ppgbm_and_template_headers_are_read() {
        for (header, column) in [
            ("NIK", Column::Nik),
            ("Nama Anak", Column::Nama),
            ("JK", Column::Jk),
            ("Jenis Kelamin", Column::Jk),
            ("Tgl Lahir", Column::TglLahir),
            ("Tanggal Lahir", Column::TglLahir),
            ("Nama Ortu", Column::NamaOrtu),
            ("Desa/Kel", Column::Desa),
            ("Kode Wilayah", Column::Desa),
            ("Tgl Pengukuran", Column::TanggalUkur),
            ("BB (kg)", Column::Bb),
            ("TB/PB", Column::Tb),
            ("Tinggi Badan (cm)", Column::Tb),
            ("Cara Ukur", Column::CaraUkur),
            ("No. KK", Column::NoKk),
        ] {
            assert_eq!(
                column_of(&normalise_header(header)),
                Some(column),
                "{header}"
            );
        }
        assert_eq!(column_of(&normalise_header("LiLA")), None);
        for (column, header) in TEMPLATE_HEADERS {
            assert_eq!(
                column_of(&normalise_header(header)),
                Some(column),
                "{header}"
            );
        }
    }
}
