//! `bigcommerce-carts-sim`: runs the simulator until interrupted.
//!
//! ```sh
//! cargo run -p bigcommerce-carts-sim -- --port 0
//! ```
//!
//! The first line on standard output is `listening on http://HOST:PORT`, so a script can start
//! it on a free port and read where it went.

#![forbid(unsafe_code)]

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use bigcommerce_carts_sim::{Catalog, RateLimitConfig, Simulator};
use clap::Parser;

/// A stateful simulator of BigCommerce's Carts v3 and Abandoned Carts v3 APIs.
#[derive(Debug, Parser)]
#[command(name = "bigcommerce-carts-sim", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Base of minted redirect URLs (default: the simulator's own address).
    #[arg(long)]
    public_base_url: Option<String>,
    /// A catalog JSON file for new stores (default: the catalog shipped with the crate).
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Requests each store may make per window.
    #[arg(long)]
    quota: Option<u64>,
    /// Length of a quota window in milliseconds.
    #[arg(long)]
    window_ms: Option<u64>,
    /// Requests each store's journal keeps.
    #[arg(long)]
    journal_capacity: Option<usize>,
    /// Worker threads (default: one per core; 1 runs everything on the main thread).
    #[arg(long)]
    workers: Option<usize>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    // One worker runs everything on this thread: no work stealing, no cross-thread wake-ups,
    // which on a small machine leaves more of the CPU to the requests.
    let mut runtime = match args.workers {
        Some(1) => tokio::runtime::Builder::new_current_thread(),
        Some(workers) => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.worker_threads(workers.max(1));
            builder
        }
        None => tokio::runtime::Builder::new_multi_thread(),
    };
    let runtime = match runtime.enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let mut builder = Simulator::builder().bind(SocketAddr::new(args.host, args.port));
    if let Some(url) = args.public_base_url {
        builder = builder.public_base_url(url);
    }
    if let Some(path) = &args.catalog {
        let text = std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let catalog = Catalog::from_json(&text).map_err(|e| format!("{} is not a catalog: {e}", path.display()))?;
        builder = builder.catalog(catalog);
    }
    let mut limit = RateLimitConfig::default();
    if let Some(quota) = args.quota {
        limit.quota = quota;
    }
    if let Some(window_ms) = args.window_ms {
        limit.window_ms = window_ms.max(1);
    }
    builder = builder.rate_limit(limit);
    if let Some(capacity) = args.journal_capacity {
        builder = builder.journal_capacity(capacity);
    }
    let simulator = builder
        .start()
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let mut stdout = std::io::stdout();
    // A script waits for this line; if nobody reads standard output any more, serving goes on.
    let _ = writeln!(stdout, "listening on {}", simulator.base_url());
    let _ = stdout.flush();
    // It serves until the process is ended (Ctrl-C, a signal): nothing is kept that a graceful
    // stop would save. Waiting for Ctrl-C itself would need tokio's `signal` feature, which a
    // service's tests would then turn on in the tokio its own build shares with the SDK.
    simulator.run_until(std::future::pending()).await;
    Ok(())
}
