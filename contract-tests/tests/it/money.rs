//! One spelling of money on both sides of the wire: the SDK's requests and
//! the simulator's answers write each amount as real answers do, a whole
//! amount as an integer (`35`, however many zeros its decimal carries) and
//! any other as the shortest number that reads back as it (`35.5`).
//!
//! The gate compares numbers by value, so it would not notice the two
//! writers drifting apart (`35.0` against `35`); this table holds both to
//! the same text.

use std::str::FromStr;

use bigcommerce_carts::Decimal;
use bigcommerce_carts::carts::types::LineItemRequest;
use bigcommerce_carts_sim::Money;

/// Each amount, as a decimal, and the JSON text both writers must give it.
const SPELLINGS: &[(&str, &str)] = &[
    ("35", "35"),
    ("35.0", "35"),
    ("35.00", "35"),
    ("35.5", "35.5"),
    ("35.50", "35.5"),
    ("19.99", "19.99"),
    ("129.80", "129.8"),
    ("0.1", "0.1"),
    ("0", "0"),
    ("0.00", "0"),
    ("-0.00", "0"),
    ("-5.00", "-5"),
    ("-0.10", "-0.1"),
    ("1000000000000.00", "1000000000000"),
    ("9223372036854775808", "9223372036854775808"),
    ("18446744073709551615.000", "18446744073709551615"),
    ("123456789.123456789", "123456789.12345679"),
];

/// What the SDK sends for `amount`: a line item's `list_price`.
fn sdk(amount: Decimal) -> String {
    let item: LineItemRequest = LineItemRequest::builder()
        .product_id(1)
        .quantity(1)
        .list_price(amount)
        .try_into()
        .unwrap();
    serde_json::to_value(&item).unwrap()["list_price"].to_string()
}

/// What the simulator answers for `amount`.
fn simulator(amount: Decimal) -> String {
    serde_json::to_string(&Money(amount)).unwrap()
}

#[test]
fn the_sdk_and_the_simulator_spell_every_amount_alike() {
    let mut wrong = Vec::new();
    for &(decimal, expected) in SPELLINGS {
        let amount = Decimal::from_str(decimal).unwrap();
        for (writer, written) in [("sdk", sdk(amount)), ("simulator", simulator(amount))] {
            if written != expected {
                wrong.push(format!("{writer} writes {decimal} as {written}, not {expected}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
