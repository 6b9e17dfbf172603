//! Every JSON response example of the published specs (`spec/upstream/`),
//! and every real request and response payload in
//! `contract-tests/fixtures/payloads/`, decodes into the SDK's types and
//! encodes back with no field lost, or, where the example itself is wrong
//! (the ledger in `spec/README.md` lists those), is refused with an error
//! that names the field. The real answers come back spelled as they came,
//! but for the one respelling the SDK's README names; every payload has its
//! provenance.

use std::path::{Path, PathBuf};

use carts_openapi::{deref, operations, template};
use contract_tests::cassette::Api;
use contract_tests::compare;
use contract_tests::round_trip::{Part, round_trip};
use contract_tests::spec::{self, Specs};
use serde_json::Value;

/// Published examples that are wrong, with the field the refusal must name.
const WRONG_EXAMPLES: &[(&str, &str, &str, &str)] = &[
    // The published deleteCartLineItem example sends `parent_id: {}` (ledger: published request
    // examples / deleteCartLineItem 200 body).
    ("carts.v3", "deleteCartLineItem", "200", "parent_id"),
    // Three published storefront examples put the placeholder `string` where a timestamp goes
    // (ledger: published examples with placeholder values).
    ("carts.sf", "createCart", "200", "createdTime"),
    ("carts.sf", "addCartLineItem", "200", "createdTime"),
    ("carts.sf", "updateCartLineItem", "200", "createdTime"),
];

/// The real payloads, kept in this crate with their provenance.
fn payloads() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/payloads")
}

struct Example {
    api: Api,
    operation: String,
    status: String,
    value: Value,
}

fn examples(specs: &Specs) -> Vec<Example> {
    let mut out = Vec::new();
    for api in Api::ALL {
        let path = spec::default_dir().join(format!("upstream/{}.yml", api.stem()));
        let published = carts_openapi::load(&path).expect("the vendored release reads").doc;
        for op in operations(&published) {
            let ours = specs.operations().iter().find(|o| {
                o.api == api && o.method.eq_ignore_ascii_case(&op.method) && template(&o.path) == template(&op.path)
            });
            let Some(ours) = ours else { continue };
            let responses = published.pointer(&format!("{}/responses", op.pointer));
            for (status, response) in responses.and_then(Value::as_object).into_iter().flatten() {
                let response = deref(&published, response);
                let Some(media) = response.pointer("/content/application~1json") else {
                    continue;
                };
                let mut values: Vec<Value> = media.get("example").cloned().into_iter().collect();
                for example in media
                    .get("examples")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(_, e)| e)
                {
                    values.extend(deref(&published, example).get("value").cloned());
                }
                for value in values {
                    out.push(Example {
                        api,
                        operation: ours.id.clone(),
                        status: status.clone(),
                        value,
                    });
                }
            }
        }
    }
    out
}

fn part(status: &str) -> Part {
    if status.starts_with('2') {
        Part::Success
    } else {
        Part::Error
    }
}

#[test]
fn every_published_response_example_decodes_without_loss_or_is_refused_by_field() {
    let specs = Specs::load(&spec::default_dir()).expect("specs load");
    let examples = examples(&specs);
    assert!(examples.len() >= 30, "examples found: {}", examples.len());
    let mut problems = Vec::new();
    let mut refused = 0;
    for example in &examples {
        let label = format!("{} {} {}", example.api, example.operation, example.status);
        let wrong = WRONG_EXAMPLES.iter().find(|(api, op, status, _)| {
            *api == example.api.stem() && *op == example.operation && *status == example.status
        });
        let Some(result) = round_trip(example.api, &example.operation, part(&example.status), &example.value) else {
            problems.push(format!("{label}: the SDK has no type for this body"));
            continue;
        };
        match (result, wrong) {
            (Ok(back), None) => problems.extend(
                compare::differences(&example.value, &back)
                    .into_iter()
                    .map(|m| format!("{label}: {m}")),
            ),
            (Err(error), Some((_, _, _, field))) if error.contains(field) => refused += 1,
            (Err(error), Some(_)) => problems.push(format!("{label}: refused without naming the field: {error}")),
            (Err(error), None) => problems.push(format!("{label}: {error}")),
            (Ok(_), Some(_)) => problems.push(format!("{label}: the ledger calls this example wrong, yet it decodes")),
        }
    }
    assert_eq!(refused, WRONG_EXAMPLES.len(), "each wrong example is refused");
    assert!(
        problems.is_empty(),
        "{} examples:\n{}",
        examples.len(),
        problems.join("\n")
    );
}

