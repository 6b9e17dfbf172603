//! Typed outcomes where an operation documents more than one kind of success.

use crate::Cart;
use crate::carts::types::CartLineItemDeleteResponse;

/// What removing a line item left behind. `deleteCartLineItem` answers with
/// the cart, or with 204 and no body when the item was the cart's last and
/// the cart was deleted with it:
///
/// ```no_run
/// # async fn run(client: bigcommerce_carts::Client, cart: uuid::Uuid, item: uuid::Uuid)
/// #     -> Result<(), bigcommerce_carts::Error> {
/// use bigcommerce_carts::LineItemRemoval;
///
/// let answer = client.carts().delete_cart_line_item().cart_id(cart).item_id(item).send().await?;
/// match LineItemRemoval::from(answer.into_inner()) {
///     LineItemRemoval::CartUpdated(cart) => println!("{} physical items left", cart.line_items.physical_items.len()),
///     LineItemRemoval::CartDeleted => println!("the cart is gone"),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum LineItemRemoval {
    /// The cart, without the item.
    CartUpdated(Box<Cart>),
    /// The item was the last one: the cart no longer exists (204).
    CartDeleted,
}

impl From<Option<CartLineItemDeleteResponse>> for LineItemRemoval {
    fn from(answer: Option<CartLineItemDeleteResponse>) -> Self {
        match answer {
            None => LineItemRemoval::CartDeleted,
            Some(CartLineItemDeleteResponse::Wrapped(wrapped)) => LineItemRemoval::CartUpdated(Box::new(wrapped.data)),
            Some(CartLineItemDeleteResponse::Bare(cart)) => LineItemRemoval::CartUpdated(Box::new(cart)),
        }
    }
}
