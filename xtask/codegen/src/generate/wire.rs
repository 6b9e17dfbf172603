//! The wire facts progenitor's output does not carry, as tables for the
//! SDK's request hooks.

use std::collections::BTreeSet;

use carts_openapi::{operations, parameters};
use serde_json::Value;

/// The name progenitor gives an operation's method, which is also the
/// `operation_id` its request hooks see (progenitor's own `sanitize`:
/// quotes dropped, other non-identifier characters as word breaks, snake case).
pub fn method_name(operation_id: &str) -> String {
    use heck::ToSnakeCase;
    let cleaned: String = operation_id
        .replace('\'', "")
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' })
        .collect();
    cleaned.to_snake_case()
}

/// Facts about the wire that progenitor's output does not carry, as tables
/// the SDK's request hooks read (see `sdk/src/hooks.rs`):
/// - array query parameters documented as `style: form, explode: false`,
///   which go on the wire comma-separated where progenitor repeats the key;
/// - operations whose success type was made nullable because one documented
///   success status has no body.
///
/// Returns the Rust source and the operation ids its rows name.
pub fn wire_table(doc: &Value) -> (String, BTreeSet<String>) {
    let mut comma_separated = Vec::new();
    let mut nullable_success = Vec::new();
    let mut named = BTreeSet::new();
    for op in operations(doc) {
        let object = doc.pointer(&op.pointer).cloned().unwrap_or_default();
        let id = method_name(op.id.as_deref().unwrap_or_default());
        for param in parameters(doc, &op.path, &op.method) {
            if param.is_comma_separated() {
                let row = format!("        ({id:?}, {:?}),\n", param.name);
                if !comma_separated.contains(&row) {
                    comma_separated.push(row);
                    named.insert(id.clone());
                }
            }
        }
        let success_schema = object.pointer("/responses/2XX/content/application~1json/schema");
        if success_schema.and_then(|s| s.get("nullable")).and_then(Value::as_bool) == Some(true) {
            nullable_success.push(format!("        {id:?},\n"));
            named.insert(id);
        }
    }
    let text = format!(
        "\n/// Wire facts of the spec that the SDK's request hooks apply.\n\
         pub(crate) mod wire {{\n\
         \x20   /// Array query parameters sent as one comma-separated value (`style: form,\n\
         \x20   /// explode: false`), as (operation id, parameter name).\n\
         \x20   pub const COMMA_SEPARATED_QUERY: &[(&str, &str)] = &[\n{}    ];\n\
         \x20   /// Operations documented to succeed with or without a body; an empty\n\
         \x20   /// success body decodes as `None`.\n\
         \x20   pub const EMPTY_SUCCESS_AS_NULL: &[&str] = &[\n{}    ];\n}}\n",
        comma_separated.concat(),
        nullable_success.concat()
    );
    (text, named)
}
