//! Writes a `Table` as an xlsx workbook: one header row, typed cells (money and percentages stay
//! numbers so totals can be summed in Excel), so the file can be read back by lokus.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::table::{Cell, Table};

/// Excel limits sheet names to 31 characters without `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    if cleaned.trim().is_empty() {
        "Data".to_owned()
    } else {
        cleaned
    }
}

/// Excel keeps every number as an f64, exact for rupiah amounts below 2^53 (about 9 * 10^15).
fn excel_number(value: rust_decimal::Decimal) -> f64 {
    value.to_f64().unwrap_or_default()
}

pub fn table_workbook(
    title: &str,
    table: &Table,
    yes: &str,
    no: &str,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(title))?;
    let header = Format::new()
        .set_bold()
        .set_background_color("D9E2F3")
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let money = Format::new().set_num_format("#,##0.00");
    let percent = Format::new().set_num_format("0.00");
    for (column, name) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, name, &header)?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        let row_number = index as u32 + 1;
        for (column, cell) in row.cells.iter().enumerate() {
            let column = column as u16;
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(row_number, column, text)?;
                }
                Cell::Money(value) => {
                    sheet.write_number_with_format(
                        row_number,
                        column,
                        excel_number(*value),
                        &money,
                    )?;
                }
                Cell::Number(value) => {
                    sheet.write_number(row_number, column, excel_number(*value))?;
                }
                Cell::Percent(value) => {
                    sheet.write_number_with_format(
                        row_number,
                        column,
                        excel_number(*value),
                        &percent,
                    )?;
                }
                Cell::Int(value) => {
                    sheet.write_number(row_number, column, *value as f64)?;
                }
                Cell::Bool(flag) => {
                    sheet.write_string(row_number, column, if *flag { yes } else { no })?;
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    workbook.save_to_buffer()
}
