//! Login and logout pages, and the password change.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Utc;

use crate::db::district;
use crate::error::{AppError, AppResult};
use crate::i18n::MessageKey;
use crate::i18n::phrases::Messages;
use crate::services::error::ServiceError;
use crate::services::{auth, demo};
use crate::state::{AppState, blocking};
use crate::web::extract::{
    ANON_CSRF_COOKIE, CsrfForm, CurrentUser, Lang, NoFields, SESSION_COOKIE, cookie,
};
use crate::web::page::{form_outcome, render_status, role_label, see_other};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: &'static Messages,
    csrf_token: String,
    email: String,
    failed: bool,
    throttled: bool,
    demo: bool,
    demo_accounts: Vec<(&'static str, &'static str)>,
}

/// Why the login page is shown again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Failure {
    None,
    Refused,
    Throttled,
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn login_response(
    state: &AppState,
    req: &HttpRequest,
    t: &'static Messages,
    email: String,
    failure: Failure,
) -> AppResult<HttpResponse> {
    let demo = state.db(|conn| Ok(district::any_demo(conn)?)).await?;
    let key = state.login_csrf_key().await?;
    let now = Utc::now();
    let existing = req
        .cookie(ANON_CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|nonce| auth::login_csrf_token(&key, nonce, now).is_some());
    let nonce = existing
        .clone()
        .unwrap_or_else(|| auth::login_csrf_nonce(now));
    let csrf_token = auth::login_csrf_token(&key, &nonce, now)
        .ok_or_else(|| AppError::internal("a fresh login nonce has no token"))?;
    let demo_accounts = demo::ACCOUNTS
        .iter()
        .map(|(email, _, role, _)| {
            let role = crate::domain::Role::parse(role).map_or("", |role| role_label(t, role));
            (*email, role)
        })
        .collect();
    let page = LoginPage {
        t,
        csrf_token,
        email,
        failed: failure == Failure::Refused,
        throttled: failure == Failure::Throttled,
        demo,
        demo_accounts,
    };
    let status = match failure {
        Failure::None => StatusCode::OK,
        Failure::Refused => StatusCode::UNAUTHORIZED,
        Failure::Throttled => StatusCode::TOO_MANY_REQUESTS,
    };
    let mut response = render_status(&page, status)?;
    if existing.is_none() {
        let _ = response.add_cookie(&cookie(
            ANON_CSRF_COOKIE,
            nonce,
            state.settings.cookie_secure,
        ));
    }
    Ok(response)
}

pub async fn login_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: Lang,
    user: Option<CurrentUser>,
) -> AppResult<HttpResponse> {
    if user.is_some() {
        return Ok(see_other("/"));
    }
    login_response(&state, &req, lang.0, String::new(), Failure::None).await
}

pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: Lang,
    form: CsrfForm<LoginForm>,
) -> AppResult<HttpResponse> {
    let CsrfForm(LoginForm { email, password }) = form;
    let attempt = Arc::new(auth::LoginAttempt {
        email: email.clone(),
        client: client_key(
            req.peer_addr(),
            req.headers()
                .get("x-forwarded-for")
                .and_then(|value| value.to_str().ok()),
        ),
    });
    // three steps, so that the slow password check holds no pooled connection
    let first = Arc::clone(&attempt);
    let check = state
        .db(move |conn| Ok(auth::start_login(conn, &first)?))
        .await?;
    let auth::LoginCheck::Check(account) = check else {
        return login_response(&state, &req, lang.0, email, Failure::Throttled).await;
    };
    let verified = blocking(move || Ok(auth::check_password(account, &password))).await?;
    let idle = state.settings.session_idle_minutes;
    let last = Arc::clone(&attempt);
    let outcome = state
        .db(move |conn| Ok(auth::finish_login(conn, &last, verified, idle)?))
        .await?;
    match outcome {
        auth::LoginOutcome::LoggedIn(logged_in) => {
            let mut response = see_other("/");
            let _ = response.add_cookie(&cookie(
                SESSION_COOKIE,
                logged_in.token,
                state.settings.cookie_secure,
            ));
            Ok(response)
        }
        auth::LoginOutcome::Refused => {
            login_response(&state, &req, lang.0, email, Failure::Refused).await
        }
    }
}

