//! lokus's own workplan template: the "Rencana Kerja" sheet (headers, one example row, dropdowns),
//! the "Daftar" sheet the dropdowns read from, and the "Petunjuk" sheet. Pure: the catalogues come
//! in as `TemplateLists`; no database, no web.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};

use super::columns::{EXAMPLE_MARKER, Field, TEMPLATE_FIELDS};
use super::write::write_text;

/// The sheet the reader looks at first; it must stay the first sheet of the workbook.
pub const TEMPLATE_SHEET: &str = "Rencana Kerja";
/// The catalogues the dropdowns read from, as codes with their names.
pub const LIST_SHEET: &str = "Daftar";
/// Instructions in Bahasa Indonesia.
pub const INSTRUCTIONS_SHEET: &str = "Petunjuk";
/// Dropdowns and text formats reach this sheet row (1-based), header included.
pub const TEMPLATE_LAST_ROW: u32 = 5000;

/// What the template offers in its dropdowns, loaded by the caller for one district and year.
#[derive(Debug, Clone, Default)]
pub struct TemplateLists {
    /// e.g. "Kabupaten Berau"
    pub district_name: String,
    pub tahun: Option<i16>,
    /// (kode "SP1", nama, jenis "spesifik"/"sensitif")
    pub intervensi: Vec<(String, String, String)>,
    /// (kode "DAU", nama "Dana Alokasi Umum")
    pub sumber_dana: Vec<(String, String)>,
    /// (kode "64.03.05.1004", nama "Tanjung Redeb")
    pub lokus_desa: Vec<(String, String)>,
}

const JENIS: [&str; 2] = ["spesifik", "sensitif"];
const FALLBACK_SUMBER_DANA: &str = "DAK_NF_BOK";
const HEADER_FILL: &str = "D9E2F3";
/// Required columns stand out so the officer sees at once what must be filled.
const REQUIRED_FILL: &str = "F8CBAD";

/// Where each catalogue sits on the "Daftar" sheet: (first column, headers).
const DAFTAR_INTERVENSI: (u16, [&str; 3]) = (
    0,
    ["Kode Intervensi", "Nama Intervensi", "Jenis Intervensi"],
);
const DAFTAR_SUMBER_DANA: (u16, [&str; 2]) = (4, ["Kode Sumber Dana", "Nama Sumber Dana"]);
const DAFTAR_LOKUS_DESA: (u16, [&str; 2]) = (7, ["Kode Desa Lokus", "Nama Desa"]);

/// The workbook described in the workplan import issue, step 7.
pub fn workplan_template(lists: &TemplateLists) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let example = example_row(lists);

    let sheet = workbook.add_worksheet();
    sheet.set_name(TEMPLATE_SHEET)?;
    write_rencana_kerja(sheet, &example)?;
    for validation in list_validations(lists) {
        let column = template_column(validation.field);
        sheet.add_data_validation(
            1,
            column,
            TEMPLATE_LAST_ROW - 1,
            column,
            &validation.to_data_validation()?,
        )?;
    }
    sheet.set_active(true);

    let daftar = workbook.add_worksheet();
    daftar.set_name(LIST_SHEET)?;
    write_daftar(daftar, lists)?;

    let petunjuk = workbook.add_worksheet();
    petunjuk.set_name(INSTRUCTIONS_SHEET)?;
    write_petunjuk(petunjuk, lists, &example)?;

    workbook.save_to_buffer()
}

/// A cell of the example row.
#[derive(Debug, Clone, PartialEq)]
enum Example {
    Text(String),
    Number(f64),
    Empty,
}

impl Example {
    fn text(value: &str) -> Example {
        if value.is_empty() {
            Example::Empty
        } else {
            Example::Text(value.to_owned())
        }
    }

    fn shown(&self) -> String {
        match self {
            Example::Text(text) => text.clone(),
            Example::Number(number) => number.to_string(),
            Example::Empty => String::new(),
        }
    }
}

