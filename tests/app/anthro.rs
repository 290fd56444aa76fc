//! `lokus anthro` as a nutrition office runs it: a CSV or xlsx of measurements in, the same table with
//! WHO z-scores out, bad rows flagged in Bahasa Indonesia without stopping the others. No database.

use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};

use crate::support::cli::write_temp;

fn anthro(args: &[&str], lang: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lokus"));
    command
        .arg("anthro")
        .args(args)
        .env("LOKUS_LOG", "warn")
        .env_remove("LOKUS_LANG");
    if let Some(lang) = lang {
        command.env("LOKUS_LANG", lang);
    }
    command.output().expect("run lokus")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A girl of 365 days on both medians, a boy of 1000 days on the weight median with a standing
/// height 2.5 SD below the median, then three bad rows and a good one after them.
const MEASUREMENTS: &str = "nama,jk,tgl_lahir,tgl_ukur,bb,tb,cara_ukur\n\
    Ani,P,2023-01-10,10/01/2024,8.9462,74.0049,berbaring\n\
    Budi,1,2022-01-01,2024-09-27,13.8057,85.08,berdiri\n\
    Citra,X,2023-01-10,2024-01-10,9,74,\n\
    Dodi,L,2024-05-01,2024-04-01,9,74,\n\
    Eka,L,2023-01-10,2024-13-10,abc,74,duduk\n\
    Fani,2,2023-01-10,2024-01-10,,74.0049,\n";

#[test]
fn a_csv_gets_its_z_scores_and_each_bad_row_its_reason() {
    let input = write_temp("ukur.csv", MEASUREMENTS.as_bytes());
    let output = input.with_file_name("hasil.csv");
    let run = anthro(
        &[input.to_str().unwrap(), "-o", output.to_str().unwrap()],
        None,
    );
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("6 rows, 3 flagged"),
        "{}",
        stderr(&run)
    );

    let text = std::fs::read_to_string(&output).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "nama",
            "jk",
            "tgl_lahir",
            "tgl_ukur",
            "bb",
            "tb",
            "cara_ukur",
            "umur_hari",
            "zs_tbu",
            "zs_bbu",
            "zs_bbtb",
            "status_tbu",
            "flag"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 6);
    let column =
        |row: &[String], name: &str| row[header.iter().position(|h| h == name).unwrap()].clone();
    // Ani
    assert_eq!(column(&rows[0], "umur_hari"), "365");
    assert_eq!(column(&rows[0], "zs_tbu"), "0.00");
    assert_eq!(column(&rows[0], "zs_bbu"), "0.00");
    assert_eq!(column(&rows[0], "status_tbu"), "normal");
    assert_eq!(column(&rows[0], "flag"), "");
    // Budi: 85.08 cm standing at day 1000 is on the height table's -2.5 SD line (M 93.9706,
    // S 0.03783); no correction, since he stands at a standing age.
    let z: f64 = column(&rows[1], "zs_tbu").parse().unwrap();
    let expected = (85.08 / 93.9706 - 1.0) / 0.03783;
    assert!((z - expected).abs() <= 0.01, "{z} vs {expected}");
    assert_eq!(column(&rows[1], "status_tbu"), "pendek");
    assert_eq!(column(&rows[1], "zs_bbu"), "0.00");
    // The bad rows: empty z-scores, a reason in Indonesian.
    assert_eq!(column(&rows[2], "zs_tbu"), "");
    assert_eq!(column(&rows[2], "flag"), "jk \"X\" harus L/P atau 1/2.");
    assert_eq!(column(&rows[3], "umur_hari"), "");
    assert_eq!(
        column(&rows[3], "flag"),
        "tgl_ukur lebih awal dari tgl_lahir."
    );
    let eka = column(&rows[4], "flag");
    assert!(
        eka.contains("tgl_ukur \"2024-13-10\" bukan tanggal"),
        "{eka}"
    );
    assert!(eka.contains("bb \"abc\" bukan angka"), "{eka}");
    assert!(eka.contains("cara_ukur \"duduk\""), "{eka}");
    // A good row after the bad ones is still computed; without bb, only TB/U.
    assert_eq!(column(&rows[5], "zs_tbu"), "0.00");
    assert_eq!(column(&rows[5], "zs_bbu"), "");
    assert_eq!(column(&rows[5], "zs_bbtb"), "");
}