/// The client a login comes from, for the throttle: its IP address, and for IPv6 its /64 (one
/// household or machine usually holds a whole /64). A peer on the loopback interface is the local
/// reverse proxy that terminates TLS (lokus has none of its own): then the client is the address
/// that proxy appended last to `X-Forwarded-For`. A remote peer cannot claim to be someone else
/// with that header: from any other peer it is ignored.
fn client_key(peer: Option<SocketAddr>, forwarded_for: Option<&str>) -> String {
    let peer = peer.map(|addr| addr.ip());
    let forwarded = forwarded_for
        .and_then(|list| list.rsplit(',').next())
        .and_then(|last| last.trim().parse::<IpAddr>().ok());
    let client = match (peer, forwarded) {
        (Some(peer), Some(forwarded)) if peer.is_loopback() => Some(forwarded),
        (peer, _) => peer,
    };
    match client {
        Some(IpAddr::V4(ip)) => ip.to_string(),
        Some(IpAddr::V6(ip)) => match ip.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = ip.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".to_owned(),
    }
}

pub async fn logout(
    state: web::Data<AppState>,
    user: CurrentUser,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let token = user.token.clone();
    let actor = user.actor();
    state
        .db(move |conn| Ok(auth::logout(conn, &token, &actor)?))
        .await?;
    let mut response = see_other("/masuk");
    // the removal carries the flags the cookie was set with, as browsers match on them
    let mut gone = cookie(SESSION_COOKIE, String::new(), state.settings.cookie_secure);
    gone.make_removal();
    let _ = response.add_cookie(&gone);
    Ok(response)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PasswordInput {
    #[serde(default)]
    sekarang: String,
    #[serde(default)]
    baru: String,
    #[serde(default)]
    ulangi: String,
}

async fn password_page(
    state: &AppState,
    user: &CurrentUser,
    t: &'static Messages,
    errors: Vec<String>,
    done: bool,
) -> AppResult<HttpResponse> {
    use crate::web::page::{FieldKind, FormField, FormPage, PageCtx};
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut title = t.password_change.to_owned();
    if done {
        title = format!("{title}: {}", t.password_changed);
    }
    let page = FormPage {
        ctx: PageCtx::new(state, user, t, "/sandi").await?,
        title,
        action: "/sandi".into(),
        fields: vec![
            FormField::text("sekarang", t.password_current, "", true)
                .with_kind(FieldKind::Password),
            FormField::text("baru", t.password_new, "", true).with_kind(FieldKind::Password),
            FormField::text("ulangi", t.password_repeat, "", true).with_kind(FieldKind::Password),
        ],
        errors,
        submit: t.save.to_owned(),
        back: "/".into(),
    };
    render_status(&page, status)
}

pub async fn password_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
) -> AppResult<HttpResponse> {
    password_page(&state, &user, lang.0, vec![], false).await
}

/// Any user changes their own password; their other sessions end, this one stays.
pub async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<PasswordInput>,
) -> AppResult<HttpResponse> {
    let input = form.0;
    let result = if input.baru != input.ulangi {
        Err(ServiceError::invalid(MessageKey::AuthPasswordsDiffer))
    } else {
        // the hash is read, then checked and the new one made without a connection, then stored
        let id = user.id;
        let stored = state
            .db(move |conn| Ok(auth::password_hash_of(conn, id)?))
            .await?;
        let prepared = blocking(move || {
            Ok(auth::prepare_password_change(
                &stored,
                &input.sekarang,
                &input.baru,
            ))
        })
        .await?;
        match prepared {
            Ok(new) => {
                let token = user.token.clone();
                state
                    .db(move |conn| Ok(auth::change_password(conn, id, &token, &new)))
                    .await?
            }
            Err(error) => Err(error),
        }
    };
    form_outcome(
        result,
        lang,
        |()| password_page(&state, &user, lang.0, vec![], true),
        |errors| password_page(&state, &user, lang.0, errors, false),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::client_key;

    #[test]
    fn the_client_is_the_peer_unless_the_peer_is_the_local_proxy() {
        let remote = Some("203.0.113.9:5000".parse().unwrap());
        let local = Some("127.0.0.1:5000".parse().unwrap());
        assert_eq!(client_key(remote, None), "203.0.113.9");
        assert_eq!(
            client_key(remote, Some("198.51.100.4")),
            "203.0.113.9",
            "a remote peer cannot choose its key"
        );
        assert_eq!(
            client_key(local, Some("10.9.9.9, 198.51.100.4")),
            "198.51.100.4",
            "the proxy's own entry, not what the client wrote before it"
        );
        assert_eq!(client_key(local, Some("not an address")), "127.0.0.1");
        let v6 = Some("[2001:db8:1:2:3:4:5:6]:443".parse().unwrap());
        assert_eq!(client_key(v6, None), "2001:db8:1:2::/64");
    }
}
