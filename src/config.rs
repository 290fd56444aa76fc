//! Settings: defaults -> optional `lokus.toml` -> `LOKUS_*` environment, validated once and passed in.
//! Nothing here is global; secrets are wrapped so that no `{:?}` can print them.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A value that must never reach a log line or a terminal.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// `None`: run a private PostgreSQL cluster under `data_dir/postgres`.
    pub database_url: Option<Secret>,
    pub addr: SocketAddr,
    /// Where lokus keeps its own files (private database cluster, uploaded originals).
    pub data_dir: PathBuf,
    /// The unprivileged system user the private cluster runs as when lokus runs as root.
    pub embedded_pg_user: String,
    pub session_idle_minutes: u32,
    /// `Secure` flag on cookies; turn off only for plain-http access from another machine.
    pub cookie_secure: bool,
    pub max_upload_mb: u32,
    /// Sheets with more rows than this are refused before they are checked.
    pub max_import_rows: usize,
    /// An upload not committed within this many hours is discarded (status `discarded`, its file
    /// dropped); rejected uploads likewise.
    pub preview_ttl_hours: u32,
    /// How many imports one process reads and checks at a time; more wait their turn. Each holds
    /// its workbook in memory, so this bounds a server's import memory (docs/ARCHITECTURE.md).
    pub max_concurrent_imports: usize,
    pub workers: Option<usize>,
    pub log: String,
    /// How far (in percent) a line's cumulative capaian fisik may pass its target before realisation
    /// warns; 0 warns at the first unit above the target.
    pub fisik_tolerance_percent: u32,
    // --- background jobs (helper "jobs") ---
    /// Threads of `lokus serve` that work on queued jobs, each with two connections of its own
    /// (not the web's pool); 0 leaves the work to other processes (`lokus jobs work`).
    pub job_workers: usize,
    /// A running job whose worker has not said it is alive for this long is failed as interrupted.
    pub job_stale_seconds: u32,
    /// Imports whose file is larger than this (KiB) are analysed and committed as jobs, with a
    /// progress bar; smaller ones within the request. 0: every import runs as a job.
    pub import_job_threshold_kb: u32,
    /// A realisation workbook of more budget lines than this is written as a background job, with
    /// a progress bar and the file kept on the job's page; smaller ones within the request.
    pub export_job_threshold_lines: u32,
    /// A finished job's result file is kept this many days after the job ended, then dropped by
    /// the workers' housekeeping (the job stays, its page says the file has expired).
    pub job_file_ttl_days: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            database_url: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("var"),
            embedded_pg_user: "postgres".to_owned(),
            session_idle_minutes: 8 * 60,
            cookie_secure: true,
            max_upload_mb: 50,
            max_import_rows: 200_000,
            preview_ttl_hours: 24,
            max_concurrent_imports: 2,
            workers: None,
            log: "info".to_owned(),
            fisik_tolerance_percent: 0,
            job_workers: 1,
            job_stale_seconds: 60,
            import_job_threshold_kb: 512,
            export_job_threshold_lines: 10_000,
            job_file_ttl_days: 14,
        }
    }
}

/// The optional file and the environment share these names (`addr` <-> `LOKUS_ADDR`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Layer {
    database_url: Option<String>,
    addr: Option<String>,
    data_dir: Option<PathBuf>,
    embedded_pg_user: Option<String>,
    session_idle_minutes: Option<u32>,
    cookie_secure: Option<bool>,
    max_upload_mb: Option<u32>,
    max_import_rows: Option<usize>,
    preview_ttl_hours: Option<u32>,
    max_concurrent_imports: Option<usize>,
    workers: Option<usize>,
    log: Option<String>,
    fisik_tolerance_percent: Option<u32>,
    job_workers: Option<usize>,
    job_stale_seconds: Option<u32>,
    import_job_threshold_kb: Option<u32>,
    export_job_threshold_lines: Option<u32>,
    job_file_ttl_days: Option<u32>,
}

