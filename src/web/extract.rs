//! The request guards every handler uses: `CurrentUser` (who is logged in, with their role and
//! scope; one database look-up per request, cached), `CsrfForm` (a form body that is accepted only
//! with the right CSRF token) and `Lang`.

use std::future::{Future, Ready, ready};
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::Utc;
use constant_time_eq::constant_time_eq;
use serde::de::DeserializeOwned;

use crate::domain::{Role, Scope};
use crate::error::AppError;
use crate::i18n::phrases::{self, Messages};
use crate::i18n::{Language, MessageKey};
use crate::services::activity_log::Actor;
use crate::services::auth;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "lokus_session";
/// Before login there is no session: the login form is protected by a double-submit cookie whose
/// token is the server's keyed hash of the cookie (`auth::login_csrf_token`).
pub const ANON_CSRF_COOKIE: &str = "lokus_csrf";
pub const LANG_COOKIE: &str = "lokus_lang";

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub nama: String,
    pub role: Role,
    pub kode_kabkota: String,
    pub opd_id: Option<i32>,
    /// A province-level `pimpinan`'s province: it may read the summary of any district served in it.
    pub kode_provinsi: Option<String>,
    pub csrf_token: String,
    /// The session token from the cookie, needed to log out.
    pub token: String,
}

impl CurrentUser {
    /// Refuses the request (403) unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn scope(&self) -> Scope {
        Scope {
            kode_kabkota: self.kode_kabkota.clone(),
            opd_id: if self.role == Role::Opd {
                self.opd_id
            } else {
                None
            },
            // baas: sponsor isolation
            sponsor_user_id: (self.role == Role::Sponsor).then_some(self.id),
        }
    }

    /// The scope of a read that names a district (`?kabkota=`): the user's own scope when it names
    /// none or their own, a whole district served in their province for a province-level
    /// `pimpinan`, and `None` (a 404, like a missing page) for any other district.
    pub fn reading_scope(
        &self,
        conn: &mut diesel::PgConnection,
        kabkota: Option<&str>,
    ) -> diesel::QueryResult<Option<Scope>> {
        let Some(wanted) = kabkota.map(str::trim).filter(|kode| !kode.is_empty()) else {
            return Ok(Some(self.scope()));
        };
        if wanted == self.kode_kabkota {
            return Ok(Some(self.scope()));
        }
        let Some(provinsi) = &self.kode_provinsi else {
            return Ok(None);
        };
        Ok(crate::db::district::list_in_province(conn, provinsi)?
            .into_iter()
            .find(|district| district.kode_kabkota == wanted)
            .map(|district| Scope::district(&district.kode_kabkota)))
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id),
            label: self.email.clone(),
            kode_kabkota: Some(self.kode_kabkota.clone()),
        }
    }
}

type LocalFuture<T> = Pin<Box<dyn Future<Output = Result<T, actix_web::Error>>>>;

impl FromRequest for CurrentUser {
    type Error = actix_web::Error;
    type Future = LocalFuture<CurrentUser>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(load_current_user(&req).await?) })
    }
}

/// The logged-in user, looked up once per request and cached in the request's extensions.
async fn load_current_user(req: &HttpRequest) -> Result<CurrentUser, AppError> {
    if let Some(user) = req.extensions().get::<CurrentUser>() {
        return Ok(user.clone());
    }
    let token = req
        .cookie(SESSION_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|token| token.len() == 64)
        .ok_or(AppError::Unauthenticated)?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::internal("AppState missing"))?
        .clone();
    let idle = state.settings.session_idle_minutes;
    let lookup_token = token.clone();
    let found = state
        .db(move |conn| Ok(auth::find_session(conn, &lookup_token, idle)?))
        .await?;
    let (session, user) = found.ok_or(AppError::Unauthenticated)?;
    let role =
        Role::parse(&user.role).ok_or_else(|| AppError::internal("unknown role in database"))?;
    let current = CurrentUser {
        id: user.id,
        email: user.email,
        nama: user.nama,
        role,
        kode_kabkota: user.kode_kabkota,
        opd_id: user.opd_id,
        kode_provinsi: user.kode_provinsi,
        csrf_token: session.csrf_token,
        token,
    };
    req.extensions_mut().insert(current.clone());
    Ok(current)
}

