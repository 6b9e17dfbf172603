//! The facts of a spec, each under a key that names its API location and
//! with the place in the document that states it.
//!
//! Facts are what the API is, not how a document says it: operations (by
//! `METHOD /path/{}`), operation ids, parameters (presence, required, type,
//! item type, enum values, style, explode), response statuses, body media
//! types, and body fields (presence, type, required, nullable, enum values).
//! `$ref`s are followed and compositions folded, so component names,
//! descriptions and examples never count. One key per atomic fact, so that
//! a three-way merge can decide key by key; `cargo xtask coverage` compares
//! the same facts of a published spec and ours.

use std::collections::{BTreeMap, BTreeSet};

use carts_openapi::{Status, child, follow, operations, parameters, template};
use serde_json::{Value, json};

/// One fact: its value and where the document states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The value: `true` for presence, a string, a bool or a list of types.
    pub value: Value,
    /// What kind of fact it is, for turning a change into an edit.
    pub kind: Kind,
    /// Where the document states it.
    pub at: Place,
    /// Whether our spec marks this place itself as a deliberate deviation
    /// (`x-deviation` on the field's schema, the parameter or the operation).
    /// A deviation above it is judged by [`super::merge::guarded`].
    pub deviates: bool,
}

/// The kinds of facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An operation exists.
    Operation,
    /// An operation's id.
    OperationId,
    /// A parameter exists.
    Parameter,
    /// An attribute of a parameter (`required`, `style`, `explode`).
    ParameterAttribute(&'static str),
    /// The JSON types of a parameter's schema (or its items').
    ParameterType {
        /// Of the items of an array parameter.
        items: bool,
    },
    /// One enum value of a parameter.
    ParameterEnum,
    /// A documented response status.
    Status,
    /// A body with a media type (request or response).
    Body,
    /// A body field exists.
    Field,
    /// The JSON types of a field.
    FieldType,
    /// Whether a field is required.
    FieldRequired,
    /// Whether a field may be null.
    FieldNullable,
    /// One enum value of a field.
    FieldEnum,
}

impl std::fmt::Display for Kind {
    /// The kind in words, for reports: "the item type of a parameter".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kind::Operation => f.write_str("an operation"),
            Kind::OperationId => f.write_str("an operation id"),
            Kind::Parameter => f.write_str("a parameter"),
            Kind::ParameterAttribute(name) => write!(f, "the `{name}` of a parameter"),
            Kind::ParameterType { items: false } => f.write_str("the type of a parameter"),
            Kind::ParameterType { items: true } => f.write_str("the item type of a parameter"),
            Kind::ParameterEnum => f.write_str("an enum value of a parameter"),
            Kind::Status => f.write_str("a response status"),
            Kind::Body => f.write_str("a body"),
            Kind::Field => f.write_str("a field"),
            Kind::FieldType => f.write_str("the type of a field"),
            Kind::FieldRequired => f.write_str("whether a field is required"),
            Kind::FieldNullable => f.write_str("whether a field may be null"),
            Kind::FieldEnum => f.write_str("an enum value of a field"),
        }
    }
}

/// JSON pointers into the document for one fact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The operation.
    pub operation: String,
    /// The parameter object (after `$ref`), the response, the media entry or
    /// the field's schema as written (before `$ref`).
    pub node: String,
    /// A parameter's entry in its `parameters` list, a field's parent schema
    /// (the one with `properties`), a response's `responses` object.
    pub holder: String,
    /// The schema that states the attribute (`type`, `enum`, `nullable`),
    /// after `$ref`s are followed.
    pub attribute: String,
    /// Where a field's children are declared (schemas with `properties`, or
    /// the object schema the field resolves to).
    pub children: Vec<String>,
}

/// All facts of a document, by key.
pub type Facts = BTreeMap<String, Fact>;

/// The operation part of a key: `GET /carts/{}`.
pub fn operation_key(method: &str, path: &str) -> String {
    format!("{} {}", method.to_uppercase(), template(path))
}

