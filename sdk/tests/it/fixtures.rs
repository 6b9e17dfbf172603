//! Answers the tests serve: a whole cart, with every field the API always sends.

use serde_json::{Value, json};

/// A cart answer (`{"data": cart, "meta": {}}`) for cart `id`, with one physical item `item`.
pub fn cart_answer(id: &str, item: &str) -> Value {
    json!({"data": cart(id, item), "meta": {}})
}

/// A cart with the fields every answer carries and one physical item.
pub fn cart(id: &str, item: &str) -> Value {
    json!({
        "id": id,
        "customer_id": 0,
        "channel_id": 1,
        "email": "",
        "currency": {"code": "EUR"},
        "tax_included": true,
        "base_amount": 19.99,
        "discount_amount": 0,
        "cart_amount": 19.99,
        "coupons": [],
        "line_items": {
            "physical_items": [physical_item(item)],
            "digital_items": [],
            "gift_certificates": [],
            "custom_items": []
        },
        "created_time": "2026-03-02T09:14:27+00:00",
        "updated_time": "2026-03-02T09:14:28+00:00"
    })
}

/// A physical line item with the fields every answer carries.
pub fn physical_item(id: &str) -> Value {
    json!({
        "id": id,
        "parent_id": null,
        "variant_id": 154,
        "product_id": 77,
        "sku": "TEE-M",
        "name": "Tee",
        "url": "https://shop.example.com/tee/",
        "quantity": 1,
        "taxable": true,
        "image_url": "https://cdn.example.com/tee.jpg",
        "discounts": [],
        "coupons": [],
        "discount_amount": 0,
        "coupon_amount": 0,
        "list_price": 19.99,
        "sale_price": 19.99,
        "extended_list_price": 19.99,
        "extended_sale_price": 19.99,
        "is_require_shipping": true
    })
}
