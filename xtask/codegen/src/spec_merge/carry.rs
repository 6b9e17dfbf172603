//! The components an addition brings along. An operation, parameter or
//! field the release adds often refers to the release's components: its
//! shared meta and error bodies, or one that is new in the release. Each such
//! component either has a counterpart in our spec, one that states the same
//! facts (field paths, types, required, nullable, enum values; names never
//! count), and the addition refers to ours; or it is carried into our spec
//! under a name of ours, with the components it refers to carried the same
//! way.
//!
//! A component's facts are the facts it states as a whole answer body, read
//! with [`extract`] from a document in which one operation answers with each
//! component, so that they are compared the way the merge checks every edit.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

use carts_openapi::escape;
use serde_json::{Map, Value, json};

use super::facts::{Kind, extract};
use super::key::{Attribute, FieldPath, Place};

/// One fact of a component: its value, whether our spec marks the place as
/// a deviation, and what kind of fact it is.
#[derive(Debug, Clone, PartialEq)]
struct Stated {
    value: Value,
    deviates: bool,
    kind: Kind,
}

/// A component's facts, by field path and attribute (`(body) type`, `id required`).
type Shape = BTreeMap<(FieldPath, Option<Attribute>), Stated>;

/// Where the addition's reference to a release component goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counterpart {
    /// Our component that states the release component's facts.
    Ours(String),
    /// The release component carried under our name; `new` when this is the
    /// first reference to it, so the caller translates and [`Carrier::store`]s it.
    Carried { name: String, new: bool },
}

/// Decides, once per release component, which component of ours an
/// addition refers to, and keeps the carried ones until they are written.
pub struct Carrier<'a> {
    theirs_doc: &'a Value,
    ours_doc: &'a Value,
    /// The components' facts, read when a first reference asks for them: most merges carry none.
    theirs: OnceCell<BTreeMap<String, Shape>>,
    ours: OnceCell<BTreeMap<String, Shape>>,
    /// The release's component names our spec uses at the same API locations.
    corresponding: BTreeMap<String, String>,
    /// Decisions made, by release name.
    decided: BTreeMap<String, Counterpart>,
    /// Carried components, by our name, translated (`Null` while being translated).
    carried: BTreeMap<String, Value>,
    /// Names taken, in the form the generator gives types (`CartNote`).
    taken: BTreeSet<String>,
}

impl<'a> Carrier<'a> {
    /// A carrier from the release `theirs` into our spec `ours`, where
    /// `corresponding` names, for a release component, the component of ours
    /// that sits where it sits.
    pub fn new(theirs: &'a Value, ours: &'a Value, corresponding: BTreeMap<String, String>) -> Self {
        let taken = schema_names(ours).iter().map(|n| type_name(n)).collect();
        Self {
            theirs_doc: theirs,
            ours_doc: ours,
            theirs: OnceCell::new(),
            ours: OnceCell::new(),
            corresponding,
            decided: BTreeMap::new(),
            carried: BTreeMap::new(),
            taken,
        }
    }

    /// Where a reference to the release's component `name` goes: the
    /// component of ours that sits where the release's does, if it states
    /// its facts (our deviations and fields of ours alone aside); else a
    /// component of ours that states exactly its facts; else a carried copy.
    pub fn counterpart(&mut self, name: &str) -> Counterpart {
        if let Some(decided) = self.decided.get(name) {
            return match decided {
                Counterpart::Carried { name, .. } => Counterpart::Carried {
                    name: name.clone(),
                    new: false,
                },
                ours => ours.clone(),
            };
        }
        let empty = Shape::new();
        let theirs = self
            .theirs
            .get_or_init(|| shapes(self.theirs_doc))
            .get(name)
            .unwrap_or(&empty);
        let our_shapes = self.ours.get_or_init(|| shapes(self.ours_doc));
        let voted = self
            .corresponding
            .get(name)
            .filter(|ours| our_shapes.get(*ours).is_some_and(|shape| covers(shape, theirs)));
        let exact = || {
            our_shapes
                .iter()
                .find(|(_, shape)| same(shape, theirs))
                .map(|(ours, _)| ours)
        };
        let decided = match voted.or_else(exact) {
            Some(ours) => Counterpart::Ours(ours.clone()),
            None => {
                let ours = self.free_name(name);
                self.carried.insert(ours.clone(), Value::Null);
                Counterpart::Carried { name: ours, new: true }
            }
        };
        self.decided.insert(name.to_string(), decided.clone());
        decided
    }

