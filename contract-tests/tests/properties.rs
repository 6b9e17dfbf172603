//! Properties, 256 cases each (seeded by proptest; failures persist in
//! `proptest-regressions/`):
//! - (a) request bodies built from the SDK's types serialize to JSON that our
//!   spec's schema for that operation accepts;
//! - (b) JSON generated from our spec's response schemas decodes into the SDK's
//!   types and re-serializes to the same information;
//! - (c) any list of `include` values goes on the wire as `include=a,b`.

mod common;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use bigcommerce_carts::carts::types as v3;
use bigcommerce_carts::{Client, Include};
use carts_openapi::deref;
use contract_tests::cassette::Api;
use contract_tests::compare;
use contract_tests::round_trip::{Part, round_trip};
use contract_tests::spec::{self, Specs};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Just, Union};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};

static SPECS: LazyLock<Specs> = LazyLock::new(|| Specs::load(&spec::default_dir()).expect("specs load"));

const CASES: u32 = 256;

fn config() -> Config {
    common::config(CASES, file!(), "proptest-regressions/properties.txt", 0x5EED_0001)
}

// ---------------------------------------------------------------------------
// JSON values from a schema
// ---------------------------------------------------------------------------

/// A strategy for JSON values that `schema` (in `api`'s spec) describes.
fn value_of(api: Api, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let doc = SPECS.doc(api);
    let schema = deref(doc, schema);
    if depth > 10 {
        return Just(Value::Null).boxed();
    }
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    let strategy = non_null_value_of(api, schema, depth);
    if nullable {
        prop_oneof![4 => strategy, 1 => Just(Value::Null)].boxed()
    } else {
        strategy
    }
}

fn non_null_value_of(api: Api, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let doc = SPECS.doc(api);
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        return proptest::sample::select(values).boxed();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = schema.get(key).and_then(Value::as_array) {
            return Union::new(variants.iter().map(|v| value_of(api, v, depth + 1))).boxed();
        }
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        // One part (a reference wrapped to carry notes, such as `x-deviation`) is that part.
        if let [only] = parts.as_slice() {
            let strategy = value_of(api, only, depth + 1);
            return strategy;
        }
        let merged = merge_all_of(doc, schema);
        return object_of(api, &merged, depth);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => string_of(schema),
        Some("integer") => {
            let int32 = schema.get("format").and_then(Value::as_str) == Some("int32");
            let min = schema.get("minimum").and_then(Value::as_i64).unwrap_or(0);
            let max = schema.get("maximum").and_then(Value::as_i64).unwrap_or(if int32 {
                i32::MAX as i64
            } else {
                5_000_000_000
            });
            (min..=max).prop_map(Value::from).boxed()
        }
        Some("number") => {
            // Amounts in cents, inside the schema's bounds.
            let min = schema
                .get("minimum")
                .and_then(Value::as_f64)
                .map_or(0, |m| (m * 100.0).ceil() as i64);
            let max = schema
                .get("maximum")
                .and_then(Value::as_f64)
                .map_or(10_000_000, |m| (m * 100.0).floor() as i64);
            (min..=max).prop_map(|cents| json!(cents as f64 / 100.0)).boxed()
        }
        Some("boolean") => any::<bool>().prop_map(Value::Bool).boxed(),
        Some("array") => {
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
            let max = schema
                .get("maxItems")
                .and_then(Value::as_u64)
                .map(|m| m as usize)
                .unwrap_or(min + 3);
            proptest::collection::vec(value_of(api, &items, depth + 1), min..=max)
                .prop_map(Value::Array)
                .boxed()
        }
        Some("object") | None if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() => {
            object_of(api, schema, depth)
        }
        Some("object") => Just(json!({})).boxed(),
        _ => Just(json!({})).boxed(),
    }
}