#[test]
fn every_real_payload_decodes_without_loss() {
    let dir = payloads().join("response");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut checked = 0;
    let mut problems = Vec::new();
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let payload: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        // Whole answers of the operation the file names; the cart mock is the cart alone.
        let (operation, value) = if name.contains("mock") {
            ("getCart", serde_json::json!({"data": payload, "meta": {}}))
        } else {
            let operation = name.trim_end_matches(".json").rsplit("__").next().unwrap().to_string();
            (
                if operation == "createCart" {
                    "createCart"
                } else {
                    operation.leak()
                },
                payload,
            )
        };
        match round_trip(Api::CartsV3, operation, Part::Success, &value) {
            Some(Ok(back)) => {
                problems.extend(
                    compare::differences(&value, &back)
                        .into_iter()
                        .map(|m| format!("{name}: {m}")),
                );
                let mut respelled = Vec::new();
                respellings("$", &value, &back, &mut respelled);
                problems.extend(respelled.into_iter().map(|m| format!("{name}: {m}")));
            }
            Some(Err(error)) => problems.push(format!("{name}: {error}")),
            None => problems.push(format!("{name}: no SDK type for {operation}")),
        }
        checked += 1;
    }
    assert_eq!(checked, 4, "the four real response payloads");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The rows of `PROVENANCE.tsv`, each as its cells by column name.
fn provenance() -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(payloads().join("PROVENANCE.tsv")).expect("PROVENANCE.tsv reads");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("PROVENANCE.tsv has a header").split('\t').collect();
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                cells.len(),
                header.len(),
                "PROVENANCE.tsv: a row of {} cells: {line}",
                cells.len()
            );
            header
                .iter()
                .zip(cells)
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

/// Every payload says where it came from: a row of `PROVENANCE.tsv` with the source repository,
/// the path and commit of the file it was taken from, and the source project's license; and
/// every row names a payload that is there.
#[test]
fn every_real_payload_has_its_provenance() {
    let dir = payloads();
    let mut present = std::collections::BTreeSet::new();
    for part in ["request", "response"] {
        for entry in std::fs::read_dir(dir.join(part)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            present.insert(format!("{part}/{name}"));
        }
    }
    let mut listed = std::collections::BTreeSet::new();
    let mut problems = Vec::new();
    for row in provenance() {
        let file = &row["file"];
        for column in ["source_repo", "source_path", "license"] {
            if row[column].trim().is_empty() {
                problems.push(format!("{file}: no {column}"));
            }
        }
        let commit = &row["commit"];
        if commit.len() != 40 || !commit.chars().all(|c| c.is_ascii_hexdigit()) {
            problems.push(format!("{file}: the commit {commit:?} is not a full git commit id"));
        }
        if !present.contains(file) {
            problems.push(format!("{file}: listed, but there is no such payload"));
        }
        if !listed.insert(file.clone()) {
            problems.push(format!("{file}: listed twice"));
        }
    }
    problems.extend(
        present
            .difference(&listed)
            .map(|file| format!("{file}: not in PROVENANCE.tsv")),
    );
    assert!(!present.is_empty(), "payloads in {}", dir.display());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every real request body is one the SDK can build: it decodes into the request type of the
/// operation `PROVENANCE.tsv` names and encodes back as it came.
#[test]
fn every_real_request_payload_decodes_without_loss() {
    let mut checked = 0;
    let mut problems = Vec::new();
    for row in provenance() {
        let file = &row["file"];
        if !file.starts_with("request/") {
            continue;
        }
        let operation = &row["operation"];
        let payload: Value = serde_json::from_str(&std::fs::read_to_string(payloads().join(file)).unwrap()).unwrap();
        match round_trip(Api::CartsV3, operation, Part::Request, &payload) {
            Some(Ok(back)) => problems.extend(
                compare::differences(&payload, &back)
                    .into_iter()
                    .map(|m| format!("{file}: {m}")),
            ),
            Some(Err(error)) => problems.push(format!("{file}: {error}")),
            None => problems.push(format!("{file}: no SDK request type for {operation}")),
        }
        checked += 1;
    }
    assert_eq!(checked, 5, "the five real request payloads");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Lists that some answers leave out, which the SDK leaves out when empty.
const OPTIONAL_LISTS: &[&str] = &["options"];

/// Where `back` spells `recorded` differently, beyond what the SDK's README names: an empty list
/// in [`OPTIONAL_LISTS`] left out. Numbers must come back as written (`763` stays an integer),
/// times with their `+00:00`, and `[]` and `null` must stay.
fn respellings(path: &str, recorded: &Value, back: &Value, out: &mut Vec<String>) {
    match (recorded, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, x) in a {
                match b.get(key) {
                    Some(y) => respellings(&format!("{path}.{key}"), x, y, out),
                    None if x == &Value::Array(Vec::new()) && OPTIONAL_LISTS.contains(&key.as_str()) => {}
                    None => out.push(format!("{path}.{key}: {x} left out")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                respellings(&format!("{path}[{index}]"), x, y, out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{path}: {a} came back as {b}")),
    }
}
