//! What a hostile tester tried on the web layer (issue 7, section 4): redirects that leave the
//! site, header breaks, and uploads built to fill the server's memory.

use crate::support::{Seed, TestApp};

#[test]
fn the_language_switch_goes_back_only_to_a_page_of_this_site() {
    let app = TestApp::start(Seed::Demo);
    let mut client = app.login_as("admin@berau.demo");
    let host = app.addr.to_string();
    let cases = [
        (format!("http://{host}/opd?x=1"), "/opd?x=1"),
        (format!("http://{host}//evil.example/x"), "/"),
        (format!("http://{host}/\\evil.example/x"), "/"),
        ("http://evil.example/opd".to_owned(), "/"),
        (format!("http://{host}"), "/"),
    ];
    for (referer, expected) in cases {
        let switched = client.request_with("GET", "/bahasa/en", &[("Referer", &referer)], None);
        assert_eq!(switched.status, 303);
        assert_eq!(switched.location(), Some(expected), "Referer {referer}");
    }
}

#[test]
fn a_line_break_in_the_way_back_of_the_tagging_form_is_no_server_error() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    use crate::support::workbook::{header, line, xlsx};
    let workbook = xlsx(&[
        header(),
        line(
            "1.02.02.2.02.0016",
            "5.1.02.01.01.0052",
            "PMT lokal balita gizi kurang",
            100.0,
            150_000.0,
            15_000_000.0,
            "DAU",
            "",
            "",
        ),
    ]);
    let preview = dinkes.upload(
        &[("tahun", "2024"), ("tahapan", "murni")],
        "murni.xlsx",
        &workbook,
    );
    let url = preview.location().expect("a preview").to_owned();
    assert_eq!(
        dinkes.submit(&url, &format!("{url}/simpan"), &[]).status,
        303
    );
    let mut conn = app.db.connect();
    use diesel::prelude::*;
    let line: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT id FROM budget_line WHERE uraian LIKE 'PMT%')",
    ))
    .get_result(&mut conn)
    .unwrap();
    let line = line.to_string();
    let kode: String = diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
        "(SELECT kode FROM intervensi WHERE kode_kabkota IS NULL ORDER BY kode LIMIT 1)",
    ))
    .get_result(&mut conn)
    .unwrap();
    let page = dinkes.get("/anggaran");
    let answer = dinkes.post_form(
        "/anggaran/tandai",
        &[
            ("csrf_token", &page.csrf_token()),
            ("kembali", "/anggaran?tampil=belum\r\nSet-Cookie: x=1"),
            ("line", &line),
            ("intervensi", &kode),
        ],
    );
    assert_eq!(answer.status, 303, "{}", answer.text());
    assert_eq!(answer.location(), Some("/anggaran"));
    assert!(!dinkes.cookies.contains_key("x"));
}

#[test]
fn an_upload_with_many_or_long_text_fields_is_refused_before_they_are_read() {
    let app = TestApp::start(Seed::Demo);
    let mut dinkes = app.login_as("dinkes@berau.demo");
    let token = dinkes.get("/impor").csrf_token();
    let names: Vec<String> = (0..40).map(|n| format!("isian{n}")).collect();
    let mut fields: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
    fields.extend(names.iter().map(|name| (name.as_str(), "x")));
    let many = dinkes.post_multipart("/impor", &fields, "rka.xlsx", b"not a workbook");
    assert_eq!(many.status, 400, "{}", many.text());
    assert!(many.text().contains("Formulir unggahan"), "{}", many.text());

    let long = "x".repeat(60 * 1024);
    let long = dinkes.post_multipart(
        "/impor",
        &[("csrf_token", token.as_str()), ("catatan", long.as_str())],
        "rka.xlsx",
        b"not a workbook",
    );
    assert_eq!(long.status, 400, "{}", long.text());
}
