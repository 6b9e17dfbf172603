//! The SDK's surface as a diff sees it: each operation with its parameters
//! and the fields of its bodies, from the normalized spec.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};
use carts_openapi::{child, component_of, follow, operations, parameters, template};
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
            let mut fields = fields_of(&doc, &param.schema_pointer(&doc))?;
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
        let request = match object.get("requestBody") {
            Some(b) => {
                let (holder, at) = follow(&doc, b, &child(&op.pointer, "requestBody"));
                body(&doc, holder, &at)?
            }
            None => None,
        };
        let success_pointer = child(&child(&op.pointer, "responses"), "2XX");
        let success = object
            .pointer("/responses/2XX")
            .map(|r| follow(&doc, r, &success_pointer));
        let response = match &success {
            Some((holder, at)) => body(&doc, holder, at)?,
            None => None,
        };
        let statuses = success
            .and_then(|(r, _)| r.get("x-documented-statuses"))
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

/// The body `holder` (a request body or a response, at `pointer`) documents:
/// its JSON content, else its first.
fn body(doc: &Value, holder: &Value, pointer: &str) -> Result<Option<Body>> {
    let Some(content) = holder.get("content").and_then(Value::as_object) else {
        return Ok(None);
    };
    let Some((media, entry)) = content
        .iter()
        .find(|(media, _)| media.starts_with("application/json"))
        .or_else(|| content.iter().next())
    else {
        return Ok(None);
    };
    let fields = if entry.get("schema").is_some() {
        fields_of(doc, &child(&child(&child(pointer, "content"), media), "schema"))?
    } else {
        BTreeMap::new()
    };
    Ok(Some(Body {
        media: media.clone(),
        fields,
    }))
}

pub(super) fn join(set: &BTreeSet<String>) -> String {
    set.iter().cloned().collect::<Vec<_>>().join("|")
}

/// The fields of the schema at `pointer`, as the surface sees them: a
/// field's types carry the formats that change its Rust type, and the
/// component that declares it is its owner. A reference that leads nowhere
/// or a schema too deep to walk is an error naming the place: the surface
/// would silently lack the fields below it.
fn fields_of(doc: &Value, pointer: &str) -> Result<BTreeMap<String, Field>> {
    let walked = carts_openapi::fields(doc, pointer);
    if let Some(at) = walked.dangling.first() {
        bail!("at {at}: the reference leads nowhere in the document");
    }
    if let Some(at) = walked.too_deep.first() {
        bail!(
            "at {at}: the schema is more than {} steps below {pointer}, deeper than the diff reads",
            carts_openapi::fields::MAX_DEPTH
        );
    }
    Ok(walked
        .fields
        .into_iter()
        .map(|(path, field)| (path, surface_field(&field)))
        .collect())
}

/// One walked field as the surface sees it.
fn surface_field(field: &carts_openapi::Field) -> Field {
    let types = field
        .types
        .iter()
        .map(|t| {
            // Formats that change the Rust type are part of the type.
            match (t.name.as_str(), t.format.as_deref()) {
                ("string", Some(f @ ("uuid" | "date-time" | "date"))) => format!("string:{f}"),
                ("integer", Some(f @ ("int32" | "int64"))) => format!("integer:{f}"),
                ("integer", _) => "integer:int64".to_string(),
                (t, _) => t.to_string(),
            }
        })
        .collect();
    // The field belongs to the type that declares it; a field declared
    // outside the components (inline in a body) belongs to what it refers to.
    // The first of its schemas that names a component says which.
    let owner = field
        .parts
        .iter()
        .find_map(|part| component_of(&part.declared).or_else(|| component_of(&part.at)))
        .map(str::to_string);
    Field {
        types,
        required: field.required.is_some(),
        nullable: field.nullable.is_some(),
        values: field.values.iter().map(|v| v.value.to_string()).collect(),
        owner,
    }
}
