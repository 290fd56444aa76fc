//! The example workbooks under `imports/`: realistic files a newcomer can import, and proof that
//! each one imports cleanly. They are written by `write_example_imports` (run it on purpose with
//! `cargo test --test app -- --ignored write_example_imports` after changing the layout below).

use std::path::PathBuf;
use std::process::Command;

use rust_xlsxwriter::{Format, FormatAlign, Formula, Workbook};

use crate::support::{Seed, TestDb};

/// (code, uraian, sumber dana, volume, satuan, harga satuan, intervensi, desa, keterangan)
type RkaLine = (
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static str,
    f64,
    &'static str,
    &'static str,
    &'static str,
);
/// (Kode SKPD, Nama SKPD, sub kegiatan, its name, kode rekening, its name, Nama Standar Harga, pagu)
type SipdRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
);

fn imports_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("imports")
}

/// An RKA printout of Dinas Kesehatan: title rows, merged two-row header, column numbers, sub
/// kegiatan and account-level subtotal rows, formulas with cached values, money as text, the final
/// JUMLAH row and the signature block.
fn rka_dinkes() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("RKA SKPD 2.2.1").unwrap();
    let bold = Format::new().set_bold().set_align(FormatAlign::Center);
    sheet
        .merge_range(
            0,
            0,
            0,
            9,
            "RENCANA KERJA DAN ANGGARAN SATUAN KERJA PERANGKAT DAERAH",
            &bold,
        )
        .unwrap();
    sheet
        .merge_range(
            1,
            0,
            1,
            9,
            "Pemerintah Kabupaten Berau - Tahun Anggaran 2024",
            &bold,
        )
        .unwrap();
    sheet
        .write_string(
            2,
            0,
            "Urusan Pemerintahan: 1.02 Urusan Pemerintahan Bidang Kesehatan",
        )
        .unwrap();
    sheet
        .write_string(3, 0, "Organisasi: 1.02.0.00.0.00.01.0000 Dinas Kesehatan")
        .unwrap();
    let headers = [
        "Kode Rekening",
        "Uraian",
        "Rincian Perhitungan",
        "",
        "",
        "Jumlah (Rp)",
        "Sumber Dana",
        "Kode Intervensi",
        "Desa Lokus",
        "Keterangan",
    ];
    for (column, text) in headers.iter().enumerate() {
        if !text.is_empty() && column != 2 {
            sheet
                .merge_range(5, column as u16, 6, column as u16, text, &bold)
                .unwrap();
        }
    }
    sheet
        .merge_range(5, 2, 5, 4, "Rincian Perhitungan", &bold)
        .unwrap();
    for (column, text) in [(2, "Volume"), (3, "Satuan"), (4, "Harga Satuan")] {
        sheet
            .write_string_with_format(6, column, text, &bold)
            .unwrap();
    }
    // the sub kegiatan code column is the first one, as "Kode Sub Kegiatan/Rekening" in many printouts
    sheet
        .write_string_with_format(5, 0, "Kode Sub Kegiatan/Rekening", &bold)
        .unwrap();
    for column in 0..10u16 {
        sheet
            .write_number(7, column, f64::from(column + 1))
            .unwrap();
    }
    let mut row = 8u32;
    let lines: [RkaLine; 9] = [
        (
            "1.02.02.2.02.0016",
            "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat",
            "",
            0.0,
            "",
            0.0,
            "",
            "",
            "",
        ),
        (
            "5.1.02.01.01.0052",
            "Bahan PMT lokal balita gizi kurang",
            "DAK_NF_BOK",
            300.0,
            "paket",
            150_000.0,
            "SP8",
            "64.03.05.1004, 64.03.05.1005, 64.03.05.1006",
            "3 bulan",
        ),
        (
            "5.1.02.01.01.0052",
            "Bahan PMT ibu hamil KEK",
            "DAK_NF_BOK",
            120.0,
            "paket",
            175_000.0,
            "SP1",
            "64.03.05.1004, Gayam",
            "",
        ),
        (
            "5.1.02.01.01.0024",
            "Tablet tambah darah ibu hamil",
            "DAU",
            24_000.0,
            "tablet",
            350.0,
            "SP2",
            "",
            "",
        ),
        (
            "5.1.02.02.01.0026",
            "Honorarium kader posyandu",
            "DAU",
            240.0,
            "OB",
            150_000.0,
            "SP7",
            "64.03.01.2001, 64.03.02.2003",
            "",
        ),
        (
            "1.02.02.2.02.0017",
            "Pengelolaan Pelayanan Kesehatan Ibu dan Anak",
            "",
            0.0,
            "",
            0.0,
            "",
            "",
            "",
        ),
        (
            "5.1.02.01.01.0029",
            "Vaksin dan logistik imunisasi dasar lengkap",
            "DAU",
            1.0,
            "paket",
            42_500_000.0,
            "SP9",
            "",
            "",
        ),
        (
            "5.1.02.02.01.0026",
            "Konselor ASI eksklusif di puskesmas",
            "DAK_NF_BOK",
            12.0,
            "OB",
            1_250_000.0,
            "SP4",
            "",
            "",
        ),
        (
            "5.1.02.01.01.0024",
            "Tablet tambah darah remaja putri (sekolah)",
            "DAU",
            60_000.0,
            "tablet",
            350.0,
            "",
            "",
            "intervensi belum ditandai",
        ),
    ];
    let mut heading_row = None;
    let mut first_line = 0u32;
    let mut heading_total = 0.0;
    let close_heading = |sheet: &mut rust_xlsxwriter::Worksheet,
                         heading_row: Option<u32>,
                         first: u32,
                         last: u32,
                         total: f64| {
        if let Some(heading) = heading_row {
            let formula = Formula::new(format!("SUM(F{}:F{})", first + 1, last + 1))
                .set_result(total.to_string());
            sheet.write_formula(heading, 5, formula).unwrap();
        }
    };
    for (code, uraian, sumber, volume, satuan, harga, intervensi, desa, keterangan) in lines {
        if code.len() == 17 && code.starts_with("1.") {
            close_heading(sheet, heading_row, first_line, row - 1, heading_total);
            sheet.write_string(row, 0, code).unwrap();
            sheet
                .write_string(row, 1, format!("Sub Kegiatan: {uraian}"))
                .unwrap();
            heading_row = Some(row);
            heading_total = 0.0;
            row += 1;
            // an account-level heading under it, with its own sum
            sheet.write_string(row, 0, "5.1.02").unwrap();
            sheet
                .write_string(row, 1, "Belanja Barang dan Jasa")
                .unwrap();
            row += 1;
            first_line = row;
            continue;
        }
        let pagu = volume * harga;
        heading_total += pagu;
        sheet.write_string(row, 0, code).unwrap();
        sheet.write_string(row, 1, uraian).unwrap();
        sheet.write_number(row, 2, volume).unwrap();
        sheet.write_string(row, 3, satuan).unwrap();
        if row.is_multiple_of(2) {
            sheet.write_number(row, 4, harga).unwrap();
        } else {
            // money typed as text, the Indonesian way
            sheet
                .write_string(
                    row,
                    4,
                    format!(
                        "Rp {}",
                        lokus::domain::format::angka(rust_decimal::Decimal::from(harga as i64), 0)
                    ),
                )
                .unwrap();
        }
        sheet
            .write_formula(
                row,
                5,
                Formula::new(format!("C{}*{}", row + 1, harga)).set_result(pagu.to_string()),
            )
            .unwrap();
        sheet.write_string(row, 6, sumber).unwrap();
        if !intervensi.is_empty() {
            sheet.write_string(row, 7, intervensi).unwrap();
        }
        if !desa.is_empty() {
            sheet.write_string(row, 8, desa).unwrap();
        }
        if !keterangan.is_empty() {
            sheet.write_string(row, 9, keterangan).unwrap();
        }
        row += 1;
    }
    close_heading(sheet, heading_row, first_line, row - 1, heading_total);
    sheet
        .write_string_with_format(row, 1, "JUMLAH", &bold)
        .unwrap();
    sheet
        .write_formula(
            row,
            5,
            Formula::new(format!("SUM(F10:F{row})")).set_result("0"),
        )
        .unwrap();
    sheet
        .write_string(row + 2, 6, "Tanjung Redeb, 8 Januari 2024")
        .unwrap();
    sheet
        .write_string(row + 3, 6, "Kepala Dinas Kesehatan")
        .unwrap();
    sheet
        .write_string(row + 7, 6, "dr. Contoh Nama, M.Kes")
        .unwrap();
    sheet
        .write_string(row + 8, 6, "NIP. 19700101 200001 1 001")
        .unwrap();
    sheet.set_column_width(1, 48).unwrap();
    workbook.save_to_buffer().unwrap()
}