const KEYS: [&str; 18] = [
    "database_url",
    "addr",
    "data_dir",
    "embedded_pg_user",
    "session_idle_minutes",
    "cookie_secure",
    "max_upload_mb",
    "max_import_rows",
    "preview_ttl_hours",
    "max_concurrent_imports",
    "workers",
    "log",
    "fisik_tolerance_percent",
    "job_workers",
    "job_stale_seconds",
    "import_job_threshold_kb",
    "export_job_threshold_lines",
    "job_file_ttl_days",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("configuration file {path} is invalid: {message}")]
    File { path: PathBuf, message: String },
    #[error("{name} is invalid: {message}")]
    Value { name: String, message: String },
}

/// What loading found besides the settings: things worth a warning at start.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub file: Option<PathBuf>,
    pub unknown_env: Vec<String>,
}

impl Settings {
    /// Loads from `config_file` (or `./lokus.toml` when it exists) and the given environment.
    pub fn load(
        config_file: Option<&Path>,
        env: &HashMap<String, String>,
    ) -> Result<(Settings, LoadReport), ConfigError> {
        let mut settings = Settings::default();
        let mut report = LoadReport::default();

        let default_file = Path::new("lokus.toml");
        let file = config_file
            .map(Path::to_path_buf)
            .or_else(|| default_file.exists().then(|| default_file.to_path_buf()));
        if let Some(path) = file {
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            let layer: Layer = toml::from_str(&text).map_err(|error| ConfigError::File {
                path: path.clone(),
                message: error.message().to_owned(),
            })?;
            settings.apply(layer, "lokus.toml")?;
            report.file = Some(path);
        }

        let mut env_layer = Layer::default();
        for (name, value) in env {
            let Some(key) = name.strip_prefix("LOKUS_") else {
                continue;
            };
            let key = key.to_lowercase();
            if !KEYS.contains(&key.as_str()) {
                // read by the command line itself, not a setting
                if !matches!(key.as_str(), "config" | "lang") {
                    report.unknown_env.push(name.clone());
                }
                continue;
            }
            env_layer
                .set(&key, value)
                .map_err(|message| ConfigError::Value {
                    name: name.clone(),
                    message,
                })?;
        }
        // The conventional name wins over nothing, but an explicit LOKUS_DATABASE_URL wins over it.
        if env_layer.database_url.is_none() {
            env_layer.database_url = env.get("DATABASE_URL").cloned();
        }
        settings.apply(env_layer, "environment")?;
        report.unknown_env.sort();
        Ok((settings, report))
    }

