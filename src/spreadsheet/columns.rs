//! The columns of a workplan workbook: which fields lokus knows, what lokus's own template calls
//! them, and how a cell is named in messages (sheet, row, column letter). Shared by the reader,
//! the template writer and the error workbook so that all three speak of the same columns.

/// A field of a budget line, or a column of SIPD's flat export that carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    SubKegiatanKode,
    SubKegiatanNama,
    KodeRekening,
    Uraian,
    Volume,
    Satuan,
    HargaSatuan,
    Pagu,
    SumberDana,
    Intervensi,
    Jenis,
    DesaLokus,
    Sasaran,
    TargetOutput,
    SatuanOutput,
    Keterangan,
    /// SIPD flat export: the unit (SKPD) a row belongs to.
    KodeOpd,
    NamaOpd,
    Tahun,
    /// SIPD flat export: uraian falls back to the account name when there is no Nama Standar Harga.
    NamaRekening,
    NamaStandarHarga,
}

/// The columns of lokus's own template, in order.
pub const TEMPLATE_FIELDS: [Field; 16] = [
    Field::SubKegiatanKode,
    Field::SubKegiatanNama,
    Field::KodeRekening,
    Field::Uraian,
    Field::Volume,
    Field::Satuan,
    Field::HargaSatuan,
    Field::Pagu,
    Field::SumberDana,
    Field::Intervensi,
    Field::Jenis,
    Field::DesaLokus,
    Field::Sasaran,
    Field::TargetOutput,
    Field::SatuanOutput,
    Field::Keterangan,
];

/// The template's example row carries this in its Keterangan; the reader skips such a row.
pub const EXAMPLE_MARKER: &str = "CONTOH - hapus atau timpa baris ini";

impl Field {
    /// The header lokus's template writes for this field.
    pub fn template_header(self) -> &'static str {
        match self {
            Field::SubKegiatanKode => "Kode Sub Kegiatan",
            Field::SubKegiatanNama => "Nama Sub Kegiatan",
            Field::KodeRekening => "Kode Rekening",
            Field::Uraian => "Uraian",
            Field::Volume => "Volume",
            Field::Satuan => "Satuan",
            Field::HargaSatuan => "Harga Satuan",
            Field::Pagu => "Pagu",
            Field::SumberDana => "Sumber Dana",
            Field::Intervensi => "Kode Intervensi",
            Field::Jenis => "Jenis Intervensi",
            Field::DesaLokus => "Desa Lokus",
            Field::Sasaran => "Sasaran",
            Field::TargetOutput => "Target Output",
            Field::SatuanOutput => "Satuan Output",
            Field::Keterangan => "Keterangan",
            Field::KodeOpd => "Kode SKPD",
            Field::NamaOpd => "Nama SKPD",
            Field::Tahun => "Tahun",
            Field::NamaRekening => "Nama Rekening",
            Field::NamaStandarHarga => "Nama Standar Harga",
        }
    }

    /// The field's name in messages and in the JSON report (`"field": "pagu"`).
    pub fn key(self) -> &'static str {
        match self {
            Field::SubKegiatanKode => "sub_kegiatan_kode",
            Field::SubKegiatanNama => "sub_kegiatan_nama",
            Field::KodeRekening => "kode_rekening",
            Field::Uraian => "uraian",
            Field::Volume => "volume",
            Field::Satuan => "satuan",
            Field::HargaSatuan => "harga_satuan",
            Field::Pagu => "pagu",
            Field::SumberDana => "sumber_dana",
            Field::Intervensi => "intervensi",
            Field::Jenis => "jenis",
            Field::DesaLokus => "desa_lokus",
            Field::Sasaran => "sasaran",
            Field::TargetOutput => "target_output",
            Field::SatuanOutput => "satuan_output",
            Field::Keterangan => "keterangan",
            Field::KodeOpd => "kode_opd",
            Field::NamaOpd => "nama_opd",
            Field::Tahun => "tahun",
            Field::NamaRekening => "nama_rekening",
            Field::NamaStandarHarga => "nama_standar_harga",
        }
    }
}

/// How much a problem weighs: an error blocks the commit, a warning is shown and allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// Excel's column letters for a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA.
pub fn column_letter(column: u32) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_run_like_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(7), "H");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
