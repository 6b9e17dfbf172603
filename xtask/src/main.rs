//! Project automation: `cargo xtask <command>`. This file only parses
//! arguments; each command lives in a module of its own.

mod codegen;
mod conformance;
mod generate;
mod normalize;
mod spec;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Tasks for the bigcommerce-carts workspace")]
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
    },
    /// The conformance gate: contract tests and documented rules on the recorded responses; writes
    /// target/conformance/report.json and junit.xml.
    Conformance {
        /// Also check a real store (needs BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN).
        #[arg(long)]
        live: bool,
    },
    /// Record the live scenario from a real store into contract-tests/cassettes/, secrets redacted (needs
    /// BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN).
    Record,
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Generate {
            verbose,
            spec,
            out: Some(out),
            ..
        } => generate::generate_standalone(&spec, &out, verbose),
        Command::Generate { check, verbose, .. } => generate::generate_sdk(&generate::project_root(), check, verbose),
        Command::Conformance { live } => conformance::conformance(&generate::project_root(), live),
        Command::Record => conformance::record(&generate::project_root()),
    }
}
