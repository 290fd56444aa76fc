//! BAAS pages. The desk (role `baas`; `admin` and `pimpinan` read them, masked, without forms):
//! the children with their latest WHO z-score, a child's record with its measurements, assignments
//! and deliveries, the sponsors with Rupiah pledged / paid / delivered, the assignment form that
//! suggests the most stunted unassigned children of lokus desa first, the overdue lists and the
//! printable reports. The sponsor (role `sponsor`, phone-first): their children, one child's growth
//! chart and their own printable reports, with first names only and never a NIK.
//!
//! Every read goes through `db::baas` / `db::baas_desk` with the user's `Scope`, and every change
//! through `services::baas`. A sponsor asking for another sponsor's child, for a desk page or for
//! a missing id gets the same 404.

use std::collections::{BTreeSet, HashMap, HashSet};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Datelike, Duration, Months, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::db::baas::{self as db, Child, ChildPrivate, Measurement, Sponsor};
use crate::db::baas_desk::{self as desk_db, AssignmentRow, DeliveryRow, Money};
use crate::domain::Role;
use crate::domain::amount::parse_amount;
use crate::domain::baas::{AssignmentStatus, MeasuredBy, Paket, SponsorJenis, first_name};
use crate::domain::format::{rupiah, tanggal};
use crate::domain::growth::{self, DAYS_PER_MONTH, Position, Sex, TbuCategory};
use crate::error::{AppError, AppResult};
use crate::i18n::phrases::Messages;
use crate::i18n::{Message, MessageKey};
use crate::services::baas::{
    self as service, AssignmentInput, ChildInput, DeliveryInput, EndInput, MeasurementInput,
    PaymentInput, SponsorInput, assess,
};
use crate::services::error::{ServiceError, ServiceResult};
use crate::state::AppState;
use crate::table::{Cell, Table};
use crate::web::extract::{CsrfForm, CurrentUser, Lang, NoFields};
use crate::web::page::{
    FieldKind, FormField, FormPage, InlineForm, ListPage, ListQuery, PageCtx, ShowPage,
    form_outcome, list_response, render, render_status, see_other, show_response, xlsx_download,
};

/// How long a child may go unmeasured before the desk's overdue list names it (monthly weighing
/// at the posyandu, with a few days' grace).
pub const MEASUREMENT_OVERDUE_DAYS: i64 = 35;

// ---------------------------------------------------------------------------------------------
// Who may see what

/// The desk's pages: the desk edits, admin and pimpinan read. A sponsor gets the 404 a missing
/// page gets (the desk's URLs tell a sponsor nothing); any other role is refused.
fn desk_reader(user: &CurrentUser) -> AppResult<bool> {
    match user.role {
        Role::Baas => Ok(true),
        Role::Admin | Role::Pimpinan => Ok(false),
        Role::Sponsor => Err(AppError::NotFound),
        Role::Opd => Err(AppError::Forbidden),
    }
}

fn desk_writer(user: &CurrentUser) -> AppResult<()> {
    match desk_reader(user)? {
        true => Ok(()),
        false => Err(AppError::Forbidden),
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

// ---------------------------------------------------------------------------------------------
// Words for stored values, in the reader's language

pub fn category_word(t: &Messages, category: TbuCategory) -> &'static str {
    match category {
        TbuCategory::SangatPendek => t.baas_cat_sangat_pendek,
        TbuCategory::Pendek => t.baas_cat_pendek,
        TbuCategory::Normal => t.baas_cat_normal,
        TbuCategory::Tinggi => t.baas_cat_tinggi,
    }
}

fn status_word(t: &Messages, status: AssignmentStatus) -> &'static str {
    match status {
        AssignmentStatus::Aktif => t.baas_status_aktif,
        AssignmentStatus::Selesai => t.baas_status_selesai,
        AssignmentStatus::Berhenti => t.baas_status_berhenti,
    }
}

fn paket_word(t: &Messages, paket: Paket) -> &'static str {
    match paket {
        Paket::Pmt => t.baas_paket_pmt,
        Paket::Sanitasi => t.baas_paket_sanitasi,
        Paket::Kie => t.baas_paket_kie,
        Paket::BantuanEkonomi => t.baas_paket_ekonomi,
        Paket::Lainnya => t.baas_lainnya,
    }
}

fn jenis_word(t: &Messages, jenis: SponsorJenis) -> &'static str {
    match jenis {
        SponsorJenis::Perorangan => t.baas_jenis_perorangan,
        SponsorJenis::Perusahaan => t.baas_jenis_perusahaan,
        SponsorJenis::Instansi => t.baas_jenis_instansi,
        SponsorJenis::Lembaga => t.baas_jenis_lembaga,
        SponsorJenis::TniPolri => t.baas_jenis_tni_polri,
        SponsorJenis::Lainnya => t.baas_lainnya,
    }
}

fn oleh_word(t: &Messages, oleh: MeasuredBy) -> &'static str {
    match oleh {
        MeasuredBy::Posyandu => t.baas_oleh_posyandu,
        MeasuredBy::Tpk => t.baas_oleh_tpk,
        MeasuredBy::Puskesmas => t.baas_oleh_puskesmas,
    }
}

fn position_word(t: &Messages, position: Position) -> &'static str {
    match position {
        Position::Lying => t.baas_berbaring,
        Position::Standing => t.baas_berdiri,
    }
}

fn sex_word(t: &Messages, jk: &str) -> &'static str {
    match Sex::parse(jk) {
        Some(Sex::Male) => t.baas_laki,
        _ => t.baas_perempuan,
    }
}

fn desa_name(names: &HashMap<String, String>, kode: &str) -> String {
    names.get(kode).cloned().unwrap_or_else(|| kode.to_owned())
}

fn age_months(child: &Child, on: NaiveDate) -> Option<i64> {
    growth::age_in_days(child.tgl_lahir, on).map(|days| (days as f64 / DAYS_PER_MONTH) as i64)
}

/// A z-score in a list that downloads: a number, so a workbook can sort and filter by it.
fn z_number(z: Option<growth::ZScore>) -> Cell {
    z.map_or(Cell::Empty, |z| {
        Cell::Number(
            Decimal::from_f64_retain(z.value())
                .unwrap_or_default()
                .round_dp(2),
        )
    })
}

/// A z-score in a record or a report: always two decimals (-2,00, not -2).
fn z_cell(z: Option<growth::ZScore>) -> Cell {
    z.map_or(Cell::Empty, |z| Cell::text(z_text(z)))
}

/// A z-score as a page reads it: two decimals, the Indonesian way (-2,06).
fn z_text(z: growth::ZScore) -> String {
    crate::domain::format::angka(
        Decimal::from_f64_retain(z.value())
            .unwrap_or_default()
            .round_dp(2),
        2,
    )
}

fn pledged(assignment: &db::Assignment) -> Decimal {
    assignment.rupiah_per_bulan * Decimal::from(assignment.bulan_rencana)
}

/// The TB/U z-score of a child's latest measurement, when it has one that can be assessed.
fn latest_z(child: &Child, latest: &HashMap<i32, Measurement>) -> Option<growth::Assessment> {
    latest.get(&child.id).and_then(|m| assess(child, m))
}

/// The desk's order and the assignment form's suggestion order: lokus desa first, then the lowest
/// TB/U z-score (children not yet measured after every measured one), then the oldest record.
pub fn rank(children: &mut [(&Child, Option<f64>)], lokus: &HashSet<String>) {
    children.sort_by(|(a, za), (b, zb)| {
        lokus
            .contains(&b.kode_desa)
            .cmp(&lokus.contains(&a.kode_desa))
            .then(za.unwrap_or(f64::MAX).total_cmp(&zb.unwrap_or(f64::MAX)))
            .then(a.id.cmp(&b.id))
    });
}

// ---------------------------------------------------------------------------------------------
// Forms: text in, typed input or the message that says what is wrong

fn refuse(key: MessageKey, field: &str, text: &str) -> ServiceError {
    ServiceError::Invalid(Message::new(key).arg(field).arg(text.trim()))
}

fn form_date(text: &str, field: &str) -> ServiceResult<NaiveDate> {
    if text.trim().is_empty() {
        return Err(ServiceError::Invalid(
            Message::new(MessageKey::FieldRequired).arg(field),
        ));
    }
    crate::anthro::parse_date(text)
        .ok_or_else(|| refuse(MessageKey::AnthroDateInvalid, field, text))
}

fn form_rupiah(text: &str, field: &str) -> ServiceResult<Decimal> {
    if text.trim().is_empty() {
        return Err(ServiceError::Invalid(
            Message::new(MessageKey::FieldRequired).arg(field),
        ));
    }
    parse_amount(text).ok_or_else(|| refuse(MessageKey::AnthroNumberInvalid, field, text))
}

/// A measure in kg or cm, `.` or `,` as the decimal separator; empty is `None`.
fn form_measure(text: &str, field: &str) -> ServiceResult<Option<Decimal>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.replace(',', ".")
        .parse::<Decimal>()
        .map(Some)
        .map_err(|_| refuse(MessageKey::AnthroNumberInvalid, field, text))
}

fn form_int<T: std::str::FromStr>(text: &str, field: &str) -> ServiceResult<T> {
    let cleaned: String = text.trim().chars().filter(|c| *c != '.').collect();
    cleaned
        .parse::<T>()
        .map_err(|_| refuse(MessageKey::AnthroNumberInvalid, field, text))
}

fn form_choice<T>(value: Option<T>, field: &str) -> ServiceResult<T> {
    value.ok_or_else(|| {
        ServiceError::Invalid(Message::new(MessageKey::BaasChoiceInvalid).arg(field))
    })
}

