//! Where a spec puts its server prefix. The carts releases before March
//! 2023 put `/stores/{store_hash}/v3` into every path (`/stores/{store_hash}/v3/carts`,
//! with `store_hash` a path parameter of every operation) and only the host
//! into `servers`; later releases and our specs put the prefix into the
//! server URL (`https://api.bigcommerce.com/stores/{store_hash}/v3`, paths
//! like `/carts`). The requests are the same. [`align`] moves the prefix
//! of one document to where another has it, so that `diff` and `vendor`
//! compare the operations themselves, and name the move once.

use serde_json::{Value, json};

/// The path part of a document's first server URL, without a trailing `/`
/// (`/stores/{store_hash}/v3`; empty for a bare host or no server).
pub fn server_path(doc: &Value) -> String {
    let url = doc
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |at| &rest[at..]),
        None => url,
    };
    path.trim_end_matches('/').to_string()
}

/// Moves the server prefix of `doc` to where `like` has it: when `like`'s
/// server URL goes on past `doc`'s with a prefix that every path of `doc`
/// starts with, the prefix leaves `doc`'s paths for its server URL, and the
/// path parameters it names (`store_hash`) become server variables. Returns
/// the prefix moved, if one was.
pub fn align(doc: &mut Value, like: &Value) -> Option<String> {
    let (ours, theirs) = (server_path(doc), server_path(like));
    let prefix = theirs.strip_prefix(ours.as_str())?.to_string();
    if prefix.is_empty() || !prefix.starts_with('/') {
        return None;
    }
    let paths = doc.get("paths")?.as_object()?;
    let under = |path: &str| {
        path.strip_prefix(prefix.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    };
    if paths.is_empty() || !paths.keys().all(|path| under(path)) {
        return None;
    }
    let variables: Vec<String> = prefix
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_string)
        .collect();
    let components = doc.pointer("/components/parameters").cloned().unwrap_or_default();
    let moved: serde_json::Map<String, Value> = paths
        .iter()
        .map(|(path, item)| {
            let mut item = item.clone();
            drop_parameters(&mut item, &variables, &components);
            (path[prefix.len()..].to_string(), item)
        })
        .collect();
    doc["paths"] = Value::Object(moved);
    let url = doc
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim_end_matches('/')
        .to_string();
    let mut server = doc.pointer("/servers/0").cloned().unwrap_or_else(|| json!({}));
    server["url"] = json!(format!("{url}{prefix}"));
    for name in &variables {
        server["variables"][name] = json!({"default": name});
    }
    match doc.get_mut("servers").and_then(Value::as_array_mut) {
        Some(servers) if !servers.is_empty() => servers[0] = server,
        _ => doc["servers"] = json!([server]),
    }
    Some(prefix)
}

/// Removes the path parameters named `names` from a path item and its
/// operations (`components` resolves references to parameter components):
/// they are part of the server URL now.
fn drop_parameters(item: &mut Value, names: &[String], components: &Value) {
    let is_moved = |parameter: &Value| {
        let parameter = parameter
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/parameters/"))
            .and_then(|name| components.get(carts_openapi::unescape(name)))
            .unwrap_or(parameter);
        parameter.get("in").and_then(Value::as_str) == Some("path")
            && parameter
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|name| names.iter().any(|n| n == name))
    };
    let Some(item) = item.as_object_mut() else { return };
    for (key, value) in item.iter_mut() {
        let list = if key == "parameters" {
            value.as_array_mut()
        } else {
            value.get_mut("parameters").and_then(Value::as_array_mut)
        };
        if let Some(list) = list {
            list.retain(|parameter| !is_moved(parameter));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn old() -> Value {
        json!({
            "servers": [{"url": "https://api.example.com"}],
            "paths": {
                "/stores/{store_hash}/v3/carts/{id}": {
                    "parameters": [{"name": "store_hash", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "get": {"parameters": [
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "store_hash", "in": "path", "required": true, "schema": {"type": "string"}}
                    ]}
                },
                "/stores/{store_hash}/v3/carts": {"post": {}}
            }
        })
    }

    fn new() -> Value {
        json!({
            "servers": [{"url": "https://api.example.com/stores/{store_hash}/v3/"}],
            "paths": {"/carts/{id}": {"get": {}}, "/carts": {"post": {}}}
        })
    }

    #[test]
    fn the_prefix_moves_from_the_paths_into_the_server_with_its_parameters() {
        assert_eq!(server_path(&old()), "");
        assert_eq!(server_path(&new()), "/stores/{store_hash}/v3");
        let mut doc = old();
        assert_eq!(align(&mut doc, &new()).as_deref(), Some("/stores/{store_hash}/v3"));
        let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
        assert_eq!(paths, ["/carts", "/carts/{id}"]);
        assert_eq!(doc["paths"]["/carts/{id}"]["parameters"], json!([]));
        assert_eq!(
            doc["paths"]["/carts/{id}"]["get"]["parameters"],
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
        );
        assert_eq!(
            doc["servers"][0]["url"],
            "https://api.example.com/stores/{store_hash}/v3"
        );
        assert_eq!(server_path(&doc), server_path(&new()));
    }

    #[test]
    fn nothing_moves_when_the_prefixes_already_agree_or_a_path_lacks_the_prefix() {
        let mut same = new();
        assert_eq!(align(&mut same, &new()), None);
        assert_eq!(same, new());
        // The other way round is the other call's business.
        let mut newer = new();
        assert_eq!(align(&mut newer, &old()), None);
        let mut mixed = old();
        mixed["paths"]["/health"] = json!({"get": {}});
        assert_eq!(align(&mut mixed, &new()), None);
        assert_eq!(mixed["paths"].as_object().unwrap().len(), 3);
    }
}
