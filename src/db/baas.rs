//! Queries on the BAAS tables. Every read of sponsors, children and their records filters on
//! `Scope` inside the query: a sponsor's scope reaches only the children assigned to the sponsor
//! bound to its login, so another sponsor's child is simply not found. The personal data table
//! (`baas_child_private`) is read only by the functions named `*_private`, which only the BAAS
//! desk's service calls (`services::baas::view_private`), with an entry in the activity log.

use chrono::NaiveDate;
use diesel::pg::Pg;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::{
    baas_assignment, baas_child, baas_child_private, baas_delivery, baas_measurement, baas_payment,
    baas_sponsor, wilayah,
};
use crate::domain::Scope;
use crate::domain::baas::{AssignmentStatus, MeasuredBy, Paket, SponsorJenis};

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = baas_sponsor, check_for_backend(Pg))]
pub struct Sponsor {
    pub id: i32,
    pub kode_kabkota: String,
    pub nama: String,
    pub jenis: SponsorJenis,
    pub kontak: String,
    pub janji_anak: i32,
    pub janji_bulan: i16,
    pub janji_rupiah_per_bulan: Decimal,
    pub user_id: Option<i32>,
}

impl Sponsor {
    /// The whole pledge: children x months x Rupiah per month.
    pub fn janji_total(&self) -> Decimal {
        Decimal::from(self.janji_anak)
            * Decimal::from(self.janji_bulan)
            * self.janji_rupiah_per_bulan
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = baas_sponsor)]
pub struct NewSponsor {
    pub kode_kabkota: String,
    pub nama: String,
    pub jenis: SponsorJenis,
    pub kontak: String,
    pub janji_anak: i32,
    pub janji_bulan: i16,
    pub janji_rupiah_per_bulan: Decimal,
    pub user_id: Option<i32>,
}

/// A child as everyone with access to BAAS sees it: no NIK but its masked form, no family data.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = baas_child, check_for_backend(Pg))]
pub struct Child {
    pub id: i32,
    pub kode_kabkota: String,
    pub nama: String,
    pub jk: String,
    pub tgl_lahir: NaiveDate,
    pub kode_desa: String,
    pub nik_masked: String,
    pub status_krs: String,
    pub posyandu: String,
    pub persetujuan_oleh: String,
    pub persetujuan_tanggal: NaiveDate,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = baas_child)]
pub struct NewChild {
    pub kode_kabkota: String,
    pub nama: String,
    pub jk: String,
    pub tgl_lahir: NaiveDate,
    pub kode_desa: String,
    pub nik_masked: String,
    pub status_krs: String,
    pub posyandu: String,
    pub persetujuan_oleh: String,
    pub persetujuan_tanggal: NaiveDate,
}

/// The personal data of a child (UU 27/2022 data pribadi spesifik): the BAAS desk's only.
#[derive(Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = baas_child_private, check_for_backend(Pg))]
pub struct ChildPrivate {
    pub child_id: i32,
    pub kode_kabkota: String,
    pub nik: String,
    pub no_kk: Option<String>,
    pub nama_ayah: String,
    pub nama_ibu: String,
    pub alamat: String,
}

impl std::fmt::Debug for ChildPrivate {
    // never in a log line by accident
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChildPrivate(child {})", self.child_id)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = baas_assignment, check_for_backend(Pg))]
pub struct Assignment {
    pub id: i32,
    pub kode_kabkota: String,
    pub sponsor_id: i32,
    pub child_id: i32,
    pub mulai: NaiveDate,
    pub bulan_rencana: i16,
    pub paket: Paket,
    pub rupiah_per_bulan: Decimal,
    pub status: AssignmentStatus,
    pub alasan_berhenti: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = baas_assignment)]
pub struct NewAssignment {
    pub kode_kabkota: String,
    pub sponsor_id: i32,
    pub child_id: i32,
    pub mulai: NaiveDate,
    pub bulan_rencana: i16,
    pub paket: Paket,
    pub rupiah_per_bulan: Decimal,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = baas_delivery, check_for_backend(Pg))]
pub struct Delivery {
    pub id: i32,
    pub assignment_id: i32,
    pub tanggal: NaiveDate,
    pub barang: String,
    pub nilai: Decimal,
    pub oleh: String,
    pub catatan: String,
}

#[derive(Debug, Clone, Insertable, serde::Serialize)]
#[diesel(table_name = baas_delivery)]
pub struct NewDelivery {
    pub kode_kabkota: String,
    pub assignment_id: i32,
    pub tanggal: NaiveDate,
    pub barang: String,
    pub nilai: Decimal,
    pub oleh: String,
    pub catatan: String,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = baas_payment, check_for_backend(Pg))]
