//! Creates a cart with `include=redirect_urls`, then a fresh redirect URL for it.
//!
//! ```sh
//! BIGCOMMERCE_STORE_HASH=abc123 BIGCOMMERCE_ACCESS_TOKEN=... BIGCOMMERCE_PRODUCT_ID=112 \
//!     cargo run -p bigcommerce-carts --example redirect_urls
//! ```
//!
//! `BIGCOMMERCE_BASE_URL` sends the requests elsewhere (a mock server, a proxy). The cart is
//! deleted at the end. Redirect URLs carry a token that restores the cart, so only their
//! addresses without the token are printed.

use bigcommerce_carts::carts::types::{CartCreateRequest, LineItemRequest, RedirectUrlsRequest};
use bigcommerce_carts::{Client, Include, RedirectUrls, redact_tokens};

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

/// Prints redirect URLs without their `token=` values, which must not be logged.
fn print_urls(label: &str, urls: Option<&RedirectUrls>) {
    let Some(urls) = urls else {
        println!("{label}: no redirect URLs");
        return;
    };
    println!("{label}:");
    println!(
        "  cart_url              {}",
        urls.cart_url
            .as_deref()
            .map_or_else(|| "(absent)".into(), redact_tokens)
    );
    println!(
        "  checkout_url          {}",
        urls.checkout_url
            .as_deref()
            .map_or_else(|| "(absent)".into(), redact_tokens)
    );
    println!(
        "  embedded_checkout_url {}",
        urls.embedded_checkout_url
            .as_deref()
            .map_or_else(|| "(absent)".into(), redact_tokens)
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Errors convert into bigcommerce_carts::Error, whose messages name the status and the
    // envelope's title, detail and field errors.
    let store_hash = env("BIGCOMMERCE_STORE_HASH")?;
    let token = env("BIGCOMMERCE_ACCESS_TOKEN")?;
    let product_id: i64 = env("BIGCOMMERCE_PRODUCT_ID")?.parse()?;
    let mut builder = Client::builder(store_hash, token);
    if let Ok(base_url) = std::env::var("BIGCOMMERCE_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;

    let item = LineItemRequest::builder().product_id(product_id).quantity(1);
    let created = client
        .carts()
        .create_cart()
        .include(vec![Include::RedirectUrls])
        .body(CartCreateRequest::builder().line_items(vec![item.try_into()?]))
        .send()
        .await?;
    println!("createCart answered {}", created.status());
    let cart = created.into_inner().data;
    let cart_id = cart.id;
    println!("cart {cart_id}, {} {}", cart.cart_amount, cart.currency.code);
    print_urls("redirect URLs from createCart", cart.redirect_urls.as_ref());

    let fresh = client
        .carts()
        .create_cart_redirect_url()
        .cart_id(cart_id)
        .body(RedirectUrlsRequest::builder())
        .send()
        .await?;
    println!("createCartRedirectURL answered {}", fresh.status());
    print_urls("fresh redirect URLs", Some(&fresh.into_inner().data));

    let deleted = client.carts().delete_cart().cart_id(cart_id).send().await?;
    println!("deleteCart answered {}", deleted.status());
    Ok(())
}
