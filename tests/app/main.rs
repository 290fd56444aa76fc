//! Integration tests: lokus as its users and operators meet it, over HTTP and the command line,
//! each test on its own database.

mod support;

mod anthro;
mod auth;
mod baas;
mod baas_desk;
mod baas_export;
mod baas_import;
mod cli;
mod cluster;
mod database;
mod downloads;
mod e2e;
mod errors;
mod examples;
mod hostile;
mod import;
mod import_pipeline;
mod integrity;
mod jobs;
mod phrases;
mod realisasi;
mod realisasi_import;
mod scoping;
mod setup_pages;
mod summary;
