//! Every answer fits the response schema our spec documents for its operation and status, so a
//! client generated from the spec (the SDK) can read whatever the simulator says. The specs are
//! read from `spec/` when the test is built, so a spec change that the simulator's answers no
//! longer meet fails here.

use std::sync::OnceLock;

use bigcommerce_carts_sim::{Scope, TokenGrant};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{Answer, Api};

const SPECS: [&str; 2] = [
    include_str!("../../../../spec/carts.v3.yaml"),
    include_str!("../../../../spec/abandoned_carts.v3.yaml"),
];

fn documents() -> &'static Vec<Value> {
    static DOCS: OnceLock<Vec<Value>> = OnceLock::new();
    DOCS.get_or_init(|| {
        SPECS
            .iter()
            .map(|text| carts_openapi::parse(text.as_bytes()).expect("our spec reads").doc)
            .collect()
    })
}

/// The JSON schema documented for `method` `path` (relative to the API base) answering `status`.
fn documented_schema(method: &str, path: &str, status: u16) -> Option<Value> {
    let path = path.split('?').next().unwrap_or(path);
    let mut best: Option<(usize, &Value, String)> = None;
    for doc in documents() {
        for operation in carts_openapi::operations(doc) {
            if !operation.method.eq_ignore_ascii_case(method)
                || carts_openapi::match_path(&operation.path, path).is_none()
            {
                continue;
            }
            let literals = operation.path.split('/').filter(|p| !p.starts_with('{')).count();
            if best.as_ref().is_none_or(|(n, _, _)| literals > *n) {
                best = Some((literals, doc, operation.pointer.clone()));
            }
        }
    }
    let (_, doc, pointer) = best?;
    let responses = doc.pointer(&format!("{pointer}/responses"))?;
    let Some(response) = carts_openapi::response_for_status(responses, status) else {
        // Errors an operation does not list come in the API's one error envelope.
        return (status >= 400)
            .then(|| carts_openapi::self_contained(doc, &json!({"$ref": "#/components/schemas/ErrorBody"})));
    };
    let response = carts_openapi::deref(doc, response);
    let schema = response.pointer("/content/application~1json/schema")?;
    Some(carts_openapi::self_contained(doc, schema))
}

/// Calls the API and checks the answer against the spec; gives the answer.
async fn call(api: &Api, method: &str, path: &str, body: Option<Value>) -> Answer {
    let answer = api.call(method, path, body).await;
    check(method, path, &answer);
    answer
}

fn check(method: &str, path: &str, answer: &Answer) {
    let schema = documented_schema(method, path, answer.status);
    match (schema, &answer.body) {
        (None, Value::Null) => {}
        (None, body) => panic!(
            "{method} {path} answered {} with a body the spec does not document: {body}",
            answer.status
        ),
        (Some(_), Value::Null) if answer.status == 204 => {}
        (Some(schema), body) => {
            let validator = jsonschema::draft7::new(&schema).expect("the spec's schema compiles");
            let problems: Vec<String> = validator
                .iter_errors(body)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                problems.is_empty(),
                "{method} {path} -> {}: {problems:#?}\n{body}",
                answer.status
            );
        }
    }
}

