//! Synthetic "next releases" made from the published carts.v3 that our spec
//! follows (`spec/upstream/carts.v3.yml`), each vendored into a temporary
//! copy of the workspace: our spec must gain the fact, keep every deviation
//! and comment, and (in one case) the SDK and the contract tests must build.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use super::facts::{Facts, extract};
use super::{Kind, Report, Request, vendor};
use crate::generate::project_root;

/// A copy of the workspace without build output or history.
fn workspace() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&project_root(), copy.path());
    copy
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if [".git", "target", "node_modules"].iter().any(|skip| name == *skip) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// The release our spec follows, as a JSON tree.
fn published() -> Value {
    carts_openapi::load(&followed()).unwrap().doc
}

/// Writes `doc` as a release file in `dir`.
fn release_file(dir: &Path, doc: &Value) -> PathBuf {
    let path = dir.join("next-release.yml");
    std::fs::write(&path, serde_yaml_ng::to_string(doc).unwrap()).unwrap();
    path
}

/// Vendors a release made by `change` from the published one into `ws`.
fn vendor_change(ws: &Path, change: impl FnOnce(&mut Value)) -> Report {
    let mut doc = published();
    change(&mut doc);
    let file = release_file(ws, &doc);
    vendor_release(ws, &file)
}

/// Vendors the release in `file` as carts.v3 into the workspace `ws`.
fn vendor_release(ws: &Path, file: &Path) -> Report {
    vendor(
        ws,
        &Request {
            file,
            name: "carts.v3",
            today: "2026-12-01",
            dry_run: false,
        },
    )
    .unwrap()
}

/// The release our spec follows, as kept in spec/upstream/.
fn followed() -> PathBuf {
    project_root().join("spec/upstream/carts.v3.yml")
}

fn ours(ws: &Path) -> String {
    std::fs::read_to_string(ws.join("spec/carts.v3.yaml")).unwrap()
}

/// A spec as the tools read it (a key given twice is an error).
fn parsed(text: &str) -> Value {
    carts_openapi::parse(text.as_bytes()).unwrap().doc
}

fn facts(text: &str) -> Facts {
    extract(&parsed(text))
}

/// The value of the fact whose key prints as `key`.
fn value(facts: &Facts, key: &str) -> Option<Value> {
    facts
        .iter()
        .find(|(k, _)| k.to_string() == key)
        .map(|(_, f)| f.value.clone())
}

/// Every comment and every `x-deviation` of the spec before is still there, in order.
fn assert_kept(before: &str, after: &str) {
    let comments = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|l| l.starts_with('#') || l.starts_with("x-deviation:"))
            .map(str::to_string)
            .collect()
    };
    let (old, new) = (comments(before), comments(after));
    let mut remaining = new.iter();
    for line in &old {
        assert!(remaining.any(|l| l == line), "lost or moved: {line}");
    }
    assert_eq!(
        old.iter().filter(|l| l.starts_with("x-deviation")).count(),
        new.iter().filter(|l| l.starts_with("x-deviation")).count(),
        "every deviation survives"
    );
}

const CART: &str = "GET /carts/{} response 200 application/json";

#[test]
fn vendoring_the_release_we_follow_changes_nothing() {
    let ws = workspace();
    let before = ours(ws.path());
    let report = vendor_release(ws.path(), &followed());
    assert_eq!(report.kind, Kind::Unchanged);
    assert!(report.files.is_empty(), "{:?}", report.files);
    assert!(ours(ws.path()) == before, "our spec changed: {report}");
    // The same facts in other bytes (a reformatted release) change nothing in our spec either.
    let report = vendor_change(ws.path(), |_| {});
    assert_eq!(report.kind, Kind::Merged);
    assert_eq!((report.upstream_changes, report.conflicts.len()), (0, 0));
    assert!(ours(ws.path()) == before, "our spec changed: {report}");
    assert!(
        report
            .files
            .iter()
            .all(|f| f.starts_with("spec/upstream/") || f == "spec/vendor.lock"),
        "{:?}",
        report.files
    );
}

