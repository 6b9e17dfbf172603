//! `cargo xtask <command>`: runs each task from the package that does it,
//! built only when asked for, so the gate does not wait for the code
//! generator to compile and the generator does not need the SDK to build:
//! - `generate`, `diff`, `vendor`, `coverage`: `xtask/codegen` (progenitor and friends);
//! - `conformance`, `record`: the gate binary of `contract-tests`.
//!
//! Each binary is built with the features of both packages together
//! (`cargo build -p contract-tests -p xtask-codegen --bin <one>`), which
//! are also the features `cargo test --workspace` compiles the code
//! generator's dependencies with: the generator and the tests share one
//! compiled copy of each. A test below keeps it so. The gate's HTTP stack
//! is the exception: it has neither TLS nor what the tests' mock server
//! turns on (HTTP/2 among it), which a cold gate would compile for nothing.
//!
//! The gate is built without TLS, which only a live server needs: a cold
//! gate on the simulator does not compile a TLS stack. When its command line
//! names a server, the gate says so with its own exit status, and this
//! binary builds it again with `contract-tests/tls` and runs it once more.
//!
//! Each command's own `--help` lists its options.

use std::ffi::OsString;
use std::process::{Command, ExitCode};
use std::time::Instant;

/// A task of `cargo xtask`: the binary that does it and the command that binary is given.
#[derive(Debug, PartialEq)]
struct Task {
    /// The name on the command line, `cargo xtask <name>`.
    name: &'static str,
    /// One line for `cargo xtask --help`.
    about: &'static str,
    /// The binary that runs it.
    bin: &'static str,
    /// The binary's own command placed before the passed arguments, if it takes one.
    command: Option<&'static str>,
}

/// Every task. The command line is read from this table without an argument parser: it is a
/// task's name and then arguments handed on untouched, which the task's binary parses with clap.
/// With clap, this binary took 4.1 s to build cold, against 0.6 s without, and nothing else
/// compiles meanwhile; the gate's own build compiles clap beside other crates.
const TASKS: [Task; 6] = [
    Task {
        name: "generate",
        about: "Regenerate sdk/src/generated/ from spec/*.yaml (--check: fail on stale files), or \
                any spec into a standalone crate (--spec FILE... --out DIR).",
        bin: "xtask-codegen",
        command: Some("generate"),
    },
    Task {
        name: "diff",
        about: "What a spec change changes for Rust callers of the SDK, and the version bump it needs.",
        bin: "xtask-codegen",
        command: Some("diff"),
    },
    Task {
        name: "vendor",
        about: "Bring a published release in: keep it in spec/upstream/, merge its changes into our \
                spec, regenerate.",
        bin: "xtask-codegen",
        command: Some("vendor"),
    },
    Task {
        name: "conformance",
        about: "The conformance gate, run once: recorded cassettes, the live scenario (on the \
                simulator, or --live --base-url URL), properties and rules; writes \
                target/conformance/report.json.",
        bin: "conformance",
        command: None,
    },
    Task {
        name: "record",
        about: "Record the live scenario as cassettes, secrets redacted.",
        bin: "conformance",
        command: Some("record"),
    },
    Task {
        name: "coverage",
        about: "How many of a published spec's facts our spec keeps (PUBLISHED OURS [--min-fields \
                PERCENT]).",
        bin: "xtask-codegen",
        command: Some("coverage"),
    },
];

