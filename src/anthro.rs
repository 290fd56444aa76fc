//! `lokus anthro`: WHO z-scores for a table of measurements from the nutrition office or a Posyandu
//! (CSV or xlsx in; CSV, xlsx or JSON lines out). It owns reading the table, the row-by-row
//! computation through `domain::growth` and writing the result; no database, no services.
//!
//! A row that cannot be computed gets its reason in `flag` (in the chosen language) and never stops
//! the others; only a file that cannot be read at all, or lacks a required column, is refused.

use std::borrow::Cow;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::domain::growth::{
    self, GrowthError, Indicator, Measurement, Position, Sex, TbuCategory, ZScore,
};
use crate::i18n::{Language, Message, MessageKey};
use crate::spreadsheet::write::write_text;

/// The columns lokus adds, in their order; input columns with these names are replaced.
pub const OUTPUT_COLUMNS: [&str; 6] = [
    "umur_hari",
    "zs_tbu",
    "zs_bbu",
    "zs_bbtb",
    "status_tbu",
    "flag",
];

/// What Excel holds in one sheet, header included.
const XLSX_MAX_ROWS: usize = 1_048_576;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    /// By the file's extension: `.csv` or `.xlsx` (any case).
    pub fn of(path: &Path) -> Option<FileFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(FileFormat::Csv),
            "xlsx" => Some(FileFormat::Xlsx),
            _ => None,
        }
    }
}

/// Why the whole file is refused (for the operator, in English like the other command messages).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnthroError {
    #[error("the file is empty")]
    Empty,
    #[error("the file cannot be read as {format}: {detail}")]
    Unreadable {
        format: &'static str,
        detail: String,
    },
    #[error("the header row (row 1) has no {0} column")]
    MissingColumn(&'static str),
    #[error("the header row (row 1) has neither a bb nor a tb column")]
    NoMeasureColumn,
    #[error("{rows} rows are more than one xlsx sheet holds ({limit}); write CSV instead")]
    TooManyRows { rows: usize, limit: usize },
    #[error("the result cannot be written: {0}")]
    Write(String),
}

/// One input cell as read: CSV gives text, xlsx typed values.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Value {
    fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// As a person would type it.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Empty => "".into(),
            Value::Text(text) => text.as_str().into(),
            Value::Number(number) => number.to_string().into(),
            Value::Date(date) => date.format("%Y-%m-%d").to_string().into(),
        }
    }
}

/// The input table: its header and its non-blank rows with their row number in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct InputTable {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<Value>)>,
}

/// What lokus adds to one row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowResult {
    pub age_days: Option<i64>,
    pub length_for_age: Option<ZScore>,
    pub weight_for_age: Option<ZScore>,
    pub weight_for_length: Option<ZScore>,
    pub status_tbu: Option<TbuCategory>,
    pub flags: Vec<Message>,
}

impl RowResult {
    fn flag_text(&self, language: Language) -> String {
        self.flags
            .iter()
            .map(|message| message.render(language))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Where each field is in the input.
struct Columns {
    sex: usize,
    birth: usize,
    measured: usize,
    weight: Option<usize>,
    length: Option<usize>,
    position: Option<usize>,
}

fn header_key(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-', '.', '/'], "_")
}

fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| names.contains(&header_key(h).as_str()))
}

impl Columns {
    fn find(header: &[String]) -> Result<Columns, AnthroError> {
        let required = |names: &[&str], shown| {
            find_column(header, names).ok_or(AnthroError::MissingColumn(shown))
        };
        let columns = Columns {
            sex: required(&["jk", "jenis_kelamin", "sex"], "jk")?,
            birth: required(&["tgl_lahir", "tanggal_lahir"], "tgl_lahir")?,
            measured: required(
                &["tgl_ukur", "tanggal_ukur", "tanggal_pengukuran"],
                "tgl_ukur",
            )?,
            weight: find_column(header, &["bb", "berat", "berat_badan", "bb_kg"]),
            length: find_column(header, &["tb", "pb", "tb_pb", "pb_tb", "tinggi", "tb_cm"]),
            position: find_column(header, &["cara_ukur", "posisi"]),
        };
        if columns.weight.is_none() && columns.length.is_none() {
            return Err(AnthroError::NoMeasureColumn);
        }
        Ok(columns)
    }
}

