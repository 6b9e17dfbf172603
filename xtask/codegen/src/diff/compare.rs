//! Comparing two surfaces, change by change, with each change's severity.

use std::collections::BTreeMap;

use super::model::{Body, Field, Operation, join};
use super::{Change, Severity};

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

pub(super) fn compare(old: &BTreeMap<String, Operation>, new: &BTreeMap<String, Operation>) -> Vec<Change> {
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
