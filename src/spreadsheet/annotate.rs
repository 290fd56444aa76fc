//! The error workbook of a dry run: the uploaded workbook's sheets written again in their order
//! (hidden ones hidden, dropdowns kept), the sheet that was read rewritten cell for cell at the
//! same places, the cells named by a problem filled (red for an error, yellow for a warning), and
//! one added "Catatan Impor" column with every message of its row, in the reader's language.
//! Pure: no database, no web.

use std::collections::BTreeMap;

use calamine::{Data, Range};
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook, Worksheet, XlsxError};

use super::columns::Severity;
use super::read::Dropdown;
use super::write::write_text;
use crate::i18n::{Language, Message, MessageKey};

/// One problem to show in the error workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct CellNote {
    /// 1-based sheet row, as in the import report.
    pub row: u32,
    /// 0-based sheet column; `None` for a problem of the whole row.
    pub column: Option<u32>,
    pub message: String,
    pub severity: Severity,
}

/// The title of the added column, in Indonesian (the reader never takes it for a field).
pub const NOTES_HEADER: &str = "Catatan Impor";

// Excel's limits: a sheet has 1,048,576 rows and 16,384 columns, a cell at most 32,767 UTF-16 units.
const ROW_COUNT: u32 = 1_048_576;
const COLUMN_COUNT: u32 = 16_384;

const ERROR_FILL: &str = "FFC7CE";
const ERROR_FONT: &str = "9C0006";
const WARNING_FILL: &str = "FFEB9C";
const WARNING_FONT: &str = "9C5700";

/// A sheet of the uploaded workbook as the error workbook writes it again.
pub struct SheetCopy<'a> {
    pub name: &'a str,
    /// Its cells at their absolute positions.
    pub grid: &'a Range<Data>,
    pub hidden: bool,
    pub dropdowns: &'a [Dropdown],
}

/// Rewrites `grid` (the uploaded sheet, at its absolute positions) with the notes of a dry run.
/// `header_row` is 1-based like `CellNote::row`; the "Catatan Impor" title goes on it.
pub fn annotated_workbook(
    language: Language,
    sheet_name: &str,
    grid: &Range<Data>,
    header_row: u32,
    notes: &[CellNote],
) -> Result<Vec<u8>, XlsxError> {
    let only = SheetCopy {
        name: sheet_name,
        grid,
        hidden: false,
        dropdowns: &[],
    };
    error_workbook(language, &[only], 0, header_row, notes)
}

