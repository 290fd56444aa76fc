//! The realisation form: the workbook an OPD's finance officer fills each month. One row per current
//! budget line (its identifier, codes, uraian, pagu and target locked), a keuangan and a fisik column
//! per month of the chosen range (open to typing, numbers >= 0 only, already recorded months filled
//! in), and the cumulative, sisa and % realisasi as formulas whose cached values are lokus's own
//! figures, so a reader that does not calculate (calamine, a phone viewer) sees them too.
//! The sheet is protected without a password: it prevents slips, not intent.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Formula, Workbook, Worksheet, XlsxError, utility::column_number_to_name,
};

use super::write::write_text;

/// The sheet the officer fills; the import looks for it by this name.
pub const SHEET: &str = "Realisasi";
pub const INSTRUCTIONS_SHEET: &str = "Petunjuk";
/// The header of the column holding lokus's line identifier.
pub const LINE_ID_HEADER: &str = "ID baris";

pub const BULAN: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// One line of the form with its recorded months (index 0 is January).
#[derive(Debug, Clone)]
pub struct FormLine {
    pub id: i64,
    pub sub_kegiatan_kode: String,
    pub kode_rekening: Option<String>,
    pub uraian: String,
    pub pagu: Decimal,
    pub target_output: Option<Decimal>,
    pub satuan_output: Option<String>,
    pub months: [Option<(Decimal, Option<Decimal>)>; 12],
}

/// Whose form, which year and which months (1-based, inclusive).
#[derive(Debug, Clone)]
pub struct FormHeader {
    pub opd_kode: String,
    pub opd_nama: String,
    pub tahun: i16,
    pub from: i16,
    pub to: i16,
    /// Months closed by an admin: shown, but locked like the codes.
    pub locked_months: Vec<i16>,
}

/// The fixed columns before the months.
const FIXED: [&str; 7] = [
    LINE_ID_HEADER,
    "Kode sub kegiatan",
    "Kode rekening",
    "Uraian",
    "Pagu",
    "Target volume",
    "Satuan",
];
const PAGU_COL: u16 = 4;

/// The header of a month's keuangan column ("Keuangan Januari") and fisik column.
pub fn keuangan_header(bulan: i16) -> String {
    format!("Keuangan {}", BULAN[(bulan - 1) as usize])
}

pub fn fisik_header(bulan: i16) -> String {
    format!("Fisik {}", BULAN[(bulan - 1) as usize])
}

fn number(value: Decimal) -> f64 {
    value.to_f64().unwrap_or_default()
}

/// A cached formula result as Excel writes numbers.
fn cached(value: Decimal) -> String {
    value.normalize().to_string()
}

pub fn realisasi_form(header: &FormHeader, lines: &[FormLine]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    write_form(sheet, header, lines)?;
    let petunjuk = workbook.add_worksheet();
    petunjuk.set_name(INSTRUCTIONS_SHEET)?;
    write_instructions(petunjuk, header)?;
    workbook.save_to_buffer()
}

