//! The fields of a schema, each with its facts and the places in the document
//! that state them: the one schema walk that the diff of the SDK's surface,
//! vendoring's facts and the coverage check share.
//!
//! A walk starts at a schema named by its JSON pointer (a `$ref` or an inline
//! schema) and lists every field below it by path: `""` is the schema itself,
//! `line_items[].product_id` a property of the items of an array property,
//! `meta.*` the value of any other key of an object whose
//! `additionalProperties` is a schema. The walk
//! - follows local `$ref`s, remembering the references it is inside so that a
//!   schema that contains itself ends (the field that would repeat it is not
//!   listed);
//! - folds `allOf`, `oneOf` and `anyOf` into the field they compose: every
//!   variant's properties are the field's, each schema part of it is kept in
//!   [`Field::parts`] with the keyword that brought it;
//! - goes into `properties`, `items` and `additionalProperties`, no deeper
//!   than [`MAX_DEPTH`].
//!
//! `additionalProperties` has one reading here: written as a schema, `{}`
//! included, it is the type of the value of every key the object does not
//! list, and is walked as the field `*`; `true` and `false` state no such
//! type and are not walked. Either way the object records what it says
//! ([`Field::additional_properties`]). The difference matters to callers:
//! `{}` makes the code generator keep the other keys in a map (the SDK's
//! answers use it to keep fields it does not know yet), `true` does not.
//!
//! OpenAPI 3.0 writes `type` as one string (the loader rejects 3.1, where it
//! may be a list with `"null"`), so a list is not read as a type.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::pointer::{child, resolve};

/// How many steps (a property, the items, the other keys' value, a
/// composition's member) a walk goes down from where it starts. It is no
/// cycle guard (a schema that contains itself ends where its reference would
/// repeat): it bounds the call stack for a chain of distinct references or
/// nested schemas far longer than any real API's. The deepest field of the
/// carts specs and their past releases, members counted, is 11 steps down.
/// What the limit cuts off is named in [`Fields::too_deep`].
pub const MAX_DEPTH: usize = 40;

/// The keyword that made a schema part of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The schema of the field itself: the walk's start, a property, the
    /// items, the value of the other keys.
    Field,
    /// A member of `allOf`: the field is all of them.
    AllOf,
    /// A variant of `oneOf`.
    OneOf,
    /// A variant of `anyOf`.
    AnyOf,
}

/// One schema that makes up a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Where the schema is written (a property, a member of `allOf`, ...),
    /// before `$ref`s.
    pub declared: String,
    /// Where the schema is after `$ref`s.
    pub at: String,
    /// How it came to be part of the field.
    pub via: Via,
}

/// A JSON type of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Type {
    /// `string`, `integer`, `object`, ...
    pub name: String,
    /// The `format` next to the `type`, when there is one.
    pub format: Option<String>,
    /// The schema that states it (after `$ref`s).
    pub at: String,
    /// Whether the type is implied rather than written: a schema with no
    /// `type` but with `properties` or `additionalProperties` is an object,
    /// one with `items` an array, because those keywords apply to nothing
    /// else.
    pub implied: bool,
}

/// One value of a field's `enum`.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The value.
    pub value: Value,
    /// The schema whose `enum` lists it (after `$ref`s).
    pub at: String,
}

/// What an object's `additionalProperties` says of the keys it does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// `true`: other keys are allowed, their values are not described.
    Allowed,
    /// `false`: no other keys.
    Denied,
    /// A schema (`{}` included): other keys are allowed, with values of that
    /// schema, walked as the field `*`.
    Schema,
}

/// An object's `additionalProperties`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdditionalProperties {
    /// What it says.
    pub extra: Extra,
    /// Where it is written (the `additionalProperties` member itself).
    pub at: String,
}

/// A field and its facts. Where a fact is stated in several of the field's
/// parts, every statement counts (`required`, `nullable` and the types and
/// enum values gather them); the pointers given are of the first statement in
/// walk order (the field's own schema, then its compositions', depth first).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Field {
    /// The schema whose `properties` lists the field, the first time the walk
    /// reaches it (`None` for the start, items and the other keys' value).
    pub holder: Option<String>,
    /// Every schema that makes up the field, in walk order: the first is
    /// the field's own, as its parent lists it.
    pub parts: Vec<Part>,
    /// The field's types, in walk order, as often as stated.
    pub types: Vec<Type>,
    /// The `required` list that names the field, when one does.
    pub required: Option<String>,
    /// The schema that says `nullable: true`, when one does.
    pub nullable: Option<String>,
    /// The `enum` values, in walk order, each once.
    pub values: Vec<EnumValue>,
    /// The first `additionalProperties` of the field's schemas.
    pub additional_properties: Option<AdditionalProperties>,
}

