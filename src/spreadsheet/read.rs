//! Reads an uploaded workplan workbook into typed rows with cell-level problems: checks what
//! the bytes are before calamine sees them (and refuses decompression bombs), picks the sheet
//! (never a hidden one unless named), streams it row by row, finds the header in its first rows,
//! classifies every row below it and parses its values. Every sentence is a catalogue `Message`.
//! No database and no web: whether a code, an intervention or a desa exists is the import
//! service's question. Also what the error workbook needs of the upload: its grid, its sheets and
//! their dropdowns.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{
    Cell, CellErrorType, Data, DataType, Range, Reader, Sheet, SheetVisible, Xlsx, XlsxCellReader,
    XlsxError,
};
use rust_decimal::{Decimal, RoundingStrategy};

use super::columns::{
    EXAMPLE_MARKER, EXAMPLE_PAGU, EXAMPLE_REKENING, EXAMPLE_SUB_KEGIATAN, EXAMPLE_URAIAN, Field,
    Severity, match_header, normalise_header,
};
use crate::domain::amount::{
    MONEY_DECIMALS, QUANTITY_DECIMALS, amount_from_float, parse_amount, parse_koefisien,
    quantity_from_float,
};
use crate::domain::budget_code::{
    is_partial_kode_rekening, is_partial_sub_kegiatan, parse_kode_rekening, parse_sub_kegiatan,
};
use crate::domain::format::{angka, rupiah};
use crate::i18n::{Message, MessageKey};

/// The header is looked for on the first 30 rows of a sheet.
const HEADER_SCAN_ROWS: u32 = 30;
/// Cells right of column IV (Excel 2003's last) are not read: no workplan is that wide, and a
/// stray value at column XFD would otherwise make the grid 16,384 columns wide.
const MAX_COLUMNS: u32 = 256;
/// The error workbook's grid is dense (every cell of the used rectangle takes 32 bytes): about
/// 380 MB at most. The import itself streams and has no grid.
const MAX_GRID_CELLS: u64 = 12_000_000;
/// An entry that expands more than this many times, to more than `BOMB_MIN_ENTRY_BYTES`,
/// is taken for a decompression bomb. Real sheet XML compresses about 10 to 30 times.
const BOMB_RATIO: u64 = 200;
const BOMB_MIN_ENTRY_BYTES: u64 = 10 * 1024 * 1024;
/// `NUMERIC(18, 2)` holds 16 integer digits, `NUMERIC(18, 4)` 14.
const MONEY_LIMIT: i64 = 10_000_000_000_000_000;
const QUANTITY_LIMIT: i64 = 100_000_000_000_000;
/// Volume x harga satuan may differ from the pagu by less than one rupiah (rounded sen).
const TOLERANCE: Decimal = Decimal::ONE;

const FIELD_COUNT: usize = 21;
/// The longest text a cell may hold, in characters: far more than any uraian or name needs, and
/// far below what a workbook cell holds (32,767), so every download can write it back.
pub const TEXT_LIMIT: usize = 4_000;

#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The sheet to read; `None` takes the first sheet with a recognisable header.
    pub sheet: Option<String>,
    /// A sheet with more rows than this below its header is refused (the header and the rows
    /// above it do not count).
    pub max_rows: usize,
    /// The declared uncompressed size of all entries of the xlsx zip together.
    pub max_uncompressed_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            sheet: None,
            max_rows: 200_000,
            max_uncompressed_bytes: 1024 * 1024 * 1024,
        }
    }
}

/// Why a workbook cannot be read at all. [`ReadError::message`] says what was found and what to do.
#[derive(Debug)]
pub enum ReadError {
    Empty,
    OldExcel,
    TextFile,
    MarkupFile,
    Pdf,
    NotAWorkbook,
    /// A zip that is another kind of document; `kind` is the message naming it.
    NotExcelZip {
        kind: MessageKey,
    },
    /// `detail` is the reader's own (English) reason, for the log.
    Corrupt {
        detail: String,
    },
    UncompressedTooLarge {
        total: u64,
        limit: u64,
    },
    SuspiciousCompression {
        entry: String,
        ratio: u64,
        size: u64,
    },
    SheetNotFound {
        sheet: String,
        available: Vec<String>,
    },
    /// Two sheets share a name (Excel never writes that; a hand-made file can).
    DuplicateSheet {
        sheet: String,
    },
    /// Only hidden sheets have a workplan header; they are read only when named.
    OnlyHidden {
        sheets: Vec<String>,
    },
    EmptyWorkbook,
    EmptySheet {
        sheet: String,
    },
    NoHeader {
        /// The sheet that was asked for, if one was.
        sheet: Option<String>,
        /// The row that came closest to a header.
        best: Option<HeaderCandidate>,
    },
    TooManyRows {
        sheet: String,
        rows: usize,
        limit: usize,
    },
    TooManyCells {
        sheet: String,
        rows: usize,
        columns: usize,
        limit: usize,
    },
}

impl ReadError {
    /// What the person who uploaded the file reads.
    pub fn message(&self) -> Message {
        use MessageKey as K;
        match self {
            ReadError::Empty => K::ReadEmpty.into(),
            ReadError::OldExcel => K::ReadOldExcel.into(),
            ReadError::TextFile => K::ReadTextFile.into(),
            ReadError::MarkupFile => K::ReadMarkup.into(),
            ReadError::Pdf => K::ReadPdf.into(),
            ReadError::NotAWorkbook => K::ReadNotAWorkbook.into(),
            ReadError::NotExcelZip { kind } => (*kind).into(),
            ReadError::Corrupt { .. } => K::ReadCorrupt.into(),
            ReadError::UncompressedTooLarge { total, limit } => {
                Message::new(K::ReadUncompressedTooLarge)
                    .arg(megabytes(total))
                    .arg(megabytes(limit))
            }
            ReadError::SuspiciousCompression { entry, ratio, size } => {
                Message::new(K::ReadSuspiciousCompression)
                    .arg(entry)
                    .arg(ratio)
                    .arg(megabytes(size))
            }
            ReadError::SheetNotFound { sheet, available } => Message::new(K::ReadSheetNotFound)
                .arg(sheet)
                .arg(joined(available)),
            ReadError::DuplicateSheet { sheet } => Message::new(K::ReadDuplicateSheet).arg(sheet),
            ReadError::OnlyHidden { sheets } => {
                Message::new(K::ReadOnlyHiddenSheets).arg(joined(sheets))
            }
            ReadError::EmptyWorkbook => K::ReadEmptyWorkbook.into(),
            ReadError::EmptySheet { sheet } => Message::new(K::ReadEmptySheet).arg(sheet),
            ReadError::NoHeader { sheet, best } => {
                let scanned = HEADER_SCAN_ROWS;
                match (sheet, best) {
                    (Some(sheet), Some(best)) => Message::new(K::ReadNoHeaderInSheetClosest)
                        .arg(scanned)
                        .arg(sheet)
                        .arg(&best.sheet)
                        .arg(best.row)
                        .arg(joined(&best.missing)),
                    (Some(sheet), None) => {
                        Message::new(K::ReadNoHeaderInSheet).arg(scanned).arg(sheet)
                    }
                    (None, Some(best)) => Message::new(K::ReadNoHeaderAnywhereClosest)
                        .arg(scanned)
                        .arg(&best.sheet)
                        .arg(best.row)
                        .arg(joined(&best.missing)),
                    (None, None) => Message::new(K::ReadNoHeaderAnywhere).arg(scanned),
                }
            }
            ReadError::TooManyRows { sheet, rows, limit } => Message::new(K::ReadTooManyRows)
                .arg(sheet)
                .arg(rows)
                .arg(limit),
            ReadError::TooManyCells {
                sheet,
                rows,
                columns,
                limit,
            } => Message::new(K::ReadTooManyCells)
                .arg(sheet)
                .arg(rows)
                .arg(columns)
                .arg(limit),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for ReadError {}

/// The row that came closest to a header when none was recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderCandidate {
    pub sheet: String,
    /// 1-based sheet row.
    pub row: u32,
    /// The required columns it lacks, by their template header.
    pub missing: Vec<&'static str>,
}

/// The shape of the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// lokus's template, or an RKA/DPA-style printout.
    Table,
    /// SIPD's "data anggaran" export: one row per rincian, each carrying its own SKPD and year.
    SipdFlat,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMatch {
    pub field: Field,
    /// 0-based.
    pub column: u32,
    /// The header text as found (both rows' texts for a two-row header).
    pub header: String,
}

#[derive(Debug, Clone)]
pub struct ParsedSheet {
    pub sheet: String,
    /// 1-based sheet row of the (first) header row.
    pub header_row: u32,
    pub layout: Layout,
    pub columns: Vec<ColumnMatch>,
    /// Every row below the header that holds something, in order, including skipped ones.
    pub rows: Vec<SheetRow>,
    /// Rows below the header (up to the last used one) that hold nothing at all: counted as
    /// skipped blank rows, never kept.
    pub blank_rows: usize,
    /// Why this sheet was read, and which others could have been.
    pub choice: SheetChoice,
}

/// How the sheet that was read came to be chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetChoice {
    /// The person named it (`--sheet`, the form's sheet field).
    pub named: bool,
    /// Other visible sheets that have a workplan header too (not read).
    pub other_candidates: Vec<String>,
    /// Hidden sheets with a workplan header: never read unless named.
    pub hidden_candidates: Vec<String>,
}

impl ParsedSheet {
    /// The 0-based column holding `field`. For `Field::Uraian` without an Uraian column this is
    /// the column the uraian is read from (Nama Standar Harga, else Nama Rekening).
    pub fn column_of(&self, field: Field) -> Option<u32> {
        let find = |wanted: Field| {
            self.columns
                .iter()
                .find(|m| m.field == wanted)
                .map(|m| m.column)
        };
        if field == Field::Uraian {
            uraian_sources(self.layout).into_iter().find_map(find)
        } else {
            find(field)
        }
    }

    /// The header under which `field` appears in the file (lokus's own name when it has no column):
    /// how messages and reports name a field.
    pub fn header_of(&self, field: Field) -> String {
        self.column_of(field)
            .and_then(|column| self.columns.iter().find(|m| m.column == column))
            .map(|m| m.header.clone())
            .unwrap_or_else(|| field.template_header().to_owned())
    }

    /// Rows that are budget lines (not skipped).
    pub fn lines(&self) -> impl Iterator<Item = &SheetRow> {
        self.rows.iter().filter(|r| r.kind == RowKind::Line)
    }
}

#[derive(Debug, Clone)]
pub struct SheetRow {
    /// 1-based sheet row.
    pub row: u32,
    pub kind: RowKind,
    /// What the row holds. Codes that fail validation are kept as written (with an Error
    /// problem); Line rows carry the inherited sub kegiatan code and name.
    pub values: LineValues,
    /// Problems of a Line row, and the subtotal warning of a Subtotal row. Empty otherwise.
    pub problems: Vec<CellProblem>,
}

impl SheetRow {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Line,
    Skipped(SkipReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The required fields are all blank (blank rows, signature blocks, notes).
    Blank,
    /// Layout furniture: a column-numbering row (1, 2, 3, ...) or the header repeated on a new
    /// printed page.
    Numbering,
    /// A heading or subtotal: a sub kegiatan (or program) code without uraian, kode rekening
    /// and line details such as volume or satuan; or an account-level kode rekening (`5.1.02`).
    Subtotal,
    /// JUMLAH / TOTAL.
    Total,
    /// The template's example row.
    Example,
}

impl SkipReason {
    /// How the reason is shown to users.
    pub fn label(self) -> MessageKey {
        match self {
            SkipReason::Blank => MessageKey::SkipBlank,
            SkipReason::Numbering => MessageKey::SkipNumbering,
            SkipReason::Subtotal => MessageKey::SkipSubtotal,
            SkipReason::Total => MessageKey::SkipTotal,
            SkipReason::Example => MessageKey::SkipExample,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineValues {
    pub sub_kegiatan_kode: Option<String>,
    pub sub_kegiatan_nama: Option<String>,
    pub kode_rekening: Option<String>,
    pub uraian: Option<String>,
    pub volume: Option<Decimal>,
    pub satuan: Option<String>,
    pub harga_satuan: Option<Decimal>,
    pub pagu: Option<Decimal>,
    pub sumber_dana: Option<String>,
    pub intervensi: Option<String>,
    pub jenis: Option<String>,
    pub desa: Vec<String>,
    pub sasaran: Option<String>,
    pub target_output: Option<Decimal>,
    pub satuan_output: Option<String>,
    pub keterangan: Option<String>,
    pub kode_opd: Option<String>,
    pub nama_opd: Option<String>,
    pub tahun: Option<i32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    /// 0-based column of the cell, when the field has a column.
    pub column: Option<u32>,
    pub field: Field,
    pub message: Message,
    pub severity: Severity,
}

/// Reads `bytes` (an uploaded file) into typed rows. What calamine cannot read becomes
/// `ReadError::Corrupt`.
pub fn read_workbook(bytes: &[u8], options: &ReadOptions) -> Result<ParsedSheet, ReadError> {
    sniff(bytes, options)?;
    choose_sheet(bytes, options, &WorkplanSheet)
}

/// What a kind of sheet is to `choose_sheet`: how its header is found in a sheet's first rows,
/// and how the rows below it are read. The workplan's rules know RKA printouts and SIPD's export;
/// [`read_by_spec`] finds any other kind's header by its column specifications.
trait SheetRules {
    type Header;
    type Sheet;
    fn find_header(&self, head: &Range<Data>) -> Result<Self::Header, Option<NearMiss>>;
    fn read(
        &self,
        name: String,
        head: &Range<Data>,
        header: Self::Header,
        stream: RowStream<'_, '_>,
        options: &ReadOptions,
    ) -> Result<Self::Sheet, ReadError>;
    fn set_choice(&self, sheet: &mut Self::Sheet, choice: SheetChoice);
}

/// The workplan's sheet rules.
struct WorkplanSheet;

impl SheetRules for WorkplanSheet {
    type Header = Header;
    type Sheet = ParsedSheet;

    fn find_header(&self, head: &Range<Data>) -> Result<Header, Option<NearMiss>> {
        find_header(head)
    }

    fn read(
        &self,
        name: String,
        head: &Range<Data>,
        header: Header,
        stream: RowStream<'_, '_>,
        options: &ReadOptions,
    ) -> Result<ParsedSheet, ReadError> {
        read_sheet(name, head, header, stream, SheetChoice::default(), options)
    }

    fn set_choice(&self, sheet: &mut ParsedSheet, choice: SheetChoice) {
        sheet.choice = choice;
    }
}

/// Runs one call into calamine. A hostile file may find a panic in a dependency's parser; this
/// is the one place such a panic is caught, and it reads as a damaged file. lokus's own code is
/// never run under it, so a panic of ours still fails the tests.
fn calamine<T>(call: impl FnOnce() -> T) -> Result<T, ReadError> {
    catch_unwind(AssertUnwindSafe(call)).map_err(|_| ReadError::Corrupt {
        detail: "the xlsx reader panicked".to_owned(),
    })
}

// ---------------------------------------------------------------------------------------------
// What the bytes are

fn sniff(bytes: &[u8], options: &ReadOptions) -> Result<(), ReadError> {
    const OLE: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];
    const ZIP: [&[u8]; 3] = [b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"];
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.starts_with(&OLE) {
        return Err(ReadError::OldExcel);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ReadError::Pdf);
    }
    if ZIP.iter().any(|magic| bytes.starts_with(magic)) {
        return inspect_zip(bytes, options);
    }
    Err(match text_kind(bytes) {
        Some(TextKind::Markup) => ReadError::MarkupFile,
        Some(TextKind::Plain) => ReadError::TextFile,
        None => ReadError::NotAWorkbook,
    })
}

enum TextKind {
    Plain,
    Markup,
}

/// Text (CSV, tab-separated, HTML/XML) has no control bytes besides tab, line breaks and form
/// feed; Excel's "Unicode text" is UTF-16 with a byte-order mark.
fn text_kind(bytes: &[u8]) -> Option<TextKind> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Some(TextKind::Plain);
    }
    let sample = bytes.get(..8192).unwrap_or(bytes);
    let sample = sample
        .strip_prefix(&[0xEF, 0xBB, 0xBF][..])
        .unwrap_or(sample);
    let binary = sample
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A));
    if binary {
        return None;
    }
    let first = sample.iter().find(|b| !b.is_ascii_whitespace());
    Some(if first == Some(&b'<') {
        TextKind::Markup
    } else {
        TextKind::Plain
    })
}

/// Reads the zip's central directory only (nothing is decompressed): refuses bombs and zips
/// that are not xlsx.
fn inspect_zip(bytes: &[u8], options: &ReadOptions) -> Result<(), ReadError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut total: u64 = 0;
    let mut kind: Option<MessageKey> = None;
    let mut has_workbook = false;
    for index in 0..archive.len() {
        let entry = archive.by_index_data(index).map_err(corrupt)?;
        let size = entry.size();
        total = total.saturating_add(size);
        let name = String::from_utf8_lossy(entry.name_raw()).to_lowercase();
        let ratio = size / entry.compressed_size().max(1);
        if size > BOMB_MIN_ENTRY_BYTES && ratio > BOMB_RATIO {
            return Err(ReadError::SuspiciousCompression {
                entry: name,
                ratio: BOMB_RATIO,
                size,
            });
        }
        match name.as_str() {
            "xl/workbook.xml" => has_workbook = true,
            "xl/workbook.bin" => kind = Some(MessageKey::ReadXlsb),
            "word/document.xml" => kind = Some(MessageKey::ReadDocx),
            "ppt/presentation.xml" => kind = Some(MessageKey::ReadPptx),
            "content.xml" => kind = Some(MessageKey::ReadOpenDocument),
            _ => {}
        }
    }
    if total > options.max_uncompressed_bytes {
        return Err(ReadError::UncompressedTooLarge {
            total,
            limit: options.max_uncompressed_bytes,
        });
    }
    if has_workbook {
        Ok(())
    } else {
        Err(ReadError::NotExcelZip {
            kind: kind.unwrap_or(MessageKey::ReadZipArchive),
        })
    }
}