fn select(
    name: &'static str,
    label: &str,
    value: &str,
    options: Vec<(String, String)>,
) -> FormField {
    FormField::text(name, label, value, true).with_kind(FieldKind::Select(options))
}

fn options<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    word: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|value| (code(*value).to_owned(), word(*value).to_owned()))
        .collect()
}

fn date_text(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

// ---------------------------------------------------------------------------------------------
// Page shapes of their own

/// A BAAS record (a child, a sponsor, the overdue lists, the assignment form): facts, the
/// private data once asked for, links, buttons, tables and forms each under its heading.
#[derive(Template)]
#[template(path = "baas_record.html")]
struct RecordPage {
    ctx: PageCtx,
    title: String,
    intro: Option<String>,
    errors: Vec<String>,
    facts: Vec<(String, String)>,
    private: Vec<(String, String)>,
    actions: Vec<(String, String)>,
    buttons: Vec<InlineForm>,
    forms_first: bool,
    tables: Vec<(String, Table)>,
    forms: Vec<(String, InlineForm)>,
}

impl RecordPage {
    fn new(ctx: PageCtx, title: String) -> RecordPage {
        RecordPage {
            ctx,
            title,
            intro: None,
            errors: vec![],
            facts: vec![],
            private: vec![],
            actions: vec![],
            buttons: vec![],
            forms_first: false,
            tables: vec![],
            forms: vec![],
        }
    }

    fn respond(self) -> AppResult<HttpResponse> {
        let status = if self.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        render_status(&self, status)
    }
}

/// The desk's children list with its filters (a GET form, so a filtered list is a link).
#[derive(Template)]
#[template(path = "baas_desk.html")]
struct DeskPage {
    ctx: PageCtx,
    title: String,
    intro: String,
    actions: Vec<(String, String)>,
    desa_options: Vec<(String, String)>,
    status_options: Vec<(String, String)>,
    penugasan_options: Vec<(String, String)>,
    query: DeskQuery,
    download: String,
    table: Table,
}

/// A printable report: A4 portrait, the menu and buttons left off the paper.
#[derive(Template)]
#[template(path = "baas_report.html")]
struct ReportPage {
    ctx: PageCtx,
    title: String,
    subtitle: String,
    facts: Vec<(String, String)>,
    chart_json: Option<String>,
    tables: Vec<(String, Table)>,
    back: String,
}

// ---------------------------------------------------------------------------------------------
// The desk's children list

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct DeskQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penugasan: Option<String>,
}

impl DeskQuery {
    fn desa(&self) -> &str {
        self.desa.as_deref().unwrap_or("").trim()
    }
    fn status(&self) -> &str {
        self.status.as_deref().unwrap_or("").trim()
    }
    fn penugasan(&self) -> &str {
        self.penugasan.as_deref().unwrap_or("").trim()
    }
}

/// What every desk list needs to name children: desa names and the lokus desa.
struct Names {
    desa: HashMap<String, String>,
    lokus: HashSet<String>,
}

fn load_names(conn: &mut diesel::PgConnection, kode_kabkota: &str) -> AppResult<Names> {
    Ok(Names {
        desa: desk_db::desa_names(conn, kode_kabkota)?,
        lokus: db::lokus_desa_latest(conn, kode_kabkota)?,
    })
}

/// The desa the filter offers: lokus desa first, then the others, each by name.
fn desa_choices(t: &Messages, codes: &[String], names: &Names) -> Vec<(String, String)> {
    let mut codes: Vec<&String> = codes.iter().collect();
    codes.sort_by_key(|kode| (!names.lokus.contains(*kode), desa_name(&names.desa, kode)));
    let mut choices = vec![(String::new(), t.baas_semua.to_owned())];
    choices.extend(codes.into_iter().map(|kode| {
        let name = desa_name(&names.desa, kode);
        let label = if names.lokus.contains(kode) {
            format!("{name} ({})", t.baas_lokus_short)
        } else {
            name
        };
        (kode.clone(), label)
    }));
    choices
}

/// A desk form's change, run on the blocking pool once its text has parsed; a parse refusal is the
/// outcome as it stands, and nothing is written.
async fn change_if_parsed<P, T>(
    state: &AppState,
    parsed: ServiceResult<P>,
    change: impl FnOnce(&mut diesel::PgConnection, P) -> AppResult<ServiceResult<T>> + Send + 'static,
) -> AppResult<ServiceResult<T>>
where
    P: Send + 'static,
    T: Send + 'static,
{
    match parsed {
        Ok(parsed) => state.db(move |conn| change(conn, parsed)).await,
        Err(error) => Ok(Err(error)),
    }
}

/// `/baas`: the desk's children, lokus desa first, then the most stunted; filtered by desa, TB/U
/// category and assignment in the URL; as xlsx with `format=xlsx`.
pub async fn desk(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<DeskQuery>,
) -> AppResult<HttpResponse> {
    let can_edit = desk_reader(&user)?;
    let t = lang.0;
    let scope = user.scope();
    let query = query.into_inner();
    let (children, latest, active, desa_codes, names) = state
        .db(move |conn| {
            Ok((
                db::list_children_for_scope(conn, &scope)?,
                desk_db::latest_measurements(conn, &scope)?,
                desk_db::active_assignments(conn, &scope)?,
                desk_db::desa_with_children(conn, &scope)?,
                load_names(conn, &scope.kode_kabkota)?,
            ))
        })
        .await?;
    let status_filter = TbuCategory::parse(query.status());
    let assessed: HashMap<i32, growth::Assessment> = children
        .iter()
        .filter_map(|c| latest_z(c, &latest).map(|a| (c.id, a)))
        .collect();
    let mut rows: Vec<(&Child, Option<f64>)> = children
        .iter()
        .filter(|c| query.desa().is_empty() || c.kode_desa == query.desa())
        .filter(|c| match query.penugasan() {
            "ada" => active.contains_key(&c.id),
            "belum" => !active.contains_key(&c.id),
            _ => true,
        })
        .filter(|c| {
            status_filter.is_none_or(|wanted| {
                assessed.get(&c.id).and_then(|a| a.tbu_category()) == Some(wanted)
            })
        })
        .map(|c| {
            let z = assessed
                .get(&c.id)
                .and_then(|a| a.length_for_age)
                .map(|z| z.value());
            (c, z)
        })
        .collect();
    rank(&mut rows, &names.lokus);
    let today = today();
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
    for (child, _) in rows {
        let assessment = assessed.get(&child.id);
        table.push(
            vec![
                Cell::text(&child.nama),
                Cell::text(&child.nik_masked),
                Cell::text(&child.jk),
                age_months(child, today).map_or(Cell::Empty, Cell::Int),
                Cell::text(desa_name(&names.desa, &child.kode_desa)),
                Cell::Bool(names.lokus.contains(&child.kode_desa)),
                Cell::opt_text(latest.get(&child.id).map(|m| tanggal(m.tanggal))),
                z_number(assessment.and_then(|a| a.length_for_age)),
                Cell::opt_text(
                    assessment
                        .and_then(|a| a.tbu_category())
                        .map(|c| category_word(t, c)),
                ),
                Cell::opt_text(active.get(&child.id).map(|a| a.sponsor_nama.clone())),
            ],
            Some(format!("/baas/anak/{}", child.id)),
        );
    }
    if query.format.as_deref() == Some("xlsx") {
        return xlsx_download(t.baas_title.to_owned(), table, t.yes, t.no, "anak-asuh").await;
    }
    let mut actions = Vec::new();
    if can_edit {
        actions.extend([
            ("/baas/anak/baru".to_owned(), t.baas_child_new.to_owned()),
            (
                "/baas/penugasan/baru".to_owned(),
                t.baas_assign_new.to_owned(),
            ),
        ]);
    }
    actions.extend([
        ("/baas/sponsor".to_owned(), t.baas_sponsors_title.to_owned()),
        (
            "/baas/terlambat".to_owned(),
            t.baas_overdue_title.to_owned(),
        ),
        (
            format!("/baas/ekspor?tahun={}", today.year()),
            t.baas_export_workbook.to_owned(),
        ),
    ]);
    let mut xlsx_query = query.clone();
    xlsx_query.format = Some("xlsx".into());
    let download = format!(
        "/baas?{}",
        serde_urlencoded::to_string(&xlsx_query).unwrap_or_default()
    );
    let mut status_options = vec![(String::new(), t.baas_semua.to_owned())];
    status_options.extend(
        TbuCategory::ALL
            .iter()
            .map(|c| (c.as_str().to_owned(), category_word(t, *c).to_owned())),
    );
    let page = DeskPage {
        ctx: PageCtx::new(&state, &user, t, "/baas").await?,
        title: t.baas_title.to_owned(),
        intro: t.baas_intro.to_owned(),
        actions,
        desa_options: desa_choices(t, &desa_codes, &names),
        status_options,
        penugasan_options: vec![
            (String::new(), t.baas_semua.to_owned()),
            ("ada".into(), t.baas_penugasan_ada.to_owned()),
            ("belum".into(), t.baas_penugasan_belum.to_owned()),
        ],
        query,
        download,
        table,
    };
    render(&page)
}

