//! The Bupati's summary, `/ringkasan`: totals, breakdowns (OPD, intervention, jenis, lokus desa,
//! sumber dana, month and triwulan), charts, the convergence matrix and the attention points for
//! a year, with the filters in the URL. Every row drills down to `/anggaran` filtered the same way;
//! every table downloads as xlsx (`?tabel=..&format=xlsx`), and `?format=xlsx` is the workbook.
//! Reads only, always within the reader's `Scope`.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpResponse, web};
use askama::Template;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::db::district::LokusDesaView;
use crate::db::summary::{Group, SummaryFilter};
use crate::db::{catalogue, district, opd, wilayah};
use crate::domain::Scope;
use crate::domain::format::{persen, rupiah};
use crate::domain::names::DesaIndex;
use crate::domain::{Jenis, Tahapan};
use crate::error::AppResult;
use crate::i18n::phrases::Messages;
use crate::i18n::{Language, Message, MessageKey};
use crate::services::summary_report::{
    Section, SummaryData, attention, linear_plan, load, month_name, monthly, sections,
};
use crate::state::AppState;
use crate::web::STAFF;
use crate::web::extract::{CurrentUser, Lang};
use crate::web::page::{FieldKind, FormField, PageCtx, render, xlsx_download};

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct SummaryQuery {
    pub tahun: Option<String>,
    pub tahap: Option<String>,
    pub triwulan: Option<String>,
    pub opd: Option<String>,
    pub jenis: Option<String>,
    pub intervensi: Option<String>,
    pub desa: Option<String>,
    /// Another district of a province-level reader's province (`/ringkasan/provinsi` links here).
    pub kabkota: Option<String>,
    /// One table as xlsx (`opd`, `intervensi`, ...) with `format=xlsx`; without it, the workbook.
    pub tabel: Option<String>,
    pub format: Option<String>,
}

/// A query value as given: trimmed, `None` when empty.
fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// The query's filters made into a `SummaryFilter`, with a message for a desa that cannot be found.
fn resolve(
    query: &SummaryQuery,
    years: &[i16],
    units: &[opd::Opd],
    interventions: &[catalogue::Intervensi],
    desa_index: &DesaIndex,
) -> (Option<SummaryFilter>, Vec<Message>) {
    let mut problems = Vec::new();
    let Some(tahun) = given(&query.tahun)
        .and_then(|text| text.parse::<i16>().ok())
        .filter(|tahun| years.contains(tahun))
        .or_else(|| years.first().copied())
    else {
        return (None, problems);
    };
    let triwulan = given(&query.triwulan)
        .and_then(|text| text.parse::<i16>().ok())
        .filter(|n| (1..=4).contains(n));
    let kode_desa = given(&query.desa).map(|typed| match desa_index.resolve(&typed) {
        Ok(kode) => kode.to_owned(),
        Err(_) => {
            problems.push(Message::new(MessageKey::TagDesaUnknown).arg(&typed));
            typed
        }
    });
    let filter = SummaryFilter {
        tahun,
        tahapan: given(&query.tahap).and_then(|text| Tahapan::parse(&text)),
        sampai_bulan: triwulan.map_or(12, |n| n * 3),
        opd_id: given(&query.opd).and_then(|kode| {
            units
                .iter()
                .find(|unit| unit.kode == kode)
                .map(|unit| unit.id)
        }),
        jenis: given(&query.jenis).and_then(|text| {
            if text == "-" {
                Some(None)
            } else {
                Jenis::parse(&text).map(Some)
            }
        }),
        intervensi_id: given(&query.intervensi).and_then(|kode| {
            if kode == "-" {
                Some(0)
            } else {
                interventions
                    .iter()
                    .find(|row| row.kode == kode)
                    .map(|row| row.id)
            }
        }),
        kode_desa,
    };
    (Some(filter), problems)
}

fn query_string(query: &SummaryQuery) -> Vec<(&'static str, String)> {
    [
        ("tahun", &query.tahun),
        ("tahap", &query.tahap),
        ("triwulan", &query.triwulan),
        ("opd", &query.opd),
        ("jenis", &query.jenis),
        ("intervensi", &query.intervensi),
        ("desa", &query.desa),
        ("kabkota", &query.kabkota),
    ]
    .into_iter()
    .filter_map(|(key, value)| {
        value
            .as_deref()
            .filter(|text| !text.is_empty())
            .map(|text| (key, text.to_owned()))
    })
    .collect()
}

