//! The comparison: every fact of the published spec looked for in ours, and
//! counted as covered when ours states it the same, or states it otherwise
//! with an `x-deviation` saying why.

use std::collections::BTreeSet;

use serde_json::Value;

use super::deviation;
use super::report::{Finding, FindingKind, Justified, Report};
use crate::spec_merge::facts::{Facts, Kind};
use crate::spec_merge::key::{Attribute, Key, Place};

/// Compares the facts of a published spec with the facts of ours (`ours_doc`, whose
/// `x-deviation`s give the reasons).
pub fn compare(published: &Facts, ours: &Facts, ours_doc: &Value) -> Report {
    let mut report = Report::default();
    let mut missing_bodies = BTreeSet::new();
    for (key, fact) in published {
        let operation = key.operation.to_string();
        let has_operation = ours.contains_key(&key.operation_key());
        match fact.kind {
            Kind::Operation => {
                report.operations.count(has_operation);
                if !has_operation {
                    let id = published
                        .get(&key.with(Attribute::OperationId))
                        .and_then(|f| f.value.as_str())
                        .unwrap_or_default();
                    report
                        .findings
                        .push(finding(FindingKind::MissingOperation, &key.to_string(), id));
                }
            }
            Kind::Parameter => {
                let covered = has_operation && parameter(key, published, ours, ours_doc, &mut report);
                report.parameters.count(covered);
            }
            Kind::Status => {
                let covered = has_operation && ours.contains_key(key);
                if has_operation
                    && !covered
                    && let Place::Response { status, .. } = &key.place
                {
                    report
                        .findings
                        .push(finding(FindingKind::MissingStatus, &operation, status));
                }
                report.statuses.count(covered);
            }
            Kind::Field => {
                let covered = has_operation && field(key, published, ours, ours_doc, &mut missing_bodies, &mut report);
                report.fields.count(covered);
            }
            _ => {}
        }
    }
    report.extra_operations = ours
        .iter()
        .filter(|(key, fact)| fact.kind == Kind::Operation && !published.contains_key(*key))
        .map(|(key, _)| key.to_string())
        .collect();
    report
}

fn finding(kind: FindingKind, place: &str, detail: &str) -> Finding {
    Finding {
        kind,
        place: place.to_string(),
        detail: detail.to_string(),
    }
}

/// Compares a parameter that the published spec has, under `key`; whether ours covers it.
fn parameter(key: &Key, published: &Facts, ours: &Facts, ours_doc: &Value, report: &mut Report) -> bool {
    let operation = key.operation.to_string();
    let name = match &key.place {
        Place::Parameter { location, name } => format!("{location}:{name}"),
        _ => String::new(),
    };
    let Some(our_parameter) = ours.get(key) else {
        report
            .findings
            .push(finding(FindingKind::MissingParameter, &operation, &name));
        return false;
    };
    let mut differences = Vec::new();
    for attribute in [Attribute::Required, Attribute::Style, Attribute::Explode] {
        compare_attribute(key, attribute, published, ours, &mut differences);
    }
    // A type the published spec leaves open is not compared.
    for attribute in [Attribute::Type, Attribute::ItemsType] {
        let stated = published
            .get(&key.with(attribute.clone()))
            .is_some_and(|f| f.value.as_array().is_some_and(|types| !types.is_empty()));
        if stated {
            compare_attribute(key, attribute, published, ours, &mut differences);
        }
    }
    compare_enum(key, published, ours, &mut differences);
    // Only the parameter's own `x-deviation` explains it, not one on its operation.
    let reason = deviation::reason(ours_doc, &our_parameter.at.node);
    judge(
        &format!("{operation}  parameter {name}"),
        differences,
        reason,
        FindingKind::ParameterDiffers,
        report,
    )
}