// ---------------------------------------------------------------------------------------------
// A child's record on the desk

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MeasureForm {
    #[serde(default)]
    pub tanggal: String,
    #[serde(default)]
    pub bb: String,
    #[serde(default)]
    pub tb: String,
    #[serde(default)]
    pub cara_ukur: String,
    #[serde(default)]
    pub oleh: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct DeliveryForm {
    #[serde(default)]
    pub tanggal: String,
    #[serde(default)]
    pub barang: String,
    #[serde(default)]
    pub nilai: String,
    #[serde(default)]
    pub oleh: String,
    #[serde(default)]
    pub catatan: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EndForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub alasan: String,
}

/// What the child page's forms hold when it is shown again after a refusal.
#[derive(Default)]
struct ChildForms {
    measure: MeasureForm,
    delivery: DeliveryForm,
    end: EndForm,
}

struct ChildRecord {
    child: Child,
    measurements: Vec<Measurement>,
    assignments: Vec<AssignmentRow>,
    deliveries: Vec<DeliveryRow>,
    delivered: HashMap<i32, Decimal>,
    names: Names,
}

async fn load_child(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<ChildRecord> {
    let scope = user.scope();
    state
        .db(move |conn| {
            let child = db::find_child_for_scope(conn, &scope, id)?.ok_or(AppError::NotFound)?;
            let measurements = desk_db::measurements_of_child(conn, &scope, id)?;
            let assignments = desk_db::assignments_of_child(conn, &scope, id)?;
            let ids: Vec<i32> = assignments.iter().map(|a| a.assignment.id).collect();
            let deliveries = desk_db::deliveries_of(conn, &scope, &ids)?;
            let delivered = desk_db::delivered_by_assignment(conn, &scope)?;
            let names = load_names(conn, &scope.kode_kabkota)?;
            Ok(ChildRecord {
                child,
                measurements,
                assignments,
                deliveries,
                delivered,
                names,
            })
        })
        .await
}

fn measurement_table(
    t: &Messages,
    child: &Child,
    measurements: &[Measurement],
    full: bool,
) -> Table {
    let mut columns = vec![t.asuh_tanggal, t.baas_umur_bulan, t.asuh_bb, t.asuh_tb];
    if full {
        columns.push(t.baas_cara_oleh);
    }
    columns.extend([
        t.baas_zs_tbu,
        t.baas_status_tbu,
        t.baas_zs_bbu,
        t.baas_zs_bbtb,
    ]);
    let mut table = Table::new(&columns);
    for measurement in measurements {
        let assessment = assess(child, measurement);
        let mut cells = vec![
            Cell::text(tanggal(measurement.tanggal)),
            age_months(child, measurement.tanggal).map_or(Cell::Empty, Cell::Int),
            measurement.bb.map_or(Cell::Empty, Cell::Number),
            measurement.tb.map_or(Cell::Empty, Cell::Number),
        ];
        if full {
            let oleh = oleh_word(t, measurement.oleh);
            cells.push(Cell::text(
                match measurement.cara_ukur.as_deref().and_then(Position::parse) {
                    Some(position) => format!("{}, {oleh}", position_word(t, position)),
                    None => oleh.to_owned(),
                },
            ));
        }
        let a = assessment.as_ref();
        cells.extend([
            z_cell(a.and_then(|a| a.length_for_age)),
            Cell::opt_text(
                a.and_then(|a| a.tbu_category())
                    .map(|c| category_word(t, c)),
            ),
            z_cell(a.and_then(|a| a.weight_for_age)),
            z_cell(a.and_then(|a| a.weight_for_length)),
        ]);
        table.push(cells, None);
    }
    table
}

fn assignment_table(
    t: &Messages,
    assignments: &[AssignmentRow],
    delivered: &HashMap<i32, Decimal>,
    child_names: Option<&HashMap<i32, String>>,
) -> Table {
    let first = if child_names.is_some() {
        t.nama
    } else {
        t.baas_sponsor
    };
    let mut table = Table::new(&[
        first,
        t.baas_mulai,
        t.baas_bulan_rencana,
        t.baas_paket,
        t.baas_rp_bulan,
        t.asuh_janji,
        t.asuh_tersalur,
        t.baas_status,
    ]);
    for row in assignments {
        let a = &row.assignment;
        let (name, link) = match child_names {
            Some(names) => (
                names.get(&a.child_id).cloned().unwrap_or_default(),
                Some(format!("/baas/anak/{}", a.child_id)),
            ),
            None => (
                row.sponsor_nama.clone(),
                Some(format!("/baas/sponsor/{}", a.sponsor_id)),
            ),
        };
        table.push(
            vec![
                Cell::text(name),
                Cell::text(tanggal(a.mulai)),
                Cell::Int(i64::from(a.bulan_rencana)),
                Cell::text(paket_word(t, a.paket)),
                Cell::Money(a.rupiah_per_bulan),
                Cell::Money(pledged(a)),
                Cell::Money(delivered.get(&a.id).copied().unwrap_or_default()),
                Cell::text(match &a.alasan_berhenti {
                    Some(alasan) => format!("{}: {alasan}", status_word(t, a.status)),
                    None => status_word(t, a.status).to_owned(),
                }),
            ],
            link,
        );
    }
    table
}

fn delivery_table(
    t: &Messages,
    deliveries: &[DeliveryRow],
    child_name: impl Fn(&DeliveryRow) -> Option<String>,
) -> Table {
    let with_child = deliveries.iter().any(|d| child_name(d).is_some());
    let mut columns = vec![t.asuh_tanggal_salur];
    if with_child {
        columns.push(t.nama);
    }
    columns.extend([t.baas_barang, t.baas_nilai, t.baas_oleh_salur]);
    let mut table = Table::new(&columns);
    for delivery in deliveries {
        let mut cells = vec![Cell::text(tanggal(delivery.tanggal))];
        if with_child {
            cells.push(Cell::opt_text(child_name(delivery)));
        }
        cells.extend([
            Cell::text(&delivery.barang),
            Cell::Money(delivery.nilai),
            Cell::text(&delivery.oleh),
        ]);
        table.push(cells, None);
    }
    table
}

fn child_facts(t: &Messages, record: &ChildRecord, today: NaiveDate) -> Vec<(String, String)> {
    let child = &record.child;
    let active = record
        .assignments
        .iter()
        .find(|a| a.assignment.status == AssignmentStatus::Aktif);
    let latest = record.measurements.last();
    let assessment = latest.and_then(|m| assess(child, m));
    vec![
        (t.baas_nik.to_owned(), child.nik_masked.clone()),
        (t.baas_jk.to_owned(), sex_word(t, &child.jk).to_owned()),
        (t.baas_tgl_lahir.to_owned(), tanggal(child.tgl_lahir)),
        (
            t.baas_umur_bulan.to_owned(),
            age_months(child, today)
                .map(|m| m.to_string())
                .unwrap_or_default(),
        ),
        (
            t.desa.to_owned(),
            desa_name(&record.names.desa, &child.kode_desa),
        ),
        (
            t.baas_lokus.to_owned(),
            if record.names.lokus.contains(&child.kode_desa) {
                t.yes
            } else {
                t.no
            }
            .to_owned(),
        ),
        (t.baas_posyandu.to_owned(), child.posyandu.clone()),
        (t.baas_status_krs.to_owned(), child.status_krs.clone()),
        (
            t.baas_persetujuan.to_owned(),
            format!(
                "{}, {}",
                child.persetujuan_oleh,
                tanggal(child.persetujuan_tanggal)
            ),
        ),
        (
            t.baas_status_tbu.to_owned(),
            match assessment.as_ref() {
                Some(a) => format!(
                    "{} ({} {})",
                    a.tbu_category().map(|c| category_word(t, c)).unwrap_or("-"),
                    t.baas_zs_tbu,
                    a.length_for_age.map(z_text).unwrap_or_default()
                ),
                None => "-".to_owned(),
            },
        ),
        (
            t.baas_sponsor.to_owned(),
            active
                .map(|a| a.sponsor_nama.clone())
                .unwrap_or_else(|| "-".to_owned()),
        ),
    ]
}

fn private_facts(t: &Messages, private: &ChildPrivate) -> Vec<(String, String)> {
    vec![
        (t.baas_nik_full.to_owned(), private.nik.clone()),
        (
            t.baas_no_kk.to_owned(),
            private.no_kk.clone().unwrap_or_else(|| "-".to_owned()),
        ),
        (t.baas_nama_ayah.to_owned(), private.nama_ayah.clone()),
        (t.baas_nama_ibu.to_owned(), private.nama_ibu.clone()),
        (t.baas_alamat.to_owned(), private.alamat.clone()),
    ]
}

fn measure_fields(t: &Messages, input: &MeasureForm) -> Vec<FormField> {
    let mut cara = vec![(String::new(), t.baas_cara_sesuai_umur.to_owned())];
    cara.extend(options(
        &[Position::Lying, Position::Standing],
        Position::as_str,
        |p| position_word(t, p),
    ));
    vec![
        FormField::text("tanggal", t.asuh_tanggal, &input.tanggal, true),
        FormField::text("bb", t.asuh_bb, &input.bb, false),
        FormField::text("tb", t.asuh_tb, &input.tb, false),
        select("cara_ukur", t.baas_cara_ukur, &input.cara_ukur, cara),
        select(
            "oleh",
            t.baas_oleh_ukur,
            &input.oleh,
            options(MeasuredBy::ALL, MeasuredBy::as_str, |o| oleh_word(t, o)),
        ),
    ]
}

fn delivery_fields(t: &Messages, input: &DeliveryForm) -> Vec<FormField> {
    vec![
        FormField::text("tanggal", t.asuh_tanggal_salur, &input.tanggal, true),
        FormField::text("barang", t.baas_barang, &input.barang, true),
        FormField::text("nilai", t.baas_nilai, &input.nilai, true),
        FormField::text("oleh", t.baas_oleh_salur, &input.oleh, false),
        FormField::text("catatan", t.baas_catatan, &input.catatan, false),
    ]
}

fn end_fields(t: &Messages, input: &EndForm) -> Vec<FormField> {
    vec![
        select(
            "status",
            t.baas_status,
            &input.status,
            vec![
                ("selesai".into(), t.baas_status_selesai.to_owned()),
                ("berhenti".into(), t.baas_status_berhenti.to_owned()),
            ],
        ),
        FormField::text("alasan", t.baas_alasan, &input.alasan, false),
    ]
}

async fn child_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    id: i32,
    private: Option<ChildPrivate>,
    forms: ChildForms,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let can_edit = desk_reader(user)?;
    let record = load_child(state, user, id).await?;
    let today = today();
    let child = &record.child;
    let mut page = RecordPage::new(
        PageCtx::new(state, user, t, "/baas").await?,
        child.nama.clone(),
    );
    page.errors = errors;
    page.facts = child_facts(t, &record, today);
    if let Some(private) = &private {
        page.private = private_facts(t, private);
    }
    let active = record
        .assignments
        .iter()
        .find(|a| a.assignment.status == AssignmentStatus::Aktif);
    page.actions
        .push((format!("/baas/anak/{id}/laporan"), t.baas_report.to_owned()));
    if can_edit && active.is_none() {
        page.actions.push((
            format!("/baas/penugasan/baru?anak={id}"),
            t.baas_assign_new.to_owned(),
        ));
    }
    if can_edit && private.is_none() && user.role == Role::Baas {
        page.buttons.push(InlineForm {
            action: format!("/baas/anak/{id}/pribadi"),
            fields: vec![],
            submit: t.baas_view_private.to_owned(),
        });
    }
    page.tables = vec![
        (
            t.baas_measurements.to_owned(),
            measurement_table(t, child, &record.measurements, true),
        ),
        (
            t.baas_assignments.to_owned(),
            assignment_table(t, &record.assignments, &record.delivered, None),
        ),
        (
            t.baas_deliveries.to_owned(),
            delivery_table(t, &record.deliveries, |_| None),
        ),
    ];
    if can_edit {
        let mut measure = forms.measure;
        if measure.tanggal.is_empty() {
            measure.tanggal = date_text(today);
        }
        page.forms.push((
            t.baas_measure_new.to_owned(),
            InlineForm {
                action: format!("/baas/anak/{id}/ukur"),
                fields: measure_fields(t, &measure),
                submit: t.save.to_owned(),
            },
        ));
        if let Some(active) = active {
            let mut delivery = forms.delivery;
            if delivery.tanggal.is_empty() {
                delivery.tanggal = date_text(today);
            }
            if delivery.nilai.is_empty() {
                delivery.nilai = active.assignment.rupiah_per_bulan.normalize().to_string();
            }
            page.forms.push((
                format!("{} ({})", t.baas_delivery_new, active.sponsor_nama),
                InlineForm {
                    action: format!("/baas/anak/{id}/salur"),
                    fields: delivery_fields(t, &delivery),
                    submit: t.save.to_owned(),
                },
            ));
            page.forms.push((
                t.baas_end_title.to_owned(),
                InlineForm {
                    action: format!("/baas/penugasan/{}/akhiri", active.assignment.id),
                    fields: end_fields(t, &forms.end),
                    submit: t.baas_end_submit.to_owned(),
                },
            ));
        }
    }
    page.respond()
}

/// `/baas/anak/{id}`: a child's record, NIK masked.
pub async fn desk_child(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    desk_reader(&user)?;
    child_page(
        &state,
        &user,
        lang.0,
        id.into_inner(),
        None,
        ChildForms::default(),
        vec![],
    )
    .await
}

/// `POST /baas/anak/{id}/pribadi`: the same record with the personal data, through
/// `services::baas::view_private` (the desk only; every view in the activity log).
pub async fn desk_child_private(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    let id = id.into_inner();
    let (actor, scope, role) = (user.actor(), user.scope(), user.role);
    let private = state
        .db(move |conn| Ok(service::view_private(conn, &actor, &scope, role, id)?))
        .await?;
    let mut response = child_page(
        &state,
        &user,
        lang.0,
        id,
        Some(private),
        ChildForms::default(),
        vec![],
    )
    .await?;
    // personal data is never kept by a browser's or proxy's cache
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// `POST /baas/anak/{id}/ukur`: a measurement.
pub async fn record_measurement(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    form: CsrfForm<MeasureForm>,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    let (id, input, t) = (id.into_inner(), form.0, lang.0);
    let parsed = (|| -> ServiceResult<MeasurementInput> {
        let cara_ukur = match input.cara_ukur.trim() {
            "" => None,
            text => Some(form_choice(Position::parse(text), t.baas_cara_ukur)?),
        };
        Ok(MeasurementInput {
            child_id: id,
            tanggal: form_date(&input.tanggal, t.asuh_tanggal)?,
            bb: form_measure(&input.bb, t.asuh_bb)?,
            tb: form_measure(&input.tb, t.asuh_tb)?,
            cara_ukur,
            oleh: form_choice(MeasuredBy::parse(&input.oleh), t.baas_oleh_ukur)?,
        })
    })();
    let (actor, scope) = (user.actor(), user.scope());
    let result = change_if_parsed(&state, parsed, move |conn, parsed| {
        Ok(service::record_measurement(
            conn,
            &actor,
            &scope,
            parsed,
            today(),
        ))
    })
    .await?;
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other(&format!("/baas/anak/{id}"))) },
        |errors| {
            let forms = ChildForms {
                measure: input.clone(),
                ..ChildForms::default()
            };
            child_page(&state, &user, t, id, None, forms, errors)
        },
    )
    .await
}

