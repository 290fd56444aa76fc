//! Imports: one pipeline (`pipeline.rs`: gate, batch, dry run, commit, error workbook) that every
//! kind of uploaded file goes through, each kind its own column specifications, row rules and
//! writer (`workplan.rs`, `realisation.rs`), and the report they all fill (`report.rs`).

mod baas_anak;
mod baas_sponsor;
mod pipeline;
mod realisation;
mod report;
mod workplan;

pub use baas_anak::{TEMPLATE_HEADERS as BAAS_ANAK_HEADERS, baas_template};
pub use baas_sponsor::{TEMPLATE_HEADERS as BAAS_SPONSOR_HEADERS, sponsor_template};
pub use pipeline::{
    Analysis, CommitOptions, FILE_NAME_LIMIT, ImportGate, ImportRequest, ImportTurn, Progress,
    Silent, Stage, analyse, analyse_with, commit_preview, error_workbook, expire_previews, gate,
    gate_limit, import_now, preview, report_notes, request_of, sha256_hex,
};
pub use realisation::realisation_form;
pub use report::*;
pub use workplan::template_for;

/// The budget stage lives in `domain`; it is re-exported here because every import names one.
pub use crate::domain::{ImportKind, Tahapan};