/// The error workbook: every sheet of the upload in its order (instructions, code lists, hidden
/// ones hidden), with its dropdowns, and the sheet at `annotated` rewritten with the notes.
///
/// Sheets are written row by row in constant-memory mode, so a 200,000-row upload does not hold
/// a second copy of itself in memory.
pub fn error_workbook(
    language: Language,
    sheets: &[SheetCopy<'_>],
    annotated: usize,
    header_row: u32,
    notes: &[CellNote],
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let mut names = std::collections::HashSet::new();
    for (index, copy) in sheets.iter().enumerate() {
        let cleaned = clean_sheet_name(copy.name);
        let mut name = cleaned.clone();
        // names Excel sees as one after cleaning get a number, which the 31-character limit
        // must not cut off again
        let mut n = 2;
        while !names.insert(name.to_lowercase()) {
            let suffix = format!(" ({n})");
            let base: String = cleaned.chars().take(31 - suffix.len()).collect();
            name = format!("{base}{suffix}");
            n += 1;
        }
        let notes = (index == annotated).then_some((header_row, notes));
        write_sheet(&mut workbook, language, copy, &name, notes)?;
    }
    workbook.save_to_buffer()
}

fn write_sheet(
    workbook: &mut Workbook,
    language: Language,
    copy: &SheetCopy<'_>,
    name: &str,
    annotation: Option<(u32, &[CellNote])>,
) -> Result<(), XlsxError> {
    let grid = copy.grid;
    let (header_row, notes) = annotation.unwrap_or((0, &[]));
    let annotated = annotation.is_some();
    let rows = group_notes(notes);
    let (start_row, start_col) = grid.start().unwrap_or((0, 0));
    let last_grid_col = grid.end().map(|(_, col)| col);
    let last_noted_col = rows
        .values()
        .filter_map(|notes| notes.cells.keys().next_back().copied())
        .map(u32::from)
        .max();
    // The added column goes right after the last used one. A sheet already using Excel's last
    // column (XFD) leaves no room: the notes then overwrite that column, since the messages are
    // the point of this workbook and the original file is kept by lokus anyway.
    let notes_col = match last_grid_col.max(last_noted_col) {
        Some(last) => last.saturating_add(1).min(COLUMN_COUNT - 1),
        None => 0,
    } as u16;
    let header_row = header_row.saturating_sub(1).min(ROW_COUNT - 1);

    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(name)?;
    if annotated {
        sheet.set_active(true);
        sheet.set_column_width(notes_col, 80)?;
        if header_row < 10 {
            sheet.set_freeze_panes(header_row + 1, 0)?;
        }
    } else if copy.hidden {
        sheet.set_hidden(true);
    }
    for dropdown in copy.dropdowns {
        add_dropdown(sheet, dropdown);
    }

    let mut writer = RowWriter {
        sheet,
        language,
        formats: Formats::new(),
        start_col,
        notes_col,
        header_row,
        annotated,
    };

    // Rows must be written in order in constant-memory mode: merge the grid's rows with the rows
    // that only carry notes (or the header) and lie outside the grid.
    let mut grid_rows = grid
        .rows()
        .enumerate()
        .map_while(|(index, cells)| {
            let row = u32::try_from(index).ok()?.checked_add(start_row)?;
            (row < ROW_COUNT).then_some((row, cells))
        })
        .peekable();
    let mut other_rows = rows
        .keys()
        .copied()
        .chain(annotated.then_some(header_row))
        .collect::<std::collections::BTreeSet<u32>>()
        .into_iter()
        .peekable();
    loop {
        let row = match (grid_rows.peek(), other_rows.peek()) {
            (None, None) => break,
            (Some((grid_row, _)), None) => *grid_row,
            (None, Some(other_row)) => *other_row,
            (Some((grid_row, _)), Some(other_row)) => (*grid_row).min(*other_row),
        };
        let cells = grid_rows
            .next_if(|(grid_row, _)| *grid_row == row)
            .map_or(&[][..], |(_, cells)| cells);
        other_rows.next_if_eq(&row);
        writer.write_row(row, cells, rows.get(&row))?;
    }
    Ok(())
}

/// Writes a dropdown again; one rust_xlsxwriter refuses (an inline list over 255 characters, a
/// range past Excel's edge) is left out rather than failing the whole workbook.
fn add_dropdown(sheet: &mut Worksheet, dropdown: &Dropdown) {
    let validation = if dropdown.listed {
        let choices: Vec<&str> = dropdown.source.split(',').collect();
        DataValidation::new().allow_list_strings(&choices)
    } else {
        Ok(DataValidation::new().allow_list_formula(Formula::new(&dropdown.source)))
    };
    let (first_row, first_col, last_row, last_col) = dropdown.cells;
    let columns = (u16::try_from(first_col), u16::try_from(last_col));
    if let (Ok(validation), (Ok(first_col), Ok(last_col))) = (validation, columns) {
        let _ = sheet.add_data_validation(first_row, first_col, last_row, last_col, &validation);
    }
}

/// The notes of one sheet row.
#[derive(Debug, Default)]
struct RowNotes<'a> {
    errors: Vec<&'a str>,
    warnings: Vec<&'a str>,
    /// 0-based column -> the worst severity named there.
    cells: BTreeMap<u16, Severity>,
    /// The worst severity of the notes about the whole row.
    row_level: Option<Severity>,
}

fn worst(current: Option<Severity>, added: Severity) -> Severity {
    if current == Some(Severity::Error) {
        Severity::Error
    } else {
        added
    }
}