/// `POST /baas/anak/{id}/salur`: aid delivered on the child's active assignment.
pub async fn record_delivery(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    form: CsrfForm<DeliveryForm>,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    let (id, input, t) = (id.into_inner(), form.0, lang.0);
    let parsed = (|| -> ServiceResult<(NaiveDate, Decimal)> {
        Ok((
            form_date(&input.tanggal, t.asuh_tanggal_salur)?,
            form_rupiah(&input.nilai, t.baas_nilai)?,
        ))
    })();
    let (actor, scope, attempt) = (user.actor(), user.scope(), input.clone());
    let result = change_if_parsed(&state, parsed, move |conn, (tanggal, nilai)| {
        db::find_child_for_scope(conn, &scope, id)?.ok_or(AppError::NotFound)?;
        let active = db::active_assignment_of_child(conn, &scope.kode_kabkota, id)?;
        let Some(active) = active else {
            return Ok(Err(ServiceError::invalid(
                MessageKey::BaasNoActiveAssignment,
            )));
        };
        Ok(service::record_delivery(
            conn,
            &actor,
            &scope,
            DeliveryInput {
                assignment_id: active.id,
                tanggal,
                barang: attempt.barang,
                nilai,
                oleh: attempt.oleh,
                catatan: attempt.catatan,
            },
            today(),
        ))
    })
    .await?;
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other(&format!("/baas/anak/{id}"))) },
        |errors| {
            let forms = ChildForms {
                delivery: input.clone(),
                ..ChildForms::default()
            };
            child_page(&state, &user, t, id, None, forms, errors)
        },
    )
    .await
}

/// `POST /baas/penugasan/{id}/akhiri`: ends an assignment, `selesai` or `berhenti` with a reason.
pub async fn end_assignment(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    form: CsrfForm<EndForm>,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    let (id, input, t) = (id.into_inner(), form.0, lang.0);
    let scope = user.scope();
    let assignment = state
        .db(move |conn| desk_db::find_assignment(conn, &scope, id)?.ok_or(AppError::NotFound))
        .await?;
    let child_id = assignment.child_id;
    let parsed = form_choice(
        AssignmentStatus::parse(&input.status).filter(|s| *s != AssignmentStatus::Aktif),
        t.baas_status,
    );
    let (actor, scope, alasan) = (user.actor(), user.scope(), input.alasan.clone());
    let result = change_if_parsed(&state, parsed, move |conn, status| {
        Ok(service::end_assignment(
            conn,
            &actor,
            &scope,
            EndInput {
                assignment_id: id,
                status,
                alasan,
            },
        ))
    })
    .await?;
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other(&format!("/baas/anak/{child_id}"))) },
        |errors| {
            let forms = ChildForms {
                end: input.clone(),
                ..ChildForms::default()
            };
            child_page(&state, &user, t, child_id, None, forms, errors)
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Registering a child

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ChildForm {
    #[serde(default)]
    pub nama: String,
    #[serde(default)]
    pub jk: String,
    #[serde(default)]
    pub tgl_lahir: String,
    #[serde(default)]
    pub kode_desa: String,
    #[serde(default)]
    pub nik: String,
    #[serde(default)]
    pub no_kk: String,
    #[serde(default)]
    pub nama_ayah: String,
    #[serde(default)]
    pub nama_ibu: String,
    #[serde(default)]
    pub alamat: String,
    #[serde(default)]
    pub status_krs: String,
    #[serde(default)]
    pub posyandu: String,
    #[serde(default)]
    pub persetujuan_oleh: String,
    #[serde(default)]
    pub persetujuan_tanggal: String,
}

async fn child_form_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    input: &ChildForm,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let kode = user.kode_kabkota.clone();
    let (desa, lokus) = state
        .db(move |conn| {
            Ok((
                crate::db::wilayah::list_desa_in_kabkota(conn, &kode)?,
                db::lokus_desa_latest(conn, &kode)?,
            ))
        })
        .await?;
    let mut desa: Vec<(bool, String, String)> = desa
        .into_iter()
        .map(|w| (!lokus.contains(&w.kode), w.nama, w.kode))
        .collect();
    desa.sort();
    let mut desa_options = vec![(String::new(), t.baas_pilih.to_owned())];
    desa_options.extend(desa.into_iter().map(|(not_lokus, nama, kode)| {
        let label = if not_lokus {
            nama
        } else {
            format!("{nama} ({})", t.baas_lokus_short)
        };
        (kode, label)
    }));
    let fields = vec![
        FormField::text("nama", t.nama, &input.nama, true),
        select(
            "jk",
            t.baas_jk,
            &input.jk,
            vec![
                ("P".into(), t.baas_perempuan.to_owned()),
                ("L".into(), t.baas_laki.to_owned()),
            ],
        ),
        FormField::text("tgl_lahir", t.baas_tgl_lahir, &input.tgl_lahir, true),
        select("kode_desa", t.desa, &input.kode_desa, desa_options),
        FormField::text("nik", t.baas_nik_full, &input.nik, true),
        FormField::text("no_kk", t.baas_no_kk, &input.no_kk, false),
        FormField::text("nama_ayah", t.baas_nama_ayah, &input.nama_ayah, false),
        FormField::text("nama_ibu", t.baas_nama_ibu, &input.nama_ibu, false),
        FormField::text("alamat", t.baas_alamat, &input.alamat, false),
        FormField::text("status_krs", t.baas_status_krs, &input.status_krs, false),
        FormField::text("posyandu", t.baas_posyandu, &input.posyandu, false),
        FormField::text(
            "persetujuan_oleh",
            t.baas_persetujuan_oleh,
            &input.persetujuan_oleh,
            true,
        ),
        FormField::text(
            "persetujuan_tanggal",
            t.baas_persetujuan_tanggal,
            &input.persetujuan_tanggal,
            true,
        ),
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        ctx: PageCtx::new(state, user, t, "/baas").await?,
        title: t.baas_child_new.to_owned(),
        action: "/baas/anak/baru".to_owned(),
        fields,
        errors,
        submit: t.save.to_owned(),
        back: "/baas".to_owned(),
    };
    render_status(&page, status)
}