/// Extracts every fact of `doc`.
pub fn extract(doc: &Value) -> Facts {
    let mut facts = Facts::new();
    for op in operations(doc) {
        let key = operation_key(&op.method, &op.path);
        let object = doc.pointer(&op.pointer).cloned().unwrap_or_default();
        let op_deviates = object.get("x-deviation").is_some();
        let place = |node: &str| Place {
            operation: op.pointer.clone(),
            node: node.to_string(),
            ..Place::default()
        };
        facts.insert(
            key.clone(),
            Fact {
                value: json!(true),
                kind: Kind::Operation,
                at: place(&op.pointer),
                deviates: op_deviates,
            },
        );
        if let Some(id) = &op.id {
            facts.insert(
                format!("{key} operationId"),
                Fact {
                    value: json!(id),
                    kind: Kind::OperationId,
                    at: place(&child(&op.pointer, "operationId")),
                    deviates: op_deviates,
                },
            );
        }
        for param in parameters(doc, &op.path, &op.method) {
            parameter_facts(doc, &key, &op.pointer, &param, op_deviates, &mut facts);
        }
        if let Some(body) = object.get("requestBody") {
            let (body, body_pointer) = follow(doc, body, &child(&op.pointer, "requestBody"));
            body_facts(
                doc,
                &format!("{key} request"),
                &op.pointer,
                body,
                &body_pointer,
                op_deviates,
                &mut facts,
            );
        }
        let responses_pointer = child(&op.pointer, "responses");
        for (status, response) in object.get("responses").and_then(Value::as_object).into_iter().flatten() {
            if Status::parse(status) == Status::Other {
                continue;
            }
            let response_key = format!("{key} response {status}");
            let (response, response_pointer) = follow(doc, response, &child(&responses_pointer, status));
            facts.insert(
                response_key.clone(),
                Fact {
                    value: json!(true),
                    kind: Kind::Status,
                    at: Place {
                        operation: op.pointer.clone(),
                        node: response_pointer.clone(),
                        holder: responses_pointer.clone(),
                        ..Place::default()
                    },
                    deviates: op_deviates,
                },
            );
            body_facts(
                doc,
                &response_key,
                &op.pointer,
                response,
                &response_pointer,
                op_deviates,
                &mut facts,
            );
        }
    }
    facts
}

fn parameter_facts(
    doc: &Value,
    key: &str,
    operation: &str,
    param: &carts_openapi::Parameter,
    op_deviates: bool,
    facts: &mut Facts,
) {
    let name = if param.location == "header" {
        param.name.to_lowercase()
    } else {
        param.name.clone()
    };
    let param_key = format!("{key} parameter {}:{name}", param.location);
    let deviates = op_deviates || param.object.get("x-deviation").is_some();
    let holder = entry_pointer(doc, operation, &param.name, &param.location).unwrap_or_default();
    let schema_pointer = schema_pointer_of(doc, &param.pointer);
    let place = |attribute: &str| Place {
        operation: operation.to_string(),
        node: param.pointer.clone(),
        holder: holder.clone(),
        attribute: attribute.to_string(),
        children: Vec::new(),
    };
    let mut insert = |suffix: &str, value: Value, kind: Kind, attribute: &str| {
        let fact_key = if suffix.is_empty() {
            param_key.clone()
        } else {
            format!("{param_key} {suffix}")
        };
        facts.insert(
            fact_key,
            Fact {
                value,
                kind,
                at: place(attribute),
                deviates,
            },
        );
    };
    insert("", json!(true), Kind::Parameter, "");
    insert(
        "required",
        json!(param.required),
        Kind::ParameterAttribute("required"),
        "",
    );
    insert("style", json!(param.style), Kind::ParameterAttribute("style"), "");
    insert("explode", json!(param.explode), Kind::ParameterAttribute("explode"), "");
    let mut fields = BTreeMap::new();
    flatten(doc, &param.schema, &schema_pointer, "", &mut fields, Context::default());
    if let Some(top) = fields.get("") {
        insert(
            "type",
            types_value(&top.types),
            Kind::ParameterType { items: false },
            top.type_at.as_deref().unwrap_or(&schema_pointer),
        );
        for value in &top.enum_values {
            insert(
                &format!("enum {value}"),
                json!(true),
                Kind::ParameterEnum,
                top.enum_at.as_deref().unwrap_or_default(),
            );
        }
    }
    if let Some(items) = fields.get("[]") {
        insert(
            "items type",
            types_value(&items.types),
            Kind::ParameterType { items: true },
            items.type_at.as_deref().unwrap_or_default(),
        );
        for value in &items.enum_values {
            insert(
                &format!("enum {value}"),
                json!(true),
                Kind::ParameterEnum,
                items.enum_at.as_deref().unwrap_or_default(),
            );
        }
    }
}

