//! Login, logout, sessions and CSRF protection.

use crate::support::{DEMO_PASSWORD, Seed, TestApp};

#[test]
fn login_page_names_the_demo_accounts_only_where_demo_data_was_loaded() {
    let demo = TestApp::start(Seed::Demo);
    let page = demo.client().get("/masuk");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("admin@berau.demo"));
    assert!(page.text().contains("lokus-demo"));

    let empty = TestApp::start(Seed::Empty);
    let page = empty.client().get("/masuk");
    assert_eq!(page.status, 200);
    assert!(!page.text().contains("berau.demo"));
}

#[test]
fn a_user_logs_in_sees_the_dashboard_and_after_logout_the_cookie_opens_nothing() {
    let app = TestApp::start(Seed::Demo);
    let mut client = app.client();
    assert_eq!(client.get("/").location(), Some("/masuk"));

    let response = client.login("ADMIN@berau.demo", DEMO_PASSWORD);
    assert_eq!(response.status, 303);
    let cookie = response.header("set-cookie").unwrap_or_default().to_owned();
    let all_cookies: Vec<&str> = response
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, value)| value.as_str())
        .collect();
    let session = all_cookies
        .iter()
        .find(|value| value.starts_with("lokus_session="))
        .expect("session cookie");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
    assert!(!cookie.is_empty());

    let home = client.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("Sekretariat TPPS Berau"));
    assert!(
        home.text().contains("25,1%"),
        "baseline prevalence in Indonesian notation"
    );

    let stolen = client.cookies.clone();
    let logout = client.submit("/", "/keluar", &[]);
    assert_eq!(logout.status, 303);
    assert_eq!(client.get("/").location(), Some("/masuk"));

    // the old cookie, replayed, is dead on the server side too
    let mut replay = app.client();
    replay.cookies = stolen;
    assert_eq!(replay.get("/opd").location(), Some("/masuk"));
}

