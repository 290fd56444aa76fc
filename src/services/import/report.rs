//! The report of an import of any kind: what was read, each problem at its row and column, the
//! change it makes, as the preview page shows it, the batch stores it and `--json` prints it. The
//! workplan kind's sections (OPDs, pagu totals, line diff) and the realisation kind's (month diff)
//! sit beside the shared ones; a kind leaves the others' empty.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::db::budget_line::ImportBatch;
use crate::i18n::{Language, Message, MessageKey};

/// One problem, located the way a spreadsheet user finds it.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Issue {
    #[serde(default)]
    pub sheet: String,
    #[serde(default)]
    pub row: u32,
    /// Column letter (`H`), or none for a problem of the whole row.
    #[serde(default)]
    pub column: Option<String>,
    /// lokus's stable name of the field (`pagu`, `desa_lokus`), for programs reading the JSON.
    #[serde(default)]
    pub field: String,
    /// The field as the person sees it: the column's header in their file. Empty for a problem
    /// of the whole file, and in reports stored before it existed.
    #[serde(default)]
    pub header: String,
    #[serde(deserialize_with = "message_or_text", default = "unknown_message")]
    pub message: Message,
}

impl Issue {
    /// The field as the page shows it: the file's header; nothing for a problem of the whole
    /// file (its `field` is an internal word); lokus's field name in reports stored before
    /// headers were kept.
    pub fn shown_field(&self) -> &str {
        if !self.header.is_empty() {
            &self.header
        } else if self.column.is_none() {
            ""
        } else {
            &self.field
        }
    }
}

fn unknown_message() -> Message {
    MessageKey::UnknownMessage.into()
}

/// A stored message: a catalogue message, or the Indonesian sentence an earlier version stored.
fn message_or_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Message, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Keyed(Message),
        Text(String),
    }
    Ok(
        match <Stored as serde::Deserialize>::deserialize(deserializer)? {
            Stored::Keyed(message) => message,
            Stored::Text(text) => Message::new(MessageKey::StoredText).arg(text),
        },
    )
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RowCounts {
    pub read: usize,
    pub accepted: usize,
    pub skipped: usize,
    pub rejected: usize,
}

/// An OPD's share of the file.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct OpdShare {
    pub kode: String,
    pub nama: String,
    pub rows: usize,
    pub pagu: String,
    /// Not yet known to lokus (created at commit when asked to).
    pub new: bool,
}

/// How the file differs from an OPD's current workplan.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Diff {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub total_before: String,
    pub total_after: String,
    /// Removed lines that hold realisation, and its keuangan: the commit needs a confirmation.
    pub removed_with_realisasi: usize,
    pub removed_realisasi: String,
    /// The first few hundred changes, for people to read.
    pub changes: Vec<LineChange>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LineChange {
    /// `tambah`, `hapus` or `ubah`.
    pub kind: String,
    pub opd: String,
    pub sub_kegiatan_kode: String,
    pub kode_rekening: String,
    pub uraian: String,
    pub pagu_before: Option<String>,
    pub pagu_after: Option<String>,
    /// A removed line's realisation so far, which moves with it to "removed".
    pub realisasi: Option<String>,
}

/// What a realisation import changes: every month it replaces, for the lines in the file.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RealisasiDiff {
    /// Lines of the file whose months change.
    pub lines_changed: usize,
    pub months_changed: usize,
    /// Keuangan of the changed months before and after (the rest of the year stays).
    pub total_before: String,
    pub total_after: String,
    /// The first few hundred changed months, for people to read.
    pub changes: Vec<MonthDiff>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct MonthDiff {
    pub line_id: i64,
    pub sub_kegiatan_kode: String,
    pub kode_rekening: String,
    pub uraian: String,
    pub bulan: i16,
    pub keuangan_before: Option<String>,
    pub keuangan_after: Option<String>,
    pub fisik_before: Option<String>,
    pub fisik_after: Option<String>,
}