fn write_form(
    sheet: &mut Worksheet,
    header: &FormHeader,
    lines: &[FormLine],
) -> Result<(), XlsxError> {
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("D9E2F3")
        .set_border_bottom(FormatBorder::Thin);
    let open_head = head.clone().set_background_color("FFF2CC");
    let locked_text = Format::new().set_background_color("F2F2F2");
    let code = locked_text.clone().set_num_format("@");
    let money = locked_text.clone().set_num_format("#,##0.00");
    let quantity = locked_text.clone().set_num_format("#,##0.####");
    let open_money = Format::new().set_unlocked().set_num_format("#,##0.00");
    let open_quantity = Format::new().set_unlocked().set_num_format("#,##0.####");
    let percent = locked_text.clone().set_num_format("0.00");

    let months: Vec<i16> = (header.from..=header.to).collect();
    let is_open = |bulan: i16| !header.locked_months.contains(&bulan);
    let first_month_col = FIXED.len() as u16;
    let other_col = first_month_col + 2 * months.len() as u16;
    let cumulative_col = other_col + 1;
    let sisa_col = other_col + 2;
    let percent_col = other_col + 3;

    for (column, name) in FIXED.iter().enumerate() {
        write_text(sheet, 0, column as u16, name, Some(&head))?;
    }
    for (index, bulan) in months.iter().enumerate() {
        let column = first_month_col + 2 * index as u16;
        let format = if is_open(*bulan) { &open_head } else { &head };
        write_text(sheet, 0, column, &keuangan_header(*bulan), Some(format))?;
        write_text(sheet, 0, column + 1, &fisik_header(*bulan), Some(format))?;
    }
    write_text(sheet, 0, other_col, "Realisasi bulan lain", Some(&head))?;
    write_text(sheet, 0, cumulative_col, "Realisasi kumulatif", Some(&head))?;
    write_text(sheet, 0, sisa_col, "Sisa", Some(&head))?;
    write_text(sheet, 0, percent_col, "% realisasi", Some(&head))?;

    for (index, line) in lines.iter().enumerate() {
        let row = index as u32 + 1;
        let excel_row = row + 1;
        sheet.write_number_with_format(row, 0, line.id as f64, &locked_text)?;
        write_text(sheet, row, 1, &line.sub_kegiatan_kode, Some(&code))?;
        write_text(
            sheet,
            row,
            2,
            line.kode_rekening.as_deref().unwrap_or(""),
            Some(&code),
        )?;
        write_text(sheet, row, 3, &line.uraian, Some(&locked_text))?;
        sheet.write_number_with_format(row, PAGU_COL, number(line.pagu), &money)?;
        match line.target_output {
            Some(target) => sheet.write_number_with_format(row, 5, number(target), &quantity)?,
            None => sheet.write_blank(row, 5, &quantity)?,
        };
        write_text(
            sheet,
            row,
            6,
            line.satuan_output.as_deref().unwrap_or(""),
            Some(&locked_text),
        )?;
        let mut in_range = Decimal::ZERO;
        let mut keuangan_cells = Vec::new();
        for (offset, bulan) in months.iter().enumerate() {
            let column = first_month_col + 2 * offset as u16;
            let (money_format, quantity_format) = if is_open(*bulan) {
                (&open_money, &open_quantity)
            } else {
                (&money, &quantity)
            };
            let recorded = line.months[(*bulan - 1) as usize];
            match recorded {
                Some((keuangan, _)) => {
                    in_range += keuangan;
                    sheet.write_number_with_format(row, column, number(keuangan), money_format)?
                }
                None => sheet.write_blank(row, column, money_format)?,
            };
            match recorded.and_then(|(_, fisik)| fisik) {
                Some(fisik) => sheet.write_number_with_format(
                    row,
                    column + 1,
                    number(fisik),
                    quantity_format,
                )?,
                None => sheet.write_blank(row, column + 1, quantity_format)?,
            };
            keuangan_cells.push(format!("{}{excel_row}", column_number_to_name(column)));
        }
        // what the months outside the range already hold, so the cumulative is the year's
        let other: Decimal = line
            .months
            .iter()
            .enumerate()
            .filter(|(month, _)| !months.contains(&(*month as i16 + 1)))
            .filter_map(|(_, recorded)| recorded.map(|(keuangan, _)| keuangan))
            .sum();
        sheet.write_number_with_format(row, other_col, number(other), &money)?;
        let cumulative = other + in_range;
        let other_cell = format!("{}{excel_row}", column_number_to_name(other_col));
        let cumulative_cell = format!("{}{excel_row}", column_number_to_name(cumulative_col));
        let pagu_cell = format!("{}{excel_row}", column_number_to_name(PAGU_COL));
        let sum = if keuangan_cells.is_empty() {
            other_cell.clone()
        } else {
            format!("{other_cell}+{}", keuangan_cells.join("+"))
        };
        sheet.write_formula_with_format(
            row,
            cumulative_col,
            Formula::new(format!("={sum}")).set_result(cached(cumulative)),
            &money,
        )?;
        sheet.write_formula_with_format(
            row,
            sisa_col,
            Formula::new(format!("={pagu_cell}-{cumulative_cell}"))
                .set_result(cached(line.pagu - cumulative)),
            &money,
        )?;
        let share = if line.pagu.is_zero() {
            Decimal::ZERO
        } else {
            (cumulative / line.pagu * Decimal::from(100)).round_dp(2)
        };
        sheet.write_formula_with_format(
            row,
            percent_col,
            Formula::new(format!(
                "=IF({pagu_cell}=0,0,ROUND({cumulative_cell}/{pagu_cell}*100,2))"
            ))
            .set_result(cached(share)),
            &percent,
        )?;
    }

    // numbers >= 0 only in the cells to fill (no dropdowns)
    let last_row = lines.len().max(1) as u32;
    let validation = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .ignore_blank(true)
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Isian tidak sah")?
        .set_error_message("Tulis angka 0 atau lebih, tanpa teks.")?;
    for (offset, bulan) in months.iter().enumerate() {
        if is_open(*bulan) {
            let column = first_month_col + 2 * offset as u16;
            sheet.add_data_validation(1, column, last_row, column + 1, &validation)?;
        }
    }
    sheet.set_column_width(0, 9)?;
    sheet.set_column_width(1, 20)?;
    sheet.set_column_width(2, 18)?;
    sheet.set_column_width(3, 40)?;
    sheet.set_column_width(PAGU_COL, 16)?;
    for column in first_month_col..=percent_col {
        sheet.set_column_width(column, 15)?;
    }
    sheet.set_row_height(0, 32)?;
    sheet.set_freeze_panes(1, 4)?;
    sheet.protect();
    Ok(())
}

