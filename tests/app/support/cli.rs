//! Running the `lokus` executable as an operator would, on a test's own database, and the files
//! it is given.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use super::TestDb;

/// `lokus ARGS` against `db`, with `envs` set and the language left at its default.
pub fn lokus(db: &TestDb, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lokus"));
    command
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("LOKUS_LOG", "warn")
        .env_remove("LOKUS_LANG");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("run lokus")
}

/// Writes `bytes` as `name` in a folder of its own, so tests running at once never share a file.
pub fn write_temp(name: &str, bytes: &[u8]) -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "lokus-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("create a folder for the test's file");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the test's file");
    path
}
