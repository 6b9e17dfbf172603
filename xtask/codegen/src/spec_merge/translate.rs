//! Upstream constructs in our words: what the release adds (an operation, a
//! parameter, a response, a field) is copied as facts only. Descriptions,
//! summaries, titles, examples and upstream `x-` extensions are dropped; the
//! added place gets one factual line of ours, for a person to improve.
//! References follow our component where one states the release
//! component's facts; a component we do not have is carried under a name of
//! ours ([`Carrier`]).

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use carts_openapi::{deref, escape, unescape};
use serde_json::{Map, Value, json};

use super::carry::{Carrier, Counterpart};
use super::facts::{Facts, Kind, component_of};

/// Keys that carry prose or examples, never copied.
const PROSE: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "tags",
];

/// Translates parts of the release into our spec.
pub struct Translator<'a> {
    theirs: &'a Value,
    /// The release's component names that correspond to ours.
    #[cfg(test)]
    names: BTreeMap<String, String>,
    /// Our parameter components, as (name, location, facts) -> component.
    our_parameters: BTreeMap<String, Value>,
    /// Where references to the release's components go, and the components
    /// carried into our spec.
    pub components: Carrier<'a>,
    /// The line added places get.
    pub note: String,
}

impl<'a> Translator<'a> {
    /// A translator from `theirs` into `ours`, with component names matched
    /// through the facts both documents state.
    pub fn new(theirs: &'a Value, theirs_facts: &Facts, ours: &'a Value, ours_facts: &Facts, note: String) -> Self {
        let mut votes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (key, fact) in theirs_facts {
            if fact.kind != Kind::FieldType {
                continue;
            }
            let Some(mine) = ours_facts.get(key) else { continue };
            if let (Some(their_component), Some(our_component)) =
                (component_of(&fact.at.attribute), component_of(&mine.at.attribute))
            {
                *votes
                    .entry(unescape(their_component))
                    .or_default()
                    .entry(unescape(our_component))
                    .or_default() += 1;
            }
        }
        let names: BTreeMap<String, String> = votes
            .into_iter()
            .filter_map(|(theirs, counts)| {
                let best = counts
                    .into_iter()
                    .max_by_key(|(name, count)| (*count, std::cmp::Reverse(name.clone())))?;
                Some((theirs, best.0))
            })
            .collect();
        let our_parameters = ours
            .pointer("/components/parameters")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(name, p)| (name.clone(), parameter_facts(ours, p)))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            theirs,
            #[cfg(test)]
            names: names.clone(),
            our_parameters,
            components: Carrier::new(theirs, ours, names),
            note,
        }
    }

    /// Our name for the release's component `name`, if we have one.
    #[cfg(test)]
    pub fn our_name(&self, name: &str) -> Option<&str> {
        self.names.get(name).map(String::as_str)
    }

    /// A schema of the release, in our words; the added place gets our note.
    pub fn added_schema(&mut self, schema: &Value) -> Result<Value> {
        let mut out = self.schema(schema, 0)?;
        if let Some(object) = out.as_object_mut()
            && !object.contains_key("$ref")
        {
            object.insert("description".into(), json!(self.note));
        }
        Ok(out)
    }

    /// A schema of the release, facts only.
    pub fn schema(&mut self, schema: &Value, depth: usize) -> Result<Value> {
        if depth > 40 {
            bail!("the release's schema nests too deep to copy");
        }
        match schema {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    return Ok(json!({ "$ref": self.reference(reference, depth)? }));
                }
                let mut out = Map::new();
                for (key, value) in map {
                    if PROSE.contains(&key.as_str()) || key.starts_with("x-") {
                        continue;
                    }
                    let value = match key.as_str() {
                        "properties" => Value::Object(
                            value
                                .as_object()
                                .into_iter()
                                .flatten()
                                .map(|(name, sub)| Ok((name.clone(), self.schema(sub, depth + 1)?)))
                                .collect::<Result<Map<_, _>>>()?,
                        ),
                        "items" | "additionalProperties" | "not" if value.is_object() => {
                            self.schema(value, depth + 1)?
                        }
                        "allOf" | "oneOf" | "anyOf" => Value::Array(
                            value
                                .as_array()
                                .into_iter()
                                .flatten()
                                .map(|sub| self.schema(sub, depth + 1))
                                .collect::<Result<_>>()?,
                        ),
                        _ => value.clone(),
                    };
                    out.insert(key.clone(), value);
                }
                Ok(Value::Object(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// Our reference for the release's `reference`: our component where one
    /// states its facts, else the release's component carried under a name
    /// of ours, translated (the components it refers to carried the same way).
    fn reference(&mut self, reference: &str, depth: usize) -> Result<String> {
        let Some(name) = carts_openapi::referenced_component(reference) else {
            bail!("reference {reference} does not name a schema component");
        };
        let Some(target) = self.theirs.pointer(&format!("/components/schemas/{}", escape(&name))) else {
            bail!("reference {reference} leads nowhere in the release");
        };
        let ours = match self.components.counterpart(&name) {
            Counterpart::Ours(ours) | Counterpart::Carried { name: ours, new: false } => ours,
            Counterpart::Carried { name: ours, new: true } => {
                // The name is reserved before the copy is translated, so a cycle ends.
                match self.schema(target, depth + 1) {
                    Ok(copy) => self.components.store(&ours, copy),
                    Err(error) => {
                        self.components.forget(&name);
                        return Err(error);
                    }
                }
                ours
            }
        };
        Ok(format!("#/components/schemas/{}", escape(&ours)))
    }

    /// A parameter of the release, facts only: a reference to our parameter
    /// component that states the same facts, else the parameter itself.
    pub fn parameter(&mut self, parameter: &Value) -> Result<Value> {
        let parameter = deref(self.theirs, parameter).clone();
        let facts = parameter_facts(self.theirs, &parameter);
        if let Some((name, _)) = self.our_parameters.iter().find(|(_, ours)| **ours == facts) {
            return Ok(json!({ "$ref": format!("#/components/parameters/{}", escape(name)) }));
        }
        let mut out = Map::new();
        for key in [
            "name",
            "in",
            "required",
            "style",
            "explode",
            "deprecated",
            "allowEmptyValue",
        ] {
            if let Some(value) = parameter.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        if let Some(schema) = parameter.get("schema") {
            out.insert("schema".into(), self.schema(schema, 0)?);
        }
        Ok(Value::Object(out))
    }

    /// A response of the release, facts only, with a description of ours.
    pub fn response(&mut self, status: &str, response: &Value) -> Result<Value> {
        let response = deref(self.theirs, response).clone();
        let mut out = Map::new();
        out.insert(
            "description".into(),
            json!(format!("Documented status {status}. {}", self.note)),
        );
        if let Some(content) = response.get("content") {
            out.insert("content".into(), self.content(content)?);
        }
        Ok(Value::Object(out))
    }

    /// A request body of the release, facts only.
    pub fn request_body(&mut self, body: &Value) -> Result<Value> {
        let body = deref(self.theirs, body).clone();
        let mut out = Map::new();
        if let Some(required) = body.get("required") {
            out.insert("required".into(), required.clone());
        }
        if let Some(content) = body.get("content") {
            out.insert("content".into(), self.content(content)?);
        }
        Ok(Value::Object(out))
    }

    /// A `content` map: media types with their schemas.
    pub fn content(&mut self, content: &Value) -> Result<Value> {
        let mut out = Map::new();
        for (media, entry) in content.as_object().into_iter().flatten() {
            let mut translated = Map::new();
            if let Some(schema) = entry.get("schema") {
                translated.insert("schema".into(), self.schema(schema, 0)?);
            }
            out.insert(media.clone(), Value::Object(translated));
        }
        Ok(Value::Object(out))
    }

    /// An operation of the release, facts only: its id, parameters, request
    /// body and responses; summary and description are ours.
    pub fn operation(&mut self, operation: &Value) -> Result<Value> {
        let mut out = Map::new();
        let id = operation.get("operationId").and_then(Value::as_str).unwrap_or_default();
        out.insert("operationId".into(), json!(id));
        out.insert("summary".into(), json!(sentence(id)));
        out.insert("description".into(), json!(self.note));
        for key in ["deprecated", "security"] {
            if let Some(value) = operation.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        if let Some(parameters) = operation.get("parameters").and_then(Value::as_array) {
            let parameters: Vec<Value> = parameters.iter().map(|p| self.parameter(p)).collect::<Result<_>>()?;
            out.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = operation.get("requestBody") {
            out.insert("requestBody".into(), self.request_body(body)?);
        }
        let mut responses = Map::new();
        for (status, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            responses.insert(status.clone(), self.response(status, response)?);
        }
        out.insert("responses".into(), Value::Object(responses));
        Ok(Value::Object(out))
    }
}

/// What a parameter states, for telling whether two parameters are the same.
fn parameter_facts(doc: &Value, parameter: &Value) -> Value {
    let parameter = deref(doc, parameter);
    let schema = parameter
        .get("schema")
        .map(|s| deref(doc, s))
        .cloned()
        .unwrap_or_default();
    let items = schema.get("items").map(|i| deref(doc, i)).cloned().unwrap_or_default();
    json!({
        "name": parameter.get("name"),
        "in": parameter.get("in"),
        "required": parameter.get("required").and_then(Value::as_bool).unwrap_or(false),
        "style": parameter.get("style"),
        "explode": parameter.get("explode"),
        "type": schema.get("type"),
        "enum": schema.get("enum"),
        "items": [items.get("type"), items.get("enum")],
    })
}

/// `getCartNotes` reads `Get cart notes`.
fn sentence(id: &str) -> String {
    let words = heck::AsSnakeCase(id).to_string().replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Added operation".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_merge::facts::extract;

    fn spec(component: &str, extra: Value) -> Value {
        let mut components = json!({
            component: {"type": "object", "description": "Upstream prose.", "properties": {
                "id": {"type": "string", "example": "abc"}
            }}
        });
        if let Some(map) = extra.as_object() {
            for (k, v) in map {
                components[k] = v.clone();
            }
        }
        json!({
            "paths": {"/carts/{id}": {"get": {"operationId": "getCart", "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{component}")}}}
            }}}}},
            "components": {"schemas": components}
        })
    }

    #[test]
    fn references_follow_our_names_and_prose_is_ours() {
        let theirs = spec(
            "Cart_Full",
            json!({"Note": {"type": "object", "title": "Note", "properties": {"text": {"type": "string"}}}}),
        );
        let ours = spec("Cart", json!({}));
        let mut translator = Translator::new(&theirs, &extract(&theirs), &ours, &extract(&ours), "Added.".into());
        assert_eq!(translator.our_name("Cart_Full"), Some("Cart"));
        let schema = translator
            .added_schema(&json!({"type": "array", "description": "Their words.", "items": {"$ref": "#/components/schemas/Cart_Full"}}))
            .unwrap();
        assert_eq!(
            schema,
            json!({"type": "array", "description": "Added.", "items": {"$ref": "#/components/schemas/Cart"}})
        );
        let note = translator
            .schema(&json!({"$ref": "#/components/schemas/Note"}), 0)
            .unwrap();
        assert_eq!(note, json!({"$ref": "#/components/schemas/Note"}));
        // The carried copy keeps facts only; its description is written with it.
        assert_eq!(
            translator.components.missing_in(&json!({"schema": note})),
            [(
                "Note".to_string(),
                json!({"type": "object", "properties": {"text": {"type": "string"}}})
            )]
        );
    }

    #[test]
    fn operations_keep_facts_and_get_our_summary() {
        let theirs = spec("Cart_Full", json!({}));
        let ours = spec("Cart", json!({}));
        let mut translator = Translator::new(&theirs, &extract(&theirs), &ours, &extract(&ours), "Added.".into());
        let operation = translator
            .operation(&json!({
                "operationId": "getCartNotes", "summary": "Their summary", "tags": ["Notes"],
                "parameters": [{"name": "page", "in": "query", "description": "Their words", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "Their OK", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Cart_Full"}, "example": {"id": "x"}
                }}}}
            }))
            .unwrap();
        assert_eq!(
            operation,
            json!({
                "operationId": "getCartNotes", "summary": "Get cart notes", "description": "Added.",
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "Documented status 200. Added.", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Cart"}
                }}}}
            })
        );
    }
}
