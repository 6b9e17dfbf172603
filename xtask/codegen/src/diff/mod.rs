//! `cargo xtask diff`: what a spec change changes for a Rust caller of the
//! SDK, computed from the specs as the generator sees them (normalized).
//!
//! Each change is `breaking`, `additive` or `cosmetic` for code that calls
//! the SDK, and the whole gets a semver hint. The rules, in short:
//! - anything a caller names that disappears or changes type is breaking: an
//!   operation, a builder parameter, a request or response field, an enum
//!   value in a request, the response media type;
//! - a new required parameter or request field is breaking (calls that do
//!   not set it fail), a new optional one is additive;
//! - a new response field, operation or request enum value is additive;
//! - a new value of a response enum is breaking: exhaustive `match`es on the
//!   `KnownX` enum stop compiling (before, the value arrived as a string);
//! - a changed success status is cosmetic for Rust (the SDK decodes any
//!   2xx), though conformance rules may care;
//! - structs are assumed to be built with their builders or
//!   `..Default::default()`: a new field is not counted as breaking struct
//!   literals.

pub mod command;
mod compare;
mod model;
mod report;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::{Value, json};

pub use command::{Comparison, Format};
pub use report::{Report, report, to_json, to_markdown, to_text};

/// How a change affects a Rust caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// No effect on code (docs, statuses the SDK does not check).
    Cosmetic,
    /// New things; existing code keeps compiling and working.
    Additive,
    /// Existing code may stop compiling or working.
    Breaking,
}

impl Severity {
    /// The severity as the reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Cosmetic => "cosmetic",
            Severity::Additive => "additive",
            Severity::Breaking => "breaking",
        }
    }
}

/// One change of the SDK's surface.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// Its effect on callers.
    pub severity: Severity,
    /// What kind of change, such as `parameter.added`.
    pub kind: String,
    /// The operation id (the new one, for renames).
    pub operation: String,
    /// Where: `query include`, `request body line_items[].product_id`, ...
    pub location: String,
    /// What changed, with the Rust names affected.
    pub detail: String,
    /// The operation's HTTP method and path and its Rust call, for grouping.
    #[serde(skip)]
    pub call: String,
}

/// The changes from `old` to `new`, two spec files.
pub fn diff_files(old: &Path, new: &Path) -> Result<Vec<Change>> {
    let old_doc = carts_openapi::load_openapi(old)?.doc;
    let new_doc = carts_openapi::load_openapi(new)?.doc;
    diff_docs(old_doc, new_doc).with_context(|| format!("comparing {} with {}", old.display(), new.display()))
}

/// The changes from `old` to `new`, two documents. A server prefix that
/// moved between the paths and the server URL (the carts releases of March
/// 2023 took `/stores/{store_hash}/v3` out of every path) is one change,
/// and the operations are compared under it.
pub fn diff_docs(mut old: Value, mut new: Value) -> Result<Vec<Change>> {
    let moved = match crate::server_prefix::align(&mut old, &new) {
        Some(prefix) => Some(format!(
            "{prefix} moved from every path into the server URL: the base URL a caller gives ends with it, \
             and the operations no longer take its path parameters"
        )),
        None => crate::server_prefix::align(&mut new, &old).map(|prefix| {
            format!(
                "{prefix} moved from the server URL into every path: the base URL a caller gives no longer \
                 ends with it, and every operation takes its path parameters"
            )
        }),
    };
    let mut changes = compare::compare(&model::surface_of_doc(old)?, &model::surface_of_doc(new)?);
    if let Some(detail) = moved {
        changes.insert(
            0,
            Change {
                severity: Severity::Breaking,
                kind: "server.prefix_moved".into(),
                operation: "servers".into(),
                location: "server URL".into(),
                detail,
                call: "every operation".into(),
            },
        );
    }
    Ok(changes)
}

/// The sdk crate's version, from `sdk/Cargo.toml`.
pub fn sdk_version(root: &Path) -> Result<String> {
    let manifest = std::fs::read_to_string(root.join("sdk/Cargo.toml")).context("reading sdk/Cargo.toml")?;
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = ").map(|v| v.trim_matches('"').to_string()))
        .context("sdk/Cargo.toml has no version")
}

