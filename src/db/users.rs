//! Queries on `users`.

use diesel::prelude::*;

use super::schema::{opd, users};
use crate::domain::Scope;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub kode_kabkota: String,
    pub email: String,
    pub nama: String,
    pub role: String,
    pub opd_id: Option<i32>,
    pub password_hash: String,
    pub aktif: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Set for a province-level `pimpinan`: the summary of every district served in the province.
    pub kode_provinsi: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub kode_kabkota: String,
    pub email: String,
    pub nama: String,
    pub role: String,
    pub opd_id: Option<i32>,
    pub password_hash: String,
}

/// A user as the user list shows it: no password hash, with the OPD's name.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct UserView {
    pub id: i32,
    pub email: String,
    pub nama: String,
    pub role: String,
    pub opd_nama: Option<String>,
    pub aktif: bool,
}

pub fn find_by_email(conn: &mut PgConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        // addresses are stored lower-cased (domain::parse_email); the unique index is on lower(email)
        .filter(users::email.eq(email.trim().to_lowercase()))
        .first(conn)
        .optional()
}

pub fn find_by_id(conn: &mut PgConnection, id: i32) -> QueryResult<Option<User>> {
    users::table.find(id).first(conn).optional()
}

pub fn list_for_district(conn: &mut PgConnection, scope: &Scope) -> QueryResult<Vec<UserView>> {
    users::table
        .left_join(opd::table)
        .filter(users::kode_kabkota.eq(&scope.kode_kabkota))
        .order((users::role, users::email))
        .select((
            users::id,
            users::email,
            users::nama,
            users::role,
            opd::nama.nullable(),
            users::aktif,
        ))
        .load(conn)
}

pub fn list_for_opd(conn: &mut PgConnection, opd_id: i32) -> QueryResult<Vec<UserView>> {
    users::table
        .left_join(opd::table)
        .filter(users::opd_id.eq(opd_id))
        .order(users::email)
        .select((
            users::id,
            users::email,
            users::nama,
            users::role,
            opd::nama.nullable(),
            users::aktif,
        ))
        .load(conn)
}

pub fn find_by_id_in_district(
    conn: &mut PgConnection,
    id: i32,
    kode_kabkota: &str,
) -> QueryResult<Option<User>> {
    users::table
        .filter(users::id.eq(id))
        .filter(users::kode_kabkota.eq(kode_kabkota))
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut PgConnection, new: &NewUser) -> QueryResult<User> {
    diesel::insert_into(users::table)
        .values(new)
        .get_result(conn)
}

pub fn set_active(conn: &mut PgConnection, id: i32, aktif: bool) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::aktif.eq(aktif))
        .execute(conn)
        .map(drop)
}

pub fn set_province(conn: &mut PgConnection, id: i32, kode_provinsi: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::kode_provinsi.eq(kode_provinsi))
        .execute(conn)
        .map(drop)
}

pub fn set_password_hash(conn: &mut PgConnection, id: i32, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .execute(conn)
        .map(drop)
}
