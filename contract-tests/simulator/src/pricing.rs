//! Amounts of a cart, computed from its items.
//!
//! The simulator has no promotions, coupons or taxes, so each item's sale price is its list
//! price and the cart's discounts are zero. What remains is exact: extended prices are unit
//! price times quantity, and `base_amount` (equal here to `cart_amount`) adds up every product,
//! custom item and gift certificate, as the recorded carts do.

use rust_decimal::Decimal;

use crate::cart::Cart;
use crate::money::Money;

/// The amounts at the top of a cart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Totals {
    pub base_amount: Money,
    pub discount_amount: Money,
    pub cart_amount: Money,
}

/// The highest quantity one line item may hold.
pub(crate) const MAX_QUANTITY: i64 = 1_000_000;

/// The highest unit price a request may set (one trillion); together with [`MAX_QUANTITY`] it
/// keeps every amount far inside what a decimal can hold.
pub(crate) fn max_price() -> Decimal {
    Decimal::from(1_000_000_000_000i64)
}

/// A unit price times a quantity. The arithmetic is checked: an amount beyond what a decimal
/// holds (which the request limits prevent) becomes the largest decimal instead of a panic.
pub(crate) fn extended(unit: Money, quantity: i64) -> Money {
    Money(unit.0.checked_mul(Decimal::from(quantity)).unwrap_or(Decimal::MAX))
}

fn sum(amounts: impl Iterator<Item = Decimal>) -> Decimal {
    amounts.fold(Decimal::ZERO, |total, amount| {
        total.checked_add(amount).unwrap_or(Decimal::MAX)
    })
}

/// The cart's amounts.
pub(crate) fn totals(cart: &Cart) -> Totals {
    let products = cart.items.iter().map(|i| extended(i.list_price, i.quantity).0);
    let custom = cart.custom_items.iter().map(|i| extended(i.list_price, i.quantity).0);
    let gifts = cart.gift_certificates.iter().map(|g| extended(g.amount, g.quantity).0);
    let base = sum(products.chain(custom).chain(gifts));
    let discount = Decimal::ZERO;
    Totals {
        base_amount: Money(base),
        discount_amount: Money(discount),
        cart_amount: Money(base - discount),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::cart::{CustomLine, GiftLine};
    use crate::requests::Contact;

    #[test]
    fn custom_items_and_gift_certificates_count() {
        let mut cart = Cart::for_tests();
        let money = |s: &str| Money(Decimal::from_str(s).unwrap());
        cart.custom_items.push(CustomLine {
            id: uuid::Uuid::nil(),
            sku: None,
            name: "Assembly".into(),
            quantity: 1,
            list_price: money("35.00"),
            image_url: None,
        });
        cart.custom_items.push(CustomLine {
            id: uuid::Uuid::nil(),
            sku: None,
            name: "Engraving".into(),
            quantity: 2,
            list_price: money("7.5"),
            image_url: None,
        });
        cart.gift_certificates.push(GiftLine {
            id: uuid::Uuid::nil(),
            name: "Gift".into(),
            theme: "General".into(),
            amount: money("50"),
            quantity: 1,
            sender: Contact::default(),
            recipient: Contact::default(),
            message: None,
        });
        let totals = totals(&cart);
        assert_eq!(totals.base_amount, money("100"));
        assert_eq!(totals.cart_amount, money("100"));
        assert_eq!(extended(money("0.1"), 3), money("0.3"));
        assert_eq!(
            extended(Money(Decimal::MAX), 2),
            Money(Decimal::MAX),
            "no panic on overflow"
        );
    }
}
