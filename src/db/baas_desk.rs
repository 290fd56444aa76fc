//! The BAAS desk's list queries: each child's latest measurement, active assignments with their
//! sponsor, the desa that hold children, the two overdue lists and the Rupiah paid and delivered
//! per sponsor and per assignment. Every query starts from `baas::children_in` / `sponsors_in`, so
//! a sponsor's scope reaches only its own records here too. No personal data is read here.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::pg::Pg;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::baas::{Assignment, Child, Measurement, children_in, sponsors_in};
use super::schema::{
    baas_assignment, baas_child, baas_delivery, baas_measurement, baas_payment, baas_sponsor,
    wilayah,
};
use crate::domain::Scope;
use crate::domain::baas::AssignmentStatus;

/// Assignments between a child and a sponsor the scope both sees (for a sponsor: its own only).
fn assignments_in(scope: &Scope) -> baas_assignment::BoxedQuery<'static, Pg> {
    baas_assignment::table
        .filter(baas_assignment::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(baas_assignment::child_id.eq_any(children_in(scope).select(baas_child::id)))
        .filter(baas_assignment::sponsor_id.eq_any(sponsors_in(scope).select(baas_sponsor::id)))
        .into_boxed()
}

/// The latest measurement of every child the scope sees (by date, then the later entry).
pub fn latest_measurements(
    conn: &mut PgConnection,
    scope: &Scope,
) -> QueryResult<HashMap<i32, Measurement>> {
    let rows: Vec<Measurement> = baas_measurement::table
        .filter(baas_measurement::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(baas_measurement::child_id.eq_any(children_in(scope).select(baas_child::id)))
        .distinct_on(baas_measurement::child_id)
        .order((
            baas_measurement::child_id,
            baas_measurement::tanggal.desc(),
            baas_measurement::id.desc(),
        ))
        .select(Measurement::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|m| (m.child_id, m)).collect())
}

/// One child's measurements, oldest first.
pub fn measurements_of_child(
    conn: &mut PgConnection,
    scope: &Scope,
    child_id: i32,
) -> QueryResult<Vec<Measurement>> {
    baas_measurement::table
        .filter(baas_measurement::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(baas_measurement::child_id.eq_any(children_in(scope).select(baas_child::id)))
        .filter(baas_measurement::child_id.eq(child_id))
        .order((baas_measurement::tanggal, baas_measurement::id))
        .select(Measurement::as_select())
        .load(conn)
}

/// An assignment with its sponsor's name.
#[derive(Debug, Clone)]
pub struct AssignmentRow {
    pub assignment: Assignment,
    pub sponsor_nama: String,
}

fn with_sponsor(
    query: baas_assignment::BoxedQuery<'static, Pg>,
    conn: &mut PgConnection,
) -> QueryResult<Vec<AssignmentRow>> {
    let rows: Vec<(Assignment, String)> = query
        .inner_join(baas_sponsor::table.on(baas_sponsor::id.eq(baas_assignment::sponsor_id)))
        .order((baas_assignment::mulai, baas_assignment::id))
        .select((Assignment::as_select(), baas_sponsor::nama))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(assignment, sponsor_nama)| AssignmentRow {
            assignment,
            sponsor_nama,
        })
        .collect())
}

/// The active assignment of each child that has one, by child id.
pub fn active_assignments(
    conn: &mut PgConnection,
    scope: &Scope,
) -> QueryResult<HashMap<i32, AssignmentRow>> {
    let query = assignments_in(scope).filter(baas_assignment::status.eq(AssignmentStatus::Aktif));
    Ok(with_sponsor(query, conn)?
        .into_iter()
        .map(|row| (row.assignment.child_id, row))
        .collect())
}

/// Every assignment of one child the scope sees, oldest first.
pub fn assignments_of_child(
    conn: &mut PgConnection,
    scope: &Scope,
    child_id: i32,
) -> QueryResult<Vec<AssignmentRow>> {
    with_sponsor(
        assignments_in(scope).filter(baas_assignment::child_id.eq(child_id)),
        conn,
    )
}

/// Every assignment of one sponsor the scope sees, oldest first.
pub fn assignments_of_sponsor(
    conn: &mut PgConnection,
    scope: &Scope,
    sponsor_id: i32,
) -> QueryResult<Vec<AssignmentRow>> {
    with_sponsor(
        assignments_in(scope).filter(baas_assignment::sponsor_id.eq(sponsor_id)),
        conn,
    )
}

