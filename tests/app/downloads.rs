//! Downloads: a workbook is written off the async workers, so other requests are answered meanwhile.

use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::support::{Seed, TestApp};

#[test]
fn other_requests_are_answered_while_a_big_workbook_is_written() {
    let app = TestApp::start(Seed::Demo);
    let mut conn = app.db.connect();
    diesel::sql_query(
        "INSERT INTO opd (kode_kabkota, kode, nama, singkatan) \
         SELECT '64.03', '9.' || n, 'Unit uji nomor ' || n || ' dengan nama yang cukup panjang', 'U' || n \
         FROM generate_series(1, 60000) AS n",
    )
    .execute(&mut conn)
    .unwrap();
    let mut admin = app.login_as("admin@berau.demo");
    let mut download_client = app.login_as("admin@berau.demo");
    let started = Instant::now();
    let download = std::thread::spawn(move || {
        let response = download_client.get("/opd?format=xlsx");
        (response.status, response.body.len(), Instant::now())
    });
    let mut slowest = Duration::ZERO;
    let mut probes = 0;
    while !download.is_finished() {
        let asked = Instant::now();
        assert_eq!(admin.get("/healthz").status, 200);
        slowest = slowest.max(asked.elapsed());
        probes += 1;
        std::thread::sleep(Duration::from_millis(5));
    }
    let (status, size, finished) = download.join().unwrap();
    let took = finished - started;
    assert_eq!(status, 200);
    println!("download {took:?} ({size} bytes), {probes} probes, slowest health check {slowest:?}");
    assert!(
        slowest < took / 3,
        "health check waited {slowest:?} during a {took:?} download"
    );
}
