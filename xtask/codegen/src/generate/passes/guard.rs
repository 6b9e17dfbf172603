//! What the passes must change, read from the normalized document, and the
//! ledger that holds each pass to it.
//!
//! Most passes find their place by the shape of progenitor's or typify's
//! output (a path spelled `ResponseValue::from_response`, a field typed
//! `::chrono::DateTime<::chrono::offset::Utc>`). When a release of either
//! changes that shape, a pass would match nothing and the SDK would quietly
//! lose what it adds. The spec says where each pass has work to do, so
//! generation fails, naming the pass, when it did less than that.

use std::fmt;

use carts_openapi::{deref, operations, parameters};
use serde_json::Value;

use crate::normalize::{DECIMAL_FORMAT, LENIENT_FORMAT};

/// What one pass changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassReport {
    /// The pass, as its module is named.
    pub name: &'static str,
    /// How many places it changed.
    pub changed: usize,
}

impl fmt::Display for PassReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.changed)
    }
}

/// The places in a normalized document where the passes have work to do.
#[derive(Debug, Default)]
pub(super) struct Needs {
    /// Operations: each has a builder with a `send()` and a constructor.
    pub operations: usize,
    /// Answers with a body, over all operations: progenitor reads each with
    /// `ResponseValue::from_response`.
    pub answers_with_body: usize,
    /// Operations without header parameters: progenitor builds a header map
    /// for each that holds only the version header.
    pub version_headers_only: usize,
    /// Optional query parameters, over all operations.
    pub optional_queries: usize,
    /// Parameters, over all operations: each has a setter whose conversion
    /// error names a type in a string literal. (A request body's setter may
    /// write its message with `format!`, whose literal the pass does not
    /// reach, so bodies are not counted.)
    pub parameters: usize,
    /// Whether a schema is a `date-time` string.
    pub date_times: bool,
    /// Whether a schema is a lenient id.
    pub lenient_ids: bool,
    /// Exact decimal schemas: each is the type, or part of the type, of at
    /// least one generated field or variant.
    pub decimals: usize,
    /// Whether a schema is a union (`oneOf`, `anyOf`).
    pub unions: bool,
    /// Whether an object keeps unknown fields and requires none of its own.
    pub open_optional_objects: bool,
    /// Whether the document has component schemas.
    pub schemas: bool,
}

impl Needs {
    /// Reads `doc`.
    pub fn of(doc: &Value) -> Self {
        let mut needs = Needs::default();
        for op in operations(doc) {
            needs.operations += 1;
            let operation = doc.pointer(&op.pointer).map(|o| deref(doc, o)).unwrap_or(&Value::Null);
            needs.answers_with_body += operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(_, response)| deref(doc, response).get("content").is_some())
                .count();
            let params = parameters(doc, &op.path, &op.method);
            needs.version_headers_only += usize::from(!params.iter().any(|p| p.location == "header"));
            needs.optional_queries += params.iter().filter(|p| p.location == "query" && !p.required).count();
            needs.parameters += params.len();
        }
        needs.schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .is_some_and(|schemas| !schemas.is_empty());
        visit_type_schemas(doc, &mut |object| {
            let format = object.get("format").and_then(Value::as_str);
            let kind = object.get("type").and_then(Value::as_str);
            needs.date_times |= kind == Some("string") && format == Some("date-time");
            needs.lenient_ids |= format == Some(LENIENT_FORMAT);
            needs.decimals += usize::from(kind == Some("number") && format == Some(DECIMAL_FORMAT));
            needs.unions |= object.contains_key("oneOf") || object.contains_key("anyOf");
            let keeps_unknown = object
                .get("additionalProperties")
                .and_then(Value::as_object)
                .is_some_and(serde_json::Map::is_empty);
            let requires_none = object
                .get("required")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty);
            needs.open_optional_objects |= object.contains_key("properties") && keeps_unknown && requires_none;
        });
        needs
    }
}

/// Calls `visit` on every JSON object in `value` that can become part of a
/// generated type: everything but lists of parameters, which become builder
/// fields the type passes do not touch. (A property named `parameters` is an
/// object, and is visited.)
fn visit_type_schemas(value: &Value, visit: &mut dyn FnMut(&serde_json::Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            visit(map);
            for (key, value) in map {
                if key != "parameters" || !value.is_array() {
                    visit_type_schemas(value, visit);
                }
            }
        }
        Value::Array(items) => {
            for value in items {
                visit_type_schemas(value, visit);
            }
        }
        _ => {}
    }
}

