//! The import's two job kinds, for uploads above `import_job_threshold_kb`: the analysis of an
//! upload (the dry run, stored as a batch to preview) and the commit of a previewed batch, of any
//! import kind. Each runs the same pipeline call the request would have run, inside the job's one
//! transaction, in the name of the person who asked, with the job's progress bar; the job page
//! then goes on to the batch's report.

use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::domain::Scope;
use crate::services::error::ServiceResult;
use crate::services::import::{self, CommitOptions, ImportKind, ImportRequest, Stage, Tahapan};
use crate::services::jobs::{JobContext, JobOutcome, Progress};
use crate::services::record_realisation::Rules;

pub const ANALYSE: &str = "import.analyse";
pub const COMMIT: &str = "import.commit";

/// The analysis job's payload: the request, as the upload form gave it (the file travels as the
/// job's input file; the checks' settings are the worker's).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnalysePayload {
    pub kind: ImportKind,
    pub kode_kabkota: String,
    pub tahun: i16,
    pub tahapan: Tahapan,
    pub opd_id: Option<i32>,
    pub sheet: Option<String>,
    pub create_opds: bool,
    pub file_name: String,
    pub max_rows: usize,
}

impl From<&ImportRequest> for AnalysePayload {
    fn from(request: &ImportRequest) -> AnalysePayload {
        AnalysePayload {
            kind: request.kind,
            kode_kabkota: request.kode_kabkota.clone(),
            tahun: request.tahun,
            tahapan: request.tahapan,
            opd_id: request.opd_id,
            sheet: request.sheet.clone(),
            create_opds: request.create_opds,
            file_name: request.file_name.clone(),
            max_rows: request.max_rows,
        }
    }
}

impl AnalysePayload {
    fn request(self, rules: Rules) -> ImportRequest {
        ImportRequest {
            kind: self.kind,
            kode_kabkota: self.kode_kabkota,
            tahun: self.tahun,
            tahapan: self.tahapan,
            opd_id: self.opd_id,
            sheet: self.sheet,
            create_opds: self.create_opds,
            file_name: self.file_name,
            max_rows: self.max_rows,
            rules,
        }
    }
}

/// The commit job's payload: the batch, the scope of the person who asked (an `opd` officer
/// commits only their own OPD's batch, whoever starts the job again) and what they confirmed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommitPayload {
    pub batch_id: i64,
    pub opd_id: Option<i32>,
    #[serde(default)]
    pub confirm_removed_realisation: bool,
}

pub fn commit_payload(batch_id: i64, scope: &Scope, options: &CommitOptions) -> serde_json::Value {
    json!(CommitPayload {
        batch_id,
        opd_id: scope.opd_id,
        confirm_removed_realisation: options.confirm_removed_realisation,
    })
}

fn rules(ctx: &JobContext<'_>) -> Rules {
    Rules {
        fisik_tolerance_percent: ctx.settings.fisik_tolerance_percent,
    }
}

/// The pipeline's stages on one bar: checking the rows and then, for a commit, writing them, each
/// an equal share, counted in the stage's own rows (so the bar only moves forward).
struct StagedProgress<'a> {
    progress: &'a Progress,
    /// 1 for an analysis (checking only), 2 for a commit (checking, then writing)
    stages: u64,
}

impl import::Progress for StagedProgress<'_> {
    fn advance(&self, stage: Stage, done: usize, total: usize) {
        let (done, total) = (done as u64, (total as u64).max(1));
        let before = match stage {
            Stage::Check => 0,
            Stage::Write => self.stages - 1,
        };
        self.progress.set_total(total * self.stages);
        self.progress.set_done(before * total + done.min(total));
    }
}

/// The same bar for the command line (`lokus import ...`), whose one call checks and writes.
pub fn staged(progress: &Progress, writes: bool) -> impl import::Progress + '_ {
    StagedProgress {
        progress,
        stages: if writes { 2 } else { 1 },
    }
}

/// A turn at this process's import gate, the one the web's uploads wait at: an import job holds a
/// workbook in memory like an upload does, so it is one of the `max_concurrent_imports`. It waits
/// (its progress at 0, its heartbeat going) while the turns are taken.
fn import_turn(ctx: &JobContext<'_>) -> import::ImportTurn {
    import::gate(import::gate_limit(
        ctx.settings.max_concurrent_imports,
        None,
    ))
    .turn_blocking()
}

pub fn run_analyse(conn: &mut PgConnection, ctx: &JobContext<'_>) -> ServiceResult<JobOutcome> {
    let _turn = import_turn(ctx);
    let request = ctx.payload::<AnalysePayload>()?.request(rules(ctx));
    let bytes = ctx.input_file(conn)?;
    let progress = staged(ctx.progress, false);
    let report = import::preview(conn, &ctx.owner(), &request, &bytes, &progress)?;
    let batch_id = report.batch_id;
    Ok(JobOutcome {
        result: Some(json!({ "batch_id": batch_id, "rows": report.rows.read })),
        link: batch_id.map(|id| format!("/impor/{id}")),
        file: None,
        batch_id,
    })
}

pub fn run_commit(conn: &mut PgConnection, ctx: &JobContext<'_>) -> ServiceResult<JobOutcome> {
    // the commit analyses the stored file again: the same memory as its preview
    let _turn = import_turn(ctx);
    let payload: CommitPayload = ctx.payload()?;
    let scope = Scope {
        kode_kabkota: ctx.job.kode_kabkota.clone(),
        opd_id: payload.opd_id,
        sponsor_user_id: None,
    };
    let options = CommitOptions {
        confirm_removed_realisation: payload.confirm_removed_realisation,
        rules: rules(ctx),
    };
    let progress = staged(ctx.progress, true);
    let report = import::commit_preview(
        conn,
        &ctx.owner(),
        &scope,
        payload.batch_id,
        &options,
        &progress,
    )?;
    Ok(JobOutcome {
        result: Some(json!({ "batch_id": payload.batch_id, "rows": report.rows.accepted })),
        link: Some(format!("/impor/{}?disimpan=1", payload.batch_id)),
        file: None,
        batch_id: Some(payload.batch_id),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::import::Progress as _;

    #[test]
    fn a_commit_fills_half_the_bar_checking_and_the_rest_writing() {
        let progress = Progress::default();
        let staged = staged(&progress, true);
        staged.advance(Stage::Check, 10_000, 20_000);
        assert_eq!(progress.get(), (10_000, Some(40_000)));
        staged.advance(Stage::Check, 20_000, 20_000);
        staged.advance(Stage::Write, 0, 240_000);
        assert_eq!(progress.get(), (240_000, Some(480_000)));
        staged.advance(Stage::Write, 240_000, 240_000);
        assert_eq!(progress.get(), (480_000, Some(480_000)));
        let analysis = Progress::default();
        super::staged(&analysis, false).advance(Stage::Check, 5, 10);
        assert_eq!(analysis.get(), (5, Some(10)));
    }
}
