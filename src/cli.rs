//! The `lokus` command line: parsing, then one small function per command that calls the
//! services. Messages for operators are in English like the logs; the messages of an import (the
//! catalogue's) are rendered in `--lang` (Indonesian by default).
//!
//! Everything goes to the terminal through `say!`, which ignores a closed pipe: `lokus ... | head`
//! must not panic, and what a command did never depends on whether its output was read.

use std::io::Write;

use std::collections::HashMap;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use diesel::prelude::*;

use crate::config::Settings;
use crate::db::{self, Database, district};
use crate::server;
use crate::services::activity_log::Actor;
use crate::services::{auth, demo, setup};
use crate::state::AppState;

#[derive(Parser)]
#[command(
    name = "lokus",
    version,
    about = "Stunting-reduction budget and BAAS tracking for a kabupaten/kota"
)]
pub struct Cli {
    /// Configuration file (default: ./lokus.toml when it exists). Environment variables LOKUS_* override it.
    #[arg(long, global = true, env = "LOKUS_CONFIG")]
    pub config: Option<PathBuf>,
    /// Language of import messages: id (default) or en.
    #[arg(long, global = true, env = "LOKUS_LANG", default_value = "id")]
    pub lang: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web application.
    Serve(ServeArgs),
    /// Apply pending database migrations and load missing reference data, then exit.
    Migrate,
    /// Load the demo district (Kabupaten Berau, 2024) into the current database.
    Demo,
    /// Districts (kabupaten/kota) this deployment serves.
    #[command(subcommand)]
    District(DistrictCommand),
    /// User accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Import data from files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write the blank workbooks people fill in.
    #[command(subcommand)]
    Template(TemplateCommand),
    /// Measure lokus against its stated speed and memory targets and print the figures.
    #[command(subcommand)]
    Bench(BenchCommand),
    // baas: growth
    /// WHO z-scores (TB/U, BB/U, BB/TB) and the TB/U category for a table of measurements.
    ///
    /// IN and OUT are .csv or .xlsx. Columns read: jk (L/P or 1/2), tgl_lahir, tgl_ukur
    /// (YYYY-MM-DD or DD/MM/YYYY), bb (kg), tb (cm), cara_ukur (berbaring/berdiri, or empty for
    /// WHO's default by age). OUT is IN plus umur_hari, zs_tbu, zs_bbu, zs_bbtb, status_tbu, flag.
    /// A row that cannot be computed says why in flag (in --lang). Exit codes: 0 written (even
    /// with flagged rows); 2 the file cannot be read or lacks a column; 3 OUT cannot be written.
    Anthro(AnthroArgs),
    // summary: the realisation workbook
    #[command(subcommand)]
    Export(ExportCommand),
    // background jobs (helper "jobs")
    /// Background jobs (large imports and exports), kept in the database.
    #[command(subcommand)]
    Jobs(JobsCommand),
}

// baas: growth
#[derive(Args)]
pub struct AnthroArgs {
    /// The measurements, .csv or .xlsx (the first sheet).
    pub input: PathBuf,
    /// Where to write the result, .csv or .xlsx. Optional with --json.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Print one JSON object per row on standard output.
    #[arg(long)]
    pub json: bool,
}

/// summary: `lokus export realisasi --year 2024 [--opd KODE] [--triwulan N] -o FILE.xlsx`
#[derive(Subcommand)]
pub enum ExportCommand {
    Realisasi(ExportRealisasiArgs),
    // baas-import
    /// The BAAS workbook of a year: a cover, a summary per sponsor, every child and assignment,
    /// payments and deliveries. Personal data is masked unless --unmasked, which writes whole
    /// NIKs, No. KK and parents' names and is recorded in the activity log for every child.
    Baas(ExportBaasArgs),
}

#[derive(Args)]
pub struct ExportBaasArgs {
    #[arg(long)]
    pub year: i16,
    /// Write personal data unmasked (recorded in the activity log).
    #[arg(long)]
    pub unmasked: bool,
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    #[arg(long)]
    pub kabkota: Option<String>,
}

#[derive(Args)]
pub struct ExportRealisasiArgs {
    #[arg(long)]
    pub year: i16,
    #[arg(long)]
    pub opd: Option<String>,
    #[arg(long)]
    pub triwulan: Option<i16>,
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    #[arg(long)]
    pub kabkota: Option<String>,
}

/// Background jobs (helper "jobs").
#[derive(Subcommand)]
pub enum JobsCommand {
    /// Work on queued jobs until stopped (`lokus serve` does this too, with `job_workers` threads).
    /// Stopping it in the middle of a job loses nothing: the job's work is one transaction, and the
    /// job is shown as interrupted, to be started again.
    Work {
        /// Worker threads (default: the `job_workers` setting, at least 1).
        #[arg(long)]
        threads: Option<usize>,
    },
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import an OPD's workplan workbook (RKA/DPA export, SIPD data anggaran, or lokus's template).
    ///
    /// Exit codes: 0 committed, or a dry run without errors; 1 rejected: the file has errors, all
    /// listed, nothing changed; 2 the file cannot be read at all or the request is wrong (unknown
    /// OPD, year missing or locked, bad option); 3 operational failure (database, configuration
    /// of the machine): nothing is known about the file, try again.
    Workplan(ImportWorkplanArgs),
    // pipeline: the realisation kind on the same pipeline, same JSON and exit codes
    /// Import realisation: lokus's realisation form filled in, or a finance-system export
    /// (SIPD-RI penatausahaan, SIMDA) keyed by sub kegiatan + kode rekening and a month or date.
    /// The months in the file replace what those lines held in them.
    ///
    /// Exit codes: as `import workplan`.
    Realisasi(ImportRealisasiArgs),
    // baas-import: the children on the same pipeline, same JSON and exit codes
    /// Import BAAS children: a list like an e-PPGBM export (NIK, nama, JK, tgl lahir, nama ortu,
    /// desa, posyandu, tanggal ukur, BB, TB/PB, cara ukur, optional No. KK); see `lokus template
    /// baas`. A child already registered, or twice in the file, is an error at its row. The
    /// parents' consent is recorded in the operator's name (cli:USER) on the day of the import.
    ///
    /// Exit codes: as `import workplan`.
    Baas(ImportBaasArgs),
    /// Import BAAS sponsors (Bapak/Bunda Asuh): nama, jenis, kontak, janji anak, janji bulan,
    /// Rupiah per bulan, optional Email Login of a sponsor account; see `lokus template
    /// baas-sponsor`. A sponsor whose name is registered, or twice in the file, is an error.
    ///
    /// Exit codes: as `import workplan`.
    BaasSponsor(ImportBaasArgs),
}

