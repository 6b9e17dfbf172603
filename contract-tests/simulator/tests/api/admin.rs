//! The control API (over HTTP and from Rust), the journal, namespacing, snapshots, the binary.

use std::time::Duration;

use bigcommerce_carts_sim::{BaseClock, Simulator};
use chrono::DateTime;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::common::{Answer, Api, read, unique_hash};

async fn admin(api: &Api, method: &str, path: &str, body: Option<Value>) -> Answer {
    let url = format!("{}/__sim{path}", api.sim.base_url());
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = api.http.request(method, url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    read(request.send().await.unwrap()).await
}

#[tokio::test]
async fn the_http_admin_api_sets_up_and_inspects_a_store() {
    let mut api = Api::start().await;
    let h = api.hash.clone();
    let index = admin(&api, "GET", "", None).await;
    assert_eq!(index.body["operations"].as_array().unwrap().len(), 26);

    let catalog = json!({"products": [{"id": 1, "name": "Tea", "price": 4.2, "variants": [{"id": 10, "sku": "TEA", "stock": 3}]}]});
    let loaded = admin(&api, "PUT", &format!("/stores/{h}/catalog"), Some(catalog)).await;
    assert_eq!(loaded.status, 200, "{}", loaded.body);
    let tea = api
        .create_cart(json!({"line_items": [{"quantity": 2, "product_id": 1}]}))
        .await;
    assert_eq!(tea["base_amount"], 8.4);
    assert_eq!(
        api.post("/carts", json!({"line_items": [{"quantity": 1, "product_id": 233}]}))
            .await
            .status,
        422
    );
    let bad_catalog = admin(
        &api,
        "PUT",
        &format!("/stores/{h}/catalog"),
        Some(json!({"products": [{"id": "x"}]})),
    )
    .await;
    assert_eq!(bad_catalog.status, 422);

    let limit = admin(
        &api,
        "PUT",
        &format!("/stores/{h}/rate-limit"),
        Some(json!({"quota": 50, "window_ms": 1000})),
    )
    .await;
    assert_eq!(limit.body, json!({"quota": 50, "window_ms": 1000}));
    assert_eq!(
        api.get("/carts/settings").await.header("x-rate-limit-requests-quota"),
        Some("50")
    );

    let faults = admin(
        &api,
        "PUT",
        &format!("/stores/{h}/faults"),
        Some(json!({"seed": 5, "rules": [{"operation": "getGlobalCartSettings", "effect": "status", "status": 502, "times": 1}]})),
    )
    .await;
    assert_eq!(faults.status, 200, "{}", faults.body);
    assert_eq!(api.get("/carts/settings").await.status, 502);
    assert_eq!(
        admin(&api, "GET", &format!("/stores/{h}/faults"), None).await.body["rules"][0]["times"],
        0
    );
    let bad_faults = admin(
        &api,
        "PUT",
        &format!("/stores/{h}/faults"),
        Some(json!({"rules": [{"operation": "nope", "effect": "latency"}]})),
    )
    .await;
    assert_eq!(bad_faults.status, 422);
    assert_eq!(
        admin(&api, "DELETE", &format!("/stores/{h}/faults"), None).await.body["rules"],
        json!([])
    );

    let before = admin(&api, "GET", &format!("/stores/{h}/clock"), None).await.body["now"].clone();
    let after = admin(
        &api,
        "POST",
        &format!("/stores/{h}/clock/advance"),
        Some(json!({"days": 2, "hours": 1})),
    )
    .await;
    let moved = DateTime::parse_from_rfc3339(after.body["now"].as_str().unwrap()).unwrap()
        - DateTime::parse_from_rfc3339(before.as_str().unwrap()).unwrap();
    assert!(moved >= chrono::TimeDelta::hours(49), "{moved}");

    let cart_id = tea["id"].as_str().unwrap();
    let minted = admin(
        &api,
        "POST",
        &format!("/stores/{h}/abandoned-carts"),
        Some(json!({"cart_id": cart_id})),
    )
    .await;
    assert_eq!(minted.status, 201);
    let token = minted.body["token"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/abandoned-carts/{token}")).await.body["data"]["cart_id"],
        cart_id
    );
    let no_cart = admin(
        &api,
        "POST",
        &format!("/stores/{h}/abandoned-carts"),
        Some(json!({"cart_id": uuid::Uuid::from_u128(fastrand::u128(..))})),
    )
    .await;
    assert_eq!(no_cart.status, 404);

    let profile = admin(&api, "GET", &format!("/stores/{h}/profile"), None).await.body;
    let mut changed = profile.clone();
    changed["channels"] = json!([1, 7]);
    changed["currency"] = json!("GBP");
    assert_eq!(
        admin(&api, "PUT", &format!("/stores/{h}/profile"), Some(changed))
            .await
            .status,
        200
    );
    assert_eq!(api.get("/carts/settings/channels/7").await.status, 200);
    assert_eq!(api.get("/carts/settings/channels/2").await.status, 422);

    let tokens = admin(
        &api,
        "PUT",
        &format!("/stores/{h}/tokens"),
        Some(json!([{"token": "fresh-token-123", "scopes": ["store_cart_read_only"]}])),
    )
    .await;
    assert_eq!(tokens.body, json!({"tokens": 1}), "the answer never repeats tokens");
    assert_eq!(
        api.get(&format!("/carts/{cart_id}")).await.status,
        401,
        "the old token is gone"
    );
    api.token = Some("fresh-token-123".into());
    assert_eq!(api.get(&format!("/carts/{cart_id}")).await.status, 200);

    let journal = admin(&api, "GET", &format!("/stores/{h}/journal"), None).await;
    assert!(!journal.body["entries"].as_array().unwrap().is_empty());
    admin(&api, "DELETE", &format!("/stores/{h}/journal"), None).await;
    assert_eq!(
        admin(&api, "GET", &format!("/stores/{h}/journal"), None).await.body["entries"],
        json!([])
    );

    assert_eq!(
        admin(&api, "POST", &format!("/stores/{h}/reset"), None).await.status,
        200
    );
    api.token = Some(bigcommerce_carts_sim::DEFAULT_ACCESS_TOKEN.into());
    assert_eq!(
        api.get(&format!("/carts/{cart_id}")).await.status,
        404,
        "reset forgets carts and restores tokens"
    );
    assert_eq!(
        api.create_cart(json!({"line_items": [{"quantity": 1, "product_id": 233}]}))
            .await["base_amount"],
        14.5
    );
    assert_eq!(admin(&api, "POST", "/reset", None).await.status, 204);
    assert_eq!(
        admin(&api, "GET", "/stores/not-a-hash!/journal", None).await.status,
        400
    );
    assert_eq!(admin(&api, "GET", "/nothing", None).await.status, 404);
}

#[tokio::test]
async fn the_journal_records_what_arrived_and_no_secrets() {
    let api = Api::start().await;
    let store = api.sim.store(&api.hash);
    let cart = api
        .post(
            "/carts?include=redirect_urls",
            json!({"line_items": [{"quantity": 1, "product_id": 233}]}),
        )
        .await;
    let url = cart.body["data"]["redirect_urls"]["cart_url"]
        .as_str()
        .unwrap()
        .to_string();
    let id = cart.body["data"]["id"].as_str().unwrap().to_string();
    api.visit(&url).await;
    api.raw("POST", "/carts", Some("{oops")).await;
    api.visit(&url).await;
    let other = api.post(&format!("/carts/{id}/redirect_urls"), json!({})).await.body["data"]["cart_url"]
        .as_str()
        .unwrap()
        .to_string();
    api.visit(&other).await;
    let journal = store.journal();
    assert_eq!(journal.len(), 6);
    assert_eq!(journal[0].operation.as_deref(), Some("createCart"));
    assert_eq!(
        (journal[0].method.as_str(), journal[0].path.as_str()),
        ("POST", "/carts")
    );
    assert_eq!(journal[0].query.as_deref(), Some("include=redirect_urls"));
    assert_eq!(journal[0].status, 201);
    assert_eq!(
        journal[0].body,
        Some(json!({"line_items": [{"quantity": 1, "product_id": 233}]}))
    );
    assert_eq!(journal[1].path, "/cart.php");
    assert_eq!(journal[1].redirect.as_deref(), Some("loaded"));
    // A visit keeps a fingerprint of its token: the same for two visits of one URL, another
    // for another URL, and never the token.
    let print = |entry: &bigcommerce_carts_sim::JournalEntry| {
        let query = entry.query.clone().unwrap_or_default();
        let (before, print) = query.split_once("&token=").unwrap();
        assert_eq!(before, format!("action=load&id={id}"));
        assert!(print.starts_with('#') && print.len() == 13, "{print}");
        print.to_string()
    };
    assert_eq!(print(&journal[1]), print(&journal[3]));
    assert_eq!(journal[3].redirect.as_deref(), Some("used"));
    assert_ne!(print(&journal[1]), print(&journal[5]));
    assert_eq!(
        (journal[2].status, journal[2].body.clone(), journal[2].invalid),
        (400, Some(json!("{oops")), true)
    );
    assert!(
        journal[2]
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("not valid JSON"),
        "{:?}",
        journal[2].error
    );
    assert_eq!(journal.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
    let text = serde_json::to_string(&journal).unwrap();
    for url in [&url, &other] {
        let token = url.rsplit_once("token=").unwrap().1;
        assert!(!text.contains(token), "no redirect token in the journal");
    }
    assert!(
        !text.contains(bigcommerce_carts_sim::DEFAULT_ACCESS_TOKEN),
        "no access token in the journal"
    );

    let small = Simulator::builder().journal_capacity(2).start().await.unwrap();
    let small = Api::on(small).await;
    for _ in 0..5 {
        small.get("/carts/settings").await;
    }
    let kept = small.sim.store(&small.hash).journal();
    assert_eq!(
        kept.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [4, 5],
        "the journal is a bounded ring"
    );
    let export = admin(&small, "GET", &format!("/stores/{}/journal", small.hash), None).await;
    assert_eq!(export.body["dropped"], 3, "and it counts what it forgot");
    assert_eq!(export.body["entries"].as_array().map(Vec::len), Some(2));
    assert_eq!(export.body["channels"], json!([1, 2, 3, 4, 5]));
}

#[tokio::test]
async fn stores_are_namespaced_by_hash() {
    let mut api = Api::start().await;
    let first = api.hash.clone();
    let id = api.mug_cart().await["id"].as_str().unwrap().to_string();
    api.put("/carts/settings", json!({"allow_purchasing": false})).await;
    api.hash = unique_hash("second");
    assert_eq!(
        api.get(&format!("/carts/{id}")).await.status,
        404,
        "another store cannot see the cart"
    );
    assert_eq!(api.get("/carts/settings").await.body["data"]["allow_purchasing"], true);
    let second = api.sim.store(&api.hash).journal();
    assert_eq!(second.len(), 2, "each store journals only its own requests");
    assert_eq!(second[0].status, 404);
    api.hash = first;
    assert_eq!(api.get(&format!("/carts/{id}")).await.status, 200);
    let first_journal = api.sim.store(&api.hash).journal();
    assert!(first_journal.iter().all(|e| e.status != 404), "{first_journal:?}");
}

#[tokio::test]
async fn a_snapshot_restores_the_whole_state_in_another_simulator() {
    let api = Api::start().await;
    let h = api.hash.clone();
    let cart = api
        .create_cart(json!({"line_items": [{"quantity": 2, "product_id": 412, "variant_id": 977}], "locale": "nl-BE"}))
        .await;
    let id = cart["id"].as_str().unwrap().to_string();
    api.post(
        &format!("/carts/{id}/metafields"),
        json!({"permission_set": "read", "namespace": "n", "key": "k", "value": "v"}),
    )
    .await;
    api.put("/carts/settings/channels/2", json!({"allow_purchasing": false}))
        .await;
    api.put(
        "/abandoned-carts/settings/channels/3",
        json!({"enable_notification": false}),
    )
    .await;
    let url = api.post(&format!("/carts/{id}/redirect_urls"), json!({})).await.body["data"]["cart_url"]
        .as_str()
        .unwrap()
        .to_string();
    let token = api.sim.store(&h).abandoned_cart_token(id.parse().unwrap()).unwrap();
    api.sim.store(&h).advance_clock(Duration::from_secs(3600)).unwrap();

    let exported = admin(&api, "GET", "/snapshot", None).await.body;
    assert_eq!(exported, api.sim.snapshot(), "HTTP and Rust give the same snapshot");

    let copy = Api {
        sim: Simulator::start().await.unwrap(),
        hash: h.clone(),
        http: api.http.clone(),
        token: api.token.clone(),
    };
    let imported = admin(&copy, "PUT", "/snapshot", Some(exported.clone())).await;
    assert_eq!(imported.status, 200, "{}", imported.body);
    assert_eq!(copy.sim.snapshot(), exported, "the import holds what was exported");
    assert_eq!(
        copy.get(&format!("/carts/{id}")).await.body,
        api.get(&format!("/carts/{id}")).await.body
    );
    assert_eq!(
        copy.get(&format!("/carts/{id}/metafields")).await.body,
        api.get(&format!("/carts/{id}/metafields")).await.body
    );
    assert_eq!(
        copy.get("/carts/settings/channels/2").await.body["data"]["allow_purchasing"],
        false
    );
    assert_eq!(
        copy.get("/abandoned-carts/settings/channels/3").await.body["data"]["enable_notification"],
        false
    );
    assert_eq!(copy.get(&format!("/abandoned-carts/{token}")).await.status, 200);
    assert_eq!(
        copy.sim.store(&h).now().unwrap().timestamp() / 60,
        api.sim.store(&h).now().unwrap().timestamp() / 60
    );
    // A redirect URL minted before the export loads in the copy (the signing key came along).
    let moved = url.replace(&api.sim.base_url(), &copy.sim.base_url());
    assert_eq!(copy.visit(&moved).await.header("x-sim-redirect"), Some("loaded"));

    let bad = admin(&copy, "PUT", "/snapshot", Some(json!({"format": 99, "stores": {}}))).await;
    assert_eq!(bad.status, 422);
    assert!(
        copy.sim
            .import_snapshot(json!({"format": 1, "stores": {"bad-hash": {}}}))
            .is_err()
    );
    assert_eq!(
        copy.get(&format!("/carts/{id}")).await.status,
        200,
        "a refused import changes nothing"
    );
}

#[tokio::test]
async fn a_frozen_clock_gives_repeatable_times() {
    let start = DateTime::parse_from_rfc3339("2026-03-02T09:14:27Z").unwrap().to_utc();
    let sim = Simulator::builder()
        .clock(BaseClock::Frozen(start))
        .start()
        .await
        .unwrap();
    let api = Api::on(sim).await;
    let cart = api.mug_cart().await;
    assert_eq!(cart["created_time"], "2026-03-02T09:14:27+00:00");
    api.sim.store(&api.hash).advance_clock(Duration::from_secs(1)).unwrap();
    let id = cart["id"].as_str().unwrap();
    let changed = api.put(&format!("/carts/{id}"), json!({"customer_id": 1})).await;
    assert_eq!(changed.body["data"]["updated_time"], "2026-03-02T09:14:28+00:00");
}

#[tokio::test]
async fn the_binary_prints_its_address_and_serves() {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_bigcommerce-carts-sim"))
        .args(["--port", "0", "--quota", "7"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .expect("the address is printed in time")
        .unwrap()
        .unwrap();
    let base = line
        .strip_prefix("listening on ")
        .expect("the first line names the address");
    assert!(base.starts_with("http://127.0.0.1:"), "{line}");
    let http = crate::common::http_client();
    let answer = http
        .get(format!("{base}/stores/binarytest/v3/carts/settings"))
        .header("x-auth-token", bigcommerce_carts_sim::DEFAULT_ACCESS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["x-rate-limit-requests-quota"], "7");
    child.kill().await.unwrap();
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let sim = Simulator::start().await.unwrap();
    let addr = sim.addr();
    let http = crate::common::http_client();
    let url = format!("{}/__sim", sim.base_url());
    assert_eq!(http.get(&url).send().await.unwrap().status(), 200);
    drop(sim);
    // The accept loop notices on its next turn; give it turns, not time.
    let mut refused = false;
    for _ in 0..1000 {
        tokio::task::yield_now().await;
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
    }
    assert!(refused, "the port is closed after the handle is dropped");
    assert!(
        http.get(&url).send().await.is_err(),
        "the pooled connection was closed too"
    );
}
