//! One run of the gate: the recorded cassettes, the live scenario (against
//! the simulator started here, or a server) and the properties, side by
//! side, judged once into one [`Report`].

use std::sync::Arc;

use bigcommerce_carts_sim::{DEFAULT_ACCESS_TOKEN, Simulator};

use crate::cassette::{self, CassetteError};
use crate::live::{self, Credentials, LiveError, Session};
use crate::properties;
use crate::rules::Filter;
use crate::spec::{self, SpecError, Specs};
use crate::suite::{self, Live, Report};

/// The store hash the gate's own simulator serves.
pub const SIMULATOR_STORE: &str = "conformance";
/// Where the gate's own simulator says its redirect URLs live (it serves them itself).
pub const SIMULATOR_PUBLIC_BASE: &str = "https://conformance-store.example.com";

/// Where the live scenario runs.
#[derive(Debug, Clone)]
pub enum Target {
    /// Nowhere: the stateful rules are not checkable.
    None,
    /// The simulator, started in this process on 127.0.0.1.
    Simulator,
    /// A server: a store, a proxy, a simulator started elsewhere.
    Server(Credentials),
}

/// What a run does.
#[derive(Debug, Clone)]
pub struct Options {
    /// The rules judged.
    pub filter: Filter,
    /// Where the live scenario runs.
    pub target: Target,
    /// Whether the recorded cassettes are replayed.
    pub recorded: bool,
    /// Whether the properties are checked.
    pub properties: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            filter: Filter::all(),
            target: Target::Simulator,
            recorded: true,
            properties: true,
        }
    }
}

/// Why the gate could not run at all (a failed check is a [`Report`], not this).
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    /// The specs could not be read.
    #[error(transparent)]
    Specs(#[from] SpecError),
    /// The cassettes could not be read.
    #[error(transparent)]
    Cassettes(#[from] CassetteError),
    /// The simulator did not start.
    #[error("the simulator did not start: {0}")]
    Simulator(std::io::Error),
}

/// Runs the gate once.
pub async fn run(options: &Options) -> Result<Report, GateError> {
    let specs = Arc::new(Specs::load(&spec::default_dir())?);
    let recorded = if options.recorded {
        cassette::load_all(&cassette::default_dir())?
    } else {
        Vec::new()
    };

    // The properties are CPU work on threads of their own, beside the replays.
    let checking = options.properties.then(|| {
        let specs = Arc::clone(&specs);
        tokio::task::spawn_blocking(move || properties::run_all(&specs))
    });

    let (target, session) = match &options.target {
        Target::None => (None, None),
        Target::Simulator => {
            let simulator = Simulator::builder()
                .public_base_url(SIMULATOR_PUBLIC_BASE)
                .start()
                .await
                .map_err(GateError::Simulator)?;
            let credentials = simulator_credentials(&simulator);
            let session = live::run(&credentials).await;
            (Some(credentials.base_url), Some(session))
        }
        Target::Server(credentials) => (Some(credentials.base_url.clone()), Some(live::run(credentials).await)),
    };
    let live = match (&target, &session) {
        (Some(target), Some(Ok(session))) => Live::Ran {
            target: target.clone(),
            session,
        },
        (Some(target), Some(Err(error))) => Live::Stopped {
            target: target.clone(),
            error: error.to_string(),
        },
        _ => Live::NotRun,
    };
    let mut report = suite::run(&specs, &recorded, &live, &options.filter).await;
    if let Some(checking) = checking {
        report.properties = checking.await.unwrap_or_default();
    }
    Ok(report)
}

/// Credentials for the store [`SIMULATOR_STORE`] of `simulator`.
pub fn simulator_credentials(simulator: &Simulator) -> Credentials {
    let storefront = url::Url::parse(&simulator.base_url()).expect("the simulator's own URL");
    Credentials::new(
        SIMULATOR_STORE,
        DEFAULT_ACCESS_TOKEN,
        Some(simulator.api_base(SIMULATOR_STORE)),
    )
    .with_storefront(storefront)
    .simulator()
}

/// Runs the live scenario against `target` alone, for recording.
pub async fn record(target: &Target) -> Result<Session, GateRecordError> {
    match target {
        Target::None => Err(GateRecordError::NoTarget),
        Target::Simulator => {
            let simulator = Simulator::builder()
                .public_base_url(SIMULATOR_PUBLIC_BASE)
                .start()
                .await
                .map_err(|e| GateRecordError::Gate(GateError::Simulator(e)))?;
            Ok(live::run(&simulator_credentials(&simulator)).await?)
        }
        Target::Server(credentials) => Ok(live::run(credentials).await?),
    }
}

/// Why recording failed.
#[derive(Debug, thiserror::Error)]
pub enum GateRecordError {
    /// Nothing to record from.
    #[error("nothing to record from")]
    NoTarget,
    /// The gate could not start.
    #[error(transparent)]
    Gate(#[from] GateError),
    /// The scenario stopped.
    #[error(transparent)]
    Live(#[from] LiveError),
}
