//! BAAS pages: the desk's list of children with their latest WHO z-score (role `baas`), and the
//! sponsor's own pages (role `sponsor`, phone-first): their children and one child's growth chart.
//! Every read goes through `db::baas` with the user's `Scope`, so another sponsor's child is the same
//! 404 as a missing one.

use std::collections::{BTreeSet, HashMap, HashSet};

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Datelike, Utc};
use rust_decimal::Decimal;

use crate::db::baas::{self as db, Child, Measurement};
use crate::domain::Role;
use crate::domain::baas::first_name;
use crate::domain::format::{rupiah, tanggal};
use crate::domain::growth::{self, DAYS_PER_MONTH, Sex, TbuCategory};
use crate::error::{AppError, AppResult};
use crate::services::baas::assess;
use crate::state::AppState;
use crate::table::{Cell, Table};
use crate::web::extract::{CurrentUser, Lang};
use crate::web::page::{ListPage, ListQuery, PageCtx, ShowPage, list_response, render};

#[derive(serde::Deserialize)]
pub struct DeskQuery {
    pub format: Option<String>,
    pub desa: Option<String>,
    pub status: Option<String>,
    pub penugasan: Option<String>,
}

/// The latest measurement of each child, with its assessment.
fn latest_by_child(
    children: &[Child],
    measurements: &[Measurement],
) -> HashMap<i32, (Measurement, Option<growth::Assessment>)> {
    let by_id: HashMap<i32, &Child> = children.iter().map(|c| (c.id, c)).collect();
    let mut latest: HashMap<i32, (Measurement, Option<growth::Assessment>)> = HashMap::new();
    // measurements come ordered by child then date: the last one wins
    for measurement in measurements {
        if let Some(child) = by_id.get(&measurement.child_id) {
            let assessment = assess(child, measurement);
            latest.insert(measurement.child_id, (measurement.clone(), assessment));
        }
    }
    latest
}

fn age_months(child: &Child, on: chrono::NaiveDate) -> Option<i64> {
    growth::age_in_days(child.tgl_lahir, on).map(|days| (days as f64 / DAYS_PER_MONTH) as i64)
}

/// `/baas`: the desk's children, lokus desa first, then the most stunted.
pub async fn desk(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<DeskQuery>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Baas])?;
    let t = lang.0;
    let scope = user.scope();
    let (children, measurements, assignments, sponsors, lokus) = state
        .db(move |conn| {
            Ok((
                db::list_children_for_scope(conn, &scope)?,
                db::list_measurements_for_scope(conn, &scope)?,
                db::list_assignments_for_scope(conn, &scope)?,
                db::list_sponsors_for_scope(conn, &scope)?,
                db::lokus_desa_latest(conn, &scope.kode_kabkota)?,
            ))
        })
        .await?;
    let latest = latest_by_child(&children, &measurements);
    let sponsor_names: HashMap<i32, String> =
        sponsors.into_iter().map(|s| (s.id, s.nama)).collect();
    let active: HashMap<i32, String> = assignments
        .iter()
        .filter(|a| a.status == crate::domain::baas::AssignmentStatus::Aktif)
        .map(|a| {
            let name = sponsor_names
                .get(&a.sponsor_id)
                .cloned()
                .unwrap_or_default();
            (a.child_id, name)
        })
        .collect();
    let status_filter = query.status.as_deref().and_then(TbuCategory::parse);
    let today = Utc::now().date_naive();
    let mut rows: Vec<(&Child, Option<f64>)> = children
        .iter()
        .filter(|c| {
            query
                .desa
                .as_deref()
                .is_none_or(|d| d.trim().is_empty() || c.kode_desa == d.trim())
        })
        .filter(|c| match query.penugasan.as_deref() {
            Some("ada") => active.contains_key(&c.id),
            Some("belum") => !active.contains_key(&c.id),
            _ => true,
        })
        .filter(|c| {
            status_filter.is_none_or(|wanted| {
                latest
                    .get(&c.id)
                    .and_then(|(_, a)| a.as_ref())
                    .and_then(|a| a.tbu_category())
                    == Some(wanted)
            })
        })
        .map(|c| {
            let z = latest
                .get(&c.id)
                .and_then(|(_, a)| a.as_ref())
                .and_then(|a| a.length_for_age)
                .map(|z| z.value());
            (c, z)
        })
        .collect();
    rows.sort_by(|(a, za), (b, zb)| {
        let lokus_first = lokus
            .contains(&b.kode_desa)
            .cmp(&lokus.contains(&a.kode_desa));
        lokus_first
            .then(za.unwrap_or(f64::MAX).total_cmp(&zb.unwrap_or(f64::MAX)))
            .then(a.id.cmp(&b.id))
    });
    let mut table = Table::new(&[
        t.nama,
        t.baas_nik,
        t.baas_jk,
        t.baas_umur_bulan,
        t.desa,
        t.baas_lokus,
        t.baas_ukur_terakhir,
        t.baas_zs_tbu,
        t.baas_status_tbu,
        t.baas_sponsor,
    ]);
    for (child, z) in rows {
        let last = latest.get(&child.id);
        table.push(
            vec![
                Cell::text(&child.nama),
                Cell::text(&child.nik_masked),
                Cell::text(&child.jk),
                age_months(child, today).map_or(Cell::Empty, Cell::Int),
                Cell::text(&child.kode_desa),
                Cell::Bool(lokus.contains(&child.kode_desa)),
                Cell::opt_text(last.map(|(m, _)| tanggal(m.tanggal))),
                z.map_or(Cell::Empty, |z| {
                    Cell::Number(Decimal::from_f64_retain(z).unwrap_or_default().round_dp(2))
                }),
                Cell::opt_text(
                    last.and_then(|(_, a)| a.as_ref())
                        .and_then(|a| a.tbu_category())
                        .map(TbuCategory::as_str),
                ),
                Cell::opt_text(active.get(&child.id).cloned()),
            ],
            None,
        );
    }
    let page = ListPage {
        ctx: PageCtx::new(&state, &user, t, "/baas").await?,
        title: t.baas_title.to_owned(),
        intro: Some(t.baas_intro.to_owned()),
        actions: vec![],
        table,
        download: Some("/baas?format=xlsx".into()),
        form: None,
        errors: vec![],
    };
    let list_query = web::Query(ListQuery {
        format: query.format.clone(),
    });
    list_response(page, &list_query, "anak-asuh").await
}