/// What a BAAS children import registers (helper "baas-import"): the children, their first
/// measurement each, and the consent recorded with them. Only the masked NIK is kept here.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct BaasReport {
    pub children: usize,
    pub measurements: usize,
    /// Who the consent of the parents is recorded for and when: the person who committed, filled
    /// at the commit (empty in a preview: whoever commits).
    pub persetujuan_oleh: String,
    pub persetujuan_tanggal: String,
    /// The first few hundred children, for people to read.
    pub rows: Vec<BaasChildLine>,
    /// The sponsors kind: how many, and the first few hundred.
    pub sponsors: usize,
    pub sponsor_rows: Vec<BaasSponsorLine>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct BaasSponsorLine {
    pub row: u32,
    pub nama: String,
    pub jenis: String,
    pub kontak: String,
    pub janji_anak: i32,
    pub janji_bulan: i16,
    pub janji_rupiah_per_bulan: String,
    /// children x months x Rupiah
    pub janji_total: String,
    pub login: String,
    /// The sponsor's id once committed.
    pub sponsor_id: Option<i32>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct BaasChildLine {
    pub row: u32,
    pub nama: String,
    pub nik_masked: String,
    pub jk: String,
    pub tgl_lahir: String,
    pub kode_desa: String,
    pub desa: String,
    pub tanggal_ukur: Option<String>,
    pub bb: Option<String>,
    pub tb: Option<String>,
    /// TB/U z-score (2 decimals) and its Permenkes category, when assessable.
    pub zs_tbu: Option<String>,
    pub status_tbu: Option<String>,
    /// The child's id once committed.
    pub child_id: Option<i32>,
}

/// The shape of the stored report. A field added later takes its default when an older report
/// is read (every struct here is `#[serde(default)]`), so adding one needs no migration; bump the
/// version when a field changes meaning, and read the old meaning where `version` says so.
pub const REPORT_VERSION: u32 = 2;

/// At most this many errors, and as many warnings, are kept in a report (the counts stay exact):
/// a 200,000-row file of errors would otherwise store 200,000 sentences with its batch.
pub const ISSUES_KEPT: usize = 1_000;

/// The report of an import, as the preview page shows it and `--json` prints it.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ImportReport {
    /// [`REPORT_VERSION`] when written; 0 for reports stored before versions (version 1's shape).
    pub version: u32,
    /// The import kind (`workplan`, `realisasi`); empty in reports stored before kinds (workplans).
    pub kind: String,
    /// `dry_run`, `committed` or `rejected`.
    pub status: String,
    pub file_name: String,
    pub sha256: String,
    pub sheet: String,
    pub header_row: u32,
    pub layout: String,
    pub tahun: i16,
    pub tahapan: String,
    pub rows: RowCounts,
    pub total_pagu: String,
    pub pagu_by_jenis: BTreeMap<String, String>,
    pub pagu_by_intervensi: BTreeMap<String, String>,
    pub skipped_by_reason: BTreeMap<String, usize>,
    /// The first [`ISSUES_KEPT`] errors; `error_count` says how many there were.
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
    pub error_count: usize,
    pub warning_count: usize,
    pub opds: Vec<OpdShare>,
    /// Rows of other OPDs left out of an `opd` user's (or `--opd`) import of a SIPD export.
    pub other_opds: Vec<OpdShare>,
    /// Rows whose OPD lokus does not know (errors unless the import creates them).
    pub unknown_opds: Vec<OpdShare>,
    pub diff: Diff,
    /// The realisation kind's change: the months it replaces, before and after.
    pub realisasi: RealisasiDiff,
    /// The BAAS children kind's registrations.
    pub baas: BaasReport,
    /// An earlier committed import of exactly this file.
    pub same_file_as: Option<i64>,
    pub batch_id: Option<i64>,
}

impl ImportReport {
    /// How many errors the file had (older reports kept them all and no count).
    pub fn error_total(&self) -> usize {
        self.error_count.max(self.errors.len())
    }

    pub fn warning_total(&self) -> usize {
        self.warning_count.max(self.warnings.len())
    }
}