#[derive(Args)]
pub struct ImportBaasArgs {
    pub file: PathBuf,
    /// The fiscal year the import is filed under in the history (default: the district's latest).
    #[arg(long)]
    pub year: Option<i16>,
    /// The sheet to read (default: the first with a recognisable header).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Check and report only; change nothing (not even the import history).
    #[arg(long)]
    pub dry_run: bool,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    pub json: bool,
    /// The district's kode wilayah; needed only when the database serves more than one.
    #[arg(long)]
    pub kabkota: Option<String>,
}

#[derive(Args)]
pub struct ImportRealisasiArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub year: i16,
    /// Only this OPD's lines are matched (another OPD's line reads as unknown).
    #[arg(long)]
    pub opd: Option<String>,
    /// The sheet to read (default: the first with a recognisable header).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Check and report only; change nothing (not even the import history).
    #[arg(long)]
    pub dry_run: bool,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    pub json: bool,
    /// The district's kode wilayah; needed only when the database serves more than one.
    #[arg(long)]
    pub kabkota: Option<String>,
}

#[derive(Args)]
pub struct ImportWorkplanArgs {
    pub file: PathBuf,
    /// The OPD's unit code. Required when the file has no Kode SKPD column; with one, only that OPD's rows are taken.
    #[arg(long)]
    pub opd: Option<String>,
    #[arg(long)]
    pub year: i16,
    /// murni or perubahan.
    #[arg(long, default_value = "murni")]
    pub stage: String,
    /// The sheet to read (default: the first with a recognisable header).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Create the OPDs a SIPD export names that lokus does not know yet (name from Nama SKPD).
    #[arg(long)]
    pub create_opds: bool,
    /// Check and report only; change nothing (not even the import history).
    #[arg(long)]
    pub dry_run: bool,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    pub json: bool,
    /// The district's kode wilayah; needed only when the database serves more than one.
    #[arg(long)]
    pub kabkota: Option<String>,
    /// Commit a revision that removes lines holding realisation: the realisation moves with its
    /// line to "removed" (kept and shown). Without it such a revision is rejected.
    #[arg(long)]
    pub confirm_removed_realisation: bool,
}