/// The pointer of a parameter's schema, references followed.
fn schema_pointer_of(doc: &Value, param_pointer: &str) -> String {
    let schema_pointer = child(param_pointer, "schema");
    match doc.pointer(&schema_pointer) {
        Some(schema) => follow(doc, schema, &schema_pointer).1,
        None => schema_pointer,
    }
}

/// The pointer of the list entry that declares parameter `name` in `location`
/// for the operation at `operation`: the operation's own entry, else the path
/// item's.
fn entry_pointer(doc: &Value, operation: &str, name: &str, location: &str) -> Option<String> {
    let item = operation.rsplit_once('/').map(|(item, _)| item)?;
    for list in [format!("{operation}/parameters"), format!("{item}/parameters")] {
        let Some(entries) = doc.pointer(&list).and_then(Value::as_array) else {
            continue;
        };
        for (index, entry) in entries.iter().enumerate() {
            let resolved = carts_openapi::deref(doc, entry);
            if resolved.get("name").and_then(Value::as_str) == Some(name)
                && resolved.get("in").and_then(Value::as_str) == Some(location)
            {
                return Some(format!("{list}/{index}"));
            }
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn body_facts(
    doc: &Value,
    key: &str,
    operation: &str,
    holder: &Value,
    holder_pointer: &str,
    op_deviates: bool,
    facts: &mut Facts,
) {
    let content_pointer = child(holder_pointer, "content");
    for (media, entry) in holder.get("content").and_then(Value::as_object).into_iter().flatten() {
        let body_key = format!("{key} {media}");
        let entry_pointer = child(&content_pointer, media);
        facts.insert(
            body_key.clone(),
            Fact {
                value: json!(true),
                kind: Kind::Body,
                at: Place {
                    operation: operation.to_string(),
                    node: entry_pointer.clone(),
                    holder: content_pointer.clone(),
                    ..Place::default()
                },
                deviates: op_deviates,
            },
        );
        let Some(schema) = entry.get("schema") else { continue };
        let mut fields = BTreeMap::new();
        let context = Context::default();
        flatten(doc, schema, &child(&entry_pointer, "schema"), "", &mut fields, context);
        for (path, field) in fields {
            let field_key = format!("{body_key} field {}", if path.is_empty() { "(body)" } else { &path });
            let place = |attribute: &str| Place {
                operation: operation.to_string(),
                node: field.declared.clone(),
                holder: field.holder.clone().unwrap_or_default(),
                attribute: attribute.to_string(),
                children: field.children.clone(),
            };
            let fact = |value: Value, kind: Kind, attribute: &str| Fact {
                value,
                kind,
                at: place(attribute),
                deviates: field.deviates,
            };
            facts.insert(field_key.clone(), fact(json!(true), Kind::Field, ""));
            facts.insert(
                format!("{field_key} type"),
                fact(
                    types_value(&field.types),
                    Kind::FieldType,
                    field.type_at.as_deref().unwrap_or_default(),
                ),
            );
            if !path.is_empty() {
                facts.insert(
                    format!("{field_key} required"),
                    fact(
                        json!(field.required),
                        Kind::FieldRequired,
                        field.holder.as_deref().unwrap_or_default(),
                    ),
                );
            }
            facts.insert(
                format!("{field_key} nullable"),
                fact(
                    json!(field.nullable),
                    Kind::FieldNullable,
                    field.nullable_at.as_deref().unwrap_or(&field.resolved),
                ),
            );
            for value in &field.enum_values {
                facts.insert(
                    format!("{field_key} enum {value}"),
                    fact(
                        json!(true),
                        Kind::FieldEnum,
                        field.enum_at.as_deref().unwrap_or_default(),
                    ),
                );
            }
        }
    }
}

fn types_value(types: &BTreeSet<String>) -> Value {
    json!(types.iter().collect::<Vec<_>>())
}

/// What flattening gathers about one field path.
#[derive(Debug, Default)]
struct FieldFacts {
    types: BTreeSet<String>,
    enum_values: BTreeSet<String>,
    required: bool,
    nullable: bool,
    deviates: bool,
    /// The schema as written in its parent (before `$ref`).
    declared: String,
    /// The schema after `$ref`s.
    resolved: String,
    /// The parent schema whose `properties` declares it.
    holder: Option<String>,
    type_at: Option<String>,
    enum_at: Option<String>,
    nullable_at: Option<String>,
    children: Vec<String>,
}

/// What flattening carries down.
#[derive(Debug, Clone, Default)]
struct Context {
    required: bool,
    deviates: bool,
    holder: Option<String>,
    depth: usize,
    refs: Vec<String>,
}

/// Collects the facts of `schema` (at `pointer`) under `prefix` into `out`.
fn flatten(
    doc: &Value,
    schema: &Value,
    pointer: &str,
    prefix: &str,
    out: &mut BTreeMap<String, FieldFacts>,
    mut context: Context,
) {
    if context.depth > 40 {
        return;
    }
    let declared = pointer.to_string();
    // Follow references, refusing a cycle.
    let mut schema = schema;
    let mut at = pointer.to_string();
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if context.refs.iter().any(|r| r == reference) {
            return;
        }
        context.refs.push(reference.to_string());
        match (reference.strip_prefix('#'), carts_openapi::resolve(doc, reference)) {
            (Some(target), Some(value)) => {
                schema = value;
                at = target.to_string();
            }
            _ => return,
        }
    }
    if schema.get("x-deviation").is_some() {
        context.deviates = true;
    }
    let field = out.entry(prefix.to_string()).or_insert_with(|| FieldFacts {
        declared: declared.clone(),
        resolved: at.clone(),
        holder: context.holder.clone(),
        ..FieldFacts::default()
    });
    field.required |= context.required;
    field.deviates |= context.deviates;
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        field.types.insert(t.to_string());
        field.type_at.get_or_insert_with(|| at.clone());
    } else if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        field.types.insert("object".into());
    } else if schema.get("items").is_some() {
        field.types.insert("array".into());
    }
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        field.nullable = true;
        field.nullable_at.get_or_insert_with(|| at.clone());
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        field.enum_at.get_or_insert_with(|| at.clone());
        for value in values {
            field.enum_values.insert(value.to_string());
        }
    }
    let declares_children = schema.get("properties").is_some()
        || (schema.get("type").and_then(Value::as_str) == Some("object") && schema.get("allOf").is_none());
    if declares_children && !field.children.contains(&at) {
        field.children.push(at.clone());
    }
    let own_required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let deeper = |context: &Context| Context {
        depth: context.depth + 1,
        ..context.clone()
    };
    // A deviation belongs to the field that states it (and the compositions that
    // make up that field); its children have their own.
    let child_context = |context: &Context| Context {
        deviates: false,
        ..deeper(context)
    };
    for key in ["allOf", "oneOf", "anyOf"] {
        for (index, sub) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let sub_pointer = format!("{}/{index}", child(&at, key));
            flatten(doc, sub, &sub_pointer, prefix, out, deeper(&context));
        }
    }
    for (name, sub) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let mut next = child_context(&context);
        next.required = own_required.contains(name.as_str());
        next.holder = Some(at.clone());
        flatten(doc, sub, &child(&child(&at, "properties"), name), &path, out, next);
    }
    if let Some(extra) = schema
        .get("additionalProperties")
        .filter(|e| e.as_object().is_some_and(|o| !o.is_empty()))
    {
        let path = if prefix.is_empty() {
            "*".to_string()
        } else {
            format!("{prefix}.*")
        };
        let mut next = child_context(&context);
        next.required = false;
        next.holder = None;
        flatten(doc, extra, &child(&at, "additionalProperties"), &path, out, next);
    }
    if let Some(items) = schema.get("items") {
        let mut next = child_context(&context);
        next.required = false;
        next.holder = None;
        flatten(doc, items, &child(&at, "items"), &format!("{prefix}[]"), out, next);
    }
}