    /// Keeps the translated copy of a carried component.
    pub fn store(&mut self, ours: &str, schema: Value) {
        self.carried.insert(ours.to_string(), schema);
    }

    /// Forgets a carried component whose translation failed, so that no
    /// reference to it is left behind.
    pub fn forget(&mut self, their_name: &str) {
        if let Some(Counterpart::Carried { name, .. }) = self.decided.remove(their_name) {
            self.carried.remove(&name);
            self.taken.remove(&type_name(&name));
        }
    }

    /// Frees a name [`Carrier::free_name`] gave to a copy that was not made.
    pub fn unclaim(&mut self, ours: &str) {
        self.taken.remove(&type_name(ours));
    }

    /// The carried components `doc` refers to, directly or through other
    /// carried components, and does not have yet, by name. An edit that was
    /// undone leaves its carried components unwritten; the next edit that
    /// refers to one writes it.
    pub fn missing_in(&self, doc: &Value) -> Vec<(String, Value)> {
        let have: BTreeSet<String> = schema_names(doc).into_iter().collect();
        let mut wanted = Vec::new();
        references(doc, &mut wanted);
        let mut out: Vec<(String, Value)> = Vec::new();
        while let Some(name) = wanted.pop() {
            if have.contains(&name) || out.iter().any(|(n, _)| *n == name) {
                continue;
            }
            if let Some(schema) = self.carried.get(&name).filter(|s| !s.is_null()) {
                references(schema, &mut wanted);
                out.push((name, schema.clone()));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The release's name of the component carried as `ours`.
    pub fn origin(&self, ours: &str) -> Option<&str> {
        self.decided.iter().find_map(|(theirs, decided)| match decided {
            Counterpart::Carried { name, .. } if name == ours => Some(theirs.as_str()),
            _ => None,
        })
    }

    /// A name of ours for the component `theirs` (the release's, or one of
    /// ours being split): in the form our components take (`CartNote` for
    /// `cart_Note`), numbered when a component of ours, or one carried or
    /// split off before, already has it.
    pub fn free_name(&mut self, theirs: &str) -> String {
        let mut base = type_name(theirs);
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("Component{base}");
        }
        let mut name = base.clone();
        let mut number = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{number}");
            number += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// The other schema components of `doc` that state exactly the facts of
/// its component `name`, by name.
pub fn alike(doc: &Value, name: &str) -> Vec<String> {
    let shapes = shapes(doc);
    let Some(shape) = shapes.get(name) else {
        return Vec::new();
    };
    shapes
        .iter()
        .filter(|(other, theirs)| *other != name && same(theirs, shape))
        .map(|(other, _)| other.clone())
        .collect()
}

/// The name the generator gives a type for a component name.
fn type_name(name: &str) -> String {
    heck::AsUpperCamelCase(name).to_string()
}

/// The schema component names of `doc`.
fn schema_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The schema components `value` refers to, added to `out`.
fn references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(carts_openapi::referenced_component)
            {
                out.push(name);
            }
            map.values().for_each(|v| references(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// The facts of every schema component of `doc`, each read as the body of
/// an answer of its own.
fn shapes(doc: &Value) -> BTreeMap<String, Shape> {
    let names = schema_names(doc);
    let mut paths = Map::new();
    let mut by_path = BTreeMap::new();
    for (index, name) in names.iter().enumerate() {
        by_path.insert(carts_openapi::template(&format!("/{index}")), name);
        paths.insert(
            format!("/{index}"),
            json!({"get": {"responses": {"200": {"description": "", "content": {"application/json": {
                "schema": {"$ref": format!("#/components/schemas/{}", escape(name))}
            }}}}}}),
        );
    }
    let answers = json!({
        "paths": paths,
        "components": doc.get("components").cloned().unwrap_or_else(|| json!({})),
    });
    let mut out: BTreeMap<String, Shape> = BTreeMap::new();
    let answer = Place::Response {
        status: "200".into(),
        media: Some("application/json".into()),
    };
    for (key, fact) in extract(&answers) {
        let (Some(field), true) = (key.field, key.place == answer) else {
            continue;
        };
        let Some(name) = by_path.get(&key.operation.path) else {
            continue;
        };
        out.entry((*name).clone()).or_default().insert(
            (field, key.attribute),
            Stated {
                value: fact.value,
                deviates: fact.deviates,
                kind: fact.kind,
            },
        );
    }
    out
}

/// Whether two components state the same facts.
fn same(ours: &Shape, theirs: &Shape) -> bool {
    ours.len() == theirs.len()
        && ours
            .iter()
            .zip(theirs)
            .all(|((ok, of), (tk, tf))| ok == tk && of.value == tf.value)
}

/// Whether our component, used where the release uses `theirs`, states every
/// fact the release states there, as the merge's check of an edit asks: the
/// same value, or our `x-deviation` at that place. Fields of ours alone are
/// allowed (objects take other fields), but not enum values of ours alone
/// on a field both state, where the release's list is closed.
fn covers(ours: &Shape, theirs: &Shape) -> bool {
    let stated = theirs.iter().all(|(key, fact)| {
        ours.get(key)
            .is_some_and(|mine| mine.deviates || mine.value == fact.value)
    });
    let no_extra_values = ours.iter().all(|(key, mine)| {
        let (field, _) = key;
        mine.kind != Kind::FieldEnum
            || mine.deviates
            || theirs.contains_key(key)
            || !theirs.contains_key(&(field.clone(), Some(Attribute::Type)))
    });
    stated && no_extra_values
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(schemas: Value) -> Value {
        json!({"components": {"schemas": schemas}})
    }

    /// The two documents a test's carrier reads, owned by the test.
    struct Docs {
        theirs: Value,
        ours: Value,
        corresponding: BTreeMap<String, String>,
    }

    impl Docs {
        fn carrier(&self) -> Carrier<'_> {
            Carrier::new(&self.theirs, &self.ours, self.corresponding.clone())
        }
    }

    fn docs(theirs: Value, ours: Value, corresponding: &[(&str, &str)]) -> Docs {
        Docs {
            theirs: doc(theirs),
            ours: doc(ours),
            corresponding: corresponding
                .iter()
                .map(|(t, o)| (t.to_string(), o.to_string()))
                .collect(),
        }
    }

    #[test]
    fn a_component_of_ours_with_the_same_facts_is_found_whatever_its_name() {
        let docs = docs(
            json!({"note_Thing": {"type": "object", "description": "Theirs.", "properties": {
                "id": {"type": "integer", "example": 3}, "text": {"type": "string"}}, "required": ["id"]}}),
            json!({
                "Other": {"type": "object", "properties": {"id": {"type": "integer"}}},
                "Note": {"type": "object", "description": "Ours.", "required": ["id"], "properties": {
                    "id": {"$ref": "#/components/schemas/Id"}, "text": {"type": "string"}}},
                "Id": {"type": "integer"}
            }),
            &[],
        );
        let mut carrier = docs.carrier();
        assert_eq!(carrier.counterpart("note_Thing"), Counterpart::Ours("Note".into()));
    }

    #[test]
    fn the_component_that_sits_where_theirs_sits_may_deviate_and_say_more() {
        let theirs = json!({"meta_open": {"type": "object", "properties": {}},
            "Error": {"type": "object", "properties": {"status": {"type": "integer"}}}});
        let ours = json!({
            "ResponseMeta": {"x-deviation": "why", "oneOf": [{"type": "object"}, {"type": "array", "items": {}}]},
            "ErrorBody": {"type": "object", "properties": {
                "status": {"type": "integer"}, "detail": {"type": "string"}}},
            "Empty": {"type": "object"}
        });
        let with_votes_docs = docs(
            theirs.clone(),
            ours.clone(),
            &[("meta_open", "ResponseMeta"), ("Error", "ErrorBody")],
        );
        let mut with_votes = with_votes_docs.carrier();
        assert_eq!(
            with_votes.counterpart("meta_open"),
            Counterpart::Ours("ResponseMeta".into())
        );
        assert_eq!(with_votes.counterpart("Error"), Counterpart::Ours("ErrorBody".into()));
        // Without the correspondence, only a component with exactly the same facts will do.
        let without_docs = docs(theirs, ours, &[]);
        let mut without = without_docs.carrier();
        assert_eq!(without.counterpart("meta_open"), Counterpart::Ours("Empty".into()));
        assert_eq!(
            without.counterpart("Error"),
            Counterpart::Carried {
                name: "Error".into(),
                new: true
            }
        );
    }

    #[test]
    fn a_corresponding_component_that_states_other_facts_is_not_used() {
        let theirs = json!({"Status": {"type": "string", "enum": ["open", "closed", "held"]}});
        // A type differing without an `x-deviation`, and an enum value of ours alone.
        for ours in [
            json!({"CartStatus": {"type": "integer"}}),
            json!({"CartStatus": {"type": "string", "enum": ["open", "closed", "held", "lost"]}}),
        ] {
            let docs = docs(theirs.clone(), ours.clone(), &[("Status", "CartStatus")]);
            let mut carrier = docs.carrier();
            assert_eq!(
                carrier.counterpart("Status"),
                Counterpart::Carried {
                    name: "Status".into(),
                    new: true
                },
                "{ours}"
            );
        }
    }

    #[test]
    fn carried_names_are_ours_and_never_clash() {
        let docs = docs(
            json!({
                "cart_Note": {"type": "object", "properties": {"a": {"type": "string"}}},
                "CartNote": {"type": "object", "properties": {"b": {"type": "string"}}},
                "currency": {"type": "object", "properties": {"c": {"type": "string"}}}
            }),
            json!({"Currency": {"type": "object", "properties": {"code": {"type": "string"}}}}),
            &[],
        );
        let mut carrier = docs.carrier();
        let name = |c: Counterpart| match c {
            Counterpart::Carried { name, new: true } => name,
            other => panic!("{other:?}"),
        };
        assert_eq!(name(carrier.counterpart("cart_Note")), "CartNote");
        assert_eq!(name(carrier.counterpart("CartNote")), "CartNote2");
        assert_eq!(name(carrier.counterpart("currency")), "Currency2");
        assert_eq!(carrier.origin("CartNote2"), Some("CartNote"));
        assert_eq!(
            carrier.counterpart("cart_Note"),
            Counterpart::Carried {
                name: "CartNote".into(),
                new: false
            }
        );
    }

    #[test]
    fn missing_carried_components_are_found_through_each_other() {
        let docs = docs(json!({}), json!({}), &[]);
        let mut carrier = docs.carrier();
        carrier.store("A", json!({"properties": {"b": {"$ref": "#/components/schemas/B"}}}));
        carrier.store("B", json!({"items": {"$ref": "#/components/schemas/A"}}));
        carrier.store("C", json!({"type": "string"}));
        let doc = json!({"paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/A"}}}}}}}}, "components": {"schemas": {"Ours": {}}}});
        let names: Vec<String> = carrier.missing_in(&doc).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["A", "B"], "C is not referred to");
        let mut written = doc.clone();
        written["components"]["schemas"]["A"] = json!({});
        let names: Vec<String> = carrier.missing_in(&written).into_iter().map(|(n, _)| n).collect();
        assert!(
            names.is_empty(),
            "A is written; B is only reached through the A we wrote"
        );
    }
}
