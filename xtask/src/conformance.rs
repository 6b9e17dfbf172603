//! `cargo xtask conformance` and `cargo xtask record`: the gate over recorded
//! responses (and, with credentials, a live store), run by the contract-tests
//! crate. The xtask stays free of the SDK so that it can always regenerate
//! the SDK, even when the generated code does not build.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

fn cargo(root: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root);
    command
}

fn run(mut command: Command, what: &str) -> Result<bool> {
    let status = command.status().with_context(|| format!("starting {what}"))?;
    Ok(status.success())
}

/// Runs the contract-test suite, then the rules with their report.
pub fn conformance(root: &Path, live: bool) -> Result<()> {
    let started = Instant::now();
    println!("== contract tests (replays, proptest, snapshots)");
    let mut tests = cargo(root);
    tests.args(["test", "--package", "contract-tests"]);
    let tests_passed = run(tests, "cargo test")?;

    println!("\n== conformance rules");
    let out = root.join("target/conformance");
    let mut rules = cargo(root);
    rules
        .args([
            "run",
            "--quiet",
            "--package",
            "contract-tests",
            "--bin",
            "conformance",
            "--",
            "--out",
        ])
        .arg(&out);
    if live {
        rules.arg("--live");
    }
    let rules_passed = run(rules, "the conformance rules")?;
    println!("\nsuite wall time: {:.1} s", started.elapsed().as_secs_f64());
    match (tests_passed, rules_passed) {
        (true, true) => Ok(()),
        (false, true) => bail!("the contract tests failed (see above)"),
        (true, false) => bail!("a conformance rule failed (see the table above and {})", out.display()),
        (false, false) => bail!("the contract tests and the conformance rules failed (see above)"),
    }
}

/// Records the live scenario into contract-tests/cassettes/.
pub fn record(root: &Path) -> Result<()> {
    let mut command = cargo(root);
    command.args([
        "run",
        "--quiet",
        "--package",
        "contract-tests",
        "--bin",
        "conformance",
        "--",
        "record",
    ]);
    if !run(command, "the recorder")? {
        bail!("recording failed (see above)");
    }
    Ok(())
}
