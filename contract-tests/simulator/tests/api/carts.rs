//! Carts and line items: ids, defaults, prices from the catalog, includes, versions, expiry.

use std::time::Duration;

use bigcommerce_carts_sim::StoreProfile;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{Api, first_physical_item};

const DAY: Duration = Duration::from_secs(86_400);

#[tokio::test]
async fn a_new_cart_has_a_uuid_version_1_and_channel_1_by_default() {
    let api = Api::start().await;
    let answer = api
        .post(
            "/carts",
            json!({"line_items": [{"quantity": 1, "product_id": 233, "variant_id": 541}]}),
        )
        .await;
    assert_eq!(answer.status, 201);
    assert_eq!(answer.body["meta"], json!({}));
    let cart = &answer.body["data"];
    let id = Uuid::parse_str(cart["id"].as_str().unwrap()).expect("the cart id is a UUID");
    assert_eq!(id.get_version_num(), 4);
    assert_eq!(cart["channel_id"], 1);
    assert_eq!(cart["customer_id"], 0);
    assert_eq!(cart["version"], 1);
    assert_eq!(cart["currency"]["code"], "USD");
    assert_eq!(cart["created_time"], cart["updated_time"]);
    chrono::DateTime::parse_from_rfc3339(cart["created_time"].as_str().unwrap()).expect("an RFC 3339 time");
    let item_id = first_physical_item(cart);
    assert!(Uuid::parse_str(&item_id).is_ok(), "line item ids are UUIDs");
    assert_eq!(cart["line_items"]["physical_items"][0]["parent_id"], Value::Null);

    let other = api
        .create_cart(json!({"channel_id": 3, "customer_id": 12, "currency": {"code": "EUR"}, "line_items": []}))
        .await;
    assert_eq!(other["channel_id"], 3);
    assert_eq!(other["customer_id"], 12);
    assert_eq!(other["currency"]["code"], "EUR");
    assert_ne!(other["id"], cart["id"], "every cart gets its own id");
    let unknown = api.post("/carts", json!({"channel_id": 9041, "line_items": []})).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body["errors"]["channel_id"].is_string());
}

#[tokio::test]
async fn locales_must_be_language_or_language_and_region() {
    let api = Api::start().await;
    for locale in ["nl", "nl-BE", "fr-CA"] {
        let cart = api.create_cart(json!({"locale": locale, "line_items": []})).await;
        assert_eq!(cart["locale"], locale);
    }
    for locale in ["english", "en_US", "EN", "en-us", "e"] {
        let answer = api.post("/carts", json!({"locale": locale, "line_items": []})).await;
        assert_eq!(answer.status, 422, "{locale}: {}", answer.body);
        assert!(answer.body["errors"]["locale"].is_string(), "{}", answer.body);
    }
}

#[tokio::test]
async fn amounts_are_computed_from_the_catalog() {
    let api = Api::start().await;
    let cart = api
        .create_cart(json!({
            "line_items": [
                {"quantity": 2, "product_id": 412, "variant_id": 977},
                {"quantity": 1, "product_id": 505}
            ],
            "custom_items": [{"sku": "ENGRAVE", "name": "Engraving", "quantity": 2, "list_price": 7.5}],
            "gift_certificates": [{
                "name": "Gift", "theme": "General", "amount": 50, "quantity": 1,
                "sender": {"name": "A", "email": "a@example.org"},
                "recipient": {"name": "B", "email": "b@example.org"}
            }]
        }))
        .await;
    let items = &cart["line_items"]["physical_items"];
    assert_eq!(items[0]["sku"], "LMP-OAK-S");
    assert_eq!(items[0]["list_price"], 64.9);
    assert_eq!(items[0]["extended_list_price"], 129.8);
    assert_eq!(items[0]["extended_sale_price"], 129.8);
    // Product 505 is on sale: its list price is the sale price, its original price the default.
    assert_eq!(items[1]["original_price"], 22);
    assert_eq!(items[1]["list_price"], 18.5);
    assert_eq!(cart["line_items"]["custom_items"][0]["extended_list_price"], 15);
    assert_eq!(cart["line_items"]["gift_certificates"][0]["amount"], 50);
    // 129.8 + 18.5 + 15 + 50, exactly.
    assert_eq!(cart["base_amount"], 213.3);
    assert_eq!(cart["cart_amount"], 213.3);
    assert_eq!(cart["discount_amount"], 0);

    // Many small amounts add up without binary-float drift.
    let cents = api
        .create_cart(json!({"custom_items": [
            {"name": "a", "quantity": 3, "list_price": 0.1},
            {"name": "b", "quantity": 1, "list_price": 0.2}
        ]}))
        .await;
    assert_eq!(cents["base_amount"], 0.5);
    let override_price = api
        .create_cart(json!({"line_items": [{"quantity": 3, "product_id": 233, "list_price": 9.99}]}))
        .await;
    assert_eq!(override_price["line_items"]["physical_items"][0]["list_price"], 9.99);
    assert_eq!(
        override_price["line_items"]["physical_items"][0]["original_price"],
        14.5
    );
    assert_eq!(override_price["base_amount"], 29.97);
}

