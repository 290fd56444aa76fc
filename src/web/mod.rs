//! The web interface: the whole URL map on one screen, then one file of handlers per feature.
//! Every handler takes `CurrentUser` (or is the login page) and checks the role before anything else.

pub mod activity_log;
pub mod auth;
pub mod budget_line;
pub mod catalogue;
pub mod extract;
pub mod home;
pub mod import;
pub mod intervensi;
pub mod jobs;
pub mod opd;
pub mod page;
pub mod realisasi;
pub mod summary;
pub mod tahun;
pub mod users;
pub mod wilayah;
// baas
pub mod baas;
// baas-import: the desk's BAAS workbook
pub mod baas_export;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(home::healthz))
        .route("/static/lokus.css", web::get().to(home::stylesheet))
        .route("/favicon.ico", web::get().to(home::favicon))
        // summary: the vendored chart library (shared by every page with charts)
        .route(
            "/static/vendor/chartjs/chart.umd.min.js",
            web::get().to(home::chart_library),
        )
        .route("/bahasa/{code}", web::get().to(home::switch_language))
        .route("/masuk", web::get().to(auth::login_page))
        .route("/masuk", web::post().to(auth::login))
        .route("/keluar", web::post().to(auth::logout))
        .route("/sandi", web::get().to(auth::password_form))
        .route("/sandi", web::post().to(auth::change_password))
        .route("/", web::get().to(home::dashboard))
        .route("/opd", web::get().to(opd::list))
        .route("/opd/baru", web::get().to(opd::new_form))
        .route("/opd/baru", web::post().to(opd::create))
        .route("/opd/{id}", web::get().to(opd::show))
        .route("/opd/{id}/ubah", web::get().to(opd::edit_form))
        .route("/opd/{id}/ubah", web::post().to(opd::update))
        .route("/intervensi", web::get().to(intervensi::list))
        .route("/intervensi/baru", web::get().to(intervensi::new_form))
        .route("/intervensi/baru", web::post().to(intervensi::create))
        .route(
            "/intervensi/{id}/ubah",
            web::get().to(intervensi::edit_form),
        )
        .route("/intervensi/{id}/ubah", web::post().to(intervensi::update))
        .route(
            "/intervensi/{id}/aktif",
            web::post().to(intervensi::toggle_national),
        )
        .route("/sumber-dana", web::get().to(catalogue::list_sumber_dana))
        .route("/sumber-dana", web::post().to(catalogue::add_sumber_dana))
        .route("/sasaran", web::get().to(catalogue::list_sasaran))
        .route("/sasaran", web::post().to(catalogue::add_sasaran))
        .route("/tahun", web::get().to(tahun::list))
        .route("/tahun/baru", web::get().to(tahun::new_form))
        .route("/tahun/baru", web::post().to(tahun::create))
        .route("/tahun/{tahun}", web::get().to(tahun::show))
        .route("/tahun/{tahun}/ubah", web::get().to(tahun::edit_form))
        .route("/tahun/{tahun}/ubah", web::post().to(tahun::update))
        .route("/tahun/{tahun}/lokus", web::post().to(tahun::add_lokus))
        .route(
            "/tahun/{tahun}/lokus/{kode}/hapus",
            web::post().to(tahun::remove_lokus),
        )
        .route("/wilayah", web::get().to(wilayah::browse))
        .route("/wilayah/baru", web::post().to(wilayah::create))
        .route("/wilayah/{kode}/ubah", web::get().to(wilayah::edit_form))
        .route("/wilayah/{kode}/ubah", web::post().to(wilayah::update))
        .route(
            "/sumber-dana/{id}/ubah",
            web::get().to(catalogue::edit_sumber_dana),
        )
        .route(
            "/sumber-dana/{id}/ubah",
            web::post().to(catalogue::rename_sumber_dana),
        )
        .route("/sasaran/{id}/ubah", web::get().to(catalogue::edit_sasaran))
        .route(
            "/sasaran/{id}/ubah",
            web::post().to(catalogue::rename_sasaran),
        )
        .route("/pengguna", web::get().to(users::list))
        .route("/pengguna/baru", web::get().to(users::new_form))
        .route("/pengguna/baru", web::post().to(users::create))
        .route("/pengguna/{id}/aktif", web::post().to(users::toggle_active))
        .route("/aktivitas", web::get().to(activity_log::list))
        .route("/impor", web::get().to(import::list))
        .route("/impor", web::post().to(import::upload))
        .route("/impor/templat.xlsx", web::get().to(import::template))
        .route("/impor/{id}", web::get().to(import::show))
        .route("/impor/{id}/simpan", web::post().to(import::commit))
        .route("/impor/{id}/berkas", web::get().to(import::original))
        .route("/impor/{id}/catatan.xlsx", web::get().to(import::annotated))
        .route("/anggaran", web::get().to(budget_line::list))
        .route("/anggaran/tandai", web::post().to(budget_line::tag))
        .route("/realisasi/baris/{id}", web::get().to(realisasi::show))
        .route("/realisasi/baris/{id}", web::post().to(realisasi::save))
        .route(
            "/realisasi/formulir.xlsx",
            web::get().to(realisasi::form_workbook),
        )
        .route("/tahun/{tahun}/periode", web::get().to(realisasi::periods))
        .route(
            "/tahun/{tahun}/periode",
            web::post().to(realisasi::set_period),
        )
        // summary: the Bupati's summary and its chart script
        .route("/ringkasan", web::get().to(summary::page))
        .route("/ringkasan/provinsi", web::get().to(summary::province))
        .route("/static/ringkasan.js", web::get().to(summary::script))
        // background jobs (helper "jobs")
        .route("/static/tugas.js", web::get().to(jobs::script))
        .route("/tugas", web::get().to(jobs::list))
        .route("/tugas/{id}", web::get().to(jobs::show))
        .route("/tugas/{id}/status", web::get().to(jobs::status))
        .route("/tugas/{id}/berkas", web::get().to(jobs::download))
        .route("/tugas/{id}/ulang", web::post().to(jobs::restart))
        // baas: the desk's children, the sponsor's pages and their chart script
        .route("/baas", web::get().to(baas::desk))
        // baas desk: children, sponsors, assignments, the overdue lists and reports
        .route("/baas/anak/baru", web::get().to(baas::child_new_form))
        .route("/baas/anak/baru", web::post().to(baas::child_create))
        .route("/baas/anak/{id}", web::get().to(baas::desk_child))
        .route(
            "/baas/anak/{id}/pribadi",
            web::post().to(baas::desk_child_private),
        )
        .route(
            "/baas/anak/{id}/ukur",
            web::post().to(baas::record_measurement),
        )
        .route(
            "/baas/anak/{id}/salur",
            web::post().to(baas::record_delivery),
        )
        .route(
            "/baas/anak/{id}/laporan",
            web::get().to(baas::desk_child_report),
        )
        .route("/baas/sponsor", web::get().to(baas::sponsors))
        .route("/baas/sponsor/baru", web::get().to(baas::sponsor_new_form))
        .route("/baas/sponsor/baru", web::post().to(baas::sponsor_create))
        .route("/baas/sponsor/{id}", web::get().to(baas::sponsor_show))
        .route(
            "/baas/sponsor/{id}/bayar",
            web::post().to(baas::record_payment),
        )
        .route(
            "/baas/sponsor/{id}/laporan",
            web::get().to(baas::desk_sponsor_report),
        )
        .route("/baas/penugasan/baru", web::get().to(baas::assign_form))
        .route("/baas/penugasan/baru", web::post().to(baas::assign_create))
        .route(
            "/baas/penugasan/{id}/akhiri",
            web::post().to(baas::end_assignment),
        )
        .route("/baas/terlambat", web::get().to(baas::overdue))
        .route("/asuh/laporan", web::get().to(baas::sponsor_own_report))
        .route(
            "/asuh/anak/{id}/laporan",
            web::get().to(baas::sponsor_child_report),
        )
        // baas-import: the BAAS workbook of a year, masked unless asked (and logged)
        .route("/baas/ekspor", web::get().to(baas_export::download))
        .route("/asuh", web::get().to(baas::sponsor_home))
        .route("/asuh/anak/{id}", web::get().to(baas::sponsor_child))
        .route("/static/asuh.js", web::get().to(baas::script))
        .default_service(web::to(not_found));
}

/// Any URL not in the map above: lokus's own 404 page.
async fn not_found() -> crate::error::AppResult<actix_web::HttpResponse> {
    Err(crate::error::AppError::NotFound)
}

/// Roles that may read the district's set-up and budget data.
pub const STAFF: [crate::domain::Role; 3] = [
    crate::domain::Role::Admin,
    crate::domain::Role::Opd,
    crate::domain::Role::Pimpinan,
];
