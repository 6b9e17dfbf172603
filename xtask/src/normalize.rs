//! The normalization pass: rewrites an OpenAPI document into a form
//! progenitor 0.15 generates a correct client from.
//!
//! Each rule fixes one thing progenitor cannot take, keeps the meaning of the
//! document, and is listed in [`RULES`] in the order it runs. Rules work on the
//! document as a JSON tree so that they can report where they acted as a JSON
//! pointer and so that they run before anything is typed.

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use serde_json::{Map, Value, json};

use crate::spec::{self, child, deref, escape, operation_pointer, operations};

/// One place a rule rewrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The rule's name, as listed in [`RULES`].
    pub rule: &'static str,
    /// JSON pointer of the rewritten place, in the document as read.
    pub pointer: String,
    /// What was rewritten, in a few words.
    pub detail: String,
}

/// A named normalization rule.
pub struct Rule {
    /// Stable name, used in summaries and in `spec/README.md`.
    pub name: &'static str,
    apply: fn(&mut Value, &mut Vec<Applied>) -> Result<()>,
}

/// Every rule, in the order they run. Operation ids come first because the
/// later rules and every error message name operations by them.
pub const RULES: &[Rule] = &[
    Rule {
        name: "operation_ids",
        apply: operation_ids,
    },
    Rule {
        name: "media_type_headers",
        apply: media_type_headers,
    },
    Rule {
        name: "schema_titles",
        apply: schema_titles,
    },
    Rule {
        name: "uuid_format",
        apply: uuid_format,
    },
    Rule {
        name: "integer_ids",
        apply: integer_ids,
    },
    Rule {
        name: "one_success_response",
        apply: one_success_response,
    },
    Rule {
        name: "one_error_response",
        apply: one_error_response,
    },
    Rule {
        name: "open_response_enums",
        apply: open_response_enums,
    },
];

/// Runs every rule over `doc` and lists where each one acted.
pub fn normalize(doc: &mut Value) -> Result<Vec<Applied>> {
    let mut applied = Vec::new();
    for rule in RULES {
        (rule.apply)(doc, &mut applied)?;
    }
    Ok(applied)
}

// ---------------------------------------------------------------------------
// operation_ids
// ---------------------------------------------------------------------------

/// progenitor names every client method after its operation's `operationId`
/// and stops with an unwrap on an operation without one (two 2022 releases of
/// the carts spec have such paths). An operation without an id gets one made
/// of its method and path (`get /carts/{cartId}/items` becomes
/// `get_carts_cartId_items`); that only names the method and changes nothing
/// on the wire. Two operations that end up with the same id cannot both
/// become methods, so that is an error naming both places.
fn operation_ids(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for (path, method) in operations(doc) {
        let pointer = operation_pointer(&path, &method);
        let Some(op) = doc.pointer_mut(&pointer).and_then(Value::as_object_mut) else {
            continue;
        };
        let id = match op.get("operationId").and_then(Value::as_str) {
            Some(id) if !id.trim().is_empty() => id.to_string(),
            _ => {
                let id = synthesized_operation_id(&method, &path);
                op.insert("operationId".into(), Value::String(id.clone()));
                applied.push(Applied {
                    rule: "operation_ids",
                    pointer: child(&pointer, "operationId"),
                    detail: format!("missing; named {id}"),
                });
                id
            }
        };
        if let Some((_, first)) = seen.iter().find(|(seen_id, _)| seen_id == &id) {
            bail!(
                "at {pointer}/operationId: operation id {id:?} is used twice (first at {first}); \
                 each operation becomes one client method, so ids must be unique"
            );
        }
        seen.push((id, pointer));
    }
    Ok(())
}

fn synthesized_operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_string();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        id.push('_');
        id.extend(segment.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }));
    }
    while id.contains("__") {
        id = id.replace("__", "_");
    }
    id.trim_end_matches('_').to_string()
}