#[test]
fn a_description_only_edit_changes_nothing_of_ours() {
    let ws = workspace();
    let before = ours(ws.path());
    let report = vendor_change(ws.path(), |doc| {
        doc["paths"]["/carts/{cartId}"]["get"]["description"] = json!("Completely new prose.");
        doc["components"]["schemas"]["Cart_Full"]["properties"]["email"]["description"] = json!("New words.");
    });
    assert_eq!(report.upstream_changes, 0);
    assert!(ours(ws.path()) == before, "our spec changed: {report}");
}

#[test]
fn added_response_fields_reach_our_shared_cart_with_our_words() {
    let ws = workspace();
    let before = ours(ws.path());
    let report = vendor_change(ws.path(), |doc| {
        let cart = &mut doc["components"]["schemas"]["Cart_Full"]["properties"];
        cart["gift_wrapping_total"] = json!({"type": "number", "description": "Upstream prose.", "example": 4.5});
        cart["notes"] = json!({"type": "array", "items": {"$ref": "#/components/schemas/CartNote"}});
        doc["components"]["schemas"]["CartNote"] =
            json!({"type": "object", "title": "Cart Note", "properties": {"text": {"type": "string"}}});
    });
    assert!(report.conflicts.is_empty(), "{report}");
    let after = ours(ws.path());
    assert_kept(&before, &after);
    let facts = facts(&after);
    for op in [
        CART,
        "POST /carts response 201 application/json",
        "PUT /carts/{} response 201 application/json",
    ] {
        assert_eq!(
            value(&facts, &format!("{op} field data.gift_wrapping_total type")),
            Some(json!(["number"]))
        );
        assert_eq!(
            value(&facts, &format!("{op} field data.notes[].text type")),
            Some(json!(["string"]))
        );
    }
    let doc = parsed(&after);
    let field = &doc["components"]["schemas"]["Cart"]["properties"]["gift_wrapping_total"];
    assert_eq!(field["type"], "number");
    assert!(
        field["description"]
            .as_str()
            .unwrap()
            .starts_with("Added by `cargo xtask vendor`")
    );
    assert!(field.get("example").is_none(), "examples are not copied");
    assert!(
        !after.contains("Upstream prose") && !after.contains("Cart Note"),
        "no upstream sentence"
    );
    assert_eq!(
        doc["components"]["schemas"]["CartNote"]["properties"]["text"]["type"],
        "string"
    );
    let code = std::fs::read_to_string(ws.path().join("sdk/src/generated/carts_v3.rs")).unwrap();
    assert!(code.contains("pub gift_wrapping_total:"), "the SDK was regenerated");
    assert!(
        report
            .caller_diff
            .unwrap()
            .changes
            .iter()
            .any(|c| c.kind == "field.added")
    );
}

/// Adds `value` to the `include` enum of every operation the release
/// documents it on, or only of those `only` names.
fn add_include_value(doc: &mut Value, value: &str, only: Option<&[(&str, &str)]>) -> usize {
    let mut touched = 0;
    for (path, item) in doc["paths"].as_object_mut().unwrap() {
        for (method, operation) in item.as_object_mut().unwrap() {
            if !carts_openapi::METHODS.contains(&method.as_str()) {
                continue;
            }
            if only.is_some_and(|only| !only.contains(&(path.as_str(), method.as_str()))) {
                continue;
            }
            for parameter in operation["parameters"].as_array_mut().into_iter().flatten() {
                if parameter["name"] == "include" {
                    parameter["schema"]["items"]["enum"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!(value));
                    touched += 1;
                }
            }
        }
    }
    touched
}

