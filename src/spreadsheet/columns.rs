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

/// What the template's example row says (checked against the template by its tests): a row with
/// the marker that says something else was typed over, and the reader warns that it skips it.
pub const EXAMPLE_SUB_KEGIATAN: &str = "1.02.02.2.02.0016";
pub const EXAMPLE_REKENING: &str = "5.1.02.01.01.0052";
pub const EXAMPLE_URAIAN: &str = "Pemberian makanan tambahan (PMT) lokal bagi balita gizi kurang";
pub const EXAMPLE_PAGU: i64 = 15_000_000;

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

/// The 0-based column of Excel column letters: A -> 0, AA -> 26; `None` for anything else.
pub fn column_index(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for byte in letters.bytes() {
        if !byte.is_ascii_uppercase() {
            return None;
        }
        n = n * 26 + u32::from(byte - b'A') + 1;
    }
    Some(n - 1)
}

/// A header cell reduced to what matters for matching: lower case, without spaces and
/// punctuation, common abbreviations written out (`Kode Sub Keg.` -> `kodesubkegiatan`,
/// `Vol` -> `volume`), currency noise (`Rp`, `IDR`, `Rupiah`) and years (`2024`) dropped.
pub fn normalise_header(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for token in text.split(|c: char| !c.is_alphanumeric()) {
        if token.is_empty() {
            continue;
        }
        let lower = token.to_lowercase();
        let is_year = lower.len() == 4
            && (lower.starts_with("19") || lower.starts_with("20"))
            && lower.bytes().all(|b| b.is_ascii_digit());
        if is_year {
            continue;
        }
        let written_out = match lower.as_str() {
            "rp" | "idr" | "rupiah" => continue,
            "keg" | "kegt" => "kegiatan",
            "subkeg" => "subkegiatan",
            "vol" => "volume",
            "sat" => "satuan",
            "rek" => "rekening",
            "ket" => "keterangan",
            "kd" => "kode",
            "nm" => "nama",
            "hrg" => "harga",
            "jml" | "jmlh" => "jumlah",
            "angg" => "anggaran",
            "sbr" => "sumber",
            other => other,
        };
        key.push_str(written_out);
    }
    key
}