fn corrupt(error: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        detail: error.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Which sheet

/// How many rows past the one being read a row's classification may look at (a heading in the
/// combined code column looks for the next code below it).
const LOOKAHEAD: u32 = 5;

/// A sheet's rows as they stream out of the workbook, one row of cells at a time: memory follows
/// the rows being looked at, not the sheet. Rows past `max_rows` are counted, never kept.
struct RowStream<'a, 'b> {
    cells: XlsxCellReader<'a, Cursor<&'b [u8]>>,
    /// A cell already read that starts the next row.
    next_cell: Option<(u32, u32, Data)>,
    /// A row already read by `peek_row`.
    next_row: Option<(u32, Vec<Data>)>,
    max_rows: usize,
    /// The last used row, 1-based, of everything streamed so far (past `max_rows` too).
    used_rows: usize,
    last_kept_row: Option<u32>,
    /// calamine has said the sheet ended (asking again is an error).
    finished: bool,
}

impl<'a, 'b> RowStream<'a, 'b> {
    /// `None` for a sheet that holds no cells (a chart or dialog sheet).
    fn open(
        workbook: &'a mut Xlsx<Cursor<&'b [u8]>>,
        name: &str,
        max_rows: usize,
    ) -> Result<Option<RowStream<'a, 'b>>, ReadError> {
        let cells = match calamine(|| workbook.worksheet_cells_reader(name))? {
            Ok(cells) => cells,
            Err(XlsxError::NotAWorksheet(_)) => return Ok(None),
            Err(error) => return Err(corrupt(error)),
        };
        Ok(Some(RowStream {
            cells,
            next_cell: None,
            next_row: None,
            max_rows,
            used_rows: 0,
            last_kept_row: None,
            finished: false,
        }))
    }

    /// The next cell with a value, within the rows and columns kept.
    fn read_cell(&mut self) -> Result<Option<(u32, u32, Data)>, ReadError> {
        while !self.finished {
            let Some(cell) = calamine(|| self.cells.next_cell())?.map_err(corrupt)? else {
                self.finished = true;
                break;
            };
            let (row, column) = cell.get_position();
            if cell.get_value().is_empty() {
                continue;
            }
            self.used_rows = self.used_rows.max(row as usize + 1);
            if row as usize >= self.max_rows || column >= MAX_COLUMNS {
                continue;
            }
            // Excel writes rows in order (the format requires it); a file that does not is
            // damaged, and reading it in order keeps the window small
            if self.last_kept_row.is_some_and(|last| row < last) {
                return Err(corrupt(format!("row {} comes after a later row", row + 1)));
            }
            self.last_kept_row = Some(row);
            return Ok(Some((row, column, Data::from(cell.get_value().clone()))));
        }
        Ok(None)
    }

    /// The next row that holds a value: its 0-based index and its cells by column.
    fn next_row(&mut self) -> Result<Option<(u32, Vec<Data>)>, ReadError> {
        if let Some(row) = self.next_row.take() {
            return Ok(Some(row));
        }
        let mut current: Option<(u32, Vec<Data>)> = None;
        loop {
            let cell = match self.next_cell.take() {
                Some(cell) => Some(cell),
                None => self.read_cell()?,
            };
            let Some((row, column, value)) = cell else {
                return Ok(current);
            };
            match &mut current {
                Some((index, _)) if *index != row => {
                    self.next_cell = Some((row, column, value));
                    return Ok(current);
                }
                Some((_, cells)) => place(cells, column, value),
                None => {
                    let mut cells = Vec::new();
                    place(&mut cells, column, value);
                    current = Some((row, cells));
                }
            }
        }
    }

    fn peek_row(&mut self) -> Result<Option<&(u32, Vec<Data>)>, ReadError> {
        if self.next_row.is_none() {
            self.next_row = self.next_row()?;
        }
        Ok(self.next_row.as_ref())
    }

    /// The rows a header may be on (the first `HEADER_SCAN_ROWS`, and the row below them for a
    /// two-row header), as a small grid; the rest of the sheet is not read yet.
    fn head(&mut self) -> Result<Range<Data>, ReadError> {
        let mut cells = Vec::new();
        while let Some((row, _)) = self.peek_row()? {
            if *row > HEADER_SCAN_ROWS {
                break;
            }
            let Some((row, values)) = self.next_row()? else {
                break;
            };
            for (column, value) in values.into_iter().enumerate() {
                if value != Data::Empty {
                    cells.push(Cell::new((row, column as u32), value));
                }
            }
        }
        Ok(Range::from_sparse(cells))
    }

    /// Reads what is left of the sheet only to count its rows.
    fn count_rest(&mut self) -> Result<usize, ReadError> {
        self.next_cell = None;
        while self.read_cell()?.is_some() {}
        Ok(self.used_rows)
    }
}

/// The rows a stream keeps: `max_rows` of data below a header that may sit as low as the last
/// row looked at for one (a two-row header one below), so the last row of data allowed is read.
fn kept_rows(options: &ReadOptions) -> usize {
    options
        .max_rows
        .saturating_add(HEADER_SCAN_ROWS as usize + 2)
}

/// Refuses a sheet with more than `max_rows` rows below its header: `used_rows` is the last used
/// row (1-based), `first_data_row` the 0-based index of the first row below the header.
fn check_row_limit(
    sheet: &str,
    used_rows: usize,
    first_data_row: u32,
    options: &ReadOptions,
) -> Result<(), ReadError> {
    let rows = used_rows.saturating_sub(first_data_row as usize);
    if rows > options.max_rows {
        return Err(ReadError::TooManyRows {
            sheet: sheet.to_owned(),
            rows,
            limit: options.max_rows,
        });
    }
    Ok(())
}

fn place(cells: &mut Vec<Data>, column: u32, value: Data) {
    let column = column as usize;
    if cells.len() <= column {
        cells.resize(column + 1, Data::Empty);
    }
    cells[column] = value;
}

/// The rows around the one being read: it, and up to `LOOKAHEAD` rows below it.
#[derive(Default)]
struct Window {
    rows: VecDeque<(u32, Vec<Data>)>,
}

impl Window {
    fn get_value(&self, (row, column): (u32, u32)) -> Option<&Data> {
        self.cells(row).and_then(|cells| cells.get(column as usize))
    }

    fn cells(&self, row: u32) -> Option<&[Data]> {
        self.rows
            .iter()
            .find(|(index, _)| *index == row)
            .map(|(_, cells)| cells.as_slice())
    }
}

fn choose_sheet<R: SheetRules>(
    bytes: &[u8],
    options: &ReadOptions,
    rules: &R,
) -> Result<R::Sheet, ReadError> {
    let mut workbook: Xlsx<_> = calamine(|| Xlsx::new(Cursor::new(bytes)))?.map_err(corrupt)?;
    let sheets: Vec<Sheet> = workbook.sheets_metadata().to_vec();
    // Excel refuses two sheets whose names differ only in case; calamine would read the first of
    // them whichever was meant, so such a workbook is refused rather than guessed at.
    let mut seen = HashSet::new();
    for sheet in &sheets {
        if !seen.insert(sheet.name.trim().to_lowercase()) {
            return Err(ReadError::DuplicateSheet {
                sheet: sheet.name.clone(),
            });
        }
    }
    if let Some(wanted) = &options.sheet {
        let names: Vec<String> = sheets.iter().map(|sheet| sheet.name.clone()).collect();
        let name = names
            .iter()
            .find(|n| *n == wanted)
            .or_else(|| {
                let wanted = wanted.trim().to_lowercase();
                names.iter().find(|n| n.trim().to_lowercase() == wanted)
            })
            .cloned()
            .ok_or_else(|| ReadError::SheetNotFound {
                sheet: wanted.clone(),
                available: names.clone(),
            })?;
        let Some(mut stream) = RowStream::open(&mut workbook, &name, kept_rows(options))? else {
            return Err(ReadError::EmptySheet { sheet: name });
        };
        let head = stream.head()?;
        if head.is_empty() && stream.peek_row()?.is_none() {
            return Err(ReadError::EmptySheet { sheet: name });
        }
        let choice = SheetChoice {
            named: true,
            ..SheetChoice::default()
        };
        return match rules.find_header(&head) {
            Ok(header) => {
                let mut sheet = rules.read(name, &head, header, stream, options)?;
                rules.set_choice(&mut sheet, choice);
                Ok(sheet)
            }
            Err(near) => Err(ReadError::NoHeader {
                best: near.map(|n| n.candidate(&name)),
                sheet: Some(name),
            }),
        };
    }
    let mut any_cells = false;
    let mut best: Option<NearMiss> = None;
    let mut best_sheet = String::new();
    let mut chosen: Option<R::Sheet> = None;
    let mut choice = SheetChoice::default();
    for sheet in sheets {
        let name = sheet.name;
        if sheet.visible != SheetVisible::Visible {
            // a hidden sheet is only looked at, so the report can say it was left out
            if peek_header(&mut workbook, &name, rules)? {
                choice.hidden_candidates.push(name);
            }
            continue;
        }
        if chosen.is_some() {
            if peek_header(&mut workbook, &name, rules)? {
                choice.other_candidates.push(name);
            }
            continue;
        }
        let Some(mut stream) = RowStream::open(&mut workbook, &name, kept_rows(options))? else {
            continue;
        };
        // only the first rows are read to find a header: a sheet without one costs no more
        let head = stream.head()?;
        if head.is_empty() && stream.peek_row()?.is_none() {
            continue;
        }
        any_cells = true;
        match rules.find_header(&head) {
            Ok(header) => {
                chosen = Some(rules.read(name, &head, header, stream, options)?);
            }
            Err(Some(near)) => {
                if best.as_ref().is_none_or(|b| near.score > b.score) {
                    best = Some(near);
                    best_sheet = name;
                }
            }
            Err(None) => {}
        }
    }
    if let Some(mut parsed) = chosen {
        rules.set_choice(&mut parsed, choice);
        return Ok(parsed);
    }
    if !choice.hidden_candidates.is_empty() {
        return Err(ReadError::OnlyHidden {
            sheets: choice.hidden_candidates,
        });
    }
    if !any_cells {
        return Err(ReadError::EmptyWorkbook);
    }
    Err(ReadError::NoHeader {
        sheet: None,
        best: best.map(|b| b.candidate(&best_sheet)),
    })
}

/// Whether a sheet has a workplan header, reading only its first rows.
fn peek_header<R: SheetRules>(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    rules: &R,
) -> Result<bool, ReadError> {
    let Some(mut stream) = RowStream::open(workbook, name, usize::MAX)? else {
        return Ok(false);
    };
    Ok(rules.find_header(&stream.head()?).is_ok())
}

/// The whole sheet as a grid, for the error workbook that rewrites it cell for cell.
pub fn read_grid(bytes: &[u8], sheet: &str) -> Result<Range<Data>, ReadError> {
    let mut workbook: Xlsx<_> = calamine(|| Xlsx::new(Cursor::new(bytes)))?.map_err(corrupt)?;
    // Two passes over the sheet: its extent first, then its cells straight into the dense grid,
    // so no second copy of every cell is held on the way (291 MiB -> about half at 200,000 rows).
    let (mut min_row, mut max_row, mut min_col, mut max_col) = (u32::MAX, 0, u32::MAX, 0);
    {
        let Some(mut stream) = RowStream::open(&mut workbook, sheet, usize::MAX)? else {
            return Ok(Range::empty());
        };
        while let Some((row, column, _)) = stream.read_cell()? {
            (min_row, max_row) = (min_row.min(row), max_row.max(row));
            (min_col, max_col) = (min_col.min(column), max_col.max(column));
        }
    }
    if min_row == u32::MAX {
        return Ok(Range::empty());
    }
    // the grid is dense: every cell of the used rectangle takes 32 bytes
    let rows = u64::from(max_row - min_row) + 1;
    let columns = u64::from(max_col - min_col) + 1;
    if rows.saturating_mul(columns) > MAX_GRID_CELLS {
        return Err(ReadError::TooManyCells {
            sheet: sheet.to_owned(),
            rows: rows as usize,
            columns: columns as usize,
            limit: MAX_GRID_CELLS as usize,
        });
    }
    let mut grid = Range::new((min_row, min_col), (max_row, max_col));
    let Some(mut stream) = RowStream::open(&mut workbook, sheet, usize::MAX)? else {
        return Ok(Range::empty());
    };
    while let Some((row, column, value)) = stream.read_cell()? {
        // the same file read twice gives the same cells; one outside the first extent is ignored
        if (min_row..=max_row).contains(&row) && (min_col..=max_col).contains(&column) {
            grid.set_value((row, column), value);
        }
    }
    Ok(grid)
}

// ---------------------------------------------------------------------------------------------
// What the error workbook keeps of the uploaded one

/// A dropdown of the uploaded workbook (a list data validation), to be written again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropdown {
    /// 0-based (first row, first column, last row, last column).
    pub cells: (u32, u32, u32, u32),
    /// Where the choices come from: a formula such as `Daftar!$A$2:$A$20`, or, when `listed`,
    /// the comma-separated choices themselves.
    pub source: String,
    pub listed: bool,
}

/// A sheet of the uploaded workbook, in workbook order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetInfo {
    pub name: String,
    pub hidden: bool,
    pub dropdowns: Vec<Dropdown>,
}

/// The sheets of a workbook with their visibility and dropdowns. Dropdowns are read from the
/// sheet XML directly (calamine does not read data validations); one that cannot be made out is
/// left out rather than failing the error workbook.
pub fn sheet_infos(bytes: &[u8]) -> Result<Vec<SheetInfo>, ReadError> {
    let workbook: Xlsx<_> = calamine(|| Xlsx::new(Cursor::new(bytes)))?.map_err(corrupt)?;
    let sheets: Vec<Sheet> = workbook.sheets_metadata().to_vec();
    drop(workbook);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut entry_text = |name: &str| -> Option<String> {
        let entry = archive.by_name(name).ok()?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::Read::take(entry, 16 * 1024 * 1024), &mut text)
            .ok()?;
        Some(text)
    };
    let workbook_xml = entry_text("xl/workbook.xml").unwrap_or_default();
    let rels_xml = entry_text("xl/_rels/workbook.xml.rels").unwrap_or_default();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut after_cells_of = |name: &str| -> Option<String> {
        let entry = archive.by_name(name).ok()?;
        after_cells(entry)
    };
    let mut paths: HashMap<String, String> = HashMap::new();
    for element in elements(&workbook_xml, "sheet") {
        if let (Some(name), Some(id)) = (attribute(element, "name"), attribute(element, "r:id")) {
            paths.insert(unescape_xml(&name), id);
        }
    }
    let mut targets: HashMap<String, String> = HashMap::new();
    for element in elements(&rels_xml, "Relationship") {
        if let (Some(id), Some(target)) = (attribute(element, "Id"), attribute(element, "Target")) {
            let target = target.trim_start_matches('/');
            let path = match target.strip_prefix("xl/") {
                Some(_) => target.to_owned(),
                None => format!("xl/{target}"),
            };
            targets.insert(id, path);
        }
    }
    Ok(sheets
        .into_iter()
        .map(|sheet| {
            let dropdowns = paths
                .get(&sheet.name)
                .and_then(|id| targets.get(id))
                .and_then(|path| after_cells_of(path))
                .map(|xml| dropdowns_of(&xml))
                .unwrap_or_default();
            SheetInfo {
                hidden: sheet.visible != SheetVisible::Visible,
                name: sheet.name,
                dropdowns,
            }
        })
        .collect())
}

/// The part of a sheet's XML after its cells, where its data validations are (the format puts
/// them after `sheetData`), read in chunks so that a 200,000-row sheet is never held as text.
fn after_cells(entry: impl std::io::Read) -> Option<String> {
    const CARRY: usize = 64;
    const TAIL_LIMIT: usize = 16 * 1024 * 1024;
    let mut entry = entry;
    let mut chunk = vec![0u8; 64 * 1024];
    let mut scanned: Vec<u8> = Vec::new();
    let mut tail: Option<Vec<u8>> = None;
    loop {
        let read = entry.read(&mut chunk).ok()?;
        if read == 0 {
            break;
        }
        let bytes = chunk.get(..read)?;
        match &mut tail {
            Some(tail) => {
                tail.extend_from_slice(bytes);
                if tail.len() > TAIL_LIMIT {
                    return None;
                }
            }
            None => {
                scanned.extend_from_slice(bytes);
                if let Some(end) = end_of_cells(&scanned) {
                    tail = Some(scanned.split_off(end));
                    scanned = Vec::new();
                } else {
                    // keep enough to find a closing tag split across two chunks
                    let drop = scanned.len().saturating_sub(CARRY);
                    scanned.drain(..drop);
                }
            }
        }
    }
    String::from_utf8(tail?).ok()
}

/// Where `</sheetData>` (any prefix) or an empty `<sheetData/>` ends.
fn end_of_cells(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    let name = b"sheetData";
    while let Some(at) = bytes
        .get(from..)?
        .windows(name.len())
        .position(|window| window == name)
    {
        let start = from + at;
        let after = start + name.len();
        let rest = bytes.get(after..)?;
        if rest.starts_with(b"/>") {
            return Some(after + 2);
        }
        if rest.starts_with(b">") {
            let open = bytes.get(..start)?.iter().rposition(|b| *b == b'<')?;
            if bytes.get(open + 1) == Some(&b'/') {
                return Some(after + 1);
            }
        }
        from = after;
    }
    None
}

/// The list validations of a sheet's XML, in both the classic form and Excel 2010's
/// `x14:dataValidation` (which holds lists that point at another sheet).
fn dropdowns_of(xml: &str) -> Vec<Dropdown> {
    let mut found = Vec::new();
    for element in whole_elements(xml, "dataValidation") {
        let start = element.split('>').next().unwrap_or_default();
        if attribute(start, "type").as_deref() != Some("list") {
            continue;
        }
        let sqref = attribute(start, "sqref").or_else(|| inner_text(element, "sqref"));
        let Some(formula) = inner_text(element, "formula1") else {
            continue;
        };
        // x14 wraps the formula in <xm:f>
        let formula = inner_text(&formula, "f").unwrap_or(formula);
        let formula = unescape_xml(formula.trim());
        let (source, listed) = match formula.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
            Some(choices) => (choices.to_owned(), true),
            None => (formula, false),
        };
        for range in sqref.unwrap_or_default().split_whitespace() {
            if let Some(cells) = cell_range(range) {
                found.push(Dropdown {
                    cells,
                    source: source.clone(),
                    listed,
                });
            }
        }
    }
    found
}

/// `J2:J5001` or `J2` as 0-based (first row, first column, last row, last column).
fn cell_range(text: &str) -> Option<(u32, u32, u32, u32)> {
    let cell = |reference: &str| -> Option<(u32, u32)> {
        let reference = reference.replace('$', "");
        let split = reference.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = reference.split_at(split);
        let column = super::columns::column_index(letters)?;
        let row: u32 = digits.parse().ok()?;
        (1..=1_048_576).contains(&row).then_some((row - 1, column))
    };
    let (first, last) = match text.split_once(':') {
        Some((first, last)) => (cell(first)?, cell(last)?),
        None => {
            let only = cell(text)?;
            (only, only)
        }
    };
    (first.0 <= last.0 && first.1 <= last.1).then_some((first.0, first.1, last.0, last.1))
}

/// The start tags `<name ...>` (with or without a namespace prefix), attributes included.
fn elements<'x>(xml: &'x str, name: &str) -> Vec<&'x str> {
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let tag_name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let local = tag_name.rsplit(':').next().unwrap_or(tag_name);
        if local == name {
            found.push(tag);
        }
        rest = &rest[end..];
    }
    found
}