#[test]
fn an_added_query_parameter_and_enum_value_follow_our_components() {
    let ws = workspace();
    let before = ours(ws.path());
    let report = vendor_change(ws.path(), |doc| {
        assert_eq!(add_include_value(doc, "line_items.custom_items.options", None), 6);
        let get = doc["paths"]["/carts/{cartId}"]["get"]["parameters"]
            .as_array_mut()
            .unwrap();
        get.push(
            json!({"name": "currency_code", "in": "query", "description": "Theirs.", "schema": {"type": "string"}}),
        );
    });
    assert!(report.conflicts.is_empty(), "{report}");
    let after = ours(ws.path());
    assert_kept(&before, &after);
    let facts = facts(&after);
    assert_eq!(
        value(&facts, "GET /carts/{} parameter query:currency_code type"),
        Some(json!(["string"]))
    );
    assert_eq!(
        value(
            &facts,
            "DELETE /carts/{}/items/{} parameter query:include enum \"line_items.custom_items.options\""
        ),
        Some(json!(true))
    );
    let doc = parsed(&after);
    let include = doc["components"]["schemas"]["Include"]["enum"].as_array().unwrap();
    assert!(
        include.contains(&json!("line_items.custom_items.options")),
        "our one Include enum grew"
    );
    assert_eq!(
        report.edits.len(),
        2,
        "one edit for the shared enum, one for the parameter: {:?}",
        report.edits
    );
    // The edit names the parameter by its full pointer, index included.
    let list = "/paths/~1carts~1{cartId}/get/parameters";
    let index = doc
        .pointer(list)
        .and_then(Value::as_array)
        .and_then(|l| l.iter().position(|p| p["name"] == "currency_code"))
        .unwrap();
    assert!(
        report.edits.contains(&format!("add parameter {list}/{index}")),
        "{:?}",
        report.edits
    );
}

#[test]
fn a_change_our_shared_component_would_spread_is_a_conflict() {
    let ws = workspace();
    let before = ours(ws.path());
    // The release adds the value on getCart only; our six operations share one Include.
    let report = vendor_change(ws.path(), |doc| {
        assert_eq!(
            add_include_value(doc, "coupons", Some(&[("/carts/{cartId}", "get")])),
            1
        );
    });
    assert!(ours(ws.path()) == before, "our side is kept: {report}");
    let [conflict] = report.conflicts.as_slice() else {
        panic!("{report}")
    };
    assert_eq!(conflict.fact, "GET /carts/{} parameter query:include enum \"coupons\"");
    assert!(conflict.reason.contains("would also change"), "{}", conflict.reason);
    assert!(
        conflict.reason.contains("POST /carts parameter query:include"),
        "{}",
        conflict.reason
    );
}

#[test]
fn a_removed_field_and_a_renamed_operation_are_applied() {
    let ws = workspace();
    let before = ours(ws.path());
    let report = vendor_change(ws.path(), |doc| {
        let cart = doc["components"]["schemas"]["Cart_Full"]["properties"]
            .as_object_mut()
            .unwrap();
        cart.remove("manual_discount_amount");
        doc["paths"]["/carts/{cartId}"]["get"]["operationId"] = json!("getCartById");
    });
    assert!(report.conflicts.is_empty(), "{report}");
    let after = ours(ws.path());
    assert_kept(&before, &after);
    let facts = facts(&after);
    assert_eq!(
        value(&facts, &format!("{CART} field data.manual_discount_amount")),
        None
    );
    assert_eq!(value(&facts, "GET /carts/{} operationId"), Some(json!("getCartById")));
    let changes = report.caller_diff.unwrap().changes;
    assert!(changes.iter().any(|c| c.kind == "operation.renamed"), "{changes:?}");
    assert!(changes.iter().any(|c| c.kind == "field.removed"), "{changes:?}");
    assert!(
        report
            .misfits
            .iter()
            .any(|m| m.cassette.starts_with("carts.v3/getCart--")),
        "the getCart cassettes are named for the new id: {:?}",
        report.misfits
    );
}