/// SIPD's flat "data anggaran" export for three OPDs: one row per rincian, no interventions.
fn sipd_export() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("data anggaran").unwrap();
    let header = crate::support::workbook::SIPD_HEADER;
    for (column, text) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *text).unwrap();
    }
    let rows: [SipdRow; 8] = [
        (
            "1.02.0.00.0.00.01.0000",
            "Dinas Kesehatan",
            "1.02.02.2.02.0016",
            "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat",
            "5.1.02.01.01.0052",
            "Belanja Bahan-Bahan Makanan",
            "Paket PMT lokal balita",
            45_000_000.0,
        ),
        (
            "1.02.0.00.0.00.01.0000",
            "Dinas Kesehatan",
            "1.02.02.2.02.0016",
            "Pengelolaan Pelayanan Kesehatan Gizi Masyarakat",
            "5.1.02.01.01.0024",
            "Belanja Obat-Obatan",
            "Tablet tambah darah",
            8_400_000.0,
        ),
        (
            "1.03.0.00.0.00.01.0000",
            "Dinas Pekerjaan Umum dan Penataan Ruang",
            "1.03.03.2.01.0004",
            "Pembangunan SPAM Jaringan Perpipaan",
            "5.2.02.01.01.0001",
            "Belanja Modal Instalasi Air Minum",
            "Perluasan jaringan perpipaan air minum",
            650_000_000.0,
        ),
        (
            "1.03.0.00.0.00.01.0000",
            "Dinas Pekerjaan Umum dan Penataan Ruang",
            "1.03.04.2.01.0005",
            "Pembangunan Sistem Pengelolaan Air Limbah Domestik",
            "5.2.02.01.01.0002",
            "Belanja Modal Instalasi Air Limbah",
            "Pembangunan tangki septik individual",
            320_000_000.0,
        ),
        (
            "1.06.0.00.0.00.01.0000",
            "Dinas Sosial",
            "1.06.06.2.01.0002",
            "Penyaluran Bantuan Sosial",
            "5.1.02.01.01.0060",
            "Belanja Bahan Pangan",
            "Bantuan pangan keluarga rentan",
            125_000_000.0,
        ),
        (
            "2.14.0.00.0.00.01.0000",
            "Dinas Pengendalian Penduduk dan Keluarga Berencana",
            "2.14.02.2.01.0003",
            "Pendampingan Keluarga Berisiko Stunting",
            "5.1.02.02.01.0026",
            "Belanja Honorarium",
            "Honor Tim Pendamping Keluarga (TPK)",
            210_000_000.0,
        ),
        (
            "2.14.0.00.0.00.01.0000",
            "Dinas Pengendalian Penduduk dan Keluarga Berencana",
            "2.14.03.2.02.0001",
            "Pelayanan KB Pascapersalinan",
            "5.1.02.01.01.0030",
            "Belanja Alat Kontrasepsi",
            "Alat kontrasepsi pascapersalinan",
            36_000_000.0,
        ),
        (
            "1.02.0.00.0.00.01.0000",
            "Dinas Kesehatan",
            "1.02.02.2.02.0017",
            "Pengelolaan Pelayanan Kesehatan Ibu dan Anak",
            "5.1.02.02.01.0026",
            "Belanja Honorarium",
            "",
            18_000_000.0,
        ),
    ];
    for (index, (skpd, nama, sub, nama_sub, rekening, nama_rekening, standar, pagu)) in
        rows.iter().enumerate()
    {
        let r = index as u32 + 1;
        let values = [
            "2024",
            &skpd[..4],
            "Urusan Pemerintahan Wajib",
            skpd,
            nama,
            skpd,
            nama,
            &sub[..4],
            "Bidang",
            &sub[..7],
            "Program",
            &sub[..12],
            "Kegiatan",
            sub,
            nama_sub,
            "1.1.01.01",
            "Dana Alokasi Umum",
            rekening,
            nama_rekening,
            "1.1.7.01.01",
            standar,
        ];
        for (column, value) in values.iter().enumerate() {
            if column == 0 {
                sheet.write_number(r, 0, 2024.0).unwrap();
            } else if !value.is_empty() {
                sheet.write_string(r, column as u16, *value).unwrap();
            }
        }
        sheet.write_number(r, 21, *pagu).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
#[ignore = "writes imports/; run on purpose after changing the examples"]
fn write_example_imports() {
    std::fs::create_dir_all(imports_dir()).unwrap();
    std::fs::write(
        imports_dir().join("rka-dinkes-berau-2024.xlsx"),
        rka_dinkes(),
    )
    .unwrap();
    std::fs::write(
        imports_dir().join("sipd-data-anggaran-berau-2024.xlsx"),
        sipd_export(),
    )
    .unwrap();
    let db = TestDb::new(Seed::Demo);
    let template =
        lokus::services::import::template_for(&mut db.connect(), "64.03", Some(2024)).unwrap();
    std::fs::write(
        imports_dir().join("templat-rencana-kerja-berau-2024.xlsx"),
        template,
    )
    .unwrap();
}

fn import(db: &TestDb, file: &str, extra: &[&str]) -> serde_json::Value {
    let path = imports_dir().join(file);
    let mut args = vec![
        "import",
        "workplan",
        path.to_str().unwrap(),
        "--year",
        "2024",
        "--json",
    ];
    args.extend_from_slice(extra);
    let output = Command::new(env!("CARGO_BIN_EXE_lokus"))
        .args(&args)
        .env("DATABASE_URL", &db.url)
        .env("LOKUS_LOG", "warn")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(output.status.code(), Some(0), "{file}: {report}");
    report
}

#[test]
fn the_example_workbooks_import_cleanly() {
    let db = TestDb::new(Seed::Demo);
    let rka = import(
        &db,
        "rka-dinkes-berau-2024.xlsx",
        &["--opd", "1.02.0.00.0.00.01.0000"],
    );
    assert_eq!(rka["rows"]["accepted"], 7, "{rka}");
    assert_eq!(rka["rows"]["rejected"], 0);
    assert!(rka["errors"].as_array().unwrap().is_empty(), "{rka}");
    assert_eq!(rka["total_pagu"], "188900000.00", "{rka}");
    assert_eq!(rka["header_row"], 6);
    assert_eq!(
        rka["skipped_by_reason"]["subtotal"], 4,
        "two sub kegiatan headings, two account headings"
    );
    assert!(
        rka["warnings"].as_array().unwrap().is_empty(),
        "the subtotals agree with their lines: {rka}"
    );
    assert_eq!(rka["pagu_by_intervensi"]["belum_ditandai"], "21000000.00");

    let sipd = import(&db, "sipd-data-anggaran-berau-2024.xlsx", &[]);
    assert_eq!(sipd["layout"], "sipd");
    assert_eq!(sipd["rows"]["accepted"], 8, "{sipd}");
    assert_eq!(sipd["opds"].as_array().unwrap().len(), 4);
    // Dinas Kesehatan's lines from SIPD replace its RKA lines: the diff says so
    assert!(sipd["diff"]["removed"].as_u64().unwrap() > 0, "{sipd}");
}