/// `/asuh`: a sponsor's own children, with pledged / paid / delivered.
pub async fn sponsor_home(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Sponsor])?;
    let t = lang.0;
    let scope = user.scope();
    let (sponsors, children, assignments, deliveries, payments) = state
        .db(move |conn| {
            Ok((
                db::list_sponsors_for_scope(conn, &scope)?,
                db::list_children_for_scope(conn, &scope)?,
                db::list_assignments_for_scope(conn, &scope)?,
                db::list_deliveries_for_scope(conn, &scope)?,
                db::list_payments_for_scope(conn, &scope)?,
            ))
        })
        .await?;
    let today = Utc::now().date_naive();
    let paid: Decimal = payments.iter().map(|p| p.jumlah).sum();
    let delivered: Decimal = deliveries.iter().map(|d| d.nilai).sum();
    let pledged: Decimal = sponsors.iter().map(|s| s.janji_total()).sum();
    let facts = vec![
        (t.asuh_janji.to_owned(), rupiah(pledged)),
        (t.asuh_dibayar.to_owned(), rupiah(paid)),
        (t.asuh_tersalur.to_owned(), rupiah(delivered)),
    ];
    let mut table = Table::new(&[
        t.nama,
        t.baas_umur_bulan,
        t.desa,
        t.asuh_bulan,
        t.asuh_janji,
        t.asuh_tersalur,
    ]);
    for child in &children {
        let own: Vec<_> = assignments
            .iter()
            .filter(|a| a.child_id == child.id)
            .collect();
        let ids: HashSet<i32> = own.iter().map(|a| a.id).collect();
        let months_pledged: i64 = own.iter().map(|a| i64::from(a.bulan_rencana)).sum();
        let child_pledged: Decimal = own
            .iter()
            .map(|a| a.rupiah_per_bulan * Decimal::from(a.bulan_rencana))
            .sum();
        let child_deliveries: Vec<_> = deliveries
            .iter()
            .filter(|d| ids.contains(&d.assignment_id))
            .collect();
        let months: BTreeSet<(i32, i32, u32)> = child_deliveries
            .iter()
            .map(|d| (d.assignment_id, d.tanggal.year(), d.tanggal.month()))
            .collect();
        let child_delivered: Decimal = child_deliveries.iter().map(|d| d.nilai).sum();
        table.push(
            vec![
                Cell::text(first_name(&child.nama)),
                age_months(child, today).map_or(Cell::Empty, Cell::Int),
                Cell::text(&child.kode_desa),
                Cell::text(format!("{}/{}", months.len(), months_pledged)),
                Cell::Money(child_pledged),
                Cell::Money(child_delivered),
            ],
            Some(format!("/asuh/anak/{}", child.id)),
        );
    }
    let page = ShowPage {
        ctx: PageCtx::new(&state, &user, t, "/asuh").await?,
        title: t.asuh_title.to_owned(),
        facts,
        actions: vec![],
        errors: vec![],
        tables: vec![(t.asuh_intro.to_owned(), table)],
        forms: vec![],
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "asuh_child.html")]
struct ChildPage {
    ctx: PageCtx,
    title: String,
    facts: Vec<(String, String)>,
    table: Table,
    /// The chart's data, read by static/asuh.js (no inline script: the CSP allows none).
    chart_json: String,
}