/// One assignment the scope sees.
pub fn find_assignment(
    conn: &mut PgConnection,
    scope: &Scope,
    id: i32,
) -> QueryResult<Option<Assignment>> {
    assignments_in(scope)
        .filter(baas_assignment::id.eq(id))
        .select(Assignment::as_select())
        .first(conn)
        .optional()
}

/// A delivery with the assignment's child, for the lists that name whom it reached.
#[derive(Debug, Clone, Queryable)]
pub struct DeliveryRow {
    pub id: i32,
    pub assignment_id: i32,
    pub child_id: i32,
    pub child_nama: String,
    pub tanggal: NaiveDate,
    pub barang: String,
    pub nilai: Decimal,
    pub oleh: String,
}

/// Deliveries on the given assignments (already in scope), by date.
pub fn deliveries_of(
    conn: &mut PgConnection,
    scope: &Scope,
    assignment_ids: &[i32],
) -> QueryResult<Vec<DeliveryRow>> {
    baas_delivery::table
        .inner_join(baas_assignment::table.on(baas_assignment::id.eq(baas_delivery::assignment_id)))
        .inner_join(baas_child::table.on(baas_child::id.eq(baas_assignment::child_id)))
        .filter(baas_delivery::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(baas_delivery::assignment_id.eq_any(assignment_ids.to_vec()))
        .filter(baas_assignment::id.eq_any(assignments_in(scope).select(baas_assignment::id)))
        .order((baas_delivery::tanggal, baas_delivery::id))
        .select((
            baas_delivery::id,
            baas_delivery::assignment_id,
            baas_child::id,
            baas_child::nama,
            baas_delivery::tanggal,
            baas_delivery::barang,
            baas_delivery::nilai,
            baas_delivery::oleh,
        ))
        .load(conn)
}

/// The Rupiah delivered on each assignment the scope sees.
pub fn delivered_by_assignment(
    conn: &mut PgConnection,
    scope: &Scope,
) -> QueryResult<HashMap<i32, Decimal>> {
    let rows: Vec<(i32, Option<Decimal>)> = baas_delivery::table
        .filter(baas_delivery::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(
            baas_delivery::assignment_id.eq_any(assignments_in(scope).select(baas_assignment::id)),
        )
        .group_by(baas_delivery::assignment_id)
        .select((
            baas_delivery::assignment_id,
            diesel::dsl::sum(baas_delivery::nilai),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, sum)| (id, sum.unwrap_or_default()))
        .collect())
}

/// What a sponsor pledged, paid and had delivered, in Rupiah.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Money {
    pub pledged: Decimal,
    pub paid: Decimal,
    pub delivered: Decimal,
}

