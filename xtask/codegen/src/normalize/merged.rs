//! Merging documented responses into one, for the two response rules.

use serde_json::{Map, Value, json};

/// Accumulates the responses being merged into one.
#[derive(Default)]
pub(super) struct Merged {
    pub(super) statuses: Vec<String>,
    pub(super) descriptions: Vec<String>,
    pub(super) bodies: Vec<Value>,
    pub(super) bodiless: bool,
    pub(super) other_content: Option<Map<String, Value>>,
}

impl Merged {
    pub(super) fn add(&mut self, status: &str, response: &Value) {
        self.statuses.push(status.to_string());
        if let Some(d) = response.get("description").and_then(Value::as_str) {
            let d = d.trim();
            if !d.is_empty() && !self.descriptions.iter().any(|seen| seen == d) {
                self.descriptions.push(d.to_string());
            }
        }
        match json_schema(response) {
            Some(schema) => {
                if !self.bodies.contains(&schema) {
                    self.bodies.push(schema);
                }
            }
            None => match response.get("content").and_then(Value::as_object) {
                Some(content) if !content.is_empty() => self.other_content = Some(content.clone()),
                _ => self.bodiless = true,
            },
        }
    }

    pub(super) fn description(&self, what: &str) -> String {
        let statuses = self.statuses.join(", ");
        match self.descriptions.as_slice() {
            [] => format!("Documented {what} statuses: {statuses}."),
            [one] => format!("{one}\n\nDocumented {what} statuses: {statuses}."),
            many => format!("{}\n\nDocumented {what} statuses: {statuses}.", many.join("\n\n")),
        }
    }

    pub(super) fn success_schema(&self) -> Option<Value> {
        let schema = match self.bodies.len() {
            0 => return None,
            1 => self.bodies[0].clone(),
            _ => json!({ "oneOf": self.bodies }),
        };
        Some(if self.bodiless {
            json!({ "nullable": true, "allOf": [schema] })
        } else {
            schema
        })
    }
}

/// The schema of a response's JSON body, if it has one.
pub(super) fn json_schema(response: &Value) -> Option<Value> {
    let content = response.get("content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| *media == "application/json" || media.starts_with("application/json;"))
        .and_then(|(_, media)| media.get("schema").cloned())
}
