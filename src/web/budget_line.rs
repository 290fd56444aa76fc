//! The budget lines of the current workplans: filtered (untagged, per intervention, per desa),
//! tagged one by one or in bulk, with lokus's suggestions shown beside untagged lines.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use rust_decimal::Decimal;

use crate::db::budget_line::{self, BudgetLineView, LineFilter};
use std::collections::HashMap;

use crate::db::summary::{self, Attention, SummaryFilter};
use crate::db::{catalogue, district, opd, wilayah};
use crate::domain::format::rupiah;
use crate::domain::names::{DesaIndex, DesaNotFound};
use crate::domain::suggest::suggest_intervensi;
use crate::domain::{Jenis, Role, Tahapan, format};
use crate::error::{AppError, AppResult};
use crate::i18n::{Language, Message, MessageKey};
use crate::services::tag_budget_lines::{self, TagSource};
use crate::state::AppState;
use crate::table::{Cell, Table};
use crate::web::STAFF;
use crate::web::extract::{CsrfForm, CurrentUser, Lang, local_path};
use crate::web::page::{
    FieldKind, FormField, PageCtx, form_outcome, render_status, see_other, xlsx_download,
};

/// Lines shown on one page; the download has the same limit, raised.
const SHOWN: i64 = 1_000;
const DOWNLOADED: i64 = 200_000;

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct LineQuery {
    pub tahun: Option<String>,
    pub opd: Option<String>,
    /// `belum` for untagged lines only.
    pub tampil: Option<String>,
    pub intervensi: Option<String>,
    pub desa: Option<String>,
    // summary: the drill-down from /ringkasan (stage, jenis, sumber dana; `tampil` also takes
    // `terlambat` and `lebih` with `sampai`, the month the attention point was judged by)
    pub tahap: Option<String>,
    pub jenis: Option<String>,
    pub sumber: Option<String>,
    pub sampai: Option<String>,
    /// Another district of a province-level reader's province (from the province summary).
    pub kabkota: Option<String>,
    pub format: Option<String>,
}

impl LineQuery {
    fn to_query_string(&self) -> String {
        let pairs = [
            ("tahun", &self.tahun),
            ("opd", &self.opd),
            ("tampil", &self.tampil),
            ("intervensi", &self.intervensi),
            ("desa", &self.desa),
            ("tahap", &self.tahap),
            ("jenis", &self.jenis),
            ("sumber", &self.sumber),
            ("sampai", &self.sampai),
            ("kabkota", &self.kabkota),
        ];
        let kept: Vec<(&str, &str)> = pairs
            .iter()
            .filter_map(|(key, value)| {
                value
                    .as_deref()
                    .filter(|value| !value.is_empty())
                    .map(|value| (*key, value))
            })
            .collect();
        serde_urlencoded::to_string(kept).unwrap_or_default()
    }
}

pub struct LineRow {
    pub id: i64,
    pub opd: String,
    pub sub_kegiatan: String,
    pub kode_rekening: String,
    pub uraian: String,
    pub pagu: String,
    pub sumber_dana: String,
    /// The intervention's code, or the jenis alone, or `-`.
    pub intervensi: String,
    pub intervensi_nama: String,
    pub tag_source: String,
    /// The linked desa by name, with their codes for the tooltip.
    pub desa: Vec<(String, String)>,
    /// Suggested interventions: (code, name).
    pub suggestions: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "budget_line.html")]
struct LinesPage {
    ctx: PageCtx,
    errors: Vec<String>,
    filters: Vec<FormField>,
    summary: String,
    download: String,
    back: String,
    can_tag: bool,
    /// Set when the shown year is locked.
    locked: Option<String>,
    /// An opd officer sees one OPD only: the column would repeat it on every line.
    show_opd: bool,
    lines: Vec<LineRow>,
    tag_fields: Vec<FormField>,
    /// The realisation form of the shown OPD and year, when the page shows one OPD.
    realisasi_form: Option<String>,
}

fn tag_label(t: &crate::i18n::phrases::Messages, source: Option<TagSource>) -> &'static str {
    match source {
        Some(TagSource::Impor) => t.tag_impor,
        Some(TagSource::Manual) => t.tag_manual,
        Some(TagSource::Saran) => t.tag_saran,
        None => "",
    }
}

