//! Rule `open_response_enums`: enums in answers accept values the spec does not list yet.

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use carts_openapi::{child, escape};
use serde_json::{Value, json};

use super::Applied;
use super::walk::schema_roots;

/// typify turns an `enum` into a closed Rust enum (or, for integers, a
/// newtype that rejects other values), so one value the spec does not list
/// yet (a new coupon or discount type) fails the decode of a whole cart.
/// An API adds such values without notice; the documented ones stay valid.
///
/// For every enum a response body can reach:
/// - a string enum component `X` becomes `oneOf: [KnownX, string]`, with the
///   listed values moved to a new component `KnownX`: known values still
///   decode as the typed `KnownX`, anything else as a plain string (requests
///   may send either, so a new value can be sent before the spec lists it);
/// - an inline string enum, or an integer enum, keeps its type and loses the
///   `enum` list, which is kept in `x-known-values`.
///
/// Every value the document accepted is still accepted, so no valid answer
/// decodes differently, and an answer with a new value no longer fails.
pub(super) fn open_response_enums(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    let mut components = BTreeSet::new();
    let mut inline = BTreeSet::new();
    let roots: Vec<String> = schema_roots(doc)
        .into_iter()
        .map(|(pointer, _)| pointer)
        .filter(|pointer| pointer.contains("/responses/") && !pointer.contains("/headers/"))
        .collect();
    let snapshot = doc.clone();
    let mut visited = BTreeSet::new();
    for root in roots {
        if let Some(schema) = snapshot.pointer(&root) {
            let mut found = Reached {
                components: &mut components,
                inline: &mut inline,
                visited: &mut visited,
            };
            reach_enums(&snapshot, schema, &root, &mut found);
        }
    }
    for pointer in inline {
        let Some(schema) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
            continue;
        };
        if let Some(values) = schema.remove("enum") {
            schema.insert("x-known-values".into(), values);
            applied.push(Applied {
                rule: "open_response_enums",
                pointer: child(&pointer, "enum"),
                detail: "enum opened: other values decode too".into(),
            });
        }
    }
    for name in components {
        let pointer = format!("/components/schemas/{}", escape(&name));
        let Some(original) = doc.pointer(&pointer).cloned() else {
            continue;
        };
        let is_string = original.get("type").and_then(Value::as_str) == Some("string");
        if !is_string {
            if let Some(schema) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut)
                && let Some(values) = schema.remove("enum")
            {
                schema.insert("x-known-values".into(), values);
            }
            applied.push(Applied {
                rule: "open_response_enums",
                pointer: child(&pointer, "enum"),
                detail: format!("{name}: enum opened: other values decode too"),
            });
            continue;
        }
        let known = format!("Known{name}");
        if doc
            .pointer(&format!("/components/schemas/{}", escape(&known)))
            .is_some()
        {
            bail!("at {pointer}: cannot open enum {name}: a component {known} already exists");
        }
        let description = original.get("description").cloned();
        let schemas = doc
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
            .expect("read above");
        schemas.insert(known.clone(), original);
        // `x-opened` marks the wrapper, so running the pass again leaves it be;
        // `x-variant-names` names its two cases for what they are.
        let mut open = json!({
            "oneOf": [{ "$ref": format!("#/components/schemas/{known}") }, { "type": "string" }],
            "x-opened": true,
            "x-variant-names": ["Known", "Other"]
        });
        if let Some(description) = description {
            open["description"] = description;
        }
        schemas.insert(name.clone(), open);
        applied.push(Applied {
            rule: "open_response_enums",
            pointer,
            detail: format!("{name}: oneOf {known} (the listed values) or any other string"),
        });
    }
    Ok(())
}

/// What [`reach_enums`] has found so far.
struct Reached<'a> {
    /// Enum components, by name.
    components: &'a mut BTreeSet<String>,
    /// Pointers of inline enum schemas.
    inline: &'a mut BTreeSet<String>,
    /// Components already walked, against reference cycles.
    visited: &'a mut BTreeSet<String>,
}

/// Collects the enum components and inline enum schemas `schema` reaches.
fn reach_enums(doc: &Value, schema: &Value, pointer: &str, found: &mut Reached<'_>) {
    if schema.get("x-opened").is_some() {
        return;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let Some(name) = carts_openapi::referenced_component(reference) else {
            return;
        };
        let target_pointer = format!("/components/schemas/{}", escape(&name));
        let Some(target) = doc.pointer(&target_pointer) else {
            return;
        };
        if target.get("enum").is_some() {
            found.components.insert(name);
        } else if found.visited.insert(name) {
            reach_enums(doc, target, &target_pointer, found);
        }
        return;
    }
    if schema.get("enum").is_some() {
        found.inline.insert(pointer.to_string());
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, sub) in properties {
            reach_enums(doc, sub, &child(&child(pointer, "properties"), name), found);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(sub) = schema.get(key).filter(|s| s.is_object()) {
            reach_enums(doc, sub, &child(pointer, key), found);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (index, sub) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            reach_enums(doc, sub, &format!("{}/{index}", child(pointer, key)), found);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::normalize::tests::run;

    #[test]
    fn open_response_enums_opens_what_answers_reach_and_nothing_else() {
        let (doc, applied) = run(
            open_response_enums,
            json!({
                "paths": {"/c": {"get": {
                    "parameters": [{"name": "sort", "in": "query", "schema": {"$ref": "#/components/schemas/Sort"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                        {"$ref": "#/components/schemas/Coupon"}}}}}
                }}},
                "components": {"schemas": {
                    "Coupon": {"type": "object", "properties": {
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "discount": {"type": "integer", "enum": [0, 1, 2]},
                        "unit": {"type": "string", "enum": ["each", "all"]}
                    }},
                    "Kind": {"type": "string", "enum": ["a", "b"], "description": "Kind."},
                    "Sort": {"type": "string", "enum": ["asc", "desc"]}
                }}
            }),
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Kind"],
            json!({
                "oneOf": [{"$ref": "#/components/schemas/KnownKind"}, {"type": "string"}],
                "x-opened": true,
                "x-variant-names": ["Known", "Other"],
                "description": "Kind."
            })
        );
        assert_eq!(
            schemas["KnownKind"],
            json!({"type": "string", "enum": ["a", "b"], "description": "Kind."})
        );
        assert_eq!(
            schemas["Coupon"]["properties"]["discount"],
            json!({"type": "integer", "x-known-values": [0, 1, 2]})
        );
        assert_eq!(
            schemas["Coupon"]["properties"]["unit"]["x-known-values"],
            json!(["each", "all"])
        );
        assert_eq!(
            schemas["Sort"],
            json!({"type": "string", "enum": ["asc", "desc"]}),
            "request-only enums stay closed"
        );
        assert_eq!(applied.len(), 3);
    }
}