/// A url-encoded form whose `csrf_token` field matched the session's token (or, before login, the
/// anonymous CSRF cookie). Handlers that change anything take their form through this.
pub struct CsrfForm<T>(pub T);

/// The body of a form that carries nothing but its CSRF token (a button: log out, commit, switch).
#[derive(serde::Deserialize)]
pub struct NoFields {}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf_token: String,
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = LocalFuture<CsrfForm<T>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await?;
            verify_csrf_token(&req, &body).await?;
            let form = serde_urlencoded::from_bytes::<T>(&body).map_err(|error| {
                tracing::info!(%error, path = %req.path(), "form refused");
                AppError::bad_request(MessageKey::ErrorBadForm)
            })?;
            Ok(CsrfForm(form))
        })
    }
}

async fn verify_csrf_token(req: &HttpRequest, body: &[u8]) -> Result<(), AppError> {
    let sent = serde_urlencoded::from_bytes::<CsrfField>(body)
        .map(|field| field.csrf_token)
        .unwrap_or_default();
    let expected = match load_current_user(req).await {
        Ok(user) => user.csrf_token,
        // before login: the token must be the server's keyed hash of the cookie, so a cookie a
        // visitor planted with a value of their choosing brings no matching token
        Err(AppError::Unauthenticated) => {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| AppError::internal("AppState missing"))?;
            let key = state.login_csrf_key().await?;
            req.cookie(ANON_CSRF_COOKIE)
                .and_then(|cookie| auth::login_csrf_token(&key, cookie.value(), Utc::now()))
                .unwrap_or_default()
        }
        Err(other) => return Err(other),
    };
    if expected.is_empty() || !constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        tracing::warn!(path = %req.path(), "CSRF token rejected");
        return Err(AppError::Csrf);
    }
    Ok(())
}

/// Whether a token sent outside a url-encoded form (a multipart upload) is the session's.
pub fn csrf_matches(user: &CurrentUser, sent: &str) -> bool {
    !user.csrf_token.is_empty() && constant_time_eq(sent.as_bytes(), user.csrf_token.as_bytes())
}

/// The interface language chosen by the `lokus_lang` cookie; Indonesian unless it says `en`.
#[derive(Clone, Copy)]
pub struct Lang(pub &'static Messages);

impl Lang {
    /// The same choice, for rendering catalogue messages.
    pub fn language(self) -> Language {
        Language::from_code(self.0.lang_code)
    }
}

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Lang, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Lang(phrases::for_code(language_of(req).code()))))
    }
}

/// The reader's language, from the `lokus_lang` cookie.
pub fn language_of(req: &HttpRequest) -> Language {
    req.cookie(LANG_COOKIE)
        .map_or(Language::default(), |cookie| {
            Language::from_code(cookie.value())
        })
}

/// `path` when it is a path on this site that is safe to redirect to: exactly one leading `/`
/// (browsers read `//host` and `/\host` as another site) and nothing a header cannot carry.
pub fn local_path(path: &str) -> Option<&str> {
    let safe = path.starts_with('/')
        && !path.starts_with("//")
        && !path.chars().any(|c| c.is_control() || c == '\\');
    safe.then_some(path)
}

/// The path of the lokus page the request came from (its `Referer`), when that page is on this
/// very host; `None` for another site or anything unsafe to redirect to.
pub fn referring_path(req: &HttpRequest) -> Option<String> {
    let referer = req.headers().get(header::REFERER)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("http://")
        .or_else(|| referer.strip_prefix("https://"))?;
    let (host, path) = match rest.find(['/', '?', '#']) {
        Some(at) => rest.split_at(at),
        None => (rest, "/"),
    };
    if host != req.connection_info().host() {
        return None;
    }
    local_path(path).map(str::to_owned)
}

/// A cookie with the flags every lokus cookie carries.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_of_this_site_are_safe_to_redirect_to() {
        for safe in ["/", "/anggaran?tampil=belum&opd=3", "/opd/7"] {
            assert_eq!(local_path(safe), Some(safe));
        }
        for unsafe_path in [
            "//evil.example/x",
            "/\\evil.example/x",
            "https://evil.example/",
            "anggaran",
            "",
            "/anggaran\r\nSet-Cookie: x=1",
            "/a\tb",
        ] {
            assert_eq!(local_path(unsafe_path), None, "{unsafe_path:?}");
        }
    }
}
