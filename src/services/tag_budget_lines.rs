//! Tagging budget lines by hand: to an intervention (chosen, or lokus's suggestion accepted) and to
//! desa. The line keeps who tagged it, so a suggestion is never mistaken for a decision.

use diesel::prelude::*;

use crate::db::{budget_line, catalogue, district, wilayah};
use crate::domain::Scope;
use crate::domain::names::{DesaIndex, DesaNotFound};
use crate::i18n::{Message, MessageKey};
use crate::services::activity_log::{self, Actor, NOTHING};
use crate::services::error::{ServiceError, ServiceResult};

/// Who tagged: `Manual` when a person chose the intervention, `Saran` when they accepted lokus's
/// suggestion (`Impor` is the file's own tag).
pub use crate::domain::TagSource;

/// Tags the lines (which must be current and in the user's scope) with an intervention and/or a desa.
pub fn tag_lines(
    conn: &mut PgConnection,
    actor: &Actor,
    scope: &Scope,
    line_ids: &[i64],
    intervensi_kode: Option<&str>,
    kode_desa: Option<&str>,
    source: TagSource,
) -> ServiceResult<usize> {
    if line_ids.is_empty() {
        return Err(ServiceError::invalid(MessageKey::TagNoLines));
    }
    if intervensi_kode.is_none() && kode_desa.is_none() {
        return Err(ServiceError::invalid(MessageKey::TagNothingChosen));
    }
    conn.transaction(|conn| {
        let lines = budget_line::find_lines_for_scope(conn, line_ids, scope)?;
        if lines.len() != line_ids.len() {
            return Err(ServiceError::invalid(MessageKey::TagLinesNotFound));
        }
        // a locked year is closed on every path that writes its lines, so the check is here
        let mut years: Vec<i16> = lines.iter().map(|line| line.tahun).collect();
        years.sort_unstable();
        years.dedup();
        for tahun in years {
            let locked = district::find_tahun(conn, &scope.kode_kabkota, tahun)?
                .is_some_and(|year| year.terkunci);
            if locked {
                return Err(ServiceError::Conflict(
                    Message::new(MessageKey::TagYearLocked).arg(tahun),
                ));
            }
        }
        if let Some(kode) = intervensi_kode {
            let found = catalogue::list_intervensi(conn, &scope.kode_kabkota)?
                .into_iter()
                .find(|row| row.kode.eq_ignore_ascii_case(kode.trim()) && row.aktif)
                .ok_or_else(|| {
                    ServiceError::Invalid(Message::new(MessageKey::TagIntervensiUnknown).arg(kode))
                })?;
            budget_line::set_tag(conn, line_ids, found.id, &found.jenis, source.as_str())?;
        }
        // a desa by code or by name, resolved as the workplan import resolves its desa column
        let desa = match kode_desa {
            Some(typed) => {
                let index = DesaIndex::new(
                    wilayah::list_desa_in_kabkota(conn, &scope.kode_kabkota)?
                        .into_iter()
                        .map(|row| (row.kode, row.nama)),
                );
                let kode = match index.resolve(typed) {
                    Ok(kode) => kode.to_owned(),
                    Err(DesaNotFound::Unknown) => {
                        return Err(ServiceError::Invalid(
                            Message::new(MessageKey::TagDesaUnknown).arg(typed.trim()),
                        ));
                    }
                    Err(DesaNotFound::Ambiguous(codes)) => {
                        return Err(ServiceError::Invalid(
                            Message::new(MessageKey::TagDesaAmbiguous)
                                .arg(typed.trim())
                                .arg(codes.join(", ")),
                        ));
                    }
                };
                budget_line::add_manual_desa(conn, &scope.kode_kabkota, line_ids, &kode)?;
                Some(kode)
            }
            None => None,
        };
        let after = serde_json::json!({
            "lines": line_ids,
            "intervensi": intervensi_kode,
            "desa": desa,
            "oleh": source.as_str(),
        });
        // the record is the lines themselves (their ids), not how many there were
        let ids: Vec<String> = line_ids.iter().map(i64::to_string).collect();
        activity_log::record(
            conn,
            actor,
            "tag",
            "budget_line",
            ids.join(","),
            NOTHING,
            Some(&after),
        )?;
        Ok(lines.len())
    })
}