async fn lines_page(
    state: &AppState,
    user: &CurrentUser,
    lang: Lang,
    query: &LineQuery,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let t = lang.0;
    let query_copy = query.clone();
    let wants_xlsx = query.format.as_deref() == Some("xlsx");
    let reader = user.clone();
    let (scope, years, units, catalogue_rows, lines, filter, desa_index, links) = state
        .db(move |conn| {
            let scope = reader
                .reading_scope(conn, query_copy.kabkota.as_deref())?
                .ok_or(AppError::NotFound)?;
            let years = district::list_tahun(conn, &scope.kode_kabkota)?;
            let desa_index = DesaIndex::new(
                wilayah::list_desa_in_kabkota(conn, &scope.kode_kabkota)?
                    .into_iter()
                    .map(|row| (row.kode, row.nama)),
            );
            let units = opd::list_for_scope(conn, &scope)?;
            let catalogue_rows = catalogue::list_intervensi(conn, &scope.kode_kabkota)?;
            let tahun = query_copy
                .tahun
                .as_deref()
                .and_then(|text| text.parse::<i16>().ok())
                .or_else(|| years.first().map(|year| year.tahun));
            let opd_id = query_copy
                .opd
                .as_deref()
                .filter(|kode| !kode.is_empty())
                .and_then(|kode| {
                    units
                        .iter()
                        .find(|unit| unit.kode == kode)
                        .map(|unit| unit.id)
                });
            let intervensi_id = query_copy
                .intervensi
                .as_deref()
                .filter(|kode| !kode.is_empty())
                .and_then(|kode| {
                    catalogue_rows
                        .iter()
                        .find(|row| row.kode == kode)
                        .map(|row| row.id)
                });
            let mut filter = LineFilter {
                tahun,
                opd_id,
                untagged: query_copy.tampil.as_deref() == Some("belum"),
                intervensi_id,
                tahapan: query_copy.tahap.as_deref().and_then(Tahapan::parse),
                jenis: query_copy.jenis.as_deref().and_then(|text| match text {
                    "" => None,
                    "-" => Some(None),
                    text => Jenis::parse(text).map(Some),
                }),
                sumber_dana: query_copy
                    .sumber
                    .as_deref()
                    .map(str::trim)
                    .filter(|text| !text.is_empty())
                    .map(|text| (text != "-").then(|| text.to_owned())),
                line_ids: None,
                // by code or name, as the tagging form takes it
                kode_desa: query_copy
                    .desa
                    .as_deref()
                    .map(str::trim)
                    .filter(|typed| !typed.is_empty())
                    .map(|typed| {
                        desa_index
                            .resolve(typed)
                            .map_or_else(|_| typed.to_owned(), str::to_owned)
                    }),
            };
            // an attention point of the summary: its lines, judged by the month it was judged by
            if let (Some(attention), Some(tahun)) = (
                query_copy.tampil.as_deref().and_then(Attention::parse),
                filter.tahun,
            ) {
                let bulan = query_copy
                    .sampai
                    .as_deref()
                    .and_then(|text| text.parse::<i16>().ok())
                    .filter(|bulan| (1..=12).contains(bulan))
                    .unwrap_or(12);
                let summary_filter = SummaryFilter {
                    tahapan: filter.tahapan,
                    sampai_bulan: bulan,
                    opd_id: filter.opd_id,
                    jenis: filter.jenis,
                    intervensi_id: filter.intervensi_id,
                    kode_desa: filter.kode_desa.clone(),
                    ..SummaryFilter::year(tahun)
                };
                filter.line_ids = Some(summary::attention_line_ids(
                    conn,
                    &scope,
                    &summary_filter,
                    attention,
                    bulan,
                    DOWNLOADED,
                )?);
            }
            let lines = budget_line::list_lines(
                conn,
                &scope,
                &filter,
                if wants_xlsx { DOWNLOADED } else { SHOWN + 1 },
            )?;
            let links = if wants_xlsx {
                Vec::new()
            } else {
                let ids: Vec<i64> = lines.iter().map(|line| line.id).collect();
                budget_line::desa_links(conn, &ids)?
            };
            Ok((
                scope,
                years,
                units,
                catalogue_rows,
                lines,
                filter,
                desa_index,
                links,
            ))
        })
        .await?;
    if wants_xlsx {
        return download(state, scope, &lines).await;
    }
    // a desa the filter cannot find is said, not silently an empty list
    let mut errors = errors;
    if let Some(typed) = query.desa.as_deref().map(str::trim)
        && !typed.is_empty()
        && let Err(not_found) = desa_index.resolve(typed)
    {
        let message = match not_found {
            DesaNotFound::Unknown => Message::new(MessageKey::TagDesaUnknown).arg(typed),
            DesaNotFound::Ambiguous(codes) => Message::new(MessageKey::TagDesaAmbiguous)
                .arg(typed)
                .arg(codes.join(", ")),
        };
        errors.push(message.render(Language::from_code(t.lang_code)));
    }
    let more = lines.len() as i64 > SHOWN;
    let lines: Vec<BudgetLineView> = lines.into_iter().take(SHOWN as usize).collect();
    let total: Decimal = lines.iter().map(|line| line.pagu).sum();
    let summary = format!(
        "{} {}{}, total {}",
        lines.len(),
        t.lines_word,
        if more {
            format!(" {}", t.lines_first_of.replace("{}", &SHOWN.to_string()))
        } else {
            String::new()
        },
        rupiah(total)
    );
    let year_options = years
        .iter()
        .map(|year| (year.tahun.to_string(), year.tahun.to_string()))
        .collect();
    let mut opd_options = vec![(String::new(), t.semua.to_owned())];
    opd_options.extend(
        units
            .iter()
            .map(|unit| (unit.kode.clone(), unit.nama.clone())),
    );
    let mut intervensi_options = vec![(String::new(), t.semua.to_owned())];
    intervensi_options.extend(
        catalogue_rows
            .iter()
            .map(|row| (row.kode.clone(), format!("{} {}", row.kode, row.nama))),
    );
    let mut filters = vec![
        FormField::text(
            "tahun",
            t.tahun,
            &filter
                .tahun
                .map(|tahun| tahun.to_string())
                .unwrap_or_default(),
            false,
        )
        .with_kind(FieldKind::Select(year_options)),
    ];
    if user.role != Role::Opd {
        filters.push(
            FormField::text("opd", t.nav_opd, query.opd.as_deref().unwrap_or(""), false)
                .with_kind(FieldKind::Select(opd_options)),
        );
    }
    filters.extend([
        FormField::text(
            "tampil",
            t.tampilkan,
            query.tampil.as_deref().unwrap_or(""),
            false,
        )
        .with_kind(FieldKind::Select(vec![
            (String::new(), t.semua.to_owned()),
            ("belum".into(), t.belum_ditandai.to_owned()),
            ("terlambat".into(), t.ringkasan_tampil_terlambat.to_owned()),
            ("lebih".into(), t.ringkasan_tampil_lebih.to_owned()),
        ])),
        FormField::text(
            "intervensi",
            t.intervensi,
            query.intervensi.as_deref().unwrap_or(""),
            false,
        )
        .with_kind(FieldKind::Select(intervensi_options.clone())),
        FormField::text(
            "desa",
            t.desa_kode_nama,
            query.desa.as_deref().unwrap_or(""),
            false,
        ),
        FormField::text(
            "tahap",
            t.tahapan,
            query.tahap.as_deref().unwrap_or(""),
            false,
        )
        .with_kind(FieldKind::Select(vec![
            (String::new(), t.semua.to_owned()),
            ("murni".into(), t.tahapan_murni.to_owned()),
            ("perubahan".into(), t.tahapan_perubahan.to_owned()),
        ])),
        FormField::text(
            "jenis",
            t.jenis,
            query.jenis.as_deref().unwrap_or(""),
            false,
        )
        .with_kind(FieldKind::Select(vec![
            (String::new(), t.semua.to_owned()),
            ("spesifik".into(), "Spesifik".to_owned()),
            ("sensitif".into(), "Sensitif".to_owned()),
            ("-".into(), t.ringkasan_tanpa.to_owned()),
        ])),
        FormField::text(
            "sumber",
            t.ringkasan_sumber_kode,
            query.sumber.as_deref().unwrap_or(""),
            false,
        ),
    ]);
    if let Some(sampai) = query.sampai.as_deref().filter(|text| !text.is_empty()) {
        // the month an attention point was judged by travels with the filter, unseen
        filters.push(FormField::text("sampai", "", sampai, false).with_kind(FieldKind::Hidden));
    }
    let names: HashMap<&str, &str> = catalogue_rows
        .iter()
        .map(|row| (row.kode.as_str(), row.nama.as_str()))
        .collect();
    let mut desa_of: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (line_id, kode, _) in links {
        let nama = desa_index.nama(&kode).unwrap_or(&kode).to_owned();
        desa_of.entry(line_id).or_default().push((nama, kode));
    }
    let rows = lines
        .into_iter()
        .map(|line| {
            let suggestions = if line.intervensi_kode.is_none() {
                suggest_intervensi(&[
                    &line.uraian,
                    line.sub_kegiatan_nama.as_deref().unwrap_or(""),
                ])
                .into_iter()
                // a code the district's catalogue lacks (or switched off) is no suggestion
                .filter_map(|kode| names.get(kode).map(|nama| (kode, (*nama).to_owned())))
                .collect()
            } else {
                Vec::new()
            };
            let mut desa = desa_of.remove(&line.id).unwrap_or_default();
            desa.sort();
            LineRow {
                id: line.id,
                opd: line.opd_nama,
                sub_kegiatan: line.sub_kegiatan_kode,
                kode_rekening: line.kode_rekening.unwrap_or_default(),
                uraian: line.uraian,
                pagu: format::rupiah(line.pagu),
                sumber_dana: line.sumber_dana.unwrap_or_default(),
                intervensi_nama: line
                    .intervensi_kode
                    .as_deref()
                    .and_then(|kode| names.get(kode))
                    .map(|nama| (*nama).to_owned())
                    .unwrap_or_default(),
                intervensi: line
                    .intervensi_kode
                    .unwrap_or_else(|| line.jenis.map_or_else(|| "-".into(), String::from)),
                tag_source: tag_label(t, line.tag_source).to_owned(),
                desa,
                suggestions,
            }
        })
        .collect();
    let mut tag_options = vec![(String::new(), "-".to_owned())];
    tag_options.extend(intervensi_options.into_iter().skip(1));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let back = format!("/anggaran?{}", query.to_query_string());
    // a locked year's lines are read-only: no tagging controls, and the page says why
    let locked = years
        .iter()
        .find(|year| Some(year.tahun) == filter.tahun && year.terkunci)
        .map(|year| {
            t.anggaran_locked
                .replace("{tahun}", &year.tahun.to_string())
        });
    // one OPD's form: the officer's own, or the OPD an admin or leader filtered on
    let form_opd = match user.role {
        Role::Opd => units.first().map(|unit| unit.kode.clone()),
        _ => query.opd.clone().filter(|kode| !kode.is_empty()),
    };
    let realisasi_form = match (form_opd, filter.tahun) {
        (Some(kode), Some(tahun)) => Some(format!(
            "/realisasi/formulir.xlsx?{}",
            serde_urlencoded::to_string([("tahun", tahun.to_string()), ("opd", kode)])
                .unwrap_or_default()
        )),
        _ => None,
    };
    let page = LinesPage {
        ctx: PageCtx::new(state, user, t, "/anggaran").await?,
        realisasi_form,
        errors,
        filters,
        summary,
        download: format!("{back}&format=xlsx"),
        back,
        can_tag: matches!(user.role, Role::Admin | Role::Opd) && locked.is_none(),
        locked,
        show_opd: user.role != Role::Opd,
        lines: rows,
        tag_fields: vec![
            FormField::text("intervensi", t.intervensi, "", false)
                .with_kind(FieldKind::Select(tag_options)),
            FormField::text("desa", t.desa_kode_nama, "", false),
        ],
    };
    render_status(&page, status)
}

