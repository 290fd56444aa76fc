//! The private PostgreSQL cluster lokus runs when no `DATABASE_URL` is given: `initdb` + `pg_ctl`
//! from the machine's PostgreSQL packages, on a Unix socket inside the data folder only.
//! It must not touch any other cluster, listen on TCP, or run the server as root.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "PostgreSQL server programs (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin. \
         Install them (Debian/Ubuntu: `apt-get install postgresql`), or set DATABASE_URL to an existing server."
    )]
    BinariesMissing,
    #[error(
        "lokus runs as root, so its private PostgreSQL must run as the system user `{0}`, which does not exist. \
         Create it, set LOKUS_EMBEDDED_PG_USER to another unprivileged user, or set DATABASE_URL."
    )]
    NoUnprivilegedUser(String),
    #[error(
        "the socket path {0} is too long for a Unix socket (107 bytes at most); move the data folder \
         (LOKUS_DATA_DIR) to a shorter path"
    )]
    SocketPathTooLong(PathBuf),
    #[error(
        "the system user `{user}` cannot reach {dir}: a parent folder is closed to other users \
         (for example /root). Set LOKUS_DATA_DIR to a folder it can reach, such as /var/lib/lokus"
    )]
    Unreachable { user: String, dir: PathBuf },
    #[error("{step} failed: {detail}")]
    Command { step: String, detail: String },
    #[error("cannot prepare {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A running private cluster. Dropping it stops the server if this process started it.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    data_dir: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<String>,
    started_here: bool,
}

impl EmbeddedPostgres {
    /// Initialises the cluster in `data_dir` when it is new, and starts it unless it already runs.
    pub fn start(
        data_dir: &Path,
        unprivileged_user: &str,
    ) -> Result<EmbeddedPostgres, EmbeddedError> {
        let bin_dir = find_server_binaries().ok_or(EmbeddedError::BinariesMissing)?;
        std::fs::create_dir_all(data_dir).map_err(|source| EmbeddedError::Io {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(|source| EmbeddedError::Io {
                path: data_dir.to_path_buf(),
                source,
            })?;
        let socket = data_dir.join(".s.PGSQL.5432");
        if socket.as_os_str().len() > 107 {
            return Err(EmbeddedError::SocketPathTooLong(socket));
        }
        let run_as = if running_as_root() {
            if !system_user_exists(unprivileged_user) {
                return Err(EmbeddedError::NoUnprivilegedUser(
                    unprivileged_user.to_owned(),
                ));
            }
            chown_recursive(&data_dir, unprivileged_user)?;
            if !user_can_enter(unprivileged_user, &data_dir) {
                return Err(EmbeddedError::Unreachable {
                    user: unprivileged_user.to_owned(),
                    dir: data_dir,
                });
            }
            Some(unprivileged_user.to_owned())
        } else {
            None
        };
        let mut cluster = EmbeddedPostgres {
            data_dir,
            bin_dir,
            run_as,
            started_here: false,
        };
        if !cluster.data_dir.join("PG_VERSION").exists() {
            cluster.initdb()?;
        }
        if !cluster.is_running() {
            cluster.pg_ctl_start()?;
            cluster.started_here = true;
        }
        Ok(cluster)
    }

    /// A libpq URL for `database` on this cluster's socket.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@/{database}?host={}",
            self.data_dir.display()
        )
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn is_running(&self) -> bool {
        self.run("pg_ctl", &["status", "-D", &self.data_dir_str()])
            .map(|output| output.status.success())
            .unwrap_or(false)
    }

    /// Leaves the server running when this handle is dropped (for a cluster shared by test runs).
    pub fn keep_running(&mut self) {
        self.started_here = false;
    }

    /// Fast shutdown: open sessions are ended, the data is flushed.
    pub fn stop(&mut self) -> Result<(), EmbeddedError> {
        self.started_here = false;
        let output = self.run(
            "pg_ctl",
            &[
                "stop",
                "-D",
                &self.data_dir_str(),
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
            ],
        )?;
        check("pg_ctl stop", &output)
    }

    fn initdb(&self) -> Result<(), EmbeddedError> {
        let output = self.run(
            "initdb",
            &[
                "-D",
                &self.data_dir_str(),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
            ],
        )?;
        check("initdb", &output)
    }

    fn pg_ctl_start(&self) -> Result<(), EmbeddedError> {
        let data_dir = self.data_dir_str();
        let options = format!("-c listen_addresses='' -k {data_dir} -c port=5432");
        let log = format!("{data_dir}/server.log");
        let output = self.run(
            "pg_ctl",
            &[
                "start", "-D", &data_dir, "-l", &log, "-w", "-t", "60", "-o", &options,
            ],
        )?;
        check("pg_ctl start", &output).map_err(|error| match std::fs::read_to_string(&log) {
            Ok(text) => EmbeddedError::Command {
                step: "pg_ctl start".into(),
                detail: format!(
                    "{error}; server log: {}",
                    text.lines().rev().take(5).collect::<Vec<_>>().join(" | ")
                ),
            },
            Err(_) => error,
        })
    }

    fn data_dir_str(&self) -> String {
        self.data_dir.display().to_string()
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<Output, EmbeddedError> {
        let binary = self.bin_dir.join(program);
        let mut command = match &self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&binary);
                command
            }
            None => Command::new(&binary),
        };
        command
            .args(args)
            // the server must not inherit a working directory it cannot read
            .current_dir(&self.data_dir)
            .output()
            .map_err(|source| EmbeddedError::Io {
                path: binary,
                source,
            })
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        if self.started_here
            && let Err(error) = self.stop()
        {
            tracing::warn!(%error, "could not stop the private PostgreSQL cluster");
        }
    }
}

/// `initdb` on PATH, else the newest `/usr/lib/postgresql/<version>/bin`.
pub fn find_server_binaries() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(path) = std::env::var_os("PATH")
        && let Some(dir) = std::env::split_paths(&path).find(|dir| has_tools(dir))
    {
        return Some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            has_tools(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn running_as_root() -> bool {
    // /proc/self belongs to the effective user of this process
    std::fs::metadata("/proc/self")
        .map(|meta| meta.uid() == 0)
        .unwrap_or(false)
}

/// Whether `user` can open `dir`: every parent folder must let it pass.
fn user_can_enter(user: &str, dir: &Path) -> bool {
    Command::new("runuser")
        .args(["-u", user, "--", "test", "-r"])
        .arg(dir)
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false)
}

fn system_user_exists(user: &str) -> bool {
    Command::new("id")
        .arg("-u")
        .arg(user)
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false)
}

fn chown_recursive(dir: &Path, user: &str) -> Result<(), EmbeddedError> {
    let output = Command::new("chown")
        .arg("-R")
        .arg(format!("{user}:"))
        .arg(dir)
        .output()
        .map_err(|source| EmbeddedError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    check("chown", &output)?;
    let permissions = std::os::unix::fs::PermissionsExt::from_mode(0o700);
    std::fs::set_permissions(dir, permissions).map_err(|source| EmbeddedError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

fn check(step: &str, output: &Output) -> Result<(), EmbeddedError> {
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    Err(EmbeddedError::Command {
        step: step.to_owned(),
        detail: format!("{} {}", stderr.trim(), stdout.trim())
            .trim()
            .to_owned(),
    })
}