/// Each `<name ...> ... </name>` element (with or without a prefix), start tag included.
fn whole_elements<'x>(xml: &'x str, name: &str) -> Vec<&'x str> {
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find('<') {
        let after = &rest[at + 1..];
        let tag_name = after
            .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .next()
            .unwrap_or("");
        let local = tag_name.rsplit(':').next().unwrap_or(tag_name);
        if local == name {
            let close = format!("</{tag_name}>");
            let end = after
                .find(&close)
                .map_or(after.len(), |end| end + close.len());
            found.push(&after[..end]);
            rest = &after[end..];
        } else {
            rest = after;
        }
    }
    found
}

/// The text inside the first `<name>...</name>` (any prefix) of `xml`.
fn inner_text(xml: &str, name: &str) -> Option<String> {
    whole_elements(xml, name)
        .into_iter()
        .next()
        .and_then(|element| {
            let open_end = element.find('>')?;
            let body = &element[open_end + 1..];
            let close = body.rfind("</")?;
            Some(body[..close].to_owned())
        })
}

/// The value of `name="..."` in a start tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before_ok = rest[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let after = &rest[at + name.len()..];
        if before_ok && let Some(value) = after.strip_prefix("=\"") {
            return value.find('"').map(|end| value[..end].to_owned());
        }
        rest = after;
    }
    None
}

fn unescape_xml(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

// ---------------------------------------------------------------------------------------------
// The header

struct Header {
    /// 0-based sheet row of the (first) header row.
    row: u32,
    two_rows: bool,
    columns: Vec<ColumnMatch>,
}

struct NearMiss {
    row: u32,
    /// (required columns found, columns found)
    score: (usize, usize),
    missing: Vec<&'static str>,
}

impl NearMiss {
    fn candidate(self, sheet: &str) -> HeaderCandidate {
        HeaderCandidate {
            sheet: sheet.to_owned(),
            row: self.row + 1,
            missing: self.missing,
        }
    }
}

/// Where the uraian comes from, in order of preference.
fn uraian_sources(layout: Layout) -> [Field; 3] {
    match layout {
        Layout::Table => [Field::Uraian, Field::NamaStandarHarga, Field::NamaRekening],
        Layout::SipdFlat => [Field::NamaStandarHarga, Field::NamaRekening, Field::Uraian],
    }
}

fn has(columns: &[ColumnMatch], field: Field) -> bool {
    columns.iter().any(|m| m.field == field)
}

/// Which of the required columns (sub kegiatan code, uraian, pagu) are missing.
fn missing_required(columns: &[ColumnMatch]) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if !has(columns, Field::SubKegiatanKode) {
        missing.push(Field::SubKegiatanKode.template_header());
    }
    let uraian = [Field::Uraian, Field::NamaStandarHarga, Field::NamaRekening];
    if !uraian.into_iter().any(|f| has(columns, f)) {
        missing.push(Field::Uraian.template_header());
    }
    if !has(columns, Field::Pagu) {
        missing.push(Field::Pagu.template_header());
    }
    missing
}

fn push_match(columns: &mut Vec<ColumnMatch>, field: Field, column: u32, header: String) {
    if !has(columns, field) {
        columns.push(ColumnMatch {
            field,
            column,
            header,
        });
    }
}

fn header_text(grid: &Range<Data>, row: u32, column: u32) -> Option<&str> {
    match grid.get_value((row, column)) {
        Some(Data::String(text)) => Some(text.trim()).filter(|t| !t.is_empty()),
        _ => None,
    }
}

fn column_span(grid: &Range<Data>) -> std::ops::RangeInclusive<u32> {
    match (grid.start(), grid.end()) {
        (Some(start), Some(end)) => start.1..=end.1,
        // an empty grid has no columns
        _ => std::ops::RangeInclusive::new(1, 0),
    }
}

fn match_row(grid: &Range<Data>, row: u32) -> Vec<ColumnMatch> {
    let mut columns = Vec::new();
    for column in column_span(grid) {
        if let Some(text) = header_text(grid, row, column)
            && let Some(field) = match_header(text)
        {
            push_match(&mut columns, field, column, text.to_owned());
        }
    }
    columns
}

struct TwoRows {
    columns: Vec<ColumnMatch>,
    /// Matches that needed the upper row's text.
    from_upper: usize,
    /// Matches that needed the lower row's text.
    from_lower: usize,
}

/// A two-row header: a lower cell's text wins, combined with the text of a group heading above
/// it ("Kode" over "Sub Kegiatan" | "Rekening"); else the upper row's own text.
fn match_two_rows(grid: &Range<Data>, upper: u32, lower: u32) -> TwoRows {
    let mut found = TwoRows {
        columns: Vec::new(),
        from_upper: 0,
        from_lower: 0,
    };
    // the text of a heading merged over several lower cells sits in its first cell only
    let mut group: Option<&str> = None;
    for column in column_span(grid) {
        let up = header_text(grid, upper, column);
        let low = header_text(grid, lower, column);
        group = match (up, low) {
            (Some(up), Some(_)) => Some(up),
            (Some(_), None) | (None, None) => None,
            (None, Some(_)) => group,
        };
        let mut candidates: Vec<(String, bool, bool)> = Vec::new();
        if let (Some(group), Some(low)) = (group, low) {
            candidates.push((format!("{group} {low}"), true, true));
            candidates.push((format!("{low} {group}"), true, true));
        }
        if let Some(low) = low {
            candidates.push((low.to_owned(), false, true));
        }
        if let Some(up) = up {
            candidates.push((up.to_owned(), true, false));
        }
        let matched = candidates
            .into_iter()
            .find_map(|(text, upper_used, lower_used)| {
                match_header(&text).map(|field| (field, text, upper_used, lower_used))
            });
        if let Some((field, text, upper_used, lower_used)) = matched
            && !has(&found.columns, field)
        {
            found.from_upper += usize::from(upper_used);
            found.from_lower += usize::from(lower_used);
            push_match(&mut found.columns, field, column, text);
        }
    }
    found
}

/// A row below a header row may be its second row when it holds text only (data rows and
/// numbering rows hold numbers).
fn may_be_lower_header(grid: &Range<Data>, row: u32) -> bool {
    let mut any_text = false;
    for column in column_span(grid) {
        match grid.get_value((row, column)) {
            Some(Data::String(text)) => {
                if parse_amount(text).is_some() {
                    return false;
                }
                any_text |= !text.trim().is_empty();
            }
            Some(Data::Empty) | None => {}
            Some(_) => return false,
        }
    }
    any_text
}

fn recognised(columns: &[ColumnMatch]) -> bool {
    missing_required(columns).is_empty()
}

fn find_header(grid: &Range<Data>) -> Result<Header, Option<NearMiss>> {
    let (Some(start), Some(end)) = (grid.start(), grid.end()) else {
        return Err(None);
    };
    let mut best: Option<NearMiss> = None;
    let last = end.0.min(HEADER_SCAN_ROWS - 1);
    for row in start.0..=last {
        let alone = match_row(grid, row);
        let two = (row < end.0 && may_be_lower_header(grid, row + 1))
            .then(|| match_two_rows(grid, row, row + 1))
            .filter(|two| recognised(&two.columns) && two.from_upper > 0 && two.from_lower > 0);
        if recognised(&alone) {
            let header = match two {
                Some(two) if two.columns.len() > alone.len() => Header {
                    row,
                    two_rows: true,
                    columns: two.columns,
                },
                _ => Header {
                    row,
                    two_rows: false,
                    columns: alone,
                },
            };
            return Ok(header);
        }
        if let Some(two) = two {
            return Ok(Header {
                row,
                two_rows: true,
                columns: two.columns,
            });
        }
        let missing = missing_required(&alone);
        let score = (3 - missing.len(), alone.len());
        if score.1 > 0 && best.as_ref().is_none_or(|b| score > b.score) {
            best = Some(NearMiss {
                row,
                score,
                missing,
            });
        }
    }
    Err(best)
}

// ---------------------------------------------------------------------------------------------
// The rows

/// How the sub kegiatan cell (or the combined "Kode Sub Kegiatan/Rekening" cell) reads.
#[derive(Debug, Clone, PartialEq)]
enum CodeCell {
    Blank,
    SubKegiatan,
    /// A full kode rekening in the combined column.
    Rekening,
    /// `5.1.02` in the combined column: an account-level subtotal.
    PartialRekening,
    /// `1.02.02` in the combined column: a program or kegiatan heading.
    PartialSubKegiatan,
    TotalLabel,
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum RekeningCell {
    Blank,
    Valid,
    Partial,
    TotalLabel,
    Invalid,
}

struct Facts {
    code: CodeCell,
    rekening: RekeningCell,
    uraian_blank: bool,
    pagu_blank: bool,
    /// Something only a budget line carries (volume, satuan, harga satuan, intervention, desa,
    /// sasaran, output): a row with one is a line that lacks its uraian, not a heading.
    line_details: bool,
}

/// A cell as the reader sees it: blank text (`""`, `-`) is blank.
#[derive(Clone, Copy)]
enum Raw<'a> {
    Blank,
    Text(&'a str),
    Float(f64),
    Int(i64),
    Bool(bool),
    Date(&'a Data),
    Error(&'a CellErrorType),
}

impl Raw<'_> {
    fn is_blank(self) -> bool {
        matches!(self, Raw::Blank)
    }
}

fn raw(data: Option<&Data>) -> Raw<'_> {
    match data {
        None | Some(Data::Empty) => Raw::Blank,
        Some(Data::String(text)) => {
            let text = text.trim();
            if text
                .chars()
                .all(|c| matches!(c, '-' | '\u{2013}' | '\u{2014}'))
            {
                Raw::Blank
            } else {
                Raw::Text(text)
            }
        }
        Some(Data::Float(value)) => Raw::Float(*value),
        Some(Data::Int(value)) => Raw::Int(*value),
        Some(Data::Bool(value)) => Raw::Bool(*value),
        Some(date @ (Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_))) => {
            Raw::Date(date)
        }
        Some(Data::Error(error)) => Raw::Error(error),
    }
}

fn date_text(data: &Data) -> String {
    match data {
        Data::DateTime(value) => value
            .as_datetime()
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|| value.to_string()),
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The text of a non-blank cell, whatever its type (`None` for blanks and Excel errors).
/// What a code cell holds, before the code is checked.
enum CodeText {
    Blank,
    /// An Excel error value (`#REF!`), already reported.
    Broken,
    Text(String, Mangled),
}

fn as_text(cell: Raw<'_>) -> Option<String> {
    match cell {
        Raw::Blank | Raw::Error(_) => None,
        Raw::Text(text) => Some(text.to_owned()),
        Raw::Float(value) => Some(format!("{value}")),
        Raw::Int(value) => Some(value.to_string()),
        Raw::Bool(value) => Some(if value { "TRUE" } else { "FALSE" }.to_owned()),
        Raw::Date(data) => Some(date_text(data)),
    }
}

/// `JUMLAH`, `TOTAL`, `JUMLAH TOTAL`, `TOTAL ANGGARAN`, `GRAND TOTAL`, `Jumlah (Rp):` ...
fn is_total_label(text: &str) -> bool {
    const MORE: [&str; 11] = [
        "total",
        "anggaran",
        "keseluruhan",
        "seluruhnya",
        "pagu",
        "belanja",
        "rp",
        "akhir",
        "umum",
        "semua",
        "",
    ];
    let text = text.trim().trim_end_matches(':').trim_end();
    let mut words = text.split_whitespace();
    let opening = match words.next() {
        Some(first) if first.eq_ignore_ascii_case("grand") => words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("total")),
        Some(first) => first.eq_ignore_ascii_case("jumlah") || first.eq_ignore_ascii_case("total"),
        None => false,
    };
    opening
        && text.split_whitespace().count() <= 5
        && words.all(|word| {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            MORE.iter().any(|m| word.eq_ignore_ascii_case(m))
        })
}

/// `12`, `(3)`, `7 = 5 x 6`: a column number at the start of a numbering row's cell.
fn leading_number(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches('(');
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let (number, rest) = text.split_at(digits);
    let rest_ok = rest.is_empty() || rest.starts_with([' ', '=', ')', '(']);
    rest_ok.then(|| number.parse().ok()).flatten()
}

/// How a code cell came to be unreadable: the message for each kind of code, plain, after Excel
/// turned the code into a number, and after it turned it into a date.
#[derive(Clone, Copy)]
enum Mangled {
    No,
    Number,
    Date,
}

fn bad_code(keys: [MessageKey; 3], mangled: Mangled, text: &str) -> Message {
    let key = match mangled {
        Mangled::No => keys[0],
        Mangled::Number => keys[1],
        Mangled::Date => keys[2],
    };
    Message::new(key).arg(excerpt(text))
}

/// A value quoted in a message, cut to a readable length.
pub fn excerpt(text: &str) -> String {
    const SHOWN: usize = 80;
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

const SUB_KEGIATAN_KEYS: [MessageKey; 3] = [
    MessageKey::SubKegiatanBadShape,
    MessageKey::SubKegiatanBadShapeNumber,
    MessageKey::SubKegiatanBadShapeDate,
];
const COMBINED_KEYS: [MessageKey; 3] = [
    MessageKey::CombinedCodeBadShape,
    MessageKey::CombinedCodeBadShapeNumber,
    MessageKey::CombinedCodeBadShapeDate,
];
const REKENING_KEYS: [MessageKey; 3] = [
    MessageKey::RekeningBadShape,
    MessageKey::RekeningBadShapeNumber,
    MessageKey::RekeningBadShapeDate,
];

/// Where each field is in the sheet, worked out once from the header.
struct Columns {
    columns: [Option<u32>; FIELD_COUNT],
    /// The sub kegiatan column is "Kode Sub Kegiatan/Rekening" and there is no kode rekening
    /// column: lines carry their kode rekening there.
    combined_code: bool,
    uraian_columns: Vec<u32>,
    /// Each field's column header as the file writes it, for messages.
    headers: [Option<String>; FIELD_COUNT],
    /// The sheet's first used column (where a numbering row starts).
    first_column: u32,
}

/// Reads the cells of one row into values, problems and the facts the row's kind depends on.
struct RowReader<'g> {
    grid: &'g Window,
    columns: &'g Columns,
}

impl std::ops::Deref for RowReader<'_> {
    type Target = Columns;

    fn deref(&self) -> &Columns {
        self.columns
    }
}

impl Columns {
    fn new(header: &Header, layout: Layout, first_column: u32) -> Columns {
        let mut columns = [None; FIELD_COUNT];
        let mut headers: [Option<String>; FIELD_COUNT] = Default::default();
        for found in &header.columns {
            if let Some(slot) = columns.get_mut(found.field as usize) {
                *slot = Some(found.column);
            }
            if let Some(slot) = headers.get_mut(found.field as usize) {
                *slot = Some(found.header.clone());
            }
        }
        let column = |field: Field| columns.get(field as usize).copied().flatten();
        let sources = uraian_sources(layout).into_iter().filter_map(column);
        let uraian_columns = match layout {
            Layout::SipdFlat => sources.collect(),
            // a table takes its uraian from one column: "Nama Rekening" only when there is no
            // other
            Layout::Table => sources.take(1).collect(),
        };
        let combined_code = column(Field::KodeRekening).is_none()
            && header.columns.iter().any(|m| {
                m.field == Field::SubKegiatanKode
                    && normalise_header(&m.header).contains("rekening")
            });
        Columns {
            columns,
            combined_code,
            uraian_columns,
            headers,
            first_column,
        }
    }

    fn column(&self, field: Field) -> Option<u32> {
        self.columns.get(field as usize).copied().flatten()
    }

    /// The field as the person reads it in their file: the column's header, else lokus's name.
    fn label(&self, field: Field) -> String {
        let own = if field == Field::Uraian {
            self.uraian_columns
                .first()
                .and_then(|column| self.headers_by_column(*column))
        } else {
            self.headers.get(field as usize).cloned().flatten()
        };
        own.unwrap_or_else(|| field.template_header().to_owned())
    }

    fn headers_by_column(&self, column: u32) -> Option<String> {
        self.columns
            .iter()
            .position(|found| *found == Some(column))
            .and_then(|index| self.headers.get(index).cloned().flatten())
    }
}

