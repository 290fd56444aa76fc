//! Writes a `Table` as an xlsx workbook: one header row, typed cells (money and percentages stay
//! numbers so totals can be summed in Excel), so the file can be read back by lokus. Also the one
//! place any lokus workbook writes a text cell ([`write_text`]), so no stored text can make a
//! download fail.

use std::borrow::Cow;

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// What an Excel cell holds: 32,767 UTF-16 units. rust_xlsxwriter refuses longer text, which
/// would turn every download holding it into an error.
pub const CELL_TEXT_LIMIT: usize = 32_767;

/// Text cut to what an Excel cell holds, marked with an ellipsis when cut.
pub fn cell_text(text: &str) -> Cow<'_, str> {
    if text.len() <= CELL_TEXT_LIMIT || text.encode_utf16().count() <= CELL_TEXT_LIMIT {
        return text.into();
    }
    let mut units = 0;
    let mut cut = String::new();
    for character in text.chars() {
        units += character.len_utf16();
        if units > CELL_TEXT_LIMIT - 1 {
            break;
        }
        cut.push(character);
    }
    cut.push('…');
    cut.into()
}

/// Writes `text` as a text cell, whatever it holds: cut to what a cell holds (see [`cell_text`]),
/// and, when it starts like a formula (`=`, `+`, `-`, `@`), with Excel's quote prefix, so that
/// editing the cell in Excel keeps it text instead of running it. Every workbook lokus writes
/// goes through here for its text.
pub fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let text = cell_text(text);
    if text.starts_with(['=', '+', '-', '@']) {
        let quoted = format.cloned().unwrap_or_default().set_quote_prefix();
        sheet.write_string_with_format(row, column, text.as_ref(), &quoted)?;
    } else if let Some(format) = format {
        sheet.write_string_with_format(row, column, text.as_ref(), format)?;
    } else {
        sheet.write_string(row, column, text.as_ref())?;
    }
    Ok(())
}

use crate::table::{Cell, Table};

/// Excel limits sheet names to 31 characters without `[]:*?/\`.
pub(crate) fn sheet_name(title: &str) -> String {
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
        write_text(sheet, 0, column as u16, name, Some(&header))?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        let row_number = index as u32 + 1;
        for (column, cell) in row.cells.iter().enumerate() {
            let column = column as u16;
            match cell {
                Cell::Text(text) => {
                    write_text(sheet, row_number, column, text, None)?;
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
                    write_text(
                        sheet,
                        row_number,
                        column,
                        if *flag { yes } else { no },
                        None,
                    )?;
                }
                Cell::Empty => {}
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::table::{Cell, Table};

    #[test]
    fn any_stored_text_downloads_cut_or_as_text() {
        let mut table = Table::new(&["Uraian", "Catatan"]);
        table.push(
            vec![
                Cell::text("x".repeat(1_000_000)),
                Cell::text("=HYPERLINK(\"x\")"),
            ],
            None,
        );
        table.push(vec![Cell::text("-5"), Cell::text("@SUM(A1)")], None);
        let bytes = table_workbook("Baris", &table, "Ya", "Tidak").unwrap();
        let mut workbook: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        let range = workbook.worksheet_range("Baris").unwrap();
        let long = range.get_value((1, 0)).unwrap().to_string();
        assert_eq!(long.chars().count(), CELL_TEXT_LIMIT);
        assert!(long.ends_with('…'));
        assert_eq!(
            range.get_value((1, 1)),
            Some(&Data::String("=HYPERLINK(\"x\")".to_owned()))
        );
        assert_eq!(
            range.get_value((2, 0)),
            Some(&Data::String("-5".to_owned()))
        );
        // the formula-like texts carry Excel's quote prefix
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("xl/styles.xml").unwrap(), &mut styles)
            .unwrap();
        assert!(styles.contains("quotePrefix=\"1\""), "{styles}");
    }
}