/// The field a header names, by its normalised text (see `normalise_header`). SIPD's other
/// columns (Kode/Nama Urusan, Bidang Urusan, Program, Kegiatan, Sub Unit, Kode Sumber Dana,
/// Kode Standar Harga) name no field.
pub fn match_header(text: &str) -> Option<Field> {
    let field = match normalise_header(text).as_str() {
        "kodesubkegiatan" | "kodesubkegiatanrekening" | "kodesubkegiatankoderekening" => {
            Field::SubKegiatanKode
        }
        "namasubkegiatan" | "subkegiatan" => Field::SubKegiatanNama,
        "koderekening" | "kodeakun" | "rekening" | "koderekeningbelanja" => Field::KodeRekening,
        "uraian" | "uraianbelanja" | "rincian" | "rincianbelanja" | "komponen"
        | "uraiankomponen" | "uraiankegiatan" => Field::Uraian,
        "volume" | "koefisien" | "jumlahvolume" => Field::Volume,
        "satuan" | "satuanvolume" => Field::Satuan,
        "hargasatuan" | "harga" => Field::HargaSatuan,
        "pagu" | "jumlah" | "anggaran" | "paguanggaran" | "nilai" | "total" | "jumlahanggaran"
        | "nilaianggaran" | "nilairincian" | "totalharga" => Field::Pagu,
        "sumberdana" | "sumberpendanaan" | "dana" | "namasumberdana" => Field::SumberDana,
        "kodeintervensi" | "intervensi" => Field::Intervensi,
        "jenisintervensi" | "jenis" | "spesifiksensitif" => Field::Jenis,
        "desalokus" | "lokus" | "lokusdesa" | "kodedesa" | "desakelurahan" | "desa" => {
            Field::DesaLokus
        }
        "sasaran" | "kelompoksasaran" => Field::Sasaran,
        "targetoutput" => Field::TargetOutput,
        "satuanoutput" => Field::SatuanOutput,
        "keterangan" | "catatan" => Field::Keterangan,
        "kodeskpd" | "kodeopd" => Field::KodeOpd,
        "namaskpd" | "namaopd" => Field::NamaOpd,
        "tahun" => Field::Tahun,
        "namarekening" | "namaakun" => Field::NamaRekening,
        "namastandarharga" => Field::NamaStandarHarga,
        _ => return None,
    };
    Some(field)
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
        for column in [0, 7, 25, 26, 701, 702, 16_383] {
            assert_eq!(column_index(&column_letter(column)), Some(column));
        }
        assert_eq!(column_index(""), None);
        assert_eq!(column_index("a1"), None);
    }

    #[test]
    fn headers_are_normalised_without_case_spaces_punctuation_or_rupiah() {
        assert_eq!(normalise_header(" Kode Sub Keg. "), "kodesubkegiatan");
        assert_eq!(normalise_header("KODE_SUB_KEGIATAN"), "kodesubkegiatan");
        assert_eq!(normalise_header("Jumlah\n(Rp)"), "jumlah");
        assert_eq!(normalise_header("Harga Satuan (Rp.)"), "hargasatuan");
        assert_eq!(normalise_header("Pagu 2024"), "pagu");
        assert_eq!(normalise_header("Vol."), "volume");
        assert_eq!(normalise_header(""), "");
    }

    #[test]
    fn template_headers_match_their_own_fields() {
        for field in TEMPLATE_FIELDS {
            assert_eq!(
                match_header(field.template_header()),
                Some(field),
                "{field:?}"
            );
        }
        for field in [
            Field::KodeOpd,
            Field::NamaOpd,
            Field::Tahun,
            Field::NamaRekening,
            Field::NamaStandarHarga,
        ] {
            assert_eq!(
                match_header(field.template_header()),
                Some(field),
                "{field:?}"
            );
        }
    }

    #[test]
    fn synonyms_and_abbreviations_match() {
        let cases = [
            ("Kode Subkegiatan", Field::SubKegiatanKode),
            ("Kode Sub Keg.", Field::SubKegiatanKode),
            ("Kode Sub Kegiatan/Rekening", Field::SubKegiatanKode),
            ("Sub Kegiatan", Field::SubKegiatanNama),
            ("Nama Subkegiatan", Field::SubKegiatanNama),
            ("Kode Akun", Field::KodeRekening),
            ("Kode Rek.", Field::KodeRekening),
            ("Rekening", Field::KodeRekening),
            ("Uraian Belanja", Field::Uraian),
            ("Rincian", Field::Uraian),
            ("Komponen", Field::Uraian),
            ("Uraian Kegiatan", Field::Uraian),
            ("Vol", Field::Volume),
            ("Koefisien", Field::Volume),
            ("Jumlah Volume", Field::Volume),
            ("Sat", Field::Satuan),
            ("Satuan Volume", Field::Satuan),
            ("Harga", Field::HargaSatuan),
            ("Harga Satuan (Rp)", Field::HargaSatuan),
            ("Jumlah", Field::Pagu),
            ("Jumlah (Rp)", Field::Pagu),
            ("Anggaran", Field::Pagu),
            ("Pagu Anggaran", Field::Pagu),
            ("Nilai", Field::Pagu),
            ("TOTAL", Field::Pagu),
            ("Sumber Pendanaan", Field::SumberDana),
            ("Dana", Field::SumberDana),
            ("Nama Sumber Dana", Field::SumberDana),
            ("Intervensi", Field::Intervensi),
            ("Jenis", Field::Jenis),
            ("Spesifik/Sensitif", Field::Jenis),
            ("Lokus", Field::DesaLokus),
            ("Kode Desa", Field::DesaLokus),
            ("Desa/Kelurahan", Field::DesaLokus),
            ("Kelompok Sasaran", Field::Sasaran),
            ("Catatan", Field::Keterangan),
            ("kode_skpd", Field::KodeOpd),
            ("nama_skpd", Field::NamaOpd),
        ];
        for (header, field) in cases {
            assert_eq!(match_header(header), Some(field), "{header}");
        }
    }

    #[test]
    fn sipd_columns_that_are_not_fields_do_not_match() {
        for header in [
            "Kode Urusan",
            "Nama Urusan",
            "Kode Bidang Urusan",
            "Nama Bidang Urusan",
            "Kode Program",
            "Nama Program",
            "Kode Kegiatan",
            "Nama Kegiatan",
            "Kode Sub Unit",
            "Nama Sub Unit",
            "Kode Sumber Dana",
            "Kode Standar Harga",
            "Catatan Impor",
            "No.",
            "",
        ] {
            assert_eq!(match_header(header), None, "{header}");
        }
    }
}
