//! Editing our YAML spec in place, addressed by JSON pointer, with
//! `yaml-edit`: everything not edited (comments beside every `x-deviation`,
//! blank lines, quoting, key order) stays byte for byte.

use std::str::FromStr;

use anyhow::{Result, anyhow, bail};
use carts_openapi::unescape;
use serde_json::Value;
use yaml_edit::{AsYaml, Document, Mapping, Sequence, YamlNode};

/// A YAML document being edited.
pub struct YamlDocument {
    document: Document,
}

impl YamlDocument {
    /// Parses `text`, which must be one YAML document.
    pub fn parse(text: &str) -> Result<Self> {
        let document = Document::from_str(text).map_err(|e| anyhow!("the spec is not YAML the editor reads: {e}"))?;
        Ok(Self { document })
    }

    /// The document as text.
    pub fn text(&self) -> String {
        self.document.to_string()
    }

    fn node(&self, pointer: &str) -> Result<YamlNode> {
        let root = self
            .document
            .as_mapping()
            .ok_or_else(|| anyhow!("the spec's top level is not a mapping"))?;
        let mut node = YamlNode::Mapping(root);
        for token in pointer.split('/').skip(1) {
            let token = unescape(token);
            let next = match &node {
                YamlNode::Mapping(mapping) => mapping.get(token.as_str()),
                YamlNode::Sequence(sequence) => token.parse().ok().and_then(|index: usize| sequence.get(index)),
                _ => None,
            };
            node = next.ok_or_else(|| anyhow!("{pointer}: no {token:?} in the spec"))?;
        }
        Ok(node)
    }

    fn mapping(&self, pointer: &str) -> Result<Mapping> {
        match self.node(pointer)? {
            YamlNode::Mapping(mapping) => Ok(mapping),
            _ => bail!("{pointer}: not a mapping"),
        }
    }

    fn sequence(&self, pointer: &str) -> Result<Sequence> {
        match self.node(pointer)? {
            YamlNode::Sequence(sequence) => Ok(sequence),
            _ => bail!("{pointer}: not a list"),
        }
    }

    /// Sets `key` of the mapping at `pointer` to `value`, replacing what was
    /// there. An empty `{}` mapping is replaced by a block mapping, so
    /// additions read like the rest of the document.
    pub fn set(&self, pointer: &str, key: &str, value: &Value) -> Result<()> {
        let mapping = self.mapping(pointer)?;
        if mapping.is_flow_style() && mapping.is_empty() {
            let (parent, last) = split(pointer)?;
            let mut replacement = serde_json::Map::new();
            replacement.insert(key.to_string(), value.clone());
            return self.set(parent, &last, &Value::Object(replacement));
        }
        with_node(value, |node| mapping.set(key, node))
    }

    /// Removes `key` from the mapping at `pointer`.
    pub fn remove(&self, pointer: &str, key: &str) -> Result<()> {
        self.mapping(pointer)?
            .remove(key)
            .map(|_| ())
            .ok_or_else(|| anyhow!("{pointer}: no key {key:?} to remove"))
    }

    /// Appends `value` to the list at `pointer`; creates the list as `key`
    /// of the mapping at `pointer`'s parent when it is missing.
    pub fn push(&self, pointer: &str, value: &Value) -> Result<()> {
        match self.node(pointer) {
            Ok(YamlNode::Sequence(sequence)) if sequence.is_empty() => {
                let (parent, last) = split(pointer)?;
                self.set(parent, &last, &Value::Array(vec![value.clone()]))
            }
            Ok(YamlNode::Sequence(sequence)) => with_node(value, |node| sequence.push(node)),
            Ok(_) => bail!("{pointer}: not a list"),
            Err(_) => {
                let (parent, last) = split(pointer)?;
                self.set(parent, &last, &Value::Array(vec![value.clone()]))
            }
        }
    }

    /// Removes the item of the list at `pointer` equal to `value`; removes
    /// the list itself (from its mapping) when it becomes empty.
    pub fn remove_item(&self, pointer: &str, value: &Value) -> Result<()> {
        let sequence = self.sequence(pointer)?;
        let index = (0..sequence.len())
            .find(|&i| {
                sequence
                    .get(i)
                    .is_some_and(|item| to_json(&item).as_ref() == Some(value))
            })
            .ok_or_else(|| anyhow!("{pointer}: no item {value} to remove"))?;
        if sequence.len() == 1 {
            let (parent, last) = split(pointer)?;
            return self.remove(parent, &last);
        }
        sequence
            .remove(index)
            .map(|_| ())
            .ok_or_else(|| anyhow!("{pointer}: item {index} could not be removed"))
    }

