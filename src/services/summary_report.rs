//! The summary as data and tables, for the page, its downloads and the realisation workbook
//! alike (web and CLI): everything read in one go from the pre-aggregates within the reader's
//! `Scope` (`load`), then made into `Table`s whose rows link to the budget lines behind them.
//! Reads only: nothing here writes.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::db::district::LokusDesaView;
use crate::db::summary::{self, Attention, Dim, Group, SummaryFilter};
use crate::db::{catalogue, district, opd, realisasi};
use crate::domain::format::rupiah;
use crate::domain::{Jenis, Scope};
use crate::i18n::phrases::Messages;
use crate::table::{Cell, Table};

/// Everything the page, a table download and the workbook show, read in one go.
pub struct SummaryData {
    pub filter: SummaryFilter,
    pub total: Group,
    pub by_opd: Vec<Group>,
    pub by_intervensi: Vec<Group>,
    pub by_jenis: Vec<Group>,
    pub by_sumber: Vec<Group>,
    pub by_desa: Vec<Group>,
    pub by_bulan: Vec<Group>,
    /// The year before's months (same filters), for the cumulative chart; empty when it has none.
    pub last_year_bulan: Vec<Group>,
    pub convergence: Vec<Group>,
    pub lokus: Vec<LokusDesaView>,
    pub units: Vec<opd::Opd>,
    pub interventions: Vec<catalogue::Intervensi>,
    /// The month the attention points judge by, and whether it is a locked month.
    pub acuan: i16,
    pub last_locked: Option<i16>,
    pub untagged: Group,
    pub behind: Vec<i64>,
    pub over: Vec<i64>,
    pub opds_without: Vec<i32>,
    /// Set when a province-level reader reads another district of the province than their own:
    /// every drill-down and download names it (`kabkota=`).
    pub kabkota: Option<String>,
}

/// Lines an attention point lists at most on the page (the drill-down lists them all).
const ATTENTION_LIMIT: i64 = 200_000;

pub fn load(
    conn: &mut diesel::PgConnection,
    scope: &Scope,
    filter: SummaryFilter,
    today: chrono::NaiveDate,
) -> diesel::QueryResult<SummaryData> {
    use chrono::Datelike;
    let total = summary::total(conn, scope, &filter)?;
    let by = |conn: &mut diesel::PgConnection, dims: &[Dim]| {
        summary::grouped(conn, scope, &filter, dims)
    };
    let by_opd = by(conn, &[Dim::Opd])?;
    let by_intervensi = by(conn, &[Dim::Intervensi])?;
    let by_jenis = by(conn, &[Dim::Jenis])?;
    let by_sumber = by(conn, &[Dim::SumberDana])?;
    let by_desa = by(conn, &[Dim::Desa])?;
    let convergence = by(conn, &[Dim::Desa, Dim::Intervensi])?;
    let mut whole_year = filter.clone();
    whole_year.sampai_bulan = 12;
    let by_bulan = summary::grouped(conn, scope, &whole_year, &[Dim::Bulan])?;
    let last_year = SummaryFilter {
        tahun: filter.tahun - 1,
        ..whole_year
    };
    let last_year_bulan = summary::grouped(conn, scope, &last_year, &[Dim::Bulan])?;
    let lokus = district::list_lokus(conn, &scope.kode_kabkota, filter.tahun)?;
    let units = opd::list_for_scope(conn, scope)?;
    let interventions = catalogue::list_intervensi(conn, &scope.kode_kabkota)?;
    let last_locked = realisasi::locked_months(conn, &scope.kode_kabkota, filter.tahun)?
        .last()
        .copied();
    // the month to judge "behind plan" by: the triwulan's end when one is chosen, else the last
    // locked month, else the last month that has passed
    let acuan = if filter.sampai_bulan < 12 {
        filter.sampai_bulan
    } else if let Some(month) = last_locked {
        month
    } else if i32::from(filter.tahun) < today.year() {
        12
    } else {
        (today.month() as i16 - 1).max(1)
    };
    let untagged = summary::total(
        conn,
        scope,
        &SummaryFilter {
            intervensi_id: Some(0),
            ..filter.clone()
        },
    )?;
    let behind = summary::attention_line_ids(
        conn,
        scope,
        &filter,
        Attention::Behind,
        acuan,
        ATTENTION_LIMIT,
    )?;
    let over = summary::attention_line_ids(
        conn,
        scope,
        &filter,
        Attention::Over,
        filter.sampai_bulan,
        ATTENTION_LIMIT,
    )?;
    let opds_without = match last_locked {
        Some(month) => summary::opds_without_month(conn, scope, &filter, month)?,
        None => Vec::new(),
    };
    Ok(SummaryData {
        filter,
        total,
        by_opd,
        by_intervensi,
        by_jenis,
        by_sumber,
        by_desa,
        by_bulan,
        last_year_bulan,
        convergence,
        lokus,
        units,
        interventions,
        acuan,
        last_locked,
        untagged,
        behind,
        over,
        opds_without,
        kabkota: None,
    })
}