#[test]
fn a_retype_where_we_deviate_is_a_conflict_and_our_side_is_kept() {
    let ws = workspace();
    let before = ours(ws.path());
    let report = vendor_change(ws.path(), |doc| {
        let item = &mut doc["components"]["schemas"]["ItemPhysicalGet"]["allOf"][0]["properties"]["parent_id"];
        assert_eq!(item["type"], "string", "the published parent_id is a string");
        item["type"] = json!("number");
    });
    let after = ours(ws.path());
    assert!(after == before, "our side is kept: {report}");
    assert!(!report.conflicts.is_empty(), "{report}");
    let conflict = report
        .conflicts
        .iter()
        .find(|c| c.fact.ends_with("parent_id type"))
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(
        (conflict.base.clone(), conflict.theirs.clone()),
        (json!(["string"]), json!(["number"]))
    );
    assert_eq!(
        conflict.ours,
        json!(["integer", "string"]),
        "ours: a number or a numeric string"
    );
    assert!(conflict.pointer.starts_with("/components/schemas/"), "{conflict:?}");
    let lock = std::fs::read_to_string(ws.path().join("spec/vendor.lock")).unwrap();
    assert!(lock.contains("parent_id type"), "the lock keeps the conflict: {lock}");
}

#[test]
fn a_dry_run_writes_nothing_and_a_broken_release_changes_nothing() {
    let ws = workspace();
    let snapshot = |ws: &Path| {
        [
            "spec/carts.v3.yaml",
            "spec/vendor.lock",
            "spec/upstream/carts.v3.yml",
            "sdk/src/generated/carts_v3.rs",
        ]
        .map(|f| std::fs::read(ws.join(f)).unwrap())
    };
    let before = snapshot(ws.path());
    let mut doc = published();
    doc["components"]["schemas"]["Cart_Full"]["properties"]["gift_note"] = json!({"type": "boolean"});
    let file = release_file(ws.path(), &doc);
    let request = Request {
        file: &file,
        name: "carts.v3",
        today: "2026-12-01",
        dry_run: true,
    };
    let report = vendor(ws.path(), &request).unwrap();
    assert!(
        !report.files.is_empty()
            && report
                .taken
                .iter()
                .any(|k| k.to_string().ends_with("field data.gift_note"))
    );
    assert!(before == snapshot(ws.path()), "a dry run writes nothing");
    // A release whose merge cannot be generated (an operation progenitor cannot take) writes nothing.
    doc["paths"]["/carts/{cartId}/cookie"] = json!({"get": {
        "operationId": "withCookie",
        "parameters": [{"name": "session", "in": "cookie", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok"}}
    }});
    let file = release_file(ws.path(), &doc);
    let error = vendor(
        ws.path(),
        &Request {
            dry_run: false,
            file: &file,
            ..request
        },
    )
    .unwrap_err();
    assert!(format!("{error:#}").contains("nothing was changed"), "{error:#}");
    assert!(before == snapshot(ws.path()), "a failed vendor writes nothing");
}

/// The one case that builds: an added operation (with a new component) and
/// an added field reach the SDK and the contract tests, which compile.
#[test]
fn an_additive_release_builds_the_sdk_and_the_contract_tests() {
    let ws = workspace();
    let before = ours(ws.path());
    let report = vendor_change(ws.path(), |doc| {
        doc["paths"]["/carts/{cartId}/notes"] = json!({"get": {
            "operationId": "getCartNotes",
            "summary": "Upstream summary.",
            "parameters": [{"$ref": "#/components/parameters/cartId"}],
            "responses": {
                "200": {"description": "Upstream OK.", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/CartNote"}}}
                }}}},
                "404": {"description": "Not found.", "content": {"application/json": {"schema":
                    {"$ref": "#/components/schemas/NotFound"}}}}
            }
        }});
        doc["components"]["schemas"]["CartNote"] =
            json!({"type": "object", "properties": {"id": {"type": "integer"}, "text": {"type": "string"}}});
        doc["components"]["schemas"]["Cart_Full"]["properties"]["gift_wrapping_total"] = json!({"type": "number"});
    });
    assert!(report.conflicts.is_empty(), "{report}");
    let after = ours(ws.path());
    assert_kept(&before, &after);
    let facts = facts(&after);
    assert_eq!(
        value(&facts, "GET /carts/{}/notes operationId"),
        Some(json!("getCartNotes"))
    );
    let dispatch = std::fs::read_to_string(ws.path().join("contract-tests/checks/src/generated/dispatch.rs")).unwrap();
    assert!(dispatch.contains(".get_cart_notes()"), "the contract tests call it");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut check = Command::new(cargo);
    // The check shares the workspace's target directory, so it must not hand on the manifest
    // and package variables cargo test gave this process: a build script that watches them
    // (ring's) would record them, and the next plain build would run it and recompile
    // everything above it.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_MANIFEST_") || name.starts_with("CARGO_PKG_") {
            check.env_remove(name.as_ref());
        }
    }
    // The copy's own crates are built once and thrown away: no incremental state, and no lints
    // (a clippy wrapper the run has set lints our crates where they live).
    check
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env("CARGO_INCREMENTAL", "0");
    let status = check
        .current_dir(ws.path())
        .env("CARGO_TARGET_DIR", project_root().join("target"))
        // A build of every library, with the features of the whole workspace: what
        // `cargo test --workspace` compiled already serves it, and only the copied workspace's
        // own crates compile. A `cargo check` would compile every dependency again, as metadata.
        .args(["build", "--quiet", "--offline", "--workspace", "--lib"])
        .status()
        .unwrap();
    assert!(status.success(), "the vendored workspace builds");
}

