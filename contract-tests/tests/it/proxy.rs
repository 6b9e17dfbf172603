//! The consumer proxy in front of a second simulator: it forwards a service's requests, judges
//! them with the consumer rules, checks the answers against our spec and records cassettes
//! without secrets, also when the upstream's fault plan drops a connection.

use std::time::Duration;

use bigcommerce_carts::carts::types::{CartCreateRequest, CartLineItemsAddRequest, LineItemRequest};
use bigcommerce_carts::{Client, RetryPolicy};
use bigcommerce_carts_sim::consumer::Verdict;
use bigcommerce_carts_sim::{DEFAULT_ACCESS_TOKEN, Effect, FaultPlan, FaultRule, Simulator};
use contract_tests::proxy::{Proxy, ProxyOptions};
use contract_tests::{cassette, secrets};

async fn proxy_in_front_of(upstream: &Simulator) -> Proxy {
    Proxy::start(ProxyOptions {
        upstream: url::Url::parse(&upstream.base_url()).unwrap(),
        listen: "127.0.0.1:0".parse().unwrap(),
        channels: vec![1, 2, 3, 4, 5],
    })
    .await
    .expect("the proxy starts")
}

#[tokio::test]
async fn the_proxy_forwards_judges_and_records_without_secrets() {
    let upstream = Simulator::start().await.unwrap();
    let store = upstream.store("proxied");
    store
        .set_faults(FaultPlan::new(
            5,
            [FaultRule::with_effect("getCart", Effect::DropConnection).times(1)],
        ))
        .unwrap();
    let proxy = proxy_in_front_of(&upstream).await;
    let client = Client::builder("proxied", DEFAULT_ACCESS_TOKEN)
        .base_url(proxy.api_base("proxied"))
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(20)))
        .build()
        .unwrap();

    // A service that creates a cart on its channel, then adds to it without `version`.
    let item = LineItemRequest::builder().product_id(233).quantity(1);
    let request: CartCreateRequest = CartCreateRequest::builder()
        .channel_id(2)
        .line_items(vec![item.try_into().unwrap()])
        .try_into()
        .unwrap();
    let cart = client
        .carts()
        .create_cart()
        .body(request)
        .send()
        .await
        .unwrap()
        .into_inner()
        .data;
    let plates = LineItemRequest::builder().product_id(240).quantity(1);
    client
        .carts()
        .add_cart_line_items()
        .cart_id(cart.id)
        .body(CartLineItemsAddRequest::builder().line_items(vec![plates.try_into().unwrap()]))
        .send()
        .await
        .unwrap();
    // The upstream drops the first read; through the proxy the SDK sees a 502 and reads again.
    let read = client
        .carts()
        .get_cart()
        .cart_id(cart.id)
        .send()
        .await
        .unwrap()
        .into_inner()
        .data;
    assert_eq!(read.id, cart.id);

    // The upstream received what the service sent, the dropped read included.
    let upstream_saw: Vec<u16> = store.journal().iter().map(|e| e.status).collect();
    assert_eq!(upstream_saw, [201, 201, 0, 200]);

    // The service's requests, judged: the change without `version` fails, and says what to do.
    let report = proxy.conformance();
    let failing: Vec<&str> = report
        .rules
        .iter()
        .filter(|r| r.result == Verdict::Fail)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(failing, ["consumer.version_missing"], "{report:#?}");
    assert_eq!(
        report.rule("consumer.channel_id_missing").map(|r| r.result),
        Some(Verdict::Pass)
    );

    // The upstream's answers, checked against our spec: the simulator's all fit.
    let answers = proxy.answers();
    assert_eq!(
        answers.iter().map(|a| a.status).collect::<Vec<_>>(),
        [201, 201, 0, 200],
        "0: no answer came (the service got a 502 from the proxy)"
    );
    let problems: Vec<&String> = answers.iter().flat_map(|a| &a.problems).collect();
    assert!(problems.is_empty(), "{problems:#?}");

    // The cassettes carry no secret.
    let cassettes = proxy.cassettes();
    assert_eq!(cassettes.len(), 4);
    for recorded in &cassettes {
        let text = cassette::to_yaml(recorded).unwrap();
        assert!(secrets::scan(&text).is_empty(), "{text}");
        assert!(!text.contains(DEFAULT_ACCESS_TOKEN), "{text}");
    }
    assert_eq!(
        cassettes[0].file.display().to_string(),
        "carts.v3/createCart--proxy-0001.yaml"
    );
}