/// The URL pieces a drill-down or a download repeats: the filters as the query gave them.
pub fn base_pairs(data: &SummaryData) -> Vec<(&'static str, String)> {
    let filter = &data.filter;
    let mut pairs = vec![("tahun", filter.tahun.to_string())];
    if let Some(kode) = &data.kabkota {
        pairs.push(("kabkota", kode.clone()));
    }
    if let Some(tahapan) = filter.tahapan {
        pairs.push(("tahap", tahapan.as_str().to_owned()));
    }
    if let Some(opd_id) = filter.opd_id
        && let Some(unit) = data.units.iter().find(|unit| unit.id == opd_id)
    {
        pairs.push(("opd", unit.kode.clone()));
    }
    match filter.jenis {
        Some(Some(jenis)) => pairs.push(("jenis", jenis.as_str().to_owned())),
        Some(None) => pairs.push(("jenis", "-".to_owned())),
        None => {}
    }
    match filter.intervensi_id {
        Some(0) => pairs.push(("tampil", "belum".to_owned())),
        Some(id) => {
            if let Some(row) = data.interventions.iter().find(|row| row.id == id) {
                pairs.push(("intervensi", row.kode.clone()));
            }
        }
        None => {}
    }
    if let Some(kode) = &filter.kode_desa {
        pairs.push(("desa", kode.clone()));
    }
    pairs
}

