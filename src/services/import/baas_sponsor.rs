//! The BAAS sponsors kind of import: a list of Bapak/Bunda Asuh (nama, jenis, kontak, the pledge of
//! children x months x Rupiah per month, an optional `sponsor` login to bind). Every row is held to
//! exactly what the desk's form holds a sponsor to (`services::baas::check_sponsor`), each problem
//! at its cell; a sponsor twice in the file or already registered (same name), or a login used
//! twice, is an error at its row. `apply` creates each through `services::baas::create_sponsor`.

use std::collections::{BTreeMap, HashMap};

use calamine::Data;
use diesel::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::pipeline::{
    self, Analysis, Checked, CommitOptions, ImportRequest, PROGRESS_EVERY, Progress, Stage,
};
use super::report::{BaasSponsorLine, ImportReport, REPORT_VERSION, RowCounts, money};
use crate::db::baas as db;
use crate::domain::baas::SponsorJenis;
use crate::domain::names::normalise;
use crate::i18n::{Message, MessageKey};
use crate::services::activity_log::{self, Actor, NOTHING};
use crate::services::baas::{self, SponsorField, SponsorInput};
use crate::services::error::{ServiceError, ServiceResult};
use crate::spreadsheet::columns::Severity;
use crate::spreadsheet::read::{
    self, LayoutSpec, NumberCell, ReadOptions, SpecRow, SpecSheet, excerpt, number_cell, text_cell,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Nama,
    Jenis,
    Kontak,
    JanjiAnak,
    JanjiBulan,
    JanjiRupiah,
    Login,
}

/// The column a header names (normalised: `Rp` and `Rupiah` are dropped, so "Rupiah per Bulan"
/// reads `perbulan`).
pub fn column_of(header: &str) -> Option<Column> {
    Some(match header {
        "nama" | "namasponsor" | "sponsor" | "namabapakasuh" | "bapakasuh" | "bapakbundaasuh"
        | "namabapakbundaasuh" | "bundaasuh" => Column::Nama,
        "jenis" | "jenissponsor" | "kategori" | "tipe" | "kelompok" => Column::Jenis,
        "kontak" | "telepon" | "telp" | "nohp" | "notelp" | "hp" | "kontaksponsor" => {
            Column::Kontak
        }
        "janjianak" | "jumlahanak" | "anak" | "anakasuh" | "jumlahanakasuh" => Column::JanjiAnak,
        "janjibulan" | "lamabulan" | "jumlahbulan" | "bulan" | "lama" | "lamapendampingan" => {
            Column::JanjiBulan
        }
        "perbulan" | "janjiperbulan" | "nilaiperbulan" | "nominalperbulan" | "bantuanperbulan"
        | "peranakperbulan" | "perbulanperanak" => Column::JanjiRupiah,
        "emaillogin" | "login" | "akun" | "emailakun" | "email" => Column::Login,
        _ => return None,
    })
}

/// The template's sheet.
pub const SPONSOR_SHEET: &str = "Sponsor";

pub const TEMPLATE_HEADERS: [(Column, &str); 7] = [
    (Column::Nama, "Nama"),
    (Column::Jenis, "Jenis"),
    (Column::Kontak, "Kontak"),
    (Column::JanjiAnak, "Janji Anak"),
    (Column::JanjiBulan, "Janji Bulan"),
    (Column::JanjiRupiah, "Rupiah per Bulan"),
    (Column::Login, "Email Login"),
];

static LAYOUTS: [LayoutSpec<Column>; 1] = [LayoutSpec {
    required: &[
        (&[Column::Nama], "Nama"),
        (&[Column::Jenis], "Jenis"),
        (&[Column::JanjiAnak], "Janji Anak"),
        (&[Column::JanjiBulan], "Janji Bulan"),
        (&[Column::JanjiRupiah], "Rupiah per Bulan"),
    ],
    column: column_of,
}];

