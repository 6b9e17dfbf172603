//! Pass `absent_defaults`: fields an answer may leave out read as their default.
//!
//! The normalization rule `tolerant_answers` lists in `x-absent-as-default`
//! the lists, nullable fields and groups of lists of answers. It keeps them
//! in `required`, so typify writes them back as they came: an empty list as
//! `[]`, a null as `null`. typify has no setting for a required field that
//! may be absent, and its optional fields are written back only when not
//! empty. The pass adds `#[serde(default, deserialize_with = ...)]` to each,
//! so an absent field, or a `null` where a list or group was expected, reads
//! as the field's default (`[]`, `None`, empty groups). Every listed field
//! must be found, or generation fails naming it.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, bail};
use carts_openapi::child;
use serde_json::Value;
use syn::parse_quote;

use super::module_items;
use crate::normalize::ABSENT_AS_DEFAULT;

/// Reads a list or a group of lists, with `null` as its default.
const NULL_AS_DEFAULT: &str = "crate::lenient::null_as_default";

/// Rewrites the fields `doc`'s components list; returns how many it changed.
pub fn apply(file: &mut syn::File, doc: &Value) -> Result<usize> {
    let mut wanted = wanted_fields(doc);
    if wanted.is_empty() {
        return Ok(0);
    }
    let mut changed = 0;
    if let Some(items) = module_items(file, "types") {
        for item in items.iter_mut() {
            let syn::Item::Struct(structure) = item else { continue };
            let Some(fields) = wanted.get_mut(&structure.ident.to_string()) else {
                continue;
            };
            for field in structure.fields.iter_mut() {
                let Some(name) = json_name(field) else { continue };
                if !fields.remove(&name) {
                    continue;
                }
                let attr: syn::Attribute = if is_option(&field.ty) {
                    parse_quote!(#[serde(default)])
                } else {
                    parse_quote!(#[serde(default, deserialize_with = #NULL_AS_DEFAULT)])
                };
                field.attrs.push(attr);
                changed += 1;
            }
        }
    }
    let missed: Vec<String> = wanted
        .iter()
        .flat_map(|(ty, fields)| fields.iter().map(move |f| format!("{ty}.{f}")))
        .collect();
    if !missed.is_empty() {
        bail!(
            "pass absent_defaults: no generated field for {} (listed in {ABSENT_AS_DEFAULT}; only component schemas can list fields)",
            missed.join(", ")
        );
    }
    Ok(changed)
}

/// The fields each component lists, by Rust type name (component names are
/// the type names, see spec/README.md).
fn wanted_fields(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (component, schema) in doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let fields: BTreeSet<String> = schema
            .get(ABSENT_AS_DEFAULT)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        if !fields.is_empty() {
            out.insert(component.clone(), fields);
        }
    }
    // Inline objects are reported as missed, with a pointer-like name.
    let mut inline = BTreeSet::new();
    find_inline(doc, "", &mut inline);
    for place in inline {
        out.entry(place)
            .or_insert_with(|| BTreeSet::from(["(inline object)".to_string()]));
    }
    out
}

/// Objects outside `components/schemas` that list fields: the pass cannot
/// name their generated type.
fn find_inline(value: &Value, at: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if map.contains_key(ABSENT_AS_DEFAULT) && !is_component(at) {
                out.insert(at.to_string());
            }
            for (key, value) in map {
                find_inline(value, &child(at, key), out);
            }
        }
        Value::Array(items) => {
            for (index, value) in items.iter().enumerate() {
                find_inline(value, &format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn is_component(at: &str) -> bool {
    at.strip_prefix("/components/schemas/")
        .is_some_and(|name| !name.contains('/'))
}

/// The field's name in JSON: its serde rename, else its identifier.
fn json_name(field: &syn::Field) -> Option<String> {
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let mut rename = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
        if rename.is_some() {
            return rename;
        }
    }
    field
        .ident
        .as_ref()
        .map(|ident| ident.to_string().trim_start_matches("r#").to_string())
}

fn is_option(ty: &syn::Type) -> bool {
    super::type_name(ty).as_deref() == Some("Option")
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;
    use serde_json::json;

    fn file() -> syn::File {
        parse_quote! {
            pub mod types {
                pub struct Cart {
                    pub coupons: ::std::vec::Vec<Coupon>,
                    #[serde(rename = "parentId", deserialize_with = "::std::option::Option::deserialize")]
                    pub parent_id: ::std::option::Option<i64>,
                    pub id: ::uuid::Uuid,
                }
            }
        }
    }

    fn doc(fields: Value) -> Value {
        json!({"components": {"schemas": {"Cart": {"x-absent-as-default": fields}}}})
    }

    #[test]
    fn lists_and_nullable_fields_read_absent_as_their_default() {
        let mut file = file();
        let changed = apply(&mut file, &doc(json!(["coupons", "parentId"]))).unwrap();
        assert_eq!(changed, 2);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("#[serde(default,deserialize_with=\"crate::lenient::null_as_default\")]pubcoupons"),
            "{text}"
        );
        assert!(text.contains("#[serde(default)]pubparent_id"), "{text}");
        assert!(!text.contains("#[serde(default)]pubid"), "{text}");
    }

    #[test]
    fn a_listed_field_that_is_not_generated_fails_naming_it() {
        let error = apply(&mut file(), &doc(json!(["coupons", "discounts"]))).unwrap_err();
        assert!(error.to_string().contains("Cart.discounts"), "{error}");
    }

    #[test]
    fn a_field_listed_inline_fails_naming_where() {
        let mut with_inline = doc(json!(["coupons"]));
        with_inline["paths"] = json!({"/c": {"get": {"x-absent-as-default": ["x"]}}});
        let error = apply(&mut file(), &with_inline).unwrap_err();
        assert!(error.to_string().contains("/paths/~1c/get"), "{error}");
    }
}
