//! Splitting a shared component of ours that a release changes for some of
//! the places that use it only, and folding the copy back once it states the
//! same facts as its original again.
//!
//! An edit that lands in a component changes every place that refers to it.
//! When the release changes the component's facts for some of those places
//! and leaves the others as they were (it drops the counts from the answers
//! of two batch writes, and keeps them in the third), the places it changes
//! are pointed to a copy of the component, under a name of ours and marked
//! with [`SPLIT_FROM`], and the edit is made to the copy. A later release
//! that brings those places back to the original's facts lets the copy go:
//! its references name the original again, and the copy is removed, so that
//! our spec keeps its structure and not only its facts.

use anyhow::{Context, Result};
use carts_openapi::{child, escape, unescape};
use serde_json::{Map, Value, json};

use super::carry;
use super::edit::YamlDocument;
use super::facts::extract;

/// The mark of a copy: the name of the component it was split from.
pub const SPLIT_FROM: &str = "x-split-from";

/// The `$ref` a reference to the schema component `name` carries.
fn reference(name: &str) -> String {
    format!("#/components/schemas/{}", escape(name))
}

/// The pointer of the schema component `name`.
pub fn pointer(name: &str) -> String {
    child("/components/schemas", name)
}

/// The pointers of the objects of `doc` that refer to the schema component
/// `name` (each holds its `$ref`), those inside the component itself left out.
pub fn references_to(doc: &Value, name: &str) -> Vec<String> {
    fn visit(value: &Value, at: &str, wanted: &str, inside: &str, out: &mut Vec<String>) {
        if at == inside {
            return;
        }
        match value {
            Value::Object(map) => {
                if map.get("$ref").and_then(Value::as_str) == Some(wanted) {
                    out.push(at.to_string());
                }
                for (key, value) in map {
                    visit(value, &child(at, key), wanted, inside, out);
                }
            }
            Value::Array(items) => {
                for (index, value) in items.iter().enumerate() {
                    visit(value, &child(at, &index.to_string()), wanted, inside, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    visit(doc, "", &reference(name), &pointer(name), &mut out);
    out
}

/// Whether `value` carries an `x-deviation` anywhere: such a component says
/// why it differs from the release, for every place that uses it, and a
/// person decides what a change there means.
pub fn deviates(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("x-deviation") || map.values().any(deviates),
        Value::Array(items) => items.iter().any(deviates),
        _ => false,
    }
}

/// Our spec's `text` with a copy of the schema component `name`, called
/// `copy`, that the references at `refs` now name; with one line per change
/// made.
pub fn split(text: &str, name: &str, copy: &str, refs: &[String]) -> Result<(String, Vec<String>)> {
    let doc: Value = carts_openapi::parse(text.as_bytes()).context("reading our spec")?.doc;
    let original = doc
        .pointer(&pointer(name))
        .and_then(Value::as_object)
        .with_context(|| format!("{} is no schema component", pointer(name)))?;
    let mut schema = Map::new();
    schema.insert(
        "description".into(),
        json!(format!(
            "A copy of `{name}` for the places where a release changed it and not elsewhere; split off by \
             `cargo xtask vendor`."
        )),
    );
    schema.insert(SPLIT_FROM.into(), json!(name));
    for (key, value) in original {
        if key != "description" && key != SPLIT_FROM {
            schema.insert(key.clone(), value.clone());
        }
    }
    let document = YamlDocument::parse(text)?;
    document.set("/components/schemas", copy, &Value::Object(schema))?;
    let mut described = vec![format!("add component {} (a copy of {})", pointer(copy), pointer(name))];
    for at in refs {
        document.set(at, "$ref", &json!(reference(copy)))?;
        described.push(format!("set {} to {:?}", child(at, "$ref"), reference(copy)));
    }
    Ok((document.text(), described))
}

/// Our spec's `text` with every copy made by [`split`] that states exactly
/// the facts of the component it was split from again folded into it: the
/// copy's references name the original, and the copy is removed. A fold that would change any fact of the spec
/// is not made. Also returns one line per change made.
pub fn fold(text: &str) -> Result<(String, Vec<String>)> {
    let mut text = text.to_string();
    let mut described = Vec::new();
    loop {
        let doc: Value = carts_openapi::parse(text.as_bytes()).context("reading our spec")?.doc;
        let copies: Vec<(String, Option<String>)> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|schemas| {
                schemas
                    .iter()
                    .filter_map(|(name, schema)| {
                        let from = schema.get(SPLIT_FROM)?;
                        Some((name.clone(), from.as_str().map(str::to_string)))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if copies.is_empty() {
            return Ok((text, described));
        }
        let mut folded = None;
        for (copy, from) in copies {
            // Only into the component it was split from: another that happens to state the same
            // facts now (an empty object) may part from it again.
            let Some(into) = from.filter(|from| carry::alike(&doc, &copy).contains(from)) else {
                continue;
            };
            let refs = references_to(&doc, &copy);
            let document = YamlDocument::parse(&text)?;
            let mut lines = Vec::new();
            for at in &refs {
                document.set(at, "$ref", &json!(reference(&into)))?;
                lines.push(format!("set {} to {:?}", child(at, "$ref"), reference(&into)));
            }
            document.remove("/components/schemas", &copy)?;
            lines.push(format!(
                "remove component {} (it states the facts of {} again)",
                pointer(&copy),
                pointer(&into)
            ));
            let after = document.text();
            let after_doc: Value = carts_openapi::parse(after.as_bytes())
                .context("the folded spec does not read back")?
                .doc;
            let facts = |doc: &Value| {
                extract(doc)
                    .into_iter()
                    .map(|(key, fact)| (key, (fact.value, fact.deviates)))
                    .collect::<Vec<_>>()
            };
            if facts(&doc) == facts(&after_doc) {
                folded = Some((after, lines));
                break;
            }
        }
        match folded {
            Some((after, lines)) => {
                text = after;
                described.extend(lines);
            }
            None => return Ok((text, described)),
        }
    }
}

/// The name a reference to `pointer` names, if it is a schema component.
pub fn component(pointer: &str) -> Option<String> {
    super::facts::component_of(pointer).map(unescape)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(schemas: Value) -> String {
        super::super::edit::block_yaml(&json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Answer"}}}}}}}},
            "components": {"schemas": schemas}
        }))
    }

    /// A release whose create and delete answers carry counts with `create` and `delete` fields.
    fn release(create: Value, delete: Value) -> Value {
        let answer = |fields: Value| {
            json!({"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"meta": {"type": "object", "properties": fields}}}}}}})
        };
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {
                "post": {"operationId": "create", "responses": answer(create)},
                "delete": {"operationId": "remove", "responses": answer(delete)}
            }}
        })
    }

    /// Ours: both answers refer to one `Counts` component, through answers of their own.
    fn ours(counts: Value) -> String {
        let answer = |name: &str| {
            json!({"200": {"description": "ok", "content": {"application/json": {"schema": {
                "$ref": format!("#/components/schemas/{name}")}}}}})
        };
        let refers = json!({"type": "object", "properties": {"meta": {"$ref": "#/components/schemas/Counts"}}});
        super::super::edit::block_yaml(&json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {
                "post": {"operationId": "create", "responses": answer("CreateAnswer")},
                "delete": {"operationId": "remove", "responses": answer("DeleteAnswer")}
            }},
            "components": {"schemas": {"CreateAnswer": refers, "DeleteAnswer": refers, "Counts": counts}}
        }))
    }

    #[test]
    fn a_shared_component_is_split_unless_it_deviates() {
        let both = json!({"total": {"type": "integer"}, "failed": {"type": "integer"}});
        let fewer = json!({"total": {"type": "integer"}});
        let (old, new) = (release(both.clone(), both.clone()), release(fewer, both.clone()));
        let merge = |from: &Value, to: &Value, text: &str| {
            let doc = carts_openapi::parse(text.as_bytes()).unwrap().doc;
            crate::spec_merge::merge_release(from, to, text, &doc, "today").unwrap()
        };
        let text = ours(json!({"type": "object", "properties": both}));
        let split = merge(&old, &new, &text);
        assert!(split.conflicts.is_empty(), "{:?}", split.conflicts);
        let doc: Value = carts_openapi::parse(split.text.as_bytes()).unwrap().doc;
        assert_eq!(
            doc.pointer("/components/schemas/CreateAnswer/properties/meta/$ref"),
            Some(&json!("#/components/schemas/Counts2"))
        );
        assert!(doc.pointer("/components/schemas/Counts2/properties/failed").is_none());
        assert!(doc.pointer("/components/schemas/Counts/properties/failed").is_some());
        // The release goes back: so does our spec, byte for byte.
        let back = merge(&new, &old, &split.text);
        assert_eq!(back.text, text);
        // What the merge hands on to a next one is what reading its release and its text gives,
        // also after the copy is folded back.
        let read = |doc: &Value| crate::spec_merge::facts::extract(doc);
        let written = carts_openapi::parse(back.text.as_bytes()).unwrap().doc;
        assert_eq!(back.known.base.as_ref(), Some(&read(&old)));
        assert_eq!(back.known.ours.as_ref(), Some(&read(&written)));
        // A component that deviates anywhere is not split: the change stays a conflict.
        let deviating = ours(json!({"type": "object", "properties": {
            "total": {"type": "integer", "x-deviation": "why"}, "failed": {"type": "integer"}}}));
        let refused = merge(&old, &new, &deviating);
        assert_eq!(refused.text, deviating);
        assert!(
            refused.conflicts.iter().any(|c| c.reason.contains("would also change")),
            "{:?}",
            refused.conflicts
        );
    }

    #[test]
    fn references_inside_the_component_itself_are_not_counted() {
        let doc = json!({"a": {"$ref": "#/components/schemas/Node"}, "components": {"schemas": {
            "Node": {"properties": {"next": {"$ref": "#/components/schemas/Node"}}}}}});
        assert_eq!(references_to(&doc, "Node"), ["/a"]);
    }

    #[test]
    fn a_copy_that_states_other_facts_stays() {
        let text = spec(json!({
            "Answer": {"type": "object", "properties": {"meta": {"$ref": "#/components/schemas/Meta2"}}},
            "Meta": {"type": "object", "properties": {"total": {"type": "integer"}}},
            "Meta2": {"type": "object", "x-split-from": "Meta", "properties": {"total": {"type": "string"}}}
        }));
        let (after, described) = fold(&text).unwrap();
        assert_eq!(after, text);
        assert!(described.is_empty());
        let same = text.replace("type: string", "type: integer");
        let (after, described) = fold(&same).unwrap();
        let doc: Value = carts_openapi::parse(after.as_bytes()).unwrap().doc;
        assert_eq!(doc.pointer("/components/schemas/Meta2"), None, "{after}");
        assert_eq!(
            doc.pointer("/components/schemas/Answer/properties/meta/$ref"),
            Some(&json!("#/components/schemas/Meta"))
        );
        assert_eq!(described.len(), 2, "{described:?}");
    }
}
