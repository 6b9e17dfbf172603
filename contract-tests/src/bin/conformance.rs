//! The conformance gate, run once: replays every recorded cassette, runs the
//! live scenario (against the simulator started here, or the server given),
//! checks the properties, judges every documented rule, prints the table and
//! writes `report.json` and `junit.xml` (and Markdown to
//! `$GITHUB_STEP_SUMMARY` in GitHub Actions). Exits 1 on any failure.
//! Usually run through `cargo xtask conformance`.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use contract_tests::gate::{self, Options, Target};
use contract_tests::live::Credentials;
use contract_tests::rules::{self, Filter};
use contract_tests::{cassette, report};

#[derive(Parser)]
#[command(
    name = "conformance",
    bin_name = "cargo xtask conformance",
    about = "Check the SDK, the recorded responses and a live server against the documented rules"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    target: TargetArgs,
    /// Where report.json and junit.xml go [default: the workspace's target/conformance].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Judge only these rules: ids or families, comma-separated (`redirect_urls.*,cart.id`).
    #[arg(long)]
    rules: Option<String>,
    /// Skip the property tests.
    #[arg(long)]
    no_properties: bool,
    /// Skip the recorded cassettes: only the live scenario (and the properties).
    #[arg(long)]
    no_recorded: bool,
    /// Judge a service's traffic instead: the consumer rules on a journal exported by the
    /// simulator's admin API (GET /__sim/stores/{h}/journal). Writes report.json and junit.xml
    /// into --out [default: the workspace's target/conformance/consumer].
    #[arg(long, value_name = "FILE", conflicts_with_all = ["rules", "no_properties", "no_recorded"])]
    journal: Option<PathBuf>,
}

