//! The BAAS workbooks (helper "baas-import"): the empty children and sponsors templates (a header
//! row, text columns for NIK and No. KK, dropdowns for JK, cara ukur and jenis, a sheet of the
//! district's desa and a sheet of instructions) and the BAAS export (a cover saying plainly whether personal data is
//! masked, then one sheet per table, Rupiah as numbers in the house format, the last row of a
//! summary in bold). Pure: no database; every text through `write_text`.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DataValidation, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::spreadsheet::write::{sheet_name, write_text};
use crate::table::{Cell, Table};

/// The sheet the template's rows go on (also what the reader picks: the first with the header).
pub const CHILDREN_SHEET: &str = "Anak";
pub const DESA_SHEET: &str = "Desa";
pub const INSTRUCTIONS_SHEET: &str = "Petunjuk";
/// Dropdowns and text formats reach this row.
const TEMPLATE_LAST_ROW: u32 = 5000;

/// One column of the children template.
pub struct TemplateColumn<'a> {
    pub header: &'a str,
    /// Kept as text (a 16-digit NIK would lose digits as a number).
    pub text: bool,
    /// A dropdown of these values.
    pub choices: &'a [&'a str],
    pub required: bool,
    pub help: &'a str,
}

/// An empty entry template: `sheet` with the header row, the district's desa (when given) and the
/// instructions.
pub fn entry_template(
    sheet_name: &str,
    title: &str,
    columns: &[TemplateColumn<'_>],
    desa: &[(String, String)],
    instructions: &[String],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color("D9E2F3")
        .set_border_bottom(FormatBorder::Thin);
    let required = header.clone().set_background_color("F8CBAD");
    let text = Format::new().set_num_format("@");
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    for (index, column) in columns.iter().enumerate() {
        let index = index as u16;
        let format = if column.required { &required } else { &header };
        write_text(sheet, 0, index, column.header, Some(format))?;
        sheet.set_column_width(
            index,
            (column.header.chars().count() as f64 + 4.0).max(14.0),
        )?;
        if column.text {
            sheet.set_column_format(index, &text)?;
        }
        if !column.choices.is_empty() {
            let validation = DataValidation::new().allow_list_strings(column.choices)?;
            sheet.add_data_validation(1, index, TEMPLATE_LAST_ROW - 1, index, &validation)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_active(true);

    if !desa.is_empty() {
        let list = workbook.add_worksheet();
        list.set_name(DESA_SHEET)?;
        write_text(list, 0, 0, "Kode Wilayah", Some(&header))?;
        write_text(list, 0, 1, "Nama Desa/Kelurahan", Some(&header))?;
        for (index, (kode, nama)) in desa.iter().enumerate() {
            write_text(list, index as u32 + 1, 0, kode, Some(&text))?;
            write_text(list, index as u32 + 1, 1, nama, None)?;
        }
        list.set_column_width(0, 16)?;
        list.set_column_width(1, 36)?;
    }

    let help = workbook.add_worksheet();
    help.set_name(INSTRUCTIONS_SHEET)?;
    write_text(
        help,
        0,
        0,
        title,
        Some(&Format::new().set_bold().set_font_size(14)),
    )?;
    let mut row = 2;
    for line in instructions {
        write_text(help, row, 0, line, None)?;
        row += 1;
    }
    row += 1;
    write_text(help, row, 0, "Kolom / Column", Some(&header))?;
    write_text(help, row, 1, "Isi / Content", Some(&header))?;
    for column in columns {
        row += 1;
        write_text(help, row, 0, column.header, None)?;
        write_text(help, row, 1, column.help, None)?;
    }
    help.set_column_width(0, 22)?;
    help.set_column_width(1, 110)?;
    workbook.save_to_buffer()
}

/// What the export's cover says.
pub struct ExportCover {
    pub title: String,
    pub facts: Vec<(String, String)>,
    /// Said in bold red when the workbook holds unmasked personal data.
    pub privacy: String,
    pub unmasked: bool,
    pub totals: Vec<(String, Cell)>,
}

/// A sheet of the export; `total_last`: its last row is the total, in bold.
pub struct ExportSheet<'a> {
    pub name: &'a str,
    pub table: &'a Table,
    pub total_last: bool,
}

fn excel(value: Decimal) -> f64 {
    value.to_f64().unwrap_or_default()
}

/// The house Rupiah format, as the realisation workbook writes it.
const RUPIAH: &str = "\"Rp\" #,##0;-\"Rp\" #,##0";

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: &Cell,
    bold: bool,
) -> Result<(), XlsxError> {
    let base = if bold {
        Format::new().set_bold().set_border_top(FormatBorder::Thin)
    } else {
        Format::new()
    };
    match cell {
        Cell::Text(text) => write_text(sheet, row, column, text, bold.then_some(&base))?,
        Cell::Money(value) => {
            sheet.write_number_with_format(
                row,
                column,
                excel(*value),
                &base.set_num_format(RUPIAH),
            )?;
        }
        Cell::Number(value) => {
            sheet.write_number_with_format(
                row,
                column,
                excel(*value),
                &base.set_num_format("#,##0.##"),
            )?;
        }
        Cell::Percent(value) => {
            sheet.write_number_with_format(
                row,
                column,
                excel(*value),
                &base.set_num_format("0.00\"%\""),
            )?;
        }
        Cell::Int(value) => {
            sheet.write_number_with_format(row, column, *value as f64, &base)?;
        }
        Cell::Bool(flag) => {
            write_text(sheet, row, column, if *flag { "ya" } else { "tidak" }, None)?;
        }
        Cell::Empty => {
            if bold {
                sheet.write_blank(row, column, &base)?;
            }
        }
    }
    Ok(())
}

/// The BAAS export: the cover, then each sheet with a frozen, filtered header row.
pub fn export_workbook(
    cover: &ExportCover,
    sheets: &[ExportSheet<'_>],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("D9E2F3")
        .set_border_bottom(FormatBorder::Thin);
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(&cover.title))?;
    write_text(sheet, 0, 0, &cover.title, Some(&title))?;
    let privacy = if cover.unmasked {
        Format::new().set_bold().set_font_color("C00000")
    } else {
        bold.clone()
    };
    write_text(sheet, 1, 0, &cover.privacy, Some(&privacy))?;
    let mut row = 3;
    for (label, value) in &cover.facts {
        write_text(sheet, row, 0, label, None)?;
        write_text(sheet, row, 1, value, None)?;
        row += 1;
    }
    row += 1;
    for (label, value) in &cover.totals {
        write_text(sheet, row, 0, label, Some(&bold))?;
        write_cell(sheet, row, 1, value, false)?;
        row += 1;
    }
    sheet.set_column_width(0, 42)?;
    sheet.set_column_width(1, 48)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    for part in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(part.name))?;
        for (column, name) in part.table.columns.iter().enumerate() {
            write_text(sheet, 0, column as u16, name, Some(&header))?;
            sheet.set_column_width(
                column as u16,
                (name.chars().count() as f64).clamp(10.0, 28.0),
            )?;
        }
        let count = part.table.rows.len();
        for (index, table_row) in part.table.rows.iter().enumerate() {
            let last = part.total_last && index + 1 == count;
            for (column, cell) in table_row.cells.iter().enumerate() {
                write_cell(sheet, index as u32 + 1, column as u16, cell, last)?;
            }
        }
        let columns = part.table.columns.len().max(1) as u16;
        let data_rows = count.saturating_sub(usize::from(part.total_last)) as u32;
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, data_rows.max(1), columns - 1)?;
        sheet.set_landscape();
        sheet.set_paper_size(9);
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(0, 0)?;
    }
    workbook.save_to_buffer()
}
