//! Tagging budget lines by hand: to an intervention (chosen, or lokus's suggestion accepted) and to
//! desa. The line keeps who tagged it, so a suggestion is never mistaken for a decision.

use diesel::prelude::*;

use crate::db::{budget, catalogue, wilayah};
use crate::domain::Scope;
use crate::i18n::{Message, MessageKey};
use crate::services::audit::{self, Actor, NOTHING};
use crate::services::error::{ServiceError, ServiceResult};

/// `manual` when a person chose the intervention, `saran` when they accepted lokus's suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagSource {
    Manual,
    Saran,
}

impl TagSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TagSource::Manual => "manual",
            TagSource::Saran => "saran",
        }
    }
}

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
        let lines = budget::find_lines_for_scope(conn, line_ids, scope)?;
        if lines.len() != line_ids.len() {
            return Err(ServiceError::invalid(MessageKey::TagLinesNotFound));
        }
        if let Some(kode) = intervensi_kode {
            let found = catalogue::list_intervensi(conn, &scope.kode_kabkota)?
                .into_iter()
                .find(|row| row.kode.eq_ignore_ascii_case(kode.trim()) && row.aktif)
                .ok_or_else(|| {
                    ServiceError::Invalid(Message::new(MessageKey::TagIntervensiUnknown).arg(kode))
                })?;
            budget::set_tag(conn, line_ids, found.id, &found.jenis, source.as_str())?;
        }
        if let Some(kode) = kode_desa {
            let desa = wilayah::find_by_kode(conn, kode.trim())?
                .filter(|row| {
                    row.tingkat == 4 && row.kode.starts_with(&format!("{}.", scope.kode_kabkota))
                })
                .ok_or_else(|| {
                    ServiceError::Invalid(Message::new(MessageKey::DesaNotInDistrict).arg(kode))
                })?;
            budget::add_manual_desa(conn, &scope.kode_kabkota, line_ids, &desa.kode)?;
        }
        let after = serde_json::json!({
            "lines": line_ids,
            "intervensi": intervensi_kode,
            "desa": kode_desa,
            "oleh": source.as_str(),
        });
        audit::record(
            conn,
            actor,
            "tag",
            "budget_line",
            line_ids.len(),
            NOTHING,
            Some(&after),
        )?;
        Ok(lines.len())
    })
}