// ---------------------------------------------------------------------------
// media_type_headers
// ---------------------------------------------------------------------------

/// The published specs declare `Accept` and `Content-Type` as required header
/// parameters. progenitor turns each into a required builder argument, so a
/// caller would have to pass `"application/json"` to every call. The client
/// sets both headers itself from the media types of the request and response
/// bodies, so dropping the parameters leaves the requests on the wire as they
/// were.
fn media_type_headers(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    let is_media_header = |param: &Value| {
        param.get("in").and_then(Value::as_str) == Some("header")
            && param
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case("accept") || n.eq_ignore_ascii_case("content-type"))
    };
    for list in parameter_lists(doc) {
        let snapshot = doc.clone();
        let Some(params) = doc.pointer_mut(&list).and_then(Value::as_array_mut) else {
            continue;
        };
        let mut index = 0;
        params.retain(|param| {
            let resolved = deref(&snapshot, param);
            let drop = is_media_header(resolved);
            if drop {
                applied.push(Applied {
                    rule: "media_type_headers",
                    pointer: format!("{list}/{index}"),
                    detail: format!(
                        "dropped header parameter {}",
                        resolved.get("name").and_then(Value::as_str).unwrap_or_default()
                    ),
                });
            }
            index += 1;
            !drop
        });
    }
    Ok(())
}

/// Pointers of every `parameters` array: on path items and on operations.
fn parameter_lists(doc: &Value) -> Vec<String> {
    let mut lists = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let base = format!("/paths/{}", escape(path));
            if item.get("parameters").is_some_and(Value::is_array) {
                lists.push(format!("{base}/parameters"));
            }
            for method in spec::METHODS {
                if item
                    .get(method)
                    .and_then(|op| op.get("parameters"))
                    .is_some_and(Value::is_array)
                {
                    lists.push(format!("{base}/{method}/parameters"));
                }
            }
        }
    }
    lists
}

// ---------------------------------------------------------------------------
// schema_titles
// ---------------------------------------------------------------------------

/// typify names a type after a schema's `title` when it has one. Inline
/// schemas in the published specs carry titles equal to component names
/// (`Cart_Full` both as a component and as the title of an inline copy), so
/// two different types get one name and the generated code does not compile.
/// A title is an annotation with no effect on validation, so removing it keeps
/// the meaning; types are then named after their component or their place.
fn schema_titles(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    for_each_schema(doc, &mut |schema, place| {
        if schema.get("title").is_some_and(Value::is_string) {
            schema.remove("title");
            applied.push(Applied {
                rule: "schema_titles",
                pointer: child(&place.pointer, "title"),
                detail: "removed schema title".into(),
            });
        }
    });
    Ok(())
}

// ---------------------------------------------------------------------------
// uuid_format
// ---------------------------------------------------------------------------

/// Formats are case-sensitive to typify, which knows `uuid` but leaves
/// `UUID` (as the published carts spec writes it) a plain `String`. The
/// documentation means the same format either way, so the rule lowers the
/// case and cart ids become `uuid::Uuid`.
fn uuid_format(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    for_each_schema(doc, &mut |schema, place| {
        let format = schema.get("format").and_then(Value::as_str);
        if format.is_some_and(|f| f.eq_ignore_ascii_case("uuid") && f != "uuid") {
            schema.insert("format".into(), Value::String("uuid".into()));
            applied.push(Applied {
                rule: "uuid_format",
                pointer: child(&place.pointer, "format"),
                detail: "format written as uuid".into(),
            });
        }
    });
    Ok(())
}

// ---------------------------------------------------------------------------
// integer_ids
// ---------------------------------------------------------------------------

