//! Queries on `wilayah`, the national list of area codes.

use diesel::prelude::*;

use super::schema::wilayah;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = wilayah)]
pub struct Wilayah {
    pub kode: String,
    pub nama: String,
    pub tingkat: i16,
    pub kode_induk: Option<String>,
}

pub fn find_by_kode(conn: &mut PgConnection, kode: &str) -> QueryResult<Option<Wilayah>> {
    wilayah::table.find(kode).first(conn).optional()
}

pub fn list_children(conn: &mut PgConnection, kode_induk: &str) -> QueryResult<Vec<Wilayah>> {
    wilayah::table
        .filter(wilayah::kode_induk.eq(kode_induk))
        .order(wilayah::kode)
        .load(conn)
}

/// Every desa/kelurahan of a kabupaten/kota, in code order.
pub fn list_desa_in_kabkota(
    conn: &mut PgConnection,
    kode_kabkota: &str,
) -> QueryResult<Vec<Wilayah>> {
    wilayah::table
        .filter(wilayah::tingkat.eq(4))
        .filter(wilayah::kode.like(format!("{kode_kabkota}.%")))
        .order(wilayah::kode)
        .load(conn)
}

pub fn count_by_tingkat(conn: &mut PgConnection) -> QueryResult<Vec<(i16, i64)>> {
    wilayah::table
        .group_by(wilayah::tingkat)
        .select((wilayah::tingkat, diesel::dsl::count_star()))
        .order(wilayah::tingkat)
        .load(conn)
}

pub fn insert_all(conn: &mut PgConnection, rows: &[Wilayah]) -> QueryResult<usize> {
    // 4 parameters a row: 5,000 rows stay well under PostgreSQL's 65,535 bind parameters.
    let mut inserted = 0;
    for chunk in rows.chunks(5_000) {
        inserted += diesel::insert_into(wilayah::table)
            .values(chunk)
            .execute(conn)?;
    }
    Ok(inserted)
}

pub fn insert(conn: &mut PgConnection, row: &Wilayah) -> QueryResult<()> {
    diesel::insert_into(wilayah::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn rename(conn: &mut PgConnection, kode: &str, nama: &str) -> QueryResult<Wilayah> {
    diesel::update(wilayah::table.find(kode))
        .set(wilayah::nama.eq(nama))
        .get_result(conn)
}