pub async fn child_new_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    let input = ChildForm {
        persetujuan_tanggal: date_text(today()),
        ..ChildForm::default()
    };
    child_form_page(&state, &user, lang.0, &input, vec![]).await
}

pub async fn child_create(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<ChildForm>,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    let (input, t) = (form.0, lang.0);
    let parsed = (|| -> ServiceResult<ChildInput> {
        Ok(ChildInput {
            nama: input.nama.clone(),
            jk: form_choice(Sex::parse(&input.jk), t.baas_jk)?,
            tgl_lahir: form_date(&input.tgl_lahir, t.baas_tgl_lahir)?,
            kode_desa: input.kode_desa.clone(),
            nik: input.nik.clone(),
            no_kk: input.no_kk.clone(),
            nama_ayah: input.nama_ayah.clone(),
            nama_ibu: input.nama_ibu.clone(),
            alamat: input.alamat.clone(),
            status_krs: input.status_krs.clone(),
            posyandu: input.posyandu.clone(),
            persetujuan_oleh: input.persetujuan_oleh.clone(),
            persetujuan_tanggal: form_date(&input.persetujuan_tanggal, t.baas_persetujuan_tanggal)?,
        })
    })();
    let (actor, scope) = (user.actor(), user.scope());
    let result = change_if_parsed(&state, parsed, move |conn, parsed| {
        Ok(service::register_child(
            conn,
            &actor,
            &scope,
            parsed,
            today(),
        ))
    })
    .await?;
    form_outcome(
        result,
        lang,
        |child| async move { Ok(see_other(&format!("/baas/anak/{}", child.id))) },
        |errors| child_form_page(&state, &user, t, &input, errors),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Sponsors

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SponsorForm {
    #[serde(default)]
    pub nama: String,
    #[serde(default)]
    pub jenis: String,
    #[serde(default)]
    pub kontak: String,
    #[serde(default)]
    pub janji_anak: String,
    #[serde(default)]
    pub janji_bulan: String,
    #[serde(default)]
    pub janji_rupiah_per_bulan: String,
    #[serde(default)]
    pub login_email: String,
}

/// `/baas/sponsor`: every sponsor with Rupiah pledged, paid and delivered.
pub async fn sponsors(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let can_edit = desk_reader(&user)?;
    let t = lang.0;
    let scope = user.scope();
    let (sponsors, money, active) = state
        .db(move |conn| {
            Ok((
                db::list_sponsors_for_scope(conn, &scope)?,
                desk_db::money_by_sponsor(conn, &scope)?,
                desk_db::active_assignments(conn, &scope)?,
            ))
        })
        .await?;
    let mut table = Table::new(&[
        t.nama,
        t.jenis,
        t.baas_janji_anak,
        t.baas_anak_aktif,
        t.asuh_janji,
        t.asuh_dibayar,
        t.asuh_tersalur,
    ]);
    for sponsor in &sponsors {
        let m = money.get(&sponsor.id).copied().unwrap_or_default();
        let children = active
            .values()
            .filter(|a| a.assignment.sponsor_id == sponsor.id)
            .count();
        table.push(
            vec![
                Cell::text(&sponsor.nama),
                Cell::text(jenis_word(t, sponsor.jenis)),
                Cell::Int(i64::from(sponsor.janji_anak)),
                Cell::Int(children as i64),
                Cell::Money(m.pledged),
                Cell::Money(m.paid),
                Cell::Money(m.delivered),
            ],
            Some(format!("/baas/sponsor/{}", sponsor.id)),
        );
    }
    let actions = if can_edit {
        vec![(
            "/baas/sponsor/baru".to_owned(),
            t.baas_sponsor_new.to_owned(),
        )]
    } else {
        vec![]
    };
    let page = ListPage {
        ctx: PageCtx::new(&state, &user, t, "/baas").await?,
        title: t.baas_sponsors_title.to_owned(),
        intro: None,
        actions,
        table,
        download: Some("/baas/sponsor?format=xlsx".into()),
        form: None,
        errors: vec![],
    };
    list_response(page, &query, "bapak-bunda-asuh").await
}

async fn sponsor_form_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    input: &SponsorForm,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let fields = vec![
        FormField::text("nama", t.nama, &input.nama, true),
        select(
            "jenis",
            t.jenis,
            &input.jenis,
            options(SponsorJenis::ALL, SponsorJenis::as_str, |j| {
                jenis_word(t, j)
            }),
        ),
        FormField::text("kontak", t.baas_kontak, &input.kontak, false),
        FormField::text("janji_anak", t.baas_janji_anak, &input.janji_anak, true),
        FormField::text("janji_bulan", t.baas_janji_bulan, &input.janji_bulan, true),
        FormField::text(
            "janji_rupiah_per_bulan",
            t.baas_rupiah_per_bulan,
            &input.janji_rupiah_per_bulan,
            true,
        ),
        FormField::text("login_email", t.baas_login_email, &input.login_email, false),
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        ctx: PageCtx::new(state, user, t, "/baas").await?,
        title: t.baas_sponsor_new.to_owned(),
        action: "/baas/sponsor/baru".to_owned(),
        fields,
        errors,
        submit: t.save.to_owned(),
        back: "/baas/sponsor".to_owned(),
    };
    render_status(&page, status)
}

pub async fn sponsor_new_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    // the BKKBN guidance: Rp 450.000 a child a month for six months
    let input = SponsorForm {
        janji_anak: "1".into(),
        janji_bulan: "6".into(),
        janji_rupiah_per_bulan: "450000".into(),
        ..SponsorForm::default()
    };
    sponsor_form_page(&state, &user, lang.0, &input, vec![]).await
}

pub async fn sponsor_create(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<SponsorForm>,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    let (input, t) = (form.0, lang.0);
    let parsed = (|| -> ServiceResult<SponsorInput> {
        Ok(SponsorInput {
            nama: input.nama.clone(),
            jenis: form_choice(SponsorJenis::parse(&input.jenis), t.jenis)?,
            kontak: input.kontak.clone(),
            janji_anak: form_int(&input.janji_anak, t.baas_janji_anak)?,
            janji_bulan: form_int(&input.janji_bulan, t.baas_janji_bulan)?,
            janji_rupiah_per_bulan: form_rupiah(
                &input.janji_rupiah_per_bulan,
                t.baas_rupiah_per_bulan,
            )?,
            login_email: Some(input.login_email.clone()),
        })
    })();
    let (actor, scope) = (user.actor(), user.scope());
    let result = change_if_parsed(&state, parsed, move |conn, parsed| {
        Ok(service::create_sponsor(conn, &actor, &scope, parsed))
    })
    .await?;
    form_outcome(
        result,
        lang,
        |sponsor| async move { Ok(see_other(&format!("/baas/sponsor/{}", sponsor.id))) },
        |errors| sponsor_form_page(&state, &user, t, &input, errors),
    )
    .await
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    pub tanggal: String,
    #[serde(default)]
    pub jumlah: String,
    #[serde(default)]
    pub catatan: String,
}

/// One sponsor's records as the desk and the sponsor's report read them.
struct SponsorRecord {
    sponsor: Sponsor,
    money: Money,
    assignments: Vec<AssignmentRow>,
    children: HashMap<i32, Child>,
    latest: HashMap<i32, Measurement>,
    deliveries: Vec<DeliveryRow>,
    delivered: HashMap<i32, Decimal>,
    payments: Vec<db::Payment>,
    names: Names,
}

