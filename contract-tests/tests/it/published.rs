//! Every JSON response example of the published specs (`spec/upstream/`),
//! and every real payload in `../shared/reference/payloads/`, decodes into
//! the SDK's types and encodes back with no field lost, or, where the example
//! itself is wrong (the ledger in `spec/README.md` lists those), is refused
//! with an error that names the field. The real payloads come back spelled as
//! they came, but for the one respelling the SDK's README names.

use std::path::PathBuf;

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

/// Where the reference material is: `../shared/reference` beside the workspace.
fn reference() -> PathBuf {
    spec::default_dir().join("../../shared/reference")
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
    let dir = reference().join("payloads/response");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; the reference material is expected beside the workspace",
            dir.display()
        )
    });
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