#[derive(Subcommand)]
pub enum TemplateCommand {
    /// The canonical workplan workbook with dropdowns for the district's catalogues and lokus desa.
    Workplan {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[arg(long)]
        year: Option<i16>,
        #[arg(long)]
        kabkota: Option<String>,
    },
    // pipeline: the realisation form, as the web's download writes it
    /// An OPD's realisation form for a year, pre-filled with the months already recorded.
    Realisasi {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[arg(long)]
        year: i16,
        #[arg(long)]
        opd: String,
        /// The months to fill, e.g. 1-6 (default: the whole year).
        #[arg(long)]
        bulan: Option<String>,
        #[arg(long)]
        kabkota: Option<String>,
    },
    // baas-import
    /// The empty BAAS children workbook, with the district's desa and instructions.
    Baas {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[arg(long)]
        kabkota: Option<String>,
    },
    /// The empty BAAS sponsors workbook, with instructions.
    BaasSponsor {
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Generate a workplan workbook and import it end to end, against the floor of calamine + COPY.
    Import {
        #[arg(long, default_value_t = 100_000)]
        lines: usize,
    },
    // baas: growth
    /// Generate measurement rows and run `lokus anthro` on them in memory (CSV and xlsx); print rows/s.
    Anthro {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
    // helper "jobs"
    /// Import a filled realisation form (every line, 12 months) end to end, against the floor of
    /// calamine + COPY of the same line-months.
    Realisasi {
        #[arg(long, default_value_t = 20_000)]
        lines: usize,
    },
    /// summary: the summary page's reads and the realisation workbook
    Summary {
        #[arg(long, default_value_t = 20_000)]
        lines: usize,
        #[arg(long, default_value_t = 1)]
        districts: usize,
        #[arg(long, default_value_t = 200)]
        requests: usize,
    },
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080 (overrides LOKUS_ADDR).
    #[arg(long)]
    pub addr: Option<String>,
    /// Load the demo district first when the database holds no district yet.
    #[arg(long)]
    pub demo: bool,
}

#[derive(Subcommand)]
pub enum DistrictCommand {
    /// Register a kabupaten/kota by its kode wilayah, e.g. `lokus district add 64.03`.
    Add { kode: String },
    /// List the districts this database serves.
    List,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account. Without --password-stdin a password is generated and printed once.
    Add(UserAddArgs),
    /// Set a new password for an account (a forgotten one); its open sessions end.
    /// Without --password-stdin a password is generated and printed once.
    SetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Args)]
pub struct UserAddArgs {
    /// admin, opd, pimpinan, baas or sponsor.
    #[arg(long)]
    pub role: String,
    #[arg(long)]
    pub email: String,
    /// The OPD's unit code (role opd only), e.g. 1.02.0.00.0.00.01.0000.
    #[arg(long)]
    pub opd: Option<String>,
    /// Display name (default: the e-mail address).
    #[arg(long)]
    pub nama: Option<String>,
    /// The district's kode wilayah; needed only when the database serves more than one.
    #[arg(long)]
    pub kabkota: Option<String>,
    /// Province-level reading (role pimpinan only): the province's kode wilayah, e.g. 64; the
    /// account reads the summary of every district served in it, side by side.
    #[arg(long)]
    pub province: Option<String>,
    /// Read the password from the first line of standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

/// A command's failure, as the operator should read it.
type CliResult = Result<(), String>;

/// `println!` that ignores a closed or failing standard output (see the module comment).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` that ignores a closed standard error.
macro_rules! complain {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// Exit codes of `lokus import workplan` (documented in its `--help` and in the README).
const EXIT_REJECTED: u8 = 1;
const EXIT_UNUSABLE: u8 = 2;
const EXIT_OPERATIONAL: u8 = 3;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let env: HashMap<String, String> = std::env::vars().collect();
    let (mut settings, report) = match Settings::load(cli.config.as_deref(), &env) {
        Ok(loaded) => loaded,
        Err(error) => {
            complain!("lokus: {error}");
            return ExitCode::from(2);
        }
    };
    init_logging(&settings.log);
    if let Some(file) = &report.file {
        tracing::info!(file = %file.display(), "configuration file read");
    }
    for name in &report.unknown_env {
        tracing::warn!(variable = %name, "unknown LOKUS_* variable ignored");
    }
    let result = match cli.command {
        Command::Serve(args) => {
            if let Some(addr) = args.addr {
                match addr.parse() {
                    Ok(addr) => settings.addr = addr,
                    Err(_) => {
                        complain!("lokus: --addr `{addr}` is not host:port");
                        return ExitCode::from(2);
                    }
                }
            }
            serve(settings, args.demo)
        }
        Command::Migrate => {
            open(&settings).map(|_| say!("Database is migrated and reference data loaded."))
        }
        Command::Demo => load_demo(&settings),
        Command::District(DistrictCommand::Add { kode }) => add_district(&settings, &kode),
        Command::District(DistrictCommand::List) => list_districts(&settings),
        Command::User(UserCommand::Add(args)) => add_user(&settings, args),
        Command::User(UserCommand::SetPassword {
            email,
            password_stdin,
        }) => set_password(&settings, &email, password_stdin),
        Command::Import(ImportCommand::Workplan(args)) => {
            let language = crate::i18n::Language::from_code(&cli.lang);
            return import_workplan(&settings, args, language);
        }
        Command::Import(ImportCommand::Realisasi(args)) => {
            let language = crate::i18n::Language::from_code(&cli.lang);
            return import_realisasi(&settings, args, language);
        }
        Command::Import(ImportCommand::Baas(args)) => {
            let language = crate::i18n::Language::from_code(&cli.lang);
            return import_baas(
                &settings,
                crate::services::import::ImportKind::BaasAnak,
                args,
                language,
            );
        }
        Command::Import(ImportCommand::BaasSponsor(args)) => {
            let language = crate::i18n::Language::from_code(&cli.lang);
            return import_baas(
                &settings,
                crate::services::import::ImportKind::BaasSponsor,
                args,
                language,
            );
        }
        Command::Template(TemplateCommand::BaasSponsor { output }) => {
            crate::services::import::sponsor_template()
                .map_err(|error| error.to_string())
                .and_then(|bytes| {
                    std::fs::write(&output, bytes)
                        .map_err(|error| format!("cannot write {}: {error}", output.display()))
                })
                .map(|()| say!("Wrote {}", output.display()))
        }
        Command::Template(TemplateCommand::Baas { output, kabkota }) => {
            write_baas_template(&settings, &output, kabkota.as_deref())
        }
        Command::Export(ExportCommand::Baas(args)) => {
            let language = crate::i18n::Language::from_code(&cli.lang);
            return export_baas(&settings, args, language);
        }
        Command::Template(TemplateCommand::Workplan {
            output,
            year,
            kabkota,
        }) => write_template(&settings, &output, year, kabkota.as_deref()),
        Command::Template(TemplateCommand::Realisasi {
            output,
            year,
            opd,
            bulan,
            kabkota,
        }) => write_realisasi_form(
            &settings,
            &output,
            year,
            &opd,
            bulan.as_deref(),
            kabkota.as_deref(),
        ),
        Command::Bench(BenchCommand::Import { lines }) => crate::bench::import(&settings, lines),
        // baas: growth
        Command::Anthro(args) => {
            let language = crate::i18n::Language::from_code(&cli.lang);
            return anthro(args, language);
        }
        Command::Bench(BenchCommand::Anthro { rows }) => crate::bench::anthro(rows),
        Command::Bench(BenchCommand::Summary {
            lines,
            districts,
            requests,
        }) => crate::bench_summary::summary(&settings, lines, districts, requests),
        // summary: the realisation workbook
        Command::Export(ExportCommand::Realisasi(args)) => {
            let language = crate::i18n::Language::from_code(&cli.lang);
            return export_realisasi(&settings, args, language);
        }
        // background jobs and the realisation bench (helper "jobs")
        Command::Bench(BenchCommand::Realisasi { lines }) => {
            crate::bench::realisasi(&settings, lines)
        }
        Command::Jobs(JobsCommand::Work { threads }) => work_on_jobs(&settings, threads),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            complain!("lokus: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn open(settings: &Settings) -> Result<Database, String> {
    crate::services::startup::open_database(settings).map_err(|error| error.to_string())
}

fn connection(database: &Database) -> Result<db::PooledConnection, String> {
    database.pool.get().map_err(|error| error.to_string())
}

fn serve(settings: Settings, with_demo: bool) -> CliResult {
    let database = open(&settings)?;
    {
        let mut conn = connection(&database)?;
        let districts = district::list_districts(&mut conn).map_err(|error| error.to_string())?;
        if districts.is_empty() && with_demo {
            demo::load(&mut conn).map_err(|error| error.to_string())?;
            demo::load_workplans(&mut conn).map_err(|error| error.to_string())?;
            demo::load_baas(&mut conn).map_err(|error| error.to_string())?;
            say!(
                "Loaded the demo district Kabupaten Berau (64.03), fiscal year {}, with its workplans and BAAS records.",
                demo::TAHUN
            );
        } else if districts.is_empty() {
            say!(
                "This database serves no district yet: start with --demo, or run `lokus district add KODE` and `lokus user add`."
            );
        } else if with_demo && !districts.iter().any(|row| row.demo) {
            say!("--demo ignored: this database already serves a district without demo data.");
        }
        if district::any_demo(&mut conn).map_err(|error| error.to_string())? {
            say!("Demo accounts (password `{}`):", demo::PASSWORD);
            for (email, _, role, _) in demo::ACCOUNTS {
                say!("  {email:<22} {role}");
            }
        }
    }
    let listener = std::net::TcpListener::bind(settings.addr)
        .map_err(|error| format!("cannot listen on {}: {error}", settings.addr))?;
    let local = listener.local_addr().map_err(|error| error.to_string())?;
    say!("lokus is ready: log in at http://{local}/masuk");
    if !settings.cookie_secure {
        tracing::warn!("cookie_secure is off: session cookies will travel over plain http");
    }
    // the web's import gate, bounded by its pool, before the job workers take turns at it too
    crate::services::import::gate(crate::services::import::gate_limit(
        settings.max_concurrent_imports,
        Some(database.pool.max_size()),
    ));
    // the job workers have threads and connections of their own, apart from the web's
    let workers = crate::services::jobs::Workers::start(database.url.expose(), &settings);
    let state = AppState::new(database.pool.clone(), settings);
    let result =
        actix_web::rt::System::new().block_on(async move { server::run(listener, state)?.await });
    workers.stop();
    // Dropping the database stops the private cluster when this process started it.
    drop(database);
    result.map_err(|error| error.to_string())
}

/// `lokus jobs work`: this process as a job worker only (helper "jobs").
fn work_on_jobs(settings: &Settings, threads: Option<usize>) -> CliResult {
    let database = open(settings)?;
    let count = threads.unwrap_or(settings.job_workers).max(1);
    say!("lokus is working on queued jobs with {count} thread(s); stop it with Ctrl-C.");
    let workers = crate::services::jobs::Workers::start_n(database.url.expose(), settings, count);
    // runs until the process is stopped: a job cut short leaves nothing behind (see JobsCommand)
    workers.wait();
    Ok(())
}

fn load_demo(settings: &Settings) -> CliResult {
    let database = open(settings)?;
    let mut conn = connection(&database)?;
    demo::load(&mut conn).map_err(|error| error.to_string())?;
    demo::load_workplans(&mut conn).map_err(|error| error.to_string())?;
    demo::load_baas(&mut conn).map_err(|error| error.to_string())?;
    say!(
        "Loaded the demo district Kabupaten Berau (64.03). Accounts (password `{}`):",
        demo::PASSWORD
    );
    for (email, _, role, _) in demo::ACCOUNTS {
        say!("  {email:<22} {role}");
    }
    Ok(())
}

fn add_district(settings: &Settings, kode: &str) -> CliResult {
    let database = open(settings)?;
    let mut conn = connection(&database)?;
    let nama = setup::add_district(&mut conn, &Actor::cli(), kode, false)
        .map_err(|error| error.to_string())?;
    say!(
        "{kode} {nama} is now served. Create its first admin with `lokus user add --role admin --email ... --kabkota {kode}`."
    );
    Ok(())
}

fn list_districts(settings: &Settings) -> CliResult {
    let database = open(settings)?;
    let mut conn = connection(&database)?;
    let districts = district::list_districts(&mut conn).map_err(|error| error.to_string())?;
    if districts.is_empty() {
        say!("No district yet.");
    }
    for row in districts {
        let nama = db::wilayah::find_by_kode(&mut conn, &row.kode_kabkota)
            .map_err(|error| error.to_string())?
            .map(|area| area.nama)
            .unwrap_or_default();
        say!(
            "{} {nama}{}",
            row.kode_kabkota,
            if row.demo { " (demo)" } else { "" }
        );
    }
    Ok(())
}

/// The district a command acts on: the one named, or the only one there is.
fn pick_district(conn: &mut PgConnection, named: Option<&str>) -> Result<String, String> {
    let districts = district::list_districts(conn).map_err(|error| error.to_string())?;
    match named {
        Some(kode) if districts.iter().any(|row| row.kode_kabkota == kode.trim()) => {
            Ok(kode.trim().to_owned())
        }
        Some(kode) => Err(format!(
            "district {kode} is not served here; add it with `lokus district add {kode}`"
        )),
        None => match districts.as_slice() {
            [only] => Ok(only.kode_kabkota.clone()),
            [] => {
                Err("no district yet: run `lokus district add KODE` (or `lokus demo`) first".into())
            }
            _ => Err("this database serves several districts: say which with --kabkota".into()),
        },
    }
}

fn add_user(settings: &Settings, args: UserAddArgs) -> CliResult {
    let (password, generated) = password_from(args.password_stdin)?;
    let database = open(settings)?;
    let mut conn = connection(&database)?;
    let kode_kabkota = pick_district(&mut conn, args.kabkota.as_deref())?;
    let input = setup::UserInput {
        email: args.email,
        nama: args.nama.unwrap_or_default(),
        role: args.role,
        opd: args.opd.unwrap_or_default(),
        password,
    };
    let actor = Actor::cli().in_district(&kode_kabkota);
    // the account and its province together, or neither
    let user = conn
        .transaction(|conn| {
            let user = setup::create_user(conn, &actor, &kode_kabkota, &input)?;
            match args.province.as_deref() {
                Some(provinsi) => {
                    setup::set_user_province(conn, &actor, &kode_kabkota, user.id, provinsi)
                }
                None => Ok(user),
            }
        })
        .map_err(|error| error.to_string())?;
    say!("Created {} ({}) in {kode_kabkota}.", user.email, user.role);
    if let Some(provinsi) = &user.kode_provinsi {
        say!("It reads the summary of every district served in province {provinsi}.");
    }
    if generated {
        // Printed once, to the terminal of the operator who asked for it; never logged.
        say!("Password: {}", input.password);
    }
    Ok(())
}

fn import_realisasi(
    settings: &Settings,
    args: ImportRealisasiArgs,
    language: crate::i18n::Language,
) -> ExitCode {
    let args = ImportWorkplanArgs {
        file: args.file,
        opd: args.opd,
        year: args.year,
        stage: "murni".to_owned(),
        sheet: args.sheet,
        create_opds: false,
        dry_run: args.dry_run,
        json: args.json,
        kabkota: args.kabkota,
        confirm_removed_realisation: false,
    };
    run_import(
        settings,
        crate::services::import::ImportKind::Realisasi,
        args,
        language,
    )
}

/// baas-import: `lokus import baas FILE` and `lokus import baas-sponsor FILE`, through the same
/// `run_import`.
fn import_baas(
    settings: &Settings,
    kind: crate::services::import::ImportKind,
    args: ImportBaasArgs,
    language: crate::i18n::Language,
) -> ExitCode {
    let args = ImportWorkplanArgs {
        file: args.file,
        opd: None,
        // 0: the district's latest fiscal year, found once the database is open
        year: args.year.unwrap_or(0),
        stage: "murni".to_owned(),
        sheet: args.sheet,
        create_opds: false,
        dry_run: args.dry_run,
        json: args.json,
        kabkota: args.kabkota,
        confirm_removed_realisation: false,
    };
    run_import(settings, kind, args, language)
}

fn import_workplan(
    settings: &Settings,
    args: ImportWorkplanArgs,
    language: crate::i18n::Language,
) -> ExitCode {
    run_import(
        settings,
        crate::services::import::ImportKind::Workplan,
        args,
        language,
    )
}

/// Any kind of import, one way: the file read, the request checked, the pipeline run, the report
/// printed (or its JSON), the exit code said.
fn run_import(
    settings: &Settings,
    kind: crate::services::import::ImportKind,
    args: ImportWorkplanArgs,
    language: crate::i18n::Language,
) -> ExitCode {
    use crate::services::error::ServiceError;
    use crate::services::import::{self, CommitOptions, ImportRequest, Tahapan};
    let fail = |code: u8, message: String, json: bool| {
        if json {
            say!(
                "{}",
                serde_json::json!({"status": "error", "message": message})
            );
        }
        complain!("lokus: {message}");
        ExitCode::from(code)
    };
    let Some(tahapan) = Tahapan::parse(&args.stage) else {
        return fail(
            EXIT_UNUSABLE,
            format!("--stage `{}` must be murni or perubahan", args.stage),
            args.json,
        );
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(error) => {
            return fail(
                EXIT_UNUSABLE,
                format!("cannot read {}: {error}", args.file.display()),
                args.json,
            );
        }
    };
    let database = match open(settings) {
        Ok(database) => database,
        Err(message) => return fail(EXIT_OPERATIONAL, message, args.json),
    };
    let mut conn = match connection(&database) {
        Ok(conn) => conn,
        Err(message) => return fail(EXIT_OPERATIONAL, message, args.json),
    };
    let kode_kabkota = match pick_district(&mut conn, args.kabkota.as_deref()) {
        Ok(kode) => kode,
        Err(message) => return fail(EXIT_UNUSABLE, message, args.json),
    };
    let opd_id = match &args.opd {
        Some(kode) => match crate::db::opd::find_by_kode(&mut conn, &kode_kabkota, kode.trim()) {
            Ok(Some(unit)) => Some(unit.id),
            Ok(None) => {
                return fail(
                    EXIT_UNUSABLE,
                    format!("OPD {kode} is not registered in {kode_kabkota}"),
                    args.json,
                );
            }
            Err(error) => return fail(EXIT_OPERATIONAL, format!("database: {error}"), args.json),
        },
        None => None,
    };
    // the children import is filed under the district's latest year unless told otherwise
    let tahun = match (kind, args.year) {
        (import::ImportKind::BaasAnak | import::ImportKind::BaasSponsor, 0) => {
            match district::list_tahun(&mut conn, &kode_kabkota) {
                Ok(years) => match years.first() {
                    Some(year) => year.tahun,
                    None => {
                        return fail(
                            EXIT_UNUSABLE,
                            format!("{kode_kabkota} has no fiscal year yet"),
                            args.json,
                        );
                    }
                },
                Err(error) => {
                    return fail(EXIT_OPERATIONAL, format!("database: {error}"), args.json);
                }
            }
        }
        (_, year) => year,
    };
    let request = ImportRequest {
        kind,
        kode_kabkota: kode_kabkota.clone(),
        tahun,
        tahapan,
        opd_id,
        sheet: args.sheet.clone(),
        create_opds: args.create_opds,
        file_name: args
            .file
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        max_rows: settings.max_import_rows,
        rules: crate::services::record_realisation::Rules {
            fisik_tolerance_percent: settings.fisik_tolerance_percent,
        },
    };
    let options = CommitOptions {
        confirm_removed_realisation: args.confirm_removed_realisation,
        rules: request.rules,
    };
    let actor = Actor::cli().in_district(&kode_kabkota);
    // a progress line on stderr when it is a terminal, nothing when piped (helper "jobs")
    let progress = crate::services::jobs::Progress::default();
    let line = crate::services::jobs::TerminalLine::start(&progress, "lokus import");
    let outcome = import::import_now(
        &mut conn,
        &actor,
        &request,
        &bytes,
        args.dry_run,
        &options,
        &crate::services::import_jobs::staged(&progress, !args.dry_run),
    );
    drop(line);
    let report = match outcome {
        Ok(report) => report,
        Err(error) => {
            let code = match &error {
                ServiceError::Database(_) | ServiceError::Internal(_) => EXIT_OPERATIONAL,
                _ => EXIT_UNUSABLE,
            };
            let message = match error.user_message() {
                Some(message) => message.render(language),
                None => format!("operational failure, nothing was changed: {error}"),
            };
            return fail(code, message, args.json);
        }
    };
    if args.json {
        say!("{}", import::report_json(&report, language));
    } else {
        print_report(&report, language);
    }
    if report.status == "rejected" {
        ExitCode::from(EXIT_REJECTED)
    } else {
        ExitCode::SUCCESS
    }
}

/// The human summary of an import, in the operator's terminal.
fn print_report(report: &crate::services::import::ImportReport, language: crate::i18n::Language) {
    use crate::domain::format::rupiah;
    use crate::services::import::layout_message;
    let amount = |text: &str| rupiah(text.parse().unwrap_or_default());
    say!(
        "{} ({}), sheet `{}`, header on row {}",
        report.file_name,
        layout_message(&report.layout).render(language),
        report.sheet,
        report.header_row
    );
    say!(
        "rows: {} read, {} accepted, {} skipped, {} rejected",
        report.rows.read,
        report.rows.accepted,
        report.rows.skipped,
        report.rows.rejected
    );
    if report.kind == "baas_anak" {
        say!(
            "children: {} to register, {} with a measurement",
            report.baas.children,
            report.baas.measurements
        );
        say!(
            "{}",
            if report.baas.persetujuan_oleh.is_empty() {
                crate::i18n::Message::new(crate::i18n::MessageKey::BaasImportConsentPending)
            } else {
                crate::i18n::Message::new(crate::i18n::MessageKey::BaasImportConsentRecorded)
                    .arg(&report.baas.persetujuan_oleh)
                    .arg(&report.baas.persetujuan_tanggal)
            }
            .render(language)
        );
    } else if report.kind == "baas_sponsor" {
        say!(
            "sponsors: {} to register, pledging {}",
            report.baas.sponsors,
            amount(&report.total_pagu)
        );
    } else if report.kind == "realisasi" {
        let diff = &report.realisasi;
        say!(
            "realisation: {} month(s) replaced on {} line(s), {} -> {}",
            diff.months_changed,
            diff.lines_changed,
            amount(&diff.total_before),
            amount(&diff.total_after)
        );
    } else {
        say!("total pagu: {}", amount(&report.total_pagu));
    }
    for (jenis, pagu) in &report.pagu_by_jenis {
        // the report's key for lines without an intervention, in the command line's English
        let jenis = if jenis == "belum_ditandai" {
            "untagged"
        } else {
            jenis
        };
        say!("  {jenis}: {}", amount(pagu));
    }
    let diff = &report.diff;
    if diff.added + diff.removed + diff.changed + diff.unchanged > 0
        && (diff.removed + diff.changed + diff.unchanged) > 0
    {
        say!(
            "compared with the current workplan: {} added, {} changed, {} removed, {} unchanged; total {} -> {}",
            diff.added,
            diff.changed,
            diff.removed,
            diff.unchanged,
            amount(&diff.total_before),
            amount(&diff.total_after)
        );
    }
    let lists = [
        ("ERROR  ", &report.errors, report.error_total()),
        ("warning", &report.warnings, report.warning_total()),
    ];
    for (label, issues, total) in lists {
        for issue in issues {
            let field = match issue.shown_field() {
                "" => String::new(),
                field => format!(" ({field})"),
            };
            say!(
                "{label} row {} column {}{field}: {}",
                issue.row,
                issue.column.as_deref().unwrap_or("-"),
                issue.message.render(language)
            );
        }
        if total > issues.len() {
            let more = crate::i18n::Message::new(crate::i18n::MessageKey::IssuesMore)
                .arg(total - issues.len());
            say!("{label} {}", more.render(language));
        }
    }
    match report.status.as_str() {
        "committed" => say!(
            "committed as import #{}",
            report.batch_id.unwrap_or_default()
        ),
        "dry_run" => say!("dry run: nothing was changed"),
        _ => say!(
            "rejected: nothing was changed ({} errors)",
            report.error_total()
        ),
    }
}

fn write_template(
    settings: &Settings,
    output: &std::path::Path,
    year: Option<i16>,
    kabkota: Option<&str>,
) -> CliResult {
    let database = open(settings)?;
    let mut conn = connection(&database)?;
    let kode_kabkota = pick_district(&mut conn, kabkota)?;
    let bytes = crate::services::import::template_for(&mut conn, &kode_kabkota, year)
        .map_err(|error| error.to_string())?;
    std::fs::write(output, bytes)
        .map_err(|error| format!("cannot write {}: {error}", output.display()))?;
    say!("Wrote {}", output.display());
    Ok(())
}

fn write_realisasi_form(
    settings: &Settings,
    output: &std::path::Path,
    year: i16,
    opd: &str,
    bulan: Option<&str>,
    kabkota: Option<&str>,
) -> CliResult {
    let (from, to) = crate::web::realisasi::month_range(bulan).ok_or_else(|| {
        format!(
            "--bulan `{}` is not a month range such as 1-6",
            bulan.unwrap_or("")
        )
    })?;
    let database = open(settings)?;
    let mut conn = connection(&database)?;
    let kode_kabkota = pick_district(&mut conn, kabkota)?;
    if district::find_tahun(&mut conn, &kode_kabkota, year)
        .map_err(|error| error.to_string())?
        .is_none()
    {
        return Err(format!(
            "fiscal year {year} is not set up in {kode_kabkota}"
        ));
    }
    let unit = crate::db::opd::find_by_kode(&mut conn, &kode_kabkota, opd.trim())
        .map_err(|error| error.to_string())?
        .ok_or_else(|| format!("OPD {opd} is not registered in {kode_kabkota}"))?;
    let (header, lines) =
        crate::services::import::realisation_form(&mut conn, &unit, year, from, to)
            .map_err(|error| error.to_string())?;
    let bytes = crate::spreadsheet::realisasi_form::realisasi_form(&header, &lines)
        .map_err(|error| error.to_string())?;
    std::fs::write(output, bytes)
        .map_err(|error| format!("cannot write {}: {error}", output.display()))?;
    say!("Wrote {} ({} lines)", output.display(), lines.len());
    Ok(())
}

/// baas-import: `lokus template baas -o FILE.xlsx`.
fn write_baas_template(
    settings: &Settings,
    output: &std::path::Path,
    kabkota: Option<&str>,
) -> CliResult {
    let database = open(settings)?;
    let mut conn = connection(&database)?;
    let kode_kabkota = pick_district(&mut conn, kabkota)?;
    let bytes = crate::services::import::baas_template(&mut conn, &kode_kabkota)
        .map_err(|error| error.to_string())?;
    std::fs::write(output, bytes)
        .map_err(|error| format!("cannot write {}: {error}", output.display()))?;
    say!("Wrote {}", output.display());
    Ok(())
}

/// The password a command sets: the first line of standard input, or a generated one.
fn password_from(stdin: bool) -> Result<(String, bool), String> {
    if stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|error| error.to_string())?;
        Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
    } else {
        Ok((auth::generate_password(), true))
    }
}

fn set_password(settings: &Settings, email: &str, stdin: bool) -> CliResult {
    let (password, generated) = password_from(stdin)?;
    let database = open(settings)?;
    let mut conn = connection(&database)?;
    auth::reset_password(&mut conn, &Actor::cli(), email, &password)
        .map_err(|error| error.to_string())?;
    say!("New password set for {email}; its sessions ended.");
    if generated {
        say!("Password: {password}");
    }
    Ok(())
}

// baas: growth
/// `lokus anthro IN [-o OUT] [--json]`.
fn anthro(args: AnthroArgs, language: crate::i18n::Language) -> ExitCode {
    use crate::anthro::{self, FileFormat};
    let fail = |code: u8, message: String| {
        complain!("lokus: {message}");
        ExitCode::from(code)
    };
    let Some(input_format) = FileFormat::of(&args.input) else {
        return fail(
            EXIT_UNUSABLE,
            format!("{}: name a .csv or .xlsx file", args.input.display()),
        );
    };
    let output_format = match &args.output {
        Some(path) => match FileFormat::of(path) {
            Some(format) => Some(format),
            None => {
                return fail(
                    EXIT_UNUSABLE,
                    format!("{}: write a .csv or .xlsx file", path.display()),
                );
            }
        },
        None if args.json => None,
        None => {
            return fail(
                EXIT_UNUSABLE,
                "say where to write the result: -o OUT.csv|OUT.xlsx, or --json".to_owned(),
            );
        }
    };
    let bytes = match std::fs::read(&args.input) {
        Ok(bytes) => bytes,
        Err(error) => return fail(EXIT_UNUSABLE, format!("{}: {error}", args.input.display())),
    };
    let computed = match anthro::read(&bytes, input_format).and_then(anthro::compute_all) {
        Ok(computed) => computed,
        Err(error) => return fail(EXIT_UNUSABLE, format!("{}: {error}", args.input.display())),
    };
    drop(bytes);
    if let (Some(path), Some(format)) = (&args.output, output_format) {
        let written = anthro::write(&computed, format, language).and_then(|bytes| {
            std::fs::write(path, bytes).map_err(|e| anthro::AnthroError::Write(e.to_string()))
        });
        if let Err(error) = written {
            return fail(EXIT_OPERATIONAL, format!("{}: {error}", path.display()));
        }
    }
    if args.json {
        let mut out = std::io::stdout().lock();
        for line in anthro::json_lines(&computed, language) {
            if writeln!(out, "{line}").is_err() {
                // a closed pipe: the reader has what it wanted
                break;
            }
        }
    }
    complain!(
        "lokus: {} rows, {} flagged{}",
        computed.results.len(),
        computed.flagged(),
        args.output
            .as_ref()
            .map(|p| format!(", written to {}", p.display()))
            .unwrap_or_default()
    );
    ExitCode::SUCCESS
}

// summary: `lokus export realisasi`, the same workbook as the summary page's download (exit 2 for
// a wrong request, 3 for an operational failure)
fn export_realisasi(
    settings: &Settings,
    args: ExportRealisasiArgs,
    language: crate::i18n::Language,
) -> ExitCode {
    use crate::db::summary::SummaryFilter;
    use crate::domain::{Scope, Tahapan};
    use crate::services::summary_report::{WorkbookRequest, workbook};
    let fail = |code: u8, message: String| {
        complain!("lokus: {message}");
        ExitCode::from(code)
    };
    if let Some(triwulan) = args.triwulan
        && !(1..=4).contains(&triwulan)
    {
        return fail(
            EXIT_UNUSABLE,
            format!("--triwulan {triwulan} must be 1 to 4"),
        );
    }
    let tahapan = match args.stage.as_deref().map(Tahapan::parse) {
        None => None,
        Some(Some(tahapan)) => Some(tahapan),
        Some(None) => {
            return fail(
                EXIT_UNUSABLE,
                "--stage must be murni or perubahan".to_owned(),
            );
        }
    };
    let database = match open(settings) {
        Ok(database) => database,
        Err(message) => return fail(EXIT_OPERATIONAL, message),
    };
    let mut conn = match connection(&database) {
        Ok(conn) => conn,
        Err(message) => return fail(EXIT_OPERATIONAL, message),
    };
    let kode_kabkota = match pick_district(&mut conn, args.kabkota.as_deref()) {
        Ok(kode) => kode,
        Err(message) => return fail(EXIT_UNUSABLE, message),
    };
    match district::find_tahun(&mut conn, &kode_kabkota, args.year) {
        Ok(Some(_)) => {}
        Ok(None) => {
            return fail(
                EXIT_UNUSABLE,
                format!("{kode_kabkota} has no fiscal year {}", args.year),
            );
        }
        Err(error) => return fail(EXIT_OPERATIONAL, format!("database: {error}")),
    }
    let opd_id = match &args.opd {
        Some(kode) => match crate::db::opd::find_by_kode(&mut conn, &kode_kabkota, kode.trim()) {
            Ok(Some(unit)) => Some(unit.id),
            Ok(None) => {
                return fail(
                    EXIT_UNUSABLE,
                    format!("OPD {kode} is not registered in {kode_kabkota}"),
                );
            }
            Err(error) => return fail(EXIT_OPERATIONAL, format!("database: {error}")),
        },
        None => None,
    };
    let t = crate::i18n::phrases::for_code(language.code());
    let district_name = crate::db::wilayah::find_by_kode(&mut conn, &kode_kabkota)
        .ok()
        .flatten()
        .map_or_else(|| kode_kabkota.clone(), |row| row.nama);
    let mut filters = Vec::new();
    if let Some(kode) = &args.opd {
        filters.push((t.nav_opd.to_owned(), kode.clone()));
    }
    let request = WorkbookRequest {
        district_name,
        generated_by: format!("lokus export ({})", whoami()),
        generated_at: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        filters,
    };
    let filter = SummaryFilter {
        tahapan,
        sampai_bulan: args.triwulan.map_or(12, |n| n * 3),
        opd_id,
        ..SummaryFilter::year(args.year)
    };
    let scope = Scope::district(&kode_kabkota);
    let today = chrono::Utc::now().date_naive();
    let bytes = match workbook(&mut conn, &scope, filter, t, &request, today, &mut |_| {}) {
        Ok(bytes) => bytes,
        Err(error) => return fail(EXIT_OPERATIONAL, error.to_string()),
    };
    if let Err(error) = std::fs::write(&args.output, bytes) {
        return fail(
            EXIT_OPERATIONAL,
            format!("cannot write {}: {error}", args.output.display()),
        );
    }
    say!("Wrote {}", args.output.display());
    ExitCode::SUCCESS
}

/// The operator's login name for the cover's "generated by".
fn whoami() -> String {
    std::env::var("USER").unwrap_or_else(|_| "operator".to_owned())
}

/// baas-import: `lokus export baas --year Y [--unmasked] -o FILE.xlsx`, the same workbook as the
/// desk's download (exit 2 for a wrong request, 3 for an operational failure).
fn export_baas(
    settings: &Settings,
    args: ExportBaasArgs,
    language: crate::i18n::Language,
) -> ExitCode {
    use crate::domain::{Role, Scope};
    use crate::services::baas_export::{ExportRequest, workbook};
    let fail = |code: u8, message: String| {
        complain!("lokus: {message}");
        ExitCode::from(code)
    };
    let database = match open(settings) {
        Ok(database) => database,
        Err(message) => return fail(EXIT_OPERATIONAL, message),
    };
    let mut conn = match connection(&database) {
        Ok(conn) => conn,
        Err(message) => return fail(EXIT_OPERATIONAL, message),
    };
    let kode_kabkota = match pick_district(&mut conn, args.kabkota.as_deref()) {
        Ok(kode) => kode,
        Err(message) => return fail(EXIT_UNUSABLE, message),
    };
    let t = crate::i18n::phrases::for_code(language.code());
    let actor = Actor::cli().in_district(&kode_kabkota);
    let request = ExportRequest {
        tahun: args.year,
        unmasked: args.unmasked,
        generated_by: actor.label.clone(),
        generated_at: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
    };
    let scope = Scope::district(&kode_kabkota);
    // the operator on the machine stands where the BAAS desk stands
    let bytes = match workbook(&mut conn, &actor, &scope, Role::Baas, &request, t) {
        Ok(bytes) => bytes,
        Err(error) => {
            return match error.user_message() {
                Some(message) => fail(EXIT_UNUSABLE, message.render(language)),
                None => fail(EXIT_OPERATIONAL, error.to_string()),
            };
        }
    };
    if let Err(error) = std::fs::write(&args.output, bytes) {
        return fail(
            EXIT_OPERATIONAL,
            format!("cannot write {}: {error}", args.output.display()),
        );
    }
    say!(
        "Wrote {}{}",
        args.output.display(),
        if args.unmasked {
            " (UNMASKED personal data; recorded in the activity log)"
        } else {
            " (personal data masked)"
        }
    );
    ExitCode::SUCCESS
}
