//! The demo district: Kabupaten Berau (64.03), fiscal year 2024, real OPD unit codes, 16 real
//! desa/kelurahan designated lokus, and one account per role, all with the password `lokus-demo`.
//! Loaded through the same set-up services an admin uses, so it is audited like any other change.
//! Other capabilities add their demo data here as they land.

use diesel::prelude::*;

use crate::db::district;
use crate::services::activity_log::Actor;
use crate::services::error::ServiceError;
use crate::services::setup::{self, OpdInput, TahunInput, UserInput};

pub const KODE_KABKOTA: &str = "64.03";
pub const TAHUN: i16 = 2024;
pub const PASSWORD: &str = "lokus-demo";

/// (kode, nama, singkatan): SIPD-style unit codes.
pub const OPDS: [(&str, &str, &str); 5] = [
    ("1.02.0.00.0.00.01.0000", "Dinas Kesehatan", "Dinkes"),
    (
        "1.03.0.00.0.00.01.0000",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "PUPR",
    ),
    ("1.06.0.00.0.00.01.0000", "Dinas Sosial", "Dinsos"),
    (
        "2.14.0.00.0.00.01.0000",
        "Dinas Pengendalian Penduduk dan Keluarga Berencana",
        "DPPKB",
    ),
    (
        "5.01.0.00.0.00.01.0000",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "Bappelitbang",
    ),
];

/// Real desa/kelurahan of Berau from the kode wilayah list. The selection is illustrative: it is
/// not Berau's official lokus decree.
pub const LOKUS_DESA: [&str; 16] = [
    "64.03.05.1004",
    "64.03.05.1005",
    "64.03.05.1006",
    "64.03.01.2001",
    "64.03.02.2003",
    "64.03.05.1003",
    "64.03.03.1013",
    "64.03.03.2001",
    "64.03.04.2001",
    "64.03.06.2001",
    "64.03.06.1003",
    "64.03.07.2003",
    "64.03.08.2001",
    "64.03.09.1003",
    "64.03.09.2001",
    "64.03.12.2003",
];