/// Compares a body field that the published spec has, under `key`; whether ours covers it.
/// A body ours lacks altogether is one finding, however many fields it has.
fn field(
    key: &Key,
    published: &Facts,
    ours: &Facts,
    ours_doc: &Value,
    missing_bodies: &mut BTreeSet<Key>,
    report: &mut Report,
) -> bool {
    let body = key.body();
    let operation = key.operation.to_string();
    let path = key.field.as_ref().map(ToString::to_string).unwrap_or_default();
    let place = format!("{operation}  {}  {path}", key.place);
    if !ours.contains_key(&body) {
        let detail = key.place.to_string();
        if missing_bodies.insert(body) {
            report
                .findings
                .push(finding(FindingKind::MissingBody, &operation, &detail));
        }
        return false;
    }
    let Some(our_field) = ours.get(key) else {
        let types = published
            .get(&key.with(Attribute::Type))
            .map(|f| f.value.to_string())
            .unwrap_or_default();
        report.findings.push(finding(FindingKind::MissingField, &place, &types));
        return false;
    };
    let mut differences = Vec::new();
    let stated_type = published
        .get(&key.with(Attribute::Type))
        .is_some_and(|f| f.value.as_array().is_some_and(|types| !types.is_empty()));
    if stated_type {
        compare_attribute(key, Attribute::Type, published, ours, &mut differences);
    }
    compare_enum(key, published, ours, &mut differences);
    for attribute in [Attribute::Required, Attribute::Nullable] {
        compare_attribute(key, attribute, published, ours, &mut differences);
    }
    let reason = our_field
        .deviates
        .then(|| deviation::reason(ours_doc, &our_field.at.node).unwrap_or_else(|| "no reason found".to_string()));
    judge(&place, differences, reason, FindingKind::FieldDiffers, report)
}

/// Notes how ours states `attribute` of the parameter or field at `key` otherwise.
fn compare_attribute(key: &Key, attribute: Attribute, published: &Facts, ours: &Facts, differences: &mut Vec<String>) {
    let attribute_key = key.with(attribute.clone());
    let value = |facts: &Facts| facts.get(&attribute_key).map(|f| f.value.clone());
    let (theirs, our) = (value(published), value(ours));
    if theirs != our {
        let shown = |value: Option<Value>| value.map_or_else(|| "none".to_string(), |v| v.to_string());
        differences.push(format!("{attribute}: published {}, ours {}", shown(theirs), shown(our)));
    }
}

/// Notes the enum values of the parameter or field at `key` that ours does not list.
fn compare_enum(key: &Key, published: &Facts, ours: &Facts, differences: &mut Vec<String>) {
    let first = key.with(Attribute::Enum(String::new()));
    let missing: Vec<&str> = published
        .range(&first..)
        .take_while(|(k, _)| k.enum_value().is_some() && k.parent().as_ref() == Some(key))
        .filter_map(|(k, _)| k.enum_value().filter(|_| !ours.contains_key(k)))
        .collect();
    if !missing.is_empty() {
        differences.push(format!("enum values missing: {}", missing.join(", ")));
    }
}