/// One object schema out of an `allOf`: properties and `required` merged.
fn merge_all_of(doc: &Value, schema: &Value) -> Value {
    let mut properties = Map::new();
    let mut required = BTreeSet::new();
    let mut additional = None;
    let mut parts = vec![schema.clone()];
    while let Some(part) = parts.pop() {
        let part = deref(doc, &part).clone();
        if let Some(all) = part.get("allOf").and_then(Value::as_array) {
            parts.extend(all.iter().cloned());
        }
        if let Some(p) = part.get("properties").and_then(Value::as_object) {
            properties.extend(p.clone());
        }
        if let Some(r) = part.get("required").and_then(Value::as_array) {
            required.extend(r.iter().filter_map(Value::as_str).map(str::to_string));
        }
        if let Some(a) = part.get("additionalProperties") {
            additional = Some(a.clone());
        }
    }
    let mut merged = json!({"type": "object", "properties": properties, "required": required});
    if let Some(a) = additional {
        merged["additionalProperties"] = a;
    }
    merged
}

fn object_of(api: Api, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut members: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let name = name.clone();
        let value = value_of(api, property, depth + 1);
        if required.contains(name.as_str()) {
            members.push(value.prop_map(move |v| Some((name.clone(), v))).boxed());
        } else {
            members.push(proptest::option::of(value.prop_map(move |v| (name.clone(), v))).boxed());
        }
    }
    let extra = match schema.get("additionalProperties") {
        Some(extra) if extra.is_object() && extra.as_object().is_some_and(|o| !o.is_empty()) => {
            proptest::collection::btree_map("[a-z_]{1,12}", value_of(api, extra, depth + 1), 0..3).boxed()
        }
        _ => Just(Default::default()).boxed(),
    };
    (members, extra)
        .prop_map(|(members, extra)| {
            let mut object: Map<String, Value> = extra.into_iter().collect();
            object.extend(members.into_iter().flatten());
            Value::Object(object)
        })
        .boxed()
}

fn string_of(schema: &Value) -> BoxedStrategy<Value> {
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(24)
        .min(40)
        .max(min);
    match schema.get("format").and_then(Value::as_str) {
        Some("uuid") => {
            return any::<u128>()
                .prop_map(|n| json!(uuid::Uuid::from_u128(n).to_string()))
                .boxed();
        }
        Some("date-time") => {
            return (0i64..4_000_000_000)
                .prop_map(|s| json!(chrono::DateTime::from_timestamp(s, 0).unwrap_or_default().to_rfc3339()))
                .boxed();
        }
        Some("uri") => {
            return "[a-z0-9/-]{0,20}"
                .prop_map(|p| json!(format!("https://shop.example.com/{p}")))
                .boxed();
        }
        Some("email") => return "[a-z]{1,10}".prop_map(|u| json!(format!("{u}@example.com"))).boxed(),
        _ => {}
    }
    let pattern = match schema.get("pattern").and_then(Value::as_str) {
        Some(pattern) => pattern.trim_start_matches('^').trim_end_matches('$').to_string(),
        None => format!("[A-Za-z0-9 .,'-]{{{min},{max}}}"),
    };
    proptest::string::string_regex(&pattern)
        .expect("a pattern proptest can generate from")
        .prop_map(Value::String)
        .boxed()
}

// ---------------------------------------------------------------------------
// The SDK's types, by the spec component they come from
// ---------------------------------------------------------------------------

/// One body schema of the specs, with an operation whose SDK type decodes it.
struct BodySchema {
    api: Api,
    /// The component it names, or `[X]` for an inline array of X.
    name: String,
    operation: String,
    part: Part,
    schema: Value,
}

/// Request or response body schemas of every operation, each schema once per API.
fn body_schemas(requests: bool) -> Vec<BodySchema> {
    let mut out: Vec<BodySchema> = Vec::new();
    for op in SPECS.operations() {
        let schemas: Vec<(Part, Value)> = if requests {
            SPECS
                .request_schema(op)
                .map(|s| (Part::Request, s))
                .into_iter()
                .collect()
        } else {
            op.statuses
                .iter()
                .filter_map(|status| status.parse::<u16>().ok())
                .filter_map(|status| {
                    let part = if status < 400 { Part::Success } else { Part::Error };
                    SPECS.response_schema(op, status).map(|s| (part, s))
                })
                .collect()
        };
        for (part, schema) in schemas {
            let name = schema_name(&schema);
            if !out.iter().any(|b| b.api == op.api && b.name == name) {
                out.push(BodySchema {
                    api: op.api,
                    name,
                    operation: op.id.clone(),
                    part,
                    schema,
                });
            }
        }
    }
    out
}