pub struct Payment {
    pub id: i32,
    pub sponsor_id: i32,
    pub tanggal: NaiveDate,
    pub jumlah: Decimal,
    pub catatan: String,
}

#[derive(Debug, Clone, Insertable, serde::Serialize)]
#[diesel(table_name = baas_payment)]
pub struct NewPayment {
    pub kode_kabkota: String,
    pub sponsor_id: i32,
    pub tanggal: NaiveDate,
    pub jumlah: Decimal,
    pub catatan: String,
}

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = baas_measurement, check_for_backend(Pg))]
pub struct Measurement {
    pub id: i32,
    pub child_id: i32,
    pub tanggal: NaiveDate,
    pub bb: Option<Decimal>,
    pub tb: Option<Decimal>,
    pub cara_ukur: Option<String>,
    pub oleh: MeasuredBy,
}

#[derive(Debug, Clone, Insertable, serde::Serialize)]
#[diesel(table_name = baas_measurement)]
pub struct NewMeasurement {
    pub kode_kabkota: String,
    pub child_id: i32,
    pub tanggal: NaiveDate,
    pub bb: Option<Decimal>,
    pub tb: Option<Decimal>,
    pub cara_ukur: Option<String>,
    pub oleh: MeasuredBy,
}

// ---------------------------------------------------------------------------------------------
// What a scope reaches

/// The children a scope reaches: the district's, and for a sponsor login only those ever assigned
/// to its sponsor (a finished assignment still lets the sponsor see the child it helped).
pub(super) fn children_in(scope: &Scope) -> baas_child::BoxedQuery<'static, Pg> {
    let mut query = baas_child::table
        .filter(baas_child::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .into_boxed();
    if let Some(user_id) = scope.sponsor_user_id {
        query = query.filter(
            baas_child::id.eq_any(
                baas_assignment::table
                    .inner_join(
                        baas_sponsor::table.on(baas_sponsor::id.eq(baas_assignment::sponsor_id)),
                    )
                    .filter(baas_sponsor::user_id.eq(user_id))
                    .select(baas_assignment::child_id),
            ),
        );
    }
    if scope.opd_id.is_some() {
        // an OPD's finance officer has no business with BAAS children
        query = query.filter(baas_child::id.ne(baas_child::id));
    }
    query
}

pub(super) fn sponsors_in(scope: &Scope) -> baas_sponsor::BoxedQuery<'static, Pg> {
    let mut query = baas_sponsor::table
        .filter(baas_sponsor::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .into_boxed();
    if let Some(user_id) = scope.sponsor_user_id {
        query = query.filter(baas_sponsor::user_id.eq(user_id));
    }
    if scope.opd_id.is_some() {
        query = query.filter(baas_sponsor::id.ne(baas_sponsor::id));
    }
    query
}

pub fn list_sponsors_for_scope(
    conn: &mut PgConnection,
    scope: &Scope,
) -> QueryResult<Vec<Sponsor>> {
    sponsors_in(scope)
        .order((baas_sponsor::nama, baas_sponsor::id))
        .select(Sponsor::as_select())
        .load(conn)
}

pub fn find_sponsor_for_scope(
    conn: &mut PgConnection,
    scope: &Scope,
    id: i32,
) -> QueryResult<Option<Sponsor>> {
    sponsors_in(scope)
        .filter(baas_sponsor::id.eq(id))
        .select(Sponsor::as_select())
        .first(conn)
        .optional()
}

pub fn find_sponsor_by_user(conn: &mut PgConnection, user_id: i32) -> QueryResult<Option<Sponsor>> {
    baas_sponsor::table
        .filter(baas_sponsor::user_id.eq(user_id))
        .select(Sponsor::as_select())
        .first(conn)
        .optional()
}

pub fn insert_sponsor(conn: &mut PgConnection, new: &NewSponsor) -> QueryResult<Sponsor> {
    diesel::insert_into(baas_sponsor::table)
        .values(new)
        .returning(Sponsor::as_returning())
        .get_result(conn)
}

pub fn list_children_for_scope(conn: &mut PgConnection, scope: &Scope) -> QueryResult<Vec<Child>> {
    children_in(scope)
        .order((baas_child::kode_desa, baas_child::nama, baas_child::id))
        .select(Child::as_select())
        .load(conn)
}

