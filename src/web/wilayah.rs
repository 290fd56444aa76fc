//! Browsing the national area codes, one level at a time, starting at the user's own district.

use actix_web::{HttpResponse, web};

use crate::db::wilayah;
use crate::domain::{KodeWilayah, Tingkat};
use crate::error::{AppError, AppResult};
use crate::server::AppState;
use crate::table::{Cell, Table};
use crate::web::STAFF;
use crate::web::extract::{CurrentUser, Lang};
use crate::web::i18n::Messages;
use crate::web::page::{ListPage, PageCtx, list_response};

#[derive(serde::Deserialize)]
pub struct BrowseQuery {
    /// The area whose children are listed; the user's kabupaten/kota when absent.
    pub induk: Option<String>,
    pub format: Option<String>,
}

fn tingkat_label(t: &Messages, level: i16) -> &'static str {
    match Tingkat::from_level(level) {
        Some(Tingkat::Provinsi) => "Provinsi",
        Some(Tingkat::KabupatenKota) => "Kabupaten/kota",
        Some(Tingkat::Kecamatan) => t.kecamatan,
        _ => t.desa,
    }
}

pub async fn browse(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<BrowseQuery>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    let t = lang.0;
    let induk = match query
        .induk
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        Some(text) => KodeWilayah::parse(text)
            .ok_or_else(|| AppError::BadRequest(format!("`{text}` bukan kode wilayah.")))?,
        None => KodeWilayah::parse(&user.kode_kabkota)
            .ok_or_else(|| AppError::internal("district code invalid"))?,
    };
    let lookup = induk.clone();
    let (area, children) = state
        .db(move |conn| {
            let area = wilayah::find_by_kode(conn, lookup.as_str())?.ok_or(AppError::NotFound)?;
            let children = wilayah::list_children(conn, lookup.as_str())?;
            Ok((area, children))
        })
        .await?;
    let mut table = Table::new(&[t.kode, t.nama, t.tingkat]);
    for child in children {
        let link = (child.tingkat < Tingkat::DesaKelurahan.level())
            .then(|| format!("/wilayah?induk={}", child.kode));
        table.push(
            vec![
                Cell::text(child.kode),
                Cell::text(child.nama),
                Cell::text(tingkat_label(t, child.tingkat)),
            ],
            link,
        );
    }
    let mut actions = Vec::new();
    if let Some(parent) = induk.induk() {
        actions.push((
            format!("/wilayah?induk={parent}"),
            format!("{} ({parent})", t.back),
        ));
    }
    let page = ListPage {
        ctx: PageCtx::new(&state, &user, t, "/wilayah").await?,
        title: format!("{}: {} {}", t.wilayah_title, area.kode, area.nama),
        intro: Some(tingkat_label(t, area.tingkat).to_owned()),
        actions,
        table,
        download: Some(format!("/wilayah?induk={}&format=xlsx", area.kode)),
        form: None,
        errors: vec![],
    };
    let list_query = web::Query(crate::web::page::ListQuery {
        format: query.format.clone(),
    });
    list_response(page, &list_query, &format!("wilayah-{}", area.kode))
}
