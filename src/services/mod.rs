//! Operations used by both the web and the command line that span tables or need a transaction.
//! Every change goes through here so that it is audited in the same transaction.

pub mod activity_log;
pub mod auth;
pub mod demo;
pub mod error;
pub mod import;
pub mod import_jobs;
pub mod jobs;
pub mod record_realisation;
pub mod reference_data;
pub mod setup;
pub mod startup;
pub mod tag_budget_lines;
// summary: the summary's data and tables, and the realisation workbook (read-only)
pub mod summary_report;
// the realisation workbook of a large selection, as a background job
pub mod summary_jobs;
// baas
pub mod baas;
// baas-import: the BAAS workbook
pub mod baas_export;