pub fn find_child_for_scope(
    conn: &mut PgConnection,
    scope: &Scope,
    id: i32,
) -> QueryResult<Option<Child>> {
    children_in(scope)
        .filter(baas_child::id.eq(id))
        .select(Child::as_select())
        .first(conn)
        .optional()
}

/// A child with the same name, birth date and desa (the duplicate check without a NIK).
pub fn find_child_by_identity(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    nama: &str,
    tgl_lahir: NaiveDate,
    kode_desa: &str,
) -> QueryResult<Option<Child>> {
    let rows: Vec<Child> = baas_child::table
        .filter(baas_child::kode_kabkota.eq(kode_kabkota))
        .filter(baas_child::tgl_lahir.eq(tgl_lahir))
        .filter(baas_child::kode_desa.eq(kode_desa))
        .select(Child::as_select())
        .load(conn)?;
    let wanted = nama.trim().to_lowercase();
    Ok(rows
        .into_iter()
        .find(|child| child.nama.trim().to_lowercase() == wanted))
}

pub fn insert_child(
    conn: &mut PgConnection,
    new: &NewChild,
    private: impl FnOnce(i32) -> ChildPrivate,
) -> QueryResult<Child> {
    let child: Child = diesel::insert_into(baas_child::table)
        .values(new)
        .returning(Child::as_returning())
        .get_result(conn)?;
    diesel::insert_into(baas_child_private::table)
        .values(private(child.id))
        .execute(conn)?;
    Ok(child)
}

/// The child id holding this NIK in the district, for the duplicate check (the NIK is not returned).
pub fn find_child_id_by_nik_private(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    nik: &str,
) -> QueryResult<Option<i32>> {
    baas_child_private::table
        .filter(baas_child_private::kode_kabkota.eq(kode_kabkota))
        .filter(baas_child_private::nik.eq(nik))
        .select(baas_child_private::child_id)
        .first(conn)
        .optional()
}

/// A child's personal data, read through the same scope as every other read of a child
/// (`children_in`), so the masked and the private read cannot drift apart.
pub fn find_child_private(
    conn: &mut PgConnection,
    scope: &Scope,
    child_id: i32,
) -> QueryResult<Option<ChildPrivate>> {
    children_in(scope)
        .filter(baas_child::id.eq(child_id))
        .inner_join(
            baas_child_private::table.on(baas_child_private::child_id
                .eq(baas_child::id)
                .and(baas_child_private::kode_kabkota.eq(baas_child::kode_kabkota))),
        )
        .select(ChildPrivate::as_select())
        .first(conn)
        .optional()
}

/// The personal data of several children of the district (the desk's unmasked export).
pub fn list_children_private(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    child_ids: &[i32],
) -> QueryResult<Vec<ChildPrivate>> {
    baas_child_private::table
        .filter(baas_child_private::kode_kabkota.eq(kode_kabkota))
        .filter(baas_child_private::child_id.eq_any(child_ids))
        .select(ChildPrivate::as_select())
        .load(conn)
}

/// Whether `kode` (`PP.KK.CC`) is a kecamatan in the national list.
pub fn kecamatan_exists(conn: &mut PgConnection, kode: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        wilayah::table
            .filter(wilayah::kode.eq(kode))
            .filter(wilayah::tingkat.eq(3)),
    ))
    .get_result(conn)
}

/// Whether `kode` is a desa/kelurahan of the district.
pub fn desa_in_district(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    kode: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        wilayah::table
            .filter(wilayah::kode.eq(kode))
            .filter(wilayah::tingkat.eq(4))
            .filter(wilayah::kode.like(format!("{kode_kabkota}.%"))),
    ))
    .get_result(conn)
}

// ---------------------------------------------------------------------------------------------
// Assignments, deliveries, payments, measurements: reached through a visible child or sponsor

