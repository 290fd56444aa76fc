//! Realisation on the web: one budget line's twelve months entered and corrected in place, the
//! realisation form workbook to download, and the admin's period locks of a year. Admin and `opd`
//! officers (their own lines) write, leadership reads, other roles get 403.

use std::collections::BTreeSet;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use rust_decimal::Decimal;

use crate::db::realisasi;
use crate::db::{district, opd};
use crate::domain::Role;
use crate::domain::amount::parse_amount;
use crate::domain::format::{ZonaWaktu, angka, persen, rupiah, tanggal_waktu};
use crate::error::{AppError, AppResult};
use crate::i18n::phrases::Messages;
use crate::i18n::{Message, MessageKey};
use crate::services::error::{ServiceError, ServiceResult};
use crate::services::record_realisation::{
    self, LineMonths, MonthInput, Period, RecordOutcome, Rules, Via,
};
use crate::spreadsheet::realisasi_form;
use crate::state::{AppState, blocking};
use crate::web::STAFF;
use crate::web::extract::{CsrfForm, CurrentUser, Lang};
use crate::web::page::{PageCtx, form_outcome, render_status, see_other};

/// One month's column on the line page.
pub struct MonthCell {
    pub bulan: i16,
    pub label: String,
    pub keuangan: String,
    pub fisik: String,
    pub locked: bool,
    /// Who entered the month's figures, when and how; empty for an empty month.
    pub entered: String,
}

#[derive(Template)]
#[template(path = "realisasi.html")]
struct LinePage {
    ctx: PageCtx,
    errors: Vec<String>,
    notice: Option<String>,
    warnings: Vec<String>,
    /// (month, before, after) of what the last save changed.
    changes: Vec<(String, String, String)>,
    line_id: i64,
    facts: Vec<(String, String)>,
    months: Vec<MonthCell>,
    /// (label, keuangan, fisik) per triwulan.
    triwulan: Vec<(String, String, String)>,
    can_write: bool,
    removed: bool,
}

fn month_names(t: &Messages) -> Vec<&'static str> {
    t.realisasi_months.split(',').collect()
}

fn quantity(value: Decimal) -> String {
    let value = value.normalize();
    angka(value, value.scale())
}

