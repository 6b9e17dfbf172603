//! Requests the SDK sends validate against our specs.

use bigcommerce_carts::carts::types as v3;
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};

use super::bodies::{BodySchema, body_schemas};
use super::values::value_of;
use super::{CASES, config};
use crate::cassette::Api;
use crate::spec::Specs;

/// `requests.validate`.
pub(super) fn bodies_validate(specs: &Specs) -> Result<u32, String> {
    let schemas = body_schemas(specs, true);
    if schemas.len() < 18 {
        return Err(format!("only {} request bodies found in the specs", schemas.len()));
    }
    let failures: Vec<String> = schemas
        .iter()
        .filter_map(|body| check_request(specs, body).err())
        .collect();
    if failures.is_empty() {
        Ok(CASES * schemas.len() as u32)
    } else {
        Err(failures.join("\n"))
    }
}

fn validator(specs: &Specs, api: Api, schema: &serde_json::Value) -> Result<jsonschema::Validator, String> {
    let json_schema = specs.json_schema(api, schema);
    jsonschema::draft7::new(&json_schema).map_err(|e| format!("{api}: a schema of our spec does not compile: {e}"))
}

fn check_request(specs: &Specs, body: &BodySchema) -> Result<(), String> {
    let (api, name) = (body.api, &body.name);
    let validator = validator(specs, api, &body.schema)?;
    let strategy = value_of(specs.doc(api), &body.schema, 0);
    TestRunner::new(config())
        .run(&strategy, |value| {
            let sent = body.sdk_round_trip(&value).map_err(TestCaseError::fail)?;
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
            let builder = v3::LineItemRequest::builder()
                .product_id(product_id)
                .quantity(quantity)
                .variant_id(variant_id)
                .option_selections(option_selections);
            v3::LineItemRequest::try_from(builder)
        });
    (
        proptest::collection::vec(item, 0..4),
        proptest::option::of(1i64..5),
        proptest::option::of("[a-z]{2}(-[A-Z]{2})?"),
    )
        .prop_map(|(line_items, channel_id, locale)| {
            let line_items: Result<Vec<_>, _> = line_items.into_iter().collect();
            let mut builder = v3::CartCreateRequest::builder()
                .line_items(line_items.map_err(|e| e.to_string())?)
                .channel_id(channel_id);
            if let Some(locale) = locale {
                builder = builder.locale(Some(locale.parse().map_err(|e| format!("locale {locale:?}: {e}"))?));
            }
            v3::CartCreateRequest::try_from(builder).map_err(|e| e.to_string())
        })
        .prop_filter_map("the SDK's builders refused the values", Result::ok)
}

/// `requests.built_carts_validate`.
pub(super) fn built_carts_validate(specs: &Specs) -> Result<u32, String> {
    let op = specs
        .operation(Api::CartsV3, "createCart")
        .ok_or("spec/carts.v3.yaml has no createCart")?;
    let schema = specs.request_schema(op).ok_or("createCart has no request body")?;
    let validator = validator(specs, Api::CartsV3, &schema)?;
    TestRunner::new(config())
        .run(&sdk_built_cart(), |cart| {
            let sent = serde_json::to_value(&cart).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let errors: Vec<String> = validator.iter_errors(&sent).map(|e| e.to_string()).collect();
            prop_assert!(errors.is_empty(), "{sent} is rejected: {errors:?}");
            Ok(())
        })
        .map(|()| CASES)
        .map_err(|e| e.to_string())
}