pub fn list_assignments_for_scope(
    conn: &mut PgConnection,
    scope: &Scope,
) -> QueryResult<Vec<Assignment>> {
    let visible_children = children_in(scope).select(baas_child::id);
    let mut query = baas_assignment::table
        .filter(baas_assignment::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(baas_assignment::child_id.eq_any(visible_children))
        .into_boxed();
    if let Some(user_id) = scope.sponsor_user_id {
        // a sponsor sees its own assignments, not those of a child's earlier or later sponsor
        query = query.filter(
            baas_assignment::sponsor_id.eq_any(
                baas_sponsor::table
                    .filter(baas_sponsor::user_id.eq(user_id))
                    .select(baas_sponsor::id),
            ),
        );
    }
    query
        .order((baas_assignment::mulai, baas_assignment::id))
        .select(Assignment::as_select())
        .load(conn)
}

pub fn find_assignment_for_scope(
    conn: &mut PgConnection,
    scope: &Scope,
    id: i32,
) -> QueryResult<Option<Assignment>> {
    Ok(list_assignments_for_scope(conn, scope)?
        .into_iter()
        .find(|assignment| assignment.id == id))
}

pub fn insert_assignment(conn: &mut PgConnection, new: &NewAssignment) -> QueryResult<Assignment> {
    diesel::insert_into(baas_assignment::table)
        .values(new)
        .returning(Assignment::as_returning())
        .get_result(conn)
}

pub fn active_assignment_of_child(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    child_id: i32,
) -> QueryResult<Option<Assignment>> {
    baas_assignment::table
        .filter(baas_assignment::kode_kabkota.eq(kode_kabkota))
        .filter(baas_assignment::child_id.eq(child_id))
        .filter(baas_assignment::status.eq(AssignmentStatus::Aktif))
        .select(Assignment::as_select())
        .first(conn)
        .optional()
}

/// Deliveries on the assignments the scope sees.
pub fn list_deliveries_for_scope(
    conn: &mut PgConnection,
    scope: &Scope,
) -> QueryResult<Vec<Delivery>> {
    let ids: Vec<i32> = list_assignments_for_scope(conn, scope)?
        .iter()
        .map(|a| a.id)
        .collect();
    baas_delivery::table
        .filter(baas_delivery::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(baas_delivery::assignment_id.eq_any(ids))
        .order((baas_delivery::tanggal, baas_delivery::id))
        .select(Delivery::as_select())
        .load(conn)
}

pub fn insert_delivery(conn: &mut PgConnection, new: &NewDelivery) -> QueryResult<Delivery> {
    diesel::insert_into(baas_delivery::table)
        .values(new)
        .returning(Delivery::as_returning())
        .get_result(conn)
}

/// Payments of the sponsors the scope sees.
pub fn list_payments_for_scope(
    conn: &mut PgConnection,
    scope: &Scope,
) -> QueryResult<Vec<Payment>> {
    let sponsors = sponsors_in(scope).select(baas_sponsor::id);
    baas_payment::table
        .filter(baas_payment::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(baas_payment::sponsor_id.eq_any(sponsors))
        .order((baas_payment::tanggal, baas_payment::id))
        .select(Payment::as_select())
        .load(conn)
}

pub fn insert_payment(conn: &mut PgConnection, new: &NewPayment) -> QueryResult<Payment> {
    diesel::insert_into(baas_payment::table)
        .values(new)
        .returning(Payment::as_returning())
        .get_result(conn)
}

/// Measurements of the children the scope sees, by child then date.
pub fn list_measurements_for_scope(
    conn: &mut PgConnection,
    scope: &Scope,
) -> QueryResult<Vec<Measurement>> {
    let visible_children = children_in(scope).select(baas_child::id);
    baas_measurement::table
        .filter(baas_measurement::kode_kabkota.eq(scope.kode_kabkota.clone()))
        .filter(baas_measurement::child_id.eq_any(visible_children))
        .order((
            baas_measurement::child_id,
            baas_measurement::tanggal,
            baas_measurement::id,
        ))
        .select(Measurement::as_select())
        .load(conn)
}

pub fn insert_measurement(
    conn: &mut PgConnection,
    new: &NewMeasurement,
) -> QueryResult<Measurement> {
    diesel::insert_into(baas_measurement::table)
        .values(new)
        .returning(Measurement::as_returning())
        .get_result(conn)
}

/// The lokus desa of the district's latest year with any (lokus first in the desk's lists).
pub fn lokus_desa_latest(
    conn: &mut PgConnection,
    kode_kabkota: &str,
) -> QueryResult<std::collections::HashSet<String>> {
    use super::schema::lokus_desa;
    let latest: Option<i16> = lokus_desa::table
        .filter(lokus_desa::kode_kabkota.eq(kode_kabkota))
        .select(diesel::dsl::max(lokus_desa::tahun))
        .first(conn)?;
    let Some(tahun) = latest else {
        return Ok(Default::default());
    };
    Ok(lokus_desa::table
        .filter(lokus_desa::kode_kabkota.eq(kode_kabkota))
        .filter(lokus_desa::tahun.eq(tahun))
        .select(lokus_desa::kode_desa)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}
