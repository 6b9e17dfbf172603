//! Our OpenAPI specs as the simulator's routing table and request validator.
//!
//! The specs in `spec/` are the source of truth for paths, methods, parameters and bodies, so
//! the simulator reads them (embedded at build time) instead of restating them: every
//! operation becomes a route, every query parameter and request body gets a JSON Schema
//! validator. A request whose body does not validate is answered 422 with one message per
//! offending field, named the way the recorded errors name them (`line_items[0].quantity`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::http::{Method, StatusCode};
use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::errors::ApiError;

const CARTS_SPEC: &str = include_str!("../../../spec/carts.v3.yaml");
const ABANDONED_CARTS_SPEC: &str = include_str!("../../../spec/abandoned_carts.v3.yaml");

/// How many field messages one 422 carries at most.
const MAX_FIELD_ERRORS: usize = 10;

/// What a path parameter must look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PathKind {
    Integer,
    Uuid,
    Text,
}

#[derive(Debug)]
struct QueryParam {
    name: String,
    array: bool,
    integer_items: bool,
    integer: bool,
    validator: Option<Validator>,
}

#[derive(Debug)]
struct BodyRule {
    required: bool,
    validator: Validator,
}

/// One operation of the specs.
#[derive(Debug)]
pub(crate) struct Route {
    pub operation: String,
    pub method: Method,
    pub template: String,
    parts: Vec<Option<String>>,
    literals: usize,
    path_params: Vec<(String, PathKind)>,
    query_params: Vec<QueryParam>,
    body: Option<BodyRule>,
}

/// Every operation of both specs.
#[derive(Debug)]
pub(crate) struct Routes {
    list: Vec<Route>,
}

/// What a method and path lead to.
#[derive(Debug)]
pub(crate) enum Found<'a> {
    Route(&'a Route, BTreeMap<String, String>),
    WrongMethod,
    Nowhere,
}

/// The routing table, built once per process.
pub(crate) fn routes() -> &'static Routes {
    static ROUTES: OnceLock<Routes> = OnceLock::new();
    ROUTES.get_or_init(|| {
        let mut list = Vec::new();
        for text in [CARTS_SPEC, ABANDONED_CARTS_SPEC] {
            // The specs are part of the build and a unit test reads them; were one unreadable,
            // its operations would answer 404 rather than take the simulator down.
            if let Ok(document) = carts_openapi::parse(text.as_bytes()) {
                list.extend(routes_of(&document.doc));
            }
        }
        Routes { list }
    })
}

fn schema_type<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a str> {
    carts_openapi::deref(doc, schema).get("type").and_then(Value::as_str)
}

fn validator(doc: &Value, schema: &Value) -> Option<Validator> {
    jsonschema::draft7::new(&carts_openapi::self_contained(doc, schema)).ok()
}

fn routes_of(doc: &Value) -> Vec<Route> {
    let mut out = Vec::new();
    for operation in carts_openapi::operations(doc) {
        let (Some(id), Ok(method)) = (
            operation.id.clone(),
            Method::from_bytes(operation.method.to_uppercase().as_bytes()),
        ) else {
            continue;
        };
        let parts: Vec<Option<String>> = operation
            .path
            .trim_matches('/')
            .split('/')
            .map(|part| (!part.starts_with('{')).then(|| part.to_string()))
            .collect();
        let mut path_params = Vec::new();
        let mut query_params = Vec::new();
        for parameter in carts_openapi::parameters(doc, &operation.path, &operation.method) {
            let schema = &parameter.schema;
            match parameter.location.as_str() {
                "path" => {
                    let kind = match (schema_type(doc, schema), schema.get("format").and_then(Value::as_str)) {
                        (Some("integer"), _) => PathKind::Integer,
                        (_, Some("uuid")) => PathKind::Uuid,
                        _ => PathKind::Text,
                    };
                    path_params.push((parameter.name.clone(), kind));
                }
                "query" => {
                    let items = schema.get("items").map(|items| carts_openapi::deref(doc, items));
                    query_params.push(QueryParam {
                        name: parameter.name.clone(),
                        array: schema_type(doc, schema) == Some("array"),
                        integer_items: items.and_then(|i| i.get("type")).and_then(Value::as_str) == Some("integer"),
                        integer: schema_type(doc, schema) == Some("integer"),
                        validator: validator(doc, schema),
                    });
                }
                _ => {}
            }
        }
        let body = doc
            .pointer(&format!("{}/requestBody", operation.pointer))
            .map(|body| carts_openapi::deref(doc, body))
            .and_then(|body| {
                let schema = body.pointer("/content/application~1json/schema")?;
                Some(BodyRule {
                    required: body.get("required").and_then(Value::as_bool).unwrap_or(false),
                    validator: validator(doc, schema)?,
                })
            });
        out.push(Route {
            operation: id,
            method,
            template: operation.path.clone(),
            literals: parts.iter().filter(|p| p.is_some()).count(),
            parts,
            path_params,
            query_params,
            body,
        });
    }
    out
}

