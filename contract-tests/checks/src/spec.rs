//! Our specs (`spec/*.yaml`) as the contract tests need them: operations,
//! their path templates, parameters and documented statuses, and the JSON
//! schemas of their bodies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::cassette::Api;
use carts_openapi::{deref, parameters, response_for_status};

/// One operation of a spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The API it belongs to.
    pub api: Api,
    /// Its `operationId`.
    pub id: String,
    /// HTTP method, upper case.
    pub method: String,
    /// The path template (`/carts/{cartId}/items`).
    pub path: String,
    /// Its parameters, path-level ones included.
    pub parameters: Vec<Parameter>,
    /// Documented response statuses (`201`, `409`, `default`), in document order.
    pub statuses: Vec<String>,
    /// JSON pointer of the operation in its spec.
    pub pointer: String,
}

/// One parameter of an operation, as the shared OpenAPI reading gives it.
pub use carts_openapi::Parameter;

/// The three specs, read from `spec/`.
#[derive(Debug, Clone)]
pub struct Specs {
    docs: BTreeMap<Api, Value>,
    /// The same documents demanding every field marked `x-always-present`.
    documented: BTreeMap<Api, Value>,
    operations: Vec<Operation>,
}

/// The workspace's `spec/` folder.
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec")
}

/// Why the specs could not be read: the loader's error, which names the file.
pub type SpecError = carts_openapi::LoadError;

impl Specs {
    /// Reads `spec/<api>.yaml` for every API.
    pub fn load(dir: &Path) -> Result<Self, SpecError> {
        let mut docs = BTreeMap::new();
        let mut documented = BTreeMap::new();
        let mut operations = Vec::new();
        for api in Api::ALL {
            let path = dir.join(format!("{}.yaml", api.stem()));
            let doc = carts_openapi::load(&path)?.doc;
            operations.extend(read_operations(api, &doc));
            documented.insert(api, carts_openapi::documented(&doc));
            docs.insert(api, doc);
        }
        Ok(Self {
            docs,
            documented,
            operations,
        })
    }

    /// Every operation, by API then document order.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The operation `id` of `api`.
    pub fn operation(&self, api: Api, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.api == api && op.id == id)
    }

    /// The spec document of `api`.
    pub fn doc(&self, api: Api) -> &Value {
        &self.docs[&api]
    }

    /// A self-contained JSON Schema (draft 7 wording) for `schema` of `api`'s
    /// spec: OpenAPI's `nullable` becomes a `null` alternative and every
    /// `#/components/...` reference points into a `definitions` copy.
    pub fn json_schema(&self, api: Api, schema: &Value) -> Value {
        carts_openapi::self_contained(self.doc(api), schema)
    }

    /// Like [`Specs::json_schema`], and also demanding every field our spec
    /// marks `x-always-present`: what the gate asks of recorded and live answers.
    pub fn documented_json_schema(&self, api: Api, schema: &Value) -> Value {
        carts_openapi::self_contained(&self.documented[&api], &carts_openapi::documented(schema))
    }

    /// The schema of `op`'s request body, if it has one.
    pub fn request_schema(&self, op: &Operation) -> Option<Value> {
        let doc = self.doc(op.api);
        let body = deref(doc, doc.pointer(&format!("{}/requestBody", op.pointer))?);
        body.pointer("/content/application~1json/schema").cloned()
    }

    /// The schema of `op`'s JSON response for `status`: the documented status
    /// itself, else the documented `NXX` range, else `default`.
    pub fn response_schema(&self, op: &Operation, status: u16) -> Option<Value> {
        let doc = self.doc(op.api);
        let responses = doc.pointer(&format!("{}/responses", op.pointer))?;
        deref(doc, response_for_status(responses, status)?)
            .pointer("/content/application~1json/schema")
            .cloned()
    }
}

fn read_operations(api: Api, doc: &Value) -> Vec<Operation> {
    carts_openapi::operations(doc)
        .into_iter()
        .map(|op| {
            let parameters = parameters(doc, &op.path, &op.method);
            let statuses = doc
                .pointer(&format!("{}/responses", op.pointer))
                .and_then(Value::as_object)
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default();
            Operation {
                api,
                id: op.id.unwrap_or_default(),
                method: op.method.to_ascii_uppercase(),
                path: op.path,
                parameters,
                statuses,
                pointer: op.pointer,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_specs_have_every_operation() {
        let specs = Specs::load(&default_dir()).unwrap();
        let count = |api| specs.operations().iter().filter(|op| op.api == api).count();
        assert_eq!(
            (count(Api::CartsV3), count(Api::AbandonedCartsV3), count(Api::CartsSf)),
            (21, 5, 7)
        );
        let create = specs.operation(Api::CartsV3, "createCartRedirectURL").unwrap();
        assert_eq!(
            (create.method.as_str(), create.path.as_str()),
            ("POST", "/carts/{cartId}/redirect_urls")
        );
        assert_eq!(create.statuses, ["201"]);
        let get = specs.operation(Api::CartsV3, "getCart").unwrap();
        assert!(
            get.parameters
                .iter()
                .any(|p| p.name == "include" && p.is_comma_separated())
        );
    }
}