async fn load_sponsor(
    state: &AppState,
    user: &CurrentUser,
    id: Option<i32>,
) -> AppResult<SponsorRecord> {
    let scope = user.scope();
    state
        .db(move |conn| {
            let sponsor = match id {
                Some(id) => db::find_sponsor_for_scope(conn, &scope, id)?,
                // a sponsor's own report: the one sponsor its scope reaches
                None => db::list_sponsors_for_scope(conn, &scope)?
                    .into_iter()
                    .next(),
            }
            .ok_or(AppError::NotFound)?;
            let money = desk_db::money_by_sponsor(conn, &scope)?
                .get(&sponsor.id)
                .copied()
                .unwrap_or_default();
            let assignments = desk_db::assignments_of_sponsor(conn, &scope, sponsor.id)?;
            let ids: Vec<i32> = assignments.iter().map(|a| a.assignment.id).collect();
            let child_ids: HashSet<i32> =
                assignments.iter().map(|a| a.assignment.child_id).collect();
            let children = db::list_children_for_scope(conn, &scope)?
                .into_iter()
                .filter(|c| child_ids.contains(&c.id))
                .map(|c| (c.id, c))
                .collect();
            let payments = db::list_payments_for_scope(conn, &scope)?
                .into_iter()
                .filter(|p| p.sponsor_id == sponsor.id)
                .collect();
            Ok(SponsorRecord {
                money,
                latest: desk_db::latest_measurements(conn, &scope)?,
                deliveries: desk_db::deliveries_of(conn, &scope, &ids)?,
                delivered: desk_db::delivered_by_assignment(conn, &scope)?,
                names: load_names(conn, &scope.kode_kabkota)?,
                sponsor,
                assignments,
                children,
                payments,
            })
        })
        .await
}

fn money_facts(t: &Messages, money: &Money) -> Vec<(String, String)> {
    vec![
        (t.asuh_janji.to_owned(), rupiah(money.pledged)),
        (t.asuh_dibayar.to_owned(), rupiah(money.paid)),
        (t.asuh_tersalur.to_owned(), rupiah(money.delivered)),
    ]
}

fn payment_table(t: &Messages, payments: &[db::Payment]) -> Table {
    let mut table = Table::new(&[t.asuh_tanggal_bayar, t.baas_jumlah, t.baas_catatan]);
    for payment in payments {
        table.push(
            vec![
                Cell::text(tanggal(payment.tanggal)),
                Cell::Money(payment.jumlah),
                Cell::text(&payment.catatan),
            ],
            None,
        );
    }
    table
}

async fn sponsor_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    id: i32,
    payment: PaymentForm,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let can_edit = desk_reader(user)?;
    let record = load_sponsor(state, user, Some(id)).await?;
    let sponsor = &record.sponsor;
    let mut page = RecordPage::new(
        PageCtx::new(state, user, t, "/baas").await?,
        sponsor.nama.clone(),
    );
    page.errors = errors;
    page.facts = vec![
        (t.jenis.to_owned(), jenis_word(t, sponsor.jenis).to_owned()),
        (
            t.baas_kontak.to_owned(),
            Some(sponsor.kontak.clone())
                .filter(|k| !k.is_empty())
                .unwrap_or_else(|| "-".to_owned()),
        ),
        (
            t.baas_janji.to_owned(),
            format!(
                "{} × {} × {}",
                sponsor.janji_anak,
                sponsor.janji_bulan,
                rupiah(sponsor.janji_rupiah_per_bulan)
            ),
        ),
        (
            t.baas_login.to_owned(),
            if sponsor.user_id.is_some() {
                t.yes
            } else {
                t.no
            }
            .to_owned(),
        ),
    ];
    page.facts.extend(money_facts(t, &record.money));
    page.actions.push((
        format!("/baas/sponsor/{id}/laporan"),
        t.baas_report.to_owned(),
    ));
    if can_edit {
        page.actions.push((
            format!("/baas/penugasan/baru?sponsor={id}"),
            t.baas_assign_new.to_owned(),
        ));
    }
    let names: HashMap<i32, String> = record
        .children
        .values()
        .map(|c| (c.id, c.nama.clone()))
        .collect();
    page.tables = vec![
        (
            t.baas_assignments.to_owned(),
            assignment_table(t, &record.assignments, &record.delivered, Some(&names)),
        ),
        (
            t.baas_payments.to_owned(),
            payment_table(t, &record.payments),
        ),
        (
            t.baas_deliveries.to_owned(),
            delivery_table(t, &record.deliveries, |d| Some(d.child_nama.clone())),
        ),
    ];
    if can_edit {
        let mut payment = payment;
        if payment.tanggal.is_empty() {
            payment.tanggal = date_text(today());
        }
        page.forms.push((
            t.baas_payment_new.to_owned(),
            InlineForm {
                action: format!("/baas/sponsor/{id}/bayar"),
                fields: vec![
                    FormField::text("tanggal", t.asuh_tanggal_bayar, &payment.tanggal, true),
                    FormField::text("jumlah", t.baas_jumlah, &payment.jumlah, true),
                    FormField::text("catatan", t.baas_catatan, &payment.catatan, false),
                ],
                submit: t.save.to_owned(),
            },
        ));
    }
    page.respond()
}

/// `/baas/sponsor/{id}`: a sponsor's pledge, payments, assignments and deliveries.
pub async fn sponsor_show(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    desk_reader(&user)?;
    sponsor_page(
        &state,
        &user,
        lang.0,
        id.into_inner(),
        PaymentForm::default(),
        vec![],
    )
    .await
}

/// `POST /baas/sponsor/{id}/bayar`: a payment received from the sponsor.
pub async fn record_payment(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
    form: CsrfForm<PaymentForm>,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    let (id, input, t) = (id.into_inner(), form.0, lang.0);
    let parsed = (|| -> ServiceResult<PaymentInput> {
        Ok(PaymentInput {
            sponsor_id: id,
            tanggal: form_date(&input.tanggal, t.asuh_tanggal_bayar)?,
            jumlah: form_rupiah(&input.jumlah, t.baas_jumlah)?,
            catatan: input.catatan.clone(),
        })
    })();
    let (actor, scope) = (user.actor(), user.scope());
    let result = change_if_parsed(&state, parsed, move |conn, parsed| {
        Ok(service::record_payment(
            conn,
            &actor,
            &scope,
            parsed,
            today(),
        ))
    })
    .await?;
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other(&format!("/baas/sponsor/{id}"))) },
        |errors| sponsor_page(&state, &user, t, id, input.clone(), errors),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Assigning a child, with lokus's suggestions

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    pub sponsor_id: String,
    #[serde(default)]
    pub child_id: String,
    #[serde(default)]
    pub mulai: String,
    #[serde(default)]
    pub bulan_rencana: String,
    #[serde(default)]
    pub paket: String,
    #[serde(default)]
    pub rupiah_per_bulan: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AssignQuery {
    pub anak: Option<i32>,
    pub sponsor: Option<i32>,
}

/// How many suggestions the assignment form lists.
const SUGGESTIONS: usize = 10;

async fn assign_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    input: &AssignForm,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let scope = user.scope();
    let (children, latest, active, sponsors, names) = state
        .db(move |conn| {
            Ok((
                db::list_children_for_scope(conn, &scope)?,
                desk_db::latest_measurements(conn, &scope)?,
                desk_db::active_assignments(conn, &scope)?,
                db::list_sponsors_for_scope(conn, &scope)?,
                load_names(conn, &scope.kode_kabkota)?,
            ))
        })
        .await?;
    let today = today();
    let assessed: HashMap<i32, growth::Assessment> = children
        .iter()
        .filter_map(|c| latest_z(c, &latest).map(|a| (c.id, a)))
        .collect();
    // unassigned children under five, in the suggestion order
    let mut unassigned: Vec<(&Child, Option<f64>)> = children
        .iter()
        .filter(|c| !active.contains_key(&c.id))
        .filter(|c| {
            growth::age_in_days(c.tgl_lahir, today).is_some_and(|d| d <= growth::MAX_AGE_DAYS)
        })
        .map(|c| {
            let z = assessed
                .get(&c.id)
                .and_then(|a| a.length_for_age)
                .map(|z| z.value());
            (c, z)
        })
        .collect();
    rank(&mut unassigned, &names.lokus);
    let mut suggestions = Table::new(&[
        t.nama,
        t.desa,
        t.baas_lokus,
        t.baas_umur_bulan,
        t.baas_zs_tbu,
        t.baas_status_tbu,
    ]);
    for (child, _) in unassigned.iter().take(SUGGESTIONS) {
        let a = assessed.get(&child.id);
        suggestions.push(
            vec![
                Cell::text(&child.nama),
                Cell::text(desa_name(&names.desa, &child.kode_desa)),
                Cell::Bool(names.lokus.contains(&child.kode_desa)),
                age_months(child, today).map_or(Cell::Empty, Cell::Int),
                z_cell(a.and_then(|a| a.length_for_age)),
                Cell::opt_text(
                    a.and_then(|a| a.tbu_category())
                        .map(|c| category_word(t, c)),
                ),
            ],
            Some(format!(
                "/baas/penugasan/baru?anak={}{}",
                child.id,
                input
                    .sponsor_id
                    .parse::<i32>()
                    .map(|s| format!("&sponsor={s}"))
                    .unwrap_or_default()
            )),
        );
    }
    let mut child_options = vec![(String::new(), t.baas_pilih.to_owned())];
    child_options.extend(unassigned.iter().map(|(child, z)| {
        let label = match z {
            Some(z) => format!(
                "{} · {} · {} {z:.2}",
                child.nama,
                desa_name(&names.desa, &child.kode_desa),
                t.baas_zs_tbu
            ),
            None => format!(
                "{} · {}",
                child.nama,
                desa_name(&names.desa, &child.kode_desa)
            ),
        };
        (child.id.to_string(), label)
    }));
    let mut sponsor_options = vec![(String::new(), t.baas_pilih.to_owned())];
    sponsor_options.extend(sponsors.iter().map(|s| (s.id.to_string(), s.nama.clone())));
    let mut page = RecordPage::new(
        PageCtx::new(state, user, t, "/baas").await?,
        t.baas_assign_new.to_owned(),
    );
    page.intro = Some(t.baas_assign_intro.to_owned());
    page.errors = errors;
    page.forms_first = true;
    page.forms.push((
        String::new(),
        InlineForm {
            action: "/baas/penugasan/baru".to_owned(),
            fields: vec![
                select(
                    "sponsor_id",
                    t.baas_sponsor,
                    &input.sponsor_id,
                    sponsor_options,
                ),
                select("child_id", t.baas_anak, &input.child_id, child_options),
                FormField::text("mulai", t.baas_mulai, &input.mulai, true),
                FormField::text(
                    "bulan_rencana",
                    t.baas_bulan_rencana,
                    &input.bulan_rencana,
                    true,
                ),
                select(
                    "paket",
                    t.baas_paket,
                    &input.paket,
                    options(Paket::ALL, Paket::as_str, |p| paket_word(t, p)),
                ),
                FormField::text(
                    "rupiah_per_bulan",
                    t.baas_rupiah_per_bulan,
                    &input.rupiah_per_bulan,
                    true,
                ),
            ],
            submit: t.baas_assign_submit.to_owned(),
        },
    ));
    page.tables
        .push((t.baas_suggestions.to_owned(), suggestions));
    page.respond()
}