/// The report a batch stored, whatever version of lokus stored it. A report that cannot be read
/// at all (a shape this version does not know) is rebuilt from the batch's own columns, with a
/// warning saying so: an old batch's page never fails.
pub fn stored_report(batch: &ImportBatch) -> ImportReport {
    match serde_json::from_value::<ImportReport>(batch.report.clone()) {
        Ok(report) => report,
        Err(error) => {
            tracing::warn!(batch = batch.id, %error, "stored import report unreadable; showing the batch's columns");
            let count = |n: i32| usize::try_from(n).unwrap_or_default();
            ImportReport {
                kind: batch.kind.to_string(),
                status: batch.status.to_string(),
                file_name: batch.file_name.clone(),
                sha256: batch.sha256.clone(),
                sheet: batch.sheet.clone().unwrap_or_default(),
                tahun: batch.tahun,
                tahapan: batch.tahapan.to_string(),
                rows: RowCounts {
                    read: count(batch.rows_read),
                    accepted: count(batch.rows_accepted),
                    skipped: count(batch.rows_skipped),
                    rejected: count(batch.rows_rejected),
                },
                total_pagu: money(batch.total_pagu),
                warnings: vec![Issue {
                    sheet: String::new(),
                    row: 0,
                    column: None,
                    field: "laporan".to_owned(),
                    header: String::new(),
                    message: MessageKey::ImportReportUnreadable.into(),
                }],
                warning_count: 1,
                batch_id: Some(batch.id),
                ..ImportReport::default()
            }
        }
    }
}

/// The report as `--json` prints it: each message rendered in `language`, with its catalogue key
/// beside it (`message_key`) for programs that match on it.
pub fn report_json(report: &ImportReport, language: Language) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap_or(serde_json::Value::Null);
    for (name, issues) in [("errors", &report.errors), ("warnings", &report.warnings)] {
        let Some(serde_json::Value::Array(items)) = value.get_mut(name) else {
            continue;
        };
        for (item, issue) in items.iter_mut().zip(issues) {
            if let Some(object) = item.as_object_mut() {
                object.insert("message".to_owned(), issue.message.render(language).into());
                object.insert("message_key".to_owned(), issue.message.key.name().into());
            }
        }
    }
    value
}

/// Money in the report: always two decimals, as text, so JSON readers never meet a float.
pub fn money(value: Decimal) -> String {
    let mut value =
        value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    value.rescale(2);
    value.to_string()
}

/// How a stored skip-reason key reads (the report keeps the stable key).
pub fn skip_reason_message(key: &str) -> Message {
    let key = match key {
        "kosong" => MessageKey::SkipBlank,
        "penomoran_kolom" => MessageKey::SkipNumbering,
        "subtotal" => MessageKey::SkipSubtotal,
        "jumlah" => MessageKey::SkipTotal,
        "contoh" => MessageKey::SkipExample,
        "opd_lain" => MessageKey::SkipOtherOpd,
        other => return Message::new(MessageKey::StoredText).arg(other.replace('_', " ")),
    };
    Message::new(key)
}

/// How a batch or report status reads.
pub fn status_message(status: &str) -> Message {
    Message::new(match status {
        "preview" | "dry_run" => MessageKey::ImportStatusPreview,
        "committed" => MessageKey::ImportStatusCommitted,
        "rejected" => MessageKey::ImportStatusRejected,
        _ => MessageKey::ImportStatusDiscarded,
    })
}

/// How the report's layout key reads.
pub fn layout_message(layout: &str) -> Message {
    match layout {
        "sipd" => MessageKey::LayoutSipd.into(),
        "formulir" => MessageKey::LayoutRealisasiForm.into(),
        "keuangan" => MessageKey::LayoutFinanceExport.into(),
        "baas_anak" => MessageKey::LayoutBaasAnak.into(),
        "baas_sponsor" => MessageKey::LayoutBaasSponsor.into(),
        _ => MessageKey::LayoutTable.into(),
    }
}

/// How a change's kind (`tambah`, `ubah`, `hapus`) reads.
pub fn change_kind_message(kind: &str) -> Message {
    Message::new(match kind {
        "tambah" => MessageKey::DiffAdded,
        "hapus" => MessageKey::DiffRemoved,
        _ => MessageKey::DiffChanged,
    })
}

/// The one-line summary of a diff.
pub fn diff_summary(diff: &Diff) -> Message {
    use crate::domain::format::rupiah;
    Message::new(MessageKey::DiffSummary)
        .arg(diff.added)
        .arg(diff.changed)
        .arg(diff.removed)
        .arg(diff.unchanged)
        .arg(rupiah(diff.total_before.parse().unwrap_or_default()))
        .arg(rupiah(diff.total_after.parse().unwrap_or_default()))
}