impl Routes {
    /// The route of `method` and `path` (relative to the API base, such as `/carts/abc`).
    /// Where several templates fit (`/carts/settings` and `/carts/{cartId}`), the one with
    /// more fixed segments wins, as a reader of the spec would expect.
    pub fn find(&self, method: &Method, path: &str) -> Found<'_> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let fits = |route: &Route| {
            route.parts.len() == segments.len()
                && route.parts.iter().zip(&segments).all(|(part, segment)| match part {
                    Some(literal) => literal == segment,
                    None => !segment.is_empty(),
                })
        };
        let Some(best) = self.list.iter().filter(|r| fits(r)).map(|r| r.literals).max() else {
            return Found::Nowhere;
        };
        let Some(route) = self
            .list
            .iter()
            .find(|r| r.literals == best && fits(r) && r.method == *method)
        else {
            return Found::WrongMethod;
        };
        match carts_openapi::match_path(&route.template, path) {
            Some(params) => Found::Route(route, params),
            None => Found::Nowhere,
        }
    }

    /// Every operation id, for checking fault rules.
    pub fn operation_ids(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|r| r.operation.as_str())
    }
}

/// A decoded query string; parameters keep their first value.
#[derive(Clone, Debug, Default)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .map(|raw| url::form_urlencoded::parse(raw.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        Self { pairs }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The comma-separated values of `name`.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The integer value of `name`, when given (validation has checked its form).
    pub fn integer(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(|v| v.trim().parse().ok())
    }
}

impl Route {
    /// Checks the path parameters' forms. An id of the wrong form cannot name anything, so
    /// the answer is the 404 of a missing resource.
    pub fn check_path(&self, params: &BTreeMap<String, String>) -> Result<(), ApiError> {
        for (name, kind) in &self.path_params {
            let Some(value) = params.get(name) else { continue };
            let fits = match kind {
                PathKind::Integer => value.parse::<i64>().is_ok(),
                PathKind::Uuid => uuid::Uuid::parse_str(value).is_ok(),
                PathKind::Text => true,
            };
            if !fits {
                return Err(if name == "cartId" || name == "cart_id" {
                    ApiError::cart_not_found()
                } else {
                    ApiError::new(StatusCode::NOT_FOUND, "Not Found")
                        .detail(format!("No resource has the {name} {value:?}."))
                });
            }
        }
        Ok(())
    }

    /// Decodes the query and checks the parameters the operation declares.
    pub fn read_query(&self, raw: Option<&str>) -> Result<Query, ApiError> {
        let query = Query::parse(raw);
        let mut errors = Vec::new();
        for parameter in &self.query_params {
            let Some(text) = query.get(&parameter.name) else {
                continue;
            };
            let Some(validator) = &parameter.validator else {
                continue;
            };
            let number = |s: &str| {
                s.trim()
                    .parse::<i64>()
                    .map_or_else(|_| Value::String(s.to_string()), Value::from)
            };
            let value = if parameter.array {
                Value::Array(
                    query
                        .list(&parameter.name)
                        .iter()
                        .map(|item| {
                            if parameter.integer_items {
                                number(item)
                            } else {
                                Value::String(item.clone())
                            }
                        })
                        .collect(),
                )
            } else if parameter.integer {
                number(text)
            } else {
                Value::String(text.to_string())
            };
            if let Some(error) = validator.iter_errors(&value).next() {
                errors.push((parameter.name.clone(), shorten(&error.to_string())));
            }
        }
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid query parameters").fields(errors))
        }
    }

    /// Reads and checks the body: 400 when it is not JSON (or missing where required), 422
    /// when it does not fit the spec. An operation without a body ignores what was sent.
    pub fn read_body(&self, bytes: &[u8]) -> Result<Option<Value>, ApiError> {
        let Some(rule) = &self.body else {
            return Ok(None);
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            if rule.required {
                return Err(
                    ApiError::new(StatusCode::BAD_REQUEST, "Bad Request").detail("This operation needs a JSON body.")
                );
            }
            return Ok(None);
        }
        let value: Value = serde_json::from_slice(bytes).map_err(|e| ApiError::malformed_json(&e.to_string()))?;
        let errors: Vec<(String, String)> = rule
            .validator
            .iter_errors(&value)
            .take(MAX_FIELD_ERRORS)
            .map(|error| {
                let mut field = String::new();
                for segment in error.instance_path().segments() {
                    match segment {
                        jsonschema::paths::LocationSegment::Property(name) => {
                            if !field.is_empty() {
                                field.push('.');
                            }
                            field.push_str(&name);
                        }
                        jsonschema::paths::LocationSegment::Index(index) => {
                            field.push_str(&format!("[{index}]"));
                        }
                    }
                }
                if let ValidationErrorKind::Required { property } = error.kind() {
                    let name = property.as_str().map_or_else(|| property.to_string(), str::to_string);
                    if !field.is_empty() {
                        field.push('.');
                    }
                    field.push_str(&name);
                }
                if field.is_empty() {
                    field.push_str("body");
                }
                (field, shorten(&error.to_string()))
            })
            .collect();
        if errors.is_empty() {
            Ok(Some(value))
        } else {
            Err(ApiError::invalid(errors))
        }
    }
}