/// The line page. `typed` is the form as sent when it is shown again with errors.
async fn line_page(
    state: &AppState,
    user: &CurrentUser,
    lang: Lang,
    id: i64,
    typed: Option<Vec<(String, String)>>,
    errors: Vec<String>,
    outcome: Option<RecordOutcome>,
) -> AppResult<HttpResponse> {
    let t = lang.0;
    let scope = user.scope();
    let (line, rows, locked, unit) = state
        .db(move |conn| {
            let line = realisasi::lines_in_scope(conn, &[id], &scope)?
                .pop()
                .ok_or(AppError::NotFound)?;
            let rows = realisasi::for_lines(conn, &[id])?;
            let locked = realisasi::locked_months(conn, &line.kode_kabkota, line.tahun)?;
            let unit = opd::find_by_id_for_scope(conn, line.opd_id, &scope)?;
            Ok((line, rows, locked, unit))
        })
        .await?;
    let names = month_names(t);
    let removed = line.removed_in_batch.is_some();
    let can_write = matches!(user.role, Role::Admin | Role::Opd) && !removed;
    let typed_value = |name: String| {
        typed.as_ref().and_then(|pairs| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.clone())
        })
    };
    let zone = ZonaWaktu::of_province(&user.kode_kabkota);
    let mut months = Vec::with_capacity(12);
    let mut cumulative = Decimal::ZERO;
    let mut triwulan = vec![(Decimal::ZERO, Decimal::ZERO, false); 4];
    for bulan in 1..=12i16 {
        let row = rows.iter().find(|row| row.bulan == bulan);
        if let Some(row) = row {
            cumulative += row.keuangan;
            let tw = &mut triwulan[((bulan - 1) / 3) as usize];
            tw.0 += row.keuangan;
            if let Some(fisik) = row.fisik {
                tw.1 += fisik;
                tw.2 = true;
            }
        }
        let stored_keuangan = row.map(|row| angka(row.keuangan, 2)).unwrap_or_default();
        let stored_fisik = row
            .and_then(|row| row.fisik)
            .map(quantity)
            .unwrap_or_default();
        months.push(MonthCell {
            bulan,
            label: names[(bulan - 1) as usize].to_owned(),
            keuangan: typed_value(format!("k{bulan}")).unwrap_or(stored_keuangan),
            fisik: typed_value(format!("f{bulan}")).unwrap_or(stored_fisik),
            locked: locked.contains(&bulan),
            entered: row
                .map(|row| {
                    let via = if row.via == "impor" {
                        t.realisasi_via_impor
                    } else {
                        t.realisasi_via_form
                    };
                    format!(
                        "{}, {}, {via}",
                        row.actor,
                        tanggal_waktu(row.entered_at, zone)
                    )
                })
                .unwrap_or_default(),
        });
    }
    let triwulan = triwulan
        .into_iter()
        .enumerate()
        .map(|(index, (keuangan, fisik, any_fisik))| {
            (
                format!(
                    "{} {}",
                    t.realisasi_triwulan,
                    ["I", "II", "III", "IV"][index]
                ),
                rupiah(keuangan),
                if any_fisik {
                    quantity(fisik)
                } else {
                    String::new()
                },
            )
        })
        .collect();
    let share = if line.pagu.is_zero() {
        Decimal::ZERO
    } else {
        cumulative / line.pagu * Decimal::from(100)
    };
    let target = line
        .target_output
        .map(|target| {
            format!(
                "{} {}",
                quantity(target),
                line.satuan_output.clone().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let facts = vec![
        (
            t.nav_opd.to_owned(),
            unit.map(|unit| unit.nama).unwrap_or_default(),
        ),
        (t.tahun.to_owned(), line.tahun.to_string()),
        (
            t.sub_kegiatan.to_owned(),
            format!(
                "{} {}",
                line.sub_kegiatan_kode,
                line.sub_kegiatan_nama.clone().unwrap_or_default()
            ),
        ),
        (
            t.kode_rekening.to_owned(),
            line.kode_rekening.clone().unwrap_or_default(),
        ),
        (t.uraian.to_owned(), line.uraian.clone()),
        (t.pagu.to_owned(), rupiah(line.pagu)),
        (t.realisasi_target.to_owned(), target.trim().to_owned()),
        (t.realisasi_kumulatif.to_owned(), rupiah(cumulative)),
        (t.realisasi_sisa.to_owned(), rupiah(line.pagu - cumulative)),
        (t.realisasi_persen.to_owned(), persen(share, 2)),
    ];
    let language = lang.language();
    let (notice, warnings, changes) = match outcome {
        Some(outcome) => {
            let notice = if outcome.changes.is_empty() {
                t.realisasi_unchanged.to_owned()
            } else {
                t.realisasi_saved
                    .replace("{n}", &outcome.changes.len().to_string())
            };
            let figures = |figures: &Option<record_realisation::Figures>| match figures {
                Some(figures) => match figures.fisik {
                    Some(fisik) => format!("{} / {}", rupiah(figures.keuangan), quantity(fisik)),
                    None => rupiah(figures.keuangan),
                },
                None => t.realisasi_empty.to_owned(),
            };
            let changes = outcome
                .changes
                .iter()
                .map(|change| {
                    (
                        names[(change.bulan - 1) as usize].to_owned(),
                        figures(&change.before),
                        figures(&change.after),
                    )
                })
                .collect();
            let warnings = outcome
                .warnings
                .iter()
                .map(|warning| warning.render(language))
                .collect();
            (Some(notice), warnings, changes)
        }
        None => (None, Vec::new(), Vec::new()),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = LinePage {
        ctx: PageCtx::new(state, user, t, "/anggaran").await?,
        errors,
        notice,
        warnings,
        changes,
        line_id: line.id,
        facts,
        months,
        triwulan,
        can_write,
        removed,
    };
    render_status(&page, status)
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    line_page(&state, &user, lang, id.into_inner(), None, vec![], None).await
}

/// The twelve months as the form sent them: `k1..k12` keuangan, `f1..f12` fisik. A month whose
/// fields are both absent (locked, so not sent) keeps what it holds; empty keuangan clears it.
fn months_from_form(t: &Messages, pairs: &[(String, String)]) -> ServiceResult<Vec<MonthInput>> {
    let names = month_names(t);
    let field = |name: String| {
        pairs
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.trim().to_owned())
    };
    let parse = |text: &str, label: String| -> ServiceResult<Option<Decimal>> {
        if text.is_empty() {
            return Ok(None);
        }
        parse_amount(text).map(Some).ok_or_else(|| {
            ServiceError::Invalid(
                Message::new(MessageKey::RealisasiAmountInvalid)
                    .arg(text)
                    .arg(label),
            )
        })
    };
    let mut months = Vec::new();
    for bulan in 1..=12i16 {
        let name = names[(bulan - 1) as usize];
        let (keuangan, fisik) = (field(format!("k{bulan}")), field(format!("f{bulan}")));
        if keuangan.is_none() && fisik.is_none() {
            continue;
        }
        let keuangan = parse(
            keuangan.as_deref().unwrap_or(""),
            format!("{} {name}", t.realisasi_keuangan),
        )?;
        let fisik = parse(
            fisik.as_deref().unwrap_or(""),
            format!("{} {name}", t.realisasi_fisik),
        )?;
        // physical output without spending is still a month reported, at Rp 0
        let keuangan = keuangan.or(fisik.map(|_| Decimal::ZERO));
        months.push(MonthInput {
            bulan,
            keuangan,
            fisik,
        });
    }
    Ok(months)
}

pub async fn save(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    id: web::Path<i64>,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Opd])?;
    let id = id.into_inner();
    let pairs = form.0;
    let (actor, scope) = (user.actor(), user.scope());
    let rules = Rules {
        fisik_tolerance_percent: state.settings.fisik_tolerance_percent,
    };
    let result = match months_from_form(lang.0, &pairs) {
        Err(error) => Err(error),
        Ok(months) => {
            state
                .db(move |conn| {
                    Ok(record_realisation::record(
                        conn,
                        &actor,
                        &scope,
                        &[LineMonths {
                            line_id: id,
                            months,
                        }],
                        Via::Form,
                        rules,
                    ))
                })
                .await?
        }
    };
    // a line the user may not see is not found, whichever way the form was sent
    if let Err(ServiceError::Invalid(message)) = &result
        && message.key == MessageKey::RealisasiLineUnknown
    {
        return Err(AppError::NotFound);
    }
    let typed = pairs.clone();
    form_outcome(
        result,
        lang,
        |outcome| line_page(&state, &user, lang, id, None, vec![], Some(outcome)),
        |errors| line_page(&state, &user, lang, id, Some(typed), errors, None),
    )
    .await
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct FormQuery {
    pub tahun: Option<String>,
    pub opd: Option<String>,
    pub bulan: Option<String>,
}

/// `1-6`, `3` or empty (the whole year) as an inclusive month range.
pub fn month_range(text: Option<&str>) -> Option<(i16, i16)> {
    let text = text.map(str::trim).unwrap_or("");
    if text.is_empty() {
        return Some((1, 12));
    }
    let (from, to) = match text.split_once('-') {
        Some((from, to)) => (from.trim().parse().ok()?, to.trim().parse().ok()?),
        None => {
            let month = text.parse().ok()?;
            (month, month)
        }
    };
    ((1..=12).contains(&from) && (from..=12).contains(&to)).then_some((from, to))
}

/// `/realisasi/formulir.xlsx?tahun=&opd=&bulan=1-6`: the realisation form of one OPD, pre-filled.
pub async fn form_workbook(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<FormQuery>,
) -> AppResult<HttpResponse> {
    user.require(&STAFF)?;
    let query = query.into_inner();
    let (from, to) = month_range(query.bulan.as_deref()).ok_or_else(|| {
        AppError::Service(
            StatusCode::BAD_REQUEST,
            Message::new(MessageKey::RealisasiMonthRangeInvalid)
                .arg(query.bulan.clone().unwrap_or_default()),
        )
    })?;
    let scope = user.scope();
    let (header, lines) = state
        .db(move |conn| {
            let years = district::list_tahun(conn, &scope.kode_kabkota)?;
            let tahun = match query.tahun.as_deref().map(str::trim) {
                Some(text) if !text.is_empty() => text
                    .parse::<i16>()
                    .map_err(|_| AppError::bad_request(MessageKey::ErrorBadQuery))?,
                _ => years
                    .first()
                    .map(|year| year.tahun)
                    .ok_or(AppError::NotFound)?,
            };
            if !years.iter().any(|year| year.tahun == tahun) {
                return Err(AppError::NotFound);
            }
            let unit = match (query.opd.as_deref().map(str::trim), scope.opd_id) {
                (Some(kode), _) if !kode.is_empty() => {
                    opd::find_by_kode(conn, &scope.kode_kabkota, kode)?
                        // another OPD's form is not found for an opd officer, as if it did not exist
                        .filter(|unit| scope.opd_id.is_none_or(|own| own == unit.id))
                }
                (_, Some(own)) => opd::find_by_id_for_scope(conn, own, &scope)?,
                _ => return Err(AppError::bad_request(MessageKey::ErrorBadQuery)),
            }
            .ok_or(AppError::NotFound)?;
            Ok(crate::services::import::realisation_form(
                conn, &unit, tahun, from, to,
            )?)
        })
        .await?;
    let file_name = format!(
        "realisasi-{}-{}-{}-{}.xlsx",
        header.opd_kode, header.tahun, header.from, header.to
    );
    let bytes = blocking(move || {
        realisasi_form::realisasi_form(&header, &lines).map_err(AppError::internal)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(bytes))
}

#[derive(Template)]
#[template(path = "realisasi_periode.html")]
struct PeriodPage {
    ctx: PageCtx,
    errors: Vec<String>,
    tahun: i16,
    /// (label, locked, value for the button) per month.
    months: Vec<(String, bool, String)>,
    /// (label, all three months locked, value) per triwulan.
    triwulan: Vec<(String, bool, String)>,
}

async fn period_page(
    state: &AppState,
    user: &CurrentUser,
    lang: Lang,
    tahun: i16,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let t = lang.0;
    let kode_kabkota = user.kode_kabkota.clone();
    let locked: BTreeSet<i16> = state
        .db(move |conn| {
            district::find_tahun(conn, &kode_kabkota, tahun)?.ok_or(AppError::NotFound)?;
            Ok(realisasi::locked_months(conn, &kode_kabkota, tahun)?)
        })
        .await?
        .into_iter()
        .collect();
    let names = month_names(t);
    let months = (1..=12i16)
        .map(|bulan| {
            (
                names[(bulan - 1) as usize].to_owned(),
                locked.contains(&bulan),
                format!("b{bulan}"),
            )
        })
        .collect();
    let triwulan = (1..=4i16)
        .map(|tw| {
            (
                format!(
                    "{} {}",
                    t.realisasi_triwulan,
                    ["I", "II", "III", "IV"][(tw - 1) as usize]
                ),
                ((tw - 1) * 3 + 1..=tw * 3).all(|bulan| locked.contains(&bulan)),
                format!("tw{tw}"),
            )
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PeriodPage {
        ctx: PageCtx::new(state, user, t, "/tahun").await?,
        errors,
        tahun,
        months,
        triwulan,
    };
    render_status(&page, status)
}

pub async fn periods(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    tahun: web::Path<i16>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    period_page(&state, &user, lang, tahun.into_inner(), vec![]).await
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct PeriodForm {
    /// `kunci:b3` locks March, `buka:tw2` unlocks the second triwulan.
    pub aksi: String,
}

fn parse_period(text: &str) -> ServiceResult<(Period, bool)> {
    let invalid = || ServiceError::invalid(MessageKey::RealisasiPeriodInvalid);
    let (action, period) = text.trim().split_once(':').ok_or_else(invalid)?;
    let lock = match action {
        "kunci" => true,
        "buka" => false,
        _ => return Err(invalid()),
    };
    let period = if let Some(tw) = period.strip_prefix("tw") {
        Period::Triwulan(tw.parse().map_err(|_| invalid())?)
    } else if let Some(bulan) = period.strip_prefix('b') {
        Period::Bulan(bulan.parse().map_err(|_| invalid())?)
    } else {
        return Err(invalid());
    };
    Ok((period, lock))
}

pub async fn set_period(
    state: web::Data<AppState>,
    user: CurrentUser,
    lang: Lang,
    tahun: web::Path<i16>,
    form: CsrfForm<PeriodForm>,
) -> AppResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let tahun = tahun.into_inner();
    let result = match parse_period(&form.0.aksi) {
        Err(error) => Err(error),
        Ok((period, lock)) => {
            let (actor, kode_kabkota) = (user.actor(), user.kode_kabkota.clone());
            state
                .db(move |conn| {
                    Ok(record_realisation::set_period_lock(
                        conn,
                        &actor,
                        &kode_kabkota,
                        tahun,
                        period,
                        lock,
                    ))
                })
                .await?
        }
    };
    form_outcome(
        result,
        lang,
        |_| async move { Ok(see_other(&format!("/tahun/{tahun}/periode"))) },
        |errors| period_page(&state, &user, lang, tahun, errors),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ranges_are_read_as_people_write_them() {
        assert_eq!(month_range(None), Some((1, 12)));
        assert_eq!(month_range(Some(" ")), Some((1, 12)));
        assert_eq!(month_range(Some("1-6")), Some((1, 6)));
        assert_eq!(month_range(Some(" 7 - 12 ")), Some((7, 12)));
        assert_eq!(month_range(Some("3")), Some((3, 3)));
        for bad in ["0", "13", "6-1", "1-13", "a-b", "1-", "-3", "1-6-9"] {
            assert_eq!(month_range(Some(bad)), None, "{bad}");
        }
    }

    #[test]
    fn a_period_button_names_an_action_and_a_period() {
        assert_eq!(parse_period("kunci:b3").unwrap(), (Period::Bulan(3), true));
        assert_eq!(
            parse_period("buka:tw4").unwrap(),
            (Period::Triwulan(4), false)
        );
        for bad in ["", "kunci", "hapus:b3", "kunci:x3", "kunci:bx", "kunci:tw"] {
            assert!(parse_period(bad).is_err(), "{bad}");
        }
        // a month or triwulan out of range is refused by the service, with the same message
        assert!(Period::Bulan(13).months().is_err());
        assert_eq!(Period::Triwulan(3).months().unwrap(), vec![7, 8, 9]);
    }
}
