//! Excel workbooks: the workplan columns, reading an uploaded workbook, and what lokus writes
//! (list downloads, the workplan template, the annotated error workbook).

pub mod annotate;
pub mod columns;
pub mod read;
pub mod realisasi_form;
pub mod template;
pub mod write;
// summary: the realisation workbook
pub mod summary_workbook;
// baas-import: the children template and the BAAS export
pub mod baas_workbook;