/// A message cut to a readable length (a validator may quote a whole rejected value).
fn shorten(message: &str) -> String {
    const MAX: usize = 240;
    if message.len() <= MAX {
        return message.to_string();
    }
    let mut end = MAX;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &message[..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn route(method: Method, path: &str) -> &'static Route {
        match routes().find(&method, path) {
            Found::Route(route, _) => route,
            other => panic!("{method} {path}: {other:?}"),
        }
    }

    #[test]
    fn every_operation_of_both_specs_is_routed() {
        assert_eq!(routes().operation_ids().count(), 26);
        assert_eq!(route(Method::GET, "/carts/settings").operation, "getGlobalCartSettings");
        assert_eq!(route(Method::GET, "/carts/metafields").operation, "getCartsMetafields");
        assert_eq!(route(Method::GET, "/carts/abc").operation, "getCart");
        assert_eq!(
            route(Method::GET, "/abandoned-carts/settings").operation,
            "getGlobalAbandonedCartSettings"
        );
        assert_eq!(route(Method::GET, "/abandoned-carts/x").operation, "getAbandonedCarts");
        assert_eq!(
            route(Method::POST, "/carts/a/redirect_urls").operation,
            "createCartRedirectURL"
        );
        assert!(matches!(
            routes().find(&Method::POST, "/carts/settings"),
            Found::WrongMethod
        ));
        assert!(matches!(routes().find(&Method::GET, "/orders"), Found::Nowhere));
        assert!(matches!(routes().find(&Method::GET, "/carts//items"), Found::Nowhere));
    }

    #[test]
    fn bodies_are_checked_against_the_spec_with_field_names() {
        let create = route(Method::POST, "/carts");
        let error = create
            .read_body(br#"{"line_items": [{"product_id": 1}], "locale": "english"}"#)
            .unwrap_err();
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = error.body();
        assert!(body["errors"].get("line_items[0].quantity").is_some(), "{body}");
        assert!(body["errors"].get("locale").is_some(), "{body}");
        assert_eq!(create.read_body(b"{nope").unwrap_err().status, StatusCode::BAD_REQUEST);
        assert_eq!(create.read_body(b"").unwrap_err().status, StatusCode::BAD_REQUEST);
        assert_eq!(
            create.read_body(br#"{"locale": "nl-BE"}"#).unwrap(),
            Some(json!({"locale": "nl-BE"}))
        );
        let redirect = route(Method::POST, "/carts/a/redirect_urls");
        assert_eq!(
            redirect.read_body(b"").unwrap(),
            None,
            "an optional body may be left out"
        );
    }

    #[test]
    fn query_parameters_are_checked() {
        let get = route(Method::GET, "/carts/a");
        assert!(get.read_query(Some("include=redirect_urls,promotions.banners")).is_ok());
        let error = get.read_query(Some("include=everything")).unwrap_err();
        assert!(error.body()["errors"].get("include").is_some());
        let list = route(Method::GET, "/carts/metafields");
        assert!(list.read_query(Some("limit=10&direction=desc")).is_ok());
        assert!(list.read_query(Some("limit=ten")).is_err());
        assert!(list.read_query(Some("direction=sideways")).is_err());
        let query = list.read_query(Some("key%3Ain=a,b&limit=3")).unwrap();
        assert_eq!(query.list("key:in"), ["a", "b"]);
        assert_eq!(query.integer("limit"), Some(3));
    }

    #[test]
    fn path_parameters_of_the_wrong_form_are_missing_resources() {
        let (route, params) = match routes().find(&Method::GET, "/carts/not-a-uuid") {
            Found::Route(route, params) => (route, params),
            other => panic!("{other:?}"),
        };
        let error = route.check_path(&params).unwrap_err();
        assert_eq!(error.status, StatusCode::NOT_FOUND);
        assert!(error.title.is_none());
    }
}