/// Reads `bytes` as the given format.
pub fn read(bytes: &[u8], format: FileFormat) -> Result<InputTable, AnthroError> {
    let table = match format {
        FileFormat::Csv => read_csv(bytes)?,
        FileFormat::Xlsx => read_xlsx(bytes)?,
    };
    if table.header.iter().all(|h| h.trim().is_empty()) {
        return Err(AnthroError::Empty);
    }
    Ok(table)
}

fn read_csv(bytes: &[u8]) -> Result<InputTable, AnthroError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AnthroError::Empty);
    }
    // Indonesian Excel writes CSV with `;`, because `,` is its decimal separator.
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let semicolons = first_line.iter().filter(|&&b| b == b';').count();
    let commas = first_line.iter().filter(|&&b| b == b',').count();
    let delimiter = if semicolons > commas { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut header = None;
    let mut rows = Vec::new();
    for (index, record) in reader.byte_records().enumerate() {
        let record = record.map_err(|e| AnthroError::Unreadable {
            format: "CSV",
            detail: e.to_string(),
        })?;
        let cells: Vec<String> = record
            .iter()
            .map(|field| String::from_utf8_lossy(field).into_owned())
            .collect();
        if header.is_none() {
            header = Some(cells);
            continue;
        }
        let values: Vec<Value> = cells
            .into_iter()
            .map(|cell| {
                if cell.trim().is_empty() {
                    Value::Empty
                } else {
                    Value::Text(cell)
                }
            })
            .collect();
        if !values.iter().all(Value::is_empty) {
            rows.push((index + 1, values));
        }
    }
    Ok(InputTable {
        header: header.unwrap_or_default(),
        rows,
    })
}

