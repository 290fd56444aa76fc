//! The realisation workbook a finance office forwards: a cover sheet with the totals and native
//! Excel charts, one sheet per breakdown, the convergence matrix, a detail sheet of every line with
//! its 12 months of keuangan and fisik (written in constant-memory mode, slice by slice, so memory
//! stays flat whatever the district's size), and the attention points. Rupiah formats, bold totals,
//! frozen headers, autofilter, print set-up (A4 landscape, repeated header rows, page numbers).
//! No database here: the caller hands the tables and pulls the detail rows through a closure.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Chart, ChartType, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::spreadsheet::write::{sheet_name, write_text};
use crate::table::{Cell, Table};

/// Excel's paper size code for A4.
const A4: u8 = 9;
/// Rows of a breakdown sheet above its header: the title and a blank row.
const HEADER_ROW: u32 = 2;

/// What the cover says: a title, facts (district, year, filters, who and when) and the totals.
pub struct Cover {
    pub title: String,
    pub facts: Vec<(String, String)>,
    /// (label, amount): rupiah.
    pub money: Vec<(String, Decimal)>,
    /// (label, percent), none shown as empty.
    pub percents: Vec<(String, Option<Decimal>)>,
    pub chart_titles: [String; 3],
}

/// One breakdown: its sheet, title and table (the last row is its total when `total_last`).
pub struct SheetTable<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub table: &'a Table,
    pub total_last: bool,
}

/// A line of the detail sheet.
pub struct DetailRow {
    pub texts: Vec<String>,
    pub pagu: Decimal,
    pub target_output: Option<Decimal>,
    pub satuan_output: Option<String>,
    pub keuangan: [Decimal; 12],
    pub fisik: [Option<Decimal>; 12],
}

/// The detail sheet's headers: the line's text columns, then the fixed ones.
pub struct DetailHeaders {
    pub title: String,
    pub texts: Vec<String>,
    pub pagu: String,
    pub target: String,
    pub satuan: String,
    /// 12 headers each
    pub keuangan: Vec<String>,
    pub total_keuangan: String,
    pub sisa: String,
    pub persen: String,
    pub fisik: Vec<String>,
    pub total_fisik: String,
    pub total_label: String,
}

struct Formats {
    title: Format,
    header: Format,
    money: Format,
    money_bold: Format,
    percent: Format,
    percent_bold: Format,
    number: Format,
    number_bold: Format,
    bold: Format,
}

impl Formats {
    fn new() -> Formats {
        let rupiah = "\"Rp\" #,##0;-\"Rp\" #,##0";
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color("D9E2F3")
                .set_border_bottom(FormatBorder::Thin),
            money: Format::new().set_num_format(rupiah),
            money_bold: Format::new()
                .set_num_format(rupiah)
                .set_bold()
                .set_border_top(FormatBorder::Thin),
            percent: Format::new().set_num_format("0.00\"%\""),
            percent_bold: Format::new()
                .set_num_format("0.00\"%\"")
                .set_bold()
                .set_border_top(FormatBorder::Thin),
            number: Format::new().set_num_format("#,##0.##"),
            number_bold: Format::new()
                .set_num_format("#,##0.##")
                .set_bold()
                .set_border_top(FormatBorder::Thin),
            bold: Format::new().set_bold().set_border_top(FormatBorder::Thin),
        }
    }
}

fn excel(value: Decimal) -> f64 {
    value.to_f64().unwrap_or_default()
}

/// An `&` in a header or footer starts a code: a title's own `&` is doubled.
fn header_text(title: &str) -> String {
    title.replace('&', "&&")
}

fn print_setup(sheet: &mut Worksheet, title: &str, repeat: Option<u32>) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(A4);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_header(format!("&C&\"-,Bold\"{}", header_text(title)));
    sheet.set_footer("&C&P / &N");
    if let Some(row) = repeat {
        sheet.set_repeat_rows(row, row)?;
    }
    Ok(())
}

/// The sheet a breakdown is written to (also what the cover's charts point at).
pub fn breakdown_sheet_name(title: &str) -> String {
    // "Konvergensi: desa × intervensi" is named by what comes before its colon
    sheet_name(title.split(':').next().unwrap_or(title).trim())
}

