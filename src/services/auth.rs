//! Passwords (argon2id) and login sessions kept in PostgreSQL, so that any number of lokus processes
//! share them and logging out ends the session everywhere. The cookie carries a random token; the
//! database holds only its SHA-256. Hashing and checking passwords is slow on purpose: the steps
//! that need it take no connection, so a server runs them without holding one.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::sessions::{self, Session};
use crate::db::users::{self, User};
use crate::i18n::{Message, MessageKey};
use crate::services::activity_log::{self, Actor};
use crate::services::error::{ServiceError, ServiceResult};

pub const MIN_PASSWORD_LENGTH: usize = 10;

/// A session is extended at most once a minute, so reading pages does not write on every request.
const TOUCH_INTERVAL_SECONDS: i64 = 60;
/// However active, a session ends this long after login: a stolen cookie is not good forever.
pub const SESSION_MAX_HOURS: i64 = 24;

pub fn hash_password(password: &str) -> ServiceResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| ServiceError::internal(format!("password hashing failed: {error}")))
}

pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// `None` when the password is acceptable, else why not.
pub fn password_problem(password: &str) -> Option<Message> {
    (password.chars().count() < MIN_PASSWORD_LENGTH)
        .then(|| Message::new(MessageKey::AuthPasswordTooShort).arg(MIN_PASSWORD_LENGTH))
}

/// A password that passed the rules, already hashed. Hashing (argon2) is the slow part: callers
/// that serve requests make this on the blocking pool before they take a pooled connection.
pub struct NewPassword {
    hash: String,
}

impl NewPassword {
    pub fn hash(plain: &str) -> ServiceResult<NewPassword> {
        if let Some(problem) = password_problem(plain) {
            return Err(ServiceError::Invalid(problem));
        }
        Ok(NewPassword {
            hash: hash_password(plain)?,
        })
    }

    pub fn as_hash(&self) -> &str {
        &self.hash
    }
}

/// 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 90 bits.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    bytes
        .iter()
        .map(|byte| ALPHABET[*byte as usize % ALPHABET.len()] as char)
        .collect()
}

/// A fresh random token, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    fill_random(&mut bytes);
    hex(&bytes)
}

fn fill_random(bytes: &mut [u8]) {
    getrandom::fill(bytes).expect("the operating system's random source is available");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The name of the server secret that keys the login form's CSRF token.
pub const LOGIN_CSRF_SECRET: &str = "login_csrf";
/// How long a login form's token is good for; a page left open longer is reloaded.
pub const LOGIN_CSRF_HOURS: i64 = 12;

/// A fresh random secret for [`LOGIN_CSRF_SECRET`], should this server be the first to need one.
pub fn fresh_secret() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    fill_random(&mut bytes);
    bytes
}

/// The value of the anonymous CSRF cookie a login page sets: when it was issued and a random part.
pub fn login_csrf_nonce(now: DateTime<Utc>) -> String {
    format!("{}.{}", now.timestamp(), random_token())
}

/// The token the login form must send back with the cookie `nonce`: keyed by the server secret,
/// so a visitor who can plant a cookie still cannot make a matching token for a value they chose.
/// `None` when the nonce is not one lokus issues, or is older than [`LOGIN_CSRF_HOURS`].
pub fn login_csrf_token(key: &[u8], nonce: &str, now: DateTime<Utc>) -> Option<String> {
    let (issued, random) = nonce.split_once('.')?;
    let issued = DateTime::from_timestamp(issued.parse().ok()?, 0)?;
    let fresh =
        issued <= now + Duration::minutes(5) && now - issued < Duration::hours(LOGIN_CSRF_HOURS);
    let well_formed = random.len() == 64 && random.bytes().all(|b| b.is_ascii_hexdigit());
    (fresh && well_formed).then(|| hex(&hmac_sha256(key, nonce.as_bytes())))
}

