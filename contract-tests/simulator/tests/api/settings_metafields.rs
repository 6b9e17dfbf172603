//! Cart settings, cart metafields (per cart and in batch), abandoned carts and their settings.

use bigcommerce_carts_sim::{Scope, TokenGrant};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::Api;

#[tokio::test]
async fn cart_settings_have_channel_overrides_that_null_drops() {
    let api = Api::start().await;
    let global = api.get("/carts/settings").await;
    assert_eq!(global.status, 200);
    assert_eq!(global.body, json!({"data": {"allow_purchasing": true}, "meta": {}}));
    let changed = api.put("/carts/settings", json!({"allow_purchasing": false})).await;
    assert_eq!(changed.body["data"]["allow_purchasing"], false);
    assert_eq!(api.get("/carts/settings").await.body["data"]["allow_purchasing"], false);
    let missing = api.put("/carts/settings", json!({})).await;
    assert_eq!(missing.status, 422, "allow_purchasing is required: {}", missing.body);

    let channel = api.get("/carts/settings/channels/2").await;
    assert_eq!(channel.body, json!({"data": {"allow_purchasing": null}, "meta": {}}));
    let set = api
        .put("/carts/settings/channels/3", json!({"allow_purchasing": true}))
        .await;
    assert_eq!(set.body["data"]["allow_purchasing"], true);
    let kept = api.put("/carts/settings/channels/3", json!({})).await;
    assert_eq!(kept.body["data"]["allow_purchasing"], true, "a setting left out stays");
    let dropped = api
        .put("/carts/settings/channels/3", json!({"allow_purchasing": null}))
        .await;
    assert_eq!(dropped.status, 200);
    assert_eq!(dropped.body["data"]["allow_purchasing"], Value::Null);
    assert_eq!(
        api.get("/carts/settings/channels/3").await.body["data"]["allow_purchasing"],
        Value::Null
    );
    let unknown = api
        .put("/carts/settings/channels/9041", json!({"allow_purchasing": true}))
        .await;
    assert_eq!(unknown.status, 422);
    assert_eq!(unknown.body["errors"]["channel_id"], "Channel 9041 does not exist.");
    let wrong_type = api
        .put("/carts/settings/channels/3", json!({"allow_purchasing": "yes"}))
        .await;
    assert_eq!(wrong_type.status, 422);
}

fn metafield(namespace: &str, key: &str, value: &str) -> Value {
    json!({"permission_set": "app_only", "namespace": namespace, "key": key, "value": value})
}