fn write_instructions(sheet: &mut Worksheet, header: &FormHeader) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 90)?;
    write_text(sheet, 0, 0, "Formulir realisasi lokus", Some(&title))?;
    let period = if header.from == header.to {
        BULAN[(header.from - 1) as usize].to_owned()
    } else {
        format!(
            "{} - {}",
            BULAN[(header.from - 1) as usize],
            BULAN[(header.to - 1) as usize]
        )
    };
    let locked: Vec<&str> = header
        .locked_months
        .iter()
        .filter(|bulan| (1..=12).contains(*bulan))
        .map(|bulan| BULAN[(*bulan - 1) as usize])
        .collect();
    let facts = [
        ("OPD", format!("{} {}", header.opd_kode, header.opd_nama)),
        ("Tahun anggaran", header.tahun.to_string()),
        ("Bulan", period),
        (
            "Bulan dikunci",
            if locked.is_empty() {
                "-".to_owned()
            } else {
                locked.join(", ")
            },
        ),
    ];
    for (index, (label, value)) in facts.iter().enumerate() {
        let row = index as u32 + 2;
        write_text(sheet, row, 0, label, Some(&bold))?;
        write_text(sheet, row, 1, value, None)?;
    }
    let steps = [
        "Isi lembar Realisasi: satu baris untuk setiap baris anggaran OPD Anda.",
        "Kolom berwarna kuning (Keuangan dan Fisik per bulan) adalah isian Anda. Kolom lain dikunci dan tidak boleh diubah.",
        "Keuangan: rupiah yang dibelanjakan pada bulan itu (bukan kumulatif), angka 0 atau lebih tanpa teks.",
        "Fisik: volume yang dikerjakan pada bulan itu, dalam satuan kolom Satuan.",
        "Bulan yang sudah tercatat di lokus sudah terisi; mengubah angkanya mengganti catatan bulan itu.",
        "Realisasi kumulatif, Sisa dan % realisasi dihitung otomatis. Realisasi kumulatif tidak boleh melebihi Pagu.",
        "Bulan yang dikunci admin tidak dapat diubah lagi.",
        "Jangan menambah, menghapus atau menukar baris, dan jangan mengubah kolom ID baris: lokus mengenali baris dari ID itu.",
        "Setelah diisi, unggah kembali berkas ini di lokus. lokus menampilkan perubahan (sebelum dan sesudah) sebelum disimpan.",
    ];
    write_text(sheet, 7, 0, "Cara mengisi", Some(&bold))?;
    for (index, step) in steps.iter().enumerate() {
        let row = index as u32 + 8;
        write_text(sheet, row, 0, &format!("{}.", index + 1), None)?;
        write_text(sheet, row, 1, step, Some(&wrap))?;
    }
    Ok(())
}
