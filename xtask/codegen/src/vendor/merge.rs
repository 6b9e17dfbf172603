//! The three-way decision, key by key: what the new release changed against
//! the previous one (the base), and what that means for our spec.
//!
//! - ours equals the base: take the release's value (unless our spec marks
//!   the place as a deviation: then a person decides);
//! - ours equals the release: nothing to do; an `x-deviation` there has
//!   become redundant;
//! - anything else: a conflict, our side kept.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::facts::{Fact, Facts};

/// One fact the release changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The fact's key.
    pub key: String,
    /// Its value in the previous release (`None`: absent).
    pub base: Option<Value>,
    /// Its value in the new release.
    pub theirs: Option<Value>,
    /// Its value in our spec.
    pub ours: Option<Value>,
}

/// A change our spec cannot take without a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// The fact's key (`GET /carts/{} response 200 application/json field data.id type`).
    pub fact: String,
    /// Where our spec states it (a JSON pointer), or where it would go.
    pub pointer: String,
    /// Our value (`null`: our spec does not state it).
    pub ours: Value,
    /// The previous release's value.
    pub base: Value,
    /// The new release's value.
    pub theirs: Value,
    /// Why a person has to decide.
    pub reason: String,
}

/// How the changes of a release sort.
#[derive(Debug, Default)]
pub struct Decision {
    /// Changes to apply to our spec.
    pub accept: Vec<Change>,
    /// Changes our spec already has.
    pub already: Vec<Change>,
    /// Changes at places where our spec deviates; applied only if an edit
    /// accepted elsewhere brings them along.
    pub guarded: Vec<Change>,
    /// Changes where our spec already differed from the previous release.
    pub conflicts: Vec<Change>,
    /// Where our `x-deviation` is no longer needed: the release now says what we say.
    pub redundant_deviations: Vec<String>,
}

/// Compares the three sides.
pub fn decide(base: &Facts, theirs: &Facts, ours: &Facts) -> Decision {
    let mut decision = Decision::default();
    let keys: std::collections::BTreeSet<&String> = base.keys().chain(theirs.keys()).collect();
    for key in keys {
        let value = |facts: &Facts| facts.get(key).map(|f: &Fact| f.value.clone());
        let (b, t, o) = (value(base), value(theirs), value(ours));
        if b == t {
            continue;
        }
        let change = Change {
            key: key.clone(),
            base: b.clone(),
            theirs: t.clone(),
            ours: o.clone(),
        };
        if o == t {
            if ours.get(key).is_some_and(|f| f.deviates) {
                decision.redundant_deviations.push(key.clone());
            }
            decision.already.push(change);
        } else if o == b {
            if guarded(base, ours, key) {
                decision.guarded.push(change);
            } else {
                decision.accept.push(change);
            }
        } else {
            decision.conflicts.push(change);
        }
    }
    decision
}

/// Whether a change at `key` needs a person because of a deviation of
/// ours: the fact itself is marked (`x-deviation`), or, for a fact our spec
/// does not have yet, its nearest ancestor our spec has is marked and has a
/// different shape than the previous release (another type, such as a list
/// where the release has an object) or is a union of several objects, where
/// a new field has no one place to go. A marked ancestor that only differs
/// in required-ness or nullability leaves its children to the merge.
pub fn guarded(base: &Facts, ours: &Facts, key: &str) -> bool {
    if let Some(fact) = ours.get(key) {
        return fact.deviates;
    }
    let mut current = key.to_string();
    while let Some(parent) = parent_key(&current) {
        if let Some(fact) = ours.get(&parent) {
            if !fact.deviates {
                return false;
            }
            let type_of = |facts: &Facts| facts.get(&format!("{parent} type")).map(|f| f.value.clone());
            let reshaped = type_of(ours) != type_of(base);
            let union = fact.at.children.len() > 1 && member_for(base, ours, &parent).is_none();
            return reshaped || union;
        }
        current = parent;
    }
    false
}

