//! JSON pointers (RFC 6901) and local `$ref`s.

use serde_json::Value;

/// Escapes one reference token: `~` as `~0`, `/` as `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`].
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Joins a pointer and one more token.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Follows a local `$ref` (`#/components/...`) to the value it names.
/// Returns `None` for remote references or references that lead nowhere.
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// The schema component a pointer is in (`Cart` for
/// `/components/schemas/Cart/properties/id`), if it is in one.
pub fn component_of(pointer: &str) -> Option<&str> {
    pointer.strip_prefix("/components/schemas/")?.split('/').next()
}

/// The schema component a local `$ref` names (`Cart` for `#/components/schemas/Cart`), its
/// token unescaped. `None` for a reference to anything else, a deeper one
/// (`#/components/schemas/Cart/properties/id`) included: that names a part of a component, not
/// a component.
pub fn referenced_component(reference: &str) -> Option<String> {
    let token = reference.strip_prefix("#/components/schemas/")?;
    (!token.contains('/')).then(|| unescape(token))
}

/// How many references in a row [`deref`] follows before it gives up, so a
/// cycle of references ends.
const MAX_CHAIN: usize = 16;

/// The value itself, or what its `$ref` names when it is a reference object
/// (chains followed). A reference that leads nowhere is returned as it is.
pub fn deref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    follow(doc, value, "").0
}

/// Like [`deref()`], and also gives the pointer of the value reached: `pointer`
/// itself when `value` is no reference, else the target of the last `$ref`.
pub fn follow<'a>(doc: &'a Value, mut value: &'a Value, pointer: &str) -> (&'a Value, String) {
    let mut at = pointer.to_string();
    for _ in 0..MAX_CHAIN {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match (reference.strip_prefix('#'), resolve(doc, reference)) {
            (Some(target_pointer), Some(target)) => {
                value = target;
                at = target_pointer.to_string();
            }
            _ => break,
        }
    }
    (value, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_escape_and_unescape() {
        assert_eq!(escape("/carts/{id}~x"), "~1carts~1{id}~0x");
        assert_eq!(unescape(&escape("/a~/b")), "/a~/b");
        assert_eq!(child("/paths", "/carts"), "/paths/~1carts");
    }

    #[test]
    fn a_reference_names_a_whole_component_or_none() {
        assert_eq!(
            referenced_component("#/components/schemas/Cart").as_deref(),
            Some("Cart")
        );
        assert_eq!(
            referenced_component("#/components/schemas/a~1b~0c").as_deref(),
            Some("a/b~c")
        );
        assert_eq!(referenced_component("#/components/schemas/Cart/properties/id"), None);
        assert_eq!(referenced_component("#/components/responses/Cart"), None);
        assert_eq!(referenced_component("other.yaml#/components/schemas/Cart"), None);
    }

    #[test]
    fn references_are_followed_to_their_target() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string"},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}});
        let reference = json!({"$ref": "#/components/schemas/A"});
        let (target, pointer) = follow(&doc, &reference, "/here");
        assert_eq!(target, &json!({"type": "string"}));
        assert_eq!(pointer, "/components/schemas/B");
        let plain = json!({"type": "integer"});
        assert_eq!(follow(&doc, &plain, "/here").1, "/here");
        let dangling = json!({"$ref": "#/components/schemas/Nope"});
        assert_eq!(deref(&doc, &dangling), &dangling);
        let cycle = json!({"$ref": "#/components/schemas/Loop"});
        assert!(deref(&doc, &cycle).get("$ref").is_some(), "a cycle ends");
    }
}