#[test]
fn wrong_passwords_and_disabled_accounts_are_refused_alike() {
    let app = TestApp::start(Seed::Demo);
    let mut client = app.client();
    let wrong = client.login("admin@berau.demo", "salah-sandi-123");
    assert_eq!(wrong.status, 401);
    assert!(wrong.text().contains("Email atau kata sandi salah"));
    assert!(!client.cookies.contains_key("lokus_session"));
    let unknown = client.login("siapa@berau.demo", DEMO_PASSWORD);
    assert_eq!(unknown.status, 401);

    // disabling an account ends its open sessions at once
    let mut sponsor = app.login_as("sponsor1@berau.demo");
    assert_eq!(sponsor.get("/").status, 200);
    let mut admin = app.login_as("admin@berau.demo");
    let list = admin.get("/pengguna");
    let text = list.text();
    let marker = "/pengguna/";
    let sponsor_row = text.find("sponsor1@berau.demo").expect("sponsor listed");
    let action_start = text[sponsor_row..].find(marker).expect("toggle action") + sponsor_row;
    let action: String = text[action_start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    assert!(action.ends_with("nilai=0"), "{action}");
    let token = list.csrf_token();
    assert_eq!(
        admin
            .post_form(&action.replace("&amp;", "&"), &[("csrf_token", &token)])
            .status,
        303
    );
    assert_eq!(sponsor.get("/").location(), Some("/masuk"));
    assert_eq!(
        app.client()
            .login("sponsor1@berau.demo", DEMO_PASSWORD)
            .status,
        401
    );
}

#[test]
fn forms_without_the_right_csrf_token_are_refused_and_change_nothing() {
    let app = TestApp::start(Seed::Demo);
    let mut admin = app.login_as("admin@berau.demo");
    let fields = [
        ("kode", "3.01.0.00.0.00.01.0000"),
        ("nama", "Dinas Pertanian"),
    ];

    let missing = admin.post_form("/opd/baru", &fields);
    assert_eq!(missing.status, 403);
    assert!(missing.text().contains("token keamanan"));

    let mut wrong = vec![("csrf_token", "0".repeat(64))];
    wrong.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(admin.post_form("/opd/baru", &wrong).status, 403);

    // another user's valid token does not work for this session either
    let other = app.login_as("bupati@berau.demo").get("/").csrf_token();
    let mut borrowed = vec![("csrf_token", other.as_str())];
    borrowed.extend_from_slice(&fields);
    assert_eq!(admin.post_form("/opd/baru", &borrowed).status, 403);

    assert!(!admin.get("/opd").text().contains("Dinas Pertanian"));
    // and with the right token it goes through
    assert_eq!(admin.submit("/opd/baru", "/opd/baru", &fields).status, 303);
    assert!(admin.get("/opd").text().contains("Dinas Pertanian"));

    // the login form itself needs its double-submit token
    let mut stranger = app.client();
    let refused = stranger.post_form(
        "/masuk",
        &[("email", "admin@berau.demo"), ("password", DEMO_PASSWORD)],
    );
    assert_eq!(refused.status, 403);
    assert!(!stranger.cookies.contains_key("lokus_session"));
}

#[test]
fn the_interface_switches_to_english_and_back() {
    let app = TestApp::start(Seed::Demo);
    let mut client = app.login_as("admin@berau.demo");
    assert!(client.get("/").text().contains("Keluar"));
    assert_eq!(client.get("/bahasa/en").status, 303);
    assert!(client.get("/").text().contains("Log out"));
    client.get("/bahasa/id");
    assert!(client.get("/").text().contains("Keluar"));
}

#[test]
fn repeated_wrong_passwords_lock_that_address_from_that_client_on_every_server() {
    let app = TestApp::start(Seed::Demo);
    let mut guesser = app.client();
    for attempt in 0..lokus::services::auth::MAX_FAILURES {
        assert_eq!(
            guesser
                .login("dinkes@berau.demo", &format!("tebakan-{attempt}"))
                .status,
            401
        );
    }
    // now even the right password is refused, without being checked
    let locked = guesser.login("dinkes@berau.demo", DEMO_PASSWORD);
    assert_eq!(locked.status, 429);
    assert!(locked.text().contains("Terlalu banyak percobaan"));
    assert_eq!(
        app.client()
            .login("DINKES@berau.demo", DEMO_PASSWORD)
            .status,
        429,
        "whatever the case of the address (the tests' clients share one address)"
    );
    // other accounts are not affected, and a success clears an address's count
    let mut bupati = app.client();
    assert_eq!(
        bupati.login("bupati@berau.demo", "salah-satu-kali").status,
        401
    );
    assert_eq!(bupati.login("bupati@berau.demo", DEMO_PASSWORD).status, 303);
    let mut conn = app.db.connect();
    use diesel::prelude::*;
    let left: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM login_failure WHERE email = 'bupati@berau.demo')",
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn a_user_changes_their_password_and_their_other_sessions_end() {
    let app = TestApp::start(Seed::Demo);
    let mut laptop = app.login_as("bupati@berau.demo");
    let mut phone = app.login_as("bupati@berau.demo");
    let wrong = laptop.submit(
        "/sandi",
        "/sandi",
        &[
            ("sekarang", "bukan-sandinya"),
            ("baru", "sandi-baru-bupati"),
            ("ulangi", "sandi-baru-bupati"),
        ],
    );
    assert_eq!(wrong.status, 422);
    assert!(wrong.text().contains("Kata sandi saat ini salah"));
    let mismatch = laptop.submit(
        "/sandi",
        "/sandi",
        &[
            ("sekarang", DEMO_PASSWORD),
            ("baru", "sandi-baru-bupati"),
            ("ulangi", "sandi-baru-bupatI"),
        ],
    );
    assert_eq!(mismatch.status, 422);
    let short = laptop.submit(
        "/sandi",
        "/sandi",
        &[
            ("sekarang", DEMO_PASSWORD),
            ("baru", "pendek"),
            ("ulangi", "pendek"),
        ],
    );
    assert_eq!(short.status, 422);
    let changed = laptop.submit(
        "/sandi",
        "/sandi",
        &[
            ("sekarang", DEMO_PASSWORD),
            ("baru", "sandi-baru-bupati"),
            ("ulangi", "sandi-baru-bupati"),
        ],
    );
    assert_eq!(changed.status, 200);
    assert!(changed.text().contains("sudah diganti"));
    assert_eq!(
        laptop.get("/").status,
        200,
        "the session that changed it stays"
    );
    assert_eq!(phone.get("/").location(), Some("/masuk"), "the others end");
    assert_eq!(
        app.client()
            .login("bupati@berau.demo", DEMO_PASSWORD)
            .status,
        401
    );
    assert_eq!(
        app.client()
            .login("bupati@berau.demo", "sandi-baru-bupati")
            .status,
        303
    );
}

#[test]
fn a_session_ends_a_day_after_login_however_active() {
    let app = TestApp::start(Seed::Demo);
    let mut client = app.login_as("admin@berau.demo");
    assert_eq!(client.get("/").status, 200);
    let mut conn = app.db.connect();
    use diesel::prelude::*;
    diesel::sql_query("UPDATE sessions SET created_at = now() - interval '25 hours'")
        .execute(&mut conn)
        .unwrap();
    assert_eq!(client.get("/").location(), Some("/masuk"));
}

/// Runs one login through the service's three steps, as the login handler does.
fn attempt_login(
    conn: &mut diesel::PgConnection,
    email: &str,
    client: &str,
    password: &str,
) -> &'static str {
    use lokus::services::auth::{self, LoginAttempt, LoginCheck, LoginOutcome};
    let attempt = LoginAttempt {
        email: email.to_owned(),
        client: client.to_owned(),
    };
    let LoginCheck::Check(account) = auth::start_login(conn, &attempt).unwrap() else {
        return "throttled";
    };
    let verified = auth::check_password(account, password);
    match auth::finish_login(conn, &attempt, verified, 60).unwrap() {
        LoginOutcome::LoggedIn(_) => "in",
        LoginOutcome::Refused => "refused",
    }
}