/// The lines as a workbook that lokus reads back as a workplan: the template's columns plus the
/// OPD (so one file can hold several OPDs), year, stage and who tagged each line.
async fn download(
    state: &AppState,
    scope: crate::domain::Scope,
    lines: &[BudgetLineView],
) -> AppResult<HttpResponse> {
    use crate::spreadsheet::columns::{Field, TEMPLATE_FIELDS};
    let ids: Vec<i64> = lines.iter().map(|line| line.id).collect();
    let (rows, desa, units, interventions) = state
        .db(move |conn| {
            let rows = budget_line::lines_by_ids(conn, &ids)?;
            let desa = budget_line::desa_links(conn, &ids)?;
            let units = opd::list_for_scope(conn, &scope)?;
            let interventions = catalogue::list_intervensi(conn, &scope.kode_kabkota)?;
            Ok((rows, desa, units, interventions))
        })
        .await?;
    let units: std::collections::HashMap<i32, (String, String)> = units
        .into_iter()
        .map(|unit| (unit.id, (unit.kode, unit.nama)))
        .collect();
    let codes: std::collections::HashMap<i32, String> = interventions
        .into_iter()
        .map(|row| (row.id, row.kode))
        .collect();
    let mut desa_of: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for (line_id, kode, _) in desa {
        desa_of.entry(line_id).or_default().push(kode);
    }
    let mut headers: Vec<&str> = vec![
        Field::KodeOpd.template_header(),
        Field::NamaOpd.template_header(),
    ];
    headers.extend(TEMPLATE_FIELDS.iter().map(|field| field.template_header()));
    // the line identifier last: the realisation form and its import name a line by it
    headers.extend([
        Field::Tahun.template_header(),
        "Tahap",
        "Ditandai oleh",
        crate::spreadsheet::realisasi_form::LINE_ID_HEADER,
    ]);
    let mut table = Table::new(&headers);
    let number = |value: Option<Decimal>| value.map_or(Cell::Empty, Cell::Number);
    for line in rows {
        let (opd_kode, opd_nama) = units.get(&line.opd_id).cloned().unwrap_or_default();
        let mut desa = desa_of.remove(&line.id).unwrap_or_default();
        desa.sort();
        table.push(
            vec![
                Cell::text(opd_kode),
                Cell::text(opd_nama),
                Cell::text(line.sub_kegiatan_kode),
                Cell::opt_text(line.sub_kegiatan_nama),
                Cell::opt_text(line.kode_rekening),
                Cell::text(line.uraian),
                number(line.volume),
                Cell::opt_text(line.satuan),
                line.harga_satuan.map_or(Cell::Empty, Cell::Money),
                Cell::Money(line.pagu),
                Cell::opt_text(line.sumber_dana),
                Cell::opt_text(line.intervensi_id.and_then(|id| codes.get(&id).cloned())),
                Cell::opt_text(line.jenis),
                if desa.is_empty() {
                    Cell::Empty
                } else {
                    Cell::text(desa.join(", "))
                },
                Cell::opt_text(line.sasaran),
                number(line.target_output),
                Cell::opt_text(line.satuan_output),
                Cell::opt_text(line.keterangan),
                Cell::Int(i64::from(line.tahun)),
                Cell::text(line.tahapan),
                Cell::text(tag_label(&crate::i18n::phrases::ID, line.tag_source)),
                Cell::Int(line.id),
            ],
            None,
        );
    }
    xlsx_download(
        "Baris anggaran".into(),
        table,
        "Ya",
        "Tidak",
        "baris-anggaran",
    )
    .await
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    query: web::Query<LineQuery>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    lines_page(&state, &user, lang, &query, vec![]).await
}

