//! `cargo xtask <command>`: runs each task from the package that does it,
//! built only when asked for, so the gate does not wait for the code
//! generator to compile and the generator does not need the SDK to build:
//! - `generate`, `diff`, `vendor`: `xtask/codegen` (progenitor and friends);
//! - `conformance`, `record`: the gate binary of `contract-tests`.
//!
//! Each command's own `--help` lists its options.

use std::ffi::OsString;
use std::process::{Command, ExitCode};
use std::time::Instant;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Tasks for the bigcommerce-carts workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate sdk/src/generated/ from spec/*.yaml (--check: fail on stale files), or any spec
    /// into a standalone crate (--spec FILE... --out DIR).
    #[command(disable_help_flag = true)]
    Generate(Passed),
    /// What a spec change changes for Rust callers of the SDK, and the version bump it needs.
    #[command(disable_help_flag = true)]
    Diff(Passed),
    /// Bring a published release in: keep it in spec/upstream/, merge its changes into our spec,
    /// regenerate.
    #[command(disable_help_flag = true)]
    Vendor(Passed),
    /// The conformance gate, run once: recorded cassettes, the live scenario (on the simulator, or
    /// --live --base-url URL), properties and rules; writes target/conformance/report.json.
    #[command(disable_help_flag = true)]
    Conformance(Passed),
    /// Record the live scenario as cassettes, secrets redacted.
    #[command(disable_help_flag = true)]
    Record(Passed),
}

/// A command's own arguments, handed on untouched.
#[derive(clap::Args)]
struct Passed {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<OsString>,
}

/// `cargo run` of `package`'s binary `bin` with `args`.
fn run(package: &str, bin: &str, args: &[OsString]) -> std::io::Result<bool> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["run", "--quiet", "--package", package, "--bin", bin, "--"])
        .args(args)
        .status()?;
    Ok(status.success())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (package, bin, args, what) = match cli.command {
        Task::Generate(passed) => ("xtask-codegen", "xtask-codegen", with("generate", passed), "generate"),
        Task::Diff(passed) => ("xtask-codegen", "xtask-codegen", with("diff", passed), "diff"),
        Task::Vendor(passed) => ("xtask-codegen", "xtask-codegen", with("vendor", passed), "vendor"),
        Task::Conformance(passed) => ("contract-tests", "conformance", passed.args, "conformance"),
        Task::Record(passed) => ("contract-tests", "conformance", with("record", passed), "record"),
    };
    let started = Instant::now();
    let passed = match run(package, bin, &args) {
        Ok(passed) => passed,
        Err(error) => {
            eprintln!("cargo xtask {what}: cannot start cargo: {error}");
            return ExitCode::FAILURE;
        }
    };
    let help = args.iter().any(|a| a == "--help" || a == "-h");
    if what == "conformance" && !help {
        println!(
            "gate wall time, build included: {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    if passed {
        ExitCode::SUCCESS
    } else {
        if what == "conformance" && !help {
            eprintln!(
                "cargo xtask conformance: the gate failed (see the table above and target/conformance/report.json)"
            );
        }
        ExitCode::FAILURE
    }
}

/// `command` followed by the passed arguments.
fn with(command: &str, passed: Passed) -> Vec<OsString> {
    std::iter::once(OsString::from(command)).chain(passed.args).collect()
}