/// Pledged (children x months x Rupiah), paid and delivered per sponsor the scope sees.
pub fn money_by_sponsor(
    conn: &mut PgConnection,
    scope: &Scope,
) -> QueryResult<HashMap<i32, Money>> {
    let sponsors: Vec<super::baas::Sponsor> = sponsors_in(scope)
        .select(super::baas::Sponsor::as_select())
        .load(conn)?;
    let paid: HashMap<i32, Decimal> = baas_payment::table
        .filter(baas_payment::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(baas_payment::sponsor_id.eq_any(sponsors_in(scope).select(baas_sponsor::id)))
        .group_by(baas_payment::sponsor_id)
        .select((
            baas_payment::sponsor_id,
            diesel::dsl::sum(baas_payment::jumlah),
        ))
        .load::<(i32, Option<Decimal>)>(conn)?
        .into_iter()
        .map(|(id, sum)| (id, sum.unwrap_or_default()))
        .collect();
    let delivered_rows: Vec<(i32, Option<Decimal>)> = baas_delivery::table
        .inner_join(baas_assignment::table.on(baas_assignment::id.eq(baas_delivery::assignment_id)))
        .filter(baas_delivery::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(baas_assignment::id.eq_any(assignments_in(scope).select(baas_assignment::id)))
        .group_by(baas_assignment::sponsor_id)
        .select((
            baas_assignment::sponsor_id,
            diesel::dsl::sum(baas_delivery::nilai),
        ))
        .load(conn)?;
    let delivered: HashMap<i32, Decimal> = delivered_rows
        .into_iter()
        .map(|(id, sum)| (id, sum.unwrap_or_default()))
        .collect();
    Ok(sponsors
        .iter()
        .map(|sponsor| {
            (
                sponsor.id,
                Money {
                    pledged: sponsor.janji_total(),
                    paid: paid.get(&sponsor.id).copied().unwrap_or_default(),
                    delivered: delivered.get(&sponsor.id).copied().unwrap_or_default(),
                },
            )
        })
        .collect())
}

/// The desa/kelurahan of the district (code to name), for showing names instead of codes.
pub fn desa_names(
    conn: &mut PgConnection,
    kode_kabkota: &str,
) -> QueryResult<HashMap<String, String>> {
    Ok(wilayah::table
        .filter(wilayah::tingkat.eq(4))
        .filter(wilayah::kode.like(format!("{kode_kabkota}.%")))
        .select((wilayah::kode, wilayah::nama))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

/// The desa that hold children the scope sees, by code (the desk's desa filter offers these).
pub fn desa_with_children(conn: &mut PgConnection, scope: &Scope) -> QueryResult<Vec<String>> {
    children_in(scope)
        .select(baas_child::kode_desa)
        .distinct()
        .order(baas_child::kode_desa)
        .load(conn)
}

/// Children the scope sees with no measurement after `cutoff` (and so none in the days since),
/// born after `born_after` (younger than five on the day the list is made), with their last
/// measurement date if any.
pub fn children_unmeasured_since(
    conn: &mut PgConnection,
    scope: &Scope,
    cutoff: NaiveDate,
    born_after: NaiveDate,
) -> QueryResult<Vec<(Child, Option<NaiveDate>)>> {
    let recent = baas_measurement::table
        .filter(baas_measurement::child_id.eq(baas_child::id))
        .filter(baas_measurement::tanggal.gt(cutoff));
    let children: Vec<Child> = children_in(scope)
        .filter(diesel::dsl::not(diesel::dsl::exists(recent)))
        .filter(baas_child::tgl_lahir.gt(born_after))
        .order((baas_child::kode_desa, baas_child::nama, baas_child::id))
        .select(Child::as_select())
        .load(conn)?;
    let latest = latest_measurements(conn, scope)?;
    Ok(children
        .into_iter()
        .map(|child| {
            let last = latest.get(&child.id).map(|m| m.tanggal);
            (child, last)
        })
        .collect())
}

/// Active assignments that had started by `month_start` (the 1st of a month) and have no
/// delivery dated in that month, with their child, oldest first.
pub fn assignments_without_delivery(
    conn: &mut PgConnection,
    scope: &Scope,
    month_start: NaiveDate,
    next_month_start: NaiveDate,
) -> QueryResult<Vec<(AssignmentRow, Child)>> {
    let delivered = baas_delivery::table
        .filter(baas_delivery::assignment_id.eq(baas_assignment::id))
        .filter(baas_delivery::tanggal.ge(month_start))
        .filter(baas_delivery::tanggal.lt(next_month_start));
    let query = assignments_in(scope)
        .filter(baas_assignment::status.eq(AssignmentStatus::Aktif))
        .filter(baas_assignment::mulai.le(month_start))
        .filter(diesel::dsl::not(diesel::dsl::exists(delivered)));
    let rows = with_sponsor(query, conn)?;
    let ids: Vec<i32> = rows.iter().map(|row| row.assignment.child_id).collect();
    let children: HashMap<i32, Child> = children_in(scope)
        .filter(baas_child::id.eq_any(ids))
        .select(Child::as_select())
        .load::<Child>(conn)?
        .into_iter()
        .map(|child| (child.id, child))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let child = children.get(&row.assignment.child_id)?.clone();
            Some((row, child))
        })
        .collect())
}

/// Ends an active assignment: `selesai`, or `berhenti` with its reason. Returns the row as it
/// was, or `None` when it is not active (any more).
pub fn end_assignment(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    id: i32,
    status: AssignmentStatus,
    alasan: Option<&str>,
) -> QueryResult<Option<Assignment>> {
    diesel::update(
        baas_assignment::table
            .filter(baas_assignment::kode_kabkota.eq(kode_kabkota))
            .filter(baas_assignment::id.eq(id))
            .filter(baas_assignment::status.eq(AssignmentStatus::Aktif)),
    )
    .set((
        baas_assignment::status.eq(status),
        baas_assignment::alasan_berhenti.eq(alasan),
    ))
    .returning(Assignment::as_returning())
    .get_result(conn)
    .optional()
}
