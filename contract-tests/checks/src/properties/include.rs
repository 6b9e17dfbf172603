//! `include` lists go on the wire as one comma-separated value.

use bigcommerce_carts::{Client, Include};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

use super::{CASES, config};
use crate::canned::{Answer, CannedServer};
use crate::spec::Specs;

/// `include.comma_separated`: `get_cart().include(..)` with any list, against a server on 127.0.0.1.
pub(super) fn comma_separated(_specs: &Specs) -> Result<u32, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("a runtime: {e}"))?;
    let server = runtime.block_on(CannedServer::start(Answer::new(404)?))?;
    let client = Client::builder("props", "token")
        .base_url(server.uri())
        .build()
        .map_err(|e| e.to_string())?;
    let include = proptest::sample::select(vec![
        Include::RedirectUrls,
        Include::LineItemsPhysicalItemsOptions,
        Include::LineItemsDigitalItemsOptions,
        Include::PromotionsBanners,
    ]);
    TestRunner::new(config())
        .run(
            &(proptest::collection::vec(include, 1..6), any::<u128>()),
            |(values, id)| {
                let sent = runtime.block_on(async {
                    let _ = client
                        .carts()
                        .get_cart()
                        .cart_id(uuid::Uuid::from_u128(id))
                        .include(values.clone())
                        .send()
                        .await;
                    server
                        .take_received()
                        .pop()
                        .and_then(|r| r.uri.query().map(str::to_string))
                });
                let expected = format!(
                    "include={}",
                    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
                );
                prop_assert_eq!(sent, Some(expected));
                Ok(())
            },
        )
        .map(|()| CASES)
        .map_err(|e| e.to_string())
}
