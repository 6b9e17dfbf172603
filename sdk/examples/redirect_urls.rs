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

/// A redirect URL without its `token=` value, which must not be logged.
fn without_token(url: Option<&String>) -> String {
    url.map_or_else(|| "(none)".into(), |url| redact_tokens(url))
}

fn print_urls(label: &str, urls: Option<&RedirectUrls>) {
    let Some(urls) = urls else {
        println!("{label}: no redirect URLs");
        return;
    };
    println!("{label}:");
    println!("  cart_url              {}", without_token(urls.cart_url.as_ref()));
    println!("  checkout_url          {}", without_token(urls.checkout_url.as_ref()));
    println!(
        "  embedded_checkout_url {}",
        without_token(urls.embedded_checkout_url.as_ref())
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
        .await
        .map_err(bigcommerce_carts::Error::from)?;
    println!("createCart answered {}", created.status());
    let cart = created.into_inner().data.ok_or("the answer has no cart")?;
    let cart_id = cart.id.ok_or("the cart has no id")?;
    println!("cart {cart_id}");
    print_urls("redirect URLs from createCart", cart.redirect_urls.as_ref());

    let fresh = client
        .carts()
        .create_cart_redirect_url()
        .cart_id(cart_id)
        .body(RedirectUrlsRequest::builder())
        .send()
        .await
        .map_err(bigcommerce_carts::Error::from)?;
    println!("createCartRedirectURL answered {}", fresh.status());
    print_urls("fresh redirect URLs", fresh.into_inner().data.as_ref());

    let deleted = client
        .carts()
        .delete_cart()
        .cart_id(cart_id)
        .send()
        .await
        .map_err(bigcommerce_carts::Error::from)?;
    println!("deleteCart answered {}", deleted.status());
    Ok(())
}
