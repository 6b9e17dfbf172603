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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::{Value, json};

use crate::normalize;
use crate::spec::{self, deref, operations};

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
    fn as_str(self) -> &'static str {
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

/// The result of a diff.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `major`, `minor`, `patch` or `none`, for the sdk crate's version.
    pub semver: String,
    /// Why that bump.
    pub semver_reason: String,
    /// Every change, most severe first.
    pub changes: Vec<Change>,
}

// ---------------------------------------------------------------------------
// The surface model
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq)]
struct Field {
    types: BTreeSet<String>,
    required: bool,
    nullable: bool,
    values: BTreeSet<String>,
    owner: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Body {
    media: String,
    fields: BTreeMap<String, Field>,
}

#[derive(Debug, Clone, PartialEq)]
struct Param {
    required: bool,
    field: Field,
}

#[derive(Debug, Clone, PartialEq)]
struct Operation {
    id: String,
    method: String,
    path: String,
    params: BTreeMap<String, Param>,
    request: Option<Body>,
    response: Option<Body>,
    statuses: Vec<String>,
}

impl Operation {
    fn rust(&self) -> String {
        format!("Client::{}()", heck::AsSnakeCase(&self.id))
    }
}

/// Reads, normalizes and models a spec file.
fn surface_of(path: &Path) -> Result<BTreeMap<String, Operation>> {
    let file = spec::load(path)?;
    surface_of_doc(file.doc).with_context(|| format!("reading the surface of {}", path.display()))
}

fn surface_of_doc(mut doc: Value) -> Result<BTreeMap<String, Operation>> {
    normalize::normalize(&mut doc)?;
    let mut out = BTreeMap::new();
    for (path, method) in operations(&doc) {
        let pointer = spec::operation_pointer(&path, &method);
        let op = doc.pointer(&pointer).cloned().unwrap_or_default();
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut params = BTreeMap::new();
        let shared = doc["paths"][&path].get("parameters").cloned().unwrap_or_default();
        for list in [shared, op.get("parameters").cloned().unwrap_or_default()] {
            for param in list.as_array().into_iter().flatten() {
                let param = deref(&doc, param);
                let name = param.get("name").and_then(Value::as_str).unwrap_or_default();
                let location = param.get("in").and_then(Value::as_str).unwrap_or_default();
                let mut fields = BTreeMap::new();
                if let Some(schema) = param.get("schema") {
                    flatten(&doc, schema, "", false, None, &mut fields, 0, &mut Vec::new());
                }
                let mut field = fields.remove("").unwrap_or_default();
                if let Some(items) = fields.remove("[]") {
                    field.types = field
                        .types
                        .iter()
                        .map(|t| format!("{t}<{}>", join(&items.types)))
                        .collect();
                    field.values.extend(items.values);
                }
                let required = param.get("required").and_then(Value::as_bool).unwrap_or(false);
                params.insert(format!("{location} {name}"), Param { required, field });
            }
        }
        let request = op
            .get("requestBody")
            .map(|b| deref(&doc, b))
            .and_then(|b| body(&doc, b));
        let success = op.pointer("/responses/2XX").map(|r| deref(&doc, r));
        let response = success.and_then(|r| body(&doc, r));
        let statuses = success
            .and_then(|r| r.get("x-documented-statuses"))
            .and_then(Value::as_array)
            .map(|s| s.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        let key = format!("{} {}", method.to_uppercase(), template(&path));
        out.insert(
            key,
            Operation {
                id,
                method: method.to_uppercase(),
                path,
                params,
                request,
                response,
                statuses,
            },
        );
    }
    Ok(out)
}

/// The path with parameter names blanked: renaming `{cartId}` is not a change.
fn template(path: &str) -> String {
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

fn join(set: &BTreeSet<String>) -> String {
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
        match spec::resolve(doc, reference) {
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

// ---------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------

struct Collector {
    changes: Vec<Change>,
}

impl Collector {
    fn push(&mut self, severity: Severity, kind: &str, op: &Operation, location: impl Into<String>, detail: String) {
        self.changes.push(Change {
            severity,
            kind: kind.to_string(),
            operation: op.id.clone(),
            location: location.into(),
            detail,
            call: format!("{} {}, {}", op.method, op.path, op.rust()),
        });
    }
}

/// The changes from `old` to `new`, two spec files.
pub fn diff_files(old: &Path, new: &Path) -> Result<Vec<Change>> {
    Ok(compare(&surface_of(old)?, &surface_of(new)?))
}

/// The changes from `old` to `new`, two documents.
pub fn diff_docs(old: Value, new: Value) -> Result<Vec<Change>> {
    Ok(compare(&surface_of_doc(old)?, &surface_of_doc(new)?))
}

fn compare(old: &BTreeMap<String, Operation>, new: &BTreeMap<String, Operation>) -> Vec<Change> {
    let mut c = Collector { changes: Vec::new() };
    for (key, before) in old {
        let Some(after) = new.get(key) else {
            let detail = format!("{key} is gone, and with it {}", before.rust());
            c.push(Severity::Breaking, "operation.removed", before, key.clone(), detail);
            continue;
        };
        if before.id != after.id {
            let detail = format!(
                "{} is now {} (operationId {} -> {})",
                before.rust(),
                after.rust(),
                before.id,
                after.id
            );
            c.push(Severity::Breaking, "operation.renamed", after, key.clone(), detail);
        }
        compare_params(&mut c, before, after);
        compare_bodies(&mut c, after, before.request.as_ref(), after.request.as_ref(), true);
        compare_bodies(&mut c, after, before.response.as_ref(), after.response.as_ref(), false);
        if before.statuses != after.statuses && !before.statuses.is_empty() {
            let detail = format!(
                "documented success status {} -> {} (the SDK decodes any 2xx; conformance rules may care)",
                before.statuses.join("/"),
                after.statuses.join("/")
            );
            c.push(Severity::Cosmetic, "status.changed", after, "responses", detail);
        }
    }
    for (key, after) in new {
        if !old.contains_key(key) {
            c.push(
                Severity::Additive,
                "operation.added",
                after,
                key.clone(),
                format!("new {}", after.rust()),
            );
        }
    }
    c.changes.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.operation.cmp(&b.operation))
            .then(a.location.cmp(&b.location))
    });
    c.changes
}

fn describe(field: &Field) -> String {
    let mut text = join(&field.types);
    if text.is_empty() {
        text.push_str("any");
    }
    if field.nullable {
        text.push_str(" (nullable)");
    }
    text
}

fn compare_params(c: &mut Collector, before: &Operation, after: &Operation) {
    let builder = after.rust();
    for (name, old) in &before.params {
        let setter = name
            .split(' ')
            .nth(1)
            .map(|n| heck::AsSnakeCase(n).to_string())
            .unwrap_or_default();
        let Some(new) = after.params.get(name) else {
            c.push(
                Severity::Breaking,
                "parameter.removed",
                after,
                name.clone(),
                format!("{builder}.{setter}(..) is gone"),
            );
            continue;
        };
        if old.field.types != new.field.types {
            let detail = format!(
                "{builder}.{setter}(..) takes {} instead of {}",
                describe(&new.field),
                describe(&old.field)
            );
            c.push(Severity::Breaking, "parameter.retyped", after, name.clone(), detail);
        }
        match (old.required, new.required) {
            (false, true) => {
                let detail = format!("{builder}.{setter}(..) must now be set");
                c.push(Severity::Breaking, "parameter.required", after, name.clone(), detail);
            }
            (true, false) => {
                let detail = format!("{builder}.{setter}(..) may now be left out");
                c.push(Severity::Additive, "parameter.optional", after, name.clone(), detail);
            }
            _ => {}
        }
        compare_values(c, after, name, &old.field, &new.field, true);
    }
    for (name, new) in &after.params {
        if !before.params.contains_key(name) {
            let setter = name
                .split(' ')
                .nth(1)
                .map(|n| heck::AsSnakeCase(n).to_string())
                .unwrap_or_default();
            let (severity, what) = if new.required {
                (Severity::Breaking, "required: calls that do not set it fail")
            } else {
                (Severity::Additive, "optional")
            };
            let detail = format!("new {builder}.{setter}(..), {what}");
            c.push(severity, "parameter.added", after, name.clone(), detail);
        }
    }
}

fn compare_values(c: &mut Collector, op: &Operation, location: &str, old: &Field, new: &Field, request: bool) {
    let added: Vec<&String> = new.values.difference(&old.values).collect();
    let removed: Vec<&String> = old.values.difference(&new.values).collect();
    let owner = new.owner.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
    if !removed.is_empty() && !old.values.is_empty() {
        let list = removed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        let detail = if new.values.is_empty() {
            format!("no longer a fixed list{owner}: {list} no longer named")
        } else {
            format!("values {list} removed{owner}: their enum variants are gone")
        };
        c.push(
            Severity::Breaking,
            "enum.value_removed",
            op,
            location.to_string(),
            detail,
        );
    }
    if !added.is_empty() && !old.values.is_empty() {
        let list = added.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        let (severity, why) = if request {
            (Severity::Additive, "new variants callers may send")
        } else {
            (
                Severity::Breaking,
                "exhaustive matches on the known values stop compiling",
            )
        };
        let detail = format!("values {list} added{owner}: {why}");
        c.push(severity, "enum.value_added", op, location.to_string(), detail);
    }
}

fn compare_bodies(c: &mut Collector, op: &Operation, old: Option<&Body>, new: Option<&Body>, request: bool) {
    let side = if request { "request body" } else { "response" };
    let (old, new) = match (old, new) {
        (None, None) => return,
        (Some(_), None) => {
            let severity = Severity::Breaking;
            c.push(
                severity,
                &format!("{}.removed", kind_side(request)),
                op,
                side,
                format!("the {side} is gone"),
            );
            return;
        }
        (None, Some(b)) => {
            let severity = if request && b.fields.get("").is_some_and(|f| f.required) {
                Severity::Breaking
            } else {
                Severity::Additive
            };
            c.push(
                severity,
                &format!("{}.added", kind_side(request)),
                op,
                side,
                format!("a {side} appears ({})", b.media),
            );
            return;
        }
        (Some(o), Some(n)) => (o, n),
    };
    if old.media != new.media {
        let detail = format!("media type {} -> {}: the Rust type changes", old.media, new.media);
        c.push(Severity::Breaking, "media_type.changed", op, side, detail);
    }
    for (path, before) in &old.fields {
        let location = format!("{side} {}", if path.is_empty() { "(root)" } else { path });
        let name = rust_field(path, before);
        let Some(after) = new.fields.get(path) else {
            // A field whose parent went is reported with the parent.
            let parent_gone = parent(path).is_some_and(|p| !new.fields.contains_key(p));
            if !parent_gone {
                c.push(
                    Severity::Breaking,
                    "field.removed",
                    op,
                    location,
                    format!("{name} is gone"),
                );
            }
            continue;
        };
        if before.types != after.types && !(before.types.is_empty() || after.types.is_empty()) {
            let detail = format!("{name}: {} -> {}", describe(before), describe(after));
            c.push(Severity::Breaking, "field.retyped", op, location.clone(), detail);
        } else if before.nullable != after.nullable {
            let (kind, detail) = if after.nullable {
                (
                    "field.nullable",
                    format!("{name} may now be null: its Rust type becomes an Option"),
                )
            } else {
                ("field.not_nullable", format!("{name} is no longer nullable"))
            };
            let severity = if after.nullable || before.required {
                Severity::Breaking
            } else {
                Severity::Cosmetic
            };
            c.push(severity, kind, op, location.clone(), detail);
        }
        if request && !before.required && after.required && !path.is_empty() {
            let detail = format!("{name} must now be set: requests without it fail");
            c.push(Severity::Breaking, "field.required", op, location.clone(), detail);
        }
        if !request && before.required && !after.required && !path.is_empty() {
            let detail = format!("{name} may now be absent: its Rust type becomes an Option");
            c.push(Severity::Breaking, "field.optional", op, location.clone(), detail);
        }
        compare_values(c, op, &location, before, after, request);
    }
    for (path, after) in &new.fields {
        if old.fields.contains_key(path) || parent(path).is_some_and(|p| !old.fields.contains_key(p)) {
            continue;
        }
        let location = format!("{side} {path}");
        let name = rust_field(path, after);
        let (severity, detail) = if request && after.required {
            (
                Severity::Breaking,
                format!("new required {name}: requests without it fail"),
            )
        } else {
            (Severity::Additive, format!("new {name}: {}", describe(after)))
        };
        c.push(severity, "field.added", op, location, detail);
    }
}

fn kind_side(request: bool) -> &'static str {
    if request { "request_body" } else { "response_body" }
}

fn parent(path: &str) -> Option<&str> {
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

/// `Owner.field` for a field path, the way a caller names it.
fn rust_field(path: &str, field: &Field) -> String {
    let last = path.rsplit('.').next().unwrap_or(path).trim_end_matches("[]");
    match &field.owner {
        Some(owner) if !last.is_empty() => format!("{owner}.{last}"),
        Some(owner) => owner.clone(),
        None if last.is_empty() => "the body".to_string(),
        None => last.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------

/// The semver hint for the sdk crate at `version`.
pub fn report(changes: Vec<Change>, version: &str) -> Report {
    let worst = changes.iter().map(|c| c.severity).max();
    let pre_1 = version.starts_with("0.");
    let (semver, reason) = match (worst, pre_1) {
        (None, _) => ("none", "no change to the SDK's surface".to_string()),
        (Some(Severity::Breaking), false) => ("major", "breaking changes need a major release".to_string()),
        (Some(Severity::Breaking), true) => (
            "minor",
            format!("breaking changes; before 1.0 (the sdk is {version}) they bump the minor version"),
        ),
        (Some(Severity::Additive), false) => ("minor", "additions need a minor release".to_string()),
        (Some(Severity::Additive), true) => (
            "patch",
            format!("additions only; before 1.0 (the sdk is {version}) they bump the patch version"),
        ),
        (Some(Severity::Cosmetic), _) => ("patch", "no change callers can see".to_string()),
    };
    Report {
        semver: semver.to_string(),
        semver_reason: reason,
        changes,
    }
}

/// The report for people, grouped by operation.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    let mut by_operation: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in &report.changes {
        by_operation.entry(&change.operation).or_default().push(change);
    }
    for (operation, changes) in by_operation {
        let _ = writeln!(out, "{operation} ({})", changes[0].call);
        for change in changes {
            let _ = writeln!(
                out,
                "  {:<9} {:<22} {}: {}",
                change.severity.as_str(),
                change.kind,
                change.location,
                change.detail
            );
        }
    }
    let counts = counts(report);
    let _ = writeln!(
        out,
        "\n{} breaking, {} additive, {} cosmetic\nsemver: {} ({})",
        counts[2], counts[1], counts[0], report.semver, report.semver_reason
    );
    out
}

/// The report as a pull-request comment.
pub fn to_markdown(report: &Report) -> String {
    let counts = counts(report);
    let mut out = format!(
        "### SDK surface change: **{}** release\n\n{}. {} breaking, {} additive, {} cosmetic.\n",
        report.semver, report.semver_reason, counts[2], counts[1], counts[0]
    );
    if !report.changes.is_empty() {
        out.push_str("\n| severity | operation | kind | where | what |\n| --- | --- | --- | --- | --- |\n");
        for c in &report.changes {
            let cell = |s: &str| s.replace('|', "\\|");
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                c.severity.as_str(),
                cell(&c.operation),
                c.kind,
                cell(&c.location),
                cell(&c.detail)
            );
        }
    }
    out
}

/// The report as JSON: `{"semver", "changes": [{"severity", "kind", "operation", "location", "detail"}]}`.
pub fn to_json(report: &Report) -> Value {
    json!({"semver": report.semver, "semver_reason": report.semver_reason, "changes": report.changes})
}

fn counts(report: &Report) -> [usize; 3] {
    let mut counts = [0; 3];
    for change in &report.changes {
        counts[change.severity as usize] += 1;
    }
    counts
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
        let doc: Value = serde_yaml_ng::from_slice(&shown.stdout).with_context(|| format!("{path} at {revision}"))?;
        specs.push((path.trim_start_matches("spec/").to_string(), doc));
    }
    Ok(specs)
}

