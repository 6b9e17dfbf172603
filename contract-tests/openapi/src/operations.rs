//! Operations, their parameters, path templates and documented responses.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::pointer::{escape, follow};

/// HTTP methods an OpenAPI path item may hold operations for.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Where an operation sits in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The path template, as written (`/carts/{cartId}`).
    pub path: String,
    /// The HTTP method, lower case as OpenAPI writes it.
    pub method: String,
    /// Its `operationId`, when it has one.
    pub id: Option<String>,
    /// Its JSON pointer (`/paths/~1carts~1{cartId}/get`).
    pub pointer: String,
}

/// Every operation of the document, paths in document order.
pub fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method).filter(|op| op.is_object()) {
                out.push(Operation {
                    path: path.clone(),
                    method: method.to_string(),
                    id: op.get("operationId").and_then(Value::as_str).map(str::to_string),
                    pointer: operation_pointer(path, method),
                });
            }
        }
    }
    out
}

/// The JSON pointer of an operation.
pub fn operation_pointer(path: &str, method: &str) -> String {
    format!("/paths/{}/{method}", escape(path))
}

/// One parameter of an operation, references followed.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Its name on the wire.
    pub name: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// Whether it must be given.
    pub required: bool,
    /// Its schema, references followed (`null` when it has none).
    pub schema: Value,
    /// `style`, or the default for its location (`form` in the query, else `simple`).
    pub style: String,
    /// `explode`, or the default for its style (`true` for `form`).
    pub explode: bool,
    /// The parameter object, references followed.
    pub object: Value,
    /// The JSON pointer of the parameter object (a component's, for a `$ref`).
    pub pointer: String,
}

impl Parameter {
    /// The JSON pointer of its schema, references followed: where
    /// [`Parameter::schema`] is in `doc` (the `schema` member's own pointer
    /// when there is none).
    pub fn schema_pointer(&self, doc: &Value) -> String {
        let pointer = crate::pointer::child(&self.pointer, "schema");
        match doc.pointer(&pointer) {
            Some(schema) => follow(doc, schema, &pointer).1,
            None => pointer,
        }
    }

    /// An array in the query sent as one comma-separated value (`style: form,
    /// explode: false`), as `include=a,b`.
    pub fn is_comma_separated(&self) -> bool {
        self.location == "query"
            && self.schema.get("type").and_then(Value::as_str) == Some("array")
            && self.style == "form"
            && !self.explode
    }
}

/// The parameters of the operation at `path` and `method`: the path item's
/// first, then the operation's own; an operation parameter replaces the path
/// item's parameter of the same name and location, in its place.
pub fn parameters(doc: &Value, path: &str, method: &str) -> Vec<Parameter> {
    let item_pointer = format!("/paths/{}", escape(path));
    let mut out: Vec<Parameter> = Vec::new();
    for list_pointer in [
        format!("{item_pointer}/parameters"),
        format!("{item_pointer}/{method}/parameters"),
    ] {
        let Some(list) = doc.pointer(&list_pointer).and_then(Value::as_array) else {
            continue;
        };
        for (index, param) in list.iter().enumerate() {
            let (object, pointer) = follow(doc, param, &format!("{list_pointer}/{index}"));
            let Some(name) = object.get("name").and_then(Value::as_str) else {
                continue;
            };
            let location = object.get("in").and_then(Value::as_str).unwrap_or_default().to_string();
            let schema = object
                .get("schema")
                .map(|s| crate::pointer::deref(doc, s).clone())
                .unwrap_or(Value::Null);
            let style = object
                .get("style")
                .and_then(Value::as_str)
                .unwrap_or(if location == "query" || location == "cookie" {
                    "form"
                } else {
                    "simple"
                })
                .to_string();
            let explode = object
                .get("explode")
                .and_then(Value::as_bool)
                .unwrap_or(style == "form");
            let parameter = Parameter {
                name: name.to_string(),
                location,
                required: object.get("required").and_then(Value::as_bool).unwrap_or(false),
                schema,
                style,
                explode,
                object: object.clone(),
                pointer,
            };
            match out
                .iter_mut()
                .find(|p| p.name == parameter.name && p.location == parameter.location)
            {
                Some(existing) => *existing = parameter,
                None => out.push(parameter),
            }
        }
    }
    out
}

