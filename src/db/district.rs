//! Queries on the districts served, their fiscal years (with prevalence baseline and target)
//! and their lokus designations.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::schema::{districts, lokus_desa, tahun_anggaran, wilayah};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = districts)]
pub struct District {
    pub kode_kabkota: String,
    pub demo: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = tahun_anggaran)]
pub struct TahunAnggaran {
    pub kode_kabkota: String,
    pub tahun: i16,
    pub terkunci: bool,
    pub prevalensi_baseline: Option<Decimal>,
    pub sumber_baseline: Option<String>,
    pub prevalensi_target: Option<Decimal>,
}

#[derive(Debug, Clone, AsChangeset, serde::Serialize)]
#[diesel(table_name = tahun_anggaran, treat_none_as_null = true)]
pub struct TahunAnggaranChanges {
    pub terkunci: bool,
    pub prevalensi_baseline: Option<Decimal>,
    pub sumber_baseline: Option<String>,
    pub prevalensi_target: Option<Decimal>,
}

/// A lokus designation with the desa's name and kecamatan, for lists.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct LokusDesaView {
    pub kode_desa: String,
    pub nama_desa: String,
}

pub fn insert_district(conn: &mut PgConnection, kode_kabkota: &str, demo: bool) -> QueryResult<()> {
    diesel::insert_into(districts::table)
        .values((
            districts::kode_kabkota.eq(kode_kabkota),
            districts::demo.eq(demo),
        ))
        .execute(conn)
        .map(drop)
}

pub fn find_district(conn: &mut PgConnection, kode_kabkota: &str) -> QueryResult<Option<District>> {
    districts::table.find(kode_kabkota).first(conn).optional()
}

pub fn list_districts(conn: &mut PgConnection) -> QueryResult<Vec<District>> {
    districts::table.order(districts::kode_kabkota).load(conn)
}

/// The districts this deployment serves in a province (`64`: every `64.xx`), in code order: what a
/// province-level account may read.
pub fn list_in_province(
    conn: &mut PgConnection,
    kode_provinsi: &str,
) -> QueryResult<Vec<District>> {
    districts::table
        .filter(districts::kode_kabkota.like(format!("{kode_provinsi}.%")))
        .order(districts::kode_kabkota)
        .load(conn)
}

/// True when any district was loaded as demo data: the login page then says so.
pub fn any_demo(conn: &mut PgConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        districts::table.filter(districts::demo.eq(true)),
    ))
    .get_result(conn)
}

pub fn list_tahun(conn: &mut PgConnection, kode_kabkota: &str) -> QueryResult<Vec<TahunAnggaran>> {
    tahun_anggaran::table
        .filter(tahun_anggaran::kode_kabkota.eq(kode_kabkota))
        .order(tahun_anggaran::tahun.desc())
        .load(conn)
}

pub fn find_tahun(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    tahun: i16,
) -> QueryResult<Option<TahunAnggaran>> {
    tahun_anggaran::table
        .find((kode_kabkota, tahun))
        .first(conn)
        .optional()
}

pub fn insert_tahun(conn: &mut PgConnection, row: &TahunAnggaran) -> QueryResult<()> {
    diesel::insert_into(tahun_anggaran::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn update_tahun(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    tahun: i16,
    changes: &TahunAnggaranChanges,
) -> QueryResult<TahunAnggaran> {
    diesel::update(tahun_anggaran::table.find((kode_kabkota, tahun)))
        .set(changes)
        .get_result(conn)
}

pub fn list_lokus(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    tahun: i16,
) -> QueryResult<Vec<LokusDesaView>> {
    lokus_desa::table
        .inner_join(wilayah::table)
        .filter(lokus_desa::kode_kabkota.eq(kode_kabkota))
        .filter(lokus_desa::tahun.eq(tahun))
        .order(lokus_desa::kode_desa)
        .select((lokus_desa::kode_desa, wilayah::nama))
        .load(conn)
}

/// Adds a designation; returns false when the desa was already lokus that year.
pub fn insert_lokus(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    tahun: i16,
    kode_desa: &str,
) -> QueryResult<bool> {
    diesel::insert_into(lokus_desa::table)
        .values((
            lokus_desa::kode_kabkota.eq(kode_kabkota),
            lokus_desa::tahun.eq(tahun),
            lokus_desa::kode_desa.eq(kode_desa),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .map(|inserted| inserted == 1)
}

pub fn delete_lokus(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    tahun: i16,
    kode_desa: &str,
) -> QueryResult<bool> {
    diesel::delete(lokus_desa::table.find((kode_kabkota, tahun, kode_desa)))
        .execute(conn)
        .map(|deleted| deleted == 1)
}
