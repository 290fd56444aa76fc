//! The import's two job kinds, for uploads above `import_job_threshold_kb`: the analysis of an
//! upload (the dry run, stored as a batch to preview) and the commit of a previewed batch. Each runs
//! the same service the request would have run, inside the job's one transaction, in the name of
//! the person who asked; the job page then links to the batch's report.

use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::domain::{Scope, Tahapan};
use crate::services::error::ServiceResult;
use crate::services::import_workplan::{self, ImportRequest};
use crate::services::jobs::{JobContext, JobOutcome};

pub const ANALYSE: &str = "import.analyse";
pub const COMMIT: &str = "import.commit";

/// The analysis job's payload: the request, as the upload form gave it (the file travels as the
/// job's input file).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnalysePayload {
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
    fn request(self) -> ImportRequest {
        ImportRequest {
            kode_kabkota: self.kode_kabkota,
            tahun: self.tahun,
            tahapan: self.tahapan,
            opd_id: self.opd_id,
            sheet: self.sheet,
            create_opds: self.create_opds,
            file_name: self.file_name,
            max_rows: self.max_rows,
        }
    }
}

/// The commit job's payload: the batch, and the scope of the person who asked (an `opd` officer
/// commits only their own OPD's batch, whoever starts the job again).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommitPayload {
    pub batch_id: i64,
    pub opd_id: Option<i32>,
}

pub fn commit_payload(batch_id: i64, scope: &Scope) -> serde_json::Value {
    json!(CommitPayload {
        batch_id,
        opd_id: scope.opd_id,
    })
}

pub fn run_analyse(conn: &mut PgConnection, ctx: &JobContext<'_>) -> ServiceResult<JobOutcome> {
    let request = ctx.payload::<AnalysePayload>()?.request();
    let bytes = ctx.input_file(conn)?;
    let report = import_workplan::preview(conn, &ctx.owner(), &request, &bytes)?;
    let batch_id = report.batch_id;
    Ok(JobOutcome {
        result: Some(json!({ "batch_id": batch_id, "rows": report.rows.read })),
        link: batch_id.map(|id| format!("/impor/{id}")),
        file: None,
        batch_id,
    })
}

pub fn run_commit(conn: &mut PgConnection, ctx: &JobContext<'_>) -> ServiceResult<JobOutcome> {
    let payload: CommitPayload = ctx.payload()?;
    let scope = Scope {
        kode_kabkota: ctx.job.kode_kabkota.clone(),
        opd_id: payload.opd_id,
    };
    let report = import_workplan::commit_preview(conn, &ctx.owner(), &scope, payload.batch_id)?;
    Ok(JobOutcome {
        result: Some(json!({ "batch_id": payload.batch_id, "rows": report.rows.accepted })),
        link: Some(format!("/impor/{}?disimpan=1", payload.batch_id)),
        file: None,
        batch_id: Some(payload.batch_id),
    })
}