impl<'g> RowReader<'g> {
    fn cell(&self, row: u32, column: Option<u32>) -> Raw<'g> {
        raw(column.and_then(|c| self.grid.get_value((row, c))))
    }

    fn field(&self, row: u32, field: Field) -> Raw<'g> {
        self.cell(row, self.column(field))
    }

    fn problem(&self, field: Field, severity: Severity, message: Message) -> CellProblem {
        let column = if field == Field::Uraian {
            self.uraian_columns.first().copied()
        } else {
            self.column(field)
        };
        CellProblem {
            column,
            field,
            message,
            severity,
        }
    }

    fn error(&self, field: Field, message: Message) -> CellProblem {
        self.problem(field, Severity::Error, message)
    }

    fn excel_error(&self, field: Field, error: &CellErrorType) -> CellProblem {
        self.error(
            field,
            Message::new(MessageKey::CellExcelError)
                .arg(self.label(field))
                .arg(error),
        )
    }

    fn text(&self, row: u32, field: Field, problems: &mut Vec<CellProblem>) -> Option<String> {
        let cell = self.field(row, field);
        if let Raw::Error(error) = cell {
            problems.push(self.excel_error(field, error));
        }
        self.within_length(field, as_text(cell), problems)
    }

    /// Refuses a text longer than [`TEXT_LIMIT`] characters (an error of its cell).
    fn within_length(
        &self,
        field: Field,
        text: Option<String>,
        problems: &mut Vec<CellProblem>,
    ) -> Option<String> {
        let text = text?;
        // bytes bound characters from above: count only when it could matter
        if text.len() > TEXT_LIMIT {
            let length = text.chars().count();
            if length > TEXT_LIMIT {
                problems.push(
                    self.error(
                        field,
                        Message::new(MessageKey::CellTextTooLong)
                            .arg(self.label(field))
                            .arg(length)
                            .arg(TEXT_LIMIT),
                    ),
                );
                return None;
            }
        }
        Some(text)
    }

    /// A figure: money (2 decimals) or a quantity (4 decimals).
    fn figure(
        &self,
        cell: Raw<'_>,
        field: Field,
        decimals: u32,
        problems: &mut Vec<CellProblem>,
    ) -> Option<Decimal> {
        let from_float = if decimals == MONEY_DECIMALS {
            amount_from_float
        } else {
            quantity_from_float
        };
        let value = match cell {
            Raw::Blank => return None,
            Raw::Float(value) => from_float(value),
            Raw::Int(value) => Some(Decimal::from(value)),
            Raw::Text(text) => parse_amount(text).map(|v| {
                v.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
            }),
            Raw::Error(error) => {
                problems.push(self.excel_error(field, error));
                return None;
            }
            Raw::Date(_) => {
                problems.push(self.error(
                    field,
                    Message::new(MessageKey::CellDateNotNumber).arg(self.label(field)),
                ));
                return None;
            }
            Raw::Bool(_) => None,
        };
        let Some(value) = value else {
            let shown = as_text(cell).unwrap_or_default();
            problems.push(
                self.error(
                    field,
                    Message::new(MessageKey::CellNotANumber)
                        .arg(self.label(field))
                        .arg(excerpt(&shown)),
                ),
            );
            return None;
        };
        self.within_limit(value, field, decimals, problems)
    }

    /// Refuses figures the database columns cannot hold.
    fn within_limit(
        &self,
        value: Decimal,
        field: Field,
        decimals: u32,
        problems: &mut Vec<CellProblem>,
    ) -> Option<Decimal> {
        let (limit, digits) = if decimals == MONEY_DECIMALS {
            (MONEY_LIMIT, 16)
        } else {
            (QUANTITY_LIMIT, 14)
        };
        if value.abs() >= Decimal::from(limit) {
            problems.push(
                self.error(
                    field,
                    Message::new(MessageKey::CellTooLarge)
                        .arg(self.label(field))
                        .arg(angka(value, 0))
                        .arg(digits),
                ),
            );
            return None;
        }
        Some(value)
    }

    fn money(&self, row: u32, field: Field, problems: &mut Vec<CellProblem>) -> Option<Decimal> {
        self.figure(self.field(row, field), field, MONEY_DECIMALS, problems)
    }

    fn quantity(&self, row: u32, field: Field, problems: &mut Vec<CellProblem>) -> Option<Decimal> {
        self.figure(self.field(row, field), field, QUANTITY_DECIMALS, problems)
    }

    /// A code cell's text, with the hint to add when it does not parse (Excel may have turned the
    /// code into a number or a date). An Excel error in the cell is reported here.
    fn code_text(&self, row: u32, field: Field, problems: &mut Vec<CellProblem>) -> CodeText {
        let cell = self.field(row, field);
        let hint = match cell {
            Raw::Blank => return CodeText::Blank,
            Raw::Error(error) => {
                problems.push(self.excel_error(field, error));
                return CodeText::Broken;
            }
            Raw::Float(_) | Raw::Int(_) => Mangled::Number,
            Raw::Date(_) => Mangled::Date,
            Raw::Text(_) | Raw::Bool(_) => Mangled::No,
        };
        match as_text(cell) {
            Some(text) => CodeText::Text(text, hint),
            None => CodeText::Blank,
        }
    }

    /// The sub kegiatan cell: its kind, and the code as written (or normalised when valid).
    fn code(&self, row: u32, problems: &mut Vec<CellProblem>) -> (CodeCell, Option<String>) {
        let field = Field::SubKegiatanKode;
        let (text, hint) = match self.code_text(row, field, problems) {
            CodeText::Blank => return (CodeCell::Blank, None),
            CodeText::Broken => return (CodeCell::Invalid, None),
            CodeText::Text(text, hint) => (text, hint),
        };
        if is_total_label(&text) {
            return (CodeCell::TotalLabel, Some(text));
        }
        match parse_sub_kegiatan(&text) {
            Ok(code) => return (CodeCell::SubKegiatan, Some(code)),
            Err(_) if !self.combined_code => {
                problems.push(self.error(field, bad_code(SUB_KEGIATAN_KEYS, hint, &text)));
                return (CodeCell::Invalid, Some(text));
            }
            Err(_) => {}
        }
        if let Ok(code) = parse_kode_rekening(&text) {
            (CodeCell::Rekening, Some(code))
        } else if is_partial_kode_rekening(&text) {
            (CodeCell::PartialRekening, Some(text))
        } else if is_partial_sub_kegiatan(&text) {
            (CodeCell::PartialSubKegiatan, Some(text))
        } else {
            problems.push(self.error(field, bad_code(COMBINED_KEYS, hint, &text)));
            (CodeCell::Invalid, Some(text))
        }
    }

    fn rekening(
        &self,
        row: u32,
        problems: &mut Vec<CellProblem>,
    ) -> (RekeningCell, Option<String>) {
        let field = Field::KodeRekening;
        let (text, hint) = match self.code_text(row, field, problems) {
            CodeText::Blank => return (RekeningCell::Blank, None),
            CodeText::Broken => return (RekeningCell::Invalid, None),
            CodeText::Text(text, hint) => (text, hint),
        };
        if is_total_label(&text) {
            return (RekeningCell::TotalLabel, Some(text));
        }
        match parse_kode_rekening(&text) {
            Ok(code) => (RekeningCell::Valid, Some(code)),
            Err(_) if is_partial_kode_rekening(&text) => (RekeningCell::Partial, Some(text)),
            Err(_) => {
                problems.push(self.error(field, bad_code(REKENING_KEYS, hint, &text)));
                (RekeningCell::Invalid, Some(text))
            }
        }
    }

    fn read(&self, row: u32) -> (LineValues, Vec<CellProblem>, Facts) {
        let mut problems = Vec::new();
        let p = &mut problems;
        let mut values = LineValues::default();

        let (code, code_text) = self.code(row, p);
        let (rekening, rekening_text) = self.rekening(row, p);
        match code {
            CodeCell::Rekening => values.kode_rekening = code_text,
            CodeCell::PartialRekening => values.kode_rekening = code_text,
            _ => {
                values.sub_kegiatan_kode = code_text;
                values.kode_rekening = rekening_text;
            }
        }
        values.sub_kegiatan_nama = self.text(row, Field::SubKegiatanNama, p);

        for &column in &self.uraian_columns {
            let cell = self.cell(row, Some(column));
            if let Raw::Error(error) = cell {
                p.push(self.excel_error(Field::Uraian, error));
            }
            if let Some(text) = as_text(cell) {
                values.uraian = self.within_length(Field::Uraian, Some(text), p);
                break;
            }
        }
        // an uraian refused for its length is still there: the row is a line, not a heading
        let uraian_blank =
            values.uraian.is_none() && !p.iter().any(|problem| problem.field == Field::Uraian);

        let volume_cell = self.field(row, Field::Volume);
        values.volume = match volume_cell {
            Raw::Text(text) if parse_amount(text).is_none() => match parse_koefisien(text) {
                Some((volume, unit)) => {
                    values.satuan = unit;
                    let volume = volume.round_dp(QUANTITY_DECIMALS);
                    self.within_limit(volume, Field::Volume, QUANTITY_DECIMALS, p)
                }
                None => self.figure(volume_cell, Field::Volume, QUANTITY_DECIMALS, p),
            },
            _ => self.figure(volume_cell, Field::Volume, QUANTITY_DECIMALS, p),
        };
        if let Some(satuan) = self.text(row, Field::Satuan, p) {
            values.satuan = Some(satuan);
        }
        values.harga_satuan = self.money(row, Field::HargaSatuan, p);
        let pagu_blank = self.field(row, Field::Pagu).is_blank();
        values.pagu = self.money(row, Field::Pagu, p);
        values.sumber_dana = self.text(row, Field::SumberDana, p);
        values.intervensi = self.text(row, Field::Intervensi, p);
        values.jenis = self.text(row, Field::Jenis, p);
        values.desa = self
            .text(row, Field::DesaLokus, p)
            .map(|text| {
                text.split([',', ';', '\n', '\r'])
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        values.sasaran = self.text(row, Field::Sasaran, p);
        values.target_output = self.quantity(row, Field::TargetOutput, p);
        values.satuan_output = self.text(row, Field::SatuanOutput, p);
        values.keterangan = self.text(row, Field::Keterangan, p);
        values.kode_opd = self.text(row, Field::KodeOpd, p);
        values.nama_opd = self.text(row, Field::NamaOpd, p);
        values.tahun = self.tahun(row, p);

        let detail_fields = [
            Field::Volume,
            Field::Satuan,
            Field::HargaSatuan,
            Field::Intervensi,
            Field::Jenis,
            Field::DesaLokus,
            Field::Sasaran,
            Field::TargetOutput,
            Field::SatuanOutput,
        ];
        let line_details = detail_fields
            .into_iter()
            .any(|field| !self.field(row, field).is_blank());
        let facts = Facts {
            code,
            rekening,
            uraian_blank,
            pagu_blank,
            line_details,
        };
        (values, problems, facts)
    }

    fn tahun(&self, row: u32, problems: &mut Vec<CellProblem>) -> Option<i32> {
        let cell = self.field(row, Field::Tahun);
        let year = match cell {
            Raw::Blank => return None,
            Raw::Error(error) => {
                problems.push(self.excel_error(Field::Tahun, error));
                return None;
            }
            Raw::Int(value) => i32::try_from(value).ok(),
            Raw::Float(value) if value.fract() == 0.0 && value.abs() < 1e9 => Some(value as i32),
            Raw::Text(text) => text.parse().ok(),
            _ => None,
        };
        match year {
            Some(year) if (2000..=2100).contains(&year) => Some(year),
            _ => {
                let shown = as_text(cell).unwrap_or_default();
                problems.push(self.error(
                    Field::Tahun,
                    Message::new(MessageKey::TahunInvalid).arg(excerpt(&shown)),
                ));
                None
            }
        }
    }

    /// Column numbers under the header (1, 2, 3, ...), as numbers or text.
    fn is_numbering_row(&self, row: u32) -> bool {
        let mut expected: i64 = 1;
        let cells = self.grid.cells(row).unwrap_or_default();
        for value in cells.iter().skip(self.first_column as usize) {
            let number = match Some(value) {
                None | Some(Data::Empty) => continue,
                Some(Data::Int(value)) => Some(*value),
                Some(Data::Float(value)) if value.fract() == 0.0 && value.abs() < 1e4 => {
                    Some(*value as i64)
                }
                Some(Data::String(text)) if text.trim().is_empty() => continue,
                Some(Data::String(text)) => leading_number(text),
                Some(_) => None,
            };
            if number != Some(expected) {
                return false;
            }
            expected += 1;
        }
        expected > 3
    }

    /// The header repeated on a new printed page.
    fn is_repeated_header(&self, row: u32) -> bool {
        let names = |field: Field| match self.field(row, field) {
            Raw::Text(text) if text.starts_with(char::is_alphabetic) => {
                match_header(text) == Some(field)
            }
            _ => false,
        };
        names(Field::SubKegiatanKode) && names(Field::Pagu)
    }

    fn has_total_label(&self, row: u32) -> bool {
        let cells = self.grid.cells(row).unwrap_or_default();
        cells
            .iter()
            .any(|value| matches!(value, Data::String(text) if is_total_label(text)))
    }

    /// In the combined column, a sub kegiatan row with text is the heading of the lines below
    /// it when the next filled code is a kode rekening.
    fn heads_rekening_lines(&self, row: u32, last_row: u32) -> bool {
        let column = self.column(Field::SubKegiatanKode);
        for next in row.saturating_add(1)..=last_row.min(row.saturating_add(5)) {
            if let Some(text) = as_text(self.cell(next, column)) {
                return parse_kode_rekening(&text).is_ok() || is_partial_kode_rekening(&text);
            }
        }
        false
    }
}

/// What a skipped row means for the lines below it.
enum Heading {
    Keep,
    Set,
    Clear,
}

fn classify(
    reader: &RowReader<'_>,
    row: u32,
    last_row: u32,
    values: &LineValues,
    facts: &Facts,
    after_total: bool,
) -> (RowKind, Heading) {
    let skipped = |reason| (RowKind::Skipped(reason), Heading::Keep);
    if reader.is_numbering_row(row) || reader.is_repeated_header(row) {
        return skipped(SkipReason::Numbering);
    }
    if values.keterangan.as_deref() == Some(EXAMPLE_MARKER) {
        return skipped(SkipReason::Example);
    }
    let no_code = matches!(facts.code, CodeCell::Blank | CodeCell::TotalLabel);
    let no_rekening = matches!(
        facts.rekening,
        RekeningCell::Blank | RekeningCell::TotalLabel
    );
    if facts.code == CodeCell::Blank && facts.uraian_blank && facts.pagu_blank {
        return skipped(SkipReason::Blank);
    }
    if no_code && no_rekening && reader.has_total_label(row) {
        return skipped(SkipReason::Total);
    }
    // below the grand total only a signature block and notes follow
    if after_total && no_code && no_rekening && values.pagu.is_none() {
        return skipped(SkipReason::Blank);
    }
    let subtotal = RowKind::Skipped(SkipReason::Subtotal);
    if facts.rekening == RekeningCell::Partial {
        let heading = match facts.code {
            CodeCell::SubKegiatan => Heading::Set,
            _ => Heading::Keep,
        };
        return (subtotal, heading);
    }
    match facts.code {
        CodeCell::PartialRekening => return (subtotal, Heading::Keep),
        CodeCell::PartialSubKegiatan => return (subtotal, Heading::Clear),
        CodeCell::SubKegiatan
            if reader.combined_code
                && (facts.uraian_blank || reader.heads_rekening_lines(row, last_row)) =>
        {
            return (subtotal, Heading::Set);
        }
        CodeCell::SubKegiatan if facts.uraian_blank && no_rekening && !facts.line_details => {
            return (subtotal, Heading::Set);
        }
        CodeCell::Invalid if facts.uraian_blank && no_rekening && !facts.line_details => {
            return (subtotal, Heading::Clear);
        }
        _ => {}
    }
    (RowKind::Line, Heading::Keep)
}

/// Checks that need the whole line: required fields (after inheritance), pagu > 0,
/// volume x harga satuan = pagu.
fn check_line(reader: &RowReader<'_>, values: &LineValues, problems: &mut Vec<CellProblem>) {
    let reported =
        |problems: &[CellProblem], field: Field| problems.iter().any(|p| p.field == field);
    if values.sub_kegiatan_kode.is_none() && !reported(problems, Field::SubKegiatanKode) {
        problems.push(reader.error(
            Field::SubKegiatanKode,
            Message::new(MessageKey::SubKegiatanMissing).arg(reader.label(Field::SubKegiatanKode)),
        ));
    }
    if values.uraian.is_none() && !reported(problems, Field::Uraian) {
        problems.push(reader.error(
            Field::Uraian,
            Message::new(MessageKey::CellBlank).arg(reader.label(Field::Uraian)),
        ));
    }
    match values.pagu {
        None if !reported(problems, Field::Pagu) => {
            problems.push(reader.error(
                Field::Pagu,
                Message::new(MessageKey::CellBlank).arg(reader.label(Field::Pagu)),
            ));
        }
        Some(pagu) if pagu <= Decimal::ZERO => {
            problems.push(
                reader.error(
                    Field::Pagu,
                    Message::new(MessageKey::PaguNotPositive)
                        .arg(reader.label(Field::Pagu))
                        .arg(rupiah(pagu)),
                ),
            );
        }
        _ => {}
    }
    if let (Some(volume), Some(harga), Some(pagu)) =
        (values.volume, values.harga_satuan, values.pagu)
        && let Some(product) = volume.checked_mul(harga)
    {
        let product =
            product.round_dp_with_strategy(MONEY_DECIMALS, RoundingStrategy::MidpointAwayFromZero);
        if (product - pagu).abs() >= TOLERANCE {
            problems.push(
                reader.problem(
                    Field::Pagu,
                    Severity::Warning,
                    Message::new(MessageKey::VolumeTimesPriceDiffers)
                        .arg(rupiah(product))
                        .arg(rupiah(pagu)),
                ),
            );
        }
    }
}

/// Reads the chosen sheet below its header, streaming: each row is classified and parsed with
/// only the next `LOOKAHEAD` rows in memory beside it.
fn read_sheet(
    sheet: String,
    head: &Range<Data>,
    header: Header,
    mut stream: RowStream<'_, '_>,
    choice: SheetChoice,
    options: &ReadOptions,
) -> Result<ParsedSheet, ReadError> {
    let has_column = |field| has(&header.columns, field);
    let layout = if has_column(Field::KodeOpd)
        && (has_column(Field::NamaStandarHarga) || has_column(Field::NamaRekening))
    {
        Layout::SipdFlat
    } else {
        Layout::Table
    };
    let first_column = head.start().map_or(0, |start| start.1);
    let columns = Columns::new(&header, layout, first_column);
    let first_row = header.row + 1 + u32::from(header.two_rows);

    // the head's rows below the header go first, then the stream
    let mut window = Window::default();
    let mut pending: VecDeque<(u32, Vec<Data>)> = head
        .rows()
        .enumerate()
        .filter_map(|(offset, cells)| {
            let (start_row, start_column) = head.start()?;
            let row = start_row + offset as u32;
            if row < first_row || cells.iter().all(|value| *value == Data::Empty) {
                return None;
            }
            let mut values = vec![Data::Empty; start_column as usize];
            values.extend(cells.iter().cloned());
            Some((row, values))
        })
        .collect();
    let mut rows = Vec::new();
    let mut blank_rows = 0;
    let mut expected_row = first_row;
    // subtotal rows whose sum is checked against their lines
    let mut checked = Vec::new();
    let mut heading: Option<(String, Option<String>)> = None;
    let mut after_total = false;
    loop {
        // keep the rows up to LOOKAHEAD below the current one in the window
        loop {
            let wanted = window
                .rows
                .front()
                .map_or(u32::MAX, |(row, _)| row.saturating_add(LOOKAHEAD));
            let last = window.rows.back().map(|(row, _)| *row);
            if last.is_some_and(|last| last >= wanted) {
                break;
            }
            let next = match pending.pop_front() {
                Some(row) => Some(row),
                None => stream.next_row()?,
            };
            match next {
                Some(row) => window.rows.push_back(row),
                None => break,
            }
        }
        let Some(&(row, _)) = window.rows.front() else {
            break;
        };
        // rows holding nothing between two that hold something
        blank_rows += row.saturating_sub(expected_row) as usize;
        expected_row = row.saturating_add(1);
        let reader = RowReader {
            grid: &window,
            columns: &columns,
        };
        let (mut values, mut problems, facts) = reader.read(row);
        let lookahead_end = row.saturating_add(LOOKAHEAD);
        let (kind, effect) = classify(&reader, row, lookahead_end, &values, &facts, after_total);
        match kind {
            RowKind::Line => {
                inherit(&mut values, heading.as_ref());
                check_line(&reader, &values, &mut problems);
            }
            RowKind::Skipped(reason) => {
                problems.clear();
                after_total |= reason == SkipReason::Total;
                if reason == SkipReason::Example && typed_over(&values) {
                    problems.push(
                        reader.problem(
                            Field::Keterangan,
                            Severity::Warning,
                            Message::new(MessageKey::ExampleRowTypedOver)
                                .arg(reader.label(Field::Keterangan))
                                .arg(EXAMPLE_MARKER),
                        ),
                    );
                }
                // a heading in the combined column names the sub kegiatan in its uraian
                let names_in_uraian = columns.combined_code && facts.code == CodeCell::SubKegiatan;
                if reason == SkipReason::Subtotal
                    && names_in_uraian
                    && values.sub_kegiatan_nama.is_none()
                {
                    values.sub_kegiatan_nama = values.uraian.clone();
                }
            }
        }
        match effect {
            Heading::Keep => {}
            Heading::Clear => heading = None,
            Heading::Set => {
                if let Some(code) = &values.sub_kegiatan_kode {
                    heading = Some((code.clone(), values.sub_kegiatan_nama.clone()));
                }
                let account_level = facts.rekening == RekeningCell::Partial;
                if !account_level {
                    checked.push(rows.len());
                }
            }
        }
        rows.push(SheetRow {
            row: row.saturating_add(1),
            kind,
            values,
            problems,
        });
        window.rows.pop_front();
    }
    let used_rows = stream.count_rest()?;
    check_row_limit(&sheet, used_rows, first_row, options)?;
    let reader = RowReader {
        grid: &window,
        columns: &columns,
    };
    check_subtotals(&reader, &mut rows, &checked);
    rows.shrink_to_fit();
    Ok(ParsedSheet {
        sheet,
        header_row: header.row + 1,
        layout,
        columns: header.columns,
        rows,
        blank_rows,
        choice,
    })
}

/// An example row whose own values are no longer the template's: someone typed their line over
/// it and left the marker.
fn typed_over(values: &LineValues) -> bool {
    values.sub_kegiatan_kode.as_deref() != Some(EXAMPLE_SUB_KEGIATAN)
        || values.kode_rekening.as_deref() != Some(EXAMPLE_REKENING)
        || values.uraian.as_deref() != Some(EXAMPLE_URAIAN)
        || values.pagu != Some(Decimal::from(EXAMPLE_PAGU))
}

/// A line without a sub kegiatan code takes the code (and name) of the heading above it.
fn inherit(values: &mut LineValues, heading: Option<&(String, Option<String>)>) {
    let Some((code, name)) = heading else {
        return;
    };
    match &values.sub_kegiatan_kode {
        None => {
            values.sub_kegiatan_kode = Some(code.clone());
            if values.sub_kegiatan_nama.is_none() {
                values.sub_kegiatan_nama.clone_from(name);
            }
        }
        Some(own) if own == code && values.sub_kegiatan_nama.is_none() => {
            values.sub_kegiatan_nama.clone_from(name);
        }
        Some(_) => {}
    }
}

/// Compares each sub kegiatan subtotal with the sum of its lines: the Line rows with the same
/// code after it, up to the next subtotal with that code (a heading above its lines); when
/// there are none, those before it back to the previous such subtotal (a subtotal below its
/// lines).
fn check_subtotals(reader: &RowReader<'_>, rows: &mut [SheetRow], checked: &[usize]) {
    #[derive(Default)]
    struct Segment {
        open: Option<usize>,
        sum: Decimal,
        lines: usize,
    }
    if checked.is_empty() {
        return;
    }
    let is_checked: std::collections::HashSet<usize> = checked.iter().copied().collect();
    let mut segments: HashMap<&str, Segment> = HashMap::new();
    let mut following: HashMap<usize, (Decimal, usize)> = HashMap::new();
    let mut preceding: HashMap<usize, (Decimal, usize)> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let Some(code) = row.values.sub_kegiatan_kode.as_deref() else {
            continue;
        };
        if row.kind == RowKind::Line {
            let segment = segments.entry(code).or_default();
            if let Some(pagu) = row.values.pagu {
                segment.sum = segment.sum.checked_add(pagu).unwrap_or(segment.sum);
                segment.lines += 1;
            }
        } else if is_checked.contains(&index) {
            let segment = segments.entry(code).or_default();
            let done = (segment.sum, segment.lines);
            if let Some(open) = segment.open {
                following.insert(open, done);
            }
            preceding.insert(index, done);
            *segment = Segment {
                open: Some(index),
                ..Segment::default()
            };
        }
    }
    for segment in segments.values() {
        if let Some(open) = segment.open {
            following.insert(open, (segment.sum, segment.lines));
        }
    }
    for &index in checked {
        let sums = [following.get(&index), preceding.get(&index)];
        let (sum, lines) = sums
            .into_iter()
            .flatten()
            .find(|(_, lines)| *lines > 0)
            .copied()
            .unwrap_or((Decimal::ZERO, 0));
        let Some(row) = rows.get_mut(index) else {
            continue;
        };
        let (Some(code), Some(pagu)) = (&row.values.sub_kegiatan_kode, row.values.pagu) else {
            continue;
        };
        if (pagu - sum).abs() >= TOLERANCE {
            let message = if lines == 0 {
                Message::new(MessageKey::SubtotalWithoutLines)
                    .arg(code)
                    .arg(rupiah(pagu))
                    .arg(rupiah(sum))
            } else {
                Message::new(MessageKey::SubtotalDiffers)
                    .arg(code)
                    .arg(rupiah(pagu))
                    .arg(lines)
                    .arg(rupiah(sum))
            };
            row.problems
                .push(reader.problem(Field::Pagu, Severity::Warning, message));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Message helpers

// ---------------------------------------------------------------------------------------------
// Sheets read by column specifications: every import kind but the workplan

/// One layout a kind's sheet may have: the columns it must have and how a header names a column.
/// A kind with two layouts (the realisation form, a finance-system export) lists both; the sheet's
/// header says which one it is.
pub struct LayoutSpec<K: 'static> {
    /// Columns the header must have, each satisfied by any of its keys, named in messages by
    /// lokus's header for it.
    pub required: &'static [(&'static [K], &'static str)],
    /// The column a header names, by its normalised text (`normalise_header`); `None` for a
    /// column the kind does not read.
    pub column: fn(&str) -> Option<K>,
}

/// A sheet read by a [`LayoutSpec`]: its header's columns and the raw cells of every row below it.
#[derive(Debug, Clone)]
pub struct SpecSheet<K> {
    pub sheet: String,
    /// 1-based sheet row of the header.
    pub header_row: u32,
    /// Which of the layouts the header matched.
    pub layout: usize,
    pub columns: Vec<SpecColumn<K>>,
    /// The header row's other cells, which no column of the layout took: (0-based column, the
    /// header as the file writes it), so a kind can tell a mistyped header from a column of notes.
    pub ignored: Vec<(u32, String)>,
    /// Every row below the header that holds something, in order.
    pub rows: Vec<SpecRow>,
    /// Rows below the header that hold nothing: counted, never kept.
    pub blank_rows: usize,
    pub choice: SheetChoice,
}

#[derive(Debug, Clone)]
pub struct SpecColumn<K> {
    pub key: K,
    /// 0-based.
    pub column: u32,
    /// The header as the file writes it.
    pub header: String,
}

#[derive(Debug, Clone)]
pub struct SpecRow {
    /// 1-based sheet row.
    pub row: u32,
    /// The row's cells by 0-based column.
    pub cells: Vec<Data>,
}

impl SpecRow {
    pub fn cell(&self, column: u32) -> &Data {
        self.cells.get(column as usize).unwrap_or(&Data::Empty)
    }
}

impl<K: Copy + PartialEq> SpecSheet<K> {
    /// The 0-based column holding `key` (the first, when a header repeats).
    pub fn column_of(&self, key: K) -> Option<u32> {
        self.columns.iter().find(|c| c.key == key).map(|c| c.column)
    }

    /// The header the file gives the column at `column`.
    pub fn header_at(&self, column: u32) -> String {
        self.columns
            .iter()
            .find(|c| c.column == column)
            .map(|c| c.header.clone())
            .unwrap_or_default()
    }
}

/// Reads `bytes` by a kind's layouts: the same sniffing, sheet choice (never a hidden sheet unless
/// named) and streaming as the workplan reader, the header found by the layouts' columns.
pub fn read_by_spec<K: Copy + PartialEq>(
    bytes: &[u8],
    options: &ReadOptions,
    layouts: &'static [LayoutSpec<K>],
) -> Result<SpecSheet<K>, ReadError> {
    sniff(bytes, options)?;
    choose_sheet(bytes, options, &SpecRules { layouts })
}

struct SpecRules<K: 'static> {
    layouts: &'static [LayoutSpec<K>],
}

struct SpecHeader<K> {
    row: u32,
    layout: usize,
    columns: Vec<SpecColumn<K>>,
    ignored: Vec<(u32, String)>,
}

impl<K: Copy + PartialEq> SheetRules for SpecRules<K> {
    type Header = SpecHeader<K>;
    type Sheet = SpecSheet<K>;

    fn find_header(&self, grid: &Range<Data>) -> Result<SpecHeader<K>, Option<NearMiss>> {
        let (Some(start), Some(end)) = (grid.start(), grid.end()) else {
            return Err(None);
        };
        let mut best: Option<NearMiss> = None;
        for row in start.0..=end.0.min(HEADER_SCAN_ROWS - 1) {
            let mut found: Option<SpecHeader<K>> = None;
            for (index, layout) in self.layouts.iter().enumerate() {
                let mut columns: Vec<SpecColumn<K>> = Vec::new();
                let mut ignored: Vec<(u32, String)> = Vec::new();
                for column in column_span(grid) {
                    let Some(text) = header_text(grid, row, column) else {
                        continue;
                    };
                    let Some(key) = (layout.column)(&normalise_header(text)) else {
                        ignored.push((column, text.trim().to_owned()));
                        continue;
                    };
                    if !columns.iter().any(|c| c.key == key) {
                        columns.push(SpecColumn {
                            key,
                            column,
                            header: text.trim().to_owned(),
                        });
                    }
                }
                let missing: Vec<&'static str> = layout
                    .required
                    .iter()
                    .filter(|(keys, _)| !columns.iter().any(|c| keys.contains(&c.key)))
                    .map(|(_, name)| *name)
                    .collect();
                if missing.is_empty() {
                    if found
                        .as_ref()
                        .is_none_or(|f| columns.len() > f.columns.len())
                    {
                        found = Some(SpecHeader {
                            row,
                            layout: index,
                            columns,
                            ignored,
                        });
                    }
                    continue;
                }
                let score = (layout.required.len() - missing.len(), columns.len());
                if score.1 > 0 && best.as_ref().is_none_or(|b| score > b.score) {
                    best = Some(NearMiss {
                        row,
                        score,
                        missing,
                    });
                }
            }
            if let Some(found) = found {
                return Ok(found);
            }
        }
        Err(best)
    }

    fn read(
        &self,
        sheet: String,
        head: &Range<Data>,
        header: SpecHeader<K>,
        mut stream: RowStream<'_, '_>,
        options: &ReadOptions,
    ) -> Result<SpecSheet<K>, ReadError> {
        let first_row = header.row + 1;
        let mut rows = Vec::new();
        let mut blank_rows = 0;
        let mut expected_row = first_row;
        let mut keep = |row: u32, cells: Vec<Data>, rows: &mut Vec<SpecRow>| {
            if row < first_row || cells.iter().all(|value| *value == Data::Empty) {
                return;
            }
            blank_rows += row.saturating_sub(expected_row) as usize;
            expected_row = row.saturating_add(1);
            rows.push(SpecRow {
                row: row + 1,
                cells,
            });
        };
        if let Some((start_row, start_column)) = head.start() {
            for (offset, cells) in head.rows().enumerate() {
                let mut values = vec![Data::Empty; start_column as usize];
                values.extend(cells.iter().cloned());
                keep(start_row + offset as u32, values, &mut rows);
            }
        }
        while let Some((row, cells)) = stream.next_row()? {
            keep(row, cells, &mut rows);
        }
        let used_rows = stream.count_rest()?;
        check_row_limit(&sheet, used_rows, first_row, options)?;
        Ok(SpecSheet {
            sheet,
            header_row: header.row + 1,
            layout: header.layout,
            columns: header.columns,
            ignored: header.ignored,
            rows,
            blank_rows,
            choice: SheetChoice::default(),
        })
    }

    fn set_choice(&self, sheet: &mut SpecSheet<K>, choice: SheetChoice) {
        sheet.choice = choice;
    }
}

/// A figure cell as a kind reads it: blank, a number (floats rounded to `decimals`), or what it
/// holds instead, for the message.
#[derive(Debug, Clone, PartialEq)]
pub enum NumberCell {
    Blank,
    Value(Decimal),
    NotANumber(String),
}

pub fn number_cell(data: &Data, decimals: u32) -> NumberCell {
    let from_float = |value: f64| {
        if decimals == MONEY_DECIMALS {
            amount_from_float(value)
        } else {
            quantity_from_float(value)
        }
    };
    let value = match data {
        Data::Empty => return NumberCell::Blank,
        Data::String(text) if text.trim().is_empty() => return NumberCell::Blank,
        Data::Float(value) => from_float(*value),
        Data::Int(value) => Some(Decimal::from(*value)),
        Data::String(text) => parse_amount(text).map(|value| value.round_dp(decimals)),
        Data::Error(error) => return NumberCell::NotANumber(format!("{error:?}")),
        other => return NumberCell::NotANumber(excerpt(&date_text(other))),
    };
    match value {
        Some(value) => NumberCell::Value(value),
        None => NumberCell::NotANumber(excerpt(&data.to_string())),
    }
}

/// A text cell as a kind reads it, trimmed; `None` for blanks and Excel errors. Codes written as
/// numbers come back as their digits.
pub fn text_cell(data: &Data) -> Option<String> {
    as_text(raw(Some(data)))
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// A date cell: an Excel date, an ISO date, or text as Indonesian offices write it
/// (`15/03/2024`, `15-03-2024`, `2024-03-15`).
pub fn date_cell(data: &Data) -> Option<chrono::NaiveDate> {
    match data {
        Data::DateTime(value) => value.as_datetime().map(|d| d.date()),
        Data::DateTimeIso(text) => text
            .get(..10)
            .and_then(|day| chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()),
        Data::String(text) => {
            let text = text.trim();
            ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"]
                .iter()
                .find_map(|format| chrono::NaiveDate::parse_from_str(text, format).ok())
                .or_else(|| {
                    text.get(..10)
                        .and_then(|day| chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
                })
        }
        _ => None,
    }
}

fn megabytes(bytes: &u64) -> String {
    let tenths = bytes.saturating_mul(10) / (1024 * 1024);
    angka(Decimal::from(tenths) / Decimal::from(10), 1)
}

/// `A`, `A, B`, `A, B, C`: a list inside a message, the same in both languages.
fn joined<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return "-".to_owned();
    }
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::str::FromStr;

    use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};

    use super::*;
    use crate::i18n::Language;
    use crate::spreadsheet::columns::TEMPLATE_FIELDS;

    /// A cell to write in a test workbook.
    #[derive(Clone, Copy)]
    enum V<'a> {
        S(&'a str),
        N(f64),
        /// A formula with the result Excel cached for it.
        F(&'a str, &'a str),
        E,
    }
    use V::{E, F, N, S};

    fn put(sheet: &mut Worksheet, row: u32, cells: &[V<'_>]) {
        for (column, cell) in cells.iter().enumerate() {
            let column = column as u16;
            match *cell {
                S(text) => {
                    sheet.write_string(row, column, text).unwrap();
                }
                N(value) => {
                    sheet.write_number(row, column, value).unwrap();
                }
                F(formula, result) => {
                    sheet
                        .write_formula(row, column, Formula::new(formula).set_result(result))
                        .unwrap();
                }
                E => {}
            }
        }
    }

    fn workbook(build: impl FnOnce(&mut Workbook)) -> Vec<u8> {
        let mut workbook = Workbook::new();
        build(&mut workbook);
        workbook.save_to_buffer().unwrap()
    }

    /// One sheet named "Rencana" holding `rows` from A1.
    fn sheet(rows: &[&[V<'_>]]) -> Vec<u8> {
        workbook(|book| {
            let sheet = book.add_worksheet().set_name("Rencana").unwrap();
            for (row, cells) in rows.iter().enumerate() {
                put(sheet, row as u32, cells);
            }
        })
    }

    fn read(bytes: &[u8]) -> ParsedSheet {
        read_workbook(bytes, &ReadOptions::default()).unwrap()
    }

    fn read_err(bytes: &[u8], options: &ReadOptions) -> ReadError {
        read_workbook(bytes, options).unwrap_err()
    }

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn row(parsed: &ParsedSheet, sheet_row: u32) -> &SheetRow {
        parsed.rows.iter().find(|r| r.row == sheet_row).unwrap()
    }

    fn kinds(parsed: &ParsedSheet) -> Vec<(u32, RowKind)> {
        parsed.rows.iter().map(|r| (r.row, r.kind)).collect()
    }

    fn messages(row: &SheetRow, severity: Severity) -> Vec<String> {
        row.problems
            .iter()
            .filter(|p| p.severity == severity)
            .map(|p| p.message.render_default())
            .collect()
    }

    fn no_problems(parsed: &ParsedSheet) {
        for row in &parsed.rows {
            assert!(
                row.problems.is_empty(),
                "row {}: {:?}",
                row.row,
                row.problems
            );
        }
    }

    const SUB: &str = "1.02.02.2.02.0001";
    const SUB2: &str = "1.02.02.2.02.0002";
    const LINE: RowKind = RowKind::Line;
    const fn skipped(reason: SkipReason) -> RowKind {
        RowKind::Skipped(reason)
    }

    fn template_header() -> Vec<V<'static>> {
        TEMPLATE_FIELDS
            .iter()
            .map(|f| S(f.template_header()))
            .collect()
    }

    #[test]
    fn a_text_longer_than_the_limit_is_an_error_of_its_cell() {
        // rust_xlsxwriter refuses more than a cell holds; a hand-made file can hold megabytes
        let long = "a".repeat(30_000);
        let bytes = sheet(&[
            &[
                S("Kode Sub Kegiatan"),
                S("Rincian"),
                S("Pagu"),
                S("Catatan"),
            ],
            &[S(SUB), S(&long), N(1_000.0), E],
            &[S(SUB), S("PMT"), N(1_000.0), S(&long)],
            &[S(SUB), S(&"b".repeat(TEXT_LIMIT)), N(1_000.0), E],
        ]);
        let parsed = read(&bytes);
        let first = row(&parsed, 2);
        assert_eq!(first.kind, RowKind::Line, "a line, not a heading");
        assert_eq!(
            messages(first, Severity::Error),
            ["Rincian berisi 30000 karakter, melebihi batas 4000 karakter; persingkat isinya."]
        );
        assert_eq!(first.problems[0].column, Some(1));
        let second = row(&parsed, 3);
        assert_eq!(second.problems.len(), 1);
        assert_eq!(second.problems[0].field, Field::Keterangan);
        assert!(
            row(&parsed, 4).problems.is_empty(),
            "the limit itself is allowed"
        );
    }

    #[test]
    fn an_example_row_typed_over_is_skipped_with_a_warning_at_its_marker() {
        let mut typed_over = vec![
            S(SUB),
            S("Pemberian makanan tambahan"),
            S("5.1.02.01.01.0024"),
            S("Biskuit PMT ibu hamil"),
            N(10.0),
            S("paket"),
            N(125_000.0),
            N(1_250_000.0),
        ];
        typed_over.resize(15, E);
        typed_over.push(S(EXAMPLE_MARKER));
        let bytes = sheet(&[&template_header(), &typed_over]);
        let parsed = read(&bytes);
        let example = row(&parsed, 2);
        assert_eq!(example.kind, skipped(SkipReason::Example));
        assert_eq!(
            messages(example, Severity::Warning),
            [
                "Baris ini dilewati karena ditandai sebagai baris contoh (Keterangan berisi \
              \"CONTOH - hapus atau timpa baris ini\"), padahal isinya sudah diubah. Bila ini \
              data Anda, hapus tanda itu dari Keterangan lalu unggah lagi."
            ]
        );
        assert_eq!(
            example.problems[0].column,
            Some(15),
            "at the Keterangan cell"
        );
    }

    #[test]
    fn the_template_layout_reads_into_typed_lines() {
        let header = template_header();
        let example = [
            S(EXAMPLE_SUB_KEGIATAN),
            S("Contoh"),
            S(EXAMPLE_REKENING),
            S(EXAMPLE_URAIAN),
            N(100.0),
            S("paket"),
            N(150_000.0),
            N(EXAMPLE_PAGU as f64),
            S("DAU"),
            S("SP1"),
            S("spesifik"),
            E,
            E,
            E,
            E,
            S(EXAMPLE_MARKER),
        ];
        let line = [
            S(SUB),
            S("Pemberian makanan tambahan"),
            S("5.1.02.01.01.0024"),
            S("  Biskuit PMT ibu hamil  "),
            N(10.0),
            S("paket"),
            N(125_000.0),
            N(1_250_000.0),
            S("DAU"),
            S("SP1"),
            S("Spesifik"),
            S("64.05.01.2001, Tanjung Redeb; Gunung Tabur\nSambaliung ;"),
            S("Ibu hamil KEK"),
            N(40.0),
            S("orang"),
            S("Triwulan I"),
        ];
        let bytes = sheet(&[&header, &example, &line]);
        let parsed = read(&bytes);

        assert_eq!(parsed.sheet, "Rencana");
        assert_eq!(parsed.header_row, 1);
        assert_eq!(parsed.layout, Layout::Table);
        assert_eq!(parsed.columns.len(), 16);
        for (column, field) in TEMPLATE_FIELDS.iter().enumerate() {
            assert_eq!(parsed.column_of(*field), Some(column as u32), "{field:?}");
        }
        assert_eq!(parsed.column_of(Field::KodeOpd), None);
        assert_eq!(
            kinds(&parsed),
            [(2, skipped(SkipReason::Example)), (3, LINE)]
        );
        no_problems(&parsed);

        let values = &row(&parsed, 3).values;
        let expected = LineValues {
            sub_kegiatan_kode: Some(SUB.to_owned()),
            sub_kegiatan_nama: Some("Pemberian makanan tambahan".to_owned()),
            kode_rekening: Some("5.1.02.01.01.0024".to_owned()),
            uraian: Some("Biskuit PMT ibu hamil".to_owned()),
            volume: Some(d("10")),
            satuan: Some("paket".to_owned()),
            harga_satuan: Some(d("125000")),
            pagu: Some(d("1250000")),
            sumber_dana: Some("DAU".to_owned()),
            intervensi: Some("SP1".to_owned()),
            jenis: Some("Spesifik".to_owned()),
            desa: [
                "64.05.01.2001",
                "Tanjung Redeb",
                "Gunung Tabur",
                "Sambaliung",
            ]
            .map(str::to_owned)
            .to_vec(),
            sasaran: Some("Ibu hamil KEK".to_owned()),
            target_output: Some(d("40")),
            satuan_output: Some("orang".to_owned()),
            keterangan: Some("Triwulan I".to_owned()),
            kode_opd: None,
            nama_opd: None,
            tahun: None,
        };
        assert_eq!(values, &expected);
    }

    /// An RKA-style printout: title rows and merged cells, a two-row header, a numbering row,
    /// a sub kegiatan heading, lines that leave the code blank, a JUMLAH row and a signature.
    fn printout() -> Vec<u8> {
        workbook(|book| {
            let sheet = book.add_worksheet().set_name("RKA 2.2.1").unwrap();
            let bold = Format::new().set_bold();
            sheet
                .merge_range(0, 0, 0, 6, "RENCANA KERJA DAN ANGGARAN", &bold)
                .unwrap();
            sheet
                .merge_range(1, 0, 1, 6, "DINAS KESEHATAN TAHUN ANGGARAN 2024", &bold)
                .unwrap();
            sheet
                .merge_range(3, 0, 4, 0, "Kode Sub Kegiatan", &bold)
                .unwrap();
            sheet
                .merge_range(3, 1, 4, 1, "Kode Rekening", &bold)
                .unwrap();
            sheet.merge_range(3, 2, 4, 2, "Uraian", &bold).unwrap();
            sheet
                .merge_range(3, 3, 3, 5, "Rincian Perhitungan", &bold)
                .unwrap();
            sheet.merge_range(3, 6, 4, 6, "Jumlah (Rp)", &bold).unwrap();
            put(sheet, 4, &[E, E, E, S("Vol."), S("Sat"), S("Harga Satuan")]);
            put(
                sheet,
                5,
                &[
                    N(1.0),
                    N(2.0),
                    N(3.0),
                    N(4.0),
                    N(5.0),
                    N(6.0),
                    S("7 = 4 x 6"),
                ],
            );
            put(sheet, 6, &[S(SUB), E, E, E, E, E, N(3_000_000.0)]);
            put(
                sheet,
                7,
                &[E, S("5.1"), S("Belanja Operasi"), E, E, E, N(3_000_000.0)],
            );
            put(
                sheet,
                8,
                &[
                    E,
                    S("5.1.02.01.01.0024"),
                    S("Makanan tambahan"),
                    N(10.0),
                    S("paket"),
                    N(100_000.0),
                    F("=D9*F9", "1000000"),
                ],
            );
            put(
                sheet,
                9,
                &[
                    E,
                    S("5.1.02.01.01.0025"),
                    S("Tablet tambah darah"),
                    N(20.0),
                    S("botol"),
                    N(100_000.0),
                    F("=D10*F10", "2000000"),
                ],
            );
            sheet.merge_range(10, 0, 10, 5, "JUMLAH", &bold).unwrap();
            put(sheet, 10, &[E, E, E, E, E, E, F("=G7", "3000000")]);
            put(
                sheet,
                12,
                &[
                    E,
                    E,
                    S("Mengetahui,"),
                    E,
                    E,
                    S("Tanjung Redeb, 2 Januari 2024"),
                ],
            );
            put(
                sheet,
                13,
                &[E, E, S("Kepala Dinas Kesehatan"), E, E, E, S("Bendahara")],
            );
            put(
                sheet,
                16,
                &[
                    E,
                    E,
                    S("dr. Nama Kepala, M.Kes"),
                    E,
                    E,
                    E,
                    S("Nama Bendahara"),
                ],
            );
        })
    }

    #[test]
    fn a_printout_with_titles_a_two_row_header_and_a_numbering_row_is_read() {
        let parsed = read(&printout());
        assert_eq!(parsed.sheet, "RKA 2.2.1");
        assert_eq!(parsed.header_row, 4);
        let found: Vec<(Field, u32)> = parsed.columns.iter().map(|m| (m.field, m.column)).collect();
        assert_eq!(
            found,
            [
                (Field::SubKegiatanKode, 0),
                (Field::KodeRekening, 1),
                (Field::Uraian, 2),
                (Field::Volume, 3),
                (Field::Satuan, 4),
                (Field::HargaSatuan, 5),
                (Field::Pagu, 6),
            ]
        );
        assert_eq!(parsed.columns[3].header, "Vol.");
        assert_eq!(
            kinds(&parsed),
            [
                (6, skipped(SkipReason::Numbering)),
                (7, skipped(SkipReason::Subtotal)),
                (8, skipped(SkipReason::Subtotal)),
                (9, LINE),
                (10, LINE),
                (11, skipped(SkipReason::Total)),
                (13, skipped(SkipReason::Blank)),
                (14, skipped(SkipReason::Blank)),
                (17, skipped(SkipReason::Blank)),
            ]
        );
        // rows 12, 15 and 16 hold nothing: counted, not kept
        assert_eq!(parsed.blank_rows, 3);
        no_problems(&parsed);
        let first = &row(&parsed, 9).values;
        assert_eq!(first.sub_kegiatan_kode.as_deref(), Some(SUB));
        assert_eq!(first.kode_rekening.as_deref(), Some("5.1.02.01.01.0024"));
        assert_eq!(first.pagu, Some(d("1000000")));
        assert_eq!(first.volume, Some(d("10")));
        assert_eq!(
            row(&parsed, 10).values.sub_kegiatan_kode.as_deref(),
            Some(SUB)
        );
        assert_eq!(row(&parsed, 7).values.pagu, Some(d("3000000")));
        // the grid (for the error workbook) is the sheet as read, titles included
        assert_eq!(
            read_grid(&printout(), &parsed.sheet)
                .unwrap()
                .get_value((0, 0)),
            Some(&Data::String("RENCANA KERJA DAN ANGGARAN".to_owned()))
        );
    }

    #[test]
    fn a_subtotal_that_disagrees_with_its_lines_is_a_warning() {
        let header = [
            S("Kode Sub Kegiatan"),
            S("Kode Rekening"),
            S("Uraian"),
            S("Pagu"),
        ];
        let bytes = sheet(&[
            &header,
            // a heading above its lines: 3.500.000 written, 3.000.000 in the lines
            &[S(SUB), E, E, N(3_500_000.0)],
            &[E, S("5.1.02"), E, N(999.0)],
            &[
                E,
                S("5.1.02.01.01.0024"),
                S("Makanan tambahan"),
                N(1_000_000.0),
            ],
            &[
                E,
                S("5.1.02.01.01.0025"),
                S("Tablet tambah darah"),
                N(2_000_000.0),
            ],
            // a subtotal below its lines that agrees
            &[
                S(SUB2),
                S("5.1.02.01.01.0024"),
                S("Biskuit"),
                S("Rp 400.000"),
            ],
            &[S(SUB2), S("5.1.02.01.01.0025"), S("Susu"), S("600.000")],
            &[S(SUB2), E, E, N(1_000_000.0)],
            // a heading whose lines are all missing
            &[S("1.02.02.2.02.0003"), E, E, N(50_000.0)],
            &[S("Jumlah Total:"), E, E, N(4_550_000.0)],
        ]);
        let parsed = read(&bytes);
        assert_eq!(
            kinds(&parsed),
            [
                (2, skipped(SkipReason::Subtotal)),
                (3, skipped(SkipReason::Subtotal)),
                (4, LINE),
                (5, LINE),
                (6, LINE),
                (7, LINE),
                (8, skipped(SkipReason::Subtotal)),
                (9, skipped(SkipReason::Subtotal)),
                (10, skipped(SkipReason::Total)),
            ]
        );
        let warnings = messages(row(&parsed, 2), Severity::Warning);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("Rp 3.500.000"), "{}", warnings[0]);
        assert!(warnings[0].contains("Rp 3.000.000"), "{}", warnings[0]);
        assert!(warnings[0].contains(SUB), "{}", warnings[0]);
        let problem = &row(&parsed, 2).problems[0];
        assert_eq!((problem.column, problem.field), (Some(3), Field::Pagu));
        assert!(
            row(&parsed, 3).problems.is_empty(),
            "account level is not checked"
        );
        assert!(row(&parsed, 8).problems.is_empty());
        assert_eq!(messages(row(&parsed, 9), Severity::Warning).len(), 1);
        for line in 4..=7 {
            assert!(row(&parsed, line).problems.is_empty(), "{line}");
        }
    }

    #[test]
    fn lines_inherit_the_sub_kegiatan_of_the_heading_above_them() {
        let header = [
            S("Kode Sub Kegiatan/Rekening"),
            S("Uraian"),
            S("Koefisien"),
            S("Harga"),
            S("Jumlah"),
        ];
        let bytes = sheet(&[
            &header,
            &[S("1.02"), S("Urusan Kesehatan"), E, E, N(7_000_000.0)],
            &[
                S("1.02.02.2.02"),
                S("Penyediaan Layanan Kesehatan"),
                E,
                E,
                N(7_000_000.0),
            ],
            &[
                S(SUB),
                S("Pemberian Makanan Tambahan"),
                E,
                E,
                N(4_800_000.0),
            ],
            &[S("5"), S("BELANJA DAERAH"), E, E, N(4_800_000.0)],
            &[
                S("5.1.02"),
                S("Belanja Barang dan Jasa"),
                E,
                E,
                N(4_800_000.0),
            ],
            &[
                S("5.1.02.01.01.0024"),
                S("Biskuit"),
                S("2 Orang x 12 Bulan"),
                N(200_000.0),
                N(4_800_000.0),
            ],
            &[S(SUB2), S("Edukasi Gizi"), E, E, N(1_000_000.0)],
            &[
                S("5.1.02.01.01.0026"),
                S("Leaflet"),
                N(100.0),
                N(10_000.0),
                N(1_000_000.0),
            ],
            &[E, S("Honor narasumber"), E, E, N(1_000_000.0)],
            &[S("1.02.02.2.03"), S("Kegiatan lain"), E, E, N(1_000.0)],
            &[E, S("Tanpa judul"), E, E, N(1_000.0)],
        ]);
        let parsed = read(&bytes);
        let line_rows: Vec<u32> = parsed.lines().map(|r| r.row).collect();
        assert_eq!(line_rows, [7, 9, 10, 12]);
        assert_eq!(row(&parsed, 4).kind, skipped(SkipReason::Subtotal));

        let biskuit = &row(&parsed, 7).values;
        assert_eq!(biskuit.sub_kegiatan_kode.as_deref(), Some(SUB));
        assert_eq!(
            biskuit.sub_kegiatan_nama.as_deref(),
            Some("Pemberian Makanan Tambahan")
        );
        assert_eq!(biskuit.kode_rekening.as_deref(), Some("5.1.02.01.01.0024"));
        assert_eq!(biskuit.volume, Some(d("24")));
        assert_eq!(biskuit.satuan.as_deref(), Some("Orang x Bulan"));
        assert!(
            row(&parsed, 7).problems.is_empty(),
            "{:?}",
            row(&parsed, 7).problems
        );

        let leaflet = &row(&parsed, 9).values;
        assert_eq!(leaflet.sub_kegiatan_kode.as_deref(), Some(SUB2));
        assert_eq!(leaflet.sub_kegiatan_nama.as_deref(), Some("Edukasi Gizi"));
        let honor = row(&parsed, 10);
        assert_eq!(honor.values.sub_kegiatan_kode.as_deref(), Some(SUB2));
        assert_eq!(honor.values.kode_rekening, None);
        // the 2nd sub kegiatan's heading (1.000.000) disagrees with its two lines (2.000.000)
        let warnings = messages(row(&parsed, 8), Severity::Warning);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("Rp 2.000.000"), "{}", warnings[0]);
        assert!(row(&parsed, 4).problems.is_empty());

        // a program-level heading ends the sub kegiatan: nothing to inherit below it
        let orphan = row(&parsed, 12);
        assert_eq!(orphan.values.sub_kegiatan_kode, None);
        assert_eq!(
            messages(orphan, Severity::Error),
            [
                "Kode Sub Kegiatan/Rekening kosong dan tidak ada baris judul sub kegiatan di \
                 atasnya; isi kodenya (contoh: 1.02.02.2.02.0001)."
            ]
        );
        assert_eq!(orphan.problems[0].column, Some(0));
    }

    #[test]
    fn formulas_are_read_by_their_cached_value() {
        let bytes = sheet(&[
            &[
                S("Kode Sub Kegiatan"),
                S("Uraian"),
                S("Volume"),
                S("Harga Satuan"),
                S("Pagu"),
            ],
            &[
                S(SUB),
                S("PMT"),
                N(10.0),
                N(125_000.0),
                F("=C2*D2", "1250000"),
            ],
            &[
                S(SUB),
                S("TTD"),
                N(3.0),
                N(0.1),
                F("=C3*D3", "0.30000000000000004"),
            ],
            &[
                S(SUB),
                F("=\"Kelas \"&\"ibu\"", "Kelas ibu"),
                E,
                E,
                F("=1/3*3000000", "1000000.0000001"),
            ],
        ]);
        let parsed = read(&bytes);
        no_problems(&parsed);
        assert_eq!(row(&parsed, 2).values.pagu, Some(d("1250000")));
        assert_eq!(row(&parsed, 3).values.pagu, Some(d("0.30")));
        assert_eq!(row(&parsed, 4).values.uraian.as_deref(), Some("Kelas ibu"));
        assert_eq!(row(&parsed, 4).values.pagu, Some(d("1000000.00")));
    }

    #[test]
    fn money_written_as_text_in_either_notation_is_read_and_bad_money_reported() {
        let bytes = sheet(&[
            &[
                S("Kode Sub Kegiatan"),
                S("Uraian"),
                S("Vol"),
                S("Harga Satuan (Rp)"),
                S("Jumlah (Rp)"),
            ],
            &[S(SUB), S("a"), S("10"), S("125.000,00"), S("1.250.000,00")],
            &[S(SUB), S("b"), E, E, S("Rp 1.250.000")],
            &[S(SUB), S("c"), E, E, S("Rp. 1.250.000,-")],
            &[S(SUB), S("d"), S("2,5"), S("500,000.00"), S("1,250,000.00")],
            &[S(SUB), S("e"), E, E, S("satu juta")],
            &[S(SUB), S("f"), E, E, N(0.0)],
            &[S(SUB), S("g"), E, E, S("(1.000)")],
            &[S(SUB), S("h"), S("banyak"), S("murah"), N(5.0)],
            &[S(SUB), E, N(1.0), N(5.0), N(5.0)],
            &[S(SUB), S("j"), N(10.0), N(100.0), N(5_000.0)],
            &[S(SUB), S("k"), E, E, S("-")],
            &[S(SUB), S("l"), E, E, S("99.999.999.999.999.999")],
            &[
                S(SUB),
                S("m"),
                S("999.999.999.999.999 Orang"),
                E,
                N(1_000.0),
            ],
        ]);
        let parsed = read(&bytes);
        let pagu = |r| row(&parsed, r).values.pagu;
        assert_eq!(pagu(2), Some(d("1250000")));
        assert_eq!(pagu(3), Some(d("1250000")));
        assert_eq!(pagu(4), Some(d("1250000")));
        assert_eq!(pagu(5), Some(d("1250000")));
        assert_eq!(row(&parsed, 2).values.harga_satuan, Some(d("125000")));
        assert_eq!(row(&parsed, 5).values.volume, Some(d("2.5")));
        assert_eq!(row(&parsed, 5).values.harga_satuan, Some(d("500000")));
        for clean in 2..=5 {
            assert!(row(&parsed, clean).problems.is_empty(), "{clean}");
        }

        let errors = |r| messages(row(&parsed, r), Severity::Error);
        assert_eq!(errors(6), ["Jumlah (Rp) \"satu juta\" bukan angka."]);
        assert_eq!(row(&parsed, 6).problems[0].column, Some(4));
        assert_eq!(
            errors(7),
            ["Jumlah (Rp) harus lebih dari 0 (tertulis Rp 0)."]
        );
        assert_eq!(
            errors(8),
            ["Jumlah (Rp) harus lebih dari 0 (tertulis -Rp 1.000)."]
        );
        assert_eq!(
            errors(9),
            [
                "Vol \"banyak\" bukan angka.",
                "Harga Satuan (Rp) \"murah\" bukan angka."
            ]
        );
        assert_eq!(errors(10), ["Uraian kosong."]);
        assert_eq!(row(&parsed, 10).problems[0].column, Some(1));
        assert!(errors(11).is_empty());
        assert_eq!(
            messages(row(&parsed, 11), Severity::Warning),
            ["Volume x harga satuan = Rp 1.000, tidak sama dengan pagu Rp 5.000."]
        );
        assert_eq!(errors(12), ["Jumlah (Rp) kosong."]);
        assert_eq!(errors(13).len(), 1);
        assert!(errors(13)[0].contains("terlalu besar"), "{:?}", errors(13));
        assert_eq!(
            errors(14),
            ["Vol 999.999.999.999.999 terlalu besar (paling banyak 14 digit sebelum koma)."]
        );
    }

    #[test]
    fn codes_mangled_into_numbers_are_reported_with_a_hint() {
        let bytes = sheet(&[
            &[S("Kode Sub Keg."), S("Kode Rek."), S("Uraian"), S("Pagu")],
            &[N(1.02), S("5.1.02.01.01.0024"), S("PMT"), N(1_000.0)],
            &[S(SUB), N(5.102_010_100_24), S("PMT"), N(1_000.0)],
            &[
                S("1.02.02.2.02.001"),
                S("5.1.02.01.01.024"),
                S("PMT"),
                N(1_000.0),
            ],
            &[
                S(" 1.02.02.2.02.0001 "),
                S(" 5.1.02.01.01.024"),
                S("PMT"),
                N(1_000.0),
            ],
        ]);
        let parsed = read(&bytes);
        let first = row(&parsed, 2);
        assert_eq!(first.kind, LINE);
        assert_eq!(first.values.sub_kegiatan_kode.as_deref(), Some("1.02"));
        let errors = messages(first, Severity::Error);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("\"1.02\""), "{}", errors[0]);
        assert!(errors[0].contains("U.BB.PP.X.KK.SSSS"), "{}", errors[0]);
        assert!(errors[0].contains("menjadi angka"), "{}", errors[0]);
        assert!(errors[0].contains("Teks"), "{}", errors[0]);
        assert_eq!(
            (first.problems[0].column, first.problems[0].field),
            (Some(0), Field::SubKegiatanKode)
        );

        let second = row(&parsed, 3);
        let errors = messages(second, Severity::Error);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("5.1.02.01.01.0024"), "{}", errors[0]);
        assert!(errors[0].contains("menjadi angka"), "{}", errors[0]);
        assert_eq!(second.problems[0].field, Field::KodeRekening);

        let third = row(&parsed, 4);
        let errors = messages(third, Severity::Error);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(!errors[0].contains("menjadi angka"), "{}", errors[0]);

        let fourth = row(&parsed, 5);
        assert!(fourth.problems.is_empty());
        assert_eq!(fourth.values.sub_kegiatan_kode.as_deref(), Some(SUB));
        assert_eq!(
            fourth.values.kode_rekening.as_deref(),
            Some("5.1.02.01.01.024")
        );
    }

    const SIPD_HEADER: [&str; 22] = [
        "Tahun",
        "Kode Urusan",
        "Nama Urusan",
        "Kode SKPD",
        "Nama SKPD",
        "Kode Sub Unit",
        "Nama Sub Unit",
        "Kode Bidang Urusan",
        "Nama Bidang Urusan",
        "Kode Program",
        "Nama Program",
        "Kode Kegiatan",
        "Nama Kegiatan",
        "Kode Sub Kegiatan",
        "Nama Sub Kegiatan",
        "Kode Sumber Dana",
        "Nama Sumber Dana",
        "Kode Rekening",
        "Nama Rekening",
        "Kode Standar Harga",
        "Nama Standar Harga",
        "Pagu",
    ];

    fn sipd_row<'a>(opd: &'a str, opd_name: &'a str, standar: &'a str, pagu: f64) -> Vec<V<'a>> {
        vec![
            N(2024.0),
            S("1"),
            S("URUSAN WAJIB"),
            S(opd),
            S(opd_name),
            S(opd),
            S(opd_name),
            S("1.02"),
            S("KESEHATAN"),
            S("1.02.02"),
            S("PROGRAM PEMENUHAN UPAYA KESEHATAN"),
            S("1.02.02.2.02"),
            S("Penyediaan Layanan Kesehatan"),
            S(SUB),
            S("Pengelolaan Pelayanan Kesehatan Gizi Masyarakat"),
            S("1.1.12.01"),
            S("DAU - Dana Alokasi Umum"),
            S("5.1.02.01.01.0052"),
            S("Belanja Makanan dan Minuman Rapat"),
            S("1.1.7.01.01.04.001"),
            if standar.is_empty() { E } else { S(standar) },
            N(pagu),
        ]
    }

    #[test]
    fn a_sipd_flat_export_with_several_opds_is_read_row_by_row() {
        let header: Vec<V<'_>> = SIPD_HEADER.iter().map(|h| S(h)).collect();
        let dinkes = "1.02.0.00.0.00.01.0000";
        let dppkb = "2.08.2.14.0.00.01.0000";
        let rows = [
            sipd_row(dinkes, "Dinas Kesehatan", "Nasi kotak", 1_500_000.0),
            sipd_row(dinkes, "Dinas Kesehatan", "", 750_000.0),
            sipd_row(dppkb, "Dinas PPKB", "Snack rapat", 300_000.0),
        ];
        let mut all: Vec<&[V<'_>]> = vec![&header];
        all.extend(rows.iter().map(Vec::as_slice));
        let parsed = read(&sheet(&all));

        assert_eq!(parsed.layout, Layout::SipdFlat);
        assert_eq!(parsed.header_row, 1);
        let found: Vec<(Field, u32)> = parsed.columns.iter().map(|m| (m.field, m.column)).collect();
        assert_eq!(
            found,
            [
                (Field::Tahun, 0),
                (Field::KodeOpd, 3),
                (Field::NamaOpd, 4),
                (Field::SubKegiatanKode, 13),
                (Field::SubKegiatanNama, 14),
                (Field::SumberDana, 16),
                (Field::KodeRekening, 17),
                (Field::NamaRekening, 18),
                (Field::NamaStandarHarga, 20),
                (Field::Pagu, 21),
            ]
        );
        assert_eq!(parsed.column_of(Field::Uraian), Some(20));
        no_problems(&parsed);
        assert_eq!(parsed.lines().count(), 3);

        let first = &row(&parsed, 2).values;
        assert_eq!(first.kode_opd.as_deref(), Some(dinkes));
        assert_eq!(first.nama_opd.as_deref(), Some("Dinas Kesehatan"));
        assert_eq!(first.tahun, Some(2024));
        assert_eq!(first.uraian.as_deref(), Some("Nasi kotak"));
        assert_eq!(first.sub_kegiatan_kode.as_deref(), Some(SUB));
        assert_eq!(first.kode_rekening.as_deref(), Some("5.1.02.01.01.0052"));
        assert_eq!(
            first.sumber_dana.as_deref(),
            Some("DAU - Dana Alokasi Umum")
        );
        assert_eq!(first.pagu, Some(d("1500000")));
        // no Nama Standar Harga: the account name is the uraian
        assert_eq!(
            row(&parsed, 3).values.uraian.as_deref(),
            Some("Belanja Makanan dan Minuman Rapat")
        );
        assert_eq!(row(&parsed, 4).values.kode_opd.as_deref(), Some(dppkb));
        assert_eq!(
            row(&parsed, 4).values.nama_opd.as_deref(),
            Some("Dinas PPKB")
        );
        assert_eq!(
            serde_json::to_string(&parsed.layout).unwrap(),
            "\"sipd_flat\""
        );
    }

    #[test]
    fn the_first_sheet_with_a_header_is_chosen_unless_one_is_named() {
        let bytes = workbook(|book| {
            let notes = book.add_worksheet().set_name("Petunjuk").unwrap();
            put(
                notes,
                0,
                &[S(
                    "Isi lembar Rencana. Kolom wajib: Kode Sub Kegiatan, Uraian, Pagu.",
                )],
            );
            put(notes, 2, &[S("Kode Sub Kegiatan"), S("Pagu")]);
            book.add_worksheet().set_name("Kosong").unwrap();
            let plan = book.add_worksheet().set_name("Rencana").unwrap();
            put(plan, 0, &[S("Kode Sub Kegiatan"), S("Uraian"), S("Pagu")]);
            put(plan, 1, &[S(SUB), S("PMT"), N(1_000.0)]);
        });
        let parsed = read(&bytes);
        assert_eq!(parsed.sheet, "Rencana");
        assert_eq!(parsed.lines().count(), 1);

        let named = ReadOptions {
            sheet: Some(" rencana ".to_owned()),
            ..ReadOptions::default()
        };
        assert_eq!(read_workbook(&bytes, &named).unwrap().sheet, "Rencana");

        let unknown = ReadOptions {
            sheet: Some("Lampiran".to_owned()),
            ..ReadOptions::default()
        };
        let error = read_err(&bytes, &unknown);
        assert!(
            matches!(error, ReadError::SheetNotFound { .. }),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "Lembar \"Lampiran\" tidak ada di buku kerja ini. Lembar yang ada: Petunjuk, Kosong, \
             Rencana."
        );

        let notes = ReadOptions {
            sheet: Some("Petunjuk".to_owned()),
            ..ReadOptions::default()
        };
        let error = read_err(&bytes, &notes);
        let ReadError::NoHeader { sheet, best } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(sheet.as_deref(), Some("Petunjuk"));
        let best = best.as_ref().unwrap();
        assert_eq!((best.row, best.missing.clone()), (3, vec!["Uraian"]));
        let message = error.to_string();
        assert!(message.contains("lembar \"Petunjuk\""), "{message}");
        assert!(
            message.contains("Kode Sub Kegiatan, Uraian dan Pagu"),
            "{message}"
        );
        assert!(
            message.contains("baris 3) tidak memiliki kolom Uraian."),
            "{message}"
        );

        let empty = ReadOptions {
            sheet: Some("Kosong".to_owned()),
            ..ReadOptions::default()
        };
        assert!(matches!(
            read_err(&bytes, &empty),
            ReadError::EmptySheet { .. }
        ));
    }

    #[test]
    fn a_workbook_without_a_recognisable_header_says_which_columns_are_missing() {
        let bytes = sheet(&[
            &[S("LAPORAN")],
            &[S("No"), S("Kegiatan"), S("Kode Kegiatan"), S("Jumlah")],
            &[N(1.0), S("PMT"), S("1.02.02.2.02"), N(1_000.0)],
        ]);
        let error = read_err(&bytes, &ReadOptions::default());
        let ReadError::NoHeader {
            sheet: None,
            best: Some(best),
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!(best.sheet, "Rencana");
        assert_eq!(best.row, 2);
        assert_eq!(best.missing, ["Kode Sub Kegiatan", "Uraian"]);
        let message = error.to_string();
        assert!(
            message.contains("30 baris pertama lembar mana pun"),
            "{message}"
        );
        assert!(
            message.contains("tidak memiliki kolom Kode Sub Kegiatan, Uraian"),
            "{message}"
        );

        let nothing = sheet(&[&[S("halo")]]);
        let error = read_err(&nothing, &ReadOptions::default());
        assert!(
            matches!(error, ReadError::NoHeader { best: None, .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("Tidak satu pun"), "{error}");

        // a header below row 30 is not looked for
        let mut late: Vec<&[V<'_>]> = vec![&[S("judul")]; 30];
        late.push(&[S("Kode Sub Kegiatan"), S("Uraian"), S("Pagu")]);
        assert!(matches!(
            read_err(&sheet(&late), &ReadOptions::default()),
            ReadError::NoHeader { .. }
        ));
    }

    #[test]
    fn an_empty_workbook_has_its_own_message() {
        let bytes = workbook(|book| {
            book.add_worksheet();
            book.add_worksheet();
        });
        let error = read_err(&bytes, &ReadOptions::default());
        assert!(matches!(error, ReadError::EmptyWorkbook), "{error:?}");
        assert!(error.to_string().contains("kosong"), "{error}");
    }

    #[test]
    fn a_sheet_with_too_many_rows_is_refused_with_the_count_and_the_limit() {
        // a title row above the header: neither counts, only the 10 rows of data below it
        let mut rows: Vec<Vec<V<'_>>> = vec![
            vec![S("Rencana kerja 2024")],
            vec![S("Kode Sub Kegiatan"), S("Uraian"), S("Pagu")],
        ];
        rows.extend((0..10).map(|_| vec![S(SUB), S("PMT"), N(1_000.0)]));
        let slices: Vec<&[V<'_>]> = rows.iter().map(Vec::as_slice).collect();
        let bytes = sheet(&slices);
        let options = ReadOptions {
            max_rows: 9,
            ..ReadOptions::default()
        };
        let error = read_err(&bytes, &options);
        let ReadError::TooManyRows { sheet, rows, limit } = &error else {
            panic!("{error:?}");
        };
        assert_eq!((sheet.as_str(), *rows, *limit), ("Rencana", 10, 9));
        assert_eq!(
            error.to_string(),
            "Lembar \"Rencana\" memakai 10 baris di bawah judul kolom, melebihi batas 9 baris. \
             Hapus baris yang tidak diperlukan di bawah tabel, atau bagi isinya menjadi beberapa \
             berkas."
        );
        // exactly the limit of rows of data passes, every one of them read
        let enough = ReadOptions {
            max_rows: 10,
            ..ReadOptions::default()
        };
        assert_eq!(read_workbook(&bytes, &enough).unwrap().lines().count(), 10);
    }

    #[test]
    fn stray_far_away_cells_are_ignored_or_refused_not_allocated() {
        let bytes = workbook(|book| {
            let sheet = book.add_worksheet();
            put(sheet, 0, &[S("Kode Sub Kegiatan"), S("Uraian"), S("Pagu")]);
            put(sheet, 1, &[S(SUB), S("PMT"), N(1_000.0)]);
            sheet.write_string(1, 16_000, "jauh di kanan").unwrap();
        });
        let parsed = read(&bytes);
        assert_eq!(read_grid(&bytes, &parsed.sheet).unwrap().width(), 3);
        assert_eq!(parsed.lines().count(), 1);

        let huge = workbook(|book| {
            let sheet = book.add_worksheet();
            put(sheet, 0, &[S("Kode Sub Kegiatan"), S("Uraian"), S("Pagu")]);
            sheet.write_string(150_000, 200, "jauh di bawah").unwrap();
        });
        // read as a stream, the empty rows between cost nothing
        let parsed = read(&huge);
        assert_eq!(
            parsed.rows.len(),
            1,
            "only the row holding something is kept"
        );
        assert_eq!(parsed.blank_rows, 149_999);
        // the error workbook's dense grid would be 150,000 x 200 cells: refused
        let error = read_grid(&huge, &parsed.sheet).unwrap_err();
        assert!(matches!(error, ReadError::TooManyCells { .. }), "{error:?}");
    }

    #[test]
    fn layout_furniture_rows_are_skipped() {
        let header = template_header();
        let numbers: Vec<V<'_>> = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"]
            .map(S)
            .to_vec();
        let mut line = vec![S(SUB), S("PMT"), E, S("Biskuit"), E, E, E, N(1_000.0)];
        line.resize(16, E);
        let bytes = sheet(&[
            &header,
            &numbers,
            &line,
            &[],
            &header,
            &line,
            &[S("TOTAL"), E, E, E, E, E, E, N(2_000.0)],
        ]);
        let parsed = read(&bytes);
        assert_eq!(
            kinds(&parsed),
            [
                (2, skipped(SkipReason::Numbering)),
                (3, LINE),
                (5, skipped(SkipReason::Numbering)),
                (6, LINE),
                (7, skipped(SkipReason::Total)),
            ]
        );
        // the empty row 4 is counted, not kept
        assert_eq!(parsed.blank_rows, 1);
        no_problems(&parsed);
    }

    #[test]
    fn a_two_row_header_combines_a_group_heading_with_the_cells_below_it() {
        let bytes = workbook(|book| {
            let sheet = book.add_worksheet();
            let format = Format::new();
            sheet.merge_range(0, 0, 0, 1, "Kode", &format).unwrap();
            sheet.merge_range(0, 2, 1, 2, "Uraian", &format).unwrap();
            sheet.merge_range(0, 3, 0, 4, "Output", &format).unwrap();
            sheet.merge_range(0, 5, 1, 5, "Pagu", &format).unwrap();
            put(
                sheet,
                1,
                &[
                    S("Sub Kegiatan"),
                    S("Rekening"),
                    E,
                    S("Target"),
                    S("Satuan"),
                ],
            );
            put(
                sheet,
                2,
                &[
                    S(SUB),
                    S("5.1.02.01.01.0024"),
                    S("PMT"),
                    N(12.0),
                    S("orang"),
                    N(1_000.0),
                ],
            );
        });
        let parsed = read(&bytes);
        assert_eq!(parsed.header_row, 1);
        let found: Vec<(Field, u32)> = parsed.columns.iter().map(|m| (m.field, m.column)).collect();
        assert_eq!(
            found,
            [
                (Field::SubKegiatanKode, 0),
                (Field::KodeRekening, 1),
                (Field::Uraian, 2),
                (Field::TargetOutput, 3),
                (Field::SatuanOutput, 4),
                (Field::Pagu, 5),
            ]
        );
        assert_eq!(parsed.columns[0].header, "Kode Sub Kegiatan");
        assert_eq!(kinds(&parsed), [(3, LINE)]);
        assert_eq!(row(&parsed, 3).values.target_output, Some(d("12")));
    }

    #[test]
    fn a_single_row_header_does_not_swallow_its_first_line() {
        let bytes = sheet(&[
            &[S("Kode Sub Kegiatan"), S("Uraian"), S("Satuan"), S("Pagu")],
            &[S(SUB), S("Penyuluhan"), S("Desa"), S("1.000.000")],
        ]);
        let parsed = read(&bytes);
        assert_eq!(parsed.columns.len(), 4);
        assert_eq!(kinds(&parsed), [(2, LINE)]);
        assert_eq!(row(&parsed, 2).values.satuan.as_deref(), Some("Desa"));
    }

    // ---- bad files -------------------------------------------------------------------------

    /// A workbook with a decoy sheet (pagu 999) before the real one (pagu 1,000), the decoy
    /// hidden as asked; "Rencana" is always visible.
    fn decoy_workbook(decoy: Option<bool>) -> Vec<u8> {
        workbook(|book| {
            let fake = book.add_worksheet().set_name("Data").unwrap();
            put(fake, 0, &[S("Kode Sub Kegiatan"), S("Uraian"), S("Pagu")]);
            put(fake, 1, &[S(SUB), S("Palsu"), N(999.0)]);
            match decoy {
                Some(true) => {
                    fake.set_very_hidden(true);
                }
                Some(false) => {
                    fake.set_hidden(true);
                }
                None => {}
            }
            let plan = book.add_worksheet().set_name("Rencana").unwrap();
            plan.set_active(true);
            put(plan, 0, &[S("Kode Sub Kegiatan"), S("Uraian"), S("Pagu")]);
            put(plan, 1, &[S(SUB), S("PMT"), N(1_000.0)]);
        })
    }

    #[test]
    fn hidden_sheets_are_never_read_unless_named() {
        for very in [true, false] {
            let parsed = read(&decoy_workbook(Some(very)));
            assert_eq!(parsed.sheet, "Rencana", "very hidden: {very}");
            assert_eq!(parsed.lines().next().unwrap().values.pagu, Some(d("1000")));
            assert_eq!(parsed.choice.hidden_candidates, ["Data"]);
            assert!(parsed.choice.other_candidates.is_empty());
            assert!(!parsed.choice.named);
        }
        let named = ReadOptions {
            sheet: Some("Data".to_owned()),
            ..ReadOptions::default()
        };
        let parsed = read_workbook(&decoy_workbook(Some(true)), &named).unwrap();
        assert_eq!(parsed.sheet, "Data");
        assert!(parsed.choice.named);
    }

    #[test]
    fn two_visible_candidates_are_both_named_and_the_first_is_read() {
        let parsed = read(&decoy_workbook(None));
        assert_eq!(parsed.sheet, "Data");
        assert_eq!(parsed.choice.other_candidates, ["Rencana"]);
        assert!(parsed.choice.hidden_candidates.is_empty());
    }

    #[test]
    fn data_only_on_a_hidden_sheet_is_refused_with_the_sheet_named() {
        let bytes = workbook(|book| {
            let hidden = book.add_worksheet().set_name("Rahasia").unwrap();
            put(hidden, 0, &[S("Kode Sub Kegiatan"), S("Uraian"), S("Pagu")]);
            put(hidden, 1, &[S(SUB), S("PMT"), N(1_000.0)]);
            hidden.set_hidden(true);
            let cover = book.add_worksheet().set_name("Sampul").unwrap();
            cover.set_active(true);
            put(cover, 0, &[S("Rencana kerja 2024")]);
        });
        let error = read_err(&bytes, &ReadOptions::default());
        assert!(
            matches!(&error, ReadError::OnlyHidden { sheets } if sheets == &["Rahasia"]),
            "{error:?}"
        );
        assert!(error.to_string().contains("Rahasia"), "{error}");
    }

    #[test]
    fn two_sheets_of_one_name_are_refused_not_guessed() {
        let bytes = workbook(|book| {
            for name in ["Rencana", "Rencanb"] {
                let plan = book.add_worksheet().set_name(name).unwrap();
                put(plan, 0, &[S("Kode Sub Kegiatan"), S("Uraian"), S("Pagu")]);
                put(plan, 1, &[S(SUB), S(name), N(1_000.0)]);
            }
        });
        // rename the second sheet inside workbook.xml, as a hand-made file can
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).unwrap();
            let name = entry.name().unwrap().into_owned();
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
            if name == "xl/workbook.xml" {
                content = String::from_utf8(content)
                    .unwrap()
                    .replace("name=\"Rencanb\"", "name=\"Rencana\"")
                    .into_bytes();
            }
            entries.push((name, content));
        }
        let entries: Vec<(&str, &[u8])> = entries
            .iter()
            .map(|(name, content)| (name.as_str(), content.as_slice()))
            .collect();
        let error = read_err(&zip_of(&entries), &ReadOptions::default());
        assert!(
            matches!(&error, ReadError::DuplicateSheet { sheet } if sheet == "Rencana"),
            "{error:?}"
        );
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn small_workbook() -> Vec<u8> {
        sheet(&[
            &[S("Kode Sub Kegiatan"), S("Uraian"), S("Pagu")],
            &[S(SUB), S("PMT"), N(1_000.0)],
        ])
    }

    #[test]
    fn empty_old_text_and_other_files_are_named_for_what_they_are() {
        let options = ReadOptions::default();
        /// The bytes, what they must be taken for, words the message must contain.
        type Case = (&'static [u8], fn(&ReadError) -> bool, &'static str);
        let cases: [Case; 7] = [
            (b"", |e| matches!(e, ReadError::Empty), "Berkas kosong"),
            (
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0],
                |e| matches!(e, ReadError::OldExcel),
                ".xls",
            ),
            (
                b"Kode Sub Kegiatan;Uraian;Pagu\n1.02.02.2.02.0001;PMT;1000\n",
                |e| matches!(e, ReadError::TextFile),
                "CSV",
            ),
            (
                b"\xEF\xBB\xBFKode,Uraian\r\n",
                |e| matches!(e, ReadError::TextFile),
                "CSV",
            ),
            (
                b"  <html><body><table><tr><td>Pagu</td></tr></table></body></html>",
                |e| matches!(e, ReadError::MarkupFile),
                "HTML",
            ),
            (
                b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n",
                |e| matches!(e, ReadError::Pdf),
                "PDF",
            ),
            (
                &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0],
                |e| matches!(e, ReadError::NotAWorkbook),
                "bukan buku kerja Excel",
            ),
        ];
        for (bytes, is_expected, words) in cases {
            let error = read_err(bytes, &options);
            assert!(is_expected(&error), "{error:?}");
            assert!(error.to_string().contains(words), "{error}");
            assert!(
                error.to_string().contains("unggah") || error.to_string().contains("Unggah"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_truncated_or_damaged_workbook_is_corrupt() {
        let bytes = small_workbook();
        let truncated = &bytes[..bytes.len() / 2];
        let error = read_err(truncated, &ReadOptions::default());
        assert!(matches!(error, ReadError::Corrupt { .. }), "{error:?}");
        assert!(
            error.to_string().contains("rusak atau terpotong"),
            "{error}"
        );

        // a zip whose workbook part is not XML at all
        let garbage = zip_of(&[("xl/workbook.xml", b"\x00\x01 bukan xml <<<")]);
        let error = read_err(&garbage, &ReadOptions::default());
        assert!(matches!(error, ReadError::Corrupt { .. }), "{error:?}");
    }

    /// The entries of an xlsx, to damage one and zip them again.
    fn entries_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|index| {
                let mut entry = archive.by_index(index).unwrap();
                let name = entry.name().unwrap().into_owned();
                let mut content = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
                (name, content)
            })
            .collect()
    }

    fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
        let entries: Vec<(&str, &[u8])> = entries
            .iter()
            .map(|(name, content)| (name.as_str(), content.as_slice()))
            .collect();
        zip_of(&entries)
    }

    /// A corpus of damaged workbooks: bytes flipped and cut in the zip itself, and, inside
    /// well-formed zips, the sheet and shared-string XML cut short, retyped and pointed out of
    /// range, the way a hostile or broken file is. Each must give a parse that keeps the reader's
    /// invariants or a clear error; no `catch_unwind` stands between this test and lokus's code.
    fn damaged_corpus() -> Vec<(String, Vec<u8>)> {
        let bytes = sheet(&[
            &[S("Kode Sub Kegiatan"), S("Uraian"), S("Volume"), S("Pagu")],
            &[S(SUB), S("PMT"), N(2.0), N(1_000.0)],
            &[S(SUB), S("Kelas ibu"), S("3 Orang"), F("=2*500", "1000")],
            &[S("JUMLAH"), E, E, N(2_000.0)],
        ]);
        let mut corpus = Vec::new();
        for step in 0..150 {
            let mut damaged = bytes.clone();
            let at = (step * 7919) % damaged.len();
            damaged[at] ^= 0x5A;
            if step % 3 == 0 {
                damaged.truncate(damaged.len() - step % 97);
            }
            corpus.push((format!("zip byte {at}"), damaged));
        }
        let entries = entries_of(&bytes);
        let replacements: &[(&str, &str)] = &[
            ("t=\"s\"", "t=\"n\""),
            ("t=\"s\"", "t=\"b\""),
            ("t=\"s\"", "t=\"e\""),
            ("t=\"s\"", "t=\"inlineStr\""),
            ("t=\"s\"", "t=\"d\""),
            ("<v>0</v>", "<v>999999</v>"),
            ("<v>1</v>", "<v>-1</v>"),
            ("<v>2</v>", "<v>abc</v>"),
            ("<v>1000</v>", "<v>1e400</v>"),
            ("<v>1000</v>", "<v>NaN</v>"),
            ("r=\"A1\"", "r=\"XFD1048576\""),
            // calamine 0.38 adds up a cell reference's row in a u32: past it, a debug build
            // panics (caught by `calamine`) and a release build wraps
            ("r=\"B2\"", "r=\"B99999999999\""),
            ("r=\"A2\"", "r=\"A0\""),
            ("r=\"B2\"", "r=\"2B\""),
            ("r=\"C2\"", "r=\"\""),
            ("r=\"2\"", "r=\"4294967296\""),
            ("</row>", ""),
            ("<sheetData>", "<sheetData><row r=\"1\"><c r=\"A1\"><v>"),
            ("<sst", "<!DOCTYPE sst [<!ENTITY x \"xxxxxxxx\">]><sst"),
            ("<si>", "<si><r><t>&x;</t></r>"),
            ("count=\"", "count=\"-"),
            ("<f>", "<f t=\"shared\" si=\"99999\" ref=\"A1:XFD1048576\">"),
            ("sheet1.xml", "sheet9.xml"),
            ("r:id=\"rId1\"", "r:id=\"rId99\""),
            (
                "<sheets>",
                "<sheets><sheet name=\"X\" sheetId=\"9\" r:id=\"rId1\"/>",
            ),
        ];
        for (name, content) in &entries {
            if !name.ends_with(".xml") && !name.ends_with(".rels") {
                continue;
            }
            let text = String::from_utf8_lossy(content).into_owned();
            let mut variants: Vec<(String, String)> = replacements
                .iter()
                .filter(|(from, _)| text.contains(from))
                .map(|(from, to)| {
                    (
                        format!("{name}: {from} -> {to}"),
                        text.replacen(from, to, 1),
                    )
                })
                .collect();
            for cut in [1, 7, 40, 120] {
                if cut < text.len() && text.is_char_boundary(text.len() - cut) {
                    variants.push((
                        format!("{name}: last {cut} bytes cut"),
                        text[..text.len() - cut].to_owned(),
                    ));
                }
            }
            variants.push((format!("{name}: emptied"), String::new()));
            for (label, changed) in variants {
                let mut damaged = entries.clone();
                for entry in damaged.iter_mut().filter(|entry| entry.0 == *name) {
                    entry.1 = changed.clone().into_bytes();
                }
                corpus.push((label, rezip(&damaged)));
            }
        }
        corpus
    }

    #[test]
    fn damaged_workbooks_give_a_parse_or_a_clear_error() {
        let corpus = damaged_corpus();
        assert!(corpus.len() > 200, "{}", corpus.len());
        let (mut parsed, mut refused) = (0, 0);
        for (label, bytes) in &corpus {
            match read_workbook(bytes, &ReadOptions::default()) {
                Ok(sheet) => {
                    parsed += 1;
                    // what a parse promises the import service
                    assert!(sheet.header_row >= 1, "{label}");
                    for row in &sheet.rows {
                        assert!(row.row > sheet.header_row, "{label}: row {}", row.row);
                        if row.kind == RowKind::Line && !row.has_errors() {
                            assert!(
                                row.values.pagu.is_some_and(|p| p > Decimal::ZERO),
                                "{label}"
                            );
                            assert!(row.values.uraian.is_some(), "{label}");
                            assert!(row.values.sub_kegiatan_kode.is_some(), "{label}");
                        }
                    }
                }
                Err(error) => {
                    refused += 1;
                    for language in [Language::Id, Language::En] {
                        let text = error.message().render(language);
                        assert!(text.len() > 20 && !text.contains('{'), "{label}: {text}");
                    }
                }
            }
        }
        // the corpus reaches both outcomes, so neither branch is vacuous
        assert!(
            parsed > 10 && refused > 10,
            "{parsed} parsed, {refused} refused"
        );
    }

    #[test]
    fn a_sheet_without_a_header_is_left_after_its_first_rows() {
        let mut rows: Vec<Vec<V<'_>>> = Vec::new();
        for _ in 0..2_000 {
            rows.push(vec![S("catatan"), N(1.0), N(2.0)]);
        }
        let refs: Vec<&[V<'_>]> = rows.iter().map(Vec::as_slice).collect();
        let bytes = sheet(&refs);
        // damage the end of the sheet: a reader that reads the whole sheet meets it
        let mut entries = entries_of(&bytes);
        for entry in entries.iter_mut() {
            if entry.0.starts_with("xl/worksheets/") {
                let keep = entry.1.len() - 500;
                entry.1.truncate(keep);
            }
        }
        let error = read_err(&rezip(&entries), &ReadOptions::default());
        assert!(
            matches!(error, ReadError::NoHeader { .. }),
            "the reader stopped after the header rows: {error:?}"
        );
    }

    #[test]
    fn dropdowns_are_read_in_both_of_excels_forms() {
        let xml = r#"<worksheet><sheetData/><dataValidations count="2">
            <dataValidation type="list" allowBlank="1" sqref="J2:J5001 L2"><formula1>Daftar!$A$2:$A$20</formula1></dataValidation>
            <dataValidation type="whole" sqref="E2"><formula1>0</formula1></dataValidation>
            <dataValidation type="list" sqref="K2:K9"><formula1>"spesifik,sensitif"</formula1></dataValidation>
            </dataValidations><extLst><ext><x14:dataValidations><x14:dataValidation type="list">
            <x14:formula1><xm:f>&apos;Daftar Kode&apos;!$B$2:$B$9</xm:f></x14:formula1><xm:sqref>M2:M100</xm:sqref>
            </x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>"#;
        let found = dropdowns_of(xml);
        let dropdown = |cells, source: &str, listed| Dropdown {
            cells,
            source: source.to_owned(),
            listed,
        };
        assert_eq!(
            found,
            [
                dropdown((1, 9, 5000, 9), "Daftar!$A$2:$A$20", false),
                dropdown((1, 11, 1, 11), "Daftar!$A$2:$A$20", false),
                dropdown((1, 10, 8, 10), "spesifik,sensitif", true),
                dropdown((1, 12, 99, 12), "'Daftar Kode'!$B$2:$B$9", false),
            ]
        );
        assert!(dropdowns_of("<dataValidation type=\"list\" sqref=\"ZZZZ1\">").is_empty());
    }

    /// A reader that hands out a few bytes at a time, as a zip entry may.
    struct Trickle<'a>(&'a [u8]);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(buffer.len()).min(7);
            buffer[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn only_what_follows_the_cells_is_kept_to_find_dropdowns() {
        let cells = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>".repeat(5_000);
        let xml = format!(
            "<worksheet><x:sheetData>{cells}</x:sheetData><dataValidations><dataValidation \
             type=\"list\" sqref=\"B2\"><formula1>\"a,b\"</formula1></dataValidation>\
             </dataValidations></worksheet>"
        );
        let tail = after_cells(Trickle(xml.as_bytes())).unwrap();
        assert!(tail.starts_with("<dataValidations>"), "{tail}");
        assert_eq!(dropdowns_of(&tail).len(), 1);
        let empty = after_cells(Trickle(b"<worksheet><sheetData/><x/></worksheet>")).unwrap();
        assert_eq!(empty, "<x/></worksheet>");
    }

    #[test]
    fn a_panic_inside_calamine_reads_as_a_damaged_file() {
        let error = calamine(|| -> Result<(), XlsxError> { panic!("a parser bug") })
            .expect_err("the panic is caught");
        assert!(matches!(error, ReadError::Corrupt { .. }), "{error:?}");
        assert!(
            error.to_string().contains("rusak atau terpotong"),
            "{error}"
        );
        // and only there: lokus's own code is not guarded
        assert_eq!(calamine(|| 7).unwrap(), 7);
    }

    #[test]
    fn a_zip_that_is_not_a_workbook_is_named() {
        let docx = zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w/>"),
        ]);
        let error = read_err(&docx, &ReadOptions::default());
        assert!(matches!(error, ReadError::NotExcelZip { .. }), "{error:?}");
        assert!(
            error.to_string().contains("dokumen Word (.docx)"),
            "{error}"
        );

        let plain = zip_of(&[("data.csv", b"a,b")]);
        let error = read_err(&plain, &ReadOptions::default());
        assert!(
            error
                .to_string()
                .starts_with("Berkas ini arsip ZIP, bukan buku kerja Excel"),
            "{error}"
        );
    }

    #[test]
    fn decompression_bombs_are_refused_before_anything_is_decompressed() {
        // one entry of 11 MB of zeros: ~1000:1
        let zeros = vec![0u8; 11 * 1024 * 1024];
        let bomb = zip_of(&[
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.xml", &zeros),
        ]);
        let error = read_err(&bomb, &ReadOptions::default());
        let ReadError::SuspiciousCompression { entry, size, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(
            (entry.as_str(), *size),
            ("xl/worksheets/sheet1.xml", 11 * 1024 * 1024)
        );
        assert!(error.to_string().contains("bom dekompresi"), "{error}");

        // a real workbook above a (lowered) limit on the total uncompressed size
        let options = ReadOptions {
            max_uncompressed_bytes: 2_000,
            ..ReadOptions::default()
        };
        let error = read_err(&small_workbook(), &options);
        let ReadError::UncompressedTooLarge { total, limit } = &error else {
            panic!("{error:?}");
        };
        assert!(*total > 2_000);
        assert_eq!(*limit, 2_000);
        assert!(error.to_string().contains("bom dekompresi"), "{error}");
        assert!(read_workbook(&small_workbook(), &ReadOptions::default()).is_ok());
    }

    #[test]
    fn text_fields_take_numbers_and_tahun_is_checked() {
        let bytes = sheet(&[
            &[
                S("Kode Sub Kegiatan"),
                S("Uraian"),
                S("Pagu"),
                S("Kode Intervensi"),
                S("Tahun"),
                S("Kode Desa"),
            ],
            &[
                S(SUB),
                N(17.0),
                N(1_000.0),
                N(5.0),
                S("2024"),
                N(6_405_012_001.0),
            ],
            &[S(SUB), S("PMT"), N(1_000.0), E, S("dua ribu"), E],
        ]);
        let parsed = read(&bytes);
        let first = row(&parsed, 2);
        assert!(first.problems.is_empty(), "{:?}", first.problems);
        assert_eq!(first.values.uraian.as_deref(), Some("17"));
        assert_eq!(first.values.intervensi.as_deref(), Some("5"));
        assert_eq!(first.values.tahun, Some(2024));
        assert_eq!(first.values.desa, ["6405012001"]);
        assert_eq!(
            messages(row(&parsed, 3), Severity::Error),
            ["Tahun \"dua ribu\" bukan tahun anggaran yang sah."]
        );
    }
}
