//! The conformance gate: replays every cassette, checks every documented
//! rule, prints the table and writes `report.json` and `junit.xml`. Exits 1
//! on any failure. Usually run through `cargo xtask conformance`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use contract_tests::{cassette, live, report, spec, suite};

#[derive(Parser)]
#[command(
    name = "conformance",
    about = "Check the SDK and the recorded responses against the documented rules"
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Where report.json and junit.xml go.
    #[arg(long, default_value = "target/conformance")]
    out: PathBuf,
    /// Also run the non-destructive rules against a real store
    /// (BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN).
    #[arg(long)]
    live: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Record the live scenario from a real store into cassettes/ (secrets redacted).
    Record,
}

/// Records the live scenario into the cassettes folder.
async fn record() -> ExitCode {
    let Some(credentials) = live::Credentials::from_env() else {
        eprintln!(
            "record: set BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN (and optionally BIGCOMMERCE_BASE_URL)"
        );
        return ExitCode::FAILURE;
    };
    let cassettes = match live::record(&credentials).await {
        Ok(cassettes) => cassettes,
        Err(error) => {
            eprintln!("record: {error}");
            return ExitCode::FAILURE;
        }
    };
    let dir = cassette::default_dir();
    for cassette in &cassettes {
        let path = dir.join(&cassette.file);
        let written = cassette::to_yaml(cassette).and_then(|text| cassette::write(&path, &text));
        match written {
            Ok(()) => println!(
                "recorded {} ({} -> {})",
                path.display(),
                cassette.summary,
                cassette.response.status
            ),
            Err(error) => {
                eprintln!("record: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Command::Record) = args.command {
        return record().await;
    }
    let specs = match spec::Specs::load(&spec::default_dir()) {
        Ok(specs) => specs,
        Err(error) => {
            eprintln!("conformance: {error}");
            return ExitCode::FAILURE;
        }
    };
    let cassettes = match cassette::load_all(&cassette::default_dir()) {
        Ok(cassettes) => cassettes,
        Err(error) => {
            eprintln!("conformance: {error}");
            return ExitCode::FAILURE;
        }
    };
    let started = std::time::Instant::now();
    let recorded = suite::run(&specs, &cassettes).await;
    println!(
        "recorded responses ({} cassettes, {} ms)\n",
        cassettes.len(),
        started.elapsed().as_millis()
    );
    print!("{}", report::to_table(&recorded));
    let mut failed = recorded.failed();
    if let Err(error) = report::write(&recorded, &args.out) {
        eprintln!(
            "conformance: cannot write the report into {}: {error}",
            args.out.display()
        );
        failed = true;
    } else {
        println!(
            "\nwrote {} and {}",
            args.out.join("report.json").display(),
            args.out.join("junit.xml").display()
        );
    }

    if args.live {
        match live::Credentials::from_env() {
            None => println!(
                "\nlive: skipped; set BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN to check a real store"
            ),
            Some(credentials) => match live::run(&specs, &credentials).await {
                Ok(live_report) => {
                    println!("\nlive store ({} interactions)\n", live_report.cassettes);
                    print!("{}", report::to_table(&live_report));
                    failed |= live_report.failed();
                    if let Err(error) = report::write(&live_report, &args.out.join("live")) {
                        eprintln!("conformance: cannot write the live report: {error}");
                        failed = true;
                    }
                }
                Err(error) => {
                    eprintln!("live: {error}");
                    failed = true;
                }
            },
        }
    }
    if failed {
        eprintln!("\nconformance: FAILED");
        ExitCode::FAILURE
    } else {
        println!("\nconformance: passed");
        ExitCode::SUCCESS
    }
}
