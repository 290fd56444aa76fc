//! Rebuilds lokus when a migration is added or removed: `embed_migrations!` reads the folder at
//! compile time, and without this cargo notices only changes to files it already knew.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