#[test]
fn a_strangers_guesses_do_not_lock_the_owner_out() {
    let db = crate::support::TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    for n in 0..lokus::services::auth::MAX_FAILURES {
        let guess = format!("tebakan-{n}");
        assert_eq!(
            attempt_login(&mut conn, "dinkes@berau.demo", "203.0.113.9", &guess),
            "refused"
        );
    }
    assert_eq!(
        attempt_login(&mut conn, "dinkes@berau.demo", "203.0.113.9", DEMO_PASSWORD),
        "throttled",
        "the guesser is stopped"
    );
    assert_eq!(
        attempt_login(
            &mut conn,
            "dinkes@berau.demo",
            "198.51.100.4",
            DEMO_PASSWORD
        ),
        "in",
        "the owner, from their own client, still logs in"
    );
}

#[test]
fn guesses_sprayed_over_many_accounts_from_one_client_are_throttled() {
    use lokus::services::auth::{MAX_CLIENT_FAILURES, MAX_FAILURES};
    let db = crate::support::TestDb::new(Seed::Demo);
    let mut conn = db.connect();
    // never MAX_FAILURES on one account, but MAX_CLIENT_FAILURES in all
    let mut failures = 0;
    let mut account = 0;
    while failures < MAX_CLIENT_FAILURES {
        for _ in 0..MAX_FAILURES - 1 {
            if failures == MAX_CLIENT_FAILURES {
                break;
            }
            let email = format!("orang{account}@berau.demo");
            assert_eq!(
                attempt_login(&mut conn, &email, "203.0.113.9", "tebakan-123"),
                "refused"
            );
            failures += 1;
        }
        account += 1;
    }
    assert_eq!(
        attempt_login(&mut conn, "bupati@berau.demo", "203.0.113.9", DEMO_PASSWORD),
        "throttled"
    );
    assert_eq!(
        attempt_login(
            &mut conn,
            "bupati@berau.demo",
            "198.51.100.4",
            DEMO_PASSWORD
        ),
        "in"
    );
}

#[test]
fn a_login_cookie_planted_with_a_chosen_value_brings_no_valid_token() {
    let app = TestApp::start(Seed::Demo);
    let mut victim = app.client();
    // the attacker plants a cookie and submits the same value as the token (classic double submit)
    let chosen = "a".repeat(64);
    victim.cookies.insert("lokus_csrf".into(), chosen.clone());
    let refused = victim.post_form(
        "/masuk",
        &[
            ("csrf_token", chosen.as_str()),
            ("email", "admin@berau.demo"),
            ("password", DEMO_PASSWORD),
        ],
    );
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert!(!victim.cookies.contains_key("lokus_session"));

    // the page replaces a cookie it did not issue, and its own token then works
    let page = victim.get("/masuk");
    assert_ne!(victim.cookies.get("lokus_csrf"), Some(&chosen));
    assert_ne!(
        page.csrf_token(),
        victim.cookies["lokus_csrf"],
        "the token is not the cookie"
    );
    assert_eq!(victim.login("admin@berau.demo", DEMO_PASSWORD).status, 303);
}

#[test]
fn the_logout_removes_the_session_cookie_with_the_flags_it_was_set_with() {
    let app = TestApp::start_with(crate::support::TestDb::new(Seed::Demo), |settings| {
        settings.cookie_secure = true;
    });
    let mut client = app.login_as("admin@berau.demo");
    let logout = client.submit("/", "/keluar", &[]);
    assert_eq!(logout.status, 303);
    let removal = logout
        .headers
        .iter()
        .find(|(name, value)| {
            name.eq_ignore_ascii_case("set-cookie") && value.starts_with("lokus_session=")
        })
        .map(|(_, value)| value.clone())
        .expect("the session cookie is removed");
    for flag in ["Path=/", "HttpOnly", "Secure", "SameSite=Lax", "Max-Age=0"] {
        assert!(removal.contains(flag), "{flag} missing: {removal}");
    }
}

/// Remembers the longest time any connection of the pool was checked out.
#[derive(Debug, Clone, Default)]
struct LongestCheckout(std::sync::Arc<std::sync::Mutex<std::time::Duration>>);