/// The one object of the union our spec has at the field `parent` that
/// takes a field the release adds there: the member that declares the
/// fields `release` also states at that level (a bare cart beside its
/// wrapped form takes the cart's new field). `None` when no member, or more
/// than one, declares them: then which one takes the field is a choice.
pub fn member_for(release: &Facts, ours: &Facts, parent: &str) -> Option<String> {
    let children = &ours.get(parent)?.at.children;
    let prefix = match parent.strip_suffix(" field (body)") {
        Some(body) => format!("{body} field "),
        None => format!("{parent}."),
    };
    let mut holders = std::collections::BTreeSet::new();
    for (key, fact) in ours.range(prefix.clone()..) {
        if !key.starts_with(&prefix) {
            break;
        }
        if fact.kind == super::facts::Kind::Field
            && release.contains_key(key)
            && parent_key(key).as_deref() == Some(parent)
            && children.contains(&fact.at.holder)
        {
            holders.insert(fact.at.holder.clone());
        }
    }
    let mut holders = holders.into_iter();
    match (holders.next(), holders.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// The key one step up: an attribute's field or parameter, a field's parent
/// field, the body root's body, a body's status, a status's operation.
pub fn parent_key(key: &str) -> Option<String> {
    if let Some(at) = key.find(" enum ") {
        return Some(key[..at].to_string());
    }
    for suffix in [
        " items type",
        " type",
        " required",
        " nullable",
        " style",
        " explode",
        " operationId",
    ] {
        if let Some(parent) = key.strip_suffix(suffix) {
            return Some(parent.to_string());
        }
    }
    if let Some((body, path)) = key.split_once(" field ") {
        if path == "(body)" {
            return Some(body.to_string());
        }
        // The items of an array body (`[]`) belong to the body's root, `(body)`, as a
        // property at the top level does.
        let parent = match path.rfind(['.', '[']) {
            Some(cut) if cut > 0 => &path[..cut],
            _ => "(body)",
        };
        return Some(format!("{body} field {parent}"));
    }
    if let Some((operation, _)) = key.split_once(" parameter ") {
        return Some(operation.to_string());
    }
    for marker in [" response ", " request "] {
        if let Some((operation, rest)) = key.split_once(marker) {
            return Some(match rest.split_once(' ') {
                // `response 200 application/json` -> `response 200`.
                Some((status, _)) if marker == " response " => format!("{operation}{marker}{status}"),
                _ => operation.to_string(),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::facts::{Kind, Place};
    use serde_json::json;

    #[test]
    fn keys_climb_to_their_operation() {
        let mut key = "GET /c/{} response 200 application/json field data.items[].id enum \"a b\"".to_string();
        let mut chain = vec![key.clone()];
        while let Some(parent) = parent_key(&key) {
            chain.push(parent.clone());
            key = parent;
        }
        assert_eq!(
            chain[1..],
            [
                "GET /c/{} response 200 application/json field data.items[].id",
                "GET /c/{} response 200 application/json field data.items[]",
                "GET /c/{} response 200 application/json field data.items",
                "GET /c/{} response 200 application/json field data",
                "GET /c/{} response 200 application/json field (body)",
                "GET /c/{} response 200 application/json",
                "GET /c/{} response 200",
                "GET /c/{}",
            ]
        );
        assert_eq!(
            parent_key("GET /c/{} parameter query:include items type").unwrap(),
            "GET /c/{} parameter query:include"
        );
        assert_eq!(parent_key("POST /c request application/json").unwrap(), "POST /c");
        assert_eq!(
            parent_key("POST /c request application/json field [].id").unwrap(),
            "POST /c request application/json field []"
        );
        assert_eq!(
            parent_key("POST /c request application/json field []").unwrap(),
            "POST /c request application/json field (body)"
        );
    }

    fn facts(entries: &[(&str, Value, bool)]) -> Facts {
        entries
            .iter()
            .map(|(key, value, deviates)| {
                (
                    key.to_string(),
                    Fact {
                        value: value.clone(),
                        kind: Kind::Field,
                        at: Place::default(),
                        deviates: *deviates,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn each_key_is_decided_on_its_own() {
        let f = "GET /c response 200 application/json field";
        let base = facts(&[
            (&format!("{f} a type"), json!(["string"]), false),
            (&format!("{f} b type"), json!(["string"]), false),
            (&format!("{f} c type"), json!(["string"]), false),
            (&format!("{f} d type"), json!(["string"]), false),
            (&format!("{f} e type"), json!(["string"]), false),
        ]);
        let theirs = facts(&[
            (&format!("{f} a type"), json!(["integer"]), false),
            (&format!("{f} b type"), json!(["integer"]), false),
            (&format!("{f} c type"), json!(["integer"]), false),
            (&format!("{f} d type"), json!(["integer"]), false),
            (&format!("{f} e type"), json!(["string"]), false),
        ]);
        let ours = facts(&[
            (&format!("{f} a type"), json!(["string"]), false),
            (&format!("{f} b type"), json!(["integer"]), true),
            (&format!("{f} c type"), json!(["number"]), false),
            (&format!("{f} d type"), json!(["string"]), true),
            (&format!("{f} e type"), json!(["boolean"]), true),
        ]);
        let decision = decide(&base, &theirs, &ours);
        let keys = |changes: &[Change]| changes.iter().map(|c| c.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&decision.accept), [format!("{f} a type")]);
        assert_eq!(keys(&decision.already), [format!("{f} b type")]);
        assert_eq!(decision.redundant_deviations, [format!("{f} b type")]);
        assert_eq!(keys(&decision.conflicts), [format!("{f} c type")]);
        assert_eq!(keys(&decision.guarded), [format!("{f} d type")]);
    }
}