/// A budget line that passes every check, built from the district's own catalogues where it can.
fn example_row(lists: &TemplateLists) -> Vec<(Field, Example)> {
    let intervensi = lists
        .intervensi
        .iter()
        // SP8, supplementary food for balita gizi kurang, is what the example line is (SP1 is the
        // one for ibu hamil KEK: see the catalogue seed)
        .find(|(kode, _, _)| kode == "SP8")
        .or_else(|| lists.intervensi.first());
    let sumber_dana = lists
        .sumber_dana
        .first()
        .map_or(FALLBACK_SUMBER_DANA, |(kode, _)| kode.as_str());
    let lokus = lists
        .lokus_desa
        .first()
        .map_or("", |(kode, _)| kode.as_str());
    TEMPLATE_FIELDS
        .iter()
        .map(|&field| {
            let value = match field {
                Field::SubKegiatanKode => Example::text("1.02.02.2.02.0016"),
                Field::SubKegiatanNama => {
                    Example::text("Pengelolaan Pelayanan Kesehatan Gizi Masyarakat")
                }
                Field::KodeRekening => Example::text("5.1.02.01.01.0052"),
                Field::Uraian => {
                    Example::text("Pemberian makanan tambahan (PMT) lokal bagi balita gizi kurang")
                }
                Field::Volume => Example::Number(100.0),
                Field::Satuan => Example::text("paket"),
                Field::HargaSatuan => Example::Number(150_000.0),
                Field::Pagu => Example::Number(15_000_000.0),
                Field::SumberDana => Example::text(sumber_dana),
                Field::Intervensi => Example::text(intervensi.map_or("", |(kode, _, _)| kode)),
                Field::Jenis => Example::text(intervensi.map_or("", |(_, _, jenis)| jenis)),
                Field::DesaLokus => Example::text(lokus),
                Field::Sasaran => Example::text("Balita gizi kurang"),
                Field::TargetOutput => Example::Number(100.0),
                Field::SatuanOutput => Example::text("balita"),
                Field::Keterangan => Example::text(EXAMPLE_MARKER),
                _ => Example::Empty,
            };
            (field, value)
        })
        .collect()
}

/// The 0-based column of a template field (its place in `TEMPLATE_FIELDS`).
fn template_column(field: Field) -> u16 {
    TEMPLATE_FIELDS
        .iter()
        .position(|&candidate| candidate == field)
        .unwrap_or_default() as u16
}

fn is_code(field: Field) -> bool {
    matches!(
        field,
        Field::SubKegiatanKode
            | Field::KodeRekening
            | Field::SumberDana
            | Field::Intervensi
            | Field::DesaLokus
    )
}

fn is_money(field: Field) -> bool {
    matches!(field, Field::HargaSatuan | Field::Pagu)
}

fn is_required(field: Field) -> bool {
    matches!(field, Field::SubKegiatanKode | Field::Uraian | Field::Pagu)
}

/// Codes are text so Excel does not turn `1.02` into a number; money shows thousands separators.
fn column_format(field: Field) -> Option<Format> {
    if is_code(field) {
        Some(Format::new().set_num_format("@"))
    } else if is_money(field) {
        Some(Format::new().set_num_format("#,##0"))
    } else {
        None
    }
}

fn column_width(field: Field) -> f64 {
    match field {
        Field::SubKegiatanNama => 40.0,
        Field::Uraian => 50.0,
        Field::Keterangan => 38.0,
        Field::DesaLokus | Field::Sasaran => 26.0,
        Field::SubKegiatanKode | Field::KodeRekening => 20.0,
        Field::Pagu | Field::HargaSatuan | Field::Jenis | Field::Intervensi => 17.0,
        Field::SumberDana | Field::TargetOutput | Field::SatuanOutput => 15.0,
        _ => 11.0,
    }
}

fn header_format(fill: &str) -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(fill)
        .set_border(FormatBorder::Thin)
}

