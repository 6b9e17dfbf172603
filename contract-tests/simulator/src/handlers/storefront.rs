//! The storefront side of redirect URLs: `GET /cart.php?action=...&id=...&token=...`.
//!
//! The first visit of a valid URL loads the cart: the answer is `302 Found` to `/cart` (for
//! `action=load`) or `/checkout` (for `action=loadInCheckout`, with `embedded=1` kept), each
//! carrying `cart_id`. Any other visit (the URL was used before, is older than 30 days, names a
//! cart that is gone, or was never minted) is `302 Found` to `/cart` without a cart, where a
//! shopper would see an empty cart. The header `X-Sim-Redirect` says which case it was. This
//! is the simulator's choice; it has not been checked against a real store.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::journal::{JournalEntry, redact_query};
use crate::redirects::{Refusal, check};
use crate::spec::Query;
use crate::state::World;

/// The header that tells how a visit went.
pub(crate) const OUTCOME_HEADER: &str = "x-sim-redirect";

/// Where a loaded cart is sent.
fn destination(action: &str, embedded: bool, cart: Uuid) -> String {
    match (action, embedded) {
        ("load", _) => format!("/cart?cart_id={cart}"),
        (_, true) => format!("/checkout?cart_id={cart}&embedded=1"),
        _ => format!("/checkout?cart_id={cart}"),
    }
}

/// Tries to load the cart a URL names; gives the place to send the shopper.
///
/// A visit is journaled by the store that holds the cart. A URL naming no cart of any store
/// belongs to no store, so it is not journaled.
pub(crate) fn follow(world: &World, query: &Query, raw_query: Option<&str>) -> Result<String, Refusal> {
    let action = query.get("action").unwrap_or_default();
    let cart_id = query
        .get("id")
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or(Refusal::Invalid)?;
    let cell = world.store_with_cart(cart_id).ok_or(Refusal::CartMissing)?;
    let mut store = cell.lock();
    let now = world.now(&store);
    let now_ms = now.timestamp_millis();
    let outcome = (|| {
        if action != "load" && action != "loadInCheckout" {
            return Err(Refusal::Invalid);
        }
        let token = query.get("token").ok_or(Refusal::Invalid)?;
        let checked = check(&store.data.redirect_key, &cell.hash, cart_id, token, now_ms)?;
        if store.live_cart(cart_id, now).is_none() {
            return Err(Refusal::CartMissing);
        }
        // Checking and marking happen under the store's lock, so of many simultaneous visits
        // of one URL exactly one finds it unused.
        if store.data.used_redirects.contains_key(&checked.id) {
            return Err(Refusal::Used);
        }
        forget_lapsed(&mut store.data.used_redirects, now_ms);
        store.data.used_redirects.insert(checked.id, checked.issued_ms);
        Ok(destination(action, query.get("embedded") == Some("1"), cart_id))
    })();
    store.journal.push(JournalEntry {
        query: raw_query.map(redact_query),
        redirect: Some(
            match &outcome {
                Ok(_) => "loaded",
                Err(refusal) => refusal.as_str(),
            }
            .to_string(),
        ),
        ..JournalEntry::new(now, "GET", "/cart.php", StatusCode::FOUND.as_u16())
    });
    outcome
}

/// Used tokens older than 30 days would be refused as expired anyway, so they need not be
/// remembered; they are dropped now and then to keep the memory small.
fn forget_lapsed(used: &mut std::collections::HashMap<String, i64>, now_ms: i64) {
    if used.len() % 1024 == 1023 {
        used.retain(|_, issued| now_ms < issued.saturating_add(crate::clock::THIRTY_DAYS_MS));
    }
}

/// `GET /cart.php`.
pub(crate) async fn visit(State(world): State<Arc<World>>, uri: Uri) -> Response {
    let query = Query::parse(uri.query());
    let (location, outcome) = match follow(&world, &query, uri.query()) {
        Ok(location) => (location, "loaded"),
        Err(refusal) => ("/cart".to_string(), refusal.as_str()),
    };
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, value);
    }
    headers.insert(OUTCOME_HEADER, HeaderValue::from_static(outcome));
    response
}

/// `GET /cart` and `GET /checkout`: the pages a visit lands on, for a browser to show.
pub(crate) async fn landing(uri: Uri) -> Response {
    let query = Query::parse(uri.query());
    let page = if uri.path() == "/checkout" { "Checkout" } else { "Cart" };
    // Only a well-formed UUID is echoed, so nothing a visitor sends ends up in the page.
    let text = match query.get("cart_id").and_then(|id| Uuid::parse_str(id).ok()) {
        Some(cart) => format!("{page} of cart {cart} (simulated storefront)"),
        None => format!("{page}: your cart is empty (simulated storefront)"),
    };
    let html = format!("<!doctype html><html><head><title>{page}</title></head><body><p>{text}</p></body></html>\n");
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_follow_the_action() {
        let cart = Uuid::nil();
        assert_eq!(destination("load", false, cart), format!("/cart?cart_id={cart}"));
        assert_eq!(
            destination("loadInCheckout", false, cart),
            format!("/checkout?cart_id={cart}")
        );
        assert_eq!(
            destination("loadInCheckout", true, cart),
            format!("/checkout?cart_id={cart}&embedded=1")
        );
    }
}
