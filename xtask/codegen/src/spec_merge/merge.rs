//! The three-way decision, key by key: what the new release changed against
//! the previous one (the base), and what that means for our spec.
//!
//! - ours equals the base: take the release's value (unless our spec marks
//!   the place as a deviation: then a person decides);
//! - ours equals the release: nothing to do; an `x-deviation` there has
//!   become redundant;
//! - anything else: a conflict, our side kept.

use serde_json::Value;

use super::facts::{Fact, Facts, Kind};
use super::key::{Attribute, Key};

/// One fact the release changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The fact's key.
    pub key: Key,
    /// Its value in the previous release (`None`: absent).
    pub base: Option<Value>,
    /// Its value in the new release.
    pub theirs: Option<Value>,
    /// Its value in our spec.
    pub ours: Option<Value>,
}

/// A change our spec cannot take without a person.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The fact's key (`GET /carts/{} response 200 application/json field data.id type`).
    pub fact: Key,
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
    pub redundant_deviations: Vec<Key>,
}

/// Compares the three sides.
pub fn decide(base: &Facts, theirs: &Facts, ours: &Facts) -> Decision {
    let mut decision = Decision::default();
    let keys: std::collections::BTreeSet<&Key> = base.keys().chain(theirs.keys()).collect();
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
pub fn guarded(base: &Facts, ours: &Facts, key: &Key) -> bool {
    if let Some(fact) = ours.get(key) {
        return fact.deviates;
    }
    let mut current = key.clone();
    while let Some(parent) = current.parent() {
        if let Some(fact) = ours.get(&parent) {
            if !fact.deviates {
                return false;
            }
            let type_key = parent.with(Attribute::Type);
            let type_of = |facts: &Facts| facts.get(&type_key).map(|f| f.value.clone());
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
pub fn member_for(release: &Facts, ours: &Facts, parent: &Key) -> Option<String> {
    let children = &ours.get(parent)?.at.children;
    let mut holders = std::collections::BTreeSet::new();
    // The fields of the parent's body, which its children are among.
    let body = parent.body();
    let fields = ours
        .range(&body..)
        .take_while(|(key, _)| key.operation == body.operation && key.place == body.place);
    for (key, fact) in fields {
        if fact.kind == Kind::Field
            && release.contains_key(key)
            && key.parent().as_ref() == Some(parent)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_merge::facts::Place;
    use crate::spec_merge::key::{FieldPath, Operation, Place as Site};
    use serde_json::json;

    /// The key of the type of field `path` of `GET /c`'s answer.
    fn type_of(path: &str) -> Key {
        let body = Site::Response {
            status: "200".into(),
            media: Some("application/json".into()),
        };
        Key::new(Operation::new("get", "/c"), body)
            .field(FieldPath::walked(path))
            .with(Attribute::Type)
    }

    fn facts(entries: &[(&str, Value, bool)]) -> Facts {
        entries
            .iter()
            .map(|(path, value, deviates)| {
                (
                    type_of(path),
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
        let base = facts(&[
            ("a", json!(["string"]), false),
            ("b", json!(["string"]), false),
            ("c", json!(["string"]), false),
            ("d", json!(["string"]), false),
            ("e", json!(["string"]), false),
        ]);
        let theirs = facts(&[
            ("a", json!(["integer"]), false),
            ("b", json!(["integer"]), false),
            ("c", json!(["integer"]), false),
            ("d", json!(["integer"]), false),
            ("e", json!(["string"]), false),
        ]);
        let ours = facts(&[
            ("a", json!(["string"]), false),
            ("b", json!(["integer"]), true),
            ("c", json!(["number"]), false),
            ("d", json!(["string"]), true),
            ("e", json!(["boolean"]), true),
        ]);
        let decision = decide(&base, &theirs, &ours);
        let keys = |changes: &[Change]| changes.iter().map(|c| c.key.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&decision.accept), [type_of("a")]);
        assert_eq!(keys(&decision.already), [type_of("b")]);
        assert_eq!(decision.redundant_deviations, [type_of("b")]);
        assert_eq!(keys(&decision.conflicts), [type_of("c")]);
        assert_eq!(keys(&decision.guarded), [type_of("d")]);
    }
}