/// The tagging form: checked `line`s with the chosen intervention and/or desa, or one `terima`
/// button (`ID:KODE`) accepting a suggestion for one line.
pub async fn tag(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Opd])?;
    let pairs = form.0;
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let back = value("kembali")
        .filter(|path| path.starts_with("/anggaran") && local_path(path).is_some())
        .unwrap_or_else(|| "/anggaran".to_owned());
    let (ids, intervensi, desa, source) = match value("terima") {
        Some(accepted) => {
            let (id, kode) = accepted
                .split_once(':')
                .ok_or_else(|| AppError::bad_request(MessageKey::TagSuggestionUnknown))?;
            let id: i64 = id
                .parse()
                .map_err(|_| AppError::bad_request(MessageKey::TagSuggestionUnknown))?;
            (vec![id], Some(kode.to_owned()), None, TagSource::Saran)
        }
        None => {
            let ids: Result<Vec<i64>, _> = pairs
                .iter()
                .filter(|(key, _)| key == "line")
                .map(|(_, value)| value.parse::<i64>())
                .collect();
            let ids = ids.map_err(|_| AppError::bad_request(MessageKey::TagLineChoiceUnknown))?;
            (ids, value("intervensi"), value("desa"), TagSource::Manual)
        }
    };
    let (actor, scope) = (user.actor(), user.scope());
    let result = state
        .db(move |conn| {
            Ok(tag_budget_lines::tag_lines(
                conn,
                &actor,
                &scope,
                &ids,
                intervensi.as_deref(),
                desa.as_deref(),
                source,
            ))
        })
        .await?;
    let query: LineQuery = back
        .split_once('?')
        .and_then(|(_, query)| serde_urlencoded::from_str(query).ok())
        .unwrap_or_default();
    form_outcome(
        result,
        lang,
        |_| async { Ok(see_other(&back)) },
        |errors| lines_page(&state, &user, lang, &query, errors),
    )
    .await
}