impl Field {
    /// Where the field's own schema is written, before `$ref`s.
    pub fn declared(&self) -> &str {
        self.parts.first().map_or("", |p| p.declared.as_str())
    }

    /// Where the field's own schema is, after `$ref`s.
    pub fn resolved(&self) -> &str {
        self.parts.first().map_or("", |p| p.at.as_str())
    }

    /// The type names, each once.
    pub fn type_names(&self) -> BTreeSet<&str> {
        self.types.iter().map(|t| t.name.as_str()).collect()
    }

    /// The first type that is written in a schema (not implied).
    pub fn stated_type(&self) -> Option<&Type> {
        self.types.iter().find(|t| !t.implied)
    }
}

/// The fields of one schema, in path order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fields {
    /// Fields by path (`""`, `data.line_items[].id`, `meta.*`).
    pub fields: BTreeMap<String, Field>,
    /// `$ref`s (their pointers) that name nothing in the document, or another
    /// document: the walk does not go past them.
    pub dangling: Vec<String>,
    /// Schemas (their pointers) more than [`MAX_DEPTH`] steps down, not walked.
    pub too_deep: Vec<String>,
}

/// Walks the schema at `pointer` in `doc`. A pointer that names nothing is
/// walked as a schema that says nothing (a parameter may have `content`
/// instead of a `schema`): it lists the field `""` with no facts.
pub fn fields(doc: &Value, pointer: &str) -> Fields {
    let mut out = Fields::default();
    let schema = doc.pointer(pointer).unwrap_or(&Value::Null);
    let mut walk = Walk {
        doc,
        out: &mut out,
        refs: Vec::new(),
    };
    walk.visit(
        schema,
        pointer,
        "",
        Step {
            via: Via::Field,
            required: None,
            holder: None,
            depth: 0,
        },
    );
    out
}

/// How the walk reached a schema.
#[derive(Debug, Clone)]
struct Step {
    via: Via,
    /// The `required` list of the holder, when it names the field.
    required: Option<String>,
    holder: Option<String>,
    depth: usize,
}

impl Step {
    /// One step down to a new field.
    fn down(&self, required: Option<String>, holder: Option<String>) -> Step {
        Step {
            via: Via::Field,
            required,
            holder,
            depth: self.depth + 1,
        }
    }
}

struct Walk<'a, 'o> {
    doc: &'a Value,
    out: &'o mut Fields,
    /// The references the walk is inside, outermost first.
    refs: Vec<&'a str>,
}