/// The changes from spec/ at `revision` to the working tree, spec by spec.
pub fn diff_revision(root: &Path, revision: &str) -> Result<Vec<Change>> {
    let before: BTreeMap<String, Value> = specs_at_revision(root, revision)?.into_iter().collect();
    let mut after = BTreeMap::new();
    for (path, _) in crate::generate::sdk_targets(root)? {
        let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        after.insert(name, spec::load(&path)?.doc);
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

    #[test]
    fn semver_hints_follow_the_worst_change() {
        let change = |severity| Change {
            severity,
            kind: "k".into(),
            operation: "o".into(),
            location: "l".into(),
            detail: "d".into(),
            call: String::new(),
        };
        assert_eq!(
            report(vec![change(Breaking), change(Additive)], "0.3.1").semver,
            "minor"
        );
        assert_eq!(report(vec![change(Additive)], "0.3.1").semver, "patch");
        assert_eq!(report(vec![change(Breaking)], "1.2.0").semver, "major");
        assert_eq!(report(vec![change(Additive)], "1.2.0").semver, "minor");
        assert_eq!(report(vec![change(Cosmetic)], "1.2.0").semver, "patch");
        assert_eq!(report(vec![], "1.2.0").semver, "none");
        let json = to_json(&report(vec![change(Breaking)], "0.1.0"));
        assert_eq!(
            json["changes"][0],
            json!({"severity": "breaking", "kind": "k", "operation": "o", "location": "l", "detail": "d"})
        );
    }
}
