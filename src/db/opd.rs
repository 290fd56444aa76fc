//! Queries on `opd`, the government units of a district. Visibility is part of every query:
//! an `opd` user's scope names their one OPD.

use diesel::prelude::*;

use super::schema::opd;
use crate::domain::Scope;

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = opd)]
pub struct Opd {
    pub id: i32,
    pub kode_kabkota: String,
    pub kode: String,
    pub nama: String,
    pub singkatan: Option<String>,
    pub aktif: bool,
}

#[derive(Debug, Clone, Insertable, serde::Serialize)]
#[diesel(table_name = opd)]
pub struct NewOpd {
    pub kode_kabkota: String,
    pub kode: String,
    pub nama: String,
    pub singkatan: Option<String>,
}

#[derive(Debug, Clone, AsChangeset, serde::Serialize)]
#[diesel(table_name = opd, treat_none_as_null = true)]
pub struct OpdChanges {
    pub kode: String,
    pub nama: String,
    pub singkatan: Option<String>,
    pub aktif: bool,
}

pub fn list_for_scope(conn: &mut PgConnection, scope: &Scope) -> QueryResult<Vec<Opd>> {
    let mut query = opd::table
        .filter(opd::kode_kabkota.eq(&scope.kode_kabkota))
        .order(opd::kode)
        .into_boxed();
    if let Some(opd_id) = scope.opd_id {
        query = query.filter(opd::id.eq(opd_id));
    }
    query.load(conn)
}

/// `None` both when the OPD does not exist and when the scope may not see it: the caller answers 404.
pub fn find_by_id_for_scope(
    conn: &mut PgConnection,
    id: i32,
    scope: &Scope,
) -> QueryResult<Option<Opd>> {
    let mut query = opd::table
        .filter(opd::id.eq(id))
        .filter(opd::kode_kabkota.eq(&scope.kode_kabkota))
        .into_boxed();
    if let Some(opd_id) = scope.opd_id {
        query = query.filter(opd::id.eq(opd_id));
    }
    query.first(conn).optional()
}

pub fn find_by_kode(
    conn: &mut PgConnection,
    kode_kabkota: &str,
    kode: &str,
) -> QueryResult<Option<Opd>> {
    opd::table
        .filter(opd::kode_kabkota.eq(kode_kabkota))
        .filter(opd::kode.eq(kode))
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut PgConnection, new: &NewOpd) -> QueryResult<Opd> {
    diesel::insert_into(opd::table).values(new).get_result(conn)
}

pub fn update(conn: &mut PgConnection, id: i32, changes: &OpdChanges) -> QueryResult<Opd> {
    diesel::update(opd::table.find(id))
        .set(changes)
        .get_result(conn)
}
