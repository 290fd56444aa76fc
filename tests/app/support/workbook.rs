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