/// A chart as the static script draws it: read from the canvas's `data-chart` attribute.
#[derive(serde::Serialize)]
struct ChartSpec {
    kind: &'static str,
    labels: Vec<String>,
    datasets: Vec<ChartSeries>,
    horizontal: bool,
}

#[derive(serde::Serialize)]
struct ChartSeries {
    label: String,
    data: Vec<Option<f64>>,
}

pub struct Chart {
    pub id: &'static str,
    pub title: String,
    /// The table the chart shows, one click away.
    pub table: &'static str,
    /// What the chart says, in words (its text alternative).
    pub alt: String,
    pub spec: String,
}

fn number(value: Decimal) -> Option<f64> {
    value.to_f64()
}

fn charts(t: &Messages, data: &SummaryData) -> Vec<Chart> {
    let mut out = Vec::new();
    let units: HashMap<i32, &opd::Opd> = data.units.iter().map(|unit| (unit.id, unit)).collect();
    let opd_rows: Vec<(&opd::Opd, &Group)> = data
        .by_opd
        .iter()
        .filter_map(|group| Some((*units.get(&group.k1.parse().ok()?)?, group)))
        .collect();
    let label = |unit: &opd::Opd| unit.singkatan.clone().unwrap_or_else(|| unit.nama.clone());
    let ranked: Vec<&(&opd::Opd, &Group)> = {
        let mut rows: Vec<_> = opd_rows
            .iter()
            .filter(|(_, g)| g.persen().is_some())
            .collect();
        rows.sort_by_key(|(_, group)| std::cmp::Reverse(group.persen()));
        rows
    };
    let alt = match (ranked.first(), ranked.last()) {
        (Some((high, hg)), Some((low, lg))) => t
            .ringkasan_chart_alt_opd
            .replace("{nama2}", &label(low))
            .replace("{persen2}", &persen(lg.persen().unwrap_or_default(), 2))
            .replace("{nama}", &label(high))
            .replace("{persen}", &persen(hg.persen().unwrap_or_default(), 2)),
        _ => t.none_yet.to_owned(),
    };
    out.push(Chart {
        id: "chart-opd",
        title: t.ringkasan_chart_opd.to_owned(),
        table: "opd",
        alt,
        spec: serde_json::to_string(&ChartSpec {
            kind: "bar",
            labels: opd_rows.iter().map(|(unit, _)| label(unit)).collect(),
            datasets: vec![
                ChartSeries {
                    label: t.ringkasan_pagu.to_owned(),
                    data: opd_rows.iter().map(|(_, g)| number(g.pagu)).collect(),
                },
                ChartSeries {
                    label: t.ringkasan_realisasi.to_owned(),
                    data: opd_rows.iter().map(|(_, g)| number(g.keuangan)).collect(),
                },
            ],
            horizontal: true,
        })
        .unwrap_or_default(),
    });

    let (this_year, last_year) = monthly(data);
    let shown = data.filter.sampai_bulan as usize;
    let mut cumulative = Vec::new();
    let mut running = Decimal::ZERO;
    for spent in this_year.iter().take(shown) {
        running += spent;
        cumulative.push(running);
    }
    let mut datasets = vec![
        ChartSeries {
            label: t.ringkasan_realisasi.to_owned(),
            data: cumulative.iter().map(|value| number(*value)).collect(),
        },
        ChartSeries {
            label: t.ringkasan_rencana_linear.to_owned(),
            data: (1..=12)
                .map(|bulan| number(linear_plan(data.total.pagu, bulan)))
                .collect(),
        },
    ];
    if last_year.iter().any(Option::is_some) {
        let mut running = Decimal::ZERO;
        datasets.push(ChartSeries {
            label: t
                .ringkasan_tahun_lalu
                .replace("{tahun}", &(data.filter.tahun - 1).to_string()),
            data: last_year
                .iter()
                .map(|value| {
                    running += value.unwrap_or_default();
                    number(running)
                })
                .collect(),
        });
    }
    out.push(Chart {
        id: "chart-bulan",
        title: t.ringkasan_chart_bulan.to_owned(),
        table: "bulan",
        alt: t
            .ringkasan_chart_alt_bulan
            .replace("{realisasi}", &rupiah(running))
            .replace(
                "{rencana}",
                &rupiah(linear_plan(data.total.pagu, data.filter.sampai_bulan)),
            )
            .replace("{bulan}", &month_name(t, data.filter.sampai_bulan)),
        spec: serde_json::to_string(&ChartSpec {
            kind: "line",
            labels: (1..=12).map(|bulan| month_name(t, bulan)).collect(),
            datasets,
            horizontal: false,
        })
        .unwrap_or_default(),
    });

    let jenis_pagu = |wanted: &str| {
        data.by_jenis
            .iter()
            .filter(|group| group.k1 == wanted)
            .map(|group| group.pagu)
            .sum::<Decimal>()
    };
    let (spesifik, sensitif, tanpa) = (
        jenis_pagu("spesifik"),
        jenis_pagu("sensitif"),
        jenis_pagu(""),
    );
    out.push(Chart {
        id: "chart-jenis",
        title: t.ringkasan_chart_jenis.to_owned(),
        table: "jenis",
        alt: t
            .ringkasan_chart_alt_jenis
            .replace("{spesifik}", &rupiah(spesifik))
            .replace("{sensitif}", &rupiah(sensitif))
            .replace("{tanpa}", &rupiah(tanpa)),
        spec: serde_json::to_string(&ChartSpec {
            kind: "doughnut",
            labels: vec![
                "Spesifik".to_owned(),
                "Sensitif".to_owned(),
                t.ringkasan_tanpa_intervensi.to_owned(),
            ],
            datasets: vec![ChartSeries {
                label: t.ringkasan_pagu.to_owned(),
                data: vec![number(spesifik), number(sensitif), number(tanpa)],
            }],
            horizontal: false,
        })
        .unwrap_or_default(),
    });

    let by_desa: BTreeMap<&str, &Group> = data
        .by_desa
        .iter()
        .map(|group| (group.k1.as_str(), group))
        .collect();
    let desa: Vec<(&LokusDesaView, Group)> = data
        .lokus
        .iter()
        .map(|row| {
            (
                row,
                by_desa
                    .get(row.kode_desa.as_str())
                    .map(|group| (*group).clone())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let top = desa.iter().max_by_key(|(_, group)| group.keuangan);
    out.push(Chart {
        id: "chart-desa",
        title: t.ringkasan_chart_desa.to_owned(),
        table: "desa",
        alt: match top {
            Some((row, group)) => t
                .ringkasan_chart_alt_desa
                .replace("{n}", &desa.len().to_string())
                .replace("{nama}", &row.nama_desa)
                .replace("{jumlah}", &rupiah(group.keuangan)),
            None => t.none_yet.to_owned(),
        },
        spec: serde_json::to_string(&ChartSpec {
            kind: "bar",
            labels: desa.iter().map(|(row, _)| row.nama_desa.clone()).collect(),
            datasets: vec![
                ChartSeries {
                    label: t.ringkasan_pagu.to_owned(),
                    data: desa.iter().map(|(_, g)| number(g.pagu)).collect(),
                },
                ChartSeries {
                    label: t.ringkasan_realisasi.to_owned(),
                    data: desa.iter().map(|(_, g)| number(g.keuangan)).collect(),
                },
            ],
            horizontal: true,
        })
        .unwrap_or_default(),
    });
    out
}

#[derive(Template)]
#[template(path = "summary.html")]
struct SummaryPage {
    ctx: PageCtx,
    title: String,
    intro: String,
    errors: Vec<String>,
    filters: Vec<FormField>,
    facts: Vec<(String, String)>,
    charts: Vec<Chart>,
    sections: Vec<(Section, String)>,
    attention: Vec<(String, Option<String>)>,
    workbook: String,
    has_year: bool,
    /// For a province-level reader: the province's districts side by side.
    province: Option<(String, String)>,
}

pub async fn page(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    let t = lang.0;
    let query = query.into_inner();
    let today = chrono::Utc::now().date_naive();
    let query_copy = query.clone();
    let reader = user.clone();
    let (scope, years, units, interventions, data, problems, other_district) = state
        .db(move |conn| {
            let scope = reader
                .reading_scope(conn, query_copy.kabkota.as_deref())?
                .ok_or(crate::error::AppError::NotFound)?;
            let years: Vec<i16> = district::list_tahun(conn, &scope.kode_kabkota)?
                .into_iter()
                .map(|year| year.tahun)
                .collect();
            let units = opd::list_for_scope(conn, &scope)?;
            let interventions = catalogue::list_intervensi(conn, &scope.kode_kabkota)?;
            let desa_index = DesaIndex::new(
                wilayah::list_desa_in_kabkota(conn, &scope.kode_kabkota)?
                    .into_iter()
                    .map(|row| (row.kode, row.nama)),
            );
            let (filter, problems) =
                resolve(&query_copy, &years, &units, &interventions, &desa_index);
            let data = match filter {
                Some(filter) => {
                    let mut data = load(conn, &scope, filter, today)?;
                    if scope.kode_kabkota != reader.kode_kabkota {
                        data.kabkota = Some(scope.kode_kabkota.clone());
                    }
                    Some(data)
                }
                None => None,
            };
            // the district read, named in the title when it is not the reader's own
            let other_district = if scope.kode_kabkota != reader.kode_kabkota {
                Some(
                    wilayah::find_by_kode(conn, &scope.kode_kabkota)?
                        .map_or_else(|| scope.kode_kabkota.clone(), |row| row.nama),
                )
            } else {
                None
            };
            Ok((
                scope,
                years,
                units,
                interventions,
                data,
                problems,
                other_district,
            ))
        })
        .await?;
    let language = Language::from_code(t.lang_code);
    let errors: Vec<String> = problems
        .iter()
        .map(|message| message.render(language))
        .collect();
    let pairs = query_string(&query);
    if query.format.as_deref() == Some("xlsx")
        && let Some(data) = &data
    {
        let stem = format!("ringkasan-{}", data.filter.tahun);
        return match query.tabel.as_deref() {
            Some(wanted) => {
                let Some(section) = sections(t, data).into_iter().find(|s| s.id == wanted) else {
                    return Err(crate::error::AppError::NotFound);
                };
                xlsx_download(
                    section.title,
                    section.table,
                    t.yes,
                    t.no,
                    &format!("{stem}-{wanted}"),
                )
                .await
            }
            None => {
                workbook_download(
                    &state,
                    &user,
                    scope,
                    t,
                    data.filter.clone(),
                    data.total.lines,
                    &pairs,
                )
                .await
            }
        };
    }
    let mut filters = vec![
        // a province-level reader's choice of district stays with every filter
        FormField::text("kabkota", "", query.kabkota.as_deref().unwrap_or(""), false)
            .with_kind(FieldKind::Hidden),
        FormField::text(
            "tahun",
            t.tahun,
            &data
                .as_ref()
                .map(|data| data.filter.tahun.to_string())
                .unwrap_or_default(),
            false,
        )
        .with_kind(FieldKind::Select(
            years
                .iter()
                .map(|y| (y.to_string(), y.to_string()))
                .collect(),
        )),
        FormField::text(
            "tahap",
            t.tahapan,
            query.tahap.as_deref().unwrap_or(""),
            false,
        )
        .with_kind(FieldKind::Select(vec![
            (String::new(), t.ringkasan_semua_tahap.to_owned()),
            ("murni".into(), t.tahapan_murni.to_owned()),
            ("perubahan".into(), t.tahapan_perubahan.to_owned()),
        ])),
        FormField::text(
            "triwulan",
            t.realisasi_triwulan,
            query.triwulan.as_deref().unwrap_or(""),
            false,
        )
        .with_kind(FieldKind::Select(
            std::iter::once((String::new(), t.ringkasan_setahun.to_owned()))
                .chain((1..=4).map(|n| {
                    (
                        n.to_string(),
                        t.ringkasan_sd_triwulan.replace("{n}", &n.to_string()),
                    )
                }))
                .collect(),
        )),
    ];
    if user.scope().opd_id.is_none() {
        filters.push(
            FormField::text("opd", t.nav_opd, query.opd.as_deref().unwrap_or(""), false).with_kind(
                FieldKind::Select(
                    std::iter::once((String::new(), t.semua.to_owned()))
                        .chain(
                            units
                                .iter()
                                .map(|unit| (unit.kode.clone(), unit.nama.clone())),
                        )
                        .collect(),
                ),
            ),
        );
    }
    filters.extend([
        FormField::text(
            "jenis",
            t.jenis,
            query.jenis.as_deref().unwrap_or(""),
            false,
        )
        .with_kind(FieldKind::Select(vec![
            (String::new(), t.semua.to_owned()),
            ("spesifik".into(), "Spesifik".to_owned()),
            ("sensitif".into(), "Sensitif".to_owned()),
            ("-".into(), t.ringkasan_tanpa.to_owned()),
        ])),
        FormField::text(
            "intervensi",
            t.intervensi,
            query.intervensi.as_deref().unwrap_or(""),
            false,
        )
        .with_kind(FieldKind::Select(
            [
                (String::new(), t.semua.to_owned()),
                ("-".to_owned(), t.ringkasan_tanpa_intervensi.to_owned()),
            ]
            .into_iter()
            .chain(
                interventions
                    .iter()
                    .map(|row| (row.kode.clone(), format!("{} {}", row.kode, row.nama))),
            )
            .collect(),
        )),
        FormField::text(
            "desa",
            t.desa_kode_nama,
            query.desa.as_deref().unwrap_or(""),
            false,
        ),
    ]);
    let ctx = PageCtx::new(&state, &user, t, "/ringkasan").await?;
    let Some(data) = data else {
        let page = SummaryPage {
            ctx,
            title: t.nav_ringkasan.to_owned(),
            intro: t.ringkasan_no_year.to_owned(),
            errors,
            filters,
            facts: Vec::new(),
            charts: Vec::new(),
            sections: Vec::new(),
            attention: Vec::new(),
            workbook: String::new(),
            has_year: false,
            province: None,
        };
        return render(&page);
    };
    let total = &data.total;
    let facts = vec![
        (t.ringkasan_pagu.to_owned(), rupiah(total.pagu)),
        (t.ringkasan_realisasi.to_owned(), rupiah(total.keuangan)),
        (t.realisasi_sisa.to_owned(), rupiah(total.sisa())),
        (
            t.realisasi_persen.to_owned(),
            total
                .persen()
                .map_or_else(|| "-".to_owned(), |p| persen(p, 2)),
        ),
        (
            t.ringkasan_capaian_fisik.to_owned(),
            total
                .capaian_fisik()
                .map_or_else(|| "-".to_owned(), |p| persen(p, 2)),
        ),
        (t.ringkasan_baris.to_owned(), total.lines.to_string()),
    ];
    let encoded = |extra: &[(&'static str, String)]| {
        let mut all = pairs.clone();
        all.extend_from_slice(extra);
        format!(
            "/ringkasan?{}",
            serde_urlencoded::to_string(&all).unwrap_or_default()
        )
    };
    let sections = sections(t, &data)
        .into_iter()
        .map(|section| {
            let download = encoded(&[
                ("tabel", section.id.to_owned()),
                ("format", "xlsx".to_owned()),
            ]);
            (section, download)
        })
        .collect();
    let page = SummaryPage {
        title: {
            let title = t
                .ringkasan_title
                .replace("{tahun}", &data.filter.tahun.to_string());
            match &other_district {
                Some(name) => format!("{title}: {name}"),
                None => title,
            }
        },
        intro: t
            .ringkasan_intro
            .replace("{bulan}", &month_name(t, data.filter.sampai_bulan)),
        errors,
        filters,
        facts,
        charts: charts(t, &data),
        attention: attention(t, &data),
        sections,
        workbook: encoded(&[("format", "xlsx".to_owned())]),
        has_year: true,
        province: user.kode_provinsi.as_ref().map(|_| {
            (
                format!("/ringkasan/provinsi?tahun={}", data.filter.tahun),
                t.ringkasan_provinsi_link.to_owned(),
            )
        }),
        ctx,
    };
    render(&page)
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct ProvinceQuery {
    pub tahun: Option<String>,
    pub tahap: Option<String>,
    pub triwulan: Option<String>,
    pub format: Option<String>,
}

/// `/ringkasan/provinsi`: for a province-level `pimpinan`, every district served in the province
/// side by side (pagu, realisasi, sisa, %, capaian fisik, lines), each a link into its own summary;
/// as xlsx like every list. Anyone else gets the not-found page.
pub async fn province(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ProvinceQuery>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    let Some(provinsi) = user.kode_provinsi.clone() else {
        return Err(crate::error::AppError::NotFound);
    };
    let t = lang.0;
    let query = query.into_inner();
    let wanted_year = given(&query.tahun).and_then(|text| text.parse::<i16>().ok());
    let tahapan = given(&query.tahap).and_then(|text| Tahapan::parse(&text));
    let triwulan = given(&query.triwulan)
        .and_then(|text| text.parse::<i16>().ok())
        .filter(|n| (1..=4).contains(n));
    let (filter, districts, groups) = state
        .db(move |conn| {
            let served = district::list_in_province(conn, &provinsi)?;
            let mut years: Vec<i16> = Vec::new();
            let mut districts = Vec::new();
            for row in &served {
                years.extend(
                    district::list_tahun(conn, &row.kode_kabkota)?
                        .into_iter()
                        .map(|year| year.tahun),
                );
                let nama = wilayah::find_by_kode(conn, &row.kode_kabkota)?
                    .map_or_else(String::new, |found| found.nama);
                districts.push((row.kode_kabkota.clone(), nama));
            }
            years.sort_unstable_by(|a, b| b.cmp(a));
            let tahun = wanted_year
                .filter(|tahun| years.contains(tahun))
                .or_else(|| years.first().copied())
                .unwrap_or_else(|| chrono::Datelike::year(&chrono::Utc::now()) as i16);
            let filter = SummaryFilter {
                tahapan,
                sampai_bulan: triwulan.map_or(12, |n| n * 3),
                ..SummaryFilter::year(tahun)
            };
            let groups = crate::db::summary::by_district(conn, &provinsi, &filter)?;
            Ok((filter, districts, groups))
        })
        .await?;
    let mut pairs = vec![("tahun", filter.tahun.to_string())];
    if let Some(tahapan) = filter.tahapan {
        pairs.push(("tahap", tahapan.as_str().to_owned()));
    }
    if let Some(n) = triwulan {
        pairs.push(("triwulan", n.to_string()));
    }
    let table = crate::services::summary_report::districts_table(t, &districts, &groups, &pairs);
    let title = t
        .ringkasan_provinsi_title
        .replace("{tahun}", &filter.tahun.to_string());
    if query.format.as_deref() == Some("xlsx") {
        let stem = format!("ringkasan-provinsi-{}", filter.tahun);
        return xlsx_download(title, table, t.yes, t.no, &stem).await;
    }
    let mut download = pairs.clone();
    download.push(("format", "xlsx".to_owned()));
    let page = crate::web::page::ListPage {
        ctx: PageCtx::new(&state, &user, t, "/ringkasan").await?,
        title,
        intro: Some(
            t.ringkasan_provinsi_intro
                .replace("{bulan}", &month_name(t, filter.sampai_bulan)),
        ),
        actions: Vec::new(),
        table,
        download: Some(format!(
            "/ringkasan/provinsi?{}",
            serde_urlencoded::to_string(&download).unwrap_or_default()
        )),
        form: None,
        errors: Vec::new(),
    };
    render(&page)
}

/// The realisation workbook for the page's filters, the same file `lokus export realisasi` writes.
/// Written on the blocking pool; a selection of more than `export_job_threshold_lines` lines is
/// written by a background job instead (`services::summary_jobs`): the reader goes to the job's
/// page, with its progress bar and, when done, the file.
async fn workbook_download(
    state: &AppState,
    user: &CurrentUser,
    scope: Scope,
    t: &'static Messages,
    filter: SummaryFilter,
    lines: i64,
    pairs: &[(&'static str, String)],
) -> AppResult<HttpResponse> {
    use crate::services::summary_jobs::{self, ExportPayload};
    use crate::services::summary_report::{WorkbookRequest, workbook};
    let who = format!("{} ({})", user.nama, user.email);
    let filters: Vec<(String, String)> = pairs
        .iter()
        .filter(|(key, _)| !matches!(*key, "tahun" | "tahap" | "triwulan"))
        .map(|(key, value)| ((*key).to_owned(), value.clone()))
        .collect();
    if lines > i64::from(state.settings.export_job_threshold_lines) {
        let export = ExportPayload {
            filter,
            opd_id: scope.opd_id,
            lang: t.lang_code.to_owned(),
            generated_by: who,
            filters,
            lines,
        };
        let actor = user.actor();
        let job = state
            .db(move |conn| {
                Ok(crate::services::jobs::enqueue(
                    conn,
                    summary_jobs::EXPORT,
                    &summary_jobs::payload(&export),
                    &actor,
                )?)
            })
            .await?;
        return Ok(crate::web::page::see_other(&format!("/tugas/{job}")));
    }
    let file_name = summary_jobs::file_name(filter.tahun);
    let bytes = state
        .db(move |conn| {
            let district_name = wilayah::find_by_kode(conn, &scope.kode_kabkota)?
                .map_or_else(|| scope.kode_kabkota.clone(), |row| row.nama);
            let request = WorkbookRequest {
                district_name,
                generated_by: who,
                generated_at: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
                filters,
            };
            let today = chrono::Utc::now().date_naive();
            workbook(conn, &scope, filter, t, &request, today, &mut |_| {})
                .map_err(crate::error::AppError::internal)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(bytes))
}

/// The summary's charts: one static script draws every `canvas[data-chart]` with the vendored
/// Chart.js (the CSP allows scripts from this site only).
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=3600",
        ))
        .body(include_str!("../../static/ringkasan.js"))
}
