//! lokus: stunting-reduction budget and BAAS tracking for an Indonesian kabupaten/kota.
//! The binary (`src/main.rs`) only calls `cli::main`; tests and benchmarks use this library.

pub mod bench;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod server;
pub mod services;
pub mod spreadsheet;
pub mod state;
pub mod table;
pub mod web;
// baas: WHO z-scores for tables of measurements (`lokus anthro`)
pub mod anthro;