impl<'a> Walk<'a, '_> {
    fn visit(&mut self, schema: &'a Value, pointer: &str, path: &str, step: Step) {
        if step.depth > MAX_DEPTH {
            self.out.too_deep.push(pointer.to_string());
            return;
        }
        let entered = self.refs.len();
        let resolved = self.follow(schema, pointer);
        if let Some((schema, at)) = resolved {
            self.record(schema, pointer, &at, path, &step);
            self.descend(schema, &at, path, &step);
        }
        self.refs.truncate(entered);
    }

    /// Follows `schema`'s `$ref`s, pushing each on the stack; `None` when one
    /// repeats a reference the walk is inside, or leads nowhere.
    fn follow(&mut self, mut schema: &'a Value, pointer: &str) -> Option<(&'a Value, String)> {
        let mut at = pointer.to_string();
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if self.refs.contains(&reference) {
                return None;
            }
            self.refs.push(reference);
            match (reference.strip_prefix('#'), resolve(self.doc, reference)) {
                (Some(target), Some(value)) => {
                    schema = value;
                    at = target.to_string();
                }
                _ => {
                    self.out.dangling.push(child(&at, "$ref"));
                    return None;
                }
            }
        }
        Some((schema, at))
    }

    /// Adds what `schema` (at `at`, written at `pointer`) states to the field.
    fn record(&mut self, schema: &Value, pointer: &str, at: &str, path: &str, step: &Step) {
        let field = self.out.fields.entry(path.to_string()).or_insert_with(|| Field {
            holder: step.holder.clone(),
            ..Field::default()
        });
        field.parts.push(Part {
            declared: pointer.to_string(),
            at: at.to_string(),
            via: step.via,
        });
        if field.required.is_none() {
            field.required.clone_from(&step.required);
        }
        let implied = if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
            Some("object")
        } else if schema.get("items").is_some() {
            Some("array")
        } else {
            None
        };
        match (schema.get("type").and_then(Value::as_str), implied) {
            (Some(name), _) => field.types.push(Type {
                name: name.to_string(),
                format: schema.get("format").and_then(Value::as_str).map(str::to_string),
                at: at.to_string(),
                implied: false,
            }),
            (None, Some(name)) => field.types.push(Type {
                name: name.to_string(),
                format: None,
                at: at.to_string(),
                implied: true,
            }),
            (None, None) => {}
        }
        if schema.get("nullable").and_then(Value::as_bool) == Some(true) && field.nullable.is_none() {
            field.nullable = Some(at.to_string());
        }
        for value in schema.get("enum").and_then(Value::as_array).into_iter().flatten() {
            if !field.values.iter().any(|v| &v.value == value) {
                field.values.push(EnumValue {
                    value: value.clone(),
                    at: at.to_string(),
                });
            }
        }
        if let Some(extra) = schema.get("additionalProperties")
            && field.additional_properties.is_none()
        {
            let extra = match extra {
                Value::Bool(true) => Extra::Allowed,
                Value::Bool(false) => Extra::Denied,
                _ => Extra::Schema,
            };
            field.additional_properties = Some(AdditionalProperties {
                extra,
                at: child(at, "additionalProperties"),
            });
        }
    }

    /// Walks what `schema` (at `at`) is made of and what it contains.
    fn descend(&mut self, schema: &'a Value, at: &str, path: &str, step: &Step) {
        for (keyword, via) in [("allOf", Via::AllOf), ("oneOf", Via::OneOf), ("anyOf", Via::AnyOf)] {
            let members = schema.get(keyword).and_then(Value::as_array).into_iter().flatten();
            for (index, member) in members.enumerate() {
                let member_step = Step {
                    via,
                    depth: step.depth + 1,
                    ..step.clone()
                };
                self.visit(
                    member,
                    &child(&child(at, keyword), &index.to_string()),
                    path,
                    member_step,
                );
            }
        }
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let properties = child(at, "properties");
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let required = required.contains(name.as_str()).then(|| child(at, "required"));
            let step = step.down(required, Some(at.to_string()));
            self.visit(property, &child(&properties, name), &join(path, name), step);
        }
        if let Some(extra) = schema.get("additionalProperties").filter(|e| e.is_object()) {
            let step = step.down(None, None);
            self.visit(extra, &child(at, "additionalProperties"), &join(path, "*"), step);
        }
        if let Some(items) = schema.get("items") {
            let step = step.down(None, None);
            self.visit(items, &child(at, "items"), &format!("{path}[]"), step);
        }
    }
}