#[tokio::test]
async fn every_answer_fits_the_documented_response_schema() {
    let mut api = Api::start().await;
    let cart = call(
        &api,
        "POST",
        "/carts?include=redirect_urls,line_items.physical_items.options,line_items.digital_items.options,promotions.banners",
        Some(json!({
            "line_items": [
                {"quantity": 2, "product_id": 412, "variant_id": 977},
                {"quantity": 1, "product_id": 726, "option_selections": [
                    {"option_id": 61, "option_value": 304}, {"option_id": 62, "option_value": "Hi"}]},
                {"quantity": 1, "product_id": 860, "variant_id": 1911}
            ],
            "custom_items": [{"sku": "X", "name": "Custom", "quantity": 1, "list_price": 3.5}],
            "gift_certificates": [{"name": "G", "theme": "General", "amount": 20, "quantity": 1,
                "sender": {"name": "S", "email": "s@example.org"}, "recipient": {"name": "R", "email": "r@example.org"}}],
            "locale": "fr-CA"
        })),
    )
    .await;
    assert_eq!(cart.status, 201);
    let id = cart.body["data"]["id"].as_str().unwrap().to_string();
    let item = cart.body["data"]["line_items"]["physical_items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let missing = Uuid::from_u128(fastrand::u128(..));

    call(&api, "GET", &format!("/carts/{id}?include=promotions.banners"), None).await;
    call(
        &api,
        "PUT",
        &format!("/carts/{id}"),
        Some(json!({"customer_id": 4, "version": 1})),
    )
    .await;
    call(
        &api,
        "PUT",
        &format!("/carts/{id}"),
        Some(json!({"customer_id": 4, "version": 1})),
    )
    .await;
    call(
        &api,
        "POST",
        &format!("/carts/{id}/items"),
        Some(json!({"line_items": [{"quantity": 1, "product_id": 233}]})),
    )
    .await;
    call(
        &api,
        "PUT",
        &format!("/carts/{id}/items/{item}"),
        Some(json!({"line_item": {"quantity": 3, "product_id": 412}})),
    )
    .await;
    call(&api, "DELETE", &format!("/carts/{id}/items/{item}"), Some(json!({}))).await;
    call(
        &api,
        "POST",
        &format!("/carts/{id}/redirect_urls"),
        Some(json!({"query_params": {"a": "b"}})),
    )
    .await;
    call(&api, "GET", &format!("/carts/{missing}"), None).await;
    call(
        &api,
        "POST",
        "/carts",
        Some(json!({"line_items": [{"quantity": 1, "product_id": 9051}]})),
    )
    .await;
    call(&api, "POST", "/carts", Some(json!({"locale": "bad"}))).await;

    call(&api, "GET", "/carts/settings", None).await;
    call(&api, "PUT", "/carts/settings", Some(json!({"allow_purchasing": false}))).await;
    call(&api, "GET", "/carts/settings/channels/2", None).await;
    call(
        &api,
        "PUT",
        "/carts/settings/channels/2",
        Some(json!({"allow_purchasing": true})),
    )
    .await;
    call(
        &api,
        "PUT",
        "/carts/settings/channels/9041",
        Some(json!({"allow_purchasing": true})),
    )
    .await;

    let metafield = json!({"permission_set": "read", "namespace": "n", "key": "k", "value": "v", "description": "d"});
    let created = call(
        &api,
        "POST",
        &format!("/carts/{id}/metafields"),
        Some(metafield.clone()),
    )
    .await;
    let mid = created.body["data"]["id"].as_str().unwrap().to_string();
    call(
        &api,
        "POST",
        &format!("/carts/{id}/metafields"),
        Some(metafield.clone()),
    )
    .await;
    call(&api, "GET", &format!("/carts/{id}/metafields?limit=1"), None).await;
    call(&api, "GET", &format!("/carts/{id}/metafields/{mid}"), None).await;
    call(&api, "PUT", &format!("/carts/{id}/metafields/{mid}"), Some(metafield)).await;
    call(
        &api,
        "GET",
        "/carts/metafields?limit=1&after=cursor-0&include_fields=key",
        None,
    )
    .await;
    call(&api, "GET", "/carts/metafields?date_created%3Amin=nope", None).await;
    let entry = json!({"permission_set": "write", "namespace": "b", "key": "k", "value": "v", "resource_id": id});
    let batch = call(&api, "POST", "/carts/metafields", Some(json!([entry.clone(), entry]))).await;
    assert_eq!(batch.status, 422);
    let bid = batch.body["data"][0]["id"].as_str().unwrap().to_string();
    call(
        &api,
        "PUT",
        "/carts/metafields",
        Some(json!([{"id": bid, "permission_set": "write", "namespace": "b", "key": "k", "value": "w"}])),
    )
    .await;
    call(
        &api,
        "DELETE",
        "/carts/metafields",
        Some(json!([bid.parse::<i64>().unwrap(), 999_999])),
    )
    .await;
    call(&api, "DELETE", &format!("/carts/{id}/metafields/{mid}"), None).await;
    call(&api, "GET", &format!("/carts/{id}/metafields/{mid}"), None).await;

    let token = api
        .sim
        .store(&api.hash)
        .abandoned_cart_token(id.parse().unwrap())
        .unwrap();
    call(&api, "GET", &format!("/abandoned-carts/{token}"), None).await;
    call(&api, "GET", &format!("/abandoned-carts/{missing}"), None).await;
    call(&api, "GET", "/abandoned-carts/settings", None).await;
    let settings = call(&api, "GET", "/abandoned-carts/settings", None).await.body["data"].clone();
    call(&api, "PUT", "/abandoned-carts/settings", Some(settings)).await;
    call(&api, "GET", "/abandoned-carts/settings/channels/2", None).await;
    call(
        &api,
        "PUT",
        "/abandoned-carts/settings/channels/2",
        Some(json!({"enable_notification": null})),
    )
    .await;

    api.sim
        .store(&api.hash)
        .set_tokens(vec![TokenGrant::new("reader", [Scope::CartReadOnly])])
        .unwrap();
    api.token = Some("reader".into());
    call(&api, "PUT", "/carts/settings", Some(json!({"allow_purchasing": true}))).await;
    api.token = None;
    call(&api, "GET", "/carts/settings", None).await;
    call(&api, "GET", "/abandoned-carts/settings", None).await;
    api.token = Some(bigcommerce_carts_sim::DEFAULT_ACCESS_TOKEN.into());
}