#[test]
fn an_xlsx_with_date_cells_comes_back_as_xlsx_with_numbers() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (column, name) in ["JK", "Tgl Lahir", "Tgl Ukur", "BB", "TB", "Cara Ukur"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    // a boy on day 730 measured standing: +0.7 cm, so 87.1018 cm reads as the length median 87.8018
    sheet.write_string(1, 0, "L").unwrap();
    sheet
        .write_datetime_with_format(1, 1, day(2022, 1, 1), &date)
        .unwrap();
    sheet
        .write_datetime_with_format(1, 2, day(2024, 1, 1), &date)
        .unwrap();
    sheet.write_number(1, 3, 12.2).unwrap();
    sheet.write_number(1, 4, 87.1018).unwrap();
    sheet.write_string(1, 5, "berdiri").unwrap();
    // a bad row: no birth date
    sheet.write_string(2, 0, "P").unwrap();
    sheet
        .write_datetime_with_format(2, 2, day(2024, 1, 1), &date)
        .unwrap();
    sheet.write_number(2, 3, 9.0).unwrap();
    // a row with an implausible length: still reported, flagged
    sheet.write_string(3, 0, "2").unwrap();
    sheet.write_string(3, 1, "10/01/2023").unwrap();
    sheet.write_string(3, 2, "2024-01-10").unwrap();
    sheet.write_number(3, 3, 9.0).unwrap();
    sheet.write_number(3, 4, 45.0).unwrap();
    let input = write_temp("ukur.xlsx", &workbook.save_to_buffer().unwrap());
    let output = input.with_file_name("hasil.xlsx");

    let run = anthro(
        &[input.to_str().unwrap(), "-o", output.to_str().unwrap()],
        None,
    );
    assert!(run.status.success(), "{}", stderr(&run));

    let mut book: Xlsx<_> = calamine::open_workbook(&output).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0][6], Data::String("umur_hari".into()));
    assert_eq!(rows[1][6], Data::Float(730.0));
    let Data::Float(z) = rows[1][7] else {
        panic!("zs_tbu is a number: {:?}", rows[1][7]);
    };
    assert!(z.abs() <= 0.01, "{z}");
    assert_eq!(rows[1][10], Data::String("normal".into()));
    assert!(matches!(rows[1][1], Data::DateTime(_)), "{:?}", rows[1][1]);
    assert_eq!(rows[2][7], Data::Empty);
    assert_eq!(rows[2][11], Data::String("tgl_lahir wajib diisi.".into()));
    let Data::String(flag) = &rows[3][11] else {
        panic!("a flag: {:?}", rows[3][11]);
    };
    assert!(flag.contains("TB/U tidak wajar"), "{flag}");
    assert!(matches!(rows[3][7], Data::Float(z) if z < -6.0));
    assert_eq!(rows[3][10], Data::Empty);
}

#[test]
fn json_prints_one_object_per_row_in_the_chosen_language() {
    let input = write_temp("ukur.csv", MEASUREMENTS.as_bytes());
    let run = anthro(&[input.to_str().unwrap(), "--json"], Some("en"));
    assert!(run.status.success(), "{}", stderr(&run));
    let stdout = String::from_utf8(run.stdout).unwrap();
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(objects.len(), 6);
    assert_eq!(objects[0]["nama"], "Ani");
    assert_eq!(objects[0]["baris"], 2);
    assert_eq!(objects[0]["zs_tbu"], 0.0);
    assert_eq!(objects[2]["zs_tbu"], serde_json::Value::Null);
    assert_eq!(objects[2]["flag"], "jk \"X\" must be L/P or 1/2.");
}

#[test]
fn a_file_it_cannot_use_is_refused_with_exit_code_2_and_nothing_written() {
    let missing_column = write_temp("ukur.csv", b"jk,tgl_lahir,bb\nL,2024-01-01,5\n");
    let output = missing_column.with_file_name("hasil.csv");
    let run = anthro(
        &[
            missing_column.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("no tgl_ukur column"),
        "{}",
        stderr(&run)
    );
    assert!(!output.exists());

    let not_xlsx = write_temp("ukur.xlsx", b"jk,tgl_lahir\n");
    let run = anthro(&[not_xlsx.to_str().unwrap(), "--json"], None);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("cannot be read as xlsx"),
        "{}",
        stderr(&run)
    );

    let wrong_kind = write_temp("ukur.txt", b"x");
    let run = anthro(&[wrong_kind.to_str().unwrap(), "--json"], None);
    assert_eq!(run.status.code(), Some(2));

    let no_output = write_temp("ukur.csv", MEASUREMENTS.as_bytes());
    let run = anthro(&[no_output.to_str().unwrap()], None);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("-o"), "{}", stderr(&run));
}