/// The path with parameter names blanked (`/carts/{}/items/{}`): renaming a
/// path parameter does not make another operation.
pub fn template(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// Matches a concrete path against a template, giving the path parameters.
pub fn match_path(template: &str, path: &str) -> Option<BTreeMap<String, String>> {
    let template: Vec<&str> = template.trim_matches('/').split('/').collect();
    let actual: Vec<&str> = path.trim_matches('/').split('/').collect();
    if template.len() != actual.len() {
        return None;
    }
    let mut params = BTreeMap::new();
    for (t, a) in template.iter().zip(&actual) {
        match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            Some(name) if !a.is_empty() => {
                params.insert(name.to_string(), a.to_string());
            }
            Some(_) => return None,
            None if t == a => {}
            None => return None,
        }
    }
    Some(params)
}

/// A key of an OpenAPI `responses` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// One status code (`201`).
    Code(u16),
    /// A range (`4XX` is `Range(4)`).
    Range(u8),
    /// `default`.
    Default,
    /// Anything else.
    Other,
}

impl Status {
    /// Reads a response key.
    pub fn parse(key: &str) -> Self {
        if key == "default" {
            return Status::Default;
        }
        let bytes = key.as_bytes();
        if bytes.len() == 3 && bytes[1..].eq_ignore_ascii_case(b"XX") && bytes[0].is_ascii_digit() {
            return Status::Range(bytes[0] - b'0');
        }
        key.parse().map(Status::Code).unwrap_or(Status::Other)
    }

    /// A 2xx code or the `2XX` range.
    pub fn is_success(self) -> bool {
        matches!(self, Status::Code(200..=299) | Status::Range(2))
    }

    /// A 4xx or 5xx code or range, or `default`.
    pub fn is_error_or_default(self) -> bool {
        matches!(self, Status::Code(400..=599) | Status::Range(4..=5) | Status::Default)
    }
}

/// The response an operation's `responses` object documents for `status`:
/// the status itself, else its `NXX` range, else `default`.
pub fn response_for_status(responses: &Value, status: u16) -> Option<&Value> {
    responses
        .get(status.to_string())
        .or_else(|| responses.get(format!("{}XX", status / 100)))
        .or_else(|| responses.get(format!("{}xx", status / 100)))
        .or_else(|| responses.get("default"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_match_templates() {
        let params = match_path("/carts/{cartId}/items/{itemId}", "/carts/a/items/b").unwrap();
        assert_eq!(params["cartId"], "a");
        assert_eq!(params["itemId"], "b");
        assert!(match_path("/carts/{cartId}", "/carts/a/items").is_none());
        assert!(match_path("/carts/settings", "/carts/x").is_none());
        assert_eq!(template("/carts/{cartId}/items/{item_id}"), "/carts/{}/items/{}");
    }

    #[test]
    fn operation_parameters_replace_path_parameters_in_place() {
        let doc = json!({
            "components": {"parameters": {"Include": {
                "name": "include", "in": "query", "style": "form", "explode": false,
                "schema": {"type": "array", "items": {"type": "string"}}
            }}},
            "paths": {"/carts/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer"}}
                ],
                "get": {"operationId": "getCart", "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"$ref": "#/components/parameters/Include"}
                ]}
            }}
        });
        let ops = operations(&doc);
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].id.as_deref(), Some("getCart"));
        assert_eq!(ops[0].pointer, "/paths/~1carts~1{id}/get");
        let params = parameters(&doc, "/carts/{id}", "get");
        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["id", "page", "include"]);
        assert_eq!(params[0].schema, json!({"type": "integer"}), "the operation's own wins");
        assert_eq!(params[0].pointer, "/paths/~1carts~1{id}/get/parameters/0");
        assert!(params[1].explode && !params[1].is_comma_separated());
        assert!(params[2].is_comma_separated());
        assert_eq!(params[2].pointer, "/components/parameters/Include");
        assert_eq!(params[2].schema_pointer(&doc), "/components/parameters/Include/schema");
        assert_eq!(
            params[1].schema_pointer(&doc),
            "/paths/~1carts~1{id}/parameters/1/schema"
        );
    }

    #[test]
    fn responses_fall_back_to_ranges_then_default() {
        let responses = json!({"201": {"d": 1}, "4XX": {"d": 2}, "default": {"d": 3}});
        assert_eq!(response_for_status(&responses, 201), Some(&json!({"d": 1})));
        assert_eq!(response_for_status(&responses, 404), Some(&json!({"d": 2})));
        assert_eq!(response_for_status(&responses, 500), Some(&json!({"d": 3})));
        assert_eq!(Status::parse("2XX"), Status::Range(2));
        assert!(Status::parse("204").is_success());
        assert!(Status::parse("default").is_error_or_default());
        assert_eq!(Status::parse("oops"), Status::Other);
    }
}
