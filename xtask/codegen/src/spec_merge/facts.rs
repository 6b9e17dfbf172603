//! The facts of a spec, each under a key that names its API location and
//! with the place in the document that states it.
//!
//! Facts are what the API is, not how a document says it: operations (by
//! `METHOD /path/{}`), operation ids, parameters (presence, required, type,
//! item type, enum values, style, explode), response statuses, body media
//! types, and body fields (presence, type, required, nullable, enum values).
//! `$ref`s are followed and compositions folded (by the one schema walk,
//! [`carts_openapi::fields()`]), so component names, descriptions and examples
//! never count. One key per atomic fact, so that a three-way merge can decide
//! key by key; `cargo xtask coverage` compares the same facts of a published
//! spec and ours.

use std::collections::{BTreeMap, BTreeSet};

use carts_openapi::{Field, Status, child, follow, operations, parameters};
use serde_json::{Value, json};

use super::key::{Attribute, FieldPath, Key, Operation, Place as Site};

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
pub type Facts = BTreeMap<Key, Fact>;

/// Extracts every fact of `doc`.
pub fn extract(doc: &Value) -> Facts {
    let mut facts = Facts::new();
    for op in operations(doc) {
        let operation = Operation::new(&op.method, &op.path);
        let key = Key::new(operation.clone(), Site::Operation);
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
                key.with(Attribute::OperationId),
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
            let request = |media: &str| {
                Key::new(
                    operation.clone(),
                    Site::Request {
                        media: media.to_string(),
                    },
                )
            };
            body_facts(doc, &request, &op.pointer, body, &body_pointer, op_deviates, &mut facts);
        }
        let responses_pointer = child(&op.pointer, "responses");
        for (status, response) in object.get("responses").and_then(Value::as_object).into_iter().flatten() {
            if Status::parse(status) == Status::Other {
                continue;
            }
            let response_key = Key::new(
                operation.clone(),
                Site::Response {
                    status: status.clone(),
                    media: None,
                },
            );
            let body = |media: &str| {
                Key::new(
                    operation.clone(),
                    Site::Response {
                        status: status.clone(),
                        media: Some(media.to_string()),
                    },
                )
            };
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
                &body,
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
    key: &Key,
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
    let param_key = Key::new(
        key.operation.clone(),
        Site::Parameter {
            location: param.location.clone(),
            name,
        },
    );
    let deviates = op_deviates || param.object.get("x-deviation").is_some();
    let holder = entry_pointer(doc, operation, &param.name, &param.location).unwrap_or_default();
    let schema_pointer = param.schema_pointer(doc);
    let place = |attribute: &str| Place {
        operation: operation.to_string(),
        node: param.pointer.clone(),
        holder: holder.clone(),
        attribute: attribute.to_string(),
        children: Vec::new(),
    };
    let mut insert = |suffix: Option<Attribute>, value: Value, kind: Kind, attribute: &str| {
        let fact_key = match suffix {
            None => param_key.clone(),
            Some(suffix) => param_key.with(suffix),
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
    insert(None, json!(true), Kind::Parameter, "");
    insert(
        Some(Attribute::Required),
        json!(param.required),
        Kind::ParameterAttribute("required"),
        "",
    );
    insert(
        Some(Attribute::Style),
        json!(param.style),
        Kind::ParameterAttribute("style"),
        "",
    );
    insert(
        Some(Attribute::Explode),
        json!(param.explode),
        Kind::ParameterAttribute("explode"),
        "",
    );
    let walked = carts_openapi::fields(doc, &schema_pointer);
    if let Some(top) = walked.fields.get("") {
        insert(
            Some(Attribute::Type),
            types_value(top),
            Kind::ParameterType { items: false },
            top.stated_type().map_or(schema_pointer.as_str(), |t| t.at.as_str()),
        );
        for value in enum_values(top) {
            insert(
                Some(Attribute::Enum(value)),
                json!(true),
                Kind::ParameterEnum,
                enum_at(top),
            );
        }
    }
    if let Some(items) = walked.fields.get("[]") {
        insert(
            Some(Attribute::ItemsType),
            types_value(items),
            Kind::ParameterType { items: true },
            type_at(items),
        );
        for value in enum_values(items) {
            insert(
                Some(Attribute::Enum(value)),
                json!(true),
                Kind::ParameterEnum,
                enum_at(items),
            );
        }
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
    key: &dyn Fn(&str) -> Key,
    operation: &str,
    holder: &Value,
    holder_pointer: &str,
    op_deviates: bool,
    facts: &mut Facts,
) {
    let content_pointer = child(holder_pointer, "content");
    for (media, entry) in holder.get("content").and_then(Value::as_object).into_iter().flatten() {
        let body_key = key(media);
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
        if entry.get("schema").is_none() {
            continue;
        }
        let walked = carts_openapi::fields(doc, &child(&entry_pointer, "schema"));
        for (path, field) in &walked.fields {
            let field_key = body_key.field(FieldPath::walked(path));
            let holder = field.holder.clone().unwrap_or_default();
            let Parts { deviates, children } = parts(doc, field);
            let place = |attribute: &str| Place {
                operation: operation.to_string(),
                node: field.declared().to_string(),
                holder: holder.clone(),
                attribute: attribute.to_string(),
                children: children.clone(),
            };
            let fact = |value: Value, kind: Kind, attribute: &str| Fact {
                value,
                kind,
                at: place(attribute),
                deviates,
            };
            facts.insert(field_key.clone(), fact(json!(true), Kind::Field, ""));
            facts.insert(
                field_key.with(Attribute::Type),
                fact(types_value(field), Kind::FieldType, type_at(field)),
            );
            if !path.is_empty() {
                facts.insert(
                    field_key.with(Attribute::Required),
                    fact(json!(field.required.is_some()), Kind::FieldRequired, &holder),
                );
            }
            facts.insert(
                field_key.with(Attribute::Nullable),
                fact(
                    json!(field.nullable.is_some()),
                    Kind::FieldNullable,
                    field.nullable.as_deref().unwrap_or(field.resolved()),
                ),
            );
            for value in enum_values(field) {
                facts.insert(
                    field_key.with(Attribute::Enum(value)),
                    fact(json!(true), Kind::FieldEnum, enum_at(field)),
                );
            }
        }
    }
}

/// A field's JSON types (implied ones included), each once, in order.
fn types_value(field: &Field) -> Value {
    json!(field.type_names())
}

/// The schema that writes a field's type, or `""` when none does.
fn type_at(field: &Field) -> &str {
    field.stated_type().map_or("", |t| t.at.as_str())
}

/// A field's enum values as JSON text, each once, in order.
fn enum_values(field: &Field) -> BTreeSet<String> {
    field.values.iter().map(|v| v.value.to_string()).collect()
}

/// The schema whose `enum` lists a field's values (the first that does), or
/// `""`: an edit of the values edits that list.
fn enum_at(field: &Field) -> &str {
    field.values.first().map_or("", |v| v.at.as_str())
}

/// What the schemas that make up a field say of it, each schema looked up once.
struct Parts {
    /// Whether our spec marks one of them as a deliberate deviation. A deviation belongs to the
    /// field that states it (and the compositions that make up that field); its children have
    /// their own.
    deviates: bool,
    /// Where the field's children are declared: its schemas with `properties`, and the object
    /// schemas that are not made of others (`allOf`), each once.
    children: Vec<String>,
}

fn parts(doc: &Value, field: &Field) -> Parts {
    let mut read = Parts {
        deviates: false,
        children: Vec::new(),
    };
    for part in &field.parts {
        let Some(schema) = doc.pointer(&part.at) else { continue };
        read.deviates |= schema.get("x-deviation").is_some();
        let declares = schema.get("properties").is_some()
            || (schema.get("type").and_then(Value::as_str) == Some("object") && schema.get("allOf").is_none());
        if declares && !read.children.contains(&part.at) {
            read.children.push(part.at.clone());
        }
    }
    read
}

/// A component named by a pointer into `#/components/schemas/`, if it is one.
pub fn component_of(pointer: &str) -> Option<&str> {
    carts_openapi::component_of(pointer)
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

    /// The fact whose key prints as `key`.
    fn fact<'a>(facts: &'a Facts, key: &str) -> &'a Fact {
        facts
            .iter()
            .find(|(k, _)| k.to_string() == key)
            .map(|(_, fact)| fact)
            .unwrap_or_else(|| panic!("no fact {key}"))
    }

    #[test]
    fn facts_are_keyed_by_api_location_with_their_places() {
        let facts = extract(&doc());
        let get = "GET /carts/{}";
        assert_eq!(fact(&facts, get).value, json!(true));
        assert_eq!(fact(&facts, &format!("{get} operationId")).value, json!("getCart"));
        assert_eq!(
            fact(&facts, &format!("{get} parameter query:include style")).value,
            json!("form")
        );
        assert_eq!(
            fact(&facts, &format!("{get} parameter query:include explode")).value,
            json!(false)
        );
        assert_eq!(
            fact(&facts, &format!("{get} parameter query:include items type")).value,
            json!(["string"])
        );
        let enum_b = fact(&facts, &format!("{get} parameter query:include enum \"b\""));
        assert_eq!(enum_b.at.attribute, "/components/parameters/Include/schema/items");
        assert_eq!(
            fact(&facts, &format!("{get} parameter path:cartId required")).value,
            json!(true)
        );
        assert_eq!(
            fact(&facts, &format!("{get} parameter path:cartId")).at.holder,
            "/paths/~1carts~1{cartId}/parameters/0"
        );
        let body = format!("{get} response 200 application/json");
        let id = fact(&facts, &format!("{body} field data.id"));
        assert_eq!(id.at.node, "/components/schemas/Cart/properties/id");
        assert_eq!(id.at.holder, "/components/schemas/Cart");
        assert!(!id.deviates);
        assert_eq!(
            fact(&facts, &format!("{body} field data.id required")).value,
            json!(true)
        );
        assert_eq!(
            fact(&facts, &format!("{body} field data.id type")).value,
            json!(["string"])
        );
        let data = fact(&facts, &format!("{body} field data"));
        assert_eq!(data.at.children, ["/components/schemas/Cart"]);
        let parent = fact(&facts, &format!("{body} field data.parent_id nullable"));
        assert_eq!(parent.value, json!(true));
        assert!(parent.deviates);
        assert!(facts.keys().any(|k| k.to_string() == format!("{get} response 200")));
    }

    #[test]
    fn descriptions_and_component_names_are_not_facts() {
        let mut renamed = doc();
        let cart = renamed["components"]["schemas"]["Cart"].take();
        renamed["components"]["schemas"]["Cart_Full"] = cart;
        renamed["components"]["schemas"]["Cart_Full"]["description"] = json!("Other words.");
        renamed["paths"]["/carts/{cartId}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
            ["data"] = json!({"$ref": "#/components/schemas/Cart_Full"});
        let values = |facts: Facts| -> BTreeMap<Key, Value> { facts.into_iter().map(|(k, f)| (k, f.value)).collect() };
        assert_eq!(values(extract(&doc())), values(extract(&renamed)));
    }
}
