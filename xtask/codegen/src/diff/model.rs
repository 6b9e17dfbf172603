//! The SDK's surface as a diff sees it: each operation with its parameters
//! and the fields of its bodies, from the normalized spec.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use carts_openapi::{deref, operations, parameters, template};
use serde_json::Value;

use crate::normalize;

/// What the surface says of one field or parameter value.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Field {
    /// JSON types, with the formats that change the Rust type (`string:uuid`).
    pub types: BTreeSet<String>,
    pub required: bool,
    pub nullable: bool,
    /// Enum values, as JSON.
    pub values: BTreeSet<String>,
    /// The component that declares the field, when there is one.
    pub owner: Option<String>,
}

/// A request or response body.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Body {
    pub media: String,
    /// Fields by path (`line_items[].product_id`; `""` is the body itself).
    pub fields: BTreeMap<String, Field>,
}

/// A parameter.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Param {
    pub required: bool,
    pub field: Field,
}

/// An operation as callers see it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Operation {
    pub id: String,
    /// Upper case.
    pub method: String,
    pub path: String,
    /// By `location name` (`query include`).
    pub params: BTreeMap<String, Param>,
    pub request: Option<Body>,
    pub response: Option<Body>,
    /// The documented success statuses.
    pub statuses: Vec<String>,
}

impl Operation {
    /// The Rust call, `Client::get_cart()`.
    pub fn rust(&self) -> String {
        format!("Client::{}()", heck::AsSnakeCase(&self.id))
    }
}

/// Normalizes and models a document, operations keyed by `METHOD /path/{}`.
pub(super) fn surface_of_doc(mut doc: Value) -> Result<BTreeMap<String, Operation>> {
    normalize::normalize(&mut doc)?;
    let mut out = BTreeMap::new();
    for op in operations(&doc) {
        let object = doc.pointer(&op.pointer).cloned().unwrap_or_default();
        let mut params = BTreeMap::new();
        for param in parameters(&doc, &op.path, &op.method) {
            let mut fields = BTreeMap::new();
            flatten(&doc, &param.schema, "", false, None, &mut fields, 0, &mut Vec::new());
            let mut field = fields.remove("").unwrap_or_default();
            if let Some(items) = fields.remove("[]") {
                field.types = field
                    .types
                    .iter()
                    .map(|t| format!("{t}<{}>", join(&items.types)))
                    .collect();
                field.values.extend(items.values);
            }
            params.insert(
                format!("{} {}", param.location, param.name),
                Param {
                    required: param.required,
                    field,
                },
            );
        }
        let request = object
            .get("requestBody")
            .map(|b| deref(&doc, b))
            .and_then(|b| body(&doc, b));
        let success = object.pointer("/responses/2XX").map(|r| deref(&doc, r));
        let response = success.and_then(|r| body(&doc, r));
        let statuses = success
            .and_then(|r| r.get("x-documented-statuses"))
            .and_then(Value::as_array)
            .map(|s| s.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        let method = op.method.to_uppercase();
        out.insert(
            format!("{method} {}", template(&op.path)),
            Operation {
                id: op.id.unwrap_or_default(),
                method,
                path: op.path,
                params,
                request,
                response,
                statuses,
            },
        );
    }
    Ok(out)
}

fn body(doc: &Value, holder: &Value) -> Option<Body> {
    let content = holder.get("content")?.as_object()?;
    let (media, entry) = content
        .iter()
        .find(|(media, _)| media.starts_with("application/json"))
        .or_else(|| content.iter().next())?;
    let mut fields = BTreeMap::new();
    if let Some(schema) = entry.get("schema") {
        flatten(doc, schema, "", false, None, &mut fields, 0, &mut Vec::new());
    }
    Some(Body {
        media: media.clone(),
        fields,
    })
}

pub(super) fn join(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join("|")
}

/// Collects the fields below `prefix`, following references (the component
/// a field is declared in becomes its owner) and folding compositions.
#[allow(clippy::too_many_arguments)]
fn flatten(
    doc: &Value,
    schema: &Value,
    prefix: &str,
    required: bool,
    owner: Option<&str>,
    out: &mut BTreeMap<String, Field>,
    depth: usize,
    stack: &mut Vec<String>,
) {
    if depth > 24 {
        return;
    }
    // The field belongs to the type that declares it; what it refers to
    // owns the fields below it.
    let declared_in = owner.map(str::to_string);
    let mut owner = owner.map(str::to_string);
    let mut schema = schema;
    let mut pushed = 0;
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if stack.iter().any(|r| r == reference) {
            stack.truncate(stack.len() - pushed);
            return;
        }
        stack.push(reference.to_string());
        pushed += 1;
        owner = reference.rsplit('/').next().map(str::to_string);
        match carts_openapi::resolve(doc, reference) {
            Some(target) => schema = target,
            None => break,
        }
    }
    let field = out.entry(prefix.to_string()).or_default();
    field.required |= required;
    if field.owner.is_none() {
        field.owner = declared_in.or_else(|| owner.clone());
    }
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        field.nullable = true;
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let format = schema.get("format").and_then(Value::as_str);
        // Formats that change the Rust type are part of the type.
        let t = match (t, format) {
            ("string", Some(f @ ("uuid" | "date-time" | "date"))) => format!("string:{f}"),
            ("integer", Some(f @ ("int32" | "int64"))) => format!("integer:{f}"),
            ("integer", _) => "integer:int64".to_string(),
            (t, _) => t.to_string(),
        };
        field.types.insert(t);
    } else if schema.get("properties").is_some() {
        field.types.insert("object".into());
    }
    for value in schema.get("enum").and_then(Value::as_array).into_iter().flatten() {
        field.values.insert(value.to_string());
    }
    let own_required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for key in ["allOf", "oneOf", "anyOf"] {
        for sub in schema.get(key).and_then(Value::as_array).into_iter().flatten() {
            flatten(doc, sub, prefix, required, owner.as_deref(), out, depth + 1, stack);
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
        flatten(
            doc,
            sub,
            &path,
            own_required.contains(name.as_str()),
            owner.as_deref(),
            out,
            depth + 1,
            stack,
        );
    }
    if let Some(items) = schema.get("items") {
        flatten(
            doc,
            items,
            &format!("{prefix}[]"),
            false,
            owner.as_deref(),
            out,
            depth + 1,
            stack,
        );
    }
    if let Some(extra) = schema.get("additionalProperties").filter(|e| e.is_object()) {
        let path = if prefix.is_empty() {
            "*".to_string()
        } else {
            format!("{prefix}.*")
        };
        flatten(doc, extra, &path, false, owner.as_deref(), out, depth + 1, stack);
    }
    stack.truncate(stack.len() - pushed);
}
