//! Queries on `sessions`: server-side login sessions keyed by the SHA-256 of the cookie token.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::{sessions, users};
use super::users::User;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub token_hash: Vec<u8>,
    pub user_id: i32,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub fn insert(
    conn: &mut PgConnection,
    token_hash: &[u8],
    user_id: i32,
    csrf_token: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq(csrf_token),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

/// The live session for a token and its (active) user; expired sessions and disabled users find nothing.
pub fn find_live(
    conn: &mut PgConnection,
    token_hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<(Session, User)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .filter(users::aktif.eq(true))
        .select((Session::as_select(), User::as_select()))
        .first(conn)
        .optional()
}

pub fn touch(
    conn: &mut PgConnection,
    token_hash: &[u8],
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(sessions::table.find(token_hash))
        .set((
            sessions::last_seen_at.eq(now),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn delete(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(token_hash)).execute(conn)
}

pub fn delete_for_user(conn: &mut PgConnection, user_id: i32) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// Ends every session of a user but the one with `keep` (the one changing the password).
pub fn delete_others(conn: &mut PgConnection, user_id: i32, keep: &[u8]) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::token_hash.ne(keep)),
    )
    .execute(conn)
}

pub fn delete_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)
}

/// Failed logins since `since`: for this account from this client, and from this client for any
/// account.
pub fn count_login_failures(
    conn: &mut PgConnection,
    email: &str,
    client: &str,
    since: DateTime<Utc>,
) -> QueryResult<(i64, i64)> {
    use super::schema::login_failure;
    let from_client = login_failure::table
        .filter(login_failure::client.eq(client))
        .filter(login_failure::at.gt(since));
    let pair = from_client
        .filter(login_failure::email.eq(email))
        .count()
        .get_result(conn)?;
    let all = from_client.count().get_result(conn)?;
    Ok((pair, all))
}

/// Notes one failed login, and forgets failures older than the window.
pub fn record_login_failure(
    conn: &mut PgConnection,
    email: &str,
    client: &str,
    older_than: DateTime<Utc>,
) -> QueryResult<()> {
    use super::schema::login_failure;
    diesel::delete(login_failure::table.filter(login_failure::at.lt(older_than))).execute(conn)?;
    diesel::insert_into(login_failure::table)
        .values((
            login_failure::email.eq(email),
            login_failure::client.eq(client),
        ))
        .execute(conn)
        .map(drop)
}

/// After a successful login, the account's failures from that client are forgotten (not those
/// from other clients, nor the client's failures on other accounts).
pub fn clear_login_failures(conn: &mut PgConnection, email: &str, client: &str) -> QueryResult<()> {
    use super::schema::login_failure;
    diesel::delete(
        login_failure::table
            .filter(login_failure::email.eq(email))
            .filter(login_failure::client.eq(client)),
    )
    .execute(conn)
    .map(drop)
}

/// The secret called `name` that every lokus process on this database shares: made by whichever
/// process asks first (`fresh` is its value then), read by all the others.
pub fn server_secret(conn: &mut PgConnection, name: &str, fresh: &[u8]) -> QueryResult<Vec<u8>> {
    use super::schema::server_secret;
    diesel::insert_into(server_secret::table)
        .values((server_secret::name.eq(name), server_secret::value.eq(fresh)))
        .on_conflict_do_nothing()
        .execute(conn)?;
    server_secret::table
        .find(name)
        .select(server_secret::value)
        .first(conn)
}