    /// Removes the item at `index` of the list at `pointer`.
    pub fn remove_index(&self, pointer: &str, index: usize) -> Result<()> {
        let sequence = self.sequence(pointer)?;
        if sequence.len() == 1 && index == 0 {
            let (parent, last) = split(pointer)?;
            return self.remove(parent, &last);
        }
        sequence
            .remove(index)
            .map(|_| ())
            .ok_or_else(|| anyhow!("{pointer}: no item {index} to remove"))
    }
}

/// The parent pointer and the last token, unescaped.
fn split(pointer: &str) -> Result<(&str, String)> {
    pointer
        .rsplit_once('/')
        .map(|(parent, last)| (parent, unescape(last)))
        .ok_or_else(|| anyhow!("{pointer:?} has no parent"))
}

/// Calls `f` with `value` as a YAML node: scalars as they are, mappings and
/// lists written as block YAML first.
fn with_node(value: &Value, f: impl FnOnce(&dyn AsYaml)) -> Result<()> {
    match value {
        Value::String(text) => f(&text.as_str()),
        Value::Bool(flag) => f(flag),
        Value::Number(number) if number.is_i64() => f(&number.as_i64().unwrap_or_default()),
        Value::Number(number) => f(&number.as_f64().unwrap_or_default()),
        Value::Null => f(&Option::<String>::None),
        Value::Object(_) | Value::Array(_) => {
            let text = block_yaml(value);
            let parsed =
                Document::from_str(&text).map_err(|e| anyhow!("internal: written YAML does not parse: {e}"))?;
            match (parsed.as_mapping(), parsed.as_sequence()) {
                (Some(mapping), _) => f(&mapping),
                (None, Some(sequence)) => f(&sequence),
                (None, None) => bail!("internal: {value} did not become a YAML collection"),
            }
        }
    }
    Ok(())
}

/// The order keys are written in, the way our spec writes them: what a thing
/// is first (its id, name, type), then its prose, then its details, then
/// what it contains. Other keys follow in alphabetical order.
const KEY_ORDER: &[&str] = &[
    "operationId",
    "tags",
    "summary",
    "name",
    "in",
    "type",
    "format",
    "description",
    "required",
    "nullable",
    "style",
    "explode",
    "deprecated",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "items",
    "properties",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "parameters",
    "requestBody",
    "content",
    "schema",
    "responses",
    "security",
];

/// `value` as block YAML in our spec's style: keys in [`KEY_ORDER`], list
/// items indented under their key, scalars quoted as a YAML writer quotes them.
pub fn block_yaml(value: &Value) -> String {
    let mut out = String::new();
    write_block(value, 0, &mut out);
    out
}

fn write_block(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| {
                (
                    KEY_ORDER.iter().position(|o| o == k).unwrap_or(KEY_ORDER.len()),
                    k.as_str(),
                )
            });
            for key in keys {
                out.push_str(&format!("{pad}{}:", scalar(&Value::String(key.clone()))));
                write_value(&map[key.as_str()], indent, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                let mut nested = String::new();
                write_block(item, indent + 4, &mut nested);
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // The first line of the item shares the dash.
                        out.push_str(&format!("{pad}  - {}", &nested[indent + 4..]));
                    }
                    Value::Array(list) if !list.is_empty() => {
                        out.push_str(&format!("{pad}  -\n{nested}"));
                    }
                    other => out.push_str(&format!("{pad}  - {}\n", scalar(other))),
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

/// The rest of a `key:` line: the scalar, or a newline and the nested block.
fn write_value(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) if map.is_empty() => out.push_str(" {}\n"),
        Value::Array(items) if items.is_empty() => out.push_str(" []\n"),
        Value::Object(_) => {
            out.push('\n');
            write_block(value, indent + 2, out);
        }
        Value::Array(_) => {
            out.push('\n');
            write_block(value, indent, out);
        }
        other => out.push_str(&format!(" {}\n", scalar(other))),
    }
}