fn field_name(column: Column) -> &'static str {
    match column {
        Column::Nama => "nama",
        Column::Jenis => "jenis",
        Column::Kontak => "kontak",
        Column::JanjiAnak => "janji_anak",
        Column::JanjiBulan => "janji_bulan",
        Column::JanjiRupiah => "janji_rupiah_per_bulan",
        Column::Login => "login",
    }
}

fn sponsor_column(field: SponsorField) -> Column {
    match field {
        SponsorField::Nama => Column::Nama,
        SponsorField::JanjiAnak => Column::JanjiAnak,
        SponsorField::JanjiBulan => Column::JanjiBulan,
        SponsorField::JanjiRupiah => Column::JanjiRupiah,
        SponsorField::Login => Column::Login,
    }
}

/// A sponsor type as people write it: the stored words, `TNI/Polri`, and common other names.
pub fn parse_jenis(text: &str) -> Option<SponsorJenis> {
    let key = normalise(text).replace(' ', "_");
    if let Some(jenis) = SponsorJenis::parse(&key) {
        return Some(jenis);
    }
    Some(match key.as_str() {
        "individu" | "pribadi" | "perseorangan" => SponsorJenis::Perorangan,
        "swasta" | "bumn" | "bumd" | "csr" | "badan_usaha" | "dunia_usaha" => {
            SponsorJenis::Perusahaan
        }
        "pemerintah" | "opd" | "dinas" | "instansi_pemerintah" | "asn" => SponsorJenis::Instansi,
        "organisasi" | "ormas" | "komunitas" | "lsm" | "yayasan" | "universitas"
        | "perguruan_tinggi" | "profesi" | "organisasi_profesi" => SponsorJenis::Lembaga,
        "tni" | "polri" | "tni_polri" | "tnipolri" => SponsorJenis::TniPolri,
        "lain" | "lain_lain" => SponsorJenis::Lainnya,
        _ => return None,
    })
}

pub(super) struct Sponsors {
    rows: Vec<(u32, SponsorInput)>,
}

struct Problems<'a> {
    sheet: &'a SpecSheet<Column>,
    all: pipeline::Problems,
}

impl Problems<'_> {
    fn error(&mut self, row: u32, key: Column, message: Message) {
        let column = self.sheet.column_of(key);
        let header = column.map(|c| self.sheet.header_at(c)).unwrap_or_default();
        self.all.push_cell(
            Severity::Error,
            row,
            column,
            field_name(key),
            header,
            message,
        );
    }

    fn header(&self, key: Column) -> String {
        self.sheet
            .column_of(key)
            .map(|c| self.sheet.header_at(c))
            .unwrap_or_default()
    }
}

fn cell<'r>(sheet: &SpecSheet<Column>, row: &'r SpecRow, key: Column) -> &'r Data {
    sheet.column_of(key).map_or(&Data::Empty, |c| row.cell(c))
}

/// A number cell of the row, blank or wrong said at its cell; `whole` refuses fractions.
fn figure(
    sheet: &SpecSheet<Column>,
    row: &SpecRow,
    key: Column,
    whole: bool,
    problems: &mut Problems<'_>,
) -> Option<Decimal> {
    let header = problems.header(key);
    match number_cell(cell(sheet, row, key), 2) {
        NumberCell::Blank => {
            problems.error(
                row.row,
                key,
                Message::new(MessageKey::RealisasiCellBlank).arg(header),
            );
            None
        }
        NumberCell::Value(value) if whole && !value.fract().is_zero() => {
            problems.error(
                row.row,
                key,
                Message::new(MessageKey::BaasImportWholeNumber)
                    .arg(value)
                    .arg(header),
            );
            None
        }
        NumberCell::Value(value) => Some(value),
        NumberCell::NotANumber(found) => {
            problems.error(
                row.row,
                key,
                Message::new(MessageKey::RealisasiCellNotNumber)
                    .arg(found)
                    .arg(header),
            );
            None
        }
    }
}

