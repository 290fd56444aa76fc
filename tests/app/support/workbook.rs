//! Workbooks the tests build: a sheet of rows, each cell text or a number.

use rust_xlsxwriter::{Formula, Workbook};

#[derive(Debug, Clone)]
pub enum V {
    T(&'static str),
    S(String),
    N(f64),
    /// A formula with its cached result, as Excel saves it.
    F(&'static str, &'static str),
    E,
}

pub fn xlsx(rows: &[Vec<V>]) -> Vec<u8> {
    xlsx_sheets(&[("Sheet1", rows)])
}

pub fn xlsx_sheets(sheets: &[(&str, &[Vec<V>])]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match value {
                    V::T(text) => {
                        sheet.write_string(r, c, *text).unwrap();
                    }
                    V::S(text) => {
                        sheet.write_string(r, c, text).unwrap();
                    }
                    V::N(number) => {
                        sheet.write_number(r, c, *number).unwrap();
                    }
                    V::F(formula, result) => {
                        sheet
                            .write_formula(r, c, Formula::new(*formula).set_result(*result))
                            .unwrap();
                    }
                    V::E => {}
                }
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// The template's header row.
pub fn header() -> Vec<V> {
    lokus::spreadsheet::columns::TEMPLATE_FIELDS
        .iter()
        .map(|field| V::T(field.template_header()))
        .collect()
}

/// A template-layout line: sub kegiatan, rekening, uraian, volume, harga, pagu, sumber, intervensi, desa.
#[expect(
    clippy::too_many_arguments,
    reason = "a line reads best as its columns, in order"
)]
pub fn line(
    sub: &'static str,
    rekening: &'static str,
    uraian: &'static str,
    volume: f64,
    harga: f64,
    pagu: f64,
    sumber: &'static str,
    intervensi: &'static str,
    desa: &'static str,
) -> Vec<V> {
    let text = |value: &'static str| if value.is_empty() { V::E } else { V::T(value) };
    vec![
        V::T(sub),
        V::T("Pengelolaan Pelayanan Kesehatan Gizi Masyarakat"),
        text(rekening),
        V::T(uraian),
        V::N(volume),
        V::T("paket"),
        V::N(harga),
        V::N(pagu),
        text(sumber),
        text(intervensi),
        V::E,
        text(desa),
        V::E,
        V::E,
        V::E,
        V::E,
    ]
}

/// The header row of SIPD's flat "data anggaran" export, column by column.
pub const SIPD_HEADER: [&str; 22] = [
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

/// A downloaded realisation form, read back to be filled in as an officer would: its sheet's
/// rows as cells, each column found by its header, and written again as a workbook to upload.
pub struct FilledForm {
    header: Vec<String>,
    pub rows: Vec<Vec<V>>,
}

impl FilledForm {
    /// The form's `Realisasi` sheet (numbers as numbers, everything else as its text).
    pub fn read(bytes: &[u8]) -> FilledForm {
        use calamine::{Data, Reader};
        let mut workbook: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
                .expect("the form opens");
        let sheet = workbook.worksheet_range("Realisasi").expect("its sheet");
        let header = sheet
            .rows()
            .next()
            .expect("a header")
            .iter()
            .map(ToString::to_string)
            .collect();
        let rows = sheet
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Data::Float(value) => V::N(*value),
                        Data::Int(value) => V::N(*value as f64),
                        Data::Empty => V::E,
                        other => V::S(other.to_string()),
                    })
                    .collect()
            })
            .collect();
        FilledForm { header, rows }
    }

    /// The 0-based column of a header ("Keuangan Januari").
    pub fn column(&self, title: &str) -> usize {
        self.header
            .iter()
            .position(|header| header == title)
            .unwrap_or_else(|| panic!("no column {title} in {:?}", self.header))
    }

    /// The row of the line with this id.
    pub fn row_of_line(&self, line_id: i64) -> usize {
        let column = self.column("ID baris");
        self.rows
            .iter()
            .position(|row| matches!(row[column], V::N(id) if id == line_id as f64))
            .unwrap_or_else(|| panic!("no line {line_id} in the form"))
    }

    /// The row whose uraian starts with `text`.
    pub fn row_of_uraian(&self, text: &str) -> usize {
        let column = self.column("Uraian");
        self.rows
            .iter()
            .position(|row| matches!(&row[column], V::S(uraian) if uraian.starts_with(text)))
            .unwrap_or_else(|| panic!("no line {text} in the form"))
    }

    /// The line id of a row.
    pub fn line_id(&self, row: usize) -> i64 {
        match self.rows[row][self.column("ID baris")] {
            V::N(id) => id as i64,
            ref other => panic!("the line id is a number, not {other:?}"),
        }
    }

    /// Types `figures` into a row: (header, value) each.
    pub fn fill(&mut self, row: usize, figures: &[(&str, f64)]) -> &mut FilledForm {
        for (title, value) in figures {
            let column = self.column(title);
            self.rows[row][column] = V::N(*value);
        }
        self
    }

    /// The filled form as a workbook, its sheet named as lokus names it.
    pub fn to_xlsx(&self) -> Vec<u8> {
        xlsx_sheets(&[("Realisasi", &self.rows)])
    }
}