#[tokio::test]
async fn option_selections_pick_the_variant_and_price_the_modifiers() {
    let api = Api::start().await;
    let answer = api
        .post(
            "/carts?include=line_items.physical_items.options",
            json!({"line_items": [
                {"quantity": 1, "product_id": 412, "option_selections": [{"option_id": 80, "option_value": 402}]},
                {"quantity": 1, "product_id": 726, "option_selections": [
                    {"option_id": 61, "option_value": 305},
                    {"option_id": 62, "option_value": "Happy 60th, Ines"},
                    {"option_id": 63, "option_value": 311}
                ]},
                {"quantity": 1, "product_id": 731, "option_selections": [
                    {"option_id": 71, "option_value": 1773619200},
                    {"option_id": 72, "option_value": {"day": "22", "month": "06", "year": "2026"}}
                ]}
            ]}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let items = &answer.body["data"]["line_items"]["physical_items"];
    assert_eq!(items[0]["variant_id"], 978, "Large picks the large lamp");
    assert_eq!(items[0]["list_price"], 84.9);
    assert_eq!(
        items[0]["options"],
        json!([{"name": "Size", "nameId": 80, "value": "Large", "valueId": 402}])
    );
    // 18 + 2.50 (rose gold) + 3 (gift box).
    assert_eq!(items[1]["list_price"], 23.5);
    assert_eq!(
        items[1]["options"][1],
        json!({"name": "Engraving", "nameId": 62, "value": "Happy 60th, Ines", "valueId": 0})
    );
    assert_eq!(items[2]["options"][0]["value"], "Mar 16th 2026");
    assert_eq!(items[2]["options"][1]["value"], "Jun 22nd 2026");
}

#[tokio::test]
async fn catalog_rules_refuse_items_with_422_naming_the_field() {
    let api = Api::start().await;
    let refused = |answer: &crate::common::Answer, field: &str| {
        assert_eq!(answer.status, 422, "{}", answer.body);
        assert_eq!(answer.body["status"], 422);
        assert!(answer.body["errors"][field].is_string(), "{field}: {}", answer.body);
    };
    let create = |items: Value| api.post("/carts", json!({ "line_items": items }));
    refused(
        &create(json!([{"quantity": 1, "product_id": 9051}])).await,
        "line_items[0].product_id",
    );
    refused(
        &create(json!([{"quantity": 1, "product_id": 1}])).await,
        "line_items[0].product_id",
    );
    refused(
        &create(json!([{"quantity": 1, "product_id": 233}, {"quantity": 1, "product_id": 412, "variant_id": 541}]))
            .await,
        "line_items[1].variant_id",
    );
    refused(
        &create(json!([{"quantity": 1, "product_id": 412}])).await,
        "line_items[0].variant_id",
    );
    refused(
        &create(json!([{"quantity": 1, "product_id": 415, "variant_id": 986}])).await,
        "line_items[0].variant_id",
    );
    refused(
        &create(
            json!([{"quantity": 1, "product_id": 726, "option_selections": [{"option_id": 61, "option_value": 304}]}]),
        )
        .await,
        "line_items[0].option_selections",
    );
    refused(
        &create(json!([{"quantity": 1, "product_id": 726, "option_selections": [
            {"option_id": 61, "option_value": 999}, {"option_id": 62, "option_value": "x"}
        ]}]))
        .await,
        "line_items[0].option_selections[0].option_value",
    );
    let stock = create(json!([{"quantity": 13, "product_id": 240, "variant_id": 562}])).await;
    refused(&stock, "line_items[0].quantity");
    assert_eq!(stock.body["title"], "Insufficient stock");
    assert_eq!(stock.body["detail"], "Only 12 of the requested 13 items are in stock.");
    refused(
        &create(json!([{"quantity": 1, "product_id": 861}])).await,
        "line_items[0].quantity",
    );
    refused(
        &create(json!([{"quantity": 5, "product_id": 505}])).await,
        "line_items[0].quantity",
    );
    refused(
        &create(json!([{"quantity": 3, "product_id": 505}, {"quantity": 2, "product_id": 505}])).await,
        "line_items[1].quantity",
    );
    let custom = api
        .post(
            "/carts",
            json!({"custom_items": [{"name": "", "quantity": 1, "list_price": 1}]}),
        )
        .await;
    assert_eq!(custom.status, 422, "{}", custom.body);
    // Twelve plates are fine, and refused requests made no carts.
    api.create_cart(json!({"line_items": [{"quantity": 12, "product_id": 240}]}))
        .await;
    let snapshot = api.sim.snapshot();
    assert_eq!(snapshot["stores"][&api.hash]["carts"].as_object().unwrap().len(), 1);
}

#[tokio::test]
async fn include_values_are_honoured() {
    let api = Api::start().await;
    let profile = StoreProfile {
        banners: vec![json!({"id": "31", "type": "applied", "page": ["cart"], "text": "10% off"})],
        ..StoreProfile::default()
    };
    api.sim.store(&api.hash).set_profile(profile).unwrap();
    let cart = api
        .create_cart(json!({"line_items": [
            {"quantity": 1, "product_id": 233},
            {"quantity": 1, "product_id": 860, "variant_id": 1911}
        ]}))
        .await;
    let id = cart["id"].as_str().unwrap();
    assert!(cart["line_items"]["physical_items"][0].get("options").is_none());
    assert!(cart.get("redirect_urls").is_none());
    assert!(cart.get("promotions").is_none());

    let physical = api
        .get(&format!("/carts/{id}?include=line_items.physical_items.options"))
        .await;
    let data = &physical.body["data"];
    assert_eq!(data["line_items"]["physical_items"][0]["options"], json!([]));
    assert!(data["line_items"]["digital_items"][0].get("options").is_none());

    let digital = api
        .get(&format!("/carts/{id}?include=line_items.digital_items.options"))
        .await;
    let item = &digital.body["data"]["line_items"]["digital_items"][0];
    assert_eq!(item["options"][0]["value"], "EPUB");
    assert!(
        digital.body["data"]["line_items"]["physical_items"][0]
            .get("options")
            .is_none()
    );

    let all = api
        .get(&format!("/carts/{id}?include=promotions.banners,redirect_urls"))
        .await;
    assert_eq!(all.body["data"]["promotions"]["banners"][0]["text"], "10% off");
    let urls = &all.body["data"]["redirect_urls"];
    assert!(urls["checkout_url"].as_str().unwrap().contains("action=loadInCheckout"));

    let created = api
        .post(
            "/carts?include=redirect_urls",
            json!({"line_items": [{"quantity": 1, "product_id": 233}]}),
        )
        .await;
    let cart_url = created.body["data"]["redirect_urls"]["cart_url"].as_str().unwrap();
    assert!(cart_url.starts_with(&format!("{}/cart.php?action=load&id=", api.sim.base_url())));
}

#[tokio::test]
async fn every_change_raises_the_version() {
    let api = Api::start().await;
    let cart = api.mug_cart().await;
    let id = cart["id"].as_str().unwrap();
    assert_eq!(cart["version"], 1);
    let added = api
        .post(
            &format!("/carts/{id}/items"),
            json!({"line_items": [{"quantity": 1, "product_id": 240}], "version": 1}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.body["data"]["version"], 2);
    let item = first_physical_item(&added.body["data"]);
    let updated = api
        .put(
            &format!("/carts/{id}/items/{item}"),
            json!({"line_item": {"quantity": 5, "product_id": 233}, "version": 2}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(updated.body["data"]["version"], 3);
    assert_eq!(
        updated.body["data"]["line_items"]["physical_items"][0]["extended_list_price"],
        72.5
    );
    let customer = api
        .put(&format!("/carts/{id}"), json!({"customer_id": 2741, "version": 3}))
        .await;
    assert_eq!(customer.status, 201, "{}", customer.body);
    assert_eq!(customer.body["data"]["customer_id"], 2741);
    assert_eq!(customer.body["data"]["version"], 4);
    let removed = api
        .delete(&format!("/carts/{id}/items/{item}"), Some(json!({"version": 4})))
        .await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(removed.body["data"]["version"], 5);
    assert_eq!(removed.body["meta"], json!({}));
    // Reading is not a change.
    assert_eq!(api.get(&format!("/carts/{id}")).await.body["data"]["version"], 5);
}

#[tokio::test]
async fn a_stale_version_is_refused_with_409_and_changes_nothing() {
    let api = Api::start().await;
    let cart = api.mug_cart().await;
    let id = cart["id"].as_str().unwrap();
    let item = first_physical_item(&cart);
    api.put(&format!("/carts/{id}"), json!({"customer_id": 5})).await;
    let conflicts = [
        api.put(&format!("/carts/{id}"), json!({"customer_id": 7, "version": 1}))
            .await,
        api.post(
            &format!("/carts/{id}/items"),
            json!({"line_items": [{"quantity": 1, "product_id": 240}], "version": 1}),
        )
        .await,
        api.put(
            &format!("/carts/{id}/items/{item}"),
            json!({"line_item": {"quantity": 3, "product_id": 233}, "version": 1}),
        )
        .await,
        api.delete(&format!("/carts/{id}/items/{item}"), Some(json!({"version": 1})))
            .await,
    ];
    for answer in conflicts {
        assert_eq!(answer.status, 409, "{}", answer.body);
        assert_eq!(answer.body["status"], 409);
        assert_eq!(answer.body["title"], "The cart has changed since it was read.");
        assert_eq!(
            answer.body["detail"],
            "Cart version 1 does not match the current version 2."
        );
        assert_eq!(answer.body["errors"]["version"], "Expected version 2.");
    }
    let now = api.get(&format!("/carts/{id}")).await.body["data"].clone();
    assert_eq!(now["version"], 2);
    assert_eq!(now["customer_id"], 5);
    assert_eq!(now["line_items"]["physical_items"][0]["quantity"], 2);
}

#[tokio::test]
async fn removing_the_last_line_item_deletes_the_cart() {
    let api = Api::start().await;
    let cart = api.mug_cart().await;
    let id = cart["id"].as_str().unwrap();
    let item = first_physical_item(&cart);
    let answer = api.delete(&format!("/carts/{id}/items/{item}"), None).await;
    assert_eq!(answer.status, 204);
    assert_eq!(answer.body, Value::Null, "no body");
    let gone = api.get(&format!("/carts/{id}")).await;
    assert_eq!(gone.status, 404);

    let two = api
        .create_cart(json!({"line_items": [{"quantity": 1, "product_id": 233}], "custom_items": [{"name": "x", "quantity": 1, "list_price": 2}]}))
        .await;
    let id = two["id"].as_str().unwrap();
    let item = first_physical_item(&two);
    let answer = api.delete(&format!("/carts/{id}/items/{item}"), None).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["data"]["base_amount"], 2);
    let missing_item = api.delete(&format!("/carts/{id}/items/{item}"), None).await;
    assert_eq!(missing_item.status, 404);
}

#[tokio::test]
async fn a_missing_cart_is_404_without_title() {
    let api = Api::start().await;
    let id = Uuid::from_u128(fastrand::u128(..));
    let answers = [
        api.get(&format!("/carts/{id}")).await,
        api.put(&format!("/carts/{id}"), json!({"customer_id": 1})).await,
        api.delete(&format!("/carts/{id}"), None).await,
        api.post(
            &format!("/carts/{id}/items"),
            json!({"line_items": [{"quantity": 1, "product_id": 233}]}),
        )
        .await,
        api.post(&format!("/carts/{id}/redirect_urls"), json!({})).await,
        api.get(&format!("/carts/{id}/metafields")).await,
        api.get("/carts/not-a-uuid").await,
    ];
    for answer in answers {
        assert_eq!(answer.status, 404, "{}", answer.body);
        assert_eq!(answer.body["status"], 404);
        assert!(answer.body.get("title").is_none(), "{}", answer.body);
        assert!(answer.body["type"].is_string());
    }
}

#[tokio::test]
async fn deleting_a_cart_answers_204_then_404() {
    let api = Api::start().await;
    let id = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let deleted = api.delete(&format!("/carts/{id}"), None).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.body, Value::Null);
    assert_eq!(api.delete(&format!("/carts/{id}"), None).await.status, 404);
}

#[tokio::test]
async fn carts_expire_30_days_after_their_last_change() {
    let mut api = Api::start().await;
    // A cart of another store, on another clock.
    let home = api.hash.clone();
    api.hash = crate::common::unique_hash("other");
    let kept = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let other = std::mem::replace(&mut api.hash, home);
    let store = api.sim.store(&api.hash);
    let id = api.mug_cart().await["id"].as_str().unwrap().to_string();
    store.advance_clock(DAY * 29).unwrap();
    assert_eq!(
        api.get(&format!("/carts/{id}")).await.status,
        200,
        "reading is not a change"
    );
    let changed = api.put(&format!("/carts/{id}"), json!({"customer_id": 9})).await;
    assert_eq!(changed.status, 201);
    store.advance_clock(DAY * 29).unwrap();
    assert_eq!(
        api.get(&format!("/carts/{id}")).await.status,
        200,
        "the change restarted the 30 days"
    );
    store.advance_clock(DAY + Duration::from_secs(1)).unwrap();
    let expired = api.get(&format!("/carts/{id}")).await;
    assert_eq!(expired.status, 404);
    assert!(expired.body.get("title").is_none());
    api.hash = other;
    assert_eq!(
        api.get(&format!("/carts/{kept}")).await.status,
        200,
        "other stores keep their time"
    );
}

#[tokio::test]
async fn line_item_updates_keep_to_the_rules() {
    let api = Api::start().await;
    let cart = api
        .create_cart(json!({
            "line_items": [{"quantity": 2, "product_id": 240}],
            "custom_items": [{"name": "Assembly", "quantity": 1, "list_price": 35}],
            "gift_certificates": [{"name": "G", "theme": "Birthday", "amount": 25, "quantity": 1,
                "sender": {"name": "S", "email": "s@example.org"}, "recipient": {"name": "R", "email": "r@example.org"}}]
        }))
        .await;
    let id = cart["id"].as_str().unwrap();
    let plate = first_physical_item(&cart);
    let custom = cart["line_items"]["custom_items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let gift = cart["line_items"]["gift_certificates"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let api = &api;
    let put = |item: String, body: Value| {
        let path = format!("/carts/{id}/items/{item}");
        async move { api.put(&path, body).await }
    };
    let too_many = put(plate.clone(), json!({"line_item": {"quantity": 13, "product_id": 240}})).await;
    assert_eq!(too_many.status, 422);
    assert_eq!(too_many.body["errors"]["line_item.quantity"], "Only 12 in stock.");
    let wrong_product = put(plate.clone(), json!({"line_item": {"quantity": 1, "product_id": 233}})).await;
    assert!(
        wrong_product.body["errors"]["line_item.product_id"].is_string(),
        "{}",
        wrong_product.body
    );
    let wrong_variant = put(
        plate.clone(),
        json!({"line_item": {"quantity": 1, "product_id": 240, "variant_id": 541}}),
    )
    .await;
    assert!(wrong_variant.body["errors"]["line_item.variant_id"].is_string());
    let custom_change = put(custom, json!({"line_item": {"quantity": 2, "product_id": 1}})).await;
    assert_eq!(custom_change.status, 422, "custom items cannot be changed");
    let price = put(
        plate.clone(),
        json!({"line_item": {"quantity": 3, "product_id": 240, "list_price": 10}}),
    )
    .await;
    assert_eq!(price.status, 200, "{}", price.body);
    let item = &price.body["data"]["line_items"]["physical_items"][0];
    assert_eq!(
        (item["quantity"].clone(), item["extended_list_price"].clone()),
        (json!(3), json!(30))
    );
    let gift_change = put(
        gift,
        json!({"gift_certificates": [{"name": "G2", "theme": "Girl", "amount": 40, "quantity": 2,
            "sender": {"name": "S"}, "recipient": {"name": "R"}}]}),
    )
    .await;
    assert_eq!(gift_change.status, 200, "{}", gift_change.body);
    assert_eq!(
        gift_change.body["data"]["line_items"]["gift_certificates"][0]["amount"],
        40
    );
    // 30 (plates) + 35 (assembly) + 2 x 40 (gift certificates).
    assert_eq!(gift_change.body["data"]["base_amount"], 145);
    let unknown = put(
        Uuid::from_u128(fastrand::u128(..)).to_string(),
        json!({"line_item": {"quantity": 1, "product_id": 240}}),
    )
    .await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn the_same_product_added_twice_shares_a_line_and_stock_counts_the_whole_cart() {
    let api = Api::start().await;
    let cart = api
        .create_cart(json!({"line_items": [{"quantity": 8, "product_id": 240}]}))
        .await;
    let id = cart["id"].as_str().unwrap();
    let more = api
        .post(
            &format!("/carts/{id}/items"),
            json!({"line_items": [{"quantity": 4, "product_id": 240}]}),
        )
        .await;
    assert_eq!(more.status, 201);
    let items = &more.body["data"]["line_items"]["physical_items"];
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["quantity"], 12);
    let one_more = api
        .post(
            &format!("/carts/{id}/items"),
            json!({"line_items": [{"quantity": 1, "product_id": 240}]}),
        )
        .await;
    assert_eq!(one_more.status, 422, "{}", one_more.body);
    assert_eq!(
        api.get(&format!("/carts/{id}")).await.body["data"]["version"],
        2,
        "the refusal changed nothing"
    );
}

#[tokio::test]
async fn digital_items_and_gift_certificates_go_into_their_lists() {
    let api = Api::start().await;
    let cart = api.mug_cart().await;
    let id = cart["id"].as_str().unwrap();
    let answer = api
        .post(
            &format!("/carts/{id}/items"),
            json!({
                "line_items": [{"quantity": 1, "product_id": 860, "variant_id": 1912}],
                "gift_certificates": [{"name": "Voucher", "theme": "Birthday", "amount": 25, "quantity": 2,
                    "sender": {"name": "G", "email": "g@example.org"}, "recipient": {"name": "M", "email": "m@example.org"},
                    "message": "Happy birthday"}],
                "version": 1
            }),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let data = &answer.body["data"];
    let digital = &data["line_items"]["digital_items"][0];
    assert_eq!(digital["sku"], "EBOOK-SOURDOUGH-PDF");
    assert_eq!(digital["is_require_shipping"], false);
    assert_eq!(digital["download_size"], "18MB");
    assert!(digital["download_file_urls"].is_array());
    let gift = &data["line_items"]["gift_certificates"][0];
    assert_eq!(
        (gift["quantity"].clone(), gift["message"].clone()),
        (json!(2), json!("Happy birthday"))
    );
    assert_eq!(gift["taxable"], false);
    // 2 x 14.50 + 12.99 + 2 x 25.
    assert_eq!(data["base_amount"], 91.99);
    let nothing = api.post(&format!("/carts/{id}/items"), json!({})).await;
    assert_eq!(nothing.status, 422);
}
