//! The code-generation side of `cargo xtask`: `generate`, `diff`, `vendor`
//! and `coverage` (the `xtask` binary hands them here). Each command lives in
//! a module of its own and returns a report; this file parses the arguments,
//! prints the reports and turns a report that fails the run into the error
//! the process exits with.

mod codegen;
mod coverage;
mod diff;
mod generate;
mod normalize;
mod server_prefix;
mod spec_merge;

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Generation, diffs and vendoring for the bigcommerce-carts workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate sdk/src/generated/ from spec/*.yaml, or any spec into a standalone crate.
    Generate {
        /// Write nothing; fail naming each generated file that is not up to date.
        #[arg(long, conflicts_with_all = ["spec", "out"])]
        check: bool,
        /// Also list every place the normalization rules rewrote.
        #[arg(long, short)]
        verbose: bool,
        /// Generate these spec files (YAML or JSON) instead of spec/*.yaml ...
        #[arg(long, requires = "out", value_name = "FILE", num_args = 1..)]
        spec: Vec<PathBuf>,
        /// ... into a standalone crate in this directory (Cargo.toml and src/lib.rs; one module per spec when
        /// several are given).
        #[arg(long, requires = "spec", value_name = "DIR")]
        out: Option<PathBuf>,
        /// With several specs: an item a module defines exactly as an earlier one did becomes a
        /// re-export of it, so that compiling the crate checks each distinct item once.
        #[arg(long, requires = "out")]
        share_items: bool,
    },
    /// What a spec change changes for Rust callers of the SDK, and the version bump it needs.
    Diff {
        /// The old spec file.
        #[arg(required_unless_present_any = ["rev", "series"])]
        old: Option<PathBuf>,
        /// The new spec file.
        #[arg(required_unless_present_any = ["rev", "series"])]
        new: Option<PathBuf>,
        /// Compare each consecutive pair of these spec files instead (a release history, oldest
        /// first): one report per pair, in one run.
        #[arg(long, num_args = 2.., value_name = "FILE", conflicts_with_all = ["old", "new", "rev"])]
        series: Vec<PathBuf>,
        /// Compare spec/ at this git revision with the working tree instead.
        #[arg(long, conflicts_with_all = ["old", "new"], value_name = "GITREV")]
        rev: Option<String>,
        /// How to print the report.
        #[arg(long, value_enum, default_value_t = diff::Format::Text)]
        format: diff::Format,
        /// Exit 1 when a change of this severity (or worse) is found.
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
    },
    /// Bring a published release in: keep it as spec/upstream/NAME.yml, merge what it changed since the
    /// previous release into our spec/NAME.yaml (conflicts listed, our side kept), regenerate, and print the
    /// change for callers and the recorded responses that no longer fit. All or nothing.
    ///
    /// With --walk HISTORY, writes nothing: merges the published releases in HISTORY (a folder or a
    /// .tar.xz of NAME.YYYYMMDD.COMMIT.yml files) into a copy of our spec one by one, back from the
    /// release it follows to --from, then forward to the newest, and compares the end with the start;
    /// fails unless every step succeeds and the end states exactly the facts and deviations of the start.
    Vendor {
        /// The release file (YAML or JSON).
        #[arg(required_unless_present = "walk")]
        file: Option<PathBuf>,
        /// The spec it is a release of (carts.v3 merges into spec/carts.v3.yaml).
        #[arg(long = "as", value_name = "NAME")]
        name: String,
        /// Report what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Walk the published history instead (see above).
        #[arg(long, value_name = "HISTORY", conflicts_with_all = ["file", "dry_run"])]
        walk: Option<PathBuf>,
        /// How far back the walk goes: the first release on or after this date (YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "DATE", requires = "walk", default_value = "2024-06")]
        from: String,
        /// Also generate the SDK, in memory, from the spec the walk ends with.
        #[arg(long, requires = "walk")]
        generate: bool,
        /// Write the spec the walk ends with to this file.
        #[arg(long, value_name = "FILE", requires = "walk")]
        out: Option<PathBuf>,
    },
    /// How many of a published spec's facts our spec keeps: operations, parameters, statuses and
    /// body fields, differences explained by `x-deviation` counted as kept. Lists what ours lacks
    /// or states otherwise, then one summary line; fails when an operation is missing or field
    /// coverage is under --min-fields.
    Coverage {
        /// The published spec (spec/upstream/NAME.yml).
        published: PathBuf,
        /// Our spec (spec/NAME.yaml).
        ours: PathBuf,
        /// Fail when fewer than this percentage of the published fields are kept.
        #[arg(long, value_name = "PERCENT")]
        min_fields: Option<f64>,
        /// How many findings to list (0 for all).
        #[arg(long, default_value_t = 60, value_name = "N")]
        show: usize,
        /// Also list every difference our spec explains, with its reason.
        #[arg(long)]
        justified: bool,
    },
}

/// Severities `--fail-on` can name.
#[derive(Clone, Copy, clap::ValueEnum)]
enum FailOn {
    /// Fail on breaking changes.
    Breaking,
    /// Fail on additive or breaking changes.
    Additive,
}

impl FailOn {
    /// The least severe change that fails the run.
    fn threshold(self) -> diff::Severity {
        match self {
            FailOn::Breaking => diff::Severity::Breaking,
            FailOn::Additive => diff::Severity::Additive,
        }
    }
}

/// Runs the command; an error is printed as one line with its causes
/// (`error: reading x.yaml: No such file or directory`), without the
/// backtrace `RUST_BACKTRACE` would add to an expected failure.
fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Generate {
            spec,
            out: Some(out),
            share_items,
            ..
        } => {
            let report = generate::standalone::generate_standalone(&spec, &out, share_items)?;
            emit(&report.to_string());
            if !report.failed.is_empty() {
                let names: Vec<&str> = report.failed.iter().map(|(spec, _)| spec.as_str()).collect();
                bail!(
                    "{} of {} specs could not be generated: {}",
                    names.len(),
                    report.specs,
                    names.join(", ")
                );
            }
            Ok(())
        }
        Command::Generate { check, verbose, .. } => {
            let report = generate::generate_sdk(&generate::project_root(), check, verbose)?;
            emit(&report.to_string());
            let stale = report.stale();
            if !stale.is_empty() {
                bail!(generate::stale_message(&stale));
            }
            Ok(())
        }
        Command::Diff {
            old,
            new,
            rev,
            series,
            format,
            fail_on,
        } => {
            let comparison = match (rev, old, new) {
                _ if !series.is_empty() => diff::Comparison::Series(series),
                (Some(revision), _, _) => diff::Comparison::Revision(revision),
                (None, Some(old), Some(new)) => diff::Comparison::Files { old, new },
                _ => bail!("give two spec files, or --rev GITREV"),
            };
            let outcome = diff::command::run(&generate::project_root(), &comparison, format)?;
            emit(&outcome.output);
            let failing = fail_on.map_or(0, |level| outcome.at_least(level.threshold()));
            if failing > 0 {
                bail!("{failing} change(s) at or above the --fail-on level");
            }
            Ok(())
        }
        Command::Vendor {
            walk: Some(history),
            name,
            from,
            generate,
            out,
            ..
        } => {
            let request = spec_merge::WalkRequest {
                history: &history,
                name: &name,
                from: &from,
                generate,
                out: out.as_deref(),
            };
            let report = spec_merge::walk(&generate::project_root(), &request)?;
            emit(&report.to_string());
            if !report.clean() {
                bail!(
                    "the walk is not a clean round trip: {} of {} steps failed; the end {}",
                    report.failed(),
                    report.steps.len(),
                    if report.ending.same() {
                        "equals the start"
                    } else {
                        "differs from the start"
                    }
                );
            }
            Ok(())
        }
        Command::Vendor {
            file: Some(file),
            name,
            dry_run,
            ..
        } => {
            let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
            let request = spec_merge::Request {
                file: &file,
                name: &name,
                today: &today,
                dry_run,
            };
            emit(&spec_merge::vendor(&generate::project_root(), &request)?.to_string());
            Ok(())
        }
        Command::Vendor { file: None, .. } => bail!("give a release FILE, or --walk HISTORY"),
        Command::Coverage {
            published,
            ours,
            min_fields,
            show,
            justified,
        } => {
            let report = coverage::coverage(&published, &ours)?;
            emit(&report.to_text(show, justified));
            match report.failure(min_fields) {
                Some(failure) => bail!("{}: {failure}", ours.display()),
                None => Ok(()),
            }
        }
    }
}

/// Prints a command's report. A reader that stops early (`| head -1`) is
/// not an error: the rest is dropped, and the command's outcome stands.
fn emit(text: &str) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush())
        && error.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("cannot write the report: {error}");
    }
}