/// Counts a place with `differences` as justified when ours gives a reason, as a finding when
/// not; whether it is covered.
fn judge(
    place: &str,
    differences: Vec<String>,
    reason: Option<String>,
    kind: FindingKind,
    report: &mut Report,
) -> bool {
    if differences.is_empty() {
        return true;
    }
    let detail = differences.join("; ");
    match reason {
        Some(reason) => {
            report.justified.push(Justified {
                place: place.to_string(),
                detail,
                reason,
            });
            true
        }
        None => {
            report.findings.push(finding(kind, place, &detail));
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_merge::facts::extract;
    use serde_json::json;

    /// A small published spec: one operation with a path and a query parameter, a request
    /// body and two answers.
    fn published() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/carts/{cartId}": {
                "parameters": [{"name": "cartId", "in": "path", "required": true, "schema": {"type": "string"}}],
                "put": {
                    "operationId": "updateCart",
                    "parameters": [{"name": "include", "in": "query", "explode": false, "schema": {
                        "type": "array", "items": {"type": "string", "enum": ["a", "b"]}
                    }}],
                    "requestBody": {"content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {"customer_id": {"type": "number"}}
                    }}}},
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/Answer"
                        }}}},
                        "404": {"description": "none"}
                    }
                }
            }},
            "components": {"schemas": {
                "Answer": {"type": "object", "properties": {"data": {"$ref": "#/components/schemas/Cart"}}},
                "Cart": {"type": "object", "properties": {
                    "id": {"type": "string"},
                    "parent_id": {"type": "string"},
                    "kind": {"type": "string", "enum": ["x", "y"]}
                }}
            }}
        })
    }

    fn run(published: &Value, ours: &Value) -> Report {
        compare(&extract(published), &extract(ours), ours)
    }

    /// Fields of the published spec: the request's root and `customer_id`; the answer's root,
    /// `data` and its three fields.
    const FIELDS: usize = 7;

    #[test]
    fn a_spec_covers_itself_whatever_its_names_and_words() {
        let mut ours = published();
        let cart = ours["components"]["schemas"]["Cart"].take();
        ours["components"]["schemas"]["OurCart"] = cart;
        ours["components"]["schemas"]["OurCart"]["description"] = json!("Our words.");
        ours["components"]["schemas"]["Answer"]["properties"]["data"]["$ref"] = json!("#/components/schemas/OurCart");
        let report = run(&published(), &ours);
        assert_eq!(report.findings, []);
        assert_eq!(report.justified, []);
        assert_eq!(
            report.summary(),
            format!(
                "operations 1/1, parameters 2/2, statuses 2/2, fields {FIELDS}/{FIELDS} (100.0%), justified deviations 0"
            )
        );
    }

    #[test]
    fn a_missing_operation_counts_everything_it_has_as_missing() {
        let mut ours = published();
        ours["paths"]["/carts/{id}"] = ours["paths"]["/carts/{cartId}"].take();
        ours["paths"].as_object_mut().unwrap().remove("/carts/{cartId}");
        // Another name of the path parameter is the same operation.
        assert_eq!(run(&published(), &ours).findings, []);

        ours["paths"]["/carts/{id}"]["get"] = ours["paths"]["/carts/{id}"]["put"].take();
        ours["paths"]["/carts/{id}"].as_object_mut().unwrap().remove("put");
        let report = run(&published(), &ours);
        assert_eq!(
            report.findings,
            [finding(FindingKind::MissingOperation, "PUT /carts/{}", "updateCart")],
            "one finding for the operation, none for what it holds"
        );
        assert_eq!(report.extra_operations, ["GET /carts/{}"]);
        assert_eq!(
            report.summary(),
            format!("operations 0/1, parameters 0/2, statuses 0/2, fields 0/{FIELDS} (0.0%), justified deviations 0")
        );
        assert!(report.failure(None).is_some());
    }

    #[test]
    fn missing_parameters_statuses_bodies_and_fields_are_named() {
        let mut ours = published();
        let put = &mut ours["paths"]["/carts/{cartId}"]["put"];
        put["parameters"] = json!([]);
        put["responses"].as_object_mut().unwrap().remove("404");
        put["requestBody"]["content"] = json!({"text/plain": {"schema": {"type": "string"}}});
        ours["components"]["schemas"]["Cart"]["properties"]
            .as_object_mut()
            .unwrap()
            .remove("parent_id");
        let report = run(&published(), &ours);
        let found: Vec<(FindingKind, &str, &str)> = report
            .findings
            .iter()
            .map(|f| (f.kind, f.place.as_str(), f.detail.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (FindingKind::MissingParameter, "PUT /carts/{}", "query:include"),
                (FindingKind::MissingBody, "PUT /carts/{}", "request application/json"),
                (
                    FindingKind::MissingField,
                    "PUT /carts/{}  response 200 application/json  data.parent_id",
                    "[\"string\"]"
                ),
                (FindingKind::MissingStatus, "PUT /carts/{}", "404"),
            ]
        );
        // Two request fields and one answer field are missing.
        assert_eq!((report.fields.covered, report.fields.total), (FIELDS - 3, FIELDS));
        assert_eq!(report.parameters.covered, 1);
        assert_eq!(report.statuses.covered, 1);
    }

    #[test]
    fn a_difference_is_a_finding_unless_ours_says_why() {
        let mut ours = published();
        let put = &mut ours["paths"]["/carts/{cartId}"]["put"];
        put["parameters"][0]["explode"] = json!(true);
        put["parameters"][0]["schema"]["items"]["enum"] = json!(["a"]);
        put["requestBody"]["content"]["application/json"]["schema"]["properties"]["customer_id"]["type"] =
            json!("integer");
        let cart = &mut ours["components"]["schemas"]["Cart"];
        cart["required"] = json!(["id"]);
        cart["properties"]["parent_id"]["nullable"] = json!(true);
        cart["properties"]["kind"]["enum"] = json!(["x"]);
        let report = run(&published(), &ours);
        let found: Vec<(FindingKind, &str, &str)> = report
            .findings
            .iter()
            .map(|f| (f.kind, f.place.as_str(), f.detail.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    FindingKind::ParameterDiffers,
                    "PUT /carts/{}  parameter query:include",
                    "explode: published false, ours true; enum values missing: \"b\""
                ),
                (
                    FindingKind::FieldDiffers,
                    "PUT /carts/{}  request application/json  customer_id",
                    "type: published [\"number\"], ours [\"integer\"]"
                ),
                (
                    FindingKind::FieldDiffers,
                    "PUT /carts/{}  response 200 application/json  data.id",
                    "required: published false, ours true"
                ),
                (
                    FindingKind::FieldDiffers,
                    "PUT /carts/{}  response 200 application/json  data.kind",
                    "enum values missing: \"y\""
                ),
                (
                    FindingKind::FieldDiffers,
                    "PUT /carts/{}  response 200 application/json  data.parent_id",
                    "nullable: published false, ours true"
                ),
            ]
        );
        assert_eq!(report.justified, []);
        assert_eq!((report.fields.covered, report.parameters.covered), (FIELDS - 4, 1));

        // The same differences, each explained on the parameter or the field's schema.
        let put = &mut ours["paths"]["/carts/{cartId}"]["put"];
        put["parameters"][0]["x-deviation"] = json!("sent exploded");
        put["requestBody"]["content"]["application/json"]["schema"]["properties"]["customer_id"]["x-deviation"] =
            json!("ids are whole");
        let cart = &mut ours["components"]["schemas"]["Cart"];
        for name in ["id", "parent_id", "kind"] {
            cart["properties"][name]["x-deviation"] = json!(format!("{name}: as real carts send it"));
        }
        let report = run(&published(), &ours);
        assert_eq!(report.findings, []);
        assert_eq!(report.justified.len(), 5);
        assert_eq!(
            report.justified[0],
            Justified {
                place: "PUT /carts/{}  parameter query:include".into(),
                detail: "explode: published false, ours true; enum values missing: \"b\"".into(),
                reason: "sent exploded".into(),
            }
        );
        assert_eq!(report.justified[4].reason, "parent_id: as real carts send it");
        assert_eq!(report.fields.covered, FIELDS);
        assert_eq!(report.failure(Some(100.0)), None);
    }

    #[test]
    fn a_deviation_on_the_operation_does_not_explain_its_parameters() {
        let mut ours = published();
        let put = &mut ours["paths"]["/carts/{cartId}"]["put"];
        put["x-deviation"] = json!("security as documented");
        put["parameters"][0]["style"] = json!("spaceDelimited");
        let report = run(&published(), &ours);
        assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
        assert_eq!(report.findings[0].kind, FindingKind::ParameterDiffers);
    }

    #[test]
    fn a_type_the_published_spec_leaves_open_is_not_compared() {
        let mut open = published();
        let properties = &mut open["components"]["schemas"]["Cart"]["properties"];
        properties["id"] = json!({"description": "any JSON"});
        open["paths"]["/carts/{cartId}"]["parameters"][0]["schema"] = json!({});
        let report = run(&open, &published());
        assert_eq!(report.findings, []);
        // The other way round, ours leaving them open is a difference.
        let report = run(&published(), &open);
        let details: Vec<&str> = report.findings.iter().map(|f| f.detail.as_str()).collect();
        assert_eq!(details, ["type: published [\"string\"], ours []"; 2]);
    }
}