#[derive(Args)]
struct TargetArgs {
    /// Run the live scenario against a server instead of the simulator started here:
    /// the token comes from BIGCOMMERCE_ACCESS_TOKEN, never from the command line.
    #[arg(long)]
    live: bool,
    /// The server's API base (default: BIGCOMMERCE_BASE_URL, else the store's at
    /// api.bigcommerce.com). Implies --live.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The store hash (default: BIGCOMMERCE_STORE_HASH).
    #[arg(long)]
    store_hash: Option<String>,
    /// Visit redirect URLs at this origin instead of the one they name (a simulator behind
    /// an https public name).
    #[arg(long, value_name = "URL")]
    storefront_url: Option<String>,
    /// Run no live scenario at all (the stateful rules are then not checkable).
    #[arg(long, conflicts_with_all = ["live", "base_url"])]
    no_live: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run the live scenario only and write its interactions as cassettes (secrets redacted).
    Record {
        #[command(flatten)]
        target: TargetArgs,
        /// Where the cassettes go (review them, then move them into contract-tests/cassettes/).
        #[arg(long, default_value = "target/recorded")]
        dir: PathBuf,
    },
    /// Print the table of rules, as the README has it.
    Rules,
    /// Stand between a service and a store: forward its requests to --upstream, and when
    /// interrupted judge them with the consumer rules, check the answers against our spec and
    /// write the report (and, with --record, the interactions as cassettes, secrets redacted).
    Proxy {
        /// The store's origin (`https://api.bigcommerce.com`, or a simulator's `http://HOST:PORT`).
        #[arg(long, value_name = "URL")]
        upstream: url::Url,
        /// Where to listen; the service's API base is then `http://ADDR/stores/{hash}/v3`.
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: std::net::SocketAddr,
        /// The store's channels, comma-separated, for consumer.channel_id_missing.
        #[arg(long, value_delimiter = ',')]
        channels: Vec<i64>,
        /// Write each interaction as a cassette into this folder.
        #[arg(long, value_name = "DIR")]
        record: Option<PathBuf>,
        /// Where report.json, junit.xml and answers.json go [default: the workspace's
        /// target/conformance/proxy].
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

impl TargetArgs {
    /// Whether the live scenario runs against a server rather than the simulator started here.
    fn server(&self) -> bool {
        !self.no_live && (self.live || self.base_url.is_some())
    }

    /// What the live scenario reaches over https, if anything: the server's API (BigCommerce's
    /// when no base URL is given), or the storefront its redirect URLs name (a real store's, when
    /// no `--storefront-url` says otherwise).
    fn https(&self) -> Option<String> {
        if !self.server() {
            return None;
        }
        let https = |url: &str| url::Url::parse(url).is_ok_and(|url| url.scheme() == "https");
        let base = self.base_url.clone().or_else(|| {
            std::env::var("BIGCOMMERCE_BASE_URL")
                .ok()
                .filter(|v| !v.trim().is_empty())
        });
        match (&base, &self.storefront_url) {
            (None, _) => Some("the store's API at api.bigcommerce.com".to_string()),
            (Some(base), _) if https(base) => Some(format!("the API at {base}")),
            (Some(_), None) => Some("the storefront the store's redirect URLs name".to_string()),
            (Some(_), Some(origin)) if https(origin) => Some(format!("the storefront at {origin}")),
            (Some(_), Some(_)) => None,
        }
    }

    fn target(&self) -> Result<Target, String> {
        if self.no_live {
            return Ok(Target::None);
        }
        if !self.live && self.base_url.is_none() {
            return Ok(Target::Simulator);
        }
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let store_hash = self
            .store_hash
            .clone()
            .or_else(|| env("BIGCOMMERCE_STORE_HASH"))
            .ok_or("--live needs the store hash: --store-hash or BIGCOMMERCE_STORE_HASH")?;
        let token = env("BIGCOMMERCE_ACCESS_TOKEN").ok_or("--live needs BIGCOMMERCE_ACCESS_TOKEN")?;
        let base_url = self.base_url.clone().or_else(|| env("BIGCOMMERCE_BASE_URL"));
        if let Some(base) = &base_url {
            url::Url::parse(base).map_err(|e| format!("--base-url {base:?}: {e}"))?;
        }
        let mut credentials = Credentials::new(store_hash, token, base_url);
        if let Some(origin) = &self.storefront_url {
            let origin = url::Url::parse(origin).map_err(|e| format!("--storefront-url {origin:?}: {e}"))?;
            credentials = credentials.with_storefront(origin);
        }
        Ok(Target::Server(credentials))
    }
}

async fn record(target: &TargetArgs, dir: &std::path::Path) -> ExitCode {
    let target = match target.target() {
        Ok(Target::None) => {
            eprintln!("record: --no-live leaves nothing to record from");
            return ExitCode::FAILURE;
        }
        Ok(target) => target,
        Err(error) => {
            eprintln!("record: {error}");
            return ExitCode::FAILURE;
        }
    };
    let session = match gate::record(&target).await {
        Ok(session) => session,
        Err(error) => {
            eprintln!("record: {error}");
            return ExitCode::FAILURE;
        }
    };
    for cassette in &session.cassettes {
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

/// `proxy`: serves until interrupted, then judges and writes what passed through.
async fn proxy(
    options: contract_tests::proxy::ProxyOptions,
    record: Option<&std::path::Path>,
    out: Option<&std::path::Path>,
) -> ExitCode {
    let proxy = match contract_tests::proxy::Proxy::start(options).await {
        Ok(proxy) => proxy,
        Err(error) => {
            eprintln!("proxy: {error}");
            return ExitCode::from(USAGE);
        }
    };
    println!(
        "listening on {} (API base: {})",
        proxy.base_url(),
        proxy.api_base("{store_hash}")
    );
    let _ = std::io::stdout().flush();
    let _ = tokio::signal::ctrl_c().await;
    let report = proxy.conformance();
    print!("\n{}", bigcommerce_carts_sim::consumer::to_table(&report));
    let answers = proxy.answers();
    let off: Vec<_> = answers.iter().filter(|a| !a.problems.is_empty()).collect();
    println!(
        "\nanswers: {}, of which {} depart from our spec",
        answers.len(),
        off.len()
    );
    for answer in &off {
        for problem in answer.problems.iter().take(5) {
            println!("    #{} {}: {problem}", answer.seq, answer.request);
        }
    }
    let out = out.map(std::path::Path::to_path_buf).unwrap_or_else(|| {
        let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate_dir.parent().unwrap_or(crate_dir).join("target/conformance/proxy")
    });
    let mut failed = report.failed() || !off.is_empty();
    let written = contract_tests::consumer::write(&report, &out).and_then(|()| {
        let json = serde_json::to_string_pretty(&answers).map_err(std::io::Error::other)?;
        std::fs::write(out.join("answers.json"), json)
    });
    if let Err(error) = written {
        eprintln!("proxy: cannot write the report into {}: {error}", out.display());
        failed = true;
    }
    if let Some(dir) = record {
        for recorded in proxy.cassettes() {
            let path = dir.join(&recorded.file);
            if let Err(error) = cassette::to_yaml(&recorded).and_then(|text| cassette::write(&path, &text)) {
                eprintln!("proxy: {error}");
                failed = true;
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// `--journal FILE`: the consumer rules on a service's traffic.
fn judge_journal(journal: &std::path::Path, out: Option<&std::path::Path>) -> ExitCode {
    let report = match contract_tests::consumer::judge_file(journal) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("conformance: {error}");
            return ExitCode::from(USAGE);
        }
    };
    print!("{}", bigcommerce_carts_sim::consumer::to_table(&report));
    let out = out.map(std::path::Path::to_path_buf).unwrap_or_else(|| {
        let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate_dir
            .parent()
            .unwrap_or(crate_dir)
            .join("target/conformance/consumer")
    });
    let mut failed = report.failed();
    match contract_tests::consumer::write(&report, &out) {
        Ok(()) => println!(
            "wrote {} and {}",
            out.join("report.json").display(),
            out.join("junit.xml").display()
        ),
        Err(error) => {
            eprintln!("conformance: cannot write the report into {}: {error}", out.display());
            failed = true;
        }
    }
    if failed {
        eprintln!("\nconformance: the service's traffic FAILED the consumer rules");
        ExitCode::FAILURE
    } else {
        println!("\nconformance: the service's traffic passed the consumer rules it exercised");
        ExitCode::SUCCESS
    }
}

/// The exit status of a command line the gate cannot run (a misspelt rule,
/// `--live` without a token), as clap's own usage errors; a gate that ran
/// and failed exits with 1.
const USAGE: u8 = 2;

/// The exit status of a gate built without TLS that was asked to reach a server over the
/// network: `cargo xtask` then builds it with the `tls` feature and runs it again.
const NEEDS_TLS: u8 = 3;

/// What in the command line needs TLS, if anything: a live server's https API or storefront,
/// or a proxy's https upstream. The simulator started here, the recorded cassettes and the
/// rules need none.
fn needs_tls(cli: &Cli) -> Option<String> {
    match &cli.command {
        Some(Command::Record { target, .. }) => target.https(),
        Some(Command::Proxy { upstream, .. }) => {
            (upstream.scheme() == "https").then(|| format!("the upstream {}", upstream.origin().ascii_serialization()))
        }
        Some(Command::Rules) => None,
        None if cli.journal.is_some() => None,
        None => cli.target.https(),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if !cfg!(feature = "tls")
        && let Some(what) = needs_tls(&cli)
    {
        eprintln!(
            "conformance: {what} needs TLS, which this build of the gate leaves out; \
             `cargo xtask conformance` builds it in by itself (or build with --features contract-tests/tls)"
        );
        return ExitCode::from(NEEDS_TLS);
    }
    match &cli.command {
        Some(Command::Record { target, dir }) => return record(target, dir).await,
        Some(Command::Rules) => {
            print!("{}", rules::markdown_table());
            return ExitCode::SUCCESS;
        }
        Some(Command::Proxy {
            upstream,
            listen,
            channels,
            record,
            out,
        }) => {
            let options = contract_tests::proxy::ProxyOptions {
                upstream: upstream.clone(),
                listen: *listen,
                channels: channels.clone(),
            };
            return proxy(options, record.as_deref(), out.as_deref()).await;
        }
        None => {}
    }
    if let Some(journal) = &cli.journal {
        return judge_journal(journal, cli.out.as_deref());
    }
    let filter = match cli.rules.as_deref().map(Filter::parse).transpose() {
        Ok(filter) => filter.unwrap_or_default(),
        Err(error) => {
            eprintln!("conformance: {error}");
            return ExitCode::from(USAGE);
        }
    };
    let target = match cli.target.target() {
        Ok(target) => target,
        Err(error) => {
            eprintln!("conformance: {error}");
            return ExitCode::from(USAGE);
        }
    };
    let options = Options {
        filter,
        target,
        recorded: !cli.no_recorded,
        properties: !cli.no_properties,
    };
    let out = cli.out.unwrap_or_else(|| {
        let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate_dir.parent().unwrap_or(crate_dir).join("target/conformance")
    });
    let started = Instant::now();
    let report = match gate::run(&options).await {
        Ok(report) => report,
        Err(error) => {
            eprintln!("conformance: {error}");
            return ExitCode::FAILURE;
        }
    };
    print!("{}", report::to_table(&report));
    println!("\nchecked in {:.1} s", started.elapsed().as_secs_f64());
    let mut failed = report.failed();
    match report::write(&report, &out) {
        Ok(()) => println!(
            "wrote {} and {}",
            out.join("report.json").display(),
            out.join("junit.xml").display()
        ),
        Err(error) => {
            eprintln!("conformance: cannot write the report into {}: {error}", out.display());
            failed = true;
        }
    }
    if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .and_then(|mut file| file.write_all(report::to_markdown(&report).as_bytes()));
        if let Err(error) = written {
            eprintln!("conformance: cannot write the job summary: {error}");
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
