//! The gate end to end: its live scenario against the simulator (in this
//! process, behind a proxy without the simulator's clock, and through the
//! `conformance` binary as `--live --base-url URL`), what it records, and
//! what it reports when a step fails.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bigcommerce_carts_sim::{DEFAULT_ACCESS_TOKEN, FaultPlan, FaultRule, Simulator};
use contract_tests::cassette;
use contract_tests::gate::{self, Options, SIMULATOR_PUBLIC_BASE, SIMULATOR_STORE, Target};
use contract_tests::live::Credentials;
use contract_tests::rules::{Filter, Verdict};
use contract_tests::spec::{self, Specs};
use contract_tests::suite::{self, Live};

const STATEFUL: [&str; 4] = [
    "redirect_urls.single_use",
    "redirect_urls.validity",
    "cart.expiry",
    "cart.version",
];

fn verdicts(report: &suite::Report) -> BTreeMap<&'static str, Verdict> {
    report.rules.iter().map(|r| (r.id, r.result)).collect()
}

async fn simulator() -> Simulator {
    Simulator::builder()
        .public_base_url(SIMULATOR_PUBLIC_BASE)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn against_the_simulator_every_rule_is_checked_and_holds() {
    let options = Options {
        recorded: false,
        properties: false,
        ..Options::default()
    };
    let report = gate::run(&options).await.unwrap();
    let live = report.live.as_ref().expect("the live scenario ran");
    assert_eq!(live.error, None);
    assert_eq!(
        (
            live.observations.visits.len(),
            live.observations.versioned.len(),
            live.observations.aged_reads.len()
        ),
        (4, 2, 2)
    );
    assert!(report.replay_failures.is_empty(), "{:?}", report.replay_failures);
    let failing: Vec<_> = report.rules.iter().filter(|r| r.result != Verdict::Pass).collect();
    assert!(failing.is_empty(), "{failing:#?}");
    for id in STATEFUL {
        let rule = report.rules.iter().find(|r| r.id == id).unwrap();
        assert!(
            rule.checked.iter().all(|case| case.case.starts_with("live: ")),
            "{id}: {:?}",
            rule.checked
        );
    }
    assert!(!report.failed());
}

#[tokio::test]
async fn without_a_live_scenario_the_stateful_rules_are_not_checkable_and_filters_apply() {
    let options = Options {
        filter: Filter::parse("cart.*").unwrap(),
        target: Target::None,
        recorded: false,
        properties: false,
    };
    let report = gate::run(&options).await.unwrap();
    let verdicts = verdicts(&report);
    assert!(verdicts.keys().all(|id| id.starts_with("cart.")), "{verdicts:?}");
    assert_eq!(verdicts["cart.expiry"], Verdict::NotCheckable);
    assert_eq!(verdicts["cart.version"], Verdict::NotCheckable);
    assert_eq!(verdicts["cart.id"], Verdict::Fail, "a rule no case exercises fails");
    assert!(report.live.is_none());
    assert!(report.failed());
}

#[tokio::test]
async fn recordings_carry_no_secret_and_replay_exactly() {
    let session = gate::record(&Target::Simulator).await.unwrap();
    assert_eq!(session.cassettes.len(), 13);
    let dir = tempfile::tempdir().unwrap();
    for recorded in &session.cassettes {
        let text = cassette::to_yaml(recorded).expect("no secret left");
        assert!(!text.contains(DEFAULT_ACCESS_TOKEN), "{text}");
        assert!(
            text.lines()
                .all(|line| !line.contains("token=") || line.contains("token=REDACTED")),
            "{text}"
        );
        cassette::write(&dir.path().join(&recorded.file), &text).unwrap();
    }
    let loaded = cassette::load_all(dir.path()).unwrap();
    assert_eq!(
        loaded.len(),
        session.cassettes.len(),
        "every step has a file of its own"
    );
    let specs = Specs::load(&spec::default_dir()).unwrap();
    let report = suite::run(&specs, &loaded, &Live::NotRun, &Filter::all()).await;
    assert!(report.replay_failures.is_empty(), "{:?}", report.replay_failures);
}

#[tokio::test]
async fn a_simulator_reached_as_a_server_is_recorded_as_the_simulator() {
    let sim = simulator().await;
    let credentials = Credentials::new("elsewhere", DEFAULT_ACCESS_TOKEN, Some(sim.api_base("elsewhere")))
        .with_storefront(sim.base_url().parse().unwrap());
    let session = gate::record(&Target::Server(credentials)).await.unwrap();
    assert!(!session.cassettes.is_empty());
    for recorded in &session.cassettes {
        assert_eq!(
            recorded.provenance.kind,
            cassette::ProvenanceKind::SimulatorRecording,
            "{}",
            recorded.provenance.source
        );
        assert!(
            recorded
                .provenance
                .source
                .starts_with("Recorded from simulator store elsewhere"),
            "{}",
            recorded.provenance.source
        );
    }
}

#[tokio::test]
async fn a_step_that_fails_fails_the_gate_and_still_deletes_the_cart() {
    let sim = simulator().await;
    let store = sim.store(SIMULATOR_STORE);
    store
        .set_faults(FaultPlan::new(1, [FaultRule::status("createCartRedirectURL", 503)]))
        .unwrap();
    let options = Options {
        target: Target::Server(gate::simulator_credentials(&sim)),
        recorded: false,
        properties: false,
        ..Options::default()
    };
    let report = gate::run(&options).await.unwrap();
    let error = report
        .live
        .as_ref()
        .and_then(|l| l.error.clone())
        .expect("the scenario stopped");
    assert!(error.starts_with("create redirect URLs: answered 503"), "{error}");
    assert!(report.failed());
    let operations: Vec<String> = store.journal().into_iter().filter_map(|e| e.operation).collect();
    assert_eq!(
        operations.last().map(String::as_str),
        Some("deleteCart"),
        "{operations:?}"
    );
}

/// Forwards everything but the simulator's control API to it: a server
/// whose clock the gate cannot move, as a real store's.
async fn forward(State(upstream): State<String>, request: Request) -> Response {
    let path_and_query = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    if path_and_query.starts_with("/__sim") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let method = request.method().clone();
    let headers = request.headers().clone();
    let body: Bytes = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let client = bigcommerce_carts::http_client_builder()
        .unwrap()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut outgoing = client.request(method, format!("{upstream}{path_and_query}")).body(body);
    for (name, value) in &headers {
        if name != "host" {
            outgoing = outgoing.header(name, value);
        }
    }
    let Ok(answer) = outgoing.send().await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let mut response = Response::builder().status(answer.status().as_u16());
    for (name, value) in answer.headers() {
        response = response.header(name, value);
    }
    response
        .body(axum::body::Body::from(answer.bytes().await.unwrap_or_default()))
        .unwrap()
}

#[tokio::test]
async fn a_server_without_a_clock_leaves_validity_and_expiry_not_checkable() {
    let sim = simulator().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(forward).with_state(sim.base_url());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let credentials = Credentials::new(
        SIMULATOR_STORE,
        DEFAULT_ACCESS_TOKEN,
        Some(format!("{proxy}/stores/{SIMULATOR_STORE}/v3")),
    )
    .with_storefront(url::Url::parse(&proxy).unwrap());
    let options = Options {
        target: Target::Server(credentials),
        recorded: false,
        properties: false,
        ..Options::default()
    };
    let report = gate::run(&options).await.unwrap();
    let verdicts = verdicts(&report);
    assert_eq!(verdicts["redirect_urls.single_use"], Verdict::Pass);
    assert_eq!(verdicts["cart.version"], Verdict::Pass);
    for id in ["redirect_urls.validity", "cart.expiry"] {
        let rule = report.rules.iter().find(|r| r.id == id).unwrap();
        assert_eq!(rule.result, Verdict::NotCheckable, "{id}");
        assert!(
            rule.failures[0].contains("no clock the gate can move"),
            "{:?}",
            rule.failures
        );
    }
    assert!(!report.failed());
}

// The simulator answers the binary from this test's runtime: give it threads of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_runs_live_against_a_base_url() {
    let sim = simulator().await;
    let out = tempfile::tempdir().unwrap();
    let base = sim.api_base("clistore");
    let status = tokio::process::Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args([
            "--live",
            "--base-url",
            &base,
            "--storefront-url",
            &sim.base_url(),
            "--no-properties",
            "--out",
        ])
        .arg(out.path())
        .env("BIGCOMMERCE_STORE_HASH", "clistore")
        .env("BIGCOMMERCE_ACCESS_TOKEN", DEFAULT_ACCESS_TOKEN)
        .env_remove("GITHUB_STEP_SUMMARY")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .status();
    let status = tokio::time::timeout(std::time::Duration::from_secs(300), status)
        .await
        .expect("the gate finishes")
        .unwrap();
    assert!(status.success());
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["live"]["target"], base.as_str());
    for id in STATEFUL {
        let rule = report["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap();
        assert_eq!(rule["result"], "pass", "{rule}");
    }
    assert!(out.path().join("junit.xml").exists());

    let misspelt = tokio::process::Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["--no-live", "--rules", "cart.expiry,redirect_url.shape"])
        .output()
        .await
        .unwrap();
    assert_eq!(misspelt.status.code(), Some(2), "a usage error, not a failed gate");
    let stderr = String::from_utf8_lossy(&misspelt.stderr);
    assert!(stderr.contains("\"redirect_url.shape\" names no rule"), "{stderr}");
}

