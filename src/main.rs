//! The `lokus` command: see `lokus --help`.

fn main() -> std::process::ExitCode {
    lokus::cli::main()
}