impl<'a> RowNotes<'a> {
    fn add(&mut self, note: &'a CellNote) {
        match note.severity {
            Severity::Error => self.errors.push(&note.message),
            Severity::Warning => self.warnings.push(&note.message),
        }
        match note.column.and_then(|column| u16::try_from(column).ok()) {
            Some(column) if u32::from(column) < COLUMN_COUNT => {
                let fill = self.cells.get(&column).copied();
                self.cells.insert(column, worst(fill, note.severity));
            }
            // A column Excel cannot have: keep the message, mark it like a row-level note.
            _ => self.row_level = Some(worst(self.row_level, note.severity)),
        }
    }

    /// "Kesalahan: ...; Peringatan: ...", errors first, each list in the order given.
    fn text(&self, language: Language) -> String {
        let labelled =
            |key: MessageKey, message: &str| Message::new(key).arg(message).render(language);
        let errors = self
            .errors
            .iter()
            .map(|message| labelled(MessageKey::NoteError, message));
        let warnings = self
            .warnings
            .iter()
            .map(|message| labelled(MessageKey::NoteWarning, message));
        errors.chain(warnings).collect::<Vec<_>>().join("; ")
    }
}

/// Notes by 0-based sheet row; notes on rows Excel cannot have (0, or past the last row) are
/// dropped.
fn group_notes(notes: &[CellNote]) -> BTreeMap<u32, RowNotes<'_>> {
    let mut rows: BTreeMap<u32, RowNotes<'_>> = BTreeMap::new();
    for note in notes {
        if note.row == 0 || note.row > ROW_COUNT {
            continue;
        }
        rows.entry(note.row - 1).or_default().add(note);
    }
    rows
}

/// How a number is shown.
#[derive(Debug, Clone, Copy)]
enum Shown {
    General,
    Date,
    DateTime,
    Duration,
}

/// Every combination of number format and fill, built once.
struct Formats {
    cells: [[Format; 3]; 4],
    header: Format,
}

impl Formats {
    fn new() -> Formats {
        let shown = [
            Shown::General,
            Shown::Date,
            Shown::DateTime,
            Shown::Duration,
        ];
        let cells = shown.map(|shown| {
            let base = match shown {
                Shown::General => Format::new(),
                Shown::Date => Format::new().set_num_format("dd/mm/yyyy"),
                Shown::DateTime => Format::new().set_num_format("dd/mm/yyyy hh:mm:ss"),
                Shown::Duration => Format::new().set_num_format("[h]:mm:ss"),
            };
            [
                base.clone(),
                base.clone()
                    .set_background_color(WARNING_FILL)
                    .set_font_color(WARNING_FONT),
                base.set_background_color(ERROR_FILL)
                    .set_font_color(ERROR_FONT),
            ]
        });
        Formats {
            cells,
            header: Format::new().set_bold(),
        }
    }

    fn get(&self, shown: Shown, fill: Option<Severity>) -> &Format {
        let fill = match fill {
            None => 0,
            Some(Severity::Warning) => 1,
            Some(Severity::Error) => 2,
        };
        &self.cells[shown as usize][fill]
    }
}

struct RowWriter<'a> {
    sheet: &'a mut Worksheet,
    language: Language,
    formats: Formats,
    start_col: u32,
    notes_col: u16,
    header_row: u32,
    /// False for a sheet only copied: no notes column.
    annotated: bool,
}