fn write_table(
    sheet: &mut Worksheet,
    formats: &Formats,
    part: &SheetTable,
) -> Result<(), XlsxError> {
    write_text(sheet, 0, 0, part.title, Some(&formats.title))?;
    let table = part.table;
    for (column, name) in table.columns.iter().enumerate() {
        write_text(
            sheet,
            HEADER_ROW,
            column as u16,
            name,
            Some(&formats.header),
        )?;
    }
    let last = table.rows.len().saturating_sub(1);
    for (index, row) in table.rows.iter().enumerate() {
        let bold = part.total_last && index == last;
        let row_number = HEADER_ROW + 1 + index as u32;
        for (column, cell) in row.cells.iter().enumerate() {
            let column = column as u16;
            match cell {
                Cell::Text(text) => write_text(
                    sheet,
                    row_number,
                    column,
                    text,
                    bold.then_some(&formats.bold),
                )?,
                Cell::Money(value) => {
                    let format = if bold {
                        &formats.money_bold
                    } else {
                        &formats.money
                    };
                    sheet.write_number_with_format(row_number, column, excel(*value), format)?;
                }
                Cell::Percent(value) => {
                    let format = if bold {
                        &formats.percent_bold
                    } else {
                        &formats.percent
                    };
                    sheet.write_number_with_format(row_number, column, excel(*value), format)?;
                }
                Cell::Number(value) => {
                    let format = if bold {
                        &formats.number_bold
                    } else {
                        &formats.number
                    };
                    sheet.write_number_with_format(row_number, column, excel(*value), format)?;
                }
                Cell::Int(value) => {
                    let format = if bold {
                        &formats.number_bold
                    } else {
                        &formats.number
                    };
                    sheet.write_number_with_format(row_number, column, *value as f64, format)?;
                }
                Cell::Bool(flag) => write_text(
                    sheet,
                    row_number,
                    column,
                    if *flag { "1" } else { "0" },
                    None,
                )?,
                Cell::Empty => {
                    if bold {
                        sheet.write_blank(row_number, column, &formats.bold)?;
                    }
                }
            }
        }
    }
    let last_row = HEADER_ROW + table.rows.len() as u32;
    let last_column = table.columns.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(HEADER_ROW + 1, 1)?;
    if !table.rows.is_empty() {
        // the total row stays out of the filter's range, so filtering never hides it
        let filtered_last = if part.total_last && last_row > HEADER_ROW + 1 {
            last_row - 1
        } else {
            last_row
        };
        sheet.autofilter(HEADER_ROW, 0, filtered_last, last_column)?;
    }
    sheet.autofit();
    sheet.set_column_width(0, 36)?;
    print_setup(sheet, part.title, Some(HEADER_ROW))?;
    Ok(())
}

