//! Walking every schema of a document, where each sits.

use carts_openapi::{METHODS, child, escape};
use serde_json::{Map, Value};

/// Where a schema sits.
pub(super) struct Place {
    /// JSON pointer of the schema.
    pub pointer: String,
    /// The property or parameter name the schema describes, if any.
    pub property: Option<String>,
    /// Whether the schema is the `items` of an array.
    pub in_items: bool,
}

/// Calls `visit` on every schema object of the document: component schemas,
/// the schemas of parameters, headers, request and response bodies, and every
/// schema nested in those. Reference objects are not followed (their target
/// is visited where it is defined).
pub(super) fn for_each_schema(doc: &mut Value, visit: &mut dyn FnMut(&mut Map<String, Value>, &Place)) {
    for (pointer, property) in schema_roots(doc) {
        if let Some(schema) = doc.pointer_mut(&pointer) {
            let place = Place {
                pointer,
                property,
                in_items: false,
            };
            walk_schema(schema, &place, visit);
        }
    }
}

fn walk_schema(schema: &mut Value, place: &Place, visit: &mut dyn FnMut(&mut Map<String, Value>, &Place)) {
    let Some(object) = schema.as_object_mut() else { return };
    if object.contains_key("$ref") {
        return;
    }
    visit(object, place);
    if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, sub) in properties.iter_mut() {
            let pointer = child(&child(&place.pointer, "properties"), name);
            walk_schema(
                sub,
                &Place {
                    pointer,
                    property: Some(name.clone()),
                    in_items: false,
                },
                visit,
            );
        }
    }
    if let Some(sub) = object.get_mut("additionalProperties") {
        let pointer = child(&place.pointer, "additionalProperties");
        walk_schema(
            sub,
            &Place {
                pointer,
                property: None,
                in_items: false,
            },
            visit,
        );
    }
    if let Some(sub) = object.get_mut("items") {
        let pointer = child(&place.pointer, "items");
        walk_schema(
            sub,
            &Place {
                pointer,
                property: place.property.clone(),
                in_items: true,
            },
            visit,
        );
    }
    if let Some(sub) = object.get_mut("not") {
        let pointer = child(&place.pointer, "not");
        walk_schema(
            sub,
            &Place {
                pointer,
                property: place.property.clone(),
                in_items: place.in_items,
            },
            visit,
        );
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = object.get_mut(key).and_then(Value::as_array_mut) {
            for (index, sub) in list.iter_mut().enumerate() {
                let pointer = format!("{}/{index}", child(&place.pointer, key));
                let sub_place = Place {
                    pointer,
                    property: place.property.clone(),
                    in_items: place.in_items,
                };
                walk_schema(sub, &sub_place, visit);
            }
        }
    }
}

/// Pointers of the schemas that are not inside another schema, with the name
/// of the parameter or header they describe.
pub(super) fn schema_roots(doc: &Value) -> Vec<(String, Option<String>)> {
    let mut roots = Vec::new();
    let components = doc.get("components");
    let entries = |kind: &str| -> Vec<(String, Value)> {
        components
            .and_then(|c| c.get(kind))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (format!("/components/{kind}/{}", escape(k)), v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    for (pointer, _) in entries("schemas") {
        roots.push((pointer, None));
    }
    for (pointer, param) in entries("parameters") {
        param_roots(&pointer, &param, &mut roots);
    }
    for (pointer, header) in entries("headers") {
        param_roots(&pointer, &header, &mut roots);
    }
    for (pointer, body) in entries("requestBodies") {
        content_roots(&pointer, &body, &mut roots);
    }
    for (pointer, response) in entries("responses") {
        response_roots(&pointer, &response, &mut roots);
    }
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let base = format!("/paths/{}", escape(path));
            list_param_roots(&format!("{base}/parameters"), item.get("parameters"), &mut roots);
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let op_pointer = format!("{base}/{method}");
                list_param_roots(&format!("{op_pointer}/parameters"), op.get("parameters"), &mut roots);
                if let Some(body) = op.get("requestBody") {
                    content_roots(&format!("{op_pointer}/requestBody"), body, &mut roots);
                }
                if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                    for (status, response) in responses {
                        response_roots(&child(&format!("{op_pointer}/responses"), status), response, &mut roots);
                    }
                }
            }
        }
    }
    roots
}

fn list_param_roots(pointer: &str, list: Option<&Value>, roots: &mut Vec<(String, Option<String>)>) {
    for (index, param) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
        param_roots(&format!("{pointer}/{index}"), param, roots);
    }
}

fn param_roots(pointer: &str, param: &Value, roots: &mut Vec<(String, Option<String>)>) {
    let name = param.get("name").and_then(Value::as_str).map(str::to_string);
    if param.get("schema").is_some() {
        roots.push((format!("{pointer}/schema"), name.clone()));
    }
    if let Some(content) = param.get("content").and_then(Value::as_object) {
        for media in content.keys() {
            roots.push((
                format!("{}/schema", child(&format!("{pointer}/content"), media)),
                name.clone(),
            ));
        }
    }
}

fn content_roots(pointer: &str, holder: &Value, roots: &mut Vec<(String, Option<String>)>) {
    if let Some(content) = holder.get("content").and_then(Value::as_object) {
        for (media, entry) in content {
            if entry.get("schema").is_some() {
                roots.push((format!("{}/schema", child(&format!("{pointer}/content"), media)), None));
            }
        }
    }
}

fn response_roots(pointer: &str, response: &Value, roots: &mut Vec<(String, Option<String>)>) {
    content_roots(pointer, response, roots);
    if let Some(headers) = response.get("headers").and_then(Value::as_object) {
        for (name, header) in headers {
            let header_pointer = child(&format!("{pointer}/headers"), name);
            if header.get("schema").is_some() {
                roots.push((format!("{header_pointer}/schema"), Some(name.clone())));
            }
        }
    }
}

/// The places answers can reach: the pointers of response body schemas, and
/// of every component schema they refer to, directly or through others.
pub(super) fn response_places(doc: &Value) -> Vec<String> {
    let mut places: Vec<String> = schema_roots(doc)
        .into_iter()
        .map(|(pointer, _)| pointer)
        .filter(|pointer| pointer.contains("/responses/") && !pointer.contains("/headers/"))
        .collect();
    let mut pending: Vec<Value> = places.iter().filter_map(|p| doc.pointer(p).cloned()).collect();
    let mut seen = std::collections::BTreeSet::new();
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                // A reference into the schema components, the whole of one or a part of it.
                if let Some(pointer) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                    .filter(|pointer| carts_openapi::component_of(pointer).is_some())
                {
                    let pointer = pointer.to_string();
                    if seen.insert(pointer.clone())
                        && let Some(target) = doc.pointer(&pointer)
                    {
                        pending.push(target.clone());
                        places.push(pointer);
                    }
                }
                pending.extend(map.into_iter().map(|(_, v)| v));
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    places
}

/// Whether `pointer` is at or below one of `places`.
pub(super) fn within(pointer: &str, places: &[String]) -> bool {
    places.iter().any(|place| {
        pointer == place
            || pointer
                .strip_prefix(place.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}