/// The release's shared components under the names it gives them.
const RELEASE_META: &str = "metaCollection_open";
const RELEASE_ERROR: &str = "ErrorResponse";

/// A next release that adds `GET /carts/{cartId}/notes`, built the way real
/// new operations are: its answer's `meta` is the release's shared meta
/// component, its error answers the release's shared error body, and its
/// `data` a component that is new in the release (which refers to itself and
/// to another new one).
fn add_cart_notes(doc: &mut Value) {
    let schemas = doc["components"]["schemas"].as_object_mut().unwrap();
    assert!(
        schemas.contains_key(RELEASE_META) && schemas.contains_key(RELEASE_ERROR),
        "the release still has the shared components the fixture uses"
    );
    schemas.insert(
        "CartNote".into(),
        json!({
            "type": "object",
            "description": "Upstream prose about a note.",
            "title": "Cart Note",
            "required": ["id", "text"],
            "properties": {
                "id": {"type": "integer", "example": 7},
                "text": {"type": "string"},
                "created_time": {"type": "string", "format": "date-time"},
                "author": {"$ref": "#/components/schemas/cart_NoteAuthor"},
                "replies": {"type": "array", "items": {"$ref": "#/components/schemas/CartNote"}}
            }
        }),
    );
    schemas.insert(
        "cart_NoteAuthor".into(),
        json!({"type": "object", "properties": {"name": {"type": "string"}, "staff": {"type": "boolean"}}}),
    );
    let error = |what: &str| {
        json!({"description": what, "content": {"application/json": {"schema":
            {"$ref": format!("#/components/schemas/{RELEASE_ERROR}")}}}})
    };
    doc["paths"]["/carts/{cartId}/notes"] = json!({
        "parameters": [
            {"$ref": "#/components/parameters/Accept"},
            {"$ref": "#/components/parameters/cartId"}
        ],
        "get": {
            "operationId": "getCartNotes",
            "summary": "Upstream summary.",
            "description": "Upstream description of notes.",
            "tags": ["Notes"],
            "responses": {
                "200": {"description": "Upstream OK.", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {
                        "data": {"type": "array", "items": {"$ref": "#/components/schemas/CartNote"}},
                        "meta": {"$ref": format!("#/components/schemas/{RELEASE_META}")}
                    }
                }}}},
                "401": error("Upstream unauthorized."),
                "404": error("Upstream not found.")
            }
        }
    });
}