/// What `cargo xtask`'s command line asks for.
#[derive(Debug, PartialEq)]
enum Asked {
    /// A task, and the arguments for its binary: the task's command, then the rest as given.
    Task(&'static Task, Vec<OsString>),
    /// The list of tasks (`--help`, `-h` or `help`).
    Help,
    /// No task named.
    Nothing,
    /// A first argument that names no task.
    Unknown(String),
}

/// Reads the command line after `cargo xtask`: the first argument names the task, and every
/// other one (a `--help` included) is the task's.
fn asked(args: impl IntoIterator<Item = OsString>) -> Asked {
    let mut args = args.into_iter();
    let Some(first) = args.next() else {
        return Asked::Nothing;
    };
    let Some(name) = first.to_str() else {
        return Asked::Unknown(first.to_string_lossy().into_owned());
    };
    if matches!(name, "--help" | "-h" | "help") {
        return Asked::Help;
    }
    match TASKS.iter().find(|task| task.name == name) {
        Some(task) => Asked::Task(task, task.command.map(OsString::from).into_iter().chain(args).collect()),
        None => Asked::Unknown(name.to_string()),
    }
}

/// `cargo xtask --help`: the tasks, one line each.
fn usage() -> String {
    let width = TASKS.iter().map(|task| task.name.len()).max().unwrap_or(0);
    let mut out =
        String::from("Tasks for the bigcommerce-carts workspace\n\nUsage: cargo xtask <TASK> [ARGS]...\n\nTasks:\n");
    for task in &TASKS {
        // Each description wrapped at 100 columns, under its own first line.
        let mut line = format!("  {:width$} ", task.name);
        for word in task.about.split_whitespace() {
            if line.len() + 1 + word.len() > 100 {
                out.push_str(&line);
                out.push('\n');
                line = " ".repeat(width + 3);
            }
            line.push(' ');
            line.push_str(word);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("\nEach task's own --help (cargo xtask <TASK> --help) lists its options.\n");
    out
}

/// The packages whose features every task is built with.
const PACKAGES: [&str; 2] = ["contract-tests", "xtask-codegen"];

/// The gate's exit status when it was built without TLS and its command line needs it
/// (`contract-tests/src/bin/conformance.rs`).
const GATE_NEEDS_TLS: u8 = 3;

/// The feature that gives the gate TLS.
const GATE_TLS: &str = "contract-tests/tls";

/// Builds the binary `bin` with the features of [`PACKAGES`] and `features`, then runs it with
/// `args`: its exit status, or `None` when it could not be built (cargo said why).
fn run(bin: &str, args: &[OsString], features: &[&str]) -> Result<Option<u8>, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // This binary lies in the profile's folder of the target directory, where cargo puts `bin`
    // too; its name is the profile's (`debug` is the dev profile).
    let this = std::env::current_exe().map_err(|e| format!("cannot tell where this binary is: {e}"))?;
    let folder = this.parent().ok_or("this binary is in no folder")?;
    let profile = match folder.file_name().and_then(|name| name.to_str()) {
        Some("debug") | None => "dev",
        Some(name) => name,
    };
    let mut build = Command::new(&cargo);
    forget_this_run(&mut build);
    build.args(["build", "--quiet", "--profile", profile, "--bin", bin]);
    for package in PACKAGES {
        build.args(["--package", package]);
    }
    for feature in features {
        build.args(["--features", feature]);
    }
    let built = build.status().map_err(|e| format!("cannot start cargo: {e}"))?;
    if !built.success() {
        return Ok(None);
    }
    let binary = folder.join(format!("{bin}{}", std::env::consts::EXE_SUFFIX));
    let mut task = Command::new(&binary);
    forget_this_run(&mut task);
    let status = task
        .args(args)
        .status()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    // A status beyond a byte, or none (a signal), is a failure like any other.
    Ok(Some(
        status.code().and_then(|code| u8::try_from(code).ok()).unwrap_or(1),
    ))
}

/// Removes from `command`'s environment what `cargo run` set for this binary (its manifest,
/// package and crate). Left in place, `CARGO_MANIFEST_DIR` reaches the inner cargo, and a build
/// script that watches it (ring's does) would run again, compiling everything above it once
/// more whenever `cargo xtask` and a plain `cargo build` or `cargo test` take turns.
fn forget_this_run(command: &mut Command) {
    forget(command, std::env::vars_os().map(|(name, _)| name));
}

/// Removes from `command`'s environment those of `names` that `cargo run` sets.
fn forget(command: &mut Command, names: impl Iterator<Item = std::ffi::OsString>) {
    for name in names {
        let Some(name) = name.to_str() else { continue };
        let set_by_cargo_run = matches!(
            name,
            "CARGO_MANIFEST_DIR"
                | "CARGO_MANIFEST_PATH"
                | "CARGO_CRATE_NAME"
                | "CARGO_BIN_NAME"
                | "CARGO_PRIMARY_PACKAGE"
        ) || name.starts_with("CARGO_PKG_");
        if set_by_cargo_run {
            command.env_remove(name);
        }
    }
}

fn main() -> ExitCode {
    let (task, args) = match asked(std::env::args_os().skip(1)) {
        Asked::Task(task, args) => (task, args),
        Asked::Help => {
            print!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Asked::Nothing => {
            eprint!("cargo xtask: name a task\n\n{}", usage());
            return ExitCode::from(2);
        }
        Asked::Unknown(name) => {
            eprint!("cargo xtask: no task is named `{name}`\n\n{}", usage());
            return ExitCode::from(2);
        }
    };
    let (bin, what) = (task.bin, task.name);
    let started = Instant::now();
    let mut outcome = run(bin, &args, &[]);
    if bin == "conformance" && matches!(outcome, Ok(Some(GATE_NEEDS_TLS))) {
        eprintln!("cargo xtask {what}: building the gate with TLS ({GATE_TLS})");
        outcome = run(bin, &args, &[GATE_TLS]);
    }
    let status = match outcome {
        Ok(Some(status)) => status,
        Ok(None) => return ExitCode::FAILURE,
        Err(error) => {
            eprintln!("cargo xtask {what}: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The gate ran (passed or failed, not a usage error, not `rules` or `--help`): its time.
    let first = args.first().and_then(|a| a.to_str()).unwrap_or("");
    let listing = first == "rules" || args.iter().any(|a| a == "--help" || a == "-h");
    if what == "conformance" && !listing && status <= 1 {
        println!(
            "gate wall time, build included: {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::from(status)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::PACKAGES;

    /// Every package with the features it is compiled with, as `cargo tree` resolves them for
    /// `selection` (the `(*)` of a repeated subtree dropped).
    fn resolved(selection: &[&str]) -> BTreeSet<(String, String)> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = std::process::Command::new(cargo)
            .args(["tree", "--locked", "--prefix", "none", "--format", "{p}|{f}"])
            .args(selection)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .output()
            .expect("cargo tree runs");
        assert!(
            output.status.success(),
            "cargo tree {selection:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout)
            .expect("cargo tree writes UTF-8")
            .lines()
            .filter_map(|line| line.trim_end_matches(" (*)").split_once('|'))
            .map(|(package, features)| (package.to_string(), features.to_string()))
            .collect()
    }

    /// Each task hands its binary its command and then every argument as given, its own
    /// `--help` and hyphens included; anything else is help or a usage error.
    #[test]
    fn each_task_hands_on_its_arguments() {
        use super::{Asked, TASKS, asked};
        let line = |words: &[&str]| asked(words.iter().map(Into::into).collect::<Vec<_>>());
        for task in &TASKS {
            let Asked::Task(chosen, args) = line(&[task.name, "--help", "-x", "plain"]) else {
                panic!("cargo xtask {} chooses no task", task.name);
            };
            assert_eq!(chosen.name, task.name);
            let expected: Vec<&str> = task.command.into_iter().chain(["--help", "-x", "plain"]).collect();
            assert_eq!(args, expected, "cargo xtask {}", task.name);
            assert!(
                super::usage().contains(&format!("  {} ", task.name)),
                "--help lists {}",
                task.name
            );
        }
        let names: BTreeSet<&str> = TASKS.iter().map(|task| task.name).collect();
        assert_eq!(names.len(), TASKS.len(), "two tasks share a name");
        assert_eq!(line(&["nosuch", "conformance"]), Asked::Unknown("nosuch".into()));
        assert_eq!(line(&[]), Asked::Nothing);
        for help in ["--help", "-h", "help"] {
            assert_eq!(line(&[help, "conformance"]), Asked::Help);
        }
    }

    /// The gate on the simulator compiles no TLS stack; with `contract-tests/tls` it has the
    /// SDK's default one. With or without, it compiles neither HTTP/2 nor the tests' mock server
    /// (`contract-tests/checks/src/canned.rs` serves its recorded answers).
    #[test]
    fn the_gate_compiles_tls_only_when_asked_and_no_mock_server() {
        let mut selection = vec!["--edges", "normal,build"];
        for package in PACKAGES {
            selection.extend(["--package", package]);
        }
        let named = |resolved: &BTreeSet<(String, String)>, names: &[&str]| -> BTreeSet<String> {
            resolved
                .iter()
                .filter_map(|(package, _)| package.split_whitespace().next())
                .filter(|name| names.contains(name))
                .map(str::to_string)
                .collect()
        };
        let tls = ["rustls", "aws-lc-rs", "ring", "native-tls"];
        let left_out = ["wiremock", "h2", "futures-macro"];
        let plain = resolved(&selection);
        assert_eq!(named(&plain, &tls), BTreeSet::new());
        assert_eq!(named(&plain, &left_out), BTreeSet::new());
        selection.extend(["--features", super::GATE_TLS]);
        let with_tls = resolved(&selection);
        assert_eq!(
            named(&with_tls, &tls),
            ["aws-lc-rs", "rustls"].into_iter().map(str::to_string).collect()
        );
        assert_eq!(named(&with_tls, &left_out), BTreeSet::new());
    }

    /// The inner cargo and the task do not see the manifest and package `cargo run` gave this
    /// binary (the tests run under cargo too, which sets the same variables).
    #[test]
    fn the_inner_cargo_does_not_inherit_this_run() {
        // What `cargo run -p xtask` sets, beside what every shell has.
        let environment = [
            "CARGO_MANIFEST_DIR",
            "CARGO_MANIFEST_PATH",
            "CARGO_PKG_NAME",
            "CARGO_PKG_VERSION",
            "CARGO_CRATE_NAME",
            "CARGO",
            "CARGO_HOME",
            "PATH",
        ];
        let mut command = std::process::Command::new("cargo");
        super::forget(&mut command, environment.iter().map(Into::into));
        let removed: BTreeSet<String> = command
            .get_envs()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name.to_string_lossy().into_owned())
            .collect();
        let expected: BTreeSet<String> = environment[..5].iter().map(ToString::to_string).collect();
        assert_eq!(
            removed, expected,
            "the manifest, package and crate go; cargo's own path and the rest stay"
        );
    }

    /// `cargo test --workspace` and the code generator's tasks compile each dependency of the
    /// generator with the same features, so that neither compiles it a second time. When a
    /// dev-dependency turns on a feature of such a dependency, ask for that feature in a normal
    /// dependency of one of the tasks' packages too. The gate is left out: it compiles its HTTP
    /// stack (hyper, futures-util and what lies above them) without the features the tests'
    /// mock server turns on, which costs one more build of that stack when it runs after the
    /// tests and spares a fresh clone's gate 7 to 18 s of CPU (the README, "How long it takes").
    #[test]
    fn the_generator_compiles_its_dependencies_as_the_tests_do() {
        let mut tasks_selection = vec!["--edges", "normal,build"];
        for package in PACKAGES {
            tasks_selection.extend(["--package", package]);
        }
        let tasks = resolved(&tasks_selection);
        let tests = resolved(&["--workspace", "--edges", "normal,build,dev"]);
        let generator = resolved(&["--edges", "normal,build", "--package", "xtask-codegen"]);
        let used: BTreeSet<&String> = generator
            .iter()
            .map(|(package, _)| package)
            .filter(|package| !package.starts_with("xtask-codegen "))
            .collect();
        let only_in_tests: Vec<String> = tests
            .iter()
            .filter(|entry| used.contains(&entry.0) && !tasks.contains(entry))
            .map(|(package, features)| format!("{package} with [{features}]"))
            .collect();
        assert!(
            only_in_tests.is_empty(),
            "the tests compile these with features the tasks do not ask for, so `cargo xtask` \
             would compile them again:\n  {}",
            only_in_tests.join("\n  ")
        );
    }
}