fn read_xlsx(bytes: &[u8]) -> Result<InputTable, AnthroError> {
    if bytes.is_empty() {
        return Err(AnthroError::Empty);
    }
    let unreadable = |detail: String| AnthroError::Unreadable {
        format: "xlsx",
        detail,
    };
    // calamine is given whatever file an operator names; a panic inside it is a refused file.
    let range = catch_unwind(AssertUnwindSafe(|| {
        let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        match workbook.worksheet_range_at(0) {
            Some(range) => range.map_err(|e| e.to_string()),
            None => Err("the workbook has no sheet".to_owned()),
        }
    }))
    .map_err(|_| unreadable("the xlsx reader failed on this file".to_owned()))?
    .map_err(unreadable)?;
    let Some((first_row, _)) = range.start() else {
        return Err(AnthroError::Empty);
    };
    let mut rows_iter = range.rows();
    let header: Vec<String> = rows_iter
        .next()
        .map(|row| {
            row.iter()
                .map(|cell| xlsx_value(cell).text().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (offset, row) in rows_iter.enumerate() {
        let values: Vec<Value> = row.iter().map(xlsx_value).collect();
        if !values.iter().all(Value::is_empty) {
            rows.push((first_row as usize + offset + 2, values));
        }
    }
    Ok(InputTable { header, rows })
}

fn xlsx_value(cell: &Data) -> Value {
    match cell {
        Data::Empty => Value::Empty,
        Data::String(text) => Value::Text(text.clone()),
        Data::Float(number) => Value::Number(*number),
        Data::Int(number) => Value::Number(*number as f64),
        Data::Bool(value) => Value::Text(value.to_string()),
        Data::DateTime(date) => match date.as_datetime() {
            Some(moment) => Value::Date(moment.date()),
            None => Value::Number(date.as_f64()),
        },
        Data::DateTimeIso(text) => text
            .get(..10)
            .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
            .map_or_else(|| Value::Text(text.clone()), Value::Date),
        Data::DurationIso(text) => Value::Text(text.clone()),
        Data::Error(error) => Value::Text(format!("#{error:?}")),
    }
}

/// `YYYY-MM-DD` or `DD/MM/YYYY` (also `DD-MM-YYYY`, as spreadsheets in Indonesia write it).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
}

/// A measure in kg or cm; the decimal separator may be `.` or `,`.
fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let normalised = if text.contains(',') && !text.contains('.') {
        Cow::Owned(text.replace(',', "."))
    } else {
        Cow::Borrowed(text)
    };
    normalised.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn cell(values: &[Value], column: usize) -> &Value {
    values.get(column).unwrap_or(&Value::Empty)
}

fn date_in(values: &[Value], column: usize, name: &str) -> Result<NaiveDate, Message> {
    match cell(values, column) {
        Value::Empty => Err(Message::new(MessageKey::FieldRequired).arg(name)),
        Value::Date(date) => Ok(*date),
        value if value.is_empty() => Err(Message::new(MessageKey::FieldRequired).arg(name)),
        value => parse_date(&value.text()).ok_or_else(|| {
            Message::new(MessageKey::AnthroDateInvalid)
                .arg(name)
                .arg(value.text())
        }),
    }
}

fn number_in(values: &[Value], column: Option<usize>, name: &str) -> Result<Option<f64>, Message> {
    let Some(column) = column else {
        return Ok(None);
    };
    match cell(values, column) {
        Value::Number(number) => Ok(Some(*number)),
        value if value.is_empty() => Ok(None),
        value => parse_number(&value.text()).map(Some).ok_or_else(|| {
            Message::new(MessageKey::AnthroNumberInvalid)
                .arg(name)
                .arg(value.text())
        }),
    }
}

/// The z-scores of one row, or the reasons it has none.
fn compute(values: &[Value], columns: &Columns) -> RowResult {
    let mut result = RowResult {
        age_days: None,
        length_for_age: None,
        weight_for_age: None,
        weight_for_length: None,
        status_tbu: None,
        flags: Vec::new(),
    };
    let sex = match cell(values, columns.sex) {
        value if value.is_empty() => Err(Message::new(MessageKey::FieldRequired).arg("jk")),
        value => Sex::parse(&value.text())
            .ok_or_else(|| Message::new(MessageKey::AnthroSexInvalid).arg(value.text())),
    };
    let birth = date_in(values, columns.birth, "tgl_lahir");
    let measured = date_in(values, columns.measured, "tgl_ukur");
    let weight = number_in(values, columns.weight, "bb");
    let length = number_in(values, columns.length, "tb");
    let position = match columns.position.map(|column| cell(values, column)) {
        None => Ok(None),
        Some(value) if value.is_empty() => Ok(None),
        Some(value) => Position::parse(&value.text())
            .map(Some)
            .ok_or_else(|| Message::new(MessageKey::AnthroPositionInvalid).arg(value.text())),
    };
    if let (Ok(birth), Ok(measured)) = (&birth, &measured) {
        result.age_days = growth::age_in_days(*birth, *measured);
        if result.age_days.is_none() {
            result
                .flags
                .push(MessageKey::AnthroMeasuredBeforeBirth.into());
        }
    }
    let (sex, _, _, weight, length, position) =
        match (sex, birth, measured, weight, length, position) {
            (Ok(s), Ok(b), Ok(m), Ok(w), Ok(l), Ok(p)) => (s, b, m, w, l, p),
            (s, b, m, w, l, p) => {
                result.flags.extend(
                    [s.err(), b.err(), m.err(), w.err(), l.err(), p.err()]
                        .into_iter()
                        .flatten(),
                );
                return result;
            }
        };
    let Some(age_days) = result.age_days else {
        return result;
    };
    let assessment = match growth::assess(&Measurement {
        sex,
        age_days,
        weight_kg: weight,
        length_cm: length,
        position,
    }) {
        Ok(assessment) => assessment,
        Err(error) => {
            result.flags.push(match error {
                GrowthError::MeasuredBeforeBirth => MessageKey::AnthroMeasuredBeforeBirth.into(),
                GrowthError::TooOld => Message::new(MessageKey::AnthroTooOld).arg(age_days),
                GrowthError::NothingMeasured => MessageKey::AnthroNothingMeasured.into(),
                GrowthError::BadWeight => Message::new(MessageKey::AnthroNotPositive).arg("bb"),
                GrowthError::BadLength => Message::new(MessageKey::AnthroNotPositive).arg("tb"),
            });
            return result;
        }
    };
    result.length_for_age = assessment.length_for_age;
    result.weight_for_age = assessment.weight_for_age;
    result.weight_for_length = assessment.weight_for_length;
    result.status_tbu = assessment.tbu_category();
    if let (Some(_), Some(corrected), None) = (
        weight,
        assessment.corrected_length_cm,
        assessment.weight_for_length,
    ) {
        let range = if age_days < growth::FIRST_STANDING_DAY {
            "45-110 cm"
        } else {
            "65-120 cm"
        };
        result.flags.push(
            Message::new(MessageKey::AnthroLengthOutsideTable)
                .arg(format!("{corrected:.1}"))
                .arg(range),
        );
    }
    for indicator in &assessment.implausible {
        let z = match indicator {
            Indicator::LengthForAge => assessment.length_for_age,
            Indicator::WeightForAge => assessment.weight_for_age,
            Indicator::WeightForLength => assessment.weight_for_length,
        };
        result.flags.push(
            Message::new(MessageKey::AnthroImplausible)
                .arg(indicator.code())
                .arg(z.map(|z| z.to_string()).unwrap_or_default()),
        );
    }
    result
}

/// The input with what lokus computed for each row.
pub struct Computed {
    pub table: InputTable,
    /// The input columns kept in the output (those named like an output column are dropped).
    kept: Vec<usize>,
    pub results: Vec<RowResult>,
}

impl Computed {
    pub fn flagged(&self) -> usize {
        self.results.iter().filter(|r| !r.flags.is_empty()).count()
    }

    fn header(&self) -> impl Iterator<Item = &str> {
        self.kept
            .iter()
            .map(|&i| self.table.header[i].as_str())
            .chain(OUTPUT_COLUMNS)
    }
}

/// Computes every row of `table`.
pub fn compute_all(table: InputTable) -> Result<Computed, AnthroError> {
    let columns = Columns::find(&table.header)?;
    let results = table
        .rows
        .iter()
        .map(|(_, values)| compute(values, &columns))
        .collect();
    let kept = (0..table.header.len())
        .filter(|&i| !OUTPUT_COLUMNS.contains(&header_key(&table.header[i]).as_str()))
        .collect();
    Ok(Computed {
        table,
        kept,
        results,
    })
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The result as CSV (comma-separated, UTF-8), whatever the input's separator.
pub fn write_csv(computed: &Computed, language: Language) -> Result<Vec<u8>, AnthroError> {
    let failed = |e: csv::Error| AnthroError::Write(e.to_string());
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    writer.write_record(computed.header()).map_err(failed)?;
    for ((_, values), result) in computed.table.rows.iter().zip(&computed.results) {
        let mut record: Vec<String> = computed
            .kept
            .iter()
            .map(|&i| cell(values, i).text().into_owned())
            .collect();
        record.extend([
            optional(result.age_days),
            optional(result.length_for_age),
            optional(result.weight_for_age),
            optional(result.weight_for_length),
            optional(result.status_tbu.map(TbuCategory::as_str)),
            result.flag_text(language),
        ]);
        writer.write_record(&record).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| AnthroError::Write(e.to_string()))
}

/// The result as an xlsx workbook: input cells keep their type, z-scores are numbers with 2 decimals.
pub fn write_xlsx(computed: &Computed, language: Language) -> Result<Vec<u8>, AnthroError> {
    let rows = computed.table.rows.len() + 1;
    if rows > XLSX_MAX_ROWS {
        return Err(AnthroError::TooManyRows {
            rows,
            limit: XLSX_MAX_ROWS,
        });
    }
    write_xlsx_sheet(computed, language).map_err(|e| AnthroError::Write(e.to_string()))
}

fn write_xlsx_sheet(computed: &Computed, language: Language) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let two_decimals = Format::new().set_num_format("0.00");
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("anthro")?;
    for (column, name) in computed.header().enumerate() {
        write_text(sheet, 0, column as u16, name, Some(&bold))?;
    }
    let first_output = computed.kept.len() as u16;
    for (index, ((_, values), result)) in computed
        .table
        .rows
        .iter()
        .zip(&computed.results)
        .enumerate()
    {
        let row = index as u32 + 1;
        for (column, &input) in computed.kept.iter().enumerate() {
            let column = column as u16;
            match cell(values, input) {
                Value::Empty => {}
                Value::Text(text) => write_text(sheet, row, column, text, None)?,
                Value::Number(number) => {
                    sheet.write_number(row, column, *number)?;
                }
                Value::Date(date) => {
                    sheet.write_datetime_with_format(row, column, date, &date_format)?;
                }
            }
        }
        if let Some(age) = result.age_days {
            sheet.write_number(row, first_output, age as f64)?;
        }
        for (offset, z) in [
            result.length_for_age,
            result.weight_for_age,
            result.weight_for_length,
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(z) = z {
                sheet.write_number_with_format(
                    row,
                    first_output + 1 + offset as u16,
                    z.value(),
                    &two_decimals,
                )?;
            }
        }
        if let Some(status) = result.status_tbu {
            write_text(sheet, row, first_output + 4, status.as_str(), None)?;
        }
        if !result.flags.is_empty() {
            write_text(
                sheet,
                row,
                first_output + 5,
                &result.flag_text(language),
                None,
            )?;
        }
    }
    workbook.save_to_buffer()
}

fn json_value(value: &Value) -> serde_json::Value {
    match value {
        Value::Empty => serde_json::Value::Null,
        Value::Text(text) if text.trim().is_empty() => serde_json::Value::Null,
        Value::Text(text) => text.clone().into(),
        Value::Number(number) => serde_json::Number::from_f64(*number)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Value::Date(date) => date.format("%Y-%m-%d").to_string().into(),
    }
}

/// One JSON object per row, one row per line: `baris` (the row in the file), the input columns, then
/// lokus's columns (`null` where not defined; `flag` is an empty string when there is nothing to say).
pub fn json_lines(computed: &Computed, language: Language) -> impl Iterator<Item = String> + '_ {
    computed
        .table
        .rows
        .iter()
        .zip(&computed.results)
        .map(move |((row, values), result)| {
            let mut object = serde_json::Map::new();
            object.insert("baris".to_owned(), (*row).into());
            for &i in &computed.kept {
                object.insert(
                    computed.table.header[i].clone(),
                    json_value(cell(values, i)),
                );
            }
            let z = |z: Option<ZScore>| {
                z.and_then(|z| serde_json::Number::from_f64(z.value()))
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            };
            object.insert("umur_hari".to_owned(), result.age_days.into());
            object.insert("zs_tbu".to_owned(), z(result.length_for_age));
            object.insert("zs_bbu".to_owned(), z(result.weight_for_age));
            object.insert("zs_bbtb".to_owned(), z(result.weight_for_length));
            object.insert(
                "status_tbu".to_owned(),
                result.status_tbu.map(TbuCategory::as_str).into(),
            );
            object.insert("flag".to_owned(), result.flag_text(language).into());
            serde_json::Value::Object(object).to_string()
        })
}

/// Writes the result in `format`.
pub fn write(
    computed: &Computed,
    format: FileFormat,
    language: Language,
) -> Result<Vec<u8>, AnthroError> {
    match format {
        FileFormat::Csv => write_csv(computed, language),
        FileFormat::Xlsx => write_xlsx(computed, language),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "nama,jk,tgl_lahir,tgl_ukur,bb,tb,cara_ukur\n\
        Ani,P,2023-01-10,10/01/2024,8.9462,74.0049,berbaring\n\
        Budi,1,2022-01-01,2024-09-27,13.8057,,\n\
        Citra,X,2023-01-10,2024-01-10,9,74,\n\
        Dodi,L,2024-05-01,2024-04-01,9,74,\n\
        Eka,L,2023-01-10,2024-01-10,abc,74,duduk\n";

    fn computed(csv: &str) -> Computed {
        compute_all(read(csv.as_bytes(), FileFormat::Csv).unwrap()).unwrap()
    }

    #[test]
    fn each_row_gets_its_z_scores_or_its_reasons() {
        let computed = computed(CSV);
        let [ani, budi, citra, dodi, eka] = &computed.results[..] else {
            panic!("five rows");
        };
        // Ani: a girl of 365 days on the medians of both tables.
        assert_eq!(ani.age_days, Some(365));
        assert_eq!(
            ani.length_for_age.map(|z| z.to_string()).as_deref(),
            Some("0.00")
        );
        assert_eq!(
            ani.weight_for_age.map(|z| z.to_string()).as_deref(),
            Some("0.00")
        );
        assert!(ani.weight_for_length.is_some());
        assert_eq!(ani.status_tbu, Some(TbuCategory::Normal));
        assert!(ani.flags.is_empty());
        // Budi: 1000 days, weight only.
        assert_eq!(budi.age_days, Some(1000));
        assert_eq!(
            budi.weight_for_age.map(|z| z.to_string()).as_deref(),
            Some("0.00")
        );
        assert_eq!(budi.length_for_age, None);
        assert_eq!(budi.status_tbu, None);
        assert!(budi.flags.is_empty());
        // The bad rows say why, and nothing else is computed for them.
        assert_eq!(citra.flags[0].key, MessageKey::AnthroSexInvalid);
        assert_eq!(citra.age_days, Some(365));
        assert_eq!(citra.length_for_age, None);
        assert_eq!(dodi.flags[0].key, MessageKey::AnthroMeasuredBeforeBirth);
        let keys: Vec<MessageKey> = eka.flags.iter().map(|m| m.key).collect();
        assert_eq!(
            keys,
            vec![
                MessageKey::AnthroNumberInvalid,
                MessageKey::AnthroPositionInvalid
            ]
        );
        assert_eq!(computed.flagged(), 3);
    }

    #[test]
    fn the_csv_result_has_the_input_and_six_more_columns() {
        let computed = computed(CSV);
        let text = String::from_utf8(write_csv(&computed, Language::Id).unwrap()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "nama,jk,tgl_lahir,tgl_ukur,bb,tb,cara_ukur,umur_hari,zs_tbu,zs_bbu,zs_bbtb,status_tbu,flag"
            )
        );
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("Ani,P,2023-01-10,10/01/2024,8.9462,74.0049,berbaring,365,0.00,0.00,")
        );
        assert_eq!(
            lines.next(),
            Some("Budi,1,2022-01-01,2024-09-27,13.8057,,,1000,,0.00,,,")
        );
        assert!(lines.next().unwrap().contains("jk \"\"X\"\""), "{text}");
    }

    #[test]
    fn a_semicolon_csv_with_decimal_commas_is_read_and_old_result_columns_are_replaced() {
        let computed = computed(
            "jk;tgl_lahir;tgl_ukur;bb;tb;zs_tbu\nP;10-01-2023;10/01/2024;8,9462;74,0049;9.99\n",
        );
        assert_eq!(computed.results[0].age_days, Some(365));
        assert!(computed.results[0].flags.is_empty());
        let header: Vec<&str> = computed.header().collect();
        assert_eq!(header.iter().filter(|h| **h == "zs_tbu").count(), 1);
    }

    #[test]
    fn a_file_without_a_required_column_is_refused() {
        let table = read(b"jk,tgl_lahir,bb\nL,2024-01-01,5\n", FileFormat::Csv).unwrap();
        assert_eq!(
            compute_all(table).err(),
            Some(AnthroError::MissingColumn("tgl_ukur"))
        );
        let table = read(b"jk,tgl_lahir,tgl_ukur\n", FileFormat::Csv).unwrap();
        assert_eq!(compute_all(table).err(), Some(AnthroError::NoMeasureColumn));
        assert_eq!(read(b"", FileFormat::Csv).err(), Some(AnthroError::Empty));
        assert!(matches!(
            read(b"not a zip", FileFormat::Xlsx),
            Err(AnthroError::Unreadable { .. })
        ));
    }

    #[test]
    fn implausible_and_out_of_table_values_are_flagged_but_still_reported() {
        // A boy of one year at 40 cm: TB/U far below -6, weight-for-length below the table.
        let computed = computed("jk,tgl_lahir,tgl_ukur,bb,tb\nL,2023-01-10,2024-01-10,9,40\n");
        let result = &computed.results[0];
        assert!(result.length_for_age.unwrap().value() < -6.0);
        assert_eq!(result.status_tbu, None);
        let keys: Vec<MessageKey> = result.flags.iter().map(|m| m.key).collect();
        assert_eq!(
            keys,
            vec![
                MessageKey::AnthroLengthOutsideTable,
                MessageKey::AnthroImplausible
            ]
        );
        let flag = result.flag_text(Language::Id);
        assert!(flag.contains("TB/U"), "{flag}");
    }

    #[test]
    fn json_lines_name_every_column() {
        let computed = computed(CSV);
        let first: serde_json::Value =
            serde_json::from_str(&json_lines(&computed, Language::Id).next().unwrap()).unwrap();
        assert_eq!(first["baris"], 2);
        assert_eq!(first["nama"], "Ani");
        assert_eq!(first["umur_hari"], 365);
        assert_eq!(first["zs_tbu"], 0.0);
        assert_eq!(first["status_tbu"], "normal");
        assert_eq!(first["flag"], "");
    }
}