/// HMAC-SHA-256 (RFC 2104) over the sha2 crate lokus already uses; no HMAC crate is in the tree,
/// and these few lines are checked against RFC 4231's test vector below.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block_key = [0u8; BLOCK];
    if key.len() > BLOCK {
        block_key[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block_key[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block_key.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// A successful login: the token for the cookie, and who logged in.
pub struct LoggedIn {
    pub token: String,
    pub user: User,
}

/// Failed logins allowed for one account from one client within `THROTTLE_MINUTES`, before that
/// pair is refused without checking the password. The owner, from their own client, is not locked
/// out by a stranger guessing elsewhere.
pub const MAX_FAILURES: i64 = 5;
/// Failed logins allowed from one client across all accounts within `THROTTLE_MINUTES`: guesses
/// sprayed over many accounts are throttled too.
pub const MAX_CLIENT_FAILURES: i64 = 20;
pub const THROTTLE_MINUTES: i64 = 15;

/// Who tries to log in, from where: the e-mail as typed and the client's key (its network address).
pub struct LoginAttempt {
    pub email: String,
    pub client: String,
}

impl LoginAttempt {
    fn account(&self) -> String {
        self.email.trim().to_lowercase()
    }
}

/// The first step of a login, with a connection.
pub enum LoginCheck {
    /// Too many failures for this account from this client, or from this client overall.
    Throttled,
    /// The account to check the password against (`None`: no active account by that address).
    Check(Option<User>),
}

/// What a login attempt came to.
pub enum LoginOutcome {
    LoggedIn(LoggedIn),
    /// Unknown e-mail, wrong password or disabled account: the answer does not tell which.
    Refused,
}

/// Step one (connection): is the attempt throttled, and which account would it open?
pub fn start_login(conn: &mut PgConnection, attempt: &LoginAttempt) -> ServiceResult<LoginCheck> {
    let since = Utc::now() - Duration::minutes(THROTTLE_MINUTES);
    let (pair, client) =
        sessions::count_login_failures(conn, &attempt.account(), &attempt.client, since)?;
    if pair >= MAX_FAILURES || client >= MAX_CLIENT_FAILURES {
        tracing::warn!(
            client = %attempt.client,
            pair,
            client_total = client,
            "login throttled after repeated failures"
        );
        return Ok(LoginCheck::Throttled);
    }
    let user = users::find_by_email(conn, &attempt.email)?.filter(|user| user.aktif);
    Ok(LoginCheck::Check(user))
}

/// Step two (no connection, slow): the account when `password` opens it.
pub fn check_password(user: Option<User>, password: &str) -> Option<User> {
    match user {
        Some(user) if verify_password(password, &user.password_hash) => Some(user),
        Some(user) => {
            tracing::info!(user_id = user.id, "login refused: wrong password");
            None
        }
        None => {
            // spend the same time as a real check so response times do not reveal which e-mails exist
            let _ = verify_password(password, DUMMY_HASH);
            None
        }
    }
}

/// Step three (connection): records the failure, or opens a session for the verified account.
pub fn finish_login(
    conn: &mut PgConnection,
    attempt: &LoginAttempt,
    verified: Option<User>,
    idle_minutes: u32,
) -> ServiceResult<LoginOutcome> {
    let account = attempt.account();
    let Some(user) = verified else {
        let older_than = Utc::now() - Duration::minutes(THROTTLE_MINUTES);
        sessions::record_login_failure(conn, &account, &attempt.client, older_than)?;
        return Ok(LoginOutcome::Refused);
    };
    sessions::clear_login_failures(conn, &account, &attempt.client)?;
    let token = random_token();
    let expires_at = Utc::now() + Duration::minutes(i64::from(idle_minutes));
    conn.transaction(|conn| {
        // logins are rare enough to carry the clean-up of sessions that ran out
        sessions::delete_expired(conn, Utc::now())?;
        sessions::insert(
            conn,
            &token_hash(&token),
            user.id,
            &random_token(),
            expires_at,
        )?;
        let actor = actor_for(&user);
        activity_log::record(
            conn,
            &actor,
            "login",
            "session",
            user.id,
            activity_log::NOTHING,
            activity_log::NOTHING,
        )
    })?;
    Ok(LoginOutcome::LoggedIn(LoggedIn { token, user }))
}

/// The live session behind a cookie token, extended when it was last seen over a minute ago.
pub fn find_session(
    conn: &mut PgConnection,
    token: &str,
    idle_minutes: u32,
) -> ServiceResult<Option<(Session, User)>> {
    let now = Utc::now();
    let hash = token_hash(token);
    let Some((session, user)) = sessions::find_live(conn, &hash, now)? else {
        return Ok(None);
    };
    let absolute_end = session.created_at + Duration::hours(SESSION_MAX_HOURS);
    if now >= absolute_end {
        sessions::delete(conn, &hash)?;
        return Ok(None);
    }
    if (now - session.last_seen_at).num_seconds() >= TOUCH_INTERVAL_SECONDS {
        sessions::touch(
            conn,
            &hash,
            now,
            (now + Duration::minutes(i64::from(idle_minutes))).min(absolute_end),
        )?;
    }
    Ok(Some((session, user)))
}

/// Ends the session behind `token`; afterwards the cookie opens nothing, on any server.
pub fn logout(conn: &mut PgConnection, token: &str, actor: &Actor) -> ServiceResult<()> {
    conn.transaction(|conn| {
        sessions::delete(conn, &token_hash(token))?;
        let user_id = actor.user_id.unwrap_or_default();
        activity_log::record(
            conn,
            actor,
            "logout",
            "session",
            user_id,
            activity_log::NOTHING,
            activity_log::NOTHING,
        )
    })?;
    Ok(())
}

/// The stored hash a password change is checked against (step one, connection).
pub fn password_hash_of(conn: &mut PgConnection, user_id: i32) -> ServiceResult<String> {
    users::find_by_id(conn, user_id)?
        .map(|user| user.password_hash)
        .ok_or_else(|| ServiceError::invalid(MessageKey::AuthAccountNotFound))
}

/// Checks a password change and hashes the new one (step two, no connection, slow).
pub fn prepare_password_change(
    stored_hash: &str,
    current: &str,
    new: &str,
) -> ServiceResult<NewPassword> {
    if !verify_password(current, stored_hash) {
        return Err(ServiceError::invalid(MessageKey::AuthCurrentPasswordWrong));
    }
    if let Some(problem) = password_problem(new) {
        return Err(ServiceError::Invalid(problem));
    }
    if new == current {
        return Err(ServiceError::invalid(MessageKey::AuthPasswordUnchanged));
    }
    NewPassword::hash(new)
}

/// Sets the new password (step three, connection); every other session of the user ends.
pub fn change_password(
    conn: &mut PgConnection,
    user_id: i32,
    keep_token: &str,
    new: &NewPassword,
) -> ServiceResult<()> {
    let user = users::find_by_id(conn, user_id)?
        .ok_or_else(|| ServiceError::invalid(MessageKey::AuthAccountNotFound))?;
    conn.transaction(|conn| {
        users::set_password_hash(conn, user.id, new.as_hash())?;
        sessions::delete_others(conn, user.id, &token_hash(keep_token))?;
        activity_log::record(
            conn,
            &actor_for(&user),
            "update",
            "password",
            user.id,
            activity_log::NOTHING,
            activity_log::NOTHING,
        )
    })?;
    Ok(())
}

/// Sets a password from the command line (a forgotten one); all the user's sessions end.
pub fn reset_password(
    conn: &mut PgConnection,
    actor: &Actor,
    email: &str,
    new: &str,
) -> ServiceResult<()> {
    let Some(user) = users::find_by_email(conn, email)? else {
        return Err(ServiceError::Invalid(
            Message::new(MessageKey::AuthNoAccountForEmail).arg(email),
        ));
    };
    let new = NewPassword::hash(new)?;
    conn.transaction(|conn| {
        users::set_password_hash(conn, user.id, new.as_hash())?;
        sessions::delete_for_user(conn, user.id)?;
        let actor = actor.clone().in_district(&user.kode_kabkota);
        activity_log::record(
            conn,
            &actor,
            "reset",
            "password",
            user.id,
            activity_log::NOTHING,
            activity_log::NOTHING,
        )
    })?;
    Ok(())
}

pub fn actor_for(user: &User) -> Actor {
    Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        kode_kabkota: Some(user.kode_kabkota.clone()),
    }
}

/// An argon2id hash of a random string, used to equalise timing for unknown accounts.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3pKQnRCGKShBI0e16MIFrG0MHOjYq8uOTUE/X4C0xjE";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let hash = hash_password("lokus-demo").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("lokus-demo", &hash));
        assert!(!verify_password("lokus-dem0", &hash));
        assert!(!verify_password("lokus-demo", "not a hash"));
    }

    #[test]
    fn generated_passwords_are_long_and_different() {
        let first = generate_password();
        assert_eq!(first.len(), 16);
        assert!(password_problem(&first).is_none());
        assert_ne!(first, generate_password());
        assert!(password_problem("pendek").is_some());
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // RFC 4231, test case 2
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // test case 6: a key longer than the block is hashed first
        let mac = hmac_sha256(
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            hex(&mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn a_login_token_is_bound_to_the_server_key_the_nonce_and_its_age() {
        let now = Utc::now();
        let key = fresh_secret();
        let nonce = login_csrf_nonce(now);
        let token = login_csrf_token(&key, &nonce, now).expect("a fresh nonce has a token");
        assert_eq!(token.len(), 64);
        assert_ne!(
            Some(token.clone()),
            login_csrf_token(&fresh_secret(), &nonce, now)
        );
        assert_ne!(
            Some(token),
            login_csrf_token(&key, &login_csrf_nonce(now), now)
        );
        let later = now + Duration::hours(LOGIN_CSRF_HOURS) + Duration::seconds(1);
        assert_eq!(login_csrf_token(&key, &nonce, later), None, "expired");
        assert_eq!(login_csrf_token(&key, &"a".repeat(64), now), None);
        assert_eq!(login_csrf_token(&key, "1.zz", now), None);
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let token = random_token();
        assert_eq!(token.len(), 64);
        assert_ne!(token, random_token());
        assert_eq!(token_hash(&token).len(), 32);
        assert_eq!(token_hash(&token), token_hash(&token));
    }
}