/// What the passes changed, and where one did less than it must.
#[derive(Debug, Default)]
pub(super) struct Ledger {
    pub reports: Vec<PassReport>,
    failures: Vec<String>,
}

impl Ledger {
    /// Records what pass `name` changed.
    pub fn record(&mut self, name: &'static str, changed: usize) {
        self.reports.push(PassReport { name, changed });
    }

    /// Holds pass `name` to changing at least `at_least` places, because of
    /// what the spec holds (`because`). Records a failure otherwise.
    pub fn require(&mut self, name: &'static str, changed: usize, at_least: usize, because: &str) {
        if changed < at_least {
            self.failures.push(format!(
                "pass {name} changed {changed} places, where {because} calls for at least {at_least}"
            ));
        }
    }

    /// The reports, or an error naming every pass that fell short.
    pub fn finish(self) -> anyhow::Result<Vec<PassReport>> {
        if self.failures.is_empty() {
            return Ok(self.reports);
        }
        anyhow::bail!(
            "{}; {SHAPE}, so the pass has to change with it",
            self.failures.join("; ")
        )
    }
}

/// Why a pass finds less than it should.
pub(super) const SHAPE: &str =
    "the generator's output may have changed shape (as after a progenitor or typify upgrade)";

#[cfg(test)]
mod tests {
    use quote::ToTokens;
    use serde_json::json;

    use crate::generate::{Flavour, layout, module_file_stem, project_root, render};