/// The whole workbook. `detail` is called until it returns an empty slice; `progress` hears the
/// number of detail lines written so far (a background job's progress bar).
pub fn write_workbook(
    cover: &Cover,
    tables: &[SheetTable],
    attention_title: &str,
    attention: &[String],
    headers: &DetailHeaders,
    detail: &mut dyn FnMut() -> Result<Vec<DetailRow>, String>,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<u8>, WorkbookError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();

    // the cover first, so the file opens on it; its charts are added once the sheets exist
    let cover_sheet = workbook.add_worksheet();
    cover_sheet.set_name(sheet_name(&cover.title))?;
    write_text(cover_sheet, 0, 0, &cover.title, Some(&formats.title))?;
    let mut row = 2;
    for (label, value) in &cover.facts {
        write_text(cover_sheet, row, 0, label, None)?;
        write_text(cover_sheet, row, 1, value, None)?;
        row += 1;
    }
    row += 1;
    for (label, value) in &cover.money {
        write_text(cover_sheet, row, 0, label, Some(&formats.bold))?;
        cover_sheet.write_number_with_format(row, 1, excel(*value), &formats.money_bold)?;
        row += 1;
    }
    for (label, value) in &cover.percents {
        write_text(cover_sheet, row, 0, label, Some(&formats.bold))?;
        match value {
            Some(value) => {
                cover_sheet.write_number_with_format(
                    row,
                    1,
                    excel(*value),
                    &formats.percent_bold,
                )?;
            }
            None => {
                cover_sheet.write_blank(row, 1, &formats.bold)?;
            }
        }
        row += 1;
    }
    cover_sheet.set_column_width(0, 30)?;
    cover_sheet.set_column_width(1, 60)?;
    print_setup(cover_sheet, &cover.title, None)?;
    let charts_row = row + 1;

    for part in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(breakdown_sheet_name(part.title))?;
        write_table(sheet, &formats, part)?;
    }

    // native charts on the cover, matching the page's: per OPD (bar), cumulative by month (line),
    // spesifik vs sensitif (doughnut)
    let rows_of = |id: &str| {
        tables
            .iter()
            .find(|part| part.id == id)
            .map(|part| {
                let data_rows = part.table.rows.len() as u32 - u32::from(part.total_last);
                (breakdown_sheet_name(part.title), data_rows)
            })
            .filter(|(_, rows)| *rows > 0)
    };
    let mut charts = Vec::new();
    if let Some((sheet, rows)) = rows_of("opd") {
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name(&cover.chart_titles[0]);
        for column in [1, 2] {
            chart
                .add_series()
                .set_name((sheet.as_str(), HEADER_ROW, column))
                .set_categories((sheet.as_str(), HEADER_ROW + 1, 0, HEADER_ROW + rows, 0))
                .set_values((
                    sheet.as_str(),
                    HEADER_ROW + 1,
                    column,
                    HEADER_ROW + rows,
                    column,
                ));
        }
        charts.push(chart);
    }
    if let Some((sheet, rows)) = rows_of("bulan") {
        let mut chart = Chart::new(ChartType::Line);
        chart.title().set_name(&cover.chart_titles[1]);
        for column in [2, 3] {
            chart
                .add_series()
                .set_name((sheet.as_str(), HEADER_ROW, column))
                .set_categories((sheet.as_str(), HEADER_ROW + 1, 0, HEADER_ROW + rows, 0))
                .set_values((
                    sheet.as_str(),
                    HEADER_ROW + 1,
                    column,
                    HEADER_ROW + rows,
                    column,
                ));
        }
        charts.push(chart);
    }
    if let Some((sheet, rows)) = rows_of("jenis") {
        let mut chart = Chart::new(ChartType::Doughnut);
        chart.title().set_name(&cover.chart_titles[2]);
        chart
            .add_series()
            .set_name((sheet.as_str(), HEADER_ROW, 1))
            .set_categories((sheet.as_str(), HEADER_ROW + 1, 0, HEADER_ROW + rows, 0))
            .set_values((sheet.as_str(), HEADER_ROW + 1, 1, HEADER_ROW + rows, 1));
        charts.push(chart);
    }
    {
        let cover_sheet = workbook.worksheet_from_index(0)?;
        for (index, chart) in charts.iter().enumerate() {
            let (chart_row, chart_column) =
                (charts_row + (index as u32 / 2) * 16, (index as u16 % 2) * 4);
            cover_sheet.insert_chart(chart_row, chart_column, chart)?;
        }
    }

    // the detail: every line, in constant memory, slice by slice
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(sheet_name(&headers.title))?;
    let mut columns: Vec<&str> = headers.texts.iter().map(String::as_str).collect();
    let pagu_column = columns.len() as u16;
    columns.extend([
        headers.pagu.as_str(),
        headers.target.as_str(),
        headers.satuan.as_str(),
    ]);
    let months_column = columns.len() as u16;
    columns.extend(headers.keuangan.iter().map(String::as_str));
    columns.extend([
        headers.total_keuangan.as_str(),
        headers.sisa.as_str(),
        headers.persen.as_str(),
    ]);
    let fisik_column = columns.len() as u16;
    columns.extend(headers.fisik.iter().map(String::as_str));
    columns.push(headers.total_fisik.as_str());
    for column in 0..columns.len() as u16 {
        let width = if column < pagu_column { 22 } else { 15 };
        sheet.set_column_width(column, width)?;
    }
    write_text(sheet, 0, 0, &headers.title, Some(&formats.title))?;
    for (column, name) in columns.iter().enumerate() {
        write_text(
            sheet,
            HEADER_ROW,
            column as u16,
            name,
            Some(&formats.header),
        )?;
    }
    let mut row = HEADER_ROW + 1;
    let mut written = 0usize;
    let mut total_pagu = Decimal::ZERO;
    let mut total_months = [Decimal::ZERO; 12];
    loop {
        let slice = detail().map_err(WorkbookError::Source)?;
        if slice.is_empty() {
            break;
        }
        for line in &slice {
            for (column, text) in line.texts.iter().enumerate() {
                write_text(sheet, row, column as u16, text, None)?;
            }
            sheet.write_number_with_format(row, pagu_column, excel(line.pagu), &formats.money)?;
            if let Some(target) = line.target_output {
                sheet.write_number_with_format(
                    row,
                    pagu_column + 1,
                    excel(target),
                    &formats.number,
                )?;
            }
            if let Some(satuan) = &line.satuan_output {
                write_text(sheet, row, pagu_column + 2, satuan, None)?;
            }
            let mut spent = Decimal::ZERO;
            for (month, value) in line.keuangan.iter().enumerate() {
                spent += value;
                total_months[month] += value;
                sheet.write_number_with_format(
                    row,
                    months_column + month as u16,
                    excel(*value),
                    &formats.money,
                )?;
            }
            sheet.write_number_with_format(
                row,
                months_column + 12,
                excel(spent),
                &formats.money,
            )?;
            sheet.write_number_with_format(
                row,
                months_column + 13,
                excel(line.pagu - spent),
                &formats.money,
            )?;
            if !line.pagu.is_zero() {
                sheet.write_number_with_format(
                    row,
                    months_column + 14,
                    excel((spent * Decimal::from(100) / line.pagu).round_dp(2)),
                    &formats.percent,
                )?;
            }
            let mut done = None::<Decimal>;
            for (month, value) in line.fisik.iter().enumerate() {
                if let Some(value) = value {
                    *done.get_or_insert(Decimal::ZERO) += value;
                    sheet.write_number_with_format(
                        row,
                        fisik_column + month as u16,
                        excel(*value),
                        &formats.number,
                    )?;
                }
            }
            if let Some(done) = done {
                sheet.write_number_with_format(
                    row,
                    fisik_column + 12,
                    excel(done),
                    &formats.number,
                )?;
            }
            total_pagu += line.pagu;
            row += 1;
        }
        written += slice.len();
        progress(written);
    }
    write_text(sheet, row, 0, &headers.total_label, Some(&formats.bold))?;
    sheet.write_number_with_format(row, pagu_column, excel(total_pagu), &formats.money_bold)?;
    let spent: Decimal = total_months.iter().sum();
    for (month, value) in total_months.iter().enumerate() {
        sheet.write_number_with_format(
            row,
            months_column + month as u16,
            excel(*value),
            &formats.money_bold,
        )?;
    }
    sheet.write_number_with_format(row, months_column + 12, excel(spent), &formats.money_bold)?;
    sheet.write_number_with_format(
        row,
        months_column + 13,
        excel(total_pagu - spent),
        &formats.money_bold,
    )?;
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    if row > HEADER_ROW + 1 {
        sheet.autofilter(HEADER_ROW, 0, row - 1, columns.len() as u16 - 1)?;
    }
    print_setup(sheet, &headers.title, Some(HEADER_ROW))?;

    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(attention_title))?;
    write_text(sheet, 0, 0, attention_title, Some(&formats.title))?;
    for (index, point) in attention.iter().enumerate() {
        write_text(sheet, HEADER_ROW + index as u32, 0, point, None)?;
    }
    sheet.set_column_width(0, 120)?;
    print_setup(sheet, attention_title, None)?;

    Ok(workbook.save_to_buffer()?)
}

#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
    /// The detail rows could not be read.
    #[error("{0}")]
    Source(String),
}