#[derive(serde::Serialize)]
struct ChartData {
    /// The child's length/height by age in days.
    points: Vec<(i64, f64)>,
    /// The WHO curves for the child's sex, each as (age in days, cm), keyed "-3", "-2", "0", "+2".
    curves: Vec<(String, Vec<(i64, f64)>)>,
}

/// `/asuh/anak/{id}`: one child's growth; a child of another sponsor is not found.
pub async fn sponsor_child(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Sponsor, Role::Baas])?;
    let t = lang.0;
    let scope = user.scope();
    let id = id.into_inner();
    let (child, measurements) = state
        .db(move |conn| {
            let child = db::find_child_for_scope(conn, &scope, id)?;
            let measurements = db::list_measurements_for_scope(conn, &scope)?;
            Ok((child, measurements))
        })
        .await?;
    let child = child.ok_or(AppError::NotFound)?;
    let own: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.child_id == child.id)
        .collect();
    let mut table = Table::new(&[
        t.asuh_tanggal,
        t.baas_umur_bulan,
        t.asuh_bb,
        t.asuh_tb,
        t.baas_zs_tbu,
        t.baas_status_tbu,
    ]);
    let mut points = Vec::new();
    for measurement in &own {
        let assessment = assess(&child, measurement);
        if let (Some(days), Some(length)) = (
            growth::age_in_days(child.tgl_lahir, measurement.tanggal),
            assessment.as_ref().and_then(|a| a.corrected_length_cm),
        ) {
            points.push((days, (length * 10.0).round() / 10.0));
        }
        table.push(
            vec![
                Cell::text(tanggal(measurement.tanggal)),
                age_months(&child, measurement.tanggal).map_or(Cell::Empty, Cell::Int),
                measurement.bb.map_or(Cell::Empty, Cell::Number),
                measurement.tb.map_or(Cell::Empty, Cell::Number),
                assessment
                    .as_ref()
                    .and_then(|a| a.length_for_age)
                    .map_or(Cell::Empty, |z| Cell::text(z.to_string())),
                Cell::opt_text(
                    assessment
                        .as_ref()
                        .and_then(|a| a.tbu_category())
                        .map(TbuCategory::as_str),
                ),
            ],
            None,
        );
    }
    let sex = Sex::parse(&child.jk).unwrap_or(Sex::Female);
    let last_day = points.iter().map(|(d, _)| *d).max().unwrap_or(365);
    let until = (last_day + 120).min(growth::MAX_AGE_DAYS);
    let curves = [-3.0, -2.0, 0.0, 2.0]
        .into_iter()
        .map(|z: f64| {
            let label = if z > 0.0 {
                format!("+{z}")
            } else {
                format!("{z}")
            };
            let line = (0..=until)
                .step_by(30)
                .filter_map(|day| {
                    growth::length_at_z(sex, day, z).map(|cm| (day, (cm * 10.0).round() / 10.0))
                })
                .collect();
            (label, line)
        })
        .collect();
    // `<` and `>` escaped so the JSON cannot end its script element, whatever it holds
    let chart_json = serde_json::to_string(&ChartData { points, curves })
        .map_err(AppError::internal)?
        .replace('<', "\\u003c")
        .replace('>', "\\u003e");
    let today = Utc::now().date_naive();
    let facts = vec![
        (
            t.baas_umur_bulan.to_owned(),
            age_months(&child, today)
                .map(|m| m.to_string())
                .unwrap_or_default(),
        ),
        (t.desa.to_owned(), child.kode_desa.clone()),
    ];
    let page = ChildPage {
        ctx: PageCtx::new(&state, &user, t, "/asuh").await?,
        title: t
            .asuh_child_title
            .replace("{nama}", first_name(&child.nama)),
        facts,
        table,
        chart_json,
    };
    render(&page)
}

/// The sponsor page's chart script (static/asuh.js), compiled in.
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=3600",
        ))
        .body(include_str!("../../static/asuh.js"))
}