/// `/anggaran` with the page's filters and `extra` on top (a later key replaces an earlier one).
pub fn drill(data: &SummaryData, extra: &[(&'static str, String)]) -> String {
    let mut pairs = base_pairs(data);
    for (key, value) in extra {
        // choosing an intervention replaces "untagged" and the other way round
        if *key == "intervensi" {
            pairs.retain(|(existing, _)| *existing != "tampil");
        }
        pairs.retain(|(existing, _)| existing != key);
        pairs.push((key, value.clone()));
    }
    format!(
        "/anggaran?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

pub fn month_name(t: &Messages, bulan: i16) -> String {
    t.realisasi_months
        .split(',')
        .nth((bulan.clamp(1, 12) - 1) as usize)
        .unwrap_or_default()
        .to_owned()
}

fn opt_percent(value: Option<Decimal>) -> Cell {
    value.map_or(Cell::Empty, Cell::Percent)
}

/// The columns every breakdown shares after its name.
fn figures(group: &Group) -> Vec<Cell> {
    vec![
        Cell::Money(group.pagu),
        Cell::Money(group.keuangan),
        Cell::Money(group.sisa()),
        opt_percent(group.persen()),
        opt_percent(group.capaian_fisik()),
        Cell::Int(group.lines),
    ]
}

fn breakdown_table(t: &Messages, name: &str) -> Table {
    Table::new(&[
        name,
        t.ringkasan_pagu,
        t.ringkasan_realisasi,
        t.realisasi_sisa,
        t.realisasi_persen,
        t.ringkasan_capaian_fisik,
        t.ringkasan_baris,
    ])
}

fn push_total(table: &mut Table, t: &Messages, total: &Group) {
    let mut cells = vec![Cell::text(t.ringkasan_total)];
    cells.extend(figures(total));
    table.push(cells, None);
}

/// A province's districts side by side (`/ringkasan/provinsi`): one row per district served, in
/// code order, with none left out for having no lines yet, each linking to its own summary; then
/// the province's total.
pub fn districts_table(
    t: &Messages,
    districts: &[(String, String)],
    groups: &[Group],
    link_pairs: &[(&'static str, String)],
) -> Table {
    let mut table = breakdown_table(t, t.ringkasan_kabkota);
    let mut total = Group::default();
    for (kode, nama) in districts {
        let group = groups
            .iter()
            .find(|group| &group.k1 == kode)
            .cloned()
            .unwrap_or_default();
        let mut pairs = vec![("kabkota", kode.clone())];
        pairs.extend(link_pairs.iter().cloned());
        let mut cells = vec![Cell::text(format!("{kode} {nama}"))];
        cells.extend(figures(&group));
        table.push(
            cells,
            Some(format!(
                "/ringkasan?{}",
                serde_urlencoded::to_string(&pairs).unwrap_or_default()
            )),
        );
        total.add(&group);
    }
    push_total(&mut table, t, &total);
    table
}

/// One table of the page: its anchor, title and rows.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub table: Table,
}

pub fn desa_names(data: &SummaryData) -> HashMap<String, String> {
    data.lokus
        .iter()
        .map(|row| (row.kode_desa.clone(), row.nama_desa.clone()))
        .collect()
}

/// The breakdowns as tables, in page order; each row links to the lines behind it.
pub fn sections(t: &Messages, data: &SummaryData) -> Vec<Section> {
    let mut out = Vec::new();

    let mut table = breakdown_table(t, t.nav_opd);
    let units: HashMap<i32, &opd::Opd> = data.units.iter().map(|unit| (unit.id, unit)).collect();
    // in the OPDs' code order
    let mut ordered: Vec<&Group> = data.by_opd.iter().collect();
    ordered.sort_by_key(|group| {
        let id: i32 = group.k1.parse().unwrap_or_default();
        data.units.iter().position(|unit| unit.id == id)
    });
    for group in ordered {
        let id: i32 = group.k1.parse().unwrap_or_default();
        let Some(unit) = units.get(&id) else { continue };
        let mut cells = vec![Cell::text(unit.nama.clone())];
        cells.extend(figures(group));
        table.push(cells, Some(drill(data, &[("opd", unit.kode.clone())])));
    }
    push_total(&mut table, t, &data.total);
    out.push(Section {
        id: "opd",
        title: t.ringkasan_by_opd.to_owned(),
        table,
    });

    let mut table = breakdown_table(t, t.intervensi);
    let interventions: HashMap<i32, &catalogue::Intervensi> =
        data.interventions.iter().map(|row| (row.id, row)).collect();
    // in the catalogue's order (SP1..SP9, SE1..), untagged first
    let position = |group: &&Group| {
        let id: i32 = group.k1.parse().unwrap_or_default();
        (
            id != 0,
            data.interventions
                .iter()
                .position(|row| row.id == id)
                .unwrap_or(usize::MAX),
        )
    };
    let mut ordered: Vec<&Group> = data.by_intervensi.iter().collect();
    ordered.sort_by_key(position);
    for group in ordered {
        let id: i32 = group.k1.parse().unwrap_or_default();
        let (name, link) = match interventions.get(&id) {
            Some(row) => (
                format!("{} {}", row.kode, row.nama),
                drill(data, &[("intervensi", row.kode.clone())]),
            ),
            None if id == 0 => (
                t.ringkasan_tanpa_intervensi.to_owned(),
                drill(data, &[("tampil", "belum".to_owned())]),
            ),
            // an intervention the district has since switched off still shows what it holds
            None => (format!("#{id}"), drill(data, &[])),
        };
        let mut cells = vec![Cell::text(name)];
        cells.extend(figures(group));
        table.push(cells, Some(link));
    }
    push_total(&mut table, t, &data.total);
    out.push(Section {
        id: "intervensi",
        title: t.ringkasan_by_intervensi.to_owned(),
        table,
    });

    let mut table = breakdown_table(t, t.jenis);
    for group in &data.by_jenis {
        let (name, value) = match Jenis::parse(&group.k1) {
            Some(Jenis::Spesifik) => ("Spesifik".to_owned(), "spesifik"),
            Some(Jenis::Sensitif) => ("Sensitif".to_owned(), "sensitif"),
            None => (t.ringkasan_tanpa.to_owned(), "-"),
        };
        let mut cells = vec![Cell::text(name)];
        cells.extend(figures(group));
        table.push(cells, Some(drill(data, &[("jenis", value.to_owned())])));
    }
    push_total(&mut table, t, &data.total);
    out.push(Section {
        id: "jenis",
        title: t.ringkasan_by_jenis.to_owned(),
        table,
    });

    // lokus desa: every lokus desa of the year, then what reaches other desa and no desa, so the
    // rows add up to the total (a line serving several desa is split between them)
    let mut table = breakdown_table(t, t.desa);
    let by_desa: HashMap<&str, &Group> = data
        .by_desa
        .iter()
        .map(|group| (group.k1.as_str(), group))
        .collect();
    let mut reached = Group::default();
    for lokus in &data.lokus {
        let group = by_desa
            .get(lokus.kode_desa.as_str())
            .copied()
            .cloned()
            .unwrap_or_default();
        reached = sum(&reached, &group);
        let mut cells = vec![Cell::text(format!(
            "{} ({})",
            lokus.nama_desa, lokus.kode_desa
        ))];
        cells.extend(figures(&group));
        table.push(
            cells,
            Some(drill(data, &[("desa", lokus.kode_desa.clone())])),
        );
    }
    if data.filter.kode_desa.is_none() {
        let lokus: Vec<&str> = data
            .lokus
            .iter()
            .map(|row| row.kode_desa.as_str())
            .collect();
        let other = data
            .by_desa
            .iter()
            .filter(|group| !lokus.contains(&group.k1.as_str()))
            .fold(Group::default(), |acc, group| sum(&acc, group));
        let mut cells = vec![Cell::text(t.ringkasan_desa_bukan_lokus)];
        cells.extend(figures(&other));
        table.push(cells, None);
        let all_desa = sum(&reached, &other);
        let mut none = data.total.clone();
        none.pagu -= all_desa.pagu;
        none.pagu_target -= all_desa.pagu_target;
        none.keuangan -= all_desa.keuangan;
        none.fisik_bobot -= all_desa.fisik_bobot;
        // lines are counted once per desa they reach: the "no desa" count is not a difference
        none.lines = 0;
        let mut cells = vec![Cell::text(t.ringkasan_tanpa_desa)];
        cells.extend(figures(&none));
        table.push(cells, None);
    }
    push_total(&mut table, t, &data.total);
    out.push(Section {
        id: "desa",
        title: t.ringkasan_by_desa.to_owned(),
        table,
    });

    let mut table = breakdown_table(t, t.sumber_dana);
    for group in &data.by_sumber {
        let (name, value) = if group.k1.is_empty() {
            (t.ringkasan_tanpa.to_owned(), "-".to_owned())
        } else {
            (group.k1.clone(), group.k1.clone())
        };
        let mut cells = vec![Cell::text(name)];
        cells.extend(figures(group));
        table.push(cells, Some(drill(data, &[("sumber", value)])));
    }
    push_total(&mut table, t, &data.total);
    out.push(Section {
        id: "sumber",
        title: t.ringkasan_by_sumber.to_owned(),
        table,
    });

    let (months, quarters) = month_tables(t, data);
    out.push(Section {
        id: "bulan",
        title: t.ringkasan_by_bulan.to_owned(),
        table: months,
    });
    out.push(Section {
        id: "triwulan",
        title: t.ringkasan_by_triwulan.to_owned(),
        table: quarters,
    });
    out.push(Section {
        id: "konvergensi",
        title: t.ringkasan_konvergensi.to_owned(),
        table: convergence_table(t, data),
    });
    out
}

fn sum(a: &Group, b: &Group) -> Group {
    Group {
        k1: String::new(),
        k2: String::new(),
        pagu: a.pagu + b.pagu,
        pagu_target: a.pagu_target + b.pagu_target,
        lines: a.lines + b.lines,
        keuangan: a.keuangan + b.keuangan,
        fisik_bobot: a.fisik_bobot + b.fisik_bobot,
    }
}

/// Realisation per month up to the filter's month (12 when none): the keuangan, its cumulative,
/// the linear plan (pagu × month / 12) and the year before's cumulative; and per triwulan.
pub fn monthly(data: &SummaryData) -> (Vec<Decimal>, Vec<Option<Decimal>>) {
    let mut this_year = vec![Decimal::ZERO; 12];
    for group in &data.by_bulan {
        if let Ok(bulan) = group.k1.parse::<usize>()
            && (1..=12).contains(&bulan)
        {
            this_year[bulan - 1] = group.keuangan;
        }
    }
    let mut last_year = vec![None; 12];
    for group in &data.last_year_bulan {
        if let Ok(bulan) = group.k1.parse::<usize>()
            && (1..=12).contains(&bulan)
        {
            last_year[bulan - 1] = Some(group.keuangan);
        }
    }
    (this_year, last_year)
}

pub fn linear_plan(pagu: Decimal, bulan: i16) -> Decimal {
    (pagu * Decimal::from(bulan) / Decimal::from(12)).round_dp(2)
}

fn month_tables(t: &Messages, data: &SummaryData) -> (Table, Table) {
    let (this_year, last_year) = monthly(data);
    let has_last_year = last_year.iter().any(Option::is_some);
    let last_label = t
        .ringkasan_tahun_lalu
        .replace("{tahun}", &(data.filter.tahun - 1).to_string());
    let mut columns = vec![
        t.realisasi_bulan,
        t.ringkasan_realisasi,
        t.ringkasan_kumulatif,
        t.ringkasan_rencana_linear,
        t.realisasi_persen,
    ];
    if has_last_year {
        columns.push(&last_label);
    }
    let mut months = Table::new(&columns);
    let mut cumulative = Decimal::ZERO;
    let mut last_cumulative = Decimal::ZERO;
    let link = drill(data, &[]);
    for bulan in 1..=data.filter.sampai_bulan {
        let spent = this_year[(bulan - 1) as usize];
        cumulative += spent;
        last_cumulative += last_year[(bulan - 1) as usize].unwrap_or_default();
        let mut cells = vec![
            Cell::text(month_name(t, bulan)),
            Cell::Money(spent),
            Cell::Money(cumulative),
            Cell::Money(linear_plan(data.total.pagu, bulan)),
            opt_percent(
                (!data.total.pagu.is_zero())
                    .then(|| (cumulative * Decimal::from(100) / data.total.pagu).round_dp(2)),
            ),
        ];
        if has_last_year {
            cells.push(Cell::Money(last_cumulative));
        }
        months.push(cells, Some(link.clone()));
    }
    let mut quarters = Table::new(&[
        t.realisasi_triwulan,
        t.ringkasan_realisasi,
        t.ringkasan_kumulatif,
        t.ringkasan_rencana_linear,
        t.realisasi_persen,
    ]);
    let mut cumulative = Decimal::ZERO;
    for triwulan in 1..=(data.filter.sampai_bulan / 3) {
        let spent: Decimal = this_year[((triwulan - 1) * 3) as usize..(triwulan * 3) as usize]
            .iter()
            .sum();
        cumulative += spent;
        quarters.push(
            vec![
                Cell::text(format!("TW {triwulan}")),
                Cell::Money(spent),
                Cell::Money(cumulative),
                Cell::Money(linear_plan(data.total.pagu, triwulan * 3)),
                opt_percent(
                    (!data.total.pagu.is_zero())
                        .then(|| (cumulative * Decimal::from(100) / data.total.pagu).round_dp(2)),
                ),
            ],
            Some(link.clone()),
        );
    }
    (months, quarters)
}

/// The lokus desa × intervention matrix as a table: each cell "pagu / realisasi", ✗ where nothing
/// reaches; a desa no spesifik intervention reaches, and an intervention reaching no lokus desa,
/// are marked as gaps; the last column counts the catalogue's interventions reaching the desa.
pub fn convergence_table(t: &Messages, data: &SummaryData) -> Table {
    let cells: HashMap<(&str, i32), &Group> = data
        .convergence
        .iter()
        .filter_map(|group| Some(((group.k1.as_str(), group.k2.parse().ok()?), group)))
        .collect();
    let lokus: Vec<&str> = data
        .lokus
        .iter()
        .map(|row| row.kode_desa.as_str())
        .collect();
    let reaching_any: Vec<bool> = data
        .interventions
        .iter()
        .map(|row| {
            lokus.iter().any(|kode| {
                cells
                    .get(&(*kode, row.id))
                    .is_some_and(|group| group.pagu > Decimal::ZERO)
            })
        })
        .collect();
    let headers: Vec<String> = data
        .interventions
        .iter()
        .zip(&reaching_any)
        .map(|(row, reaches)| {
            if *reaches {
                row.kode.clone()
            } else {
                format!("{} ✗ {}", row.kode, t.ringkasan_celah)
            }
        })
        .collect();
    let mut columns: Vec<&str> = vec![t.desa];
    columns.extend(headers.iter().map(String::as_str));
    columns.push(t.ringkasan_jumlah_intervensi);
    let mut table = Table::new(&columns);
    for lokus_row in &data.lokus {
        let mut reached = 0;
        let mut spesifik = false;
        let mut row_cells = Vec::new();
        for intervention in &data.interventions {
            match cells.get(&(lokus_row.kode_desa.as_str(), intervention.id)) {
                Some(group) if group.pagu > Decimal::ZERO => {
                    reached += 1;
                    spesifik |= intervention.jenis == "spesifik";
                    row_cells.push(Cell::text(format!(
                        "{} / {}",
                        rupiah(group.pagu),
                        rupiah(group.keuangan)
                    )));
                }
                _ => row_cells.push(Cell::text("✗")),
            }
        }
        let name = if spesifik {
            lokus_row.nama_desa.clone()
        } else {
            format!("{} ✗ {}", lokus_row.nama_desa, t.ringkasan_celah)
        };
        let mut cells = vec![Cell::text(name)];
        cells.extend(row_cells);
        cells.push(Cell::Int(reached));
        table.push(
            cells,
            Some(drill(data, &[("desa", lokus_row.kode_desa.clone())])),
        );
    }
    table
}

/// The attention points: a sentence and the link to its lines (none when there is nothing to list).
pub fn attention(t: &Messages, data: &SummaryData) -> Vec<(String, Option<String>)> {
    let mut points = Vec::new();
    points.push((
        t.ringkasan_perhatian_untagged
            .replace("{n}", &data.untagged.lines.to_string())
            .replace("{pagu}", &rupiah(data.untagged.pagu)),
        (data.untagged.lines > 0).then(|| drill(data, &[("tampil", "belum".to_owned())])),
    ));
    let served: Vec<&str> = data
        .by_desa
        .iter()
        .filter(|group| group.pagu > Decimal::ZERO)
        .map(|group| group.k1.as_str())
        .collect();
    let unserved: Vec<&LokusDesaView> = data
        .lokus
        .iter()
        .filter(|row| !served.contains(&row.kode_desa.as_str()))
        .collect();
    let names: Vec<String> = unserved.iter().map(|row| row.nama_desa.clone()).collect();
    points.push((
        format!(
            "{}{}",
            t.ringkasan_perhatian_desa
                .replace("{n}", &unserved.len().to_string()),
            if names.is_empty() {
                String::new()
            } else {
                format!(" ({})", names.join(", "))
            }
        ),
        // the year's page lists its lokus desa (no line serves them, so there are no lines to show)
        (!unserved.is_empty()).then(|| format!("/tahun/{}", data.filter.tahun)),
    ));
    match data.last_locked {
        Some(month) => {
            let units: HashMap<i32, &opd::Opd> =
                data.units.iter().map(|unit| (unit.id, unit)).collect();
            let names: Vec<String> = data
                .opds_without
                .iter()
                .filter_map(|id| units.get(id).map(|unit| unit.nama.clone()))
                .collect();
            points.push((
                format!(
                    "{}{}",
                    t.ringkasan_perhatian_opd
                        .replace("{bulan}", &month_name(t, month))
                        .replace("{n}", &names.len().to_string()),
                    if names.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", names.join(", "))
                    }
                ),
                data.opds_without
                    .first()
                    .and_then(|id| units.get(id))
                    .map(|unit| drill(data, &[("opd", unit.kode.clone())])),
            ));
        }
        None => points.push((t.ringkasan_perhatian_opd_none.to_owned(), None)),
    }
    points.push((
        t.ringkasan_perhatian_terlambat
            .replace("{bulan}", &month_name(t, data.acuan))
            .replace("{n}", &data.behind.len().to_string()),
        (!data.behind.is_empty()).then(|| {
            drill(
                data,
                &[
                    ("tampil", Attention::Behind.as_str().to_owned()),
                    ("sampai", data.acuan.to_string()),
                ],
            )
        }),
    ));
    points.push((
        t.ringkasan_perhatian_lebih
            .replace("{n}", &data.over.len().to_string()),
        (!data.over.is_empty()).then(|| {
            drill(
                data,
                &[
                    ("tampil", Attention::Over.as_str().to_owned()),
                    ("sampai", data.filter.sampai_bulan.to_string()),
                ],
            )
        }),
    ));
    points
}

/// Who asked for a workbook and for what, as its cover says.
pub struct WorkbookRequest {
    pub district_name: String,
    pub generated_by: String,
    pub generated_at: String,
    /// The filters in words: (label, value).
    pub filters: Vec<(String, String)>,
}

/// Detail lines read per slice: the detail sheet is written in constant memory, slice by slice.
const DETAIL_SLICE: i64 = 5_000;

/// The realisation workbook for a filter, in the reader's scope: the same figures as the page.
/// `progress` hears how many detail lines are written (a background job's progress bar:
/// `services::summary_jobs`).
pub fn workbook(
    conn: &mut diesel::PgConnection,
    scope: &Scope,
    filter: SummaryFilter,
    t: &Messages,
    request: &WorkbookRequest,
    today: chrono::NaiveDate,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<u8>, crate::spreadsheet::summary_workbook::WorkbookError> {
    use crate::spreadsheet::summary_workbook::{
        Cover, DetailHeaders, DetailRow, SheetTable, WorkbookError, write_workbook,
    };
    let source = |error: diesel::result::Error| WorkbookError::Source(error.to_string());
    let data = load(conn, scope, filter, today).map_err(source)?;
    let parts = sections(t, &data);
    let tables: Vec<SheetTable> = parts
        .iter()
        .map(|part| SheetTable {
            id: part.id,
            title: &part.title,
            table: &part.table,
            // every breakdown ends with its total; the months, triwulans and the matrix do not
            total_last: !matches!(part.id, "bulan" | "triwulan" | "konvergensi"),
        })
        .collect();
    let mut facts = vec![
        (t.home_district.to_owned(), request.district_name.clone()),
        (t.tahun.to_owned(), data.filter.tahun.to_string()),
        (
            t.tahapan.to_owned(),
            data.filter.tahapan.map_or_else(
                || t.ringkasan_semua_tahap.to_owned(),
                |tahapan| t.tahapan_word(tahapan.as_str()),
            ),
        ),
        (
            t.realisasi_bulan.to_owned(),
            format!(
                "{} - {}",
                month_name(t, 1),
                month_name(t, data.filter.sampai_bulan)
            ),
        ),
    ];
    facts.extend(request.filters.iter().cloned());
    facts.push((
        t.ringkasan_dibuat.to_owned(),
        format!("{} · {}", request.generated_at, request.generated_by),
    ));
    let total = &data.total;
    let cover = Cover {
        title: t
            .ringkasan_title
            .replace("{tahun}", &data.filter.tahun.to_string()),
        facts,
        money: vec![
            (t.ringkasan_pagu.to_owned(), total.pagu),
            (t.ringkasan_realisasi.to_owned(), total.keuangan),
            (t.realisasi_sisa.to_owned(), total.sisa()),
        ],
        percents: vec![
            (t.realisasi_persen.to_owned(), total.persen()),
            (t.ringkasan_capaian_fisik.to_owned(), total.capaian_fisik()),
        ],
        chart_titles: [
            t.ringkasan_chart_opd.to_owned(),
            t.ringkasan_chart_bulan.to_owned(),
            t.ringkasan_chart_jenis.to_owned(),
        ],
    };
    let attention: Vec<String> = attention(t, &data)
        .into_iter()
        .map(|(text, _)| text)
        .collect();
    let months: Vec<String> = (1..=12).map(|bulan| month_name(t, bulan)).collect();
    let headers = DetailHeaders {
        title: t.ringkasan_rincian.to_owned(),
        texts: vec![
            t.kode.to_owned(),
            t.nav_opd.to_owned(),
            t.tahapan.to_owned(),
            t.ringkasan_sub_kegiatan.to_owned(),
            t.ringkasan_kode_rekening.to_owned(),
            t.uraian.to_owned(),
            t.sumber_dana.to_owned(),
            t.intervensi.to_owned(),
            t.jenis.to_owned(),
        ],
        pagu: t.ringkasan_pagu.to_owned(),
        target: t.realisasi_target.to_owned(),
        satuan: t.ringkasan_satuan.to_owned(),
        keuangan: months
            .iter()
            .map(|month| format!("{} {month}", t.ringkasan_realisasi))
            .collect(),
        total_keuangan: format!("{} {}", t.ringkasan_realisasi, t.ringkasan_total),
        sisa: t.realisasi_sisa.to_owned(),
        persen: t.realisasi_persen.to_owned(),
        fisik: months
            .iter()
            .map(|month| format!("{} {month}", t.realisasi_fisik))
            .collect(),
        total_fisik: format!("{} {}", t.realisasi_fisik, t.ringkasan_total),
        total_label: t.ringkasan_total.to_owned(),
    };
    let mut after: Option<(String, i64)> = None;
    let mut done = false;
    let filter = data.filter.clone();
    let mut detail = || -> Result<Vec<DetailRow>, String> {
        if done {
            return Ok(Vec::new());
        }
        let lines = summary::detail_lines(conn, scope, &filter, after.clone(), DETAIL_SLICE)
            .map_err(|error| error.to_string())?;
        if (lines.len() as i64) < DETAIL_SLICE {
            done = true;
        }
        after = lines.last().map(|line| (line.opd_kode.clone(), line.id));
        Ok(lines
            .into_iter()
            .map(|line| {
                let mut keuangan = [Decimal::ZERO; 12];
                let mut fisik = [None; 12];
                for (month, value) in line.keuangan.iter().take(12).enumerate() {
                    keuangan[month] = *value;
                }
                for (month, value) in line.fisik.iter().take(12).enumerate() {
                    fisik[month] = *value;
                }
                DetailRow {
                    texts: vec![
                        line.opd_kode,
                        line.opd_nama,
                        t.tahapan_word(&line.tahapan),
                        line.sub_kegiatan_kode,
                        line.kode_rekening.unwrap_or_default(),
                        line.uraian,
                        line.sumber_dana.unwrap_or_default(),
                        line.intervensi_kode.unwrap_or_default(),
                        line.jenis.unwrap_or_default(),
                    ],
                    pagu: line.pagu,
                    target_output: line.target_output,
                    satuan_output: line.satuan_output,
                    keuangan,
                    fisik,
                }
            })
            .collect())
    };
    write_workbook(
        &cover,
        &tables,
        t.ringkasan_perhatian,
        &attention,
        &headers,
        &mut detail,
        progress,
    )
}