/// (email, nama, role, OPD code)
pub const ACCOUNTS: [(&str, &str, &str, &str); 6] = [
    ("admin@berau.demo", "Sekretariat TPPS Berau", "admin", ""),
    (
        "dinkes@berau.demo",
        "Bendahara Dinas Kesehatan",
        "opd",
        "1.02.0.00.0.00.01.0000",
    ),
    ("bupati@berau.demo", "Kantor Bupati Berau", "pimpinan", ""),
    ("baas@berau.demo", "Meja BAAS DPPKB", "baas", ""),
    ("sponsor1@berau.demo", "Bapak Asuh Satu", "sponsor", ""),
    ("sponsor2@berau.demo", "Bunda Asuh Dua", "sponsor", ""),
];

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "Kabupaten Berau (64.03) is already in this database; the demo district was not loaded again"
    )]
    AlreadyLoaded,
    #[error(transparent)]
    Setup(#[from] ServiceError),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error("demo workplan {0}: {1}")]
    Workplan(&'static str, String),
    #[error("demo realisation: {0}")]
    Realisation(String),
    #[error("demo BAAS: {0}")]
    Baas(String),
}

/// Loads the demo district in one transaction.
pub fn load(conn: &mut PgConnection) -> Result<(), DemoError> {
    conn.transaction(|conn| {
        if district::find_district(conn, KODE_KABKOTA)?.is_some() {
            return Err(DemoError::AlreadyLoaded);
        }
        let actor = Actor {
            label: "demo".to_owned(),
            ..Actor::cli()
        }
        .in_district(KODE_KABKOTA);
        setup::add_district(conn, &actor, KODE_KABKOTA, true)?;
        setup::create_tahun(
            conn,
            &actor,
            KODE_KABKOTA,
            &TahunInput {
                tahun: TAHUN.to_string(),
                prevalensi_baseline: "25,1".into(),
                sumber_baseline: "SSGI 2022 (angka contoh untuk demo)".into(),
                prevalensi_target: "14".into(),
                terkunci: None,
            },
        )?;
        setup::add_lokus(conn, &actor, KODE_KABKOTA, TAHUN, &LOKUS_DESA.join(","))?;
        for (kode, nama, singkatan) in OPDS {
            let input = OpdInput {
                kode: kode.into(),
                nama: nama.into(),
                singkatan: singkatan.into(),
                aktif: Some("on".into()),
            };
            setup::create_opd(conn, &actor, KODE_KABKOTA, &input)?;
        }
        for (email, nama, role, opd) in ACCOUNTS {
            let input = UserInput {
                email: email.into(),
                nama: nama.into(),
                role: role.into(),
                opd: opd.into(),
                password: PASSWORD.into(),
            };
            setup::create_user(conn, &actor, KODE_KABKOTA, &input)?;
        }
        Ok(())
    })
}

/// The demo workplans: the example workbooks under `imports/`, imported as the OPDs would, so the
/// demo shows tagged and untagged lines, lokus desa links and the import history.
const WORKPLANS: [(&str, &str, &[u8]); 4] = [
    (
        "1.02.0.00.0.00.01.0000",
        "rka-dinkes-berau-2024.xlsx",
        include_bytes!("../../imports/rka-dinkes-berau-2024.xlsx"),
    ),
    (
        "1.03.0.00.0.00.01.0000",
        "sipd-data-anggaran-berau-2024.xlsx",
        include_bytes!("../../imports/sipd-data-anggaran-berau-2024.xlsx"),
    ),
    (
        "1.06.0.00.0.00.01.0000",
        "sipd-data-anggaran-berau-2024.xlsx",
        include_bytes!("../../imports/sipd-data-anggaran-berau-2024.xlsx"),
    ),
    (
        "2.14.0.00.0.00.01.0000",
        "sipd-data-anggaran-berau-2024.xlsx",
        include_bytes!("../../imports/sipd-data-anggaran-berau-2024.xlsx"),
    ),
];

/// Imports the demo workplans into the demo district (after `load`).
pub fn load_workplans(conn: &mut PgConnection) -> Result<(), DemoError> {
    use crate::services::import::{
        CommitOptions, ImportKind, ImportRequest, Silent, Tahapan, import_now,
    };
    let actor = Actor {
        label: "demo".to_owned(),
        ..Actor::cli()
    }
    .in_district(KODE_KABKOTA);
    conn.transaction(|conn| {
        for (opd_kode, file_name, bytes) in WORKPLANS {
            let unit = crate::db::opd::find_by_kode(conn, KODE_KABKOTA, opd_kode)?.ok_or(
                DemoError::Workplan(file_name, format!("OPD {opd_kode} missing")),
            )?;
            let request = ImportRequest {
                kind: ImportKind::Workplan,
                kode_kabkota: KODE_KABKOTA.to_owned(),
                tahun: TAHUN,
                tahapan: Tahapan::Murni,
                opd_id: Some(unit.id),
                sheet: None,
                create_opds: false,
                file_name: file_name.to_owned(),
                max_rows: usize::MAX,
                rules: Default::default(),
            };
            let report = import_now(
                conn,
                &actor,
                &request,
                bytes,
                false,
                &CommitOptions::default(),
                &Silent,
            )
            .map_err(|error| DemoError::Workplan(file_name, error.to_string()))?;
            if report.status != "committed" {
                let first = report
                    .errors
                    .first()
                    .map(|issue| issue.message.render_default())
                    .unwrap_or_default();
                return Err(DemoError::Workplan(file_name, format!("rejected: {first}")));
            }
        }
        load_realisation(conn, &actor)
    })
}

/// Share of a line's pagu spent in each month, per mille: a slow first triwulan (6 %), most of the
/// money in triwulan III and IV (33 % and 40 %), 95 % by December.
pub const REALISATION_CURVE: [u32; 12] = [10, 20, 30, 50, 60, 80, 90, 100, 110, 120, 130, 150];

/// A year of realisation for the demo workplans, entered the way an OPD's finance officer enters
/// it: lokus writes each OPD's realisation form, the form is filled (most lines follow the curve,
/// every fourth is behind at 40 % of it, every seventh has not started; whole rupiah, rounded
/// down, so no line passes its pagu) and imported through the realisation import.
fn load_realisation(conn: &mut PgConnection, actor: &Actor) -> Result<(), DemoError> {
    use crate::services::import::{
        CommitOptions, ImportRequest, Silent, import_now, realisation_form,
    };
    use crate::spreadsheet::realisasi_form::realisasi_form;
    use rust_decimal::Decimal;
    let mut units: Vec<&str> = WORKPLANS.iter().map(|(kode, _, _)| *kode).collect();
    units.dedup();
    for opd_kode in units {
        let Some(unit) = crate::db::opd::find_by_kode(conn, KODE_KABKOTA, opd_kode)? else {
            continue;
        };
        let (header, mut lines) = realisation_form(conn, &unit, TAHUN, 1, 12)?;
        for (index, line) in lines.iter_mut().enumerate() {
            if index % 7 == 6 {
                continue;
            }
            let pace = if index % 4 == 3 { 40u32 } else { 100 };
            let share = |per_mille: u32| Decimal::from(per_mille * pace) / Decimal::from(100_000);
            for (month, per_mille) in REALISATION_CURVE.iter().enumerate() {
                line.months[month] = Some((
                    (line.pagu * share(*per_mille)).floor(),
                    line.target_output
                        .map(|target| (target * share(*per_mille)).round_dp(2)),
                ));
            }
        }
        let file_name = format!("realisasi-{}-{TAHUN}.xlsx", unit.kode);
        let bytes = realisasi_form(&header, &lines)
            .map_err(|error| DemoError::Realisation(error.to_string()))?;
        let request = ImportRequest {
            opd_id: Some(unit.id),
            ..ImportRequest::realisasi(KODE_KABKOTA, TAHUN, &file_name)
        };
        let report = import_now(
            conn,
            actor,
            &request,
            &bytes,
            false,
            &CommitOptions::default(),
            &Silent,
        )
        .map_err(|error| DemoError::Realisation(error.to_string()))?;
        if report.status != "committed" {
            let first = report
                .errors
                .first()
                .map(|issue| issue.message.render_default())
                .unwrap_or_default();
            return Err(DemoError::Realisation(format!(
                "{file_name} rejected: {first}"
            )));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// BAAS (helper "baas-import")

/// The demo's sponsors: (nama, jenis, kontak, children pledged, login). Six months at
/// Rp 450,000 per child, the BKKBN amount. The people and firms are made up.
pub const SPONSORS: [(&str, &str, &str, i32, Option<&str>); 5] = [
    (
        "dr. Hendra Wijaya",
        "perorangan",
        "0812-5500-1001",
        6,
        Some("sponsor1@berau.demo"),
    ),
    (
        "PT Sinar Berau Lestari (CSR)",
        "perusahaan",
        "csr@sinarberau.example",
        8,
        Some("sponsor2@berau.demo"),
    ),
    ("Kodim 0902/Berau", "tni_polri", "0554-21000", 6, None),
    (
        "Ikatan Bidan Indonesia Cabang Berau",
        "lembaga",
        "ibi.berau@example.org",
        3,
        None,
    ),
    (
        "Dharma Wanita Persatuan Kabupaten Berau",
        "instansi",
        "0554-22000",
        4,
        None,
    ),
];

/// The demo's children: 30.
pub const BAAS_CHILDREN: usize = 30;
/// Children left without a sponsor, so the desk's list shows some waiting.
const UNASSIGNED: [usize; 4] = [7, 15, 22, 29];
const BAAS_RUPIAH: i64 = 450_000;

const FIRST_NAMES_L: [&str; 15] = [
    "Muhammad Rizky",
    "Ahmad Fauzan",
    "Arkan Pratama",
    "Rafif Alfarizi",
    "Dimas Saputra",
    "Fathan Hakim",
    "Alif Ramadhan",
    "Bima Nugraha",
    "Zidan Maulana",
    "Rendi Kurniawan",
    "Yusuf Habibi",
    "Gilang Permana",
    "Azka Firdaus",
    "Naufal Aditya",
    "Raka Wijaya",
];
const FIRST_NAMES_P: [&str; 15] = [
    "Siti Aisyah",
    "Nur Azizah",
    "Putri Ramadhani",
    "Aulia Zahra",
    "Keisha Amelia",
    "Nayla Safitri",
    "Alya Khairunnisa",
    "Salsabila Putri",
    "Zahra Maharani",
    "Citra Lestari",
    "Annisa Rahma",
    "Dinda Pertiwi",
    "Khanza Azzahra",
    "Laila Fitriani",
    "Naura Syifa",
];
const MOTHERS: [&str; 10] = [
    "Rahmawati",
    "Sri Wahyuni",
    "Nurhayati",
    "Fitriani",
    "Marlina",
    "Yuliana",
    "Hasnah",
    "Rosmiati",
    "Dewi Sartika",
    "Kartini",
];

/// One demo child: what its row of the e-PPGBM-like sheet holds, and how it grows.
struct DemoChild {
    nama: String,
    sex: crate::domain::growth::Sex,
    lahir: chrono::NaiveDate,
    kode_desa: &'static str,
    nik: String,
    ibu: &'static str,
    /// Monthly measurements: (date, TB/U z-score it follows).
    months: Vec<(chrono::NaiveDate, f64)>,
}

fn demo_children() -> Vec<DemoChild> {
    use crate::domain::growth::Sex;
    use chrono::{Datelike, NaiveDate};
    (0..BAAS_CHILDREN)
        .map(|i| {
            let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
            let nama = if sex == Sex::Male {
                FIRST_NAMES_L[i / 2 % 15]
            } else {
                FIRST_NAMES_P[i / 2 % 15]
            }
            .to_owned();
            // born between January 2022 and July 2023: 6 to 31 months old in 2024
            let lahir = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default()
                + chrono::Duration::days((i as i64 * 577) % 560);
            let kode_desa = LOKUS_DESA[i % LOKUS_DESA.len()];
            // NIK: the kecamatan, the birth date (day + 40 for girls), a serial
            let kecamatan: String = kode_desa[..8].replace('.', "");
            let day = lahir.day() + if sex == Sex::Female { 40 } else { 0 };
            let nik = format!(
                "{kecamatan}{day:02}{:02}{:02}{:04}",
                lahir.month(),
                lahir.year() % 100,
                1 + i
            );
            // 4 to 8 monthly measurements ending in August 2024; a third improve with the aid,
            // a third hold, a third keep falling behind
            let count = 4 + i % 5;
            let start_z = -3.1 + (i % 6) as f64 * 0.22;
            let step = match i % 3 {
                0 => 0.18,
                1 => 0.02,
                _ => -0.07,
            };
            let months = (0..count)
                .map(|k| {
                    let month = 8 - (count - 1 - k) as u32;
                    let day = 5 + (i as u32 % 20);
                    let date = NaiveDate::from_ymd_opt(2024, month, day).unwrap_or_default();
                    (date, start_z + step * k as f64)
                })
                .collect();
            DemoChild {
                nama,
                sex,
                lahir,
                kode_desa,
                nik,
                ibu: MOTHERS[i % MOTHERS.len()],
                months,
            }
        })
        .collect()
}

/// A measurement on the WHO curve at z: the length (standing from day 731, with its position
/// written on every other child) and a weight for that length.
fn demo_measure(
    child: &DemoChild,
    date: chrono::NaiveDate,
    z: f64,
) -> Option<(
    rust_decimal::Decimal,
    rust_decimal::Decimal,
    Option<crate::domain::growth::Position>,
)> {
    use crate::domain::growth::{self, Position};
    use rust_decimal::Decimal;
    let age = growth::age_in_days(child.lahir, date)?;
    let length = growth::length_at_z(child.sex, age, z)?;
    // a body-mass index near 16, as under-fives have
    let weight = 16.0 * (length / 100.0).powi(2);
    let position =
        (child.nik.ends_with(['0', '2', '4', '6', '8'])).then(|| Position::expected_at(age));
    Some((
        Decimal::from_f64_retain(weight)?.round_dp(1),
        Decimal::from_f64_retain(length)?.round_dp(1),
        position,
    ))
}

/// BAAS for the demo (after `load`; in one transaction): the sponsors (two with the sponsor logins)
/// through the sponsors import, 30 children in the lokus desa
/// entered through the children import (a workbook written in memory, as the desk uploads an
/// e-PPGBM list, carrying each child's latest measurement), the earlier months of measurements
/// through `record_measurement`, assignments (all but four children), a delivery for each month
/// of aid so far and a payment or two per sponsor. Deterministic: the same data every time.
pub fn load_baas(conn: &mut PgConnection) -> Result<(), DemoError> {
    let actor = Actor {
        label: "demo".to_owned(),
        ..Actor::cli()
    }
    .in_district(KODE_KABKOTA);
    conn.transaction(|conn| load_baas_as(conn, &actor))
}

fn load_baas_as(conn: &mut PgConnection, actor: &Actor) -> Result<(), DemoError> {
    use crate::domain::Scope;
    use crate::domain::baas::{MeasuredBy, Paket};
    use crate::services::baas::{
        self, AssignmentInput, DeliveryInput, MeasurementInput, PaymentInput,
    };
    use crate::services::import::{CommitOptions, ImportRequest, Silent, import_now};
    use crate::table::{Cell, Table};
    use chrono::{Datelike, NaiveDate};
    use rust_decimal::Decimal;
    let fail = |error: ServiceError| DemoError::Baas(error.to_string());
    let scope = Scope::district(KODE_KABKOTA);
    let today = chrono::Utc::now().date_naive();
    // the sponsors' list, as the desk keeps it in a workbook, through the sponsors import
    let headers: Vec<&str> = crate::services::import::BAAS_SPONSOR_HEADERS
        .iter()
        .map(|(_, header)| *header)
        .collect();
    let mut sheet = Table::new(&headers);
    for (nama, jenis, kontak, anak, login) in SPONSORS {
        sheet.push(
            vec![
                Cell::text(nama),
                Cell::text(jenis),
                Cell::text(kontak),
                Cell::Int(i64::from(anak)),
                Cell::Int(6),
                Cell::Money(Decimal::from(BAAS_RUPIAH)),
                Cell::opt_text(login),
            ],
            None,
        );
    }
    let bytes = crate::spreadsheet::write::table_workbook("Sponsor", &sheet, "ya", "tidak")
        .map_err(|error| DemoError::Baas(error.to_string()))?;
    let file_name = format!("sponsor-baas-berau-{TAHUN}.xlsx");
    let request = ImportRequest::baas_sponsor(KODE_KABKOTA, TAHUN, &file_name);
    let report = import_now(
        conn,
        actor,
        &request,
        &bytes,
        false,
        &CommitOptions::default(),
        &Silent,
    )
    .map_err(fail)?;
    if report.status != "committed" {
        let first = report
            .errors
            .first()
            .map(|issue| format!("row {}: {}", issue.row, issue.message.render_default()))
            .unwrap_or_default();
        return Err(DemoError::Baas(format!("{file_name} rejected: {first}")));
    }
    let sponsor_ids: Vec<i32> = report
        .baas
        .sponsor_rows
        .iter()
        .filter_map(|row| row.sponsor_id)
        .collect();
    if sponsor_ids.len() != SPONSORS.len() {
        return Err(DemoError::Baas("sponsors missing after the import".into()));
    }

    // the children's list as the desk gets it from the puskesmas: one row each, latest measure
    let children = demo_children();
    let headers: Vec<&str> = crate::services::import::BAAS_ANAK_HEADERS
        .iter()
        .map(|(_, header)| *header)
        .collect();
    let mut sheet = Table::new(&headers);
    for (index, child) in children.iter().enumerate() {
        let (date, z) = *child
            .months
            .last()
            .ok_or(DemoError::Baas("no months".into()))?;
        let (bb, tb, position) =
            demo_measure(child, date, z).ok_or(DemoError::Baas("outside WHO".into()))?;
        sheet.push(
            vec![
                Cell::text(&child.nik),
                Cell::text(&child.nama),
                Cell::text(child.sex.as_str()),
                Cell::text(child.lahir.format("%d/%m/%Y").to_string()),
                Cell::text(child.ibu),
                // half by kode wilayah, half by name, as lists come
                Cell::text(if index % 2 == 0 {
                    child.kode_desa.to_owned()
                } else {
                    crate::db::wilayah::find_by_kode(conn, child.kode_desa)?
                        .map_or_else(|| child.kode_desa.to_owned(), |row| row.nama)
                }),
                Cell::text(format!("Posyandu Melati {}", 1 + index % 6)),
                Cell::text(date.format("%d/%m/%Y").to_string()),
                Cell::Number(bb),
                Cell::Number(tb),
                Cell::opt_text(position.map(|p| p.as_str())),
                Cell::Empty,
                Cell::Empty,
                Cell::text(if index % 3 == 0 { "KRS" } else { "" }),
            ],
            None,
        );
    }
    let bytes = crate::spreadsheet::write::table_workbook("Anak", &sheet, "ya", "tidak")
        .map_err(|error| DemoError::Baas(error.to_string()))?;
    let file_name = format!("anak-baas-berau-{TAHUN}.xlsx");
    let request = ImportRequest::baas_anak(KODE_KABKOTA, TAHUN, &file_name);
    let report = import_now(
        conn,
        actor,
        &request,
        &bytes,
        false,
        &CommitOptions::default(),
        &Silent,
    )
    .map_err(fail)?;
    if report.status != "committed" {
        let first = report
            .errors
            .first()
            .map(|issue| format!("row {}: {}", issue.row, issue.message.render_default()))
            .unwrap_or_default();
        return Err(DemoError::Baas(format!("{file_name} rejected: {first}")));
    }
    let ids: Vec<i32> = report
        .baas
        .rows
        .iter()
        .filter_map(|row| row.child_id)
        .collect();
    if ids.len() != children.len() {
        return Err(DemoError::Baas("children missing after the import".into()));
    }

    // the earlier months, as the TPK enters them one by one
    for (child, id) in children.iter().zip(&ids) {
        for (date, z) in &child.months[..child.months.len() - 1] {
            let Some((bb, tb, position)) = demo_measure(child, *date, *z) else {
                continue;
            };
            baas::record_measurement(
                conn,
                actor,
                &scope,
                MeasurementInput {
                    child_id: *id,
                    tanggal: *date,
                    bb: Some(bb),
                    tb: Some(tb),
                    cara_ukur: position,
                    oleh: MeasuredBy::Tpk,
                },
                today,
            )
            .map_err(fail)?;
        }
    }

    // sponsors take children in turn up to their pledge; aid starts with the first measurement
    let mut places: Vec<usize> = Vec::new();
    for (index, (_, _, _, anak, _)) in SPONSORS.iter().enumerate() {
        places.extend(std::iter::repeat_n(index, *anak as usize));
    }
    let mut next = 0;
    let mut months_by_sponsor = vec![0i64; sponsor_ids.len()];
    let pakets = [
        Paket::Pmt,
        Paket::Pmt,
        Paket::Sanitasi,
        Paket::Pmt,
        Paket::Kie,
    ];
    for (index, (child, id)) in children.iter().zip(&ids).enumerate() {
        if UNASSIGNED.contains(&index) || next >= places.len() {
            continue;
        }
        let sponsor_id = sponsor_ids[places[next]];
        next += 1;
        let first = child.months[0].0;
        let mulai = NaiveDate::from_ymd_opt(first.year(), first.month(), 1).unwrap_or(first);
        let assignment = baas::assign(
            conn,
            actor,
            &scope,
            AssignmentInput {
                sponsor_id,
                child_id: *id,
                mulai,
                bulan_rencana: 6,
                paket: pakets[index % pakets.len()],
                rupiah_per_bulan: Decimal::from(BAAS_RUPIAH),
            },
        )
        .map_err(fail)?;
        // aid delivered each month from the start to August 2024 (at most the six planned),
        // except that every fifth child missed one month
        let months = (8 - mulai.month() as i64 + 1).clamp(1, 6);
        for k in 0..months {
            if index % 5 == 4 && k == 1 {
                continue;
            }
            let tanggal =
                NaiveDate::from_ymd_opt(2024, mulai.month() + k as u32, 20).unwrap_or(mulai);
            baas::record_delivery(
                conn,
                actor,
                &scope,
                DeliveryInput {
                    assignment_id: assignment.id,
                    tanggal,
                    barang: "PMT protein hewani: telur, ikan, susu (30 hari)".to_owned(),
                    nilai: Decimal::from(BAAS_RUPIAH),
                    oleh: "TPK Desa".to_owned(),
                    catatan: String::new(),
                },
                today,
            )
            .map_err(fail)?;
        }
        months_by_sponsor[places[next - 1]] += months;
    }
    // each sponsor paid for the months delivered so far, in one or two transfers
    for (sponsor_id, months) in sponsor_ids.iter().zip(&months_by_sponsor) {
        if *months == 0 {
            continue;
        }
        let owed = Decimal::from(BAAS_RUPIAH) * Decimal::from(*months);
        let first = (owed / Decimal::from(2)).floor();
        for (tanggal, jumlah) in [
            (NaiveDate::from_ymd_opt(2024, 3, 28), first),
            (NaiveDate::from_ymd_opt(2024, 8, 28), owed - first),
        ] {
            if jumlah <= Decimal::ZERO {
                continue;
            }
            baas::record_payment(
                conn,
                actor,
                &scope,
                PaymentInput {
                    sponsor_id: *sponsor_id,
                    tanggal: tanggal.unwrap_or(today),
                    jumlah,
                    catatan: "Transfer ke rekening BAAS DPPKB".to_owned(),
                },
                today,
            )
            .map_err(fail)?;
        }
    }
    Ok(())
}