/// A recorded answer that lacks a field our spec documents as always present
/// fails `answers.documented_fields`, naming the cassette and the field; the
/// SDK still decodes it, so the replay itself holds.
#[tokio::test]
async fn a_cassette_without_a_documented_field_fails_naming_it() {
    let specs = Specs::load(&spec::default_dir()).unwrap();
    let mut cassettes = cassette::load_all(&cassette::default_dir()).unwrap();
    let filter = Filter::parse("answers.documented_fields").unwrap();
    let report = suite::run(&specs, &cassettes, &Live::NotRun, &filter).await;
    assert_eq!(
        verdicts(&report)["answers.documented_fields"],
        Verdict::Pass,
        "{:#?}",
        report.rules
    );

    let sabotaged = cassettes
        .iter_mut()
        .find(|c| c.name().ends_with("getCart--digital-items"))
        .expect("the cassette");
    let item = sabotaged
        .response
        .body
        .as_mut()
        .and_then(|body| body.pointer_mut("/data/line_items/physical_items/0"))
        .and_then(serde_json::Value::as_object_mut)
        .expect("a physical item");
    assert!(item.remove("sku").is_some());
    let report = suite::run(&specs, &cassettes, &Live::NotRun, &filter).await;
    let rule = report
        .rules
        .iter()
        .find(|r| r.id == "answers.documented_fields")
        .unwrap();
    assert_eq!(rule.result, Verdict::Fail);
    assert_eq!(
        rule.failures,
        ["carts.v3/getCart--digital-items: missing /data/line_items/physical_items/0/sku"]
    );
    assert!(report.replay_failures.is_empty(), "{:?}", report.replay_failures);
}