    /// One operation with an optional query parameter and an answer with a
    /// body, and no schemas: the passes that must act on it are those that
    /// rewrite the client and its builder.
    fn doc() -> serde_json::Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/carts": {"get": {
                "operationId": "getCart",
                "parameters": [{"name": "include", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }}}
        })
    }

    /// progenitor's output for [`doc`], in the shape the passes know, with
    /// `edit` applied to its text: how a generator release could change it.
    fn generated(edit: impl Fn(String) -> String) -> syn::File {
        let file: syn::File = syn::parse_quote! {
            pub use progenitor_client::{Error, ResponseValue};
            pub struct Client { client: reqwest::Client }
            impl Client {
                pub fn new(baseurl: &str) -> Self { todo!() }
                pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self { todo!() }
                pub fn get_cart(&self) -> builder::GetCart<'_> { builder::GetCart::new(self) }
            }
            pub mod types {}
            pub mod builder {
                pub struct GetCart<'a> {
                    client: &'a super::Client,
                    include: Result<Option<::std::string::String>, String>,
                }
                impl<'a> GetCart<'a> {
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                    pub fn include<V>(mut self, value: V) -> Self {
                        self.include = value
                            .try_into()
                            .map(Some)
                            .map_err(|_| "conversion to `:: std :: string :: String` for include failed".to_string());
                        self
                    }
                    pub async fn send(self) -> Result<ResponseValue<types::Cart>, Error<types::ErrorBody>> {
                        let Self { client, include } = self;
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        let request = client
                            .client
                            .get(url)
                            .query(&progenitor_client::QueryParam::new("include", &include))
                            .headers(header_map)
                            .build()?;
                        match response.status().as_u16() {
                            200u16 => ResponseValue::from_response(response).await,
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }
        };
        syn::parse_str(&edit(file.to_token_stream().to_string())).expect("the edited file parses")
    }

    fn apply(file: &mut syn::File) -> anyhow::Result<super::super::Rewrites> {
        super::super::apply(file, &doc(), Flavour::Sdk, None)
    }

    /// Applies the passes to the output edited by `edit`; the error, which
    /// must name `pass` as having changed nothing, and no other pass.
    fn failure(pass: &str, edit: impl Fn(String) -> String) -> String {
        let error = format!("{:#}", apply(&mut generated(edit)).expect_err("the passes refuse"));
        assert!(error.starts_with(&format!("pass {pass} changed 0 places")), "{error}");
        assert_eq!(
            error.matches(" places, where ").count(),
            1,
            "only {pass} falls short: {error}"
        );
        assert!(error.contains(super::SHAPE), "{error}");
        error
    }

    #[test]
    fn types_need_the_passes_for_their_fields_and_parameters_do_not() {
        let time = json!({"type": "string", "format": "date-time"});
        let mut with_parameter = doc();
        with_parameter["paths"]["/carts"]["get"]["parameters"][0]["schema"] = time.clone();
        let needs = super::Needs::of(&with_parameter);
        assert!(
            !needs.date_times && needs.optional_queries == 1 && needs.parameters == 1,
            "{needs:?}"
        );
        let mut with_field = doc();
        with_field["components"] = json!({"schemas": {"Cart": {"type": "object", "properties": {
            "parameters": {"type": "object", "properties": {"at": time}},
            "amount": {"type": "number", "format": crate::normalize::DECIMAL_FORMAT}
        }}}});
        let needs = super::Needs::of(&with_field);
        assert!(needs.date_times && needs.schemas && !needs.unions, "{needs:?}");
        assert_eq!(needs.decimals, 1, "{needs:?}");
        assert_eq!(
            (needs.operations, needs.answers_with_body, needs.version_headers_only),
            (1, 1, 1),
            "{needs:?}"
        );
        let mut with_header = doc();
        with_header["paths"]["/carts"]["get"]["parameters"][0]["in"] = json!("header");
        let needs = super::Needs::of(&with_header);
        assert_eq!(
            (needs.version_headers_only, needs.optional_queries),
            (0, 0),
            "{needs:?}"
        );
    }

    #[test]
    fn the_passes_act_on_output_in_the_shape_they_know() {
        let reports = apply(&mut generated(|text| text)).unwrap().reports;
        for pass in [
            "lean_requests",
            "owned_headers",
            "send_errors",
            "private_constructors",
            "generator_surface",
            "setter_messages",
        ] {
            let report = reports.iter().find(|r| r.name == pass).expect(pass);
            assert!(report.changed > 0, "{reports:?}");
        }
    }

    #[test]
    fn owned_headers_fails_when_progenitor_spells_the_reading_differently() {
        let error = failure("owned_headers", |text| {
            text.replace(
                "ResponseValue :: from_response",
                "progenitor_client :: ResponseValue :: from_response",
            )
        });
        assert!(error.contains("each answer that has a body"), "{error}");
        failure("owned_headers", |text| {
            text.replace("ResponseValue :: from_response", "ResponseValue :: from_body")
        });
    }

    #[test]
    fn lean_requests_fails_when_progenitor_renames_its_query_helper_or_header_map() {
        let error = failure("lean_requests", |text| {
            text.replace("QueryParam :: new", "QueryParameter :: new")
        });
        assert!(error.contains("each optional query parameter"), "{error}");
        let error = failure("lean_requests", |text| text.replace("header_map", "headers"));
        assert!(error.contains("version header"), "{error}");
    }

    #[test]
    fn send_errors_and_generator_surface_fail_when_builders_change_shape() {
        // `lean_requests` also looks for `send`, so it falls short too.
        let error = format!(
            "{:#}",
            apply(&mut generated(|text| text.replace("fn send", "fn execute"))).expect_err("the passes refuse")
        );
        assert!(
            error.contains("pass send_errors changed 0 places, where each operation's send() calls for at least 1"),
            "{error}"
        );
        failure("generator_surface", |text| {
            text.replace("pub fn new (client", "pub fn from_client (client")
                .replace("GetCart :: new", "GetCart :: from_client")
        });
    }

    #[test]
    fn every_pass_acts_on_the_real_specs_where_they_give_it_work() {
        let root = project_root();
        let layout = layout::read(&root).unwrap();
        // Passes that have work in every spec with operations and schemas.
        let always = [
            "variant_names",
            "absent_defaults",
            "defaults",
            "union_errors",
            "lean_requests",
            "owned_headers",
            "send_errors",
            "private_constructors",
            "generator_surface",
            "setter_messages",
            "optional_schemas",
            "doc_examples",
        ];
        let mut everywhere = std::collections::BTreeMap::<&str, usize>::new();
        for name in ["carts.v3.yaml", "abandoned_carts.v3.yaml", "carts.sf.yaml"] {
            let spec = root.join("spec").join(name);
            let module = layout.get(&module_file_stem(&spec));
            let rendered = render(&spec, name, Flavour::Sdk, module).unwrap();
            for pass in always {
                let report = rendered.passes.iter().find(|r| r.name == pass);
                assert!(
                    report.is_some_and(|r| r.changed > 0),
                    "{name}: {pass} in {:?}",
                    rendered.passes
                );
            }
            for report in &rendered.passes {
                *everywhere.entry(report.name).or_default() += report.changed;
            }
        }
        // The passes for decimals, lenient ids and times act in the carts specs.
        assert_eq!(everywhere.len(), 15, "{everywhere:?}");
        assert!(everywhere.values().all(|&changed| changed > 0), "{everywhere:?}");
    }
}