/// Decodes `value` with the SDK type of `body` and encodes it again.
fn sdk_round_trip(body: &BodySchema, value: &Value) -> Result<Value, String> {
    round_trip(body.api, &body.operation, body.part, value).unwrap_or_else(|| {
        Err(format!(
            "{} {} has no SDK type for its {:?} body",
            body.api, body.operation, body.part
        ))
    })
}

fn schema_name(schema: &Value) -> String {
    let component = |s: &Value| {
        s.get("$ref")
            .and_then(Value::as_str)
            .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
    };
    if let Some(name) = component(schema) {
        return name;
    }
    let items = schema.get("items").cloned().unwrap_or_default();
    format!(
        "[{}]",
        component(&items)
            .or_else(|| items.get("type").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_default()
    )
}

// ---------------------------------------------------------------------------
// (a) requests validate against the spec
// ---------------------------------------------------------------------------

fn validator(api: Api, schema: &Value) -> jsonschema::Validator {
    let json_schema = SPECS.json_schema(api, schema);
    jsonschema::draft7::new(&json_schema).expect("our spec's schema compiles")
}

fn check_request(body: &BodySchema, runner: &mut TestRunner) -> Result<(), String> {
    let (api, name) = (body.api, &body.name);
    let validator = validator(api, &body.schema);
    let strategy = value_of(api, &body.schema, 0);
    runner
        .run(&strategy, |value| {
            let sent = sdk_round_trip(body, &value).map_err(TestCaseError::fail)?;
            let errors: Vec<String> = validator
                .iter_errors(&sent)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            prop_assert!(
                errors.is_empty(),
                "{api} {name}: the SDK sends {sent}, which the spec rejects: {errors:?}"
            );
            Ok(())
        })
        .map_err(|e| e.to_string())
}

#[test]
fn request_bodies_from_the_sdk_validate_against_the_spec() {
    let mut failures = Vec::new();
    let schemas = body_schemas(true);
    assert!(schemas.len() >= 18, "request bodies found: {}", schemas.len());
    for body in &schemas {
        let mut runner = TestRunner::new(config());
        if let Err(e) = check_request(body, &mut runner) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Cart creation built through the SDK's own constructors, with every form
/// of option value, rather than decoded from generated JSON.
fn sdk_built_cart() -> impl Strategy<Value = v3::CartCreateRequest> {
    let option_value = prop_oneof![
        (1i64..100_000).prop_map(v3::OptionValue::Id),
        "[A-Za-z ]{1,20}".prop_map(v3::OptionValue::Text),
        (1_600_000_000i64..2_000_000_000).prop_map(v3::OptionValue::Id),
        (1u8..=28, 1u8..=12, 2000u16..2100).prop_map(|(d, m, y)| {
            v3::OptionValue::Date(v3::OptionDateValue {
                day: format!("{d:02}"),
                month: format!("{m:02}"),
                year: y.to_string(),
            })
        }),
    ];
    let selection = (1i64..10_000, option_value).prop_map(|(option_id, value)| v3::OptionSelection {
        option_id: Some(option_id),
        option_value: Some(value),
        ..Default::default()
    });
    let item = (
        1i64..100_000,
        1i64..50,
        proptest::option::of(1i64..100_000),
        proptest::collection::vec(selection, 0..3),
    )
        .prop_map(|(product_id, quantity, variant_id, option_selections)| {
            let mut builder = v3::LineItemRequest::builder().product_id(product_id).quantity(quantity);
            builder = builder.variant_id(variant_id).option_selections(option_selections);
            v3::LineItemRequest::try_from(builder).expect("every field is set")
        });
    (
        proptest::collection::vec(item, 0..4),
        proptest::option::of(1i64..5),
        proptest::option::of("[a-z]{2}(-[A-Z]{2})?"),
    )
        .prop_map(|(line_items, channel_id, locale)| {
            let mut builder = v3::CartCreateRequest::builder()
                .line_items(line_items)
                .channel_id(channel_id);
            if let Some(locale) = locale {
                builder = builder.locale(Some(locale.parse().expect("a valid locale")));
            }
            v3::CartCreateRequest::try_from(builder).expect("a valid cart")
        })
}

#[test]
fn carts_built_with_the_sdk_validate_against_the_spec() {
    let op = SPECS.operation(Api::CartsV3, "createCart").unwrap();
    let validator = validator(Api::CartsV3, &SPECS.request_schema(op).unwrap());
    let mut runner = TestRunner::new(config());
    runner
        .run(&sdk_built_cart(), |cart| {
            let sent = serde_json::to_value(&cart).unwrap();
            let errors: Vec<String> = validator.iter_errors(&sent).map(|e| e.to_string()).collect();
            prop_assert!(errors.is_empty(), "{sent} is rejected: {errors:?}");
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------
// (b) responses decode and re-serialize
// ---------------------------------------------------------------------------

#[test]
fn responses_from_the_spec_decode_into_sdk_types_without_loss() {
    let mut failures = Vec::new();
    let schemas = body_schemas(false);
    assert!(schemas.len() >= 16, "response bodies found: {}", schemas.len());
    for body in &schemas {
        let (api, name) = (body.api, &body.name);
        let mut runner = TestRunner::new(config());
        let result = runner.run(&value_of(api, &body.schema, 0), |value| {
            let back = sdk_round_trip(body, &value).map_err(TestCaseError::fail)?;
            let lost: Vec<String> = compare::differences(&value, &back)
                .iter()
                .map(ToString::to_string)
                .collect();
            prop_assert!(lost.is_empty(), "{api} {name}: {value} came back as {back}: {lost:?}");
            Ok(())
        });
        if let Err(e) = result {
            failures.push(e.to_string());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_body_schema_has_an_sdk_type() {
    for body in body_schemas(true).into_iter().chain(body_schemas(false)) {
        assert!(
            round_trip(body.api, &body.operation, body.part, &json!(null)).is_some(),
            "{} {}: the generated table has no SDK type for {} ({:?})",
            body.api,
            body.operation,
            body.name,
            body.part
        );
    }
}

// ---------------------------------------------------------------------------
// (c) include goes on the wire comma-separated
// ---------------------------------------------------------------------------

#[test]
fn any_include_list_goes_out_comma_separated() {
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(matchers::any())
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        server
    });
    let client = Client::builder("props", "token")
        .base_url(server.uri())
        .build()
        .unwrap();
    let include = proptest::sample::select(vec![
        Include::RedirectUrls,
        Include::LineItemsPhysicalItemsOptions,
        Include::LineItemsDigitalItemsOptions,
        Include::PromotionsBanners,
    ]);
    let mut runner = TestRunner::new(config());
    runner
        .run(
            &(proptest::collection::vec(include, 1..6), any::<u128>()),
            |(values, id)| {
                let sent = runtime.block_on(async {
                    server.reset().await;
                    Mock::given(matchers::any())
                        .respond_with(ResponseTemplate::new(404))
                        .mount(&server)
                        .await;
                    let _ = client
                        .carts()
                        .get_cart()
                        .cart_id(uuid::Uuid::from_u128(id))
                        .include(values.clone())
                        .send()
                        .await;
                    server
                        .received_requests()
                        .await
                        .unwrap()
                        .pop()
                        .and_then(|r| r.url.query().map(str::to_string))
                });
                let expected = format!(
                    "include={}",
                    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
                );
                prop_assert_eq!(sent, Some(expected));
                Ok(())
            },
        )
        .unwrap();
}