/// A component named by a pointer into `#/components/schemas/`, if it is one.
pub fn component_of(pointer: &str) -> Option<&str> {
    pointer.strip_prefix("/components/schemas/")?.split('/').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({
            "paths": {"/carts/{cartId}": {
                "parameters": [{"name": "cartId", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {
                    "operationId": "getCart",
                    "parameters": [{"$ref": "#/components/parameters/Include"}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {"data": {"$ref": "#/components/schemas/Cart"}}
                    }}}}}
                }
            }},
            "components": {
                "parameters": {"Include": {"name": "include", "in": "query", "explode": false, "schema": {
                    "type": "array", "items": {"type": "string", "enum": ["a", "b"]}
                }}},
                "schemas": {"Cart": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"},
                    "parent_id": {"type": "integer", "nullable": true, "x-deviation": "why"}
                }}}
            }
        })
    }

    #[test]
    fn facts_are_keyed_by_api_location_with_their_places() {
        let facts = extract(&doc());
        let get = "GET /carts/{}";
        assert_eq!(facts[get].value, json!(true));
        assert_eq!(facts[&format!("{get} operationId")].value, json!("getCart"));
        assert_eq!(
            facts[&format!("{get} parameter query:include style")].value,
            json!("form")
        );
        assert_eq!(
            facts[&format!("{get} parameter query:include explode")].value,
            json!(false)
        );
        assert_eq!(
            facts[&format!("{get} parameter query:include items type")].value,
            json!(["string"])
        );
        let enum_b = &facts[&format!("{get} parameter query:include enum \"b\"")];
        assert_eq!(enum_b.at.attribute, "/components/parameters/Include/schema/items");
        assert_eq!(
            facts[&format!("{get} parameter path:cartId required")].value,
            json!(true)
        );
        assert_eq!(
            facts[&format!("{get} parameter path:cartId")].at.holder,
            "/paths/~1carts~1{cartId}/parameters/0"
        );
        let body = format!("{get} response 200 application/json");
        let id = &facts[&format!("{body} field data.id")];
        assert_eq!(id.at.node, "/components/schemas/Cart/properties/id");
        assert_eq!(id.at.holder, "/components/schemas/Cart");
        assert!(!id.deviates);
        assert_eq!(facts[&format!("{body} field data.id required")].value, json!(true));
        assert_eq!(facts[&format!("{body} field data.id type")].value, json!(["string"]));
        let data = &facts[&format!("{body} field data")];
        assert_eq!(data.at.children, ["/components/schemas/Cart"]);
        let parent = &facts[&format!("{body} field data.parent_id nullable")];
        assert_eq!(parent.value, json!(true));
        assert!(parent.deviates);
        assert!(facts.contains_key(&format!("{get} response 200")));
    }

    #[test]
    fn descriptions_and_component_names_are_not_facts() {
        let mut renamed = doc();
        let cart = renamed["components"]["schemas"]["Cart"].take();
        renamed["components"]["schemas"]["Cart_Full"] = cart;
        renamed["components"]["schemas"]["Cart_Full"]["description"] = json!("Other words.");
        renamed["paths"]["/carts/{cartId}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
            ["data"] = json!({"$ref": "#/components/schemas/Cart_Full"});
        let values =
            |facts: Facts| -> BTreeMap<String, Value> { facts.into_iter().map(|(k, f)| (k, f.value)).collect() };
        assert_eq!(values(extract(&doc())), values(extract(&renamed)));
    }
}