/// The published specs type many identifiers (`product_id`, `variant_id`, ...)
/// as `number`. progenitor maps `number` to `f64`, and serde writes `126.0` for
/// the id 126, which is not how the API writes ids. Identifiers are whole
/// numbers throughout the documentation and every payload, so a `number`
/// schema of a field named `id`, `*_id` or `*Id` becomes `integer`.
fn integer_ids(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    for_each_schema(doc, &mut |schema, place| {
        let Some(name) = place.property.as_deref() else { return };
        let is_id = name == "id" || name.ends_with("_id") || name.ends_with("Id");
        let is_ids_item = place.in_items && (name.ends_with("_ids") || name.ends_with("Ids"));
        if (is_id || is_ids_item) && schema.get("type").and_then(Value::as_str) == Some("number") {
            schema.insert("type".into(), Value::String("integer".into()));
            let format = schema.get("format").and_then(Value::as_str);
            if format.is_some_and(|f| f != "int32" && f != "int64") {
                schema.remove("format");
            }
            applied.push(Applied {
                rule: "integer_ids",
                pointer: child(&place.pointer, "type"),
                detail: format!("{name}: number became integer"),
            });
        }
    });
    Ok(())
}

// ---------------------------------------------------------------------------
// one_success_response
// ---------------------------------------------------------------------------