impl RowWriter<'_> {
    fn write_row(
        &mut self,
        row: u32,
        cells: &[Data],
        notes: Option<&RowNotes<'_>>,
    ) -> Result<(), XlsxError> {
        let fill_of = |column: u16| notes.and_then(|notes| notes.cells.get(&column).copied());
        let mut covered = None;
        for (offset, value) in cells.iter().enumerate() {
            let Some(column) = u32::try_from(offset)
                .ok()
                .and_then(|offset| offset.checked_add(self.start_col))
                .filter(|column| *column < COLUMN_COUNT)
                .map(|column| column as u16)
            else {
                break;
            };
            if column == self.notes_col && self.notes_col == (COLUMN_COUNT - 1) as u16 {
                break;
            }
            covered = Some((self.start_col as u16, column));
            self.write_value(row, column, value, fill_of(column))?;
        }
        // Named cells outside the grid (an empty required cell past the last value) still show.
        if let Some(notes) = notes {
            for (&column, &severity) in &notes.cells {
                let inside = covered.is_some_and(|(first, last)| (first..=last).contains(&column));
                if !inside && column != self.notes_col {
                    self.sheet.write_blank(
                        row,
                        column,
                        self.formats.get(Shown::General, Some(severity)),
                    )?;
                }
            }
        }

        let text = notes
            .map(|notes| notes.text(self.language))
            .unwrap_or_default();
        if self.annotated && row == self.header_row {
            let header = MessageKey::NotesHeader.text(self.language);
            let title = if text.is_empty() {
                header.to_owned()
            } else {
                format!("{header} - {text}")
            };
            let format = &self.formats.header;
            write_text(self.sheet, row, self.notes_col, &title, Some(format))?;
        } else if !text.is_empty() {
            let format = self
                .formats
                .get(Shown::General, notes.and_then(|notes| notes.row_level));
            write_text(self.sheet, row, self.notes_col, &text, Some(format))?;
        }
        Ok(())
    }

    fn write_value(
        &mut self,
        row: u32,
        column: u16,
        value: &Data,
        fill: Option<Severity>,
    ) -> Result<(), XlsxError> {
        let formats = &self.formats;
        let sheet = &mut *self.sheet;
        let text = |sheet: &mut Worksheet, text: &str| -> Result<(), XlsxError> {
            let format = formats.get(Shown::General, fill);
            write_text(sheet, row, column, text, Some(format))?;
            Ok(())
        };
        match value {
            Data::Empty => {
                if fill.is_some() {
                    sheet.write_blank(row, column, formats.get(Shown::General, fill))?;
                }
            }
            Data::String(value) | Data::DateTimeIso(value) | Data::DurationIso(value) => {
                text(sheet, value)?;
            }
            Data::Float(number) if number.is_finite() => {
                sheet.write_number_with_format(
                    row,
                    column,
                    *number,
                    formats.get(Shown::General, fill),
                )?;
            }
            Data::Float(number) => {
                text(sheet, &number.to_string())?;
            }
            Data::Int(number) => {
                sheet.write_number_with_format(
                    row,
                    column,
                    *number as f64,
                    formats.get(Shown::General, fill),
                )?;
            }
            Data::Bool(flag) => {
                sheet.write_boolean_with_format(
                    row,
                    column,
                    *flag,
                    formats.get(Shown::General, fill),
                )?;
            }
            Data::Error(error) => {
                text(sheet, &error.to_string())?;
            }
            Data::DateTime(datetime) => {
                // A 1904-based upload's serial numbers would shift by four years in this 1900-based
                // workbook: go through the calendar date, which calamine computes for either epoch.
                match datetime.as_datetime().filter(|_| !datetime.is_duration()) {
                    Some(moment) => {
                        let shown = if moment.time() == chrono::NaiveTime::MIN {
                            Shown::Date
                        } else {
                            Shown::DateTime
                        };
                        sheet.write_datetime_with_format(
                            row,
                            column,
                            moment,
                            formats.get(shown, fill),
                        )?;
                    }
                    None => {
                        let shown = if datetime.is_duration() {
                            Shown::Duration
                        } else {
                            Shown::DateTime
                        };
                        let number = datetime.as_f64();
                        if number.is_finite() {
                            sheet.write_number_with_format(
                                row,
                                column,
                                number,
                                formats.get(shown, fill),
                            )?;
                        } else {
                            text(sheet, &number.to_string())?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Excel's rules for a sheet name: 1 to 31 characters, none of `[]:*?/\`, no apostrophe at either
/// end, and not "History" (reserved).
fn clean_sheet_name(name: &str) -> String {
    let mut cleaned = String::new();
    let mut units = 0;
    for character in name.chars() {
        let character = if "[]:*?/\\".contains(character) || character.is_control() {
            '-'
        } else {
            character
        };
        units += character.len_utf16();
        if units > 31 {
            break;
        }
        cleaned.push(character);
    }
    let cleaned = cleaned.trim_matches('\'');
    if cleaned.trim().is_empty() {
        "Sheet1".to_owned()
    } else if cleaned.eq_ignore_ascii_case("history") {
        "History-".to_owned()
    } else {
        cleaned.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use calamine::{CellErrorType, DataType, ExcelDateTime, ExcelDateTimeType, Reader, Xlsx};

    use super::*;
    use crate::spreadsheet::write::CELL_TEXT_LIMIT;

    fn read_back(bytes: Vec<u8>) -> (Vec<String>, Range<Data>) {
        let mut workbook: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a readable xlsx");
        let names = workbook.sheet_names();
        let range = workbook.worksheet_range(&names[0]).unwrap();
        (names, range)
    }

    fn note(row: u32, column: Option<u32>, message: &str, severity: Severity) -> CellNote {
        CellNote {
            row,
            column,
            message: message.to_owned(),
            severity,
        }
    }

    fn text(value: &str) -> Data {
        Data::String(value.to_owned())
    }

    /// Header on row 1 (A..D), two data rows.
    fn small_grid() -> Range<Data> {
        let mut grid = Range::new((0, 0), (2, 3));
        for (column, title) in ["Kode Sub Kegiatan", "Uraian", "Pagu", "Tanggal"]
            .iter()
            .enumerate()
        {
            grid.set_value((0, column as u32), text(title));
        }
        grid.set_value((1, 0), text("1.02.02.2.02.0016"));
        grid.set_value((1, 1), text("PMT lokal"));
        grid.set_value((1, 2), Data::Float(15_000_000.5));
        grid.set_value(
            (1, 3),
            Data::DateTime(ExcelDateTime::new(
                45_292.0,
                ExcelDateTimeType::DateTime,
                false,
            )),
        );
        grid.set_value((2, 0), Data::Int(7));
        grid.set_value((2, 1), Data::Bool(true));
        grid.set_value((2, 2), Data::Error(CellErrorType::Div0));
        grid
    }

    #[test]
    fn every_value_lands_where_it_was() {
        let grid = small_grid();
        let (names, range) =
            read_back(annotated_workbook(Language::Id, "RKA 2025", &grid, 1, &[]).unwrap());
        assert_eq!(names, ["RKA 2025"]);
        assert_eq!(range.get_value((0, 0)), Some(&text("Kode Sub Kegiatan")));
        assert_eq!(range.get_value((1, 0)), Some(&text("1.02.02.2.02.0016")));
        assert_eq!(range.get_value((1, 1)), Some(&text("PMT lokal")));
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(15_000_000.5)));
        match range.get_value((1, 3)) {
            Some(Data::DateTime(date)) => assert_eq!(date.as_f64(), 45_292.0),
            other => panic!("expected a date, found {other:?}"),
        }
        assert_eq!(range.get_value((2, 0)).and_then(|v| v.as_f64()), Some(7.0));
        assert_eq!(range.get_value((2, 1)), Some(&Data::Bool(true)));
        assert_eq!(range.get_value((2, 2)), Some(&text("#DIV/0!")));
        assert_eq!(range.get_value((2, 3)), Some(&Data::Empty));
    }

    #[test]
    fn the_notes_column_follows_the_last_column_with_errors_first() {
        let grid = small_grid();
        let notes = [
            note(2, Some(2), "pagu bukan angka", Severity::Error),
            note(2, Some(0), "kode baru", Severity::Warning),
            note(2, None, "baris ganda", Severity::Error),
            note(
                3,
                None,
                "volume x harga satuan tidak sama dengan pagu",
                Severity::Warning,
            ),
        ];
        let (_, range) =
            read_back(annotated_workbook(Language::Id, "RKA", &grid, 1, &notes).unwrap());
        assert_eq!(range.end(), Some((2, 4)));
        assert_eq!(range.get_value((0, 4)), Some(&text(NOTES_HEADER)));
        assert_eq!(
            range.get_value((1, 4)),
            Some(&text(
                "Kesalahan: pagu bukan angka; Kesalahan: baris ganda; Peringatan: kode baru"
            ))
        );
        assert_eq!(
            range.get_value((2, 4)),
            Some(&text(
                "Peringatan: volume x harga satuan tidak sama dengan pagu"
            ))
        );
        // The noted cells keep their values.
        assert_eq!(range.get_value((1, 2)), Some(&Data::Float(15_000_000.5)));
    }

    #[test]
    fn a_grid_that_starts_at_c3_keeps_its_offset() {
        // Rows 1-2 and column A are empty in the upload: calamine's range starts at (2, 1).
        let mut grid = Range::new((2, 1), (4, 3));
        grid.set_value((2, 1), text("Kode Sub Kegiatan"));
        grid.set_value((2, 2), text("Uraian"));
        grid.set_value((2, 3), text("Pagu"));
        grid.set_value((3, 1), text("1.02.02.2.02.0016"));
        grid.set_value((3, 3), Data::Float(1_000.0));
        grid.set_value((4, 2), text("Tablet tambah darah"));
        let notes = [note(4, Some(2), "uraian wajib diisi", Severity::Error)];
        let (_, range) =
            read_back(annotated_workbook(Language::Id, "Sheet1", &grid, 3, &notes).unwrap());
        assert_eq!(range.start(), Some((2, 1)));
        assert_eq!(range.get_value((2, 1)), Some(&text("Kode Sub Kegiatan")));
        assert_eq!(range.get_value((3, 3)), Some(&Data::Float(1_000.0)));
        assert_eq!(range.get_value((4, 2)), Some(&text("Tablet tambah darah")));
        assert_eq!(range.get_value((2, 4)), Some(&text(NOTES_HEADER)));
        assert_eq!(
            range.get_value((3, 4)),
            Some(&text("Kesalahan: uraian wajib diisi"))
        );
        assert_eq!(range.get_value((0, 0)), None);
    }

    #[test]
    fn an_error_wins_over_a_warning_on_the_same_cell() {
        let notes = [
            note(5, Some(3), "peringatan dulu", Severity::Warning),
            note(5, Some(3), "lalu galat", Severity::Error),
            note(5, Some(3), "peringatan lagi", Severity::Warning),
            note(5, Some(1), "hanya peringatan", Severity::Warning),
            note(6, None, "baris", Severity::Warning),
        ];
        let rows = group_notes(&notes);
        let row = &rows[&4];
        assert_eq!(row.cells.get(&3), Some(&Severity::Error));
        assert_eq!(row.cells.get(&1), Some(&Severity::Warning));
        assert_eq!(row.row_level, None);
        assert_eq!(rows[&5].row_level, Some(Severity::Warning));
        assert!(rows[&5].cells.is_empty());
    }

    #[test]
    fn notes_outside_the_grid_or_outside_excel_do_not_break_the_workbook() {
        let grid = small_grid();
        let notes = [
            note(0, Some(0), "baris nol", Severity::Error),
            note(u32::MAX, None, "terlalu jauh", Severity::Error),
            note(2, Some(u32::MAX), "kolom mustahil", Severity::Error),
            note(10, Some(6), "di luar tabel", Severity::Warning),
        ];
        let (_, range) =
            read_back(annotated_workbook(Language::Id, "RKA", &grid, 1, &notes).unwrap());
        // The note on column G moves the notes column to H.
        assert_eq!(range.get_value((0, 7)), Some(&text(NOTES_HEADER)));
        assert_eq!(
            range.get_value((1, 7)),
            Some(&text("Kesalahan: kolom mustahil"))
        );
        assert_eq!(
            range.get_value((9, 7)),
            Some(&text("Peringatan: di luar tabel"))
        );
    }

    #[test]
    fn an_empty_grid_still_gives_a_workbook_with_its_notes() {
        let notes = [note(3, Some(2), "kosong", Severity::Error)];
        let (_, range) =
            read_back(annotated_workbook(Language::Id, "", &Range::empty(), 1, &notes).unwrap());
        assert_eq!(range.get_value((0, 3)), Some(&text(NOTES_HEADER)));
        assert_eq!(range.get_value((2, 3)), Some(&text("Kesalahan: kosong")));
        let (_, range) =
            read_back(annotated_workbook(Language::Id, "Kosong", &Range::empty(), 0, &[]).unwrap());
        assert_eq!(range.get_value((0, 0)), Some(&text(NOTES_HEADER)));
    }

    #[test]
    fn a_sheet_reaching_the_last_excel_column_does_not_panic() {
        let mut grid = Range::new((0, 16_380), (1, 16_383));
        grid.set_value((0, 16_383), text("Pagu"));
        grid.set_value((1, 16_380), text("x"));
        let notes = [note(2, Some(16_383), "pagu wajib diisi", Severity::Error)];
        let (_, range) =
            read_back(annotated_workbook(Language::Id, "RKA", &grid, 1, &notes).unwrap());
        assert_eq!(range.get_value((1, 16_380)), Some(&text("x")));
        assert_eq!(range.get_value((0, 16_383)), Some(&text(NOTES_HEADER)));
        assert_eq!(
            range.get_value((1, 16_383)),
            Some(&text("Kesalahan: pagu wajib diisi"))
        );
    }

    #[test]
    fn overlong_text_is_cut_to_what_a_cell_holds() {
        let mut grid = Range::new((0, 0), (0, 0));
        grid.set_value((0, 0), text(&"é".repeat(40_000)));
        let long = "x".repeat(20_000);
        let notes = [
            note(1, None, &long, Severity::Error),
            note(1, None, &long, Severity::Error),
        ];
        let (_, range) =
            read_back(annotated_workbook(Language::Id, "RKA", &grid, 2, &notes).unwrap());
        let cell = range.get_value((0, 0)).unwrap().to_string();
        assert_eq!(cell.chars().count(), CELL_TEXT_LIMIT);
        assert!(cell.ends_with('…'));
    }

    #[test]
    fn sheets_whose_names_clean_to_one_get_numbers_within_excels_limit() {
        let grid = small_grid();
        let long = "Rencana Kerja Dinas Kesehatan Kabupaten";
        let longer = format!("{long} Berau");
        let sheets = [long, &longer, "RKA?", "RKA*"].map(|name| SheetCopy {
            name,
            grid: &grid,
            hidden: false,
            dropdowns: &[],
        });
        let bytes = error_workbook(Language::Id, &sheets, 0, 1, &[]).unwrap();
        let workbook: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            workbook.sheet_names(),
            [
                "Rencana Kerja Dinas Kesehatan K",
                "Rencana Kerja Dinas Kesehat (2)",
                "RKA-",
                "RKA- (2)"
            ]
        );
    }

    #[test]
    fn sheet_names_are_made_acceptable_to_excel() {
        assert_eq!(
            clean_sheet_name("RKA [2025]: DPA/OPD*?"),
            "RKA -2025-- DPA-OPD--"
        );
        assert_eq!(clean_sheet_name("'Rencana'"), "Rencana");
        assert_eq!(clean_sheet_name(""), "Sheet1");
        assert_eq!(clean_sheet_name("history"), "History-");
        let long = clean_sheet_name("Rencana Kerja Dinas Kesehatan Kabupaten Berau");
        assert_eq!(long, "Rencana Kerja Dinas Kesehatan K");
        assert_eq!(long.chars().count(), 31);
        assert_eq!(clean_sheet_name("Sheet 1"), "Sheet 1");
    }
}