/// A scalar as a YAML writer spells it (quoted where it would read
/// otherwise), also quoting the words YAML 1.1 readers take for booleans.
fn scalar(value: &Value) -> String {
    if let Value::String(text) = value
        && ["y", "n", "yes", "no", "on", "off"].contains(&text.to_ascii_lowercase().as_str())
    {
        return format!("'{text}'");
    }
    serde_yaml_ng::to_string(value)
        .map(|text| text.trim_end().to_string())
        .unwrap_or_else(|_| value.to_string())
}

/// A scalar node as JSON, the way a YAML parser reads it.
fn to_json(node: &YamlNode) -> Option<Value> {
    carts_openapi::from_yaml(node.to_string().as_bytes()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TEXT: &str = "\
# The spec.
paths:
  /carts/{id}:
    get:
      # Why this is so.
      x-deviation: because
      responses:
        '200':
          description: ok
components:
  schemas:
    Kind:
      type: string
      enum:
        - '0'
        - '1'
    Empty: {}
";

    fn parsed(document: &YamlDocument) -> Value {
        carts_openapi::parse(document.text().as_bytes()).unwrap().doc
    }

    #[test]
    fn edits_land_where_pointed_and_the_rest_stays() {
        let document = YamlDocument::parse(TEXT).unwrap();
        assert_eq!(document.text(), TEXT, "parsing alone changes nothing");
        document
            .set(
                "/paths/~1carts~1{id}/get/responses",
                "404",
                &json!({"description": "missing"}),
            )
            .unwrap();
        document.push("/components/schemas/Kind/enum", &json!("2")).unwrap();
        document
            .remove_item("/components/schemas/Kind/enum", &json!("0"))
            .unwrap();
        document
            .set("/components/schemas/Empty", "type", &json!("object"))
            .unwrap();
        document
            .set("/paths/~1carts~1{id}/get", "operationId", &json!("getCart"))
            .unwrap();
        let value = parsed(&document);
        assert_eq!(
            value["paths"]["/carts/{id}"]["get"]["responses"]["404"],
            json!({"description": "missing"})
        );
        assert_eq!(value["components"]["schemas"]["Kind"]["enum"], json!(["1", "2"]));
        assert_eq!(value["components"]["schemas"]["Empty"], json!({"type": "object"}));
        assert_eq!(value["paths"]["/carts/{id}"]["get"]["operationId"], "getCart");
        let text = document.text();
        assert!(
            text.contains("# The spec.\n") && text.contains("      # Why this is so.\n"),
            "{text}"
        );
        assert!(
            text.contains("    Empty:\n      type: object\n"),
            "an empty flow mapping became a block: {text}"
        );
    }

    #[test]
    fn added_blocks_read_like_our_spec() {
        let value = json!({
            "responses": {"200": {"description": "ok", "content": {}}},
            "parameters": [{"schema": {"type": "string"}, "name": "id", "in": "path"}, "plain"],
            "operationId": "getNote",
            "summary": "yes"
        });
        let text = block_yaml(&value);
        assert_eq!(
            text,
            "operationId: getNote\nsummary: 'yes'\nparameters:\n  - name: id\n    in: path\n    schema:\n      type: string\n  - plain\nresponses:\n  '200':\n    description: ok\n    content: {}\n"
        );
        let back = carts_openapi::parse(text.as_bytes()).unwrap().doc;
        assert_eq!(back, value);
    }

    #[test]
    fn removing_the_last_item_removes_the_list_and_missing_places_are_named() {
        let document = YamlDocument::parse(TEXT).unwrap();
        document
            .push("/components/schemas/Empty/required", &json!("id"))
            .unwrap();
        assert_eq!(
            parsed(&document)["components"]["schemas"]["Empty"]["required"],
            json!(["id"])
        );
        document
            .remove_item("/components/schemas/Empty/required", &json!("id"))
            .unwrap();
        assert!(
            parsed(&document)["components"]["schemas"]["Empty"]
                .get("required")
                .is_none()
        );
        let error = document
            .remove("/components/schemas/Nope", "type")
            .unwrap_err()
            .to_string();
        assert!(error.contains("/components/schemas/Nope: no \"Nope\""), "{error}");
    }
}
