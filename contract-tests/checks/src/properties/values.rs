//! JSON values from a schema of our specs, as proptest strategies.

use std::collections::BTreeSet;

use carts_openapi::{ALWAYS_PRESENT, follow, sdk_requires};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Just, Union};
use serde_json::{Map, Value, json};

/// Below this depth, values hold only what their schemas require: no optional
/// member, no array item beyond `minItems`, no additional property.
const DEPTH_OF_OPTIONAL_PARTS: u32 = 10;

/// Below this depth a schema is taken to refer to itself without end, and the
/// value is `null`. No schema of our specs nests its required parts this deep.
const DEPTH_OF_ANY_PART: u32 = 40;

/// How the optional members of objects are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// As the spec describes: each optional member present or absent.
    Described,
    /// As an older or sparser answer may come: each member the SDK does not
    /// demand (`carts_openapi::sdk_requires`) present, absent or `null`,
    /// whether the spec marks it always present, nullable, or neither.
    Sparse,
}

/// A strategy for JSON values that `schema` (of the spec `doc`) describes.
pub(super) fn value_of(doc: &Value, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    value_in(Form::Described, doc, schema, depth)
}

/// A strategy for answers `schema` (of the spec `doc`) describes, in the
/// [`Form::Sparse`] form.
pub(super) fn sparse_answer_of(doc: &Value, schema: &Value) -> BoxedStrategy<Value> {
    value_in(Form::Sparse, doc, schema, 0)
}

fn value_in(form: Form, doc: &Value, schema: &Value, depth: u32) -> BoxedStrategy<Value> {
    let (schema, at) = follow(doc, schema, "");
    if depth > DEPTH_OF_ANY_PART {
        return Just(Value::Null).boxed();
    }
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    let strategy = non_null_value_of(form, doc, schema, &at, depth);
    if nullable {
        prop_oneof![4 => strategy, 1 => Just(Value::Null)].boxed()
    } else {
        strategy
    }
}

/// `at` is the schema's pointer when it is a component, else empty.
fn non_null_value_of(form: Form, doc: &Value, schema: &Value, at: &str, depth: u32) -> BoxedStrategy<Value> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let values: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        return proptest::sample::select(values).boxed();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(variants) = schema.get(key).and_then(Value::as_array) {
            return Union::new(variants.iter().map(|v| value_in(form, doc, v, depth + 1))).boxed();
        }
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        // One part (a reference wrapped to carry notes, such as `x-deviation`) is that part.
        if let [only] = parts.as_slice() {
            return value_in(form, doc, only, depth + 1);
        }
        let merged = merge_all_of(doc, schema);
        return object_of(form, doc, &merged, at, depth);
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
            let max = if depth > DEPTH_OF_OPTIONAL_PARTS { min } else { max };
            proptest::collection::vec(value_in(form, doc, &items, depth + 1), min..=max)
                .prop_map(Value::Array)
                .boxed()
        }
        Some("object") | None if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() => {
            object_of(form, doc, schema, at, depth)
        }
        Some("object") => Just(json!({})).boxed(),
        _ => Just(json!({})).boxed(),
    }
}

/// One object schema out of an `allOf`: properties and `required` merged.
fn merge_all_of(doc: &Value, schema: &Value) -> Value {
    let mut properties = Map::new();
    let mut required = BTreeSet::new();
    let mut always = BTreeSet::new();
    let mut additional = None;
    let mut parts = vec![schema.clone()];
    while let Some(part) = parts.pop() {
        let part = follow(doc, &part, "").0.clone();
        if let Some(all) = part.get("allOf").and_then(Value::as_array) {
            parts.extend(all.iter().cloned());
        }
        if let Some(p) = part.get("properties").and_then(Value::as_object) {
            properties.extend(p.clone());
        }
        if let Some(r) = part.get("required").and_then(Value::as_array) {
            required.extend(r.iter().filter_map(Value::as_str).map(str::to_string));
        }
        if let Some(a) = part.get(ALWAYS_PRESENT).and_then(Value::as_array) {
            always.extend(a.iter().filter_map(Value::as_str).map(str::to_string));
        }
        if let Some(a) = part.get("additionalProperties") {
            additional = Some(a.clone());
        }
    }
    let mut merged = json!({"type": "object", "properties": properties, "required": required, ALWAYS_PRESENT: always});
    if let Some(a) = additional {
        merged["additionalProperties"] = a;
    }
    merged
}

fn object_of(form: Form, doc: &Value, schema: &Value, at: &str, depth: u32) -> BoxedStrategy<Value> {
    let mut members: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let name = name.clone();
        let value = || value_in(form, doc, property, depth + 1);
        if sdk_requires(doc, at, schema, &name) {
            members.push(value().prop_map(move |v| Some((name.clone(), v))).boxed());
        } else if depth <= DEPTH_OF_OPTIONAL_PARTS {
            let value = match form {
                Form::Described => value(),
                Form::Sparse => prop_oneof![3 => value(), 1 => Just(Value::Null)].boxed(),
            };
            members.push(proptest::option::of(value.prop_map(move |v| (name.clone(), v))).boxed());
        }
    }
    let extra = match schema.get("additionalProperties") {
        Some(extra)
            if depth <= DEPTH_OF_OPTIONAL_PARTS
                && extra.is_object()
                && extra.as_object().is_some_and(|o| !o.is_empty()) =>
        {
            proptest::collection::btree_map("[a-z_]{1,12}", value_in(form, doc, extra, depth + 1), 0..3).boxed()
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

#[cfg(test)]
mod tests {
    use proptest::test_runner::TestRunner;

    use super::*;

    /// An object nesting `levels` deep, each level requiring the next, the last a string.
    fn nested(levels: usize) -> Value {
        (0..levels).fold(json!({"type": "string"}), |inner, _| {
            json!({
                "type": "object",
                "required": ["next"],
                "properties": {"next": inner, "note": {"type": "string"}},
            })
        })
    }

    fn deepest(value: &Value) -> &Value {
        match value.get("next") {
            Some(next) => deepest(next),
            None => value,
        }
    }

    #[test]
    fn required_parts_are_made_at_any_depth_and_optional_ones_only_near_the_top() {
        let doc = json!({});
        let schema = nested(DEPTH_OF_OPTIONAL_PARTS as usize + 5);
        let mut runner = TestRunner::deterministic();
        let strategy = value_of(&doc, &schema, 0);
        for _ in 0..32 {
            let value = strategy.new_tree(&mut runner).expect("a value").current();
            assert!(deepest(&value).is_string(), "a required string deep down: {value}");
            let mut level = &value;
            for depth in 0.. {
                if depth > DEPTH_OF_OPTIONAL_PARTS {
                    assert!(
                        level.get("note").is_none(),
                        "no optional member at depth {depth}: {value}"
                    );
                }
                match level.get("next") {
                    Some(next) => level = next,
                    None => break,
                }
            }
        }
    }
}