/// `/baas/penugasan/baru`: the assignment form; `?anak=` and `?sponsor=` choose in advance.
pub async fn assign_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<AssignQuery>,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    let next_month = today()
        .with_day(1)
        .and_then(|d| d.checked_add_months(Months::new(1)))
        .unwrap_or_else(today);
    let input = AssignForm {
        sponsor_id: query.sponsor.map(|s| s.to_string()).unwrap_or_default(),
        child_id: query.anak.map(|c| c.to_string()).unwrap_or_default(),
        mulai: date_text(next_month),
        bulan_rencana: "6".into(),
        paket: Paket::Pmt.as_str().into(),
        rupiah_per_bulan: "450000".into(),
    };
    assign_page(&state, &user, lang.0, &input, vec![]).await
}

pub async fn assign_create(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<AssignForm>,
) -> AppResult<HttpResponse> {
    desk_writer(&user)?;
    let (input, t) = (form.0, lang.0);
    let parsed = (|| -> ServiceResult<AssignmentInput> {
        Ok(AssignmentInput {
            sponsor_id: form_choice(input.sponsor_id.trim().parse().ok(), t.baas_sponsor)?,
            child_id: form_choice(input.child_id.trim().parse().ok(), t.baas_anak)?,
            mulai: form_date(&input.mulai, t.baas_mulai)?,
            bulan_rencana: form_int(&input.bulan_rencana, t.baas_bulan_rencana)?,
            paket: form_choice(Paket::parse(&input.paket), t.baas_paket)?,
            rupiah_per_bulan: form_rupiah(&input.rupiah_per_bulan, t.baas_rupiah_per_bulan)?,
        })
    })();
    let (actor, scope) = (user.actor(), user.scope());
    let result = change_if_parsed(&state, parsed, move |conn, parsed| {
        Ok(service::assign(conn, &actor, &scope, parsed))
    })
    .await?;
    form_outcome(
        result,
        lang,
        |assignment| async move { Ok(see_other(&format!("/baas/anak/{}", assignment.child_id))) },
        |errors| assign_page(&state, &user, t, &input, errors),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The overdue lists

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OverdueQuery {
    pub format: Option<String>,
    /// `ukur` (measurements) or `salur` (deliveries): which list a download holds.
    pub daftar: Option<String>,
}

/// The two overdue lists on `on`: children unmeasured for `MEASUREMENT_OVERDUE_DAYS` days, and
/// active assignments without a delivery in `on`'s month.
pub async fn overdue_tables(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    on: NaiveDate,
) -> AppResult<(Table, Table)> {
    let scope = user.scope();
    let cutoff = on - Duration::days(MEASUREMENT_OVERDUE_DAYS);
    let born_after = on - Duration::days(growth::MAX_AGE_DAYS);
    let month_start = on.with_day(1).unwrap_or(on);
    let next_month = month_start
        .checked_add_months(Months::new(1))
        .unwrap_or(month_start);
    let (unmeasured, undelivered, names) = state
        .db(move |conn| {
            Ok((
                desk_db::children_unmeasured_since(conn, &scope, cutoff, born_after)?,
                desk_db::assignments_without_delivery(conn, &scope, month_start, next_month)?,
                load_names(conn, &scope.kode_kabkota)?,
            ))
        })
        .await?;
    let mut measure = Table::new(&[
        t.nama,
        t.desa,
        t.baas_lokus,
        t.baas_posyandu,
        t.baas_ukur_terakhir,
        t.baas_hari_sejak,
    ]);
    for (child, last) in &unmeasured {
        measure.push(
            vec![
                Cell::text(&child.nama),
                Cell::text(desa_name(&names.desa, &child.kode_desa)),
                Cell::Bool(names.lokus.contains(&child.kode_desa)),
                Cell::text(&child.posyandu),
                Cell::opt_text(last.map(tanggal)),
                last.map_or(Cell::Empty, |d| Cell::Int((on - d).num_days())),
            ],
            Some(format!("/baas/anak/{}", child.id)),
        );
    }
    let mut deliver = Table::new(&[
        t.nama,
        t.desa,
        t.baas_sponsor,
        t.baas_mulai,
        t.baas_paket,
        t.baas_rp_bulan,
    ]);
    for (row, child) in &undelivered {
        deliver.push(
            vec![
                Cell::text(&child.nama),
                Cell::text(desa_name(&names.desa, &child.kode_desa)),
                Cell::text(&row.sponsor_nama),
                Cell::text(tanggal(row.assignment.mulai)),
                Cell::text(paket_word(t, row.assignment.paket)),
                Cell::Money(row.assignment.rupiah_per_bulan),
            ],
            Some(format!("/baas/anak/{}", child.id)),
        );
    }
    Ok((measure, deliver))
}

/// `/baas/terlambat`: who is overdue, each list downloadable (`?daftar=ukur|salur&format=xlsx`).
pub async fn overdue(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<OverdueQuery>,
) -> AppResult<HttpResponse> {
    desk_reader(&user)?;
    let t = lang.0;
    let on = today();
    let (measure, deliver) = overdue_tables(&state, &user, t, on).await?;
    let measure_title = t
        .baas_overdue_measure
        .replace("{n}", &MEASUREMENT_OVERDUE_DAYS.to_string());
    let deliver_title = t.baas_overdue_delivery.to_owned();
    if query.format.as_deref() == Some("xlsx") {
        return match query.daftar.as_deref() {
            Some("salur") => {
                xlsx_download(deliver_title, deliver, t.yes, t.no, "baas-belum-disalurkan").await
            }
            _ => xlsx_download(measure_title, measure, t.yes, t.no, "baas-belum-diukur").await,
        };
    }
    let mut page = RecordPage::new(
        PageCtx::new(&state, &user, t, "/baas").await?,
        t.baas_overdue_title.to_owned(),
    );
    page.intro = Some(t.baas_overdue_intro.replace("{tanggal}", &tanggal(on)));
    page.actions = vec![
        (
            "/baas/terlambat?daftar=ukur&format=xlsx".to_owned(),
            format!("{}: {}", t.download_xlsx, t.baas_overdue_measure_short),
        ),
        (
            "/baas/terlambat?daftar=salur&format=xlsx".to_owned(),
            format!("{}: {}", t.download_xlsx, t.baas_overdue_delivery_short),
        ),
    ];
    page.tables = vec![(measure_title, measure), (deliver_title, deliver)];
    page.respond()
}

// ---------------------------------------------------------------------------------------------
// The growth chart's data

#[derive(serde::Serialize)]
struct ChartData {
    /// The child's length/height by age in days.
    points: Vec<(i64, f64)>,
    /// The WHO curves for the child's sex, each as (age in days, cm), keyed "-3", "-2", "0", "+2".
    curves: Vec<(String, Vec<(i64, f64)>)>,
    /// The axes' titles in the reader's language.
    x_label: String,
    y_label: String,
    series_label: String,
}

/// The JSON block static/asuh.js draws, with `<` and `>` escaped so it cannot end its script
/// element whatever it holds.
fn chart_json(t: &Messages, child: &Child, measurements: &[Measurement]) -> AppResult<String> {
    let points: Vec<(i64, f64)> = measurements
        .iter()
        .filter_map(|m| {
            let days = growth::age_in_days(child.tgl_lahir, m.tanggal)?;
            let length = assess(child, m)?.corrected_length_cm?;
            Some((days, (length * 10.0).round() / 10.0))
        })
        .collect();
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
    let data = ChartData {
        points,
        curves,
        x_label: t.baas_chart_x.to_owned(),
        y_label: t.baas_chart_y.to_owned(),
        series_label: t.baas_chart_series.to_owned(),
    };
    Ok(serde_json::to_string(&data)
        .map_err(AppError::internal)?
        .replace('<', "\\u003c")
        .replace('>', "\\u003e"))
}

// ---------------------------------------------------------------------------------------------
// The sponsor's own pages

/// `/asuh`: a sponsor's own children, with Rupiah pledged / paid / delivered.
pub async fn sponsor_home(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Sponsor])?;
    let t = lang.0;
    let record = match load_sponsor(&state, &user, None).await {
        Ok(record) => Some(record),
        // a sponsor login not yet bound to a sponsor: an empty page, not an error
        Err(AppError::NotFound) => None,
        Err(other) => return Err(other),
    };
    let today = today();
    let mut table = Table::new(&[
        t.nama,
        t.baas_umur_bulan,
        t.desa,
        t.asuh_bulan,
        t.baas_status_tbu,
        t.asuh_janji,
        t.asuh_tersalur,
    ]);
    let mut facts = money_facts(t, &Money::default());
    if let Some(record) = &record {
        facts = money_facts(t, &record.money);
        for row in child_rows(t, record, today) {
            table.push(row.cells, row.link);
        }
    }
    let page = ShowPage {
        ctx: PageCtx::new(&state, &user, t, "/asuh").await?,
        title: t.asuh_title.to_owned(),
        facts,
        actions: vec![
            ("/asuh/laporan".to_owned(), t.baas_report.to_owned()),
            ("/asuh?format=xlsx".to_owned(), t.download_xlsx.to_owned()),
        ],
        errors: vec![],
        tables: vec![(t.asuh_intro.to_owned(), table)],
        forms: vec![],
    };
    show_response(page, query.wants_xlsx(), "anak-asuh-saya").await
}