/// Our component a `$ref` at `pointer` of `doc` names.
fn referenced(doc: &Value, pointer: &str) -> String {
    doc.pointer(pointer)
        .and_then(Value::as_str)
        .and_then(carts_openapi::referenced_component)
        .unwrap_or_else(|| panic!("no schema reference at {pointer}"))
}

#[test]
fn an_added_operation_uses_our_components_where_the_facts_match_and_carries_the_rest() {
    let ws = workspace();
    let before = ours(ws.path());
    let report = vendor_change(ws.path(), add_cart_notes);
    assert!(report.conflicts.is_empty(), "{report}");
    assert!(
        report
            .edits
            .contains(&"add operation GET /carts/{cartId}/notes".to_string()),
        "{report}"
    );
    let after = ours(ws.path());
    assert_kept(&before, &after);
    let doc = carts_openapi::parse(after.as_bytes()).unwrap().doc;
    let before_doc = carts_openapi::parse(before.as_bytes()).unwrap().doc;

    // The shared parts refer to the components our spec already has for them, by our names.
    let operation = "/paths/~1carts~1{cartId}~1notes/get";
    let ok = format!("{operation}/responses/200/content/application~1json/schema");
    let our_meta = referenced(&before_doc, "/components/schemas/CartResponse/properties/meta/$ref");
    assert_eq!(referenced(&doc, &format!("{ok}/properties/meta/$ref")), our_meta);
    let our_error = referenced(
        &before_doc,
        "/components/responses/BadRequest/content/application~1json/schema/$ref",
    );
    for status in ["401", "404"] {
        let at = format!("{operation}/responses/{status}/content/application~1json/schema/$ref");
        assert_eq!(referenced(&doc, &at), our_error, "{status}");
    }
    let schemas = |doc: &Value| -> Vec<String> {
        doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert!(
        !schemas(&doc).iter().any(|s| s == RELEASE_META || s == RELEASE_ERROR),
        "no copy of a shared component: {:?}",
        schemas(&doc)
    );

    // The new component comes under a name of ours, with our one line, and brings its own.
    let note_name = referenced(&doc, &format!("{ok}/properties/data/items/$ref")).to_string();
    assert!(!schemas(&before_doc).contains(&note_name), "{note_name} is new");
    let note = &doc["components"]["schemas"][&note_name];
    let description = note["description"].as_str().unwrap();
    assert!(
        description.starts_with("Added by `cargo xtask vendor`") && description.contains("GET /carts/{cartId}/notes"),
        "{description}"
    );
    assert!(!description.contains('\n'), "one line: {description}");
    assert_eq!(note["required"], json!(["id", "text"]));
    assert_eq!(
        referenced(note, "/properties/replies/items/$ref"),
        note_name,
        "the cycle refers to the copy"
    );
    for carried in [&note_name, "CartNoteAuthor"] {
        assert!(
            report
                .edits
                .iter()
                .any(|e| e.starts_with(&format!("add component /components/schemas/{carried} "))),
            "the edit list names {carried}: {:?}",
            report.edits
        );
    }
    let author = referenced(note, "/properties/author/$ref");
    assert_eq!(author, "CartNoteAuthor", "our names are UpperCamelCase");
    assert!(
        doc["components"]["schemas"][author.as_str()]["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("Added by `cargo xtask vendor`")),
        "{:?}",
        doc["components"]["schemas"][author.as_str()]
    );
    for upstream in ["Upstream", "Cart Note"] {
        assert!(!after.contains(upstream), "no upstream words: {upstream}");
    }
    assert!(
        note["properties"]["id"].get("example").is_none() && note.get("title").is_none(),
        "no upstream example or title: {note}"
    );

    // Our spec states the release's facts of the new operation, our deviations aside.
    let facts = facts(&after);
    let notes = "GET /carts/{}/notes response 200 application/json field";
    assert_eq!(
        value(&facts, &format!("{notes} data[].created_time type")),
        Some(json!(["string"]))
    );
    assert_eq!(
        value(&facts, &format!("{notes} data[].text required")),
        Some(json!(true))
    );
    assert_eq!(
        value(&facts, &format!("{notes} data[].author.staff type")),
        Some(json!(["boolean"]))
    );
    assert!(
        report
            .deviating
            .iter()
            .any(|k| k.to_string() == format!("{notes} meta type")),
        "our meta's deviation (an empty list is accepted too) is kept and said: {report}"
    );

    // Generation from the merged spec gives exactly what vendoring wrote.
    let generated = crate::generate::generate_sdk(ws.path(), true, false).unwrap();
    assert!(generated.stale().is_empty(), "{generated}");
    let code = std::fs::read_to_string(ws.path().join("sdk/src/generated/carts_v3.rs")).unwrap();
    assert!(code.contains("pub fn get_cart_notes("), "the SDK has the operation");
    assert!(code.contains(&format!("pub struct {note_name} ")), "and the type");

    // No cassette records the new operation yet: the report says the gate will name it.
    assert_eq!(
        report.uncovered,
        ["carts.v3 getCartNotes (GET /carts/{cartId}/notes)"],
        "{report}"
    );
    assert!(
        report
            .to_string()
            .contains("carts.v3 getCartNotes (GET /carts/{cartId}/notes)"),
        "{report}"
    );
}

#[test]
fn a_shared_component_the_release_changes_in_some_places_only_is_split_and_folded_back() {
    let ws = workspace();
    let before = ours(ws.path());
    let failed = |method: &str| format!("{method} /carts/metafields response 200 application/json field meta.failed");
    // The release drops `failed` from the counts of the batch create and update answers, and keeps
    // it in the batch delete's; our three answers share one component for their counts.
    let report = vendor_change(ws.path(), |doc| {
        let schemas = &mut doc["components"]["schemas"];
        let mut counts = schemas["WriteCollectionPartialSuccessMeta"].clone();
        counts["properties"].as_object_mut().unwrap().remove("failed").unwrap();
        schemas["MetaFieldCollectionResponse_Batch_POST_PUT"]["properties"]["meta"] = counts;
    });
    assert!(report.conflicts.is_empty(), "{report}");
    let after = ours(ws.path());
    assert_kept(&before, &after);
    let facts_after = facts(&after);
    assert_eq!(value(&facts_after, &failed("POST")), None, "{report}");
    assert_eq!(value(&facts_after, &failed("PUT")), None, "{report}");
    assert_eq!(value(&facts_after, &failed("DELETE")), Some(json!(true)), "{report}");
    let schemas = parsed(&after)["components"]["schemas"].clone();
    let copies: Vec<&String> = schemas
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, schema)| schema.get(super::split::SPLIT_FROM) == Some(&json!("WriteCollectionMeta")))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(copies.len(), 1, "one copy of the shared component: {report}");
    assert!(
        schemas["WriteCollectionMeta"]["properties"].get("failed").is_some(),
        "the original keeps the field for the delete answer"
    );
    // The release we follow, vendored again, brings the field back: the copy goes, and our spec
    // is what it was, byte for byte.
    let report = vendor_release(ws.path(), &followed());
    assert_eq!(report.kind, Kind::Merged);
    assert!(report.conflicts.is_empty(), "{report}");
    let back = ours(ws.path());
    assert!(!back.contains(super::split::SPLIT_FROM), "a copy is left: {report}");
    assert!(back == before, "our spec is not what it was: {report}");
}