    fn apply(&mut self, layer: Layer, origin: &str) -> Result<(), ConfigError> {
        // Name the setting the way the operator wrote it: LOKUS_ADDR, or addr in lokus.toml.
        let invalid = |name: &str, message: String| ConfigError::Value {
            name: if origin == "environment" {
                format!("LOKUS_{}", name.to_uppercase())
            } else {
                format!("{name} in {origin}")
            },
            message,
        };
        if let Some(url) = layer.database_url.filter(|url| !url.trim().is_empty()) {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(invalid(
                    "database_url",
                    "must start with postgres:// or postgresql://".into(),
                ));
            }
            self.database_url = Some(Secret::new(url));
        }
        if let Some(addr) = layer.addr {
            self.addr = addr
                .parse()
                .map_err(|_| invalid("addr", format!("`{addr}` is not host:port")))?;
        }
        if let Some(dir) = layer.data_dir {
            self.data_dir = dir;
        }
        if let Some(user) = layer.embedded_pg_user {
            self.embedded_pg_user = user;
        }
        if let Some(minutes) = layer.session_idle_minutes {
            if minutes == 0 {
                return Err(invalid("session_idle_minutes", "must be above 0".into()));
            }
            self.session_idle_minutes = minutes;
        }
        if let Some(secure) = layer.cookie_secure {
            self.cookie_secure = secure;
        }
        if let Some(mb) = layer.max_upload_mb {
            if mb == 0 || mb > 1024 {
                return Err(invalid(
                    "max_upload_mb",
                    "must be between 1 and 1024".into(),
                ));
            }
            self.max_upload_mb = mb;
        }
        if let Some(rows) = layer.max_import_rows {
            if rows == 0 {
                return Err(invalid("max_import_rows", "must be above 0".into()));
            }
            self.max_import_rows = rows;
        }
        if let Some(hours) = layer.preview_ttl_hours {
            if hours == 0 {
                return Err(invalid("preview_ttl_hours", "must be above 0".into()));
            }
            self.preview_ttl_hours = hours;
        }
        if let Some(imports) = layer.max_concurrent_imports {
            if imports == 0 || imports > 64 {
                return Err(invalid(
                    "max_concurrent_imports",
                    "must be between 1 and 64".into(),
                ));
            }
            self.max_concurrent_imports = imports;
        }
        if let Some(workers) = layer.workers {
            if workers == 0 {
                return Err(invalid("workers", "must be above 0".into()));
            }
            self.workers = Some(workers);
        }
        if let Some(log) = layer.log {
            self.log = log;
        }
        if let Some(percent) = layer.fisik_tolerance_percent {
            if percent > 1000 {
                return Err(invalid(
                    "fisik_tolerance_percent",
                    "must be between 0 and 1000".into(),
                ));
            }
            self.fisik_tolerance_percent = percent;
        }
        if let Some(workers) = layer.job_workers {
            if workers > 16 {
                return Err(invalid("job_workers", "must be between 0 and 16".into()));
            }
            self.job_workers = workers;
        }
        if let Some(seconds) = layer.job_stale_seconds {
            if !(5..=86_400).contains(&seconds) {
                return Err(invalid(
                    "job_stale_seconds",
                    "must be between 5 and 86400".into(),
                ));
            }
            self.job_stale_seconds = seconds;
        }
        if let Some(kb) = layer.import_job_threshold_kb {
            self.import_job_threshold_kb = kb;
        }
        if let Some(lines) = layer.export_job_threshold_lines {
            self.export_job_threshold_lines = lines;
        }
        if let Some(days) = layer.job_file_ttl_days {
            if !(1..=3_650).contains(&days) {
                return Err(invalid(
                    "job_file_ttl_days",
                    "must be between 1 and 3650".into(),
                ));
            }
            self.job_file_ttl_days = days;
        }
        Ok(())
    }
}