impl diesel::r2d2::HandleEvent for LongestCheckout {
    fn handle_checkin(&self, event: diesel::r2d2::event::CheckinEvent) {
        let mut longest = self.0.lock().unwrap();
        *longest = (*longest).max(event.duration());
    }
}

impl LongestCheckout {
    fn take(&self) -> std::time::Duration {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

#[test]
fn passwords_are_hashed_and_checked_without_holding_a_pooled_connection() {
    use lokus::services::auth::{hash_password, verify_password};
    // Not a speed target but an order of work, seen through time: a connection held across an
    // argon2 check is held at least as long as the check's fastest run. Minima over a few attempts
    // keep a loaded machine from failing it: noise only ever adds time, to both sides.
    const ATTEMPTS: usize = 3;
    let hash = hash_password("sandi-untuk-mengukur").unwrap();
    let argon2 = (0..ATTEMPTS)
        .map(|_| {
            let started = std::time::Instant::now();
            assert!(!verify_password("sandi-yang-lain", &hash));
            started.elapsed()
        })
        .min()
        .unwrap();

    let db = crate::support::TestDb::new(Seed::Demo);
    let watch = LongestCheckout::default();
    let pool = diesel::r2d2::Pool::builder()
        .max_size(3)
        .event_handler(Box::new(watch.clone()))
        .build(diesel::r2d2::ConnectionManager::new(db.url.clone()))
        .unwrap();
    let settings = lokus::config::Settings {
        workers: Some(1),
        cookie_secure: false,
        ..Default::default()
    };
    let app = TestApp::start_with_pool(db, pool, settings);
    let (mut login, mut password_change, mut user_creation) = (Vec::new(), Vec::new(), Vec::new());
    let mut password = DEMO_PASSWORD.to_owned();
    for attempt in 0..ATTEMPTS {
        let mut client = app.client();
        let token = client.get("/masuk").csrf_token();
        watch.take();
        let fields = [
            ("csrf_token", token.as_str()),
            ("email", "admin@berau.demo"),
            ("password", password.as_str()),
        ];
        assert_eq!(client.post_form("/masuk", &fields).status, 303);
        login.push(watch.take());

        let token = client.get("/sandi").csrf_token();
        watch.take();
        let next = format!("sandi-baru-admin-{attempt}");
        let change = [
            ("csrf_token", token.as_str()),
            ("sekarang", password.as_str()),
            ("baru", next.as_str()),
            ("ulangi", next.as_str()),
        ];
        assert_eq!(client.post_form("/sandi", &change).status, 200);
        password_change.push(watch.take());
        password = next;

        let token = client.get("/pengguna/baru").csrf_token();
        watch.take();
        let email = format!("bappeda{attempt}@berau.demo");
        let user = [
            ("csrf_token", token.as_str()),
            ("email", email.as_str()),
            ("role", "pimpinan"),
            ("password", "sandi-pengguna-baru"),
        ];
        assert_eq!(client.post_form("/pengguna/baru", &user).status, 303);
        user_creation.push(watch.take());
    }

    for (what, held) in [
        ("login", login),
        ("password change", password_change),
        ("user creation", user_creation),
    ] {
        let held = held.into_iter().min().unwrap();
        assert!(
            held < argon2 * 3 / 4,
            "{what} held a connection for at least {held:?}; one argon2 check takes {argon2:?}"
        );
    }
}

#[test]
fn behind_the_local_proxy_a_strangers_guesses_do_not_lock_the_owner_out() {
    let app = TestApp::start(Seed::Demo);
    let login_from = |client: &mut crate::support::Client, address: &str, password: &str| {
        let forwarded = [("X-Forwarded-For", address)];
        let token = client
            .request_with("GET", "/masuk", &forwarded, None)
            .csrf_token();
        let body = format!(
            "csrf_token={token}&email=dinkes%40berau.demo&password={}",
            password.replace('-', "%2D")
        );
        client
            .request_with(
                "POST",
                "/masuk",
                &forwarded,
                Some((
                    "application/x-www-form-urlencoded".to_owned(),
                    body.into_bytes(),
                )),
            )
            .status
    };
    let mut stranger = app.client();
    for n in 0..lokus::services::auth::MAX_FAILURES {
        let guess = format!("tebakan-{n}");
        assert_eq!(login_from(&mut stranger, "203.0.113.9", &guess), 401);
    }
    assert_eq!(login_from(&mut stranger, "203.0.113.9", DEMO_PASSWORD), 429);
    let mut owner = app.client();
    assert_eq!(login_from(&mut owner, "198.51.100.4", DEMO_PASSWORD), 303);
}
