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

/// A year of realisation for the demo workplans, entered through the same service as the web form:
/// most lines follow the curve, every fourth is behind (40 % of it) and every seventh has not
/// started. Whole rupiah, rounded down, so no line passes its pagu.
fn load_realisation(conn: &mut PgConnection, actor: &Actor) -> Result<(), DemoError> {
    use crate::services::record_realisation::{LineMonths, MonthInput, Rules, Via, record};
    use rust_decimal::Decimal;
    let scope = crate::domain::Scope {
        kode_kabkota: KODE_KABKOTA.to_owned(),
        opd_id: None,
        sponsor_user_id: None,
    };
    let mut units: Vec<&str> = WORKPLANS.iter().map(|(kode, _, _)| *kode).collect();
    units.dedup();
    for opd_kode in units {
        let Some(unit) = crate::db::opd::find_by_kode(conn, KODE_KABKOTA, opd_kode)? else {
            continue;
        };
        let lines = crate::db::realisasi::current_lines_of_opd(conn, KODE_KABKOTA, unit.id, TAHUN)?;
        let input: Vec<LineMonths> = lines
            .iter()
            .enumerate()
            .filter(|(index, _)| index % 7 != 6)
            .map(|(index, line)| {
                let pace = if index % 4 == 3 { 40u32 } else { 100 };
                let share =
                    |per_mille: u32| Decimal::from(per_mille * pace) / Decimal::from(100_000);
                LineMonths {
                    line_id: line.id,
                    months: REALISATION_CURVE
                        .iter()
                        .enumerate()
                        .map(|(month, per_mille)| MonthInput {
                            bulan: month as i16 + 1,
                            keuangan: Some((line.pagu * share(*per_mille)).floor()),
                            fisik: line
                                .target_output
                                .map(|target| (target * share(*per_mille)).round_dp(2)),
                        })
                        .collect(),
                }
            })
            .collect();
        record(conn, actor, &scope, &input, Via::Form, Rules::default())?;
    }
    Ok(())
}
