//! `/baas/ekspor?tahun=2024[&tanpa_sensor=1]`: the BAAS workbook for the desk (role `baas`), the
//! same file `lokus export baas` writes, built on the blocking pool. Masked unless `tanpa_sensor`
//! is asked for, which reads personal data through `services::baas` and logs it per child.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::Datelike;

use crate::domain::Role;
use crate::domain::format::{ZonaWaktu, tanggal_waktu};
use crate::error::AppResult;
use crate::services::baas_export::{ExportRequest, workbook};
use crate::state::AppState;
use crate::web::extract::{CurrentUser, Lang};

#[derive(serde::Deserialize)]
pub struct ExportQuery {
    /// The year (default: this year).
    pub tahun: Option<i16>,
    /// `1`: whole NIKs, No. KK, parents' names and addresses.
    pub tanpa_sensor: Option<String>,
}

pub async fn download(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Baas])?;
    let t = lang.0;
    let now = chrono::Utc::now();
    let tahun = query
        .tahun
        .unwrap_or_else(|| i16::try_from(now.year()).unwrap_or_default());
    let unmasked = query
        .tanpa_sensor
        .as_deref()
        .is_some_and(|value| matches!(value, "1" | "ya" | "on" | "true"));
    let request = ExportRequest {
        tahun,
        unmasked,
        generated_by: format!("{} ({})", user.nama, user.email),
        generated_at: tanggal_waktu(now, ZonaWaktu::of_province(&user.kode_kabkota)),
    };
    let (actor, scope, role) = (user.actor(), user.scope(), user.role);
    let bytes = state
        .db(move |conn| Ok(workbook(conn, &actor, &scope, role, &request, t)?))
        .await?;
    let name = if unmasked {
        format!("baas-{tahun}-TIDAK-TERSAMAR.xlsx")
    } else {
        format!("baas-{tahun}.xlsx")
    };
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes))
}