const ROWS_SHOWN: usize = 300;

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
    let mut problems = Problems {
        sheet: &sheet,
        all: pipeline::Problems::new(&sheet.sheet),
    };
    let registered: HashMap<String, i32> = db::list_sponsors_for_scope(conn, &scope)?
        .into_iter()
        .map(|sponsor| (normalise(&sponsor.nama), sponsor.id))
        .collect();
    let mut counts = RowCounts {
        read: sheet.blank_rows,
        skipped: sheet.blank_rows,
        ..RowCounts::default()
    };
    let mut skipped_by_reason = BTreeMap::new();
    if sheet.blank_rows > 0 {
        skipped_by_reason.insert("kosong".to_owned(), sheet.blank_rows);
    }
    let mut by_name: HashMap<String, u32> = HashMap::new();
    let mut by_login: HashMap<String, u32> = HashMap::new();
    let mut accepted = Vec::new();
    let mut shown = Vec::new();
    for (index, row) in sheet.rows.iter().enumerate() {
        if index % PROGRESS_EVERY == 0 {
            progress.advance(Stage::Check, index, sheet.rows.len());
        }
        counts.read += 1;
        let errors_before = problems.all.error_count;
        let text = |key: Column| text_cell(cell(&sheet, row, key)).unwrap_or_default();
        let nama = text(Column::Nama);
        let jenis = match text(Column::Jenis) {
            value if value.is_empty() => {
                problems.error(
                    row.row,
                    Column::Jenis,
                    Message::new(MessageKey::RealisasiCellBlank)
                        .arg(problems.header(Column::Jenis)),
                );
                None
            }
            value => {
                let jenis = parse_jenis(&value);
                if jenis.is_none() {
                    problems.error(
                        row.row,
                        Column::Jenis,
                        Message::new(MessageKey::BaasImportJenisInvalid)
                            .arg(excerpt(&value))
                            .arg(problems.header(Column::Jenis)),
                    );
                }
                jenis
            }
        };
        let anak = figure(&sheet, row, Column::JanjiAnak, true, &mut problems);
        let bulan = figure(&sheet, row, Column::JanjiBulan, true, &mut problems);
        let rupiah = figure(&sheet, row, Column::JanjiRupiah, false, &mut problems);
        let login = text(Column::Login);
        let input = SponsorInput {
            nama: nama.clone(),
            jenis: jenis.unwrap_or(SponsorJenis::Lainnya),
            kontak: text(Column::Kontak),
            // out of the column's range reads as 0, which the pledge rule refuses at its cell
            janji_anak: anak.and_then(|v| v.to_i32()).unwrap_or(0),
            janji_bulan: bulan.and_then(|v| v.to_i16()).unwrap_or(0),
            janji_rupiah_per_bulan: rupiah.unwrap_or_default(),
            login_email: (!login.is_empty()).then(|| login.clone()),
        };
        // the desk form's checks, on what could be read
        if let Err(found) = baas::check_sponsor(conn, &scope, &input)? {
            for (field, error) in found {
                let key = sponsor_column(field);
                let readable = match key {
                    Column::JanjiAnak => anak.is_some(),
                    Column::JanjiBulan => bulan.is_some(),
                    Column::JanjiRupiah => rupiah.is_some(),
                    _ => true,
                };
                if readable {
                    let message = error
                        .user_message()
                        .cloned()
                        .unwrap_or_else(|| MessageKey::UnknownMessage.into());
                    problems.error(row.row, key, message);
                }
            }
        }
        if !nama.is_empty() {
            let key = normalise(&nama);
            if let Some(id) = registered.get(&key) {
                problems.error(
                    row.row,
                    Column::Nama,
                    Message::new(MessageKey::BaasImportSponsorRegistered)
                        .arg(&nama)
                        .arg(id),
                );
            } else if let Some(first) = by_name.get(&key) {
                problems.error(
                    row.row,
                    Column::Nama,
                    Message::new(MessageKey::BaasImportSponsorTwice)
                        .arg(&nama)
                        .arg(first),
                );
            } else {
                by_name.insert(key, row.row);
            }
        }
        if !login.is_empty() {
            let key = login.to_lowercase();
            if let Some(first) = by_login.get(&key) {
                problems.error(
                    row.row,
                    Column::Login,
                    Message::new(MessageKey::BaasImportLoginTwice)
                        .arg(&login)
                        .arg(first),
                );
            } else {
                by_login.insert(key, row.row);
            }
        }
        if problems.all.error_count > errors_before {
            counts.rejected += 1;
            continue;
        }
        counts.accepted += 1;
        if shown.len() < ROWS_SHOWN {
            let total = Decimal::from(input.janji_anak)
                * Decimal::from(input.janji_bulan)
                * input.janji_rupiah_per_bulan;
            shown.push(BaasSponsorLine {
                row: row.row,
                nama: input.nama.clone(),
                jenis: input.jenis.as_str().to_owned(),
                kontak: input.kontak.clone(),
                janji_anak: input.janji_anak,
                janji_bulan: input.janji_bulan,
                janji_rupiah_per_bulan: money(input.janji_rupiah_per_bulan),
                janji_total: money(total),
                login: login.clone(),
                sponsor_id: None,
            });
        }
        accepted.push((row.row, input));
    }
    if accepted.is_empty() && problems.all.error_count == 0 {
        problems.all.push_about(
            Severity::Error,
            sheet.header_row,
            "berkas",
            MessageKey::BaasImportNoSponsors.into(),
        );
    }
    let pipeline::Problems {
        errors,
        warnings,
        error_count,
        warning_count,
        ..
    } = problems.all;
    let total: Decimal = accepted
        .iter()
        .map(|(_, input)| {
            Decimal::from(input.janji_anak)
                * Decimal::from(input.janji_bulan)
                * input.janji_rupiah_per_bulan
        })
        .sum();
    let mut report = ImportReport {
        version: REPORT_VERSION,
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
        layout: "baas_sponsor".to_owned(),
        tahun: request.tahun,
        tahapan: request.tahapan.as_str().to_owned(),
        rows: counts,
        total_pagu: money(total),
        skipped_by_reason,
        errors,
        warnings,
        error_count,
        warning_count,
        ..ImportReport::default()
    };
    report.baas.sponsors = accepted.len();
    report.baas.sponsor_rows = shown;
    Ok(Analysis {
        report,
        base_batch_id: None,
        checked: Checked::BaasSponsor(Sponsors { rows: accepted }),
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
    sponsors: &mut Sponsors,
    batch_id: i64,
    _base_batch_id: Option<i64>,
    _options: &CommitOptions,
    progress: &dyn Progress,
) -> ServiceResult<()> {
    if sponsors.rows.is_empty() {
        return Err(ServiceError::invalid(MessageKey::BaasImportNoSponsors));
    }
    let scope = request.scope();
    let total = sponsors.rows.len();
    progress.advance(Stage::Write, 0, total);
    let mut ids = HashMap::new();
    for (row, input) in &sponsors.rows {
        let sponsor = baas::create_sponsor(conn, actor, &scope, input.clone())?;
        ids.insert(*row, sponsor.id);
    }
    progress.advance(Stage::Write, total, total);
    for line in &mut report.baas.sponsor_rows {
        line.sponsor_id = ids.get(&line.row).copied();
    }
    let after = serde_json::json!({
        "kind": "baas_sponsor",
        "file_name": request.file_name,
        "sha256": report.sha256,
        "rows": report.rows,
        "sponsors": report.baas.sponsors,
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

/// lokus's sponsors template: the header row with the jenis dropdown, and the instructions.
pub fn sponsor_template() -> ServiceResult<Vec<u8>> {
    use crate::spreadsheet::baas_workbook::{TemplateColumn, entry_template};
    const JENIS: [&str; 6] = [
        "perorangan",
        "perusahaan",
        "instansi",
        "lembaga",
        "tni_polri",
        "lainnya",
    ];
    let help = |column: Column| -> (&'static str, &'static [&'static str], bool) {
        match column {
            Column::Nama => (
                "Wajib. Nama sponsor (orang, perusahaan, instansi, lembaga). / Required: the sponsor's name.",
                &[],
                true,
            ),
            Column::Jenis => (
                "Wajib. perorangan, perusahaan, instansi, lembaga, tni_polri atau lainnya. / Required: the sponsor type.",
                &JENIS,
                true,
            ),
            Column::Kontak => (
                "Telepon atau email untuk dihubungi. / Phone or e-mail.",
                &[],
                false,
            ),
            Column::JanjiAnak => (
                "Wajib. Jumlah anak yang dijanjikan (bilangan bulat > 0). / Required: children pledged.",
                &[],
                true,
            ),
            Column::JanjiBulan => (
                "Wajib. Lama pendampingan, 1 sampai 120 bulan (umumnya 6). / Required: months, 1 to 120 (usually 6).",
                &[],
                true,
            ),
            Column::JanjiRupiah => (
                "Wajib. Rupiah per anak per bulan (umumnya 450.000). / Required: Rupiah per child per month (usually 450,000).",
                &[],
                true,
            ),
            Column::Login => (
                "Email akun lokus berperan sponsor yang diikat ke sponsor ini (boleh kosong). / The e-mail of a sponsor login to bind (optional).",
                &[],
                false,
            ),
        }
    };
    let columns: Vec<TemplateColumn<'_>> = TEMPLATE_HEADERS
        .iter()
        .map(|(column, header)| {
            let (help, choices, required) = help(*column);
            TemplateColumn {
                header,
                text: false,
                choices,
                required,
                help,
            }
        })
        .collect();
    let instructions = vec![
        "Satu baris satu Bapak/Bunda Asuh, mulai baris 2 lembar Sponsor. Kolom merah wajib. / One row per sponsor from row 2; red columns are required.".to_owned(),
        "Unggah di Impor (jenis: Bapak/Bunda Asuh) atau `lokus import baas-sponsor FILE`. Sponsor dengan nama yang sudah terdaftar ditolak, tidak digabung. / Upload on Impor (kind: BAAS sponsors) or run `lokus import baas-sponsor FILE`. A sponsor whose name is registered is refused, never merged.".to_owned(),
    ];
    entry_template(
        SPONSOR_SHEET,
        "Templat Bapak/Bunda Asuh / BAAS sponsors template",
        &columns,
        &[],
        &instructions,
    )
    .map_err(ServiceError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spreadsheet::columns::normalise_header;

    #[test]
    fn sponsor_headers_and_types_are_read_as_people_write_them() {
        for (column, header) in TEMPLATE_HEADERS {
            assert_eq!(
                column_of(&normalise_header(header)),
                Some(column),
                "{header}"
            );
        }
        // "Rp" is dropped from headers, so "Rp/bulan" would read as the months: say per what
        assert_eq!(
            column_of(&normalise_header("Rp per anak per bulan")),
            Some(Column::JanjiRupiah)
        );
        assert_eq!(column_of(&normalise_header("No. HP")), Some(Column::Kontak));
        assert_eq!(parse_jenis("TNI/Polri"), Some(SponsorJenis::TniPolri));
        assert_eq!(parse_jenis(" Perusahaan "), Some(SponsorJenis::Perusahaan));
        assert_eq!(parse_jenis("BUMN"), Some(SponsorJenis::Perusahaan));
        assert_eq!(parse_jenis("Yayasan"), Some(SponsorJenis::Lembaga));
        assert_eq!(parse_jenis("alien"), None);
    }
}