/// The path of a property (or `*`) of the field at `path`.
fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The fields of the schema at `pointer` in a document that is only
    /// `components/schemas` plus whatever `extra` adds.
    fn walk(schemas: Value, pointer: &str) -> Fields {
        fields(&json!({"components": {"schemas": schemas}}), pointer)
    }

    fn paths(fields: &Fields) -> Vec<&str> {
        fields.fields.keys().map(String::as_str).collect()
    }

    #[test]
    fn references_are_followed_and_a_cycle_ends_where_it_would_repeat() {
        let walked = walk(
            json!({
                "Node": {"type": "object", "properties": {
                    "name": {"type": "string", "format": "uuid"},
                    "next": {"$ref": "#/components/schemas/Node"},
                    "other": {"$ref": "#/components/schemas/Other"}
                }},
                "Other": {"type": "object", "properties": {"back": {"$ref": "#/components/schemas/Node"}}},
                "Body": {"$ref": "#/components/schemas/Node"}
            }),
            "/components/schemas/Body",
        );
        // `next` and `other.back` would be Node again, inside Node.
        assert_eq!(paths(&walked), ["", "name", "other"]);
        assert_eq!(walked.fields[""].declared(), "/components/schemas/Body");
        assert_eq!(walked.fields[""].resolved(), "/components/schemas/Node");
        let other = &walked.fields["other"];
        assert_eq!(other.declared(), "/components/schemas/Node/properties/other");
        assert_eq!(other.resolved(), "/components/schemas/Other");
        assert_eq!(other.holder.as_deref(), Some("/components/schemas/Node"));
        let name = &walked.fields["name"].types[0];
        assert_eq!((name.name.as_str(), name.format.as_deref()), ("string", Some("uuid")));
        assert_eq!(name.at, "/components/schemas/Node/properties/name");
        assert!(walked.dangling.is_empty() && walked.too_deep.is_empty());
    }

    #[test]
    fn all_of_merges_members_into_one_field_with_their_places() {
        let walked = walk(
            json!({
                "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
                "Item": {"allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "required": ["name"], "properties": {
                        "name": {"type": "string"},
                        "id": {"nullable": true}
                    }}
                ]}
            }),
            "/components/schemas/Item",
        );
        assert_eq!(paths(&walked), ["", "id", "name"]);
        let root = &walked.fields[""];
        let parts: Vec<(&str, Via)> = root.parts.iter().map(|p| (p.at.as_str(), p.via)).collect();
        assert_eq!(
            parts,
            [
                ("/components/schemas/Item", Via::Field),
                ("/components/schemas/Base", Via::AllOf),
                ("/components/schemas/Item/allOf/1", Via::AllOf),
            ]
        );
        let id = &walked.fields["id"];
        assert_eq!(id.required.as_deref(), Some("/components/schemas/Base/required"));
        assert_eq!(
            id.holder.as_deref(),
            Some("/components/schemas/Base"),
            "the first member that lists it"
        );
        assert_eq!(
            id.nullable.as_deref(),
            Some("/components/schemas/Item/allOf/1/properties/id")
        );
        assert_eq!(id.type_names(), BTreeSet::from(["integer"]));
        assert_eq!(
            walked.fields["name"].required.as_deref(),
            Some("/components/schemas/Item/allOf/1/required")
        );
    }

    #[test]
    fn one_of_and_any_of_variants_give_their_types_values_and_fields() {
        let walked = walk(
            json!({"Id": {"properties": {"id": {"oneOf": [
                {"type": "string", "enum": ["a", "b"]},
                {"type": "integer", "enum": [1, "a"]},
                {"anyOf": [{"type": "object", "properties": {"x": {"type": "boolean"}}}]}
            ]}}}}),
            "/components/schemas/Id",
        );
        assert_eq!(paths(&walked), ["", "id", "id.x"]);
        let id = &walked.fields["id"];
        assert_eq!(id.type_names(), BTreeSet::from(["integer", "object", "string"]));
        let values: Vec<(Value, &str)> = id.values.iter().map(|v| (v.value.clone(), v.at.as_str())).collect();
        let one_of = "/components/schemas/Id/properties/id/oneOf";
        assert_eq!(
            values,
            [
                (json!("a"), &*format!("{one_of}/0")),
                (json!("b"), &*format!("{one_of}/0")),
                (json!(1), &*format!("{one_of}/1")),
            ]
        );
        let vias: Vec<Via> = id.parts.iter().map(|p| p.via).collect();
        assert_eq!(vias, [Via::Field, Via::OneOf, Via::OneOf, Via::OneOf, Via::AnyOf]);
        assert_eq!(
            walked.fields["id.x"].holder.as_deref(),
            Some(&*format!("{one_of}/2/anyOf/0"))
        );
        assert!(walked.fields["id.x"].required.is_none());
    }

    #[test]
    fn nullable_is_read_where_written_even_behind_a_reference() {
        let walked = walk(
            json!({
                "Maybe": {"type": "string", "nullable": true},
                "Holder": {"type": "object", "properties": {
                    "direct": {"type": "integer", "nullable": true},
                    "referred": {"$ref": "#/components/schemas/Maybe"},
                    "never": {"type": "integer", "nullable": false}
                }}
            }),
            "/components/schemas/Holder",
        );
        let nullable = |path: &str| walked.fields[path].nullable.clone();
        assert_eq!(
            nullable("direct").as_deref(),
            Some("/components/schemas/Holder/properties/direct")
        );
        assert_eq!(nullable("referred").as_deref(), Some("/components/schemas/Maybe"));
        assert_eq!(nullable("never"), None);
    }

    #[test]
    fn additional_properties_as_a_schema_is_the_field_star_and_booleans_are_not_walked() {
        let walked = walk(
            json!({"Meta": {"type": "object", "properties": {
                "any": {"type": "object", "additionalProperties": {}},
                "map": {"additionalProperties": {"type": "string"}},
                "open": {"type": "object", "additionalProperties": true, "properties": {"a": {"type": "string"}}},
                "closed": {"type": "object", "additionalProperties": false}
            }}}),
            "/components/schemas/Meta",
        );
        assert_eq!(
            paths(&walked),
            ["", "any", "any.*", "closed", "map", "map.*", "open", "open.a"]
        );
        assert!(walked.fields["any.*"].types.is_empty(), "`{{}}` allows any value");
        assert_eq!(walked.fields["map.*"].type_names(), BTreeSet::from(["string"]));
        assert_eq!(
            walked.fields["map.*"].declared(),
            "/components/schemas/Meta/properties/map/additionalProperties"
        );
        let extra = |path: &str| walked.fields[path].additional_properties.clone().map(|a| a.extra);
        assert_eq!(extra("any"), Some(Extra::Schema));
        assert_eq!(extra("open"), Some(Extra::Allowed));
        assert_eq!(extra("closed"), Some(Extra::Denied));
        assert_eq!(extra(""), None);
        let map = &walked.fields["map"];
        assert_eq!(
            map.types,
            [Type {
                name: "object".into(),
                format: None,
                at: "/components/schemas/Meta/properties/map".into(),
                implied: true,
            }],
            "an object without `type`, by its `additionalProperties`"
        );
        assert!(map.stated_type().is_none());
        assert_eq!(
            map.additional_properties.as_ref().map(|a| a.at.as_str()),
            Some("/components/schemas/Meta/properties/map/additionalProperties")
        );
    }

    #[test]
    fn items_are_the_field_brackets_and_imply_an_array() {
        let walked = walk(
            json!({"List": {"items": {"$ref": "#/components/schemas/Line"}}, "Line": {"type": "integer", "enum": [1, 2]}}),
            "/components/schemas/List",
        );
        assert_eq!(paths(&walked), ["", "[]"]);
        assert_eq!(walked.fields[""].type_names(), BTreeSet::from(["array"]));
        let items = &walked.fields["[]"];
        assert_eq!(items.declared(), "/components/schemas/List/items");
        assert_eq!(items.resolved(), "/components/schemas/Line");
        assert_eq!(items.holder, None);
        assert_eq!(items.values.len(), 2);
        assert_eq!(items.values[1].at, "/components/schemas/Line");
    }

    #[test]
    fn a_reference_that_leads_nowhere_is_named_and_not_followed() {
        let walked = walk(
            json!({"Cart": {"type": "object", "properties": {
                "gone": {"$ref": "#/components/schemas/Gone"},
                "remote": {"$ref": "other.yaml#/Cart"},
                "id": {"type": "string"}
            }}}),
            "/components/schemas/Cart",
        );
        assert_eq!(paths(&walked), ["", "id"]);
        assert_eq!(
            walked.dangling,
            [
                "/components/schemas/Cart/properties/gone/$ref",
                "/components/schemas/Cart/properties/remote/$ref"
            ]
        );
    }

    #[test]
    fn a_schema_deeper_than_the_limit_is_named_and_not_walked() {
        let mut schema = json!({"type": "string"});
        for _ in 0..MAX_DEPTH + 1 {
            schema = json!({"type": "object", "properties": {"a": schema}});
        }
        let walked = walk(json!({"Deep": schema}), "/components/schemas/Deep");
        let deepest = ["a"; MAX_DEPTH].join(".");
        assert!(walked.fields.contains_key(&deepest));
        assert!(!walked.fields.contains_key(&format!("{deepest}.a")));
        let expected = format!("/components/schemas/Deep{}", "/properties/a".repeat(MAX_DEPTH + 1));
        assert_eq!(walked.too_deep, [expected]);
    }

    #[test]
    fn a_pointer_that_names_nothing_is_a_field_without_facts() {
        let walked = walk(json!({}), "/components/parameters/Nope/schema");
        assert_eq!(paths(&walked), [""]);
        let field = &walked.fields[""];
        assert!(field.types.is_empty() && field.values.is_empty() && field.nullable.is_none());
        assert_eq!(field.declared(), "/components/parameters/Nope/schema");
    }
}