impl Layer {
    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        fn number<T: std::str::FromStr>(value: &str) -> Result<T, String> {
            value
                .trim()
                .parse()
                .map_err(|_| format!("`{value}` is not a whole number"))
        }
        match key {
            "database_url" => self.database_url = Some(value.to_owned()),
            "addr" => self.addr = Some(value.to_owned()),
            "data_dir" => self.data_dir = Some(PathBuf::from(value)),
            "embedded_pg_user" => self.embedded_pg_user = Some(value.to_owned()),
            "session_idle_minutes" => self.session_idle_minutes = Some(number(value)?),
            "cookie_secure" => {
                self.cookie_secure = Some(match value.trim().to_lowercase().as_str() {
                    "1" | "true" | "yes" | "on" => true,
                    "0" | "false" | "no" | "off" => false,
                    _ => return Err(format!("`{value}` is not true or false")),
                })
            }
            "max_upload_mb" => self.max_upload_mb = Some(number(value)?),
            "max_import_rows" => self.max_import_rows = Some(number(value)?),
            "preview_ttl_hours" => self.preview_ttl_hours = Some(number(value)?),
            "max_concurrent_imports" => self.max_concurrent_imports = Some(number(value)?),
            "workers" => self.workers = Some(number(value)?),
            "log" => self.log = Some(value.to_owned()),
            "fisik_tolerance_percent" => self.fisik_tolerance_percent = Some(number(value)?),
            "job_workers" => self.job_workers = Some(number(value)?),
            "job_stale_seconds" => self.job_stale_seconds = Some(number(value)?),
            "import_job_threshold_kb" => self.import_job_threshold_kb = Some(number(value)?),
            "export_job_threshold_lines" => self.export_job_threshold_lines = Some(number(value)?),
            "job_file_ttl_days" => self.job_file_ttl_days = Some(number(value)?),
            _ => unreachable!("keys are checked against KEYS first"),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_then_file_then_environment() {
        let dir = std::env::temp_dir().join(format!("lokus-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("lokus.toml");
        std::fs::write(&file, "addr = \"0.0.0.0:9000\"\nmax_upload_mb = 20\n").unwrap();
        let (settings, report) = Settings::load(
            Some(&file),
            &env(&[("LOKUS_MAX_UPLOAD_MB", "30"), ("LOKUS_COLOUR", "x")]),
        )
        .unwrap();
        assert_eq!(settings.addr.to_string(), "0.0.0.0:9000");
        assert_eq!(settings.max_upload_mb, 30);
        assert_eq!(settings.session_idle_minutes, 480);
        assert_eq!(report.unknown_env, vec!["LOKUS_COLOUR".to_owned()]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn invalid_values_are_refused_with_their_name() {
        let error = Settings::load(None, &env(&[("LOKUS_MAX_UPLOAD_MB", "banyak")])).unwrap_err();
        assert!(error.to_string().contains("LOKUS_MAX_UPLOAD_MB"), "{error}");
        let error = Settings::load(None, &env(&[("LOKUS_ADDR", "nowhere")])).unwrap_err();
        assert!(error.to_string().contains("LOKUS_ADDR"), "{error}");
        let error = Settings::load(None, &env(&[("DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(error.to_string().contains("postgres://"), "{error}");
    }

    #[test]
    fn the_fisik_tolerance_defaults_to_zero_and_is_bounded() {
        let (settings, _) = Settings::load(None, &env(&[])).unwrap();
        assert_eq!(settings.fisik_tolerance_percent, 0);
        let (settings, _) =
            Settings::load(None, &env(&[("LOKUS_FISIK_TOLERANCE_PERCENT", "5")])).unwrap();
        assert_eq!(settings.fisik_tolerance_percent, 5);
        let error =
            Settings::load(None, &env(&[("LOKUS_FISIK_TOLERANCE_PERCENT", "5000")])).unwrap_err();
        assert!(
            error.to_string().contains("LOKUS_FISIK_TOLERANCE_PERCENT"),
            "{error}"
        );
    }

    #[test]
    fn job_settings_have_defaults_and_bounds() {
        let (settings, _) = Settings::load(None, &env(&[])).unwrap();
        assert_eq!(settings.job_workers, 1);
        assert_eq!(settings.job_stale_seconds, 60);
        assert_eq!(settings.job_file_ttl_days, 14);
        let (settings, _) =
            Settings::load(None, &env(&[("LOKUS_JOB_FILE_TTL_DAYS", "30")])).unwrap();
        assert_eq!(settings.job_file_ttl_days, 30);
        let error = Settings::load(None, &env(&[("LOKUS_JOB_FILE_TTL_DAYS", "0")])).unwrap_err();
        assert!(
            error.to_string().contains("LOKUS_JOB_FILE_TTL_DAYS"),
            "{error}"
        );
        let (settings, _) = Settings::load(
            None,
            &env(&[
                ("LOKUS_JOB_WORKERS", "0"),
                ("LOKUS_IMPORT_JOB_THRESHOLD_KB", "0"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.job_workers, 0);
        assert_eq!(settings.import_job_threshold_kb, 0);
        for (name, value) in [
            ("LOKUS_JOB_WORKERS", "17"),
            ("LOKUS_JOB_STALE_SECONDS", "1"),
        ] {
            let error = Settings::load(None, &env(&[(name, value)])).unwrap_err();
            assert!(error.to_string().contains(name), "{error}");
        }
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        let (settings, _) = Settings::load(
            None,
            &env(&[("DATABASE_URL", "postgres://u:hunter2@db/lokus")]),
        )
        .unwrap();
        assert!(!format!("{settings:?}").contains("hunter2"));
        assert_eq!(
            settings.database_url.unwrap().expose(),
            "postgres://u:hunter2@db/lokus"
        );
    }
}