/// progenitor gives each operation one success type and panics when the
/// documented success responses carry different bodies (`deleteCartLineItem`
/// answers 200 with the cart, or 204 with no body when the last item went and
/// the cart with it; a bodiless `default` next to a 200 counts as a second
/// success). It also fails every call that answers a 2xx status the document
/// does not list (a 200 where 201 is documented).
///
/// The rule merges the success responses into one `2XX` response: its body is
/// the one documented body; a `oneOf` of them when they differ; made nullable
/// when one documented status has no body (the SDK reads an empty success body
/// as `null`). The documented statuses stay in the description and in
/// `x-documented-statuses`. Every documented answer still decodes, and the
/// exact status remains on the response for the conformance rules to check.
fn one_success_response(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    for (path, method) in operations(doc) {
        let pointer = format!("{}/responses", operation_pointer(&path, &method));
        let Some(responses) = doc.pointer(&pointer).and_then(Value::as_object).cloned() else {
            continue;
        };
        let explicit_success = responses.keys().any(|k| Status::parse(k).is_success());
        let keys: Vec<&String> = responses
            .keys()
            .filter(|k| match Status::parse(k) {
                Status::Default => !explicit_success,
                status => status.is_success(),
            })
            .collect();
        if keys.is_empty() || (keys.len() == 1 && keys[0] == "2XX") {
            continue;
        }
        let mut merged = Merged::default();
        for key in &keys {
            merged.add(key, deref(doc, &responses[key.as_str()]));
        }
        let mut response = Map::new();
        response.insert("description".into(), Value::String(merged.description("success")));
        if let Some(schema) = merged.success_schema() {
            response.insert("content".into(), json!({ "application/json": { "schema": schema } }));
        } else if let Some(content) = merged.other_content.clone() {
            response.insert("content".into(), Value::Object(content));
        }
        response.insert("x-documented-statuses".into(), json!(merged.statuses));
        let target = doc
            .pointer_mut(&pointer)
            .and_then(Value::as_object_mut)
            .expect("read above");
        let mut rebuilt = Map::new();
        rebuilt.insert("2XX".into(), Value::Object(response));
        for (key, value) in std::mem::take(target) {
            if !keys.contains(&&key) {
                rebuilt.insert(key, value);
            }
        }
        *target = rebuilt;
        applied.push(Applied {
            rule: "one_success_response",
            pointer,
            detail: format!("{} merged into 2XX", merged.statuses.join(", ")),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// one_error_response
// ---------------------------------------------------------------------------

/// progenitor gives each operation one error type and panics when documented
/// error responses carry different bodies (several settings and metafield
/// operations of the published spec). Statuses the document does not list
/// come back as an undecoded "unexpected response", so a 422 on an operation
/// that documents only 409 loses its error message.
///
/// The rule replaces the error responses (4xx, 5xx, `default`) with `4XX` and
/// `5XX` responses carrying one body: the documented one; any JSON when the
/// documented ones differ (the SDK decodes the envelope itself); for an
/// operation that documents no error, the API's error envelope when the whole
/// document uses exactly one. Every documented error still decodes, and
/// undocumented ones keep their message.
fn one_error_response(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
    let envelope = api_error_envelope(doc);
    for (path, method) in operations(doc) {
        let pointer = format!("{}/responses", operation_pointer(&path, &method));
        let Some(responses) = doc.pointer(&pointer).and_then(Value::as_object).cloned() else {
            continue;
        };
        let keys: Vec<&String> = responses
            .keys()
            .filter(|k| Status::parse(k).is_error_or_default())
            .collect();
        if keys.len() == 2 && keys.iter().all(|k| *k == "4XX" || *k == "5XX") {
            continue;
        }
        let mut merged = Merged::default();
        for key in &keys {
            merged.add(key, deref(doc, &responses[key.as_str()]));
        }
        let schema = match merged.bodies.len() {
            0 => envelope.clone(),
            1 => Some(merged.bodies[0].clone()),
            _ => Some(json!({})),
        };
        if keys.is_empty() && schema.is_none() {
            continue;
        }
        let description = if keys.is_empty() {
            "Error; none documented for this operation, answered in the API's error envelope.".to_string()
        } else {
            merged.description("error")
        };
        let mut response = Map::new();
        response.insert("description".into(), Value::String(description));
        if let Some(schema) = schema {
            response.insert("content".into(), json!({ "application/json": { "schema": schema } }));
        }
        response.insert("x-documented-statuses".into(), json!(merged.statuses));
        let target = doc
            .pointer_mut(&pointer)
            .and_then(Value::as_object_mut)
            .expect("read above");
        target.retain(|key, _| !keys.contains(&key));
        target.insert("4XX".into(), Value::Object(response.clone()));
        target.insert("5XX".into(), Value::Object(response));
        applied.push(Applied {
            rule: "one_error_response",
            pointer,
            detail: if keys.is_empty() {
                "no error documented; 4XX and 5XX added with the API's error envelope".into()
            } else {
                format!("{} merged into 4XX and 5XX", merged.statuses.join(", "))
            },
        });
    }
    Ok(())
}

/// The JSON error body the whole document uses, when it uses exactly one.
fn api_error_envelope(doc: &Value) -> Option<Value> {
    let mut bodies = BTreeSet::new();
    for (path, method) in operations(doc) {
        let pointer = format!("{}/responses", operation_pointer(&path, &method));
        let Some(responses) = doc.pointer(&pointer).and_then(Value::as_object) else {
            continue;
        };
        for (key, response) in responses {
            if Status::parse(key).is_error_or_default()
                && let Some(schema) = json_schema(deref(doc, response))
            {
                bodies.insert(schema.to_string());
            }
        }
    }
    match bodies.len() {
        1 => bodies.into_iter().next().and_then(|s| serde_json::from_str(&s).ok()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// open_response_enums
// ---------------------------------------------------------------------------

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
fn open_response_enums(doc: &mut Value, applied: &mut Vec<Applied>) -> Result<()> {
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
        // `x-opened` marks the wrapper, so running the pass again leaves it be.
        let mut open = json!({
            "oneOf": [{ "$ref": format!("#/components/schemas/{known}") }, { "type": "string" }],
            "x-opened": true
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
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            return;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
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

/// Accumulates the responses being merged into one.
#[derive(Default)]
struct Merged {
    statuses: Vec<String>,
    descriptions: Vec<String>,
    bodies: Vec<Value>,
    bodiless: bool,
    other_content: Option<Map<String, Value>>,
}

impl Merged {
    fn add(&mut self, status: &str, response: &Value) {
        self.statuses.push(status.to_string());
        if let Some(d) = response.get("description").and_then(Value::as_str) {
            let d = d.trim();
            if !d.is_empty() && !self.descriptions.iter().any(|seen| seen == d) {
                self.descriptions.push(d.to_string());
            }
        }
        match json_schema(response) {
            Some(schema) => {
                if !self.bodies.contains(&schema) {
                    self.bodies.push(schema);
                }
            }
            None => match response.get("content").and_then(Value::as_object) {
                Some(content) if !content.is_empty() => self.other_content = Some(content.clone()),
                _ => self.bodiless = true,
            },
        }
    }

    fn description(&self, what: &str) -> String {
        let statuses = self.statuses.join(", ");
        match self.descriptions.as_slice() {
            [] => format!("Documented {what} statuses: {statuses}."),
            [one] => format!("{one}\n\nDocumented {what} statuses: {statuses}."),
            many => format!("{}\n\nDocumented {what} statuses: {statuses}.", many.join("\n\n")),
        }
    }

    fn success_schema(&self) -> Option<Value> {
        let schema = match self.bodies.len() {
            0 => return None,
            1 => self.bodies[0].clone(),
            _ => json!({ "oneOf": self.bodies }),
        };
        Some(if self.bodiless {
            json!({ "nullable": true, "allOf": [schema] })
        } else {
            schema
        })
    }
}

/// The schema of a response's JSON body, if it has one.
fn json_schema(response: &Value) -> Option<Value> {
    let content = response.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| *media == "application/json" || media.starts_with("application/json;"))
        .and_then(|(_, media)| media.get("schema").cloned())
}

/// A response key of an OpenAPI `responses` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Code(u16),
    Range(u8),
    Default,
    Other,
}

impl Status {
    fn parse(key: &str) -> Self {
        if key == "default" {
            return Status::Default;
        }
        let bytes = key.as_bytes();
        if bytes.len() == 3 && bytes[1..].eq_ignore_ascii_case(b"XX") && bytes[0].is_ascii_digit() {
            return Status::Range(bytes[0] - b'0');
        }
        key.parse().map(Status::Code).unwrap_or(Status::Other)
    }

    fn is_success(self) -> bool {
        matches!(self, Status::Code(200..=299) | Status::Range(2))
    }

    fn is_error_or_default(self) -> bool {
        matches!(self, Status::Code(400..=599) | Status::Range(4..=5) | Status::Default)
    }
}

// ---------------------------------------------------------------------------
// Walking schemas
// ---------------------------------------------------------------------------

/// Where a schema sits.
struct Place {
    /// JSON pointer of the schema.
    pointer: String,
    /// The property or parameter name the schema describes, if any.
    property: Option<String>,
    /// Whether the schema is the `items` of an array.
    in_items: bool,
}

/// Calls `visit` on every schema object of the document: component schemas,
/// the schemas of parameters, headers, request and response bodies, and every
/// schema nested in those. Reference objects are not followed (their target
/// is visited where it is defined).
fn for_each_schema(doc: &mut Value, visit: &mut dyn FnMut(&mut Map<String, Value>, &Place)) {
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
fn schema_roots(doc: &Value) -> Vec<(String, Option<String>)> {
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
            for method in spec::METHODS {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(rule: fn(&mut Value, &mut Vec<Applied>) -> Result<()>, mut doc: Value) -> (Value, Vec<Applied>) {
        let mut applied = Vec::new();
        rule(&mut doc, &mut applied).expect("rule runs");
        (doc, applied)
    }

    #[test]
    fn operation_ids_names_anonymous_operations_after_method_and_path() {
        let (doc, applied) = run(
            operation_ids,
            json!({"paths": {"/carts/{cartId}/items": {"get": {"responses": {}}, "post": {"operationId": "add"}}}}),
        );
        assert_eq!(
            doc["paths"]["/carts/{cartId}/items"]["get"]["operationId"],
            "get_carts_cartId_items"
        );
        assert_eq!(doc["paths"]["/carts/{cartId}/items"]["post"]["operationId"], "add");
        assert_eq!(applied.len(), 1);
        assert_eq!(applied[0].pointer, "/paths/~1carts~1{cartId}~1items/get/operationId");
    }

    #[test]
    fn operation_ids_rejects_duplicates_naming_both_places() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "same"}},
            "/b": {"get": {"operationId": "same"}}
        }});
        let error = operation_ids(&mut doc, &mut Vec::new()).unwrap_err().to_string();
        assert!(error.contains("/paths/~1b/get/operationId"), "{error}");
        assert!(error.contains("first at /paths/~1a/get"), "{error}");
    }

    #[test]
    fn media_type_headers_drops_accept_and_content_type_only() {
        let (doc, applied) = run(
            media_type_headers,
            json!({
                "components": {"parameters": {"Accept": {"name": "Accept", "in": "header", "required": true}}},
                "paths": {"/carts": {"post": {"parameters": [
                    {"$ref": "#/components/parameters/Accept"},
                    {"name": "content-type", "in": "header"},
                    {"name": "X-Other", "in": "header"},
                    {"name": "Accept", "in": "query"}
                ]}}}
            }),
        );
        let names: Vec<&str> = doc["paths"]["/carts"]["post"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["X-Other", "Accept"]);
        assert_eq!(applied.len(), 2);
    }

    #[test]
    fn schema_titles_removes_titles_but_not_properties_named_title() {
        let (doc, applied) = run(
            schema_titles,
            json!({"components": {"schemas": {"Cart": {
                "title": "Cart_Full",
                "type": "object",
                "properties": {"title": {"type": "string", "title": "x"}}
            }}}}),
        );
        let cart = &doc["components"]["schemas"]["Cart"];
        assert!(cart.get("title").is_none());
        assert_eq!(cart["properties"]["title"], json!({"type": "string"}));
        assert_eq!(applied.len(), 2);
    }

    #[test]
    fn uuid_format_lowers_the_case() {
        let (doc, applied) = run(
            uuid_format,
            json!({"paths": {"/c/{id}": {"get": {"parameters": [
                {"name": "id", "in": "path", "schema": {"type": "string", "format": "UUID"}}
            ]}}}}),
        );
        assert_eq!(
            doc["paths"]["/c/{id}"]["get"]["parameters"][0]["schema"]["format"],
            "uuid"
        );
        assert_eq!(applied.len(), 1);
    }

    #[test]
    fn integer_ids_retypes_number_ids_and_nothing_else() {
        let (doc, applied) = run(
            integer_ids,
            json!({"components": {"schemas": {"Item": {"type": "object", "properties": {
                "product_id": {"type": "number", "format": "double"},
                "variantId": {"type": "number"},
                "option_ids": {"type": "array", "items": {"type": "number"}},
                "sale_price": {"type": "number"},
                "id": {"type": "string"}
            }}}}}),
        );
        let props = &doc["components"]["schemas"]["Item"]["properties"];
        assert_eq!(props["product_id"], json!({"type": "integer"}));
        assert_eq!(props["variantId"], json!({"type": "integer"}));
        assert_eq!(props["option_ids"]["items"], json!({"type": "integer"}));
        assert_eq!(props["sale_price"], json!({"type": "number"}));
        assert_eq!(props["id"], json!({"type": "string"}));
        assert_eq!(applied.len(), 3);
    }

    fn cart_ref() -> Value {
        json!({"$ref": "#/components/schemas/Cart"})
    }

    #[test]
    fn one_success_response_makes_a_bodiless_alternative_nullable() {
        let (doc, applied) = run(
            one_success_response,
            json!({"paths": {"/c": {"delete": {"responses": {
                "200": {"description": "Cart.", "content": {"application/json": {"schema": cart_ref()}}},
                "204": {"description": "Gone."},
                "409": {"description": "Conflict."}
            }}}}}),
        );
        let responses = &doc["paths"]["/c"]["delete"]["responses"];
        let keys: Vec<&String> = responses.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["2XX", "409"]);
        assert_eq!(
            responses["2XX"]["content"]["application/json"]["schema"],
            json!({"nullable": true, "allOf": [cart_ref()]})
        );
        assert_eq!(responses["2XX"]["x-documented-statuses"], json!(["200", "204"]));
        assert_eq!(applied.len(), 1);
    }

    #[test]
    fn one_success_response_keeps_a_single_body_and_a_bodiless_default_is_an_error() {
        let (doc, _) = run(
            one_success_response,
            json!({"paths": {"/c": {"post": {"responses": {
                "201": {"description": "Made.", "content": {"application/json": {"schema": cart_ref()}}},
                "default": {"description": "Anything else."}
            }}}}}),
        );
        let responses = &doc["paths"]["/c"]["post"]["responses"];
        assert_eq!(responses["2XX"]["content"]["application/json"]["schema"], cart_ref());
        assert!(
            responses["2XX"]["description"]
                .as_str()
                .unwrap()
                .contains("Documented success statuses: 201.")
        );
        assert!(
            responses.get("default").is_some(),
            "a default beside a success is an error catch-all"
        );
    }

    #[test]
    fn one_success_response_offers_every_differing_body() {
        let other = json!({"type": "object"});
        let (doc, _) = run(
            one_success_response,
            json!({"paths": {"/c": {"post": {"responses": {
                "200": {"description": "A.", "content": {"application/json": {"schema": cart_ref()}}},
                "201": {"description": "B.", "content": {"application/json": {"schema": other}}}
            }}}}}),
        );
        assert_eq!(
            doc["paths"]["/c"]["post"]["responses"]["2XX"]["content"]["application/json"]["schema"],
            json!({"oneOf": [cart_ref(), {"type": "object"}]})
        );
    }

    #[test]
    fn one_error_response_merges_errors_and_fills_in_the_api_envelope() {
        let envelope = json!({"$ref": "#/components/schemas/ErrorBody"});
        let (doc, applied) = run(
            one_error_response,
            json!({"paths": {
                "/a": {"get": {"responses": {
                    "200": {"description": "ok"},
                    "404": {"description": "Missing.", "content": {"application/json": {"schema": envelope}}},
                    "default": {"description": "Other."}
                }}},
                "/b": {"get": {"responses": {"200": {"description": "ok"}}}}
            }}),
        );
        for path in ["/a", "/b"] {
            let responses = &doc["paths"][path]["get"]["responses"];
            let keys: Vec<&String> = responses.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["200", "4XX", "5XX"], "{path}");
            assert_eq!(
                responses["4XX"]["content"]["application/json"]["schema"], envelope,
                "{path}"
            );
        }
        assert_eq!(applied.len(), 2);
    }

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

    /// A vendored spec is stored normalized and normalized again when generated.
    #[test]
    fn normalizing_twice_changes_nothing_more() {
        for name in ["carts.v3", "abandoned_carts.v3", "carts.sf"] {
            let path = crate::generate::project_root().join(format!("spec/{name}.yaml"));
            let mut once = crate::spec::load(&path).unwrap().doc;
            normalize(&mut once).unwrap();
            let mut twice = once.clone();
            let applied = normalize(&mut twice).unwrap();
            assert_eq!(applied, vec![], "{name}");
            assert_eq!(once, twice, "{name}");
        }
    }

    #[test]
    fn one_error_response_accepts_any_json_when_documented_bodies_differ() {
        let (doc, _) = run(
            one_error_response,
            json!({"paths": {"/a": {"put": {"responses": {
                "400": {"description": "A.", "content": {"application/json": {"schema": {"$ref": "#/x/A"}}}},
                "422": {"description": "B.", "content": {"application/json": {"schema": {"$ref": "#/x/B"}}}}
            }}}}}),
        );
        assert_eq!(
            doc["paths"]["/a"]["put"]["responses"]["5XX"]["content"]["application/json"]["schema"],
            json!({})
        );
    }
}
