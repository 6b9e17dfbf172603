//! A small service on the SDK: it puts a product in a new cart and hands out the cart's total and
//! a checkout link. `tests/checkout.rs` runs it against the simulator.

use bigcommerce_carts::carts::types::{CartCreateRequest, LineItemRequest, RedirectUrlsRequest};
use bigcommerce_carts::{Client, Decimal, Uuid};

/// Any failure of the service: the SDK's errors, a body it could not build, a missing link.
pub type Failure = Box<dyn std::error::Error + Send + Sync>;

/// What the service hands out for a new cart.
#[derive(Debug)]
pub struct Checkout {
    /// The new cart.
    pub cart_id: Uuid,
    /// What the cart comes to, exactly.
    pub total: Decimal,
    /// Where to send the shopper; it works once.
    pub link: String,
}

/// A new cart on channel 1 with `quantity` of `product_id`, its total and its checkout link.
pub async fn checkout_link(client: &Client, product_id: i64, quantity: i64) -> Result<Checkout, Failure> {
    let item = LineItemRequest::builder().product_id(product_id).quantity(quantity);
    let cart = client
        .carts()
        .create_cart()
        .body(
            CartCreateRequest::builder()
                .channel_id(1)
                .line_items(vec![item.try_into()?]),
        )
        .send()
        .await?
        .into_inner()
        .data;
    let urls = client
        .carts()
        .create_cart_redirect_url()
        .cart_id(cart.id)
        .body(RedirectUrlsRequest::builder())
        .send()
        .await?
        .into_inner()
        .data;
    // A service that cannot hand out a link says so instead of handing out an empty one.
    let link = urls.checkout_url.ok_or("the answer carries no checkout URL")?;
    Ok(Checkout {
        cart_id: cart.id,
        total: cart.cart_amount,
        link,
    })
}
