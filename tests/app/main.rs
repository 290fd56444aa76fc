//! Integration tests: lokus as its users and operators meet it, over HTTP and the command line,
//! each test on its own database.

mod support;

mod auth;
mod cli;
mod cluster;
mod database;
mod e2e;
mod examples;
mod impor;
mod phrases;
mod scoping;
mod setup_pages;