fn write_rencana_kerja(
    sheet: &mut Worksheet,
    example: &[(Field, Example)],
) -> Result<(), XlsxError> {
    let header = header_format(HEADER_FILL);
    let required = header_format(REQUIRED_FILL);
    for (index, &field) in TEMPLATE_FIELDS.iter().enumerate() {
        let column = index as u16;
        // A column format (rather than 5000 formatted blank cells) also covers rows typed past the
        // last dropdown row; the header keeps its own format.
        if let Some(format) = column_format(field) {
            sheet.set_column_format(column, &format)?;
        }
        sheet.set_column_width(column, column_width(field))?;
        let format = if is_required(field) {
            &required
        } else {
            &header
        };
        write_text(sheet, 0, column, field.template_header(), Some(format))?;
    }
    sheet.set_row_height(0, 30)?;

    for (field, value) in example {
        let column = template_column(*field);
        let format = column_format(*field)
            .unwrap_or_default()
            .set_italic()
            .set_font_color("595959");
        match value {
            Example::Text(text) => write_text(sheet, 1, column, text, Some(&format))?,
            Example::Number(number) => {
                sheet.write_number_with_format(1, column, *number, &format)?;
            }
            Example::Empty => {
                sheet.write_blank(1, column, &format)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Where a dropdown takes its choices from.
#[derive(Debug, Clone, PartialEq)]
enum ListSource {
    /// Typed into the validation itself: only for short fixed lists.
    Inline(&'static [&'static str]),
    /// A range on the "Daftar" sheet, e.g. `=Daftar!$A$2:$A$9`. Catalogues always go here: Excel
    /// caps inline lists at 255 characters, and the dropdown then shows exactly what "Daftar" lists.
    Range(String),
}

/// One dropdown of the "Rencana Kerja" sheet.
struct ListValidation {
    field: Field,
    source: ListSource,
    style: DataValidationErrorStyle,
    input_title: &'static str,
    input_message: &'static str,
    error_title: &'static str,
    error_message: &'static str,
}

impl ListValidation {
    fn to_data_validation(&self) -> Result<DataValidation, XlsxError> {
        let validation = match &self.source {
            ListSource::Inline(values) => DataValidation::new().allow_list_strings(values)?,
            ListSource::Range(range) => {
                DataValidation::new().allow_list_formula(range.as_str().into())
            }
        };
        validation
            .ignore_blank(true)
            .set_error_style(self.style.clone())
            .set_input_title(self.input_title)?
            .set_input_message(self.input_message)?
            .set_error_title(self.error_title)?
            .set_error_message(self.error_message)
    }
}

/// `=Daftar!$A$2:$A$n` for `count` codes in the 0-based `column` of "Daftar"; none for an empty list.
fn daftar_range(column: u16, count: usize) -> Option<ListSource> {
    if count == 0 {
        return None;
    }
    let letter = super::columns::column_letter(u32::from(column));
    Some(ListSource::Range(format!(
        "={LIST_SHEET}!${letter}$2:${letter}${}",
        count + 1
    )))
}

/// The dropdowns of the template. An empty catalogue gets no dropdown: Excel rejects an empty list.
fn list_validations(lists: &TemplateLists) -> Vec<ListValidation> {
    let mut validations = Vec::new();
    if let Some(source) = daftar_range(DAFTAR_INTERVENSI.0, lists.intervensi.len()) {
        validations.push(ListValidation {
            field: Field::Intervensi,
            source,
            style: DataValidationErrorStyle::Stop,
            input_title: "Kode Intervensi",
            input_message: "Pilih kode intervensi (nama lengkap di lembar Daftar). \
                            Boleh dikosongkan bila belum ada intervensi.",
            error_title: "Kode intervensi tidak dikenal",
            error_message: "Kode ini tidak ada dalam daftar intervensi. \
                            Pilih dari daftar atau kosongkan sel.",
        });
    }
    validations.push(ListValidation {
        field: Field::Jenis,
        source: ListSource::Inline(&JENIS),
        style: DataValidationErrorStyle::Stop,
        input_title: "Jenis Intervensi",
        input_message: "spesifik atau sensitif, sesuai kode intervensi.",
        error_title: "Jenis intervensi tidak dikenal",
        error_message: "Isi dengan spesifik atau sensitif.",
    });
    if let Some(source) = daftar_range(DAFTAR_SUMBER_DANA.0, lists.sumber_dana.len()) {
        // Unknown sources of funds are a warning at import (an admin can add them), so the
        // dropdown warns instead of refusing.
        validations.push(ListValidation {
            field: Field::SumberDana,
            source,
            style: DataValidationErrorStyle::Warning,
            input_title: "Sumber Dana",
            input_message: "Pilih kode sumber dana (nama lengkap di lembar Daftar).",
            error_title: "Sumber dana tidak ada di daftar",
            error_message: "Kode ini belum ada di daftar sumber dana. \
                            lokus akan memberi peringatan saat impor.",
        });
    }
    if let Some(source) = daftar_range(DAFTAR_LOKUS_DESA.0, lists.lokus_desa.len()) {
        // Several desa in one cell ("64.03.05.1004, 64.03.05.1005") are never in the list, so this
        // dropdown only informs.
        validations.push(ListValidation {
            field: Field::DesaLokus,
            source,
            style: DataValidationErrorStyle::Information,
            input_title: "Desa Lokus",
            input_message: "Pilih kode desa lokus, atau tulis beberapa kode/nama desa \
                            dipisahkan koma.",
            error_title: "Desa Lokus",
            error_message: "Nilai ini tidak ada di daftar desa lokus. Beberapa desa boleh \
                            dipisahkan koma; lokus memeriksanya saat impor.",
        });
    }
    validations
}

fn write_daftar(sheet: &mut Worksheet, lists: &TemplateLists) -> Result<(), XlsxError> {
    let header = header_format(HEADER_FILL);
    let text = Format::new().set_num_format("@");
    let (first, headers) = DAFTAR_INTERVENSI;
    write_list_headers(sheet, first, &headers, &header)?;
    for (index, (kode, nama, jenis)) in lists.intervensi.iter().enumerate() {
        let row = index as u32 + 1;
        write_text(sheet, row, first, kode, Some(&text))?;
        write_text(sheet, row, first + 1, nama, None)?;
        write_text(sheet, row, first + 2, jenis, None)?;
    }
    for (first, headers, rows) in [
        (
            DAFTAR_SUMBER_DANA.0,
            DAFTAR_SUMBER_DANA.1,
            &lists.sumber_dana,
        ),
        (DAFTAR_LOKUS_DESA.0, DAFTAR_LOKUS_DESA.1, &lists.lokus_desa),
    ] {
        write_list_headers(sheet, first, &headers, &header)?;
        for (index, (kode, nama)) in rows.iter().enumerate() {
            let row = index as u32 + 1;
            write_text(sheet, row, first, kode, Some(&text))?;
            write_text(sheet, row, first + 1, nama, None)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    // The dropdowns read these cells: protect them from accidental edits (no password).
    sheet.protect();
    Ok(())
}

fn write_list_headers(
    sheet: &mut Worksheet,
    first: u16,
    headers: &[&str],
    format: &Format,
) -> Result<(), XlsxError> {
    for (offset, title) in headers.iter().enumerate() {
        let column = first + offset as u16;
        let width = if offset == 1 { 40.0 } else { 18.0 };
        sheet.set_column_width(column, width)?;
        write_text(sheet, 0, column, title, Some(format))?;
    }
    Ok(())
}

/// What each column holds, in the officer's words.
fn column_help(field: Field) -> (&'static str, &'static str) {
    match field {
        Field::SubKegiatanKode => (
            "Ya",
            "Kode sub kegiatan sesuai nomenklatur, format U.BB.PP.X.KK.SSSS \
             (contoh 1.02.02.2.02.0001).",
        ),
        Field::SubKegiatanNama => (
            "Bila kode baru",
            "Nama sub kegiatan. Wajib diisi bila kode sub kegiatan belum dikenal lokus.",
        ),
        Field::KodeRekening => (
            "Tidak",
            "Kode rekening belanja; bagian terakhir 3 atau 4 angka (contoh 5.1.02.01.01.0024).",
        ),
        Field::Uraian => ("Ya", "Uraian atau rincian belanja."),
        Field::Volume => ("Tidak", "Volume (angka)."),
        Field::Satuan => ("Tidak", "Satuan volume, misalnya paket, orang, kali."),
        Field::HargaSatuan => (
            "Tidak",
            "Harga per satuan dalam rupiah, ditulis sebagai angka biasa.",
        ),
        Field::Pagu => (
            "Ya",
            "Jumlah anggaran dalam rupiah, angka biasa lebih dari 0. Bila Volume dan Harga \
             Satuan diisi, Volume x Harga Satuan sebaiknya sama dengan Pagu.",
        ),
        Field::SumberDana => ("Tidak", "Kode sumber dana; daftarnya ada di lembar Daftar."),
        Field::Intervensi => (
            "Tidak",
            "Kode intervensi stunting (lembar Daftar). Boleh dikosongkan: baris tanpa \
             intervensi tetap diimpor dan dapat ditandai kemudian.",
        ),
        Field::Jenis => (
            "Tidak",
            "spesifik atau sensitif; harus sesuai dengan jenis kode intervensi.",
        ),
        Field::DesaLokus => (
            "Tidak",
            "Kode wilayah atau nama desa lokus. Beberapa desa dipisahkan koma.",
        ),
        Field::Sasaran => (
            "Tidak",
            "Kelompok sasaran, misalnya balita, ibu hamil, remaja putri.",
        ),
        Field::TargetOutput => ("Tidak", "Target keluaran (angka)."),
        Field::SatuanOutput => ("Tidak", "Satuan target keluaran."),
        Field::Keterangan => ("Tidak", "Catatan bebas."),
        _ => ("Tidak", ""),
    }
}

fn write_petunjuk(
    sheet: &mut Worksheet,
    lists: &TemplateLists,
    example: &[(Field, Example)],
) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let header = header_format(HEADER_FILL);
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 15)?;
    sheet.set_column_width(2, 80)?;
    sheet.set_column_width(3, 34)?;

    let mut row = 0;
    write_text(
        sheet,
        row,
        0,
        "Petunjuk Pengisian Rencana Kerja Intervensi Stunting",
        Some(&title),
    )?;
    row += 1;
    let district = lists.district_name.trim();
    let place = if district.is_empty() {
        "Kabupaten/kota: sesuai akun lokus Anda".to_owned()
    } else {
        format!("Kabupaten/kota: {district}")
    };
    write_text(sheet, row, 0, &place, Some(&bold))?;
    row += 1;
    let year = match lists.tahun {
        Some(tahun) => format!("Tahun anggaran: {tahun}"),
        None => "Tahun anggaran: dipilih saat impor".to_owned(),
    };
    write_text(sheet, row, 0, &year, Some(&bold))?;
    row += 2;

    let desa_example = match lists.lokus_desa.as_slice() {
        [first, second, ..] => format!("{}, {}", first.0, second.0),
        _ => "64.03.05.1004, 64.03.05.1005".to_owned(),
    };
    let steps = [
        format!(
            "1. Isi satu baris untuk setiap rincian belanja pada lembar \"{TEMPLATE_SHEET}\". \
             Jangan mengubah judul kolom di baris 1; urutan kolom boleh diubah."
        ),
        format!(
            "2. Baris 2 adalah contoh: kolom Keterangan-nya berisi \"{EXAMPLE_MARKER}\". \
             lokus melewati baris contoh saat impor; baris itu boleh ditimpa dengan data Anda \
             atau dihapus."
        ),
        "3. Kolom wajib (judul berwarna oranye): Kode Sub Kegiatan, Uraian dan Pagu. Nama Sub \
         Kegiatan wajib diisi bila kode sub kegiatan baru (belum dikenal lokus)."
            .to_owned(),
        "4. Kode ditulis lengkap dengan titik dan sebagai teks: kode sub kegiatan seperti \
         1.02.02.2.02.0001, kode rekening seperti 5.1.02.01.01.0024."
            .to_owned(),
        "5. Uang (Harga Satuan, Pagu) ditulis sebagai angka biasa, tanpa \"Rp\" dan tanpa titik \
         ribuan, misalnya 15000000."
            .to_owned(),
        format!(
            "6. Desa Lokus: kode wilayah atau nama desa. Beberapa desa dipisahkan koma, misalnya \
             {desa_example}. Desa yang bukan lokus pada tahun itu tetap ditautkan dengan \
             peringatan."
        ),
        format!(
            "7. Kode Intervensi, Jenis Intervensi, Sumber Dana dan Desa Lokus dapat dipilih dari \
             daftar pilihan (dropdown). Kode beserta namanya ada di lembar \"{LIST_SHEET}\"."
        ),
        "8. Baris kosong, baris subtotal dan tanda tangan dilewati. Sebelum menyimpan, lokus \
         selalu menampilkan uji coba dengan setiap kesalahan per sel; tidak ada yang tersimpan \
         selama masih ada kesalahan."
            .to_owned(),
    ];
    for step in steps {
        sheet.merge_range(row, 0, row, 3, &step, &wrap)?;
        sheet.set_row_height(row, 32)?;
        row += 1;
    }
    row += 1;

    for (column, title) in ["Kolom", "Wajib", "Isi", "Contoh"].into_iter().enumerate() {
        write_text(sheet, row, column as u16, title, Some(&header))?;
    }
    row += 1;
    for (field, value) in example {
        let (required, help) = column_help(*field);
        write_text(sheet, row, 0, field.template_header(), Some(&wrap))?;
        write_text(sheet, row, 1, required, Some(&wrap))?;
        write_text(sheet, row, 2, help, Some(&wrap))?;
        write_text(sheet, row, 3, &value.shown(), Some(&wrap))?;
        row += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};

    use super::*;

    fn berau() -> TemplateLists {
        TemplateLists {
            district_name: "Kabupaten Berau".to_owned(),
            tahun: Some(2025),
            intervensi: vec![
                (
                    "SE1".to_owned(),
                    "Akses air minum layak".to_owned(),
                    "sensitif".to_owned(),
                ),
                (
                    "SP1".to_owned(),
                    "Tambahan asupan gizi ibu hamil KEK".to_owned(),
                    "spesifik".to_owned(),
                ),
                (
                    "SP2".to_owned(),
                    "Tablet tambah darah ibu hamil".to_owned(),
                    "spesifik".to_owned(),
                ),
                (
                    "SP8".to_owned(),
                    "Tambahan asupan gizi balita gizi kurang".to_owned(),
                    "spesifik".to_owned(),
                ),
            ],
            sumber_dana: vec![
                ("DAU".to_owned(), "Dana Alokasi Umum".to_owned()),
                ("DAK_NF_BOK".to_owned(), "DAK Non Fisik BOK".to_owned()),
            ],
            lokus_desa: vec![
                ("64.03.05.1004".to_owned(), "Tanjung Redeb".to_owned()),
                ("64.03.05.1005".to_owned(), "Bugis".to_owned()),
            ],
        }
    }

    fn open(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a readable xlsx")
    }

    fn text(range: &calamine::Range<Data>, row: u32, column: Field) -> String {
        match range.get_value((row, u32::from(template_column(column)))) {
            Some(Data::String(text)) => text.clone(),
            other => panic!("expected text in {column:?}, found {other:?}"),
        }
    }

    #[test]
    fn the_example_row_says_what_the_reader_takes_for_the_example() {
        use crate::spreadsheet::columns::{
            EXAMPLE_PAGU, EXAMPLE_REKENING, EXAMPLE_SUB_KEGIATAN, EXAMPLE_URAIAN,
        };
        let lists = TemplateLists {
            district_name: "Kabupaten Berau".into(),
            tahun: Some(2024),
            intervensi: vec![("SP1".into(), "PMT".into(), "spesifik".into())],
            sumber_dana: vec![("DAU".into(), "Dana Alokasi Umum".into())],
            lokus_desa: vec![],
        };
        let example = example_row(&lists);
        let value = |wanted: Field| {
            example
                .iter()
                .find(|(field, _)| *field == wanted)
                .map(|(_, value)| value.shown())
                .unwrap_or_default()
        };
        assert_eq!(value(Field::SubKegiatanKode), EXAMPLE_SUB_KEGIATAN);
        assert_eq!(value(Field::KodeRekening), EXAMPLE_REKENING);
        assert_eq!(value(Field::Uraian), EXAMPLE_URAIAN);
        assert_eq!(value(Field::Pagu), EXAMPLE_PAGU.to_string());
    }

    #[test]
    fn catalogue_names_of_any_length_still_give_a_template() {
        let long = "n".repeat(40_000);
        let lists = TemplateLists {
            district_name: long.clone(),
            tahun: Some(2024),
            intervensi: vec![("SP1".into(), long.clone(), "spesifik".into())],
            sumber_dana: vec![("=DAU".into(), long.clone())],
            lokus_desa: vec![("64.03.05.1004".into(), long)],
        };
        let bytes = workplan_template(&lists).expect("a template despite the long names");
        let workbook: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert!(workbook.sheet_names().len() >= 2);
    }

    #[test]
    fn the_template_has_its_three_sheets_in_order() {
        let workbook = open(workplan_template(&berau()).unwrap());
        assert_eq!(
            workbook.sheet_names(),
            ["Rencana Kerja", "Daftar", "Petunjuk"]
        );
    }

    #[test]
    fn row_one_carries_the_sixteen_template_headers_in_order() {
        let mut workbook = open(workplan_template(&berau()).unwrap());
        let range = workbook.worksheet_range(TEMPLATE_SHEET).unwrap();
        assert_eq!(range.start(), Some((0, 0)));
        let headers: Vec<String> = (0..16)
            .map(|column| range.get_value((0, column)).unwrap().to_string())
            .collect();
        let expected: Vec<&str> = TEMPLATE_FIELDS
            .iter()
            .map(|f| f.template_header())
            .collect();
        assert_eq!(headers, expected);
        assert_eq!(headers[0], "Kode Sub Kegiatan");
        assert_eq!(headers[15], "Keterangan");
    }

    #[test]
    fn the_example_row_is_a_valid_line_marked_as_the_example() {
        let mut workbook = open(workplan_template(&berau()).unwrap());
        let range = workbook.worksheet_range(TEMPLATE_SHEET).unwrap();
        assert_eq!(text(&range, 1, Field::Keterangan), EXAMPLE_MARKER);
        assert_eq!(text(&range, 1, Field::SubKegiatanKode), "1.02.02.2.02.0016");
        assert_eq!(text(&range, 1, Field::KodeRekening), "5.1.02.01.01.0052");
        let number = |field| {
            range
                .get_value((1, u32::from(template_column(field))))
                .cloned()
        };
        assert_eq!(number(Field::Pagu), Some(Data::Float(15_000_000.0)));
        assert_eq!(number(Field::HargaSatuan), Some(Data::Float(150_000.0)));
        assert_eq!(number(Field::Volume), Some(Data::Float(100.0)));
        // SP8 (balita gizi kurang, like the example's uraian) is preferred even when it is not the
        // first intervention, with its own jenis; SP1 is for ibu hamil KEK.
        assert_eq!(text(&range, 1, Field::Intervensi), "SP8");
        assert_eq!(text(&range, 1, Field::Jenis), "spesifik");
        assert_eq!(text(&range, 1, Field::SumberDana), "DAU");
        assert_eq!(text(&range, 1, Field::DesaLokus), "64.03.05.1004");
        // Only the header and the example: the text formats do not create cells.
        assert_eq!(range.height(), 2);
    }

    #[test]
    fn without_sp8_the_example_takes_the_first_intervention() {
        let mut lists = berau();
        lists.intervensi.retain(|(kode, _, _)| kode != "SP8");
        let mut workbook = open(workplan_template(&lists).unwrap());
        let range = workbook.worksheet_range(TEMPLATE_SHEET).unwrap();
        assert_eq!(text(&range, 1, Field::Intervensi), "SE1");
        assert_eq!(text(&range, 1, Field::Jenis), "sensitif");
    }

    #[test]
    fn daftar_lists_every_code_with_its_name() {
        let mut workbook = open(workplan_template(&berau()).unwrap());
        let range = workbook.worksheet_range(LIST_SHEET).unwrap();
        let cell = |row: u32, column: u16| {
            range
                .get_value((row, u32::from(column)))
                .map(Data::to_string)
        };
        let (intervensi, _) = DAFTAR_INTERVENSI;
        assert_eq!(cell(1, intervensi).as_deref(), Some("SE1"));
        assert_eq!(cell(2, intervensi).as_deref(), Some("SP1"));
        assert_eq!(cell(3, intervensi).as_deref(), Some("SP2"));
        assert_eq!(cell(3, intervensi + 2).as_deref(), Some("spesifik"));
        let (sumber, _) = DAFTAR_SUMBER_DANA;
        assert_eq!(cell(1, sumber).as_deref(), Some("DAU"));
        assert_eq!(cell(2, sumber).as_deref(), Some("DAK_NF_BOK"));
        assert_eq!(cell(2, sumber + 1).as_deref(), Some("DAK Non Fisik BOK"));
        let (desa, _) = DAFTAR_LOKUS_DESA;
        assert_eq!(cell(1, desa).as_deref(), Some("64.03.05.1004"));
        assert_eq!(cell(2, desa + 1).as_deref(), Some("Bugis"));
    }

    #[test]
    fn dropdowns_read_their_codes_from_the_daftar_sheet() {
        let validations = list_validations(&berau());
        let sources: Vec<(Field, ListSource)> = validations
            .iter()
            .map(|validation| (validation.field, validation.source.clone()))
            .collect();
        assert_eq!(
            sources,
            [
                (
                    Field::Intervensi,
                    ListSource::Range("=Daftar!$A$2:$A$5".to_owned())
                ),
                (Field::Jenis, ListSource::Inline(&["spesifik", "sensitif"])),
                (
                    Field::SumberDana,
                    ListSource::Range("=Daftar!$E$2:$E$3".to_owned())
                ),
                (
                    Field::DesaLokus,
                    ListSource::Range("=Daftar!$H$2:$H$3".to_owned())
                ),
            ]
        );
        let desa = validations
            .iter()
            .find(|v| v.field == Field::DesaLokus)
            .unwrap();
        assert!(matches!(desa.style, DataValidationErrorStyle::Information));
        let intervensi = validations
            .iter()
            .find(|v| v.field == Field::Intervensi)
            .unwrap();
        assert!(matches!(intervensi.style, DataValidationErrorStyle::Stop));
        // Every message fits Excel's limits (the builder refuses otherwise).
        for validation in &validations {
            validation.to_data_validation().unwrap();
        }
    }

    #[test]
    fn empty_catalogues_still_make_a_valid_workbook_with_only_the_jenis_dropdown() {
        let lists = TemplateLists::default();
        let fields: Vec<Field> = list_validations(&lists).iter().map(|v| v.field).collect();
        assert_eq!(fields, [Field::Jenis]);
        let mut workbook = open(workplan_template(&lists).unwrap());
        let range = workbook.worksheet_range(TEMPLATE_SHEET).unwrap();
        assert_eq!(text(&range, 1, Field::Keterangan), EXAMPLE_MARKER);
        assert_eq!(text(&range, 1, Field::SumberDana), "DAK_NF_BOK");
        let empty = |field| {
            range
                .get_value((1, u32::from(template_column(field))))
                .cloned()
        };
        assert_eq!(empty(Field::Intervensi), Some(Data::Empty));
        assert_eq!(empty(Field::DesaLokus), Some(Data::Empty));
        assert_eq!(
            workbook.sheet_names(),
            ["Rencana Kerja", "Daftar", "Petunjuk"]
        );
    }

    #[test]
    fn a_district_with_hundreds_of_lokus_desa_is_not_limited_by_the_inline_list() {
        let mut lists = berau();
        lists.lokus_desa = (1..=300)
            .map(|n| (format!("64.03.05.{:04}", 1000 + n), format!("Desa {n}")))
            .collect();
        let bytes = workplan_template(&lists).unwrap();
        let mut workbook = open(bytes);
        let range = workbook.worksheet_range(LIST_SHEET).unwrap();
        let desa = u32::from(DAFTAR_LOKUS_DESA.0);
        assert_eq!(
            range.get_value((300, desa)),
            Some(&Data::String("64.03.05.1300".to_owned()))
        );
        let source = list_validations(&lists)
            .into_iter()
            .find(|v| v.field == Field::DesaLokus)
            .map(|v| v.source);
        assert_eq!(
            source,
            Some(ListSource::Range("=Daftar!$H$2:$H$301".to_owned()))
        );
    }

    #[test]
    fn the_instructions_name_the_district_the_year_and_every_column() {
        let mut workbook = open(workplan_template(&berau()).unwrap());
        let range = workbook.worksheet_range(INSTRUCTIONS_SHEET).unwrap();
        let all: Vec<String> = range
            .used_cells()
            .map(|(_, _, value)| value.to_string())
            .collect();
        let joined = all.join("\n");
        assert!(joined.contains("Kabupaten Berau"), "{joined}");
        assert!(joined.contains("2025"), "{joined}");
        assert!(joined.contains(EXAMPLE_MARKER));
        assert!(joined.contains("1.02.02.2.02.0001"));
        assert!(joined.contains("5.1.02.01.01.0024"));
        assert!(joined.contains("64.03.05.1004, 64.03.05.1005"));
        for field in TEMPLATE_FIELDS {
            assert!(
                all.iter().any(|cell| cell == field.template_header()),
                "{field:?} is not explained"
            );
        }
    }
}
