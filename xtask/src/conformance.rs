//! `cargo xtask conformance` and `cargo xtask record`: one run of the gate
//! binary of the contract-tests crate, which replays, runs the live scenario
//! and the properties, and judges the rules once. The xtask stays free of the
//! SDK so that it can always regenerate the SDK, even when the generated code
//! does not build.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

fn gate(root: &Path, args: &[String]) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "--package",
            "contract-tests",
            "--bin",
            "conformance",
            "--",
        ])
        .args(args);
    command
}

/// Builds and runs the gate once with `args`.
pub fn conformance(root: &Path, args: &[String]) -> Result<()> {
    let started = Instant::now();
    let status = gate(root, args).status().context("starting the gate")?;
    if args.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(());
    }
    println!(
        "gate wall time, build included: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if !status.success() {
        bail!("the conformance gate failed (see the table above and target/conformance/report.json)");
    }
    Ok(())
}

/// Records the live scenario as cassettes.
pub fn record(root: &Path, args: &[String]) -> Result<()> {
    let mut record_args = vec!["record".to_string()];
    record_args.extend(args.iter().cloned());
    if !gate(root, &record_args)
        .status()
        .context("starting the recorder")?
        .success()
    {
        bail!("recording failed (see above)");
    }
    Ok(())
}