struct ChildRow {
    cells: Vec<Cell>,
    link: Option<String>,
}

/// A sponsor's children as the sponsor reads them: first name, age, desa, months delivered of
/// those pledged, TB/U status, Rupiah pledged and delivered.
fn child_rows(t: &Messages, record: &SponsorRecord, today: NaiveDate) -> Vec<ChildRow> {
    let mut children: Vec<&Child> = record.children.values().collect();
    children.sort_by_key(|c| (first_name(&c.nama).to_owned(), c.id));
    children
        .into_iter()
        .map(|child| {
            let own: Vec<&AssignmentRow> = record
                .assignments
                .iter()
                .filter(|a| a.assignment.child_id == child.id)
                .collect();
            let ids: HashSet<i32> = own.iter().map(|a| a.assignment.id).collect();
            let months_pledged: i64 = own
                .iter()
                .map(|a| i64::from(a.assignment.bulan_rencana))
                .sum();
            let child_pledged: Decimal = own.iter().map(|a| pledged(&a.assignment)).sum();
            let months: BTreeSet<(i32, i32, u32)> = record
                .deliveries
                .iter()
                .filter(|d| ids.contains(&d.assignment_id))
                .map(|d| (d.assignment_id, d.tanggal.year(), d.tanggal.month()))
                .collect();
            let child_delivered: Decimal = ids
                .iter()
                .map(|id| record.delivered.get(id).copied().unwrap_or_default())
                .sum();
            let category = latest_z(child, &record.latest).and_then(|a| a.tbu_category());
            ChildRow {
                cells: vec![
                    Cell::text(first_name(&child.nama)),
                    age_months(child, today).map_or(Cell::Empty, Cell::Int),
                    Cell::text(desa_name(&record.names.desa, &child.kode_desa)),
                    Cell::text(format!("{}/{}", months.len(), months_pledged)),
                    Cell::opt_text(category.map(|c| category_word(t, c))),
                    Cell::Money(child_pledged),
                    Cell::Money(child_delivered),
                ],
                link: Some(format!("/asuh/anak/{}", child.id)),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "asuh_child.html")]
struct ChildPage {
    ctx: PageCtx,
    title: String,
    facts: Vec<(String, String)>,
    actions: Vec<(String, String)>,
    table: Table,
    deliveries: Table,
    /// The chart's data, read by static/asuh.js (no inline script: the CSP allows none).
    chart_json: String,
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
    let id = id.into_inner();
    let record = load_child(&state, &user, id).await?;
    let child = &record.child;
    let today = today();
    let page = ChildPage {
        ctx: PageCtx::new(&state, &user, t, "/asuh").await?,
        title: t
            .asuh_child_title
            .replace("{nama}", first_name(&child.nama)),
        facts: sponsor_child_facts(t, &record, today),
        // the desk reads this page too; its report is the desk's own
        actions: vec![(
            if user.role == Role::Sponsor {
                format!("/asuh/anak/{id}/laporan")
            } else {
                format!("/baas/anak/{id}/laporan")
            },
            t.baas_report.to_owned(),
        )],
        table: measurement_table(t, child, &record.measurements, false),
        deliveries: delivery_table(t, &record.deliveries, |_| None),
        chart_json: chart_json(t, child, &record.measurements)?,
    };
    render(&page)
}

/// What a sponsor reads about a child: no NIK, no family, no exact birth date.
fn sponsor_child_facts(
    t: &Messages,
    record: &ChildRecord,
    today: NaiveDate,
) -> Vec<(String, String)> {
    let child = &record.child;
    let latest = record.measurements.last();
    let category = latest
        .and_then(|m| assess(child, m))
        .and_then(|a| a.tbu_category());
    let delivered: Decimal = record.deliveries.iter().map(|d| d.nilai).sum();
    let child_pledged: Decimal = record
        .assignments
        .iter()
        .map(|a| pledged(&a.assignment))
        .sum();
    vec![
        (
            t.baas_umur_bulan.to_owned(),
            age_months(child, today)
                .map(|m| m.to_string())
                .unwrap_or_default(),
        ),
        (
            t.desa.to_owned(),
            desa_name(&record.names.desa, &child.kode_desa),
        ),
        (
            t.baas_status_tbu.to_owned(),
            category
                .map(|c| category_word(t, c))
                .unwrap_or("-")
                .to_owned(),
        ),
        (
            t.baas_ukur_terakhir.to_owned(),
            latest
                .map(|m| tanggal(m.tanggal))
                .unwrap_or_else(|| "-".to_owned()),
        ),
        (t.asuh_janji.to_owned(), rupiah(child_pledged)),
        (t.asuh_tersalur.to_owned(), rupiah(delivered)),
    ]
}

// ---------------------------------------------------------------------------------------------
// Printable reports

async fn child_report(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    id: i32,
    for_sponsor: bool,
) -> AppResult<HttpResponse> {
    let record = load_child(state, user, id).await?;
    let child = &record.child;
    let today = today();
    let (title, mut facts, back) = if for_sponsor {
        (
            t.asuh_child_title
                .replace("{nama}", first_name(&child.nama)),
            sponsor_child_facts(t, &record, today),
            format!("/asuh/anak/{id}"),
        )
    } else {
        (
            t.asuh_child_title.replace("{nama}", &child.nama),
            child_facts(t, &record, today),
            format!("/baas/anak/{id}"),
        )
    };
    if for_sponsor {
        facts.push((t.baas_jk.to_owned(), sex_word(t, &child.jk).to_owned()));
    }
    let mut tables = vec![(
        t.baas_measurements.to_owned(),
        measurement_table(t, child, &record.measurements, false),
    )];
    if !for_sponsor {
        tables.push((
            t.baas_assignments.to_owned(),
            assignment_table(t, &record.assignments, &record.delivered, None),
        ));
    }
    tables.push((
        t.baas_deliveries.to_owned(),
        delivery_table(t, &record.deliveries, |_| None),
    ));
    let page = ReportPage {
        subtitle: report_subtitle(state, user, t, today).await?,
        ctx: PageCtx::new(state, user, t, if for_sponsor { "/asuh" } else { "/baas" }).await?,
        title,
        facts,
        chart_json: Some(chart_json(t, child, &record.measurements)?),
        tables,
        back,
    };
    render(&page)
}

async fn report_subtitle(
    _state: &AppState,
    _user: &CurrentUser,
    t: &Messages,
    today: NaiveDate,
) -> AppResult<String> {
    Ok(t.baas_report_made.replace("{tanggal}", &tanggal(today)))
}

async fn sponsor_report(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    id: Option<i32>,
) -> AppResult<HttpResponse> {
    let record = load_sponsor(state, user, id).await?;
    let today = today();
    let sponsor = &record.sponsor;
    let mut facts = vec![(
        t.baas_janji.to_owned(),
        format!(
            "{} × {} × {}",
            sponsor.janji_anak,
            sponsor.janji_bulan,
            rupiah(sponsor.janji_rupiah_per_bulan)
        ),
    )];
    facts.extend(money_facts(t, &record.money));
    let mut children = Table::new(&[
        t.nama,
        t.baas_umur_bulan,
        t.desa,
        t.asuh_bulan,
        t.baas_status_tbu,
        t.asuh_janji,
        t.asuh_tersalur,
    ]);
    for row in child_rows(t, &record, today) {
        // paper has no links
        children.push(row.cells, None);
    }
    // first names only, as the sponsor reads them
    let deliveries = delivery_table(t, &record.deliveries, |d| {
        Some(first_name(&d.child_nama).to_owned())
    });
    let back = match id {
        Some(id) => format!("/baas/sponsor/{id}"),
        None => "/asuh".to_owned(),
    };
    let page = ReportPage {
        subtitle: report_subtitle(state, user, t, today).await?,
        ctx: PageCtx::new(state, user, t, if id.is_some() { "/baas" } else { "/asuh" }).await?,
        title: t.baas_sponsor_report_title.replace("{nama}", &sponsor.nama),
        facts,
        chart_json: None,
        tables: vec![
            (t.baas_children.to_owned(), children),
            (
                t.baas_payments.to_owned(),
                payment_table(t, &record.payments),
            ),
            (t.baas_deliveries.to_owned(), deliveries),
        ],
        back,
    };
    render(&page)
}

/// `/asuh/anak/{id}/laporan`: the sponsor's printable page of one child.
pub async fn sponsor_child_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Sponsor])?;
    child_report(&state, &user, lang.0, id.into_inner(), true).await
}

/// `/asuh/laporan`: the sponsor's printable account of pledge, payments, deliveries and growth.
pub async fn sponsor_own_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Sponsor])?;
    sponsor_report(&state, &user, lang.0, None).await
}

/// `/baas/anak/{id}/laporan`: the desk's printable page of a child (NIK masked).
pub async fn desk_child_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    desk_reader(&user)?;
    child_report(&state, &user, lang.0, id.into_inner(), false).await
}

/// `/baas/sponsor/{id}/laporan`: the account the desk hands a sponsor (first names only).
pub async fn desk_sponsor_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    desk_reader(&user)?;
    sponsor_report(&state, &user, lang.0, Some(id.into_inner())).await
}

/// The BAAS pages' script (static/asuh.js: the growth chart, the print button), compiled in.
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=3600",
        ))
        .body(include_str!("../../static/asuh.js"))
}
