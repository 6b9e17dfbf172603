//! The service against the simulator on 127.0.0.1, started through its library, as a service's
//! own tests would run it.

use std::time::Duration;

use app_service::checkout_link;
use bigcommerce_carts::{Client, Decimal, RetryPolicy};
use bigcommerce_carts_sim::{DEFAULT_ACCESS_TOKEN, Effect, FaultPlan, FaultRule, RedirectOutcome, Simulator};

#[tokio::test]
async fn the_checkout_link_survives_a_platform_429_and_works_once() {
    let sim = Simulator::start().await.expect("the simulator starts");
    let store = sim.store("appservice");
    store
        .set_faults(FaultPlan::new(
            7,
            [FaultRule::with_effect("createCartRedirectURL", Effect::Platform429).times(1)],
        ))
        .unwrap();
    let client = Client::builder("appservice", DEFAULT_ACCESS_TOKEN)
        .base_url(sim.api_base("appservice"))
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(20)))
        .build()
        .expect("a client");

    let checkout = checkout_link(&client, 233, 2).await.expect("the service copes");

    // Two mugs of the simulator's default catalog at 14.50.
    assert_eq!(checkout.total, Decimal::new(2900, 2));
    let calls: Vec<_> = store
        .journal()
        .into_iter()
        .map(|e| (e.operation.unwrap_or_default(), e.status))
        .collect();
    assert_eq!(
        calls,
        [
            ("createCart".to_string(), 201),
            ("createCartRedirectURL".to_string(), 429),
            ("createCartRedirectURL".to_string(), 201)
        ],
        "the SDK waits out the 429 and asks again"
    );
    assert_eq!(sim.visit(&checkout.link), RedirectOutcome::Loaded, "{checkout:?}");
    let report = store.conformance().expect("a report");
    assert!(
        !report.failed(),
        "{}",
        bigcommerce_carts_sim::consumer::to_table(&report)
    );
}