#[tokio::test]
async fn a_cart_metafield_is_created_read_changed_and_deleted() {
    let api = Api::start().await;
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let created = api
        .post(
            &format!("/carts/{cart}/metafields"),
            json!({"permission_set": "app_only", "namespace": "fulfilment", "key": "packing_station",
                "value": "north-3", "description": "Station that packs this order"}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let data = &created.body["data"];
    let id = data["id"].as_str().expect("metafield ids are strings").to_string();
    assert_eq!(data["resource_type"], "cart");
    assert_eq!(data["resource_id"], cart.as_str());
    assert_eq!(data["owner_client_id"], "sim-client");
    assert_eq!(data["description"], "Station that packs this order");
    let read = api.get(&format!("/carts/{cart}/metafields/{id}")).await;
    assert_eq!(read.body["data"], *data);

    let duplicate = api
        .post(
            &format!("/carts/{cart}/metafields"),
            metafield("fulfilment", "packing_station", "x"),
        )
        .await;
    assert_eq!(duplicate.status, 409);
    assert_eq!(duplicate.body["title"], "Metafield already exists");

    let updated = api
        .put(
            &format!("/carts/{cart}/metafields/{id}"),
            json!({"permission_set": "read", "namespace": "fulfilment", "key": "packing_station", "value": "south-1"}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(updated.body["data"]["value"], "south-1");
    assert_eq!(updated.body["data"]["permission_set"], "read");

    let invalid = api
        .post(
            &format!("/carts/{cart}/metafields"),
            json!({"permission_set": "app_only", "namespace": "n", "key": "k"}),
        )
        .await;
    assert_eq!(invalid.status, 422);
    assert!(invalid.body["errors"]["value"].is_string(), "{}", invalid.body);
    let no_cart = api
        .post(
            &format!("/carts/{}/metafields", Uuid::from_u128(fastrand::u128(..))),
            metafield("n", "k", "v"),
        )
        .await;
    assert_eq!(no_cart.status, 422);
    assert!(no_cart.body["errors"]["resource_id"].is_string());

    assert_eq!(
        api.delete(&format!("/carts/{cart}/metafields/{id}"), None).await.status,
        204
    );
    let gone = api.get(&format!("/carts/{cart}/metafields/{id}")).await;
    assert_eq!(gone.status, 404);
    assert_eq!(gone.body["title"], "Metafield not found");
    assert_eq!(
        api.delete(&format!("/carts/{cart}/metafields/{id}"), None).await.status,
        404
    );
}

#[tokio::test]
async fn other_apps_see_and_change_metafields_only_as_their_permission_set_allows() {
    let api = Api::start().await;
    let store = api.sim.store(&api.hash);
    store
        .set_tokens(vec![
            TokenGrant::default_grant(),
            TokenGrant::new("other-app-token", [Scope::Cart]).client_id("other-app"),
        ])
        .unwrap();
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let private = api
        .post(&format!("/carts/{cart}/metafields"), metafield("ns", "private", "1"))
        .await;
    let private_id = private.body["data"]["id"].as_str().unwrap().to_string();
    let mut shared = metafield("ns", "shared", "1");
    shared["permission_set"] = json!("read");
    let shared = api.post(&format!("/carts/{cart}/metafields"), shared).await;
    let shared_id = shared.body["data"]["id"].as_str().unwrap().to_string();

    // The other app talks to the same store with its own token.
    let as_other = |path: String| {
        let url = format!("{}{path}", api.sim.api_base(&api.hash));
        let http = api.http.clone();
        async move {
            let response = http
                .get(url)
                .header("x-auth-token", "other-app-token")
                .send()
                .await
                .unwrap();
            crate::common::read(response).await
        }
    };
    assert_eq!(
        as_other(format!("/carts/{cart}/metafields/{private_id}")).await.status,
        404
    );
    assert_eq!(
        as_other(format!("/carts/{cart}/metafields/{shared_id}")).await.status,
        200
    );
    let listed = as_other(format!("/carts/{cart}/metafields")).await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 1);
    let change = api
        .http
        .put(format!(
            "{}/carts/{cart}/metafields/{shared_id}",
            api.sim.api_base(&api.hash)
        ))
        .header("x-auth-token", "other-app-token")
        .json(&metafield("ns", "shared", "2"))
        .send()
        .await
        .unwrap();
    let change = crate::common::read(change).await;
    assert_eq!(change.status, 400, "{}", change.body);
    assert_eq!(change.body["errors"]["namespace"], "Owned by another app.");
    // The other app may hold its own metafield with the same namespace and key.
    let own = api
        .http
        .post(format!("{}/carts/{cart}/metafields", api.sim.api_base(&api.hash)))
        .header("x-auth-token", "other-app-token")
        .json(&metafield("ns", "private", "mine"))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
}

#[tokio::test]
async fn a_carts_metafields_page_by_offset() {
    let api = Api::start().await;
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let other_cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    for index in 0..5 {
        let answer = api
            .post(
                &format!("/carts/{cart}/metafields"),
                metafield("ns", &format!("key{index}"), "v"),
            )
            .await;
        assert_eq!(answer.status, 200);
    }
    api.post(
        &format!("/carts/{other_cart}/metafields"),
        metafield("ns", "elsewhere", "v"),
    )
    .await;
    let page = api.get(&format!("/carts/{cart}/metafields?limit=2&page=2")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let keys: Vec<&str> = page.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["key2", "key3"]);
    let pagination = &page.body["meta"]["pagination"];
    assert_eq!(
        (
            &pagination["total"],
            &pagination["count"],
            &pagination["per_page"],
            &pagination["current_page"],
            &pagination["total_pages"]
        ),
        (&json!(5), &json!(2), &json!(2), &json!(2), &json!(3))
    );
    assert_eq!(pagination["links"]["next"], "?page=3&limit=2");
    let desc = api
        .get(&format!("/carts/{cart}/metafields?direction=desc&limit=1"))
        .await;
    assert_eq!(desc.body["data"][0]["key"], "key4");
    let by_key = api.get(&format!("/carts/{cart}/metafields?key=key1")).await;
    assert_eq!(by_key.body["data"].as_array().unwrap().len(), 1);
    let bad_limit = api.get(&format!("/carts/{cart}/metafields?limit=0")).await;
    assert_eq!(bad_limit.status, 422);
}

#[tokio::test]
async fn all_cart_metafields_page_by_cursor_filter_and_select_fields() {
    let api = Api::start().await;
    let store = api.sim.store(&api.hash);
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    for (namespace, key) in [
        ("gifting", "wrap_colour"),
        ("gifting", "gift_note"),
        ("fulfilment", "station"),
        ("gifting", "ribbon"),
    ] {
        api.post(&format!("/carts/{cart}/metafields"), metafield(namespace, key, "v"))
            .await;
    }
    let first = api.get("/carts/metafields?limit=2&after=cursor-0").await;
    assert_eq!(first.status, 200, "{}", first.body);
    let cursor = &first.body["meta"]["cursor_pagination"];
    assert_eq!(cursor["count"], 2);
    let end = cursor["end_cursor"].as_str().unwrap().to_string();
    assert_eq!(cursor["links"]["next"], format!("?limit=2&after={end}"));
    let second = api.get(&format!("/carts/metafields?limit=2&after={end}")).await;
    let keys: Vec<&str> = second.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["station", "ribbon"]);
    let back = api
        .get(&format!(
            "/carts/metafields?limit=2&before={}",
            second.body["meta"]["cursor_pagination"]["start_cursor"]
                .as_str()
                .unwrap()
        ))
        .await;
    assert_eq!(back.body["data"], first.body["data"], "before pages back");

    let filtered = api
        .get("/carts/metafields?namespace=gifting&key%3Ain=wrap_colour,ribbon&include_fields=key,value&direction=desc")
        .await;
    assert_eq!(filtered.status, 200, "{}", filtered.body);
    let data = filtered.body["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["key"], "ribbon");
    let fields: Vec<&String> = data[0].as_object().unwrap().keys().collect();
    assert_eq!(fields, ["id", "key", "value"]);

    let today = store.now().unwrap().format("%Y-%m-%d").to_string();
    let dated = api
        .get(&format!(
            "/carts/metafields?date_created%3Amin={today}&date_created%3Amax={today}"
        ))
        .await;
    assert_eq!(dated.body["data"].as_array().unwrap().len(), 4);
    let future = api.get("/carts/metafields?date_modified%3Amin=2999-01-01").await;
    assert_eq!(future.body["data"].as_array().unwrap().len(), 0);
    let bad_date = api.get("/carts/metafields?date_modified%3Amin=last-tuesday").await;
    assert_eq!(bad_date.status, 422);
    assert!(
        bad_date.body["errors"]["date_modified:min"].is_string(),
        "{}",
        bad_date.body
    );
    let both = api.get("/carts/metafields?before=cursor-9&after=cursor-1").await;
    assert_eq!(both.status, 422);
    let bad_field = api.get("/carts/metafields?include_fields=colour").await;
    assert_eq!(bad_field.status, 422);
}

#[tokio::test]
async fn batch_metafield_calls_report_partial_success_with_422() {
    let api = Api::start().await;
    let first_cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let second_cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let entry = |cart: &str, value: &str| json!({"permission_set": "write", "namespace": "gifting", "key": "wrap_colour", "value": value, "resource_id": cart});
    let created = api
        .post("/carts/metafields", json!([entry(&first_cart, "green")]))
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.body["errors"], json!([]));
    assert_eq!(created.body["meta"], json!({"total": 1, "success": 1, "failed": 0}));
    let existing_id = created.body["data"][0]["id"].as_str().unwrap().to_string();

    let partial = api
        .post(
            "/carts/metafields",
            json!([entry(&second_cart, "red"), entry(&first_cart, "blue")]),
        )
        .await;
    assert_eq!(partial.status, 422, "{}", partial.body);
    assert_eq!(partial.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(partial.body["data"][0]["resource_id"], second_cart.as_str());
    assert_eq!(partial.body["errors"][0]["status"], 409);
    assert_eq!(partial.body["meta"], json!({"total": 2, "success": 1, "failed": 1}));
    let second_id = partial.body["data"][0]["id"].as_str().unwrap().to_string();

    let updated = api
        .put(
            "/carts/metafields",
            json!([{"id": existing_id, "permission_set": "write", "namespace": "gifting", "key": "wrap_colour", "value": "teal"}]),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    assert_eq!(updated.body["data"][0]["value"], "teal");
    let partial_update = api
        .put(
            "/carts/metafields",
            json!([
                {"id": second_id, "permission_set": "write", "namespace": "gifting", "key": "wrap_colour", "value": "pink"},
                {"id": "999999", "permission_set": "write", "namespace": "gifting", "key": "wrap_colour", "value": "x"}
            ]),
        )
        .await;
    assert_eq!(partial_update.status, 422);
    assert_eq!(partial_update.body["errors"][0]["status"], 404);
    assert_eq!(partial_update.body["meta"]["success"], 1);
    let empty = api.put("/carts/metafields", json!([])).await;
    assert_eq!(empty.status, 400);

    let existing: i64 = existing_id.parse().unwrap();
    let deleted = api.delete("/carts/metafields", Some(json!([existing, 999_003]))).await;
    assert_eq!(deleted.status, 422, "{}", deleted.body);
    assert_eq!(deleted.body["data"], json!([existing]));
    assert_eq!(
        deleted.body["errors"][0]["errors"]["999003"],
        "No metafield with this id."
    );
    assert_eq!(deleted.body["meta"], json!({"total": 2, "success": 1, "failed": 1}));
    let second: i64 = second_id.parse().unwrap();
    let all_deleted = api.delete("/carts/metafields", Some(json!([second]))).await;
    assert_eq!(all_deleted.status, 200);
    assert_eq!(
        all_deleted.body,
        json!({"data": [second], "errors": [], "meta": {"total": 1, "success": 1, "failed": 0}})
    );
}

#[tokio::test]
async fn abandoned_cart_tokens_resolve_to_their_cart() {
    let api = Api::start().await;
    let store = api.sim.store(&api.hash);
    let cart = api.mug_cart().await["id"].as_str().unwrap().to_string();
    let token = store.abandoned_cart_token(cart.parse().unwrap()).unwrap();
    let answer = api.get(&format!("/abandoned-carts/{token}")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, json!({"data": {"cart_id": cart}, "meta": {}}));
    let unknown = api
        .get(&format!("/abandoned-carts/{}", Uuid::from_u128(fastrand::u128(..))))
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["title"], "Abandoned cart not found");
    api.delete(&format!("/carts/{cart}"), None).await;
    assert_eq!(
        api.get(&format!("/abandoned-carts/{token}")).await.status,
        404,
        "the cart is gone"
    );
    assert!(store.abandoned_cart_token(Uuid::from_u128(fastrand::u128(..))).is_err());
}

#[tokio::test]
async fn abandoned_cart_settings_are_global_with_channel_overrides() {
    let api = Api::start().await;
    let global = json!({
        "enable_notification": true,
        "email_customer_until_cart_is_recovered": false,
        "marketing_emails_require_customer_consent": true,
        "email_merchant_when_cart_is_converted": true,
        "email_merchant_when_cart_is_abandoned": true,
        "merchant_email_address": "orders@lantern-goods.example",
        "merchant_abandoned_cart_email_frequency_type": "individual",
        "merchant_abandoned_cart_digest_email_frequency": 2
    });
    let put = api.put("/abandoned-carts/settings", global.clone()).await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body, json!({"data": global, "meta": {}}));
    assert_eq!(api.get("/abandoned-carts/settings").await.body["data"], global);
    let mut incomplete = global.clone();
    incomplete.as_object_mut().unwrap().remove("enable_notification");
    assert_eq!(
        api.put("/abandoned-carts/settings", incomplete).await.status,
        422,
        "every setting is required"
    );
    let mut undeliverable = global.clone();
    undeliverable["merchant_email_address"] = json!("alerts@mail.invalid");
    let refused = api.put("/abandoned-carts/settings", undeliverable).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body["errors"]["merchant_email_address"].is_string());

    let set = api
        .put(
            "/abandoned-carts/settings/channels/3",
            json!({"enable_notification": true, "merchant_abandoned_cart_email_frequency_type": "digest",
                "merchant_abandoned_cart_digest_email_frequency": 25}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body["data"]["merchant_abandoned_cart_digest_email_frequency"], 25);
    assert_eq!(set.body["data"]["merchant_email_address"], Value::Null);
    let dropped = api
        .put(
            "/abandoned-carts/settings/channels/3",
            json!({"merchant_abandoned_cart_email_frequency_type": null, "merchant_abandoned_cart_digest_email_frequency": null}),
        )
        .await;
    assert_eq!(dropped.body["data"]["enable_notification"], true, "left out, kept");
    assert_eq!(
        dropped.body["data"]["merchant_abandoned_cart_email_frequency_type"],
        Value::Null
    );
    let read = api.get("/abandoned-carts/settings/channels/3").await;
    assert_eq!(read.body, dropped.body);
    let out_of_range = api
        .put(
            "/abandoned-carts/settings/channels/3",
            json!({"merchant_abandoned_cart_digest_email_frequency": 1}),
        )
        .await;
    assert_eq!(out_of_range.status, 422);
    let unknown = api
        .put(
            "/abandoned-carts/settings/channels/9041",
            json!({"enable_notification": false}),
        )
        .await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body["errors"]["channel_id"].is_string());
}