/// The specs in `spec/` at a git revision, as (file name, document).
pub fn specs_at_revision(root: &Path, revision: &str) -> Result<Vec<(String, Value)>> {
    let listing = std::process::Command::new("git")
        .current_dir(root)
        .args(["ls-tree", "--name-only", revision, "spec/"])
        .output()
        .context("running git ls-tree")?;
    if !listing.status.success() {
        bail!(
            "git ls-tree {revision} spec/ failed: {}",
            String::from_utf8_lossy(&listing.stderr).trim()
        );
    }
    let mut specs = Vec::new();
    for path in String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter(|p| p.ends_with(".yaml"))
    {
        let shown = std::process::Command::new("git")
            .current_dir(root)
            .args(["show", &format!("{revision}:{path}")])
            .output()
            .context("running git show")?;
        if !shown.status.success() {
            bail!("git show {revision}:{path} failed");
        }
        let doc: Value = carts_openapi::parse(&shown.stdout)
            .with_context(|| format!("{path} at {revision}"))?
            .doc;
        specs.push((path.trim_start_matches("spec/").to_string(), doc));
    }
    Ok(specs)
}

/// The changes from spec/ at `revision` to the working tree, spec by spec.
pub fn diff_revision(root: &Path, revision: &str) -> Result<Vec<Change>> {
    let before: BTreeMap<String, Value> = specs_at_revision(root, revision)?.into_iter().collect();
    let mut after = BTreeMap::new();
    for (path, _) in crate::generate::sdk_targets(root, &root.join("spec"))? {
        let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        after.insert(name, carts_openapi::load_openapi(&path)?.doc);
    }
    let empty = || json!({"openapi": "3.0.3", "info": {"title": "none", "version": "0"}, "paths": {}});
    let mut changes = Vec::new();
    for name in before.keys().chain(after.keys()).collect::<BTreeSet<_>>() {
        let old = before.get(name).cloned().unwrap_or_else(empty);
        let new = after.get(name).cloned().unwrap_or_else(empty);
        let mut found = diff_docs(old, new).with_context(|| format!("comparing spec/{name}"))?;
        for change in &mut found {
            change.location = format!("{name}: {}", change.location);
        }
        changes.extend(found);
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-operation spec: `PUT /carts/{id}` with a query parameter, a
    /// request body and a 200 answer, each tweakable.
    fn doc(param: Value, request: Value, response: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/carts/{id}": {"put": {
                "operationId": "updateCart",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, param],
                "requestBody": {"content": {"application/json": {"schema": request}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}}
            }}},
            "components": {"schemas": {"Mode": {"type": "string", "enum": ["a", "b"]}}}
        })
    }

    fn base() -> (Value, Value, Value) {
        (
            json!({"name": "include", "in": "query", "schema": {"type": "string"}}),
            json!({"type": "object", "required": ["quantity"], "properties": {
                "quantity": {"type": "integer"}, "note": {"type": "string"},
                "mode": {"type": "string", "enum": ["x", "y"]}
            }}),
            json!({"type": "object", "properties": {
                "id": {"type": "string"}, "total": {"type": "number"},
                "kind": {"type": "string", "enum": ["p", "q"]}
            }}),
        )
    }

    fn changes(old: Value, new: Value) -> Vec<(Severity, String)> {
        diff_docs(old, new)
            .unwrap()
            .into_iter()
            .map(|c| (c.severity, c.kind))
            .collect()
    }

    fn one(old: Value, new: Value) -> (Severity, String) {
        let found = changes(old, new);
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap()
    }

    use Severity::{Additive, Breaking, Cosmetic};

    #[test]
    fn a_file_that_is_not_openapi_is_refused_naming_it() {
        let dir = std::env::temp_dir().join(format!("diff-not-openapi-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let workflow = dir.join("ci.yml");
        std::fs::write(&workflow, "name: ci\non: push\n").unwrap();
        let spec = crate::generate::project_root().join("spec/carts.v3.yaml");
        for (old, new) in [(&spec, &workflow), (&workflow, &spec)] {
            let error = diff_files(old, new).map(|_| ()).unwrap_err();
            assert!(
                format!("{error:#}").contains("ci.yml: at /openapi: missing"),
                "{error:#}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_server_prefix_moved_out_of_the_paths_is_one_change_and_the_operations_stay() {
        let (p, q, r) = base();
        let new = doc(p, q, r);
        let mut old = new.clone();
        let item = old["paths"]["/carts/{id}"].take();
        old["paths"] = json!({"/stores/{store_hash}/v3/carts/{id}": item});
        old["paths"]["/stores/{store_hash}/v3/carts/{id}"]["put"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "store_hash", "in": "path", "required": true, "schema": {"type": "string"}}));
        old["servers"] = json!([{"url": "https://api.example.com"}]);
        let mut with_server = new.clone();
        with_server["servers"] = json!([{"url": "https://api.example.com/stores/{store_hash}/v3"}]);
        let out = diff_docs(old.clone(), with_server.clone()).unwrap();
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            (out[0].severity, out[0].kind.as_str()),
            (Breaking, "server.prefix_moved")
        );
        assert!(
            out[0]
                .detail
                .starts_with("/stores/{store_hash}/v3 moved from every path into the server URL")
        );
        let back = diff_docs(with_server, old).unwrap();
        assert_eq!(back.len(), 1, "{back:?}");
        assert!(
            back[0].detail.contains("moved from the server URL into every path"),
            "{back:?}"
        );
    }

    #[test]
    fn identical_specs_have_no_changes() {
        let (p, q, r) = base();
        assert_eq!(changes(doc(p.clone(), q.clone(), r.clone()), doc(p, q, r)), vec![]);
    }

    #[test]
    fn operations_added_removed_and_renamed() {
        let (p, q, r) = base();
        let old = doc(p, q, r);
        let mut renamed = old.clone();
        renamed["paths"]["/carts/{id}"]["put"]["operationId"] = json!("replaceCart");
        assert_eq!(one(old.clone(), renamed), (Breaking, "operation.renamed".into()));
        let mut added = old.clone();
        added["paths"]["/carts"] =
            json!({"get": {"operationId": "listCarts", "responses": {"200": {"description": "ok"}}}});
        assert_eq!(one(old.clone(), added.clone()), (Additive, "operation.added".into()));
        assert_eq!(one(added, old), (Breaking, "operation.removed".into()));
    }

    #[test]
    fn renaming_a_path_parameter_is_not_a_change() {
        let (p, q, r) = base();
        let old = doc(p, q, r);
        let mut new = old.clone();
        let item = new["paths"]["/carts/{id}"].take();
        new["paths"] = json!({"/carts/{cartId}": item});
        new["paths"]["/carts/{cartId}"]["put"]["parameters"][0]["name"] = json!("cartId");
        let found: Vec<String> = diff_docs(old, new).unwrap().into_iter().map(|c| c.kind).collect();
        assert!(!found.iter().any(|k| k.starts_with("operation.")), "{found:?}");
    }

    #[test]
    fn parameters_added_removed_retyped() {
        let (p, q, r) = base();
        let old = doc(p.clone(), q.clone(), r.clone());
        let mut with_required = old.clone();
        with_required["paths"]["/carts/{id}"]["put"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "version", "in": "query", "required": true, "schema": {"type": "integer"}}));
        assert_eq!(one(old.clone(), with_required), (Breaking, "parameter.added".into()));
        let mut with_optional = old.clone();
        with_optional["paths"]["/carts/{id}"]["put"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "dry_run", "in": "query", "schema": {"type": "boolean"}}));
        assert_eq!(
            one(old.clone(), with_optional.clone()),
            (Additive, "parameter.added".into())
        );
        assert_eq!(one(with_optional, old.clone()), (Breaking, "parameter.removed".into()));
        let retyped =
            json!({"name": "include", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}});
        assert_eq!(
            one(old.clone(), doc(retyped, q.clone(), r.clone())),
            (Breaking, "parameter.retyped".into())
        );
        let now_required = json!({"name": "include", "in": "query", "required": true, "schema": {"type": "string"}});
        assert_eq!(
            one(old, doc(now_required, q, r)),
            (Breaking, "parameter.required".into())
        );
    }

    #[test]
    fn request_fields_required_removed_retyped() {
        let (p, q, r) = base();
        let old = doc(p.clone(), q.clone(), r.clone());
        let mut required = q.clone();
        required["required"] = json!(["quantity", "note"]);
        assert_eq!(
            one(old.clone(), doc(p.clone(), required, r.clone())),
            (Breaking, "field.required".into())
        );
        let mut removed = q.clone();
        removed["properties"].as_object_mut().unwrap().remove("note");
        assert_eq!(
            one(old.clone(), doc(p.clone(), removed, r.clone())),
            (Breaking, "field.removed".into())
        );
        let mut retyped = q.clone();
        retyped["properties"]["quantity"] = json!({"type": "number"});
        assert_eq!(
            one(old.clone(), doc(p.clone(), retyped, r.clone())),
            (Breaking, "field.retyped".into())
        );
        let mut added = q.clone();
        added["properties"]["gift"] = json!({"type": "boolean"});
        assert_eq!(one(old, doc(p, added, r)), (Additive, "field.added".into()));
    }

    #[test]
    fn response_fields_added_removed_retyped_nullable() {
        let (p, q, r) = base();
        let old = doc(p.clone(), q.clone(), r.clone());
        let mut added = r.clone();
        added["properties"]["locale"] = json!({"type": "string"});
        assert_eq!(
            one(old.clone(), doc(p.clone(), q.clone(), added)),
            (Additive, "field.added".into())
        );
        let mut removed = r.clone();
        removed["properties"].as_object_mut().unwrap().remove("total");
        assert_eq!(
            one(old.clone(), doc(p.clone(), q.clone(), removed)),
            (Breaking, "field.removed".into())
        );
        let mut retyped = r.clone();
        retyped["properties"]["id"] = json!({"type": "string", "format": "uuid"});
        assert_eq!(
            one(old.clone(), doc(p.clone(), q.clone(), retyped)),
            (Breaking, "field.retyped".into())
        );
        let mut nullable = r.clone();
        nullable["properties"]["total"]["nullable"] = json!(true);
        assert_eq!(one(old, doc(p, q, nullable)), (Breaking, "field.nullable".into()));
    }

    #[test]
    fn enum_values_break_differently_in_requests_and_responses() {
        let (p, q, r) = base();
        let old = doc(p.clone(), q.clone(), r.clone());
        let mut request_added = q.clone();
        request_added["properties"]["mode"]["enum"] = json!(["x", "y", "z"]);
        assert_eq!(
            one(old.clone(), doc(p.clone(), request_added, r.clone())),
            (Additive, "enum.value_added".into())
        );
        let mut request_removed = q.clone();
        request_removed["properties"]["mode"]["enum"] = json!(["x"]);
        assert_eq!(
            one(old.clone(), doc(p.clone(), request_removed, r.clone())),
            (Breaking, "enum.value_removed".into())
        );
        // Response enums are opened by the generator; their known values still count.
        let mut response_added = r.clone();
        response_added["properties"]["kind"] = json!({"$ref": "#/components/schemas/Mode"});
        let mut response_more = old.clone();
        response_more["components"]["schemas"]["Mode"]["enum"] = json!(["a", "b", "c"]);
        let with_ref = doc(p.clone(), q.clone(), response_added.clone());
        let mut with_more = doc(p, q, response_added);
        with_more["components"] = response_more["components"].clone();
        assert_eq!(one(with_ref, with_more), (Breaking, "enum.value_added".into()));
    }

    #[test]
    fn a_parameter_enum_names_the_component_its_schema_refers_to() {
        let (_, q, r) = base();
        let param = json!({"name": "mode", "in": "query", "schema": {"$ref": "#/components/schemas/Mode"}});
        let old = doc(param, q, r);
        let mut new = old.clone();
        new["components"]["schemas"]["Mode"]["enum"] = json!(["a"]);
        let found = diff_docs(old, new).unwrap();
        let details: Vec<&str> = found.iter().map(|c| c.detail.as_str()).collect();
        assert_eq!(details, ["values \"b\" removed (Mode): their enum variants are gone"]);
    }

    #[test]
    fn a_reference_that_leads_nowhere_is_an_error_naming_it() {
        let (p, q, r) = base();
        let mut dangling = r.clone();
        dangling["properties"]["gone"] = json!({"$ref": "#/components/schemas/Gone"});
        let error = diff_docs(doc(p.clone(), q.clone(), r), doc(p, q, dangling)).unwrap_err();
        let error = format!("{error:#}");
        assert!(
            error.contains("/properties/gone/$ref: the reference leads nowhere"),
            "{error}"
        );
    }

    #[test]
    fn statuses_and_media_types() {
        let (p, q, r) = base();
        let old = doc(p, q, r);
        let mut created = old.clone();
        let ok = created["paths"]["/carts/{id}"]["put"]["responses"]["200"].take();
        created["paths"]["/carts/{id}"]["put"]["responses"] = json!({"201": ok});
        assert_eq!(one(old.clone(), created), (Cosmetic, "status.changed".into()));
        let mut text = old.clone();
        let schema = text["paths"]["/carts/{id}"]["put"]["responses"]["200"]["content"]["application/json"].take();
        text["paths"]["/carts/{id}"]["put"]["responses"]["200"]["content"] = json!({"text/plain": schema});
        let found = changes(old, text);
        assert!(found.contains(&(Breaking, "media_type.changed".into())), "{found:?}");
    }
}
