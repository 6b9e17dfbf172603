//! Pass `variant_names`: enum variants named for what they mean.
//!
//! typify names a string enum's variants after the values (`"0"` becomes
//! `X0`) and a union's after the JSON types or referenced schemas (`Int64`,
//! `String`, `KnownCouponType`), and reads no naming extension. Our spec
//! names them: `x-enum-varnames` (one name per `enum` value, in order) and
//! `x-variant-names` (one name per `oneOf`/`anyOf` member, in order), on
//! component schemas. The pass renames the variants of the component's type
//! and every use of them in the generated file. The JSON is unchanged:
//! string enums keep their `#[serde(rename)]`, unions are untagged.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::{module_items, type_name};

/// Renames for one type: old variant name to new.
type Renames = BTreeMap<String, String>;

/// Applies the names `doc`'s components give to the enums of `file`; returns
/// how many variants it renamed. Fails naming each type the spec names
/// variants for that has no generated enum.
pub fn apply(file: &mut syn::File, doc: &Value) -> Result<usize> {
    let wanted = wanted_names(doc)?;
    if wanted.is_empty() {
        return Ok(0);
    }
    let mut renames: BTreeMap<String, Renames> = BTreeMap::new();
    if let Some(items) = module_items(file, "types") {
        for item in items.iter_mut() {
            let syn::Item::Enum(enumeration) = item else { continue };
            let name = enumeration.ident.to_string();
            let Some(names) = wanted.get(&name) else { continue };
            let mut map = Renames::new();
            for (index, variant) in enumeration.variants.iter_mut().enumerate() {
                let new = match names {
                    Names::ByPosition(list) => list.get(index).cloned(),
                    Names::ByValue(by_value) => serde_rename(&variant.attrs)
                        .or_else(|| Some(variant.ident.to_string()))
                        .and_then(|value| by_value.get(&value).cloned()),
                };
                let Some(new) = new else {
                    bail!(
                        "{name}: the spec names no variant for {} (position {index})",
                        variant.ident
                    );
                };
                map.insert(variant.ident.to_string(), new.clone());
                variant.ident = syn::Ident::new(&new, variant.ident.span());
            }
            renames.insert(name, map);
        }
    }
    let missed: Vec<&str> = wanted
        .keys()
        .filter(|name| !renames.contains_key(*name))
        .map(String::as_str)
        .collect();
    if !missed.is_empty() {
        return Err(super::reshaped(
            "variant_names",
            &format!(
                "found no generated enum for {}, whose variants the spec names",
                missed.join(", ")
            ),
        ));
    }
    for (name, map) in &renames {
        let mut renamer = Renamer {
            name,
            map,
            in_impl: false,
        };
        for item in file.items.iter_mut() {
            renamer.visit_item_mut(item);
        }
    }
    Ok(renames.values().map(Renames::len).sum())
}

/// Checks the names `doc`'s components give to variants, as [`apply`] reads them.
pub(crate) fn check(doc: &Value) -> Result<()> {
    wanted_names(doc).map(|_| ())
}

/// How a spec names a type's variants.
enum Names {
    /// By position (`x-variant-names`).
    ByPosition(Vec<String>),
    /// By the JSON value (`x-enum-varnames`).
    ByValue(BTreeMap<String, String>),
}

/// The names the components of `doc` give, by Rust type name.
fn wanted_names(doc: &Value) -> Result<BTreeMap<String, Names>> {
    let mut out = BTreeMap::new();
    for (component, schema) in doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let type_name = heck::AsUpperCamelCase(component).to_string();
        let names = |key: &str| -> Result<Option<Vec<String>>> {
            let Some(list) = schema.get(key) else { return Ok(None) };
            let names: Vec<String> = list
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            let valid = names.iter().all(|n| syn::parse_str::<syn::Ident>(n).is_ok());
            let unique = names.iter().collect::<std::collections::BTreeSet<_>>().len() == names.len();
            if !valid || !unique {
                bail!("at /components/schemas/{component}/{key}: names must be distinct Rust identifiers");
            }
            Ok(Some(names))
        };
        if let Some(list) = names("x-variant-names")? {
            out.insert(type_name.clone(), Names::ByPosition(list));
        }
        if let Some(list) = names("x-enum-varnames")? {
            let values: Vec<String> = schema
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                .collect();
            if values.len() != list.len() {
                bail!(
                    "at /components/schemas/{component}/x-enum-varnames: one name per enum value ({} values)",
                    values.len()
                );
            }
            out.insert(type_name, Names::ByValue(values.into_iter().zip(list).collect()));
        }
    }
    Ok(out)
}

/// The value of a `#[serde(rename = "...")]` attribute.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                found = Some(value.value());
            }
            Ok(())
        });
    }
    found
}

/// Renames `Type::Old` everywhere, and `Self::Old` inside `impl`s of the type.
struct Renamer<'a> {
    name: &'a str,
    map: &'a Renames,
    in_impl: bool,
}

impl VisitMut for Renamer<'_> {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let outer = self.in_impl;
        self.in_impl = type_name(&block.self_ty).as_deref() == Some(self.name);
        syn::visit_mut::visit_item_impl_mut(self, block);
        self.in_impl = outer;
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let count = path.segments.len();
        if count >= 2 {
            let owner = path.segments[count - 2].ident.to_string();
            let last = path.segments[count - 1].ident.to_string();
            if (owner == self.name || (owner == "Self" && self.in_impl))
                && let Some(new) = self.map.get(&last)
            {
                path.segments[count - 1].ident = syn::Ident::new(new, path.segments[count - 1].ident.span());
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;
    use serde_json::json;
    use syn::parse_quote;

    use super::*;

    #[test]
    fn variants_take_the_spec_names_and_their_uses_follow() {
        let doc = json!({"components": {"schemas": {
            "KnownCouponType": {"type": "string", "enum": ["0", "1"], "x-enum-varnames": ["PerItem", "Percentage"]},
            "OptionValue": {"oneOf": [{"type": "integer"}, {"type": "string"}], "x-variant-names": ["Id", "Text"]}
        }}});
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub enum KnownCouponType { #[serde(rename = "0")] X0, #[serde(rename = "1")] X1 }
                impl KnownCouponType { fn f(&self) { match self { Self::X0 => {}, Self::X1 => {} } } }
                pub enum OptionValue { Int64(i64), String(String) }
                impl From<i64> for OptionValue { fn from(value: i64) -> Self { Self::Int64(value) } }
                impl Other { fn g() { let _ = OptionValue::String(String::new()); let _ = Self::X0; } }
            }
        };
        assert_eq!(apply(&mut file, &doc).unwrap(), 4);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(text.contains("#[serde(rename=\"0\")]PerItem"), "{text}");
        assert!(text.contains("Self::PerItem=>{},Self::Percentage=>{}"), "{text}");
        assert!(text.contains("pubenumOptionValue{Id(i64),Text(String)}"), "{text}");
        assert!(text.contains("Self::Id(value)"), "{text}");
        assert!(text.contains("OptionValue::Text(String::new())"), "{text}");
        assert!(
            text.contains("let_=Self::X0;"),
            "another type's Self is left alone: {text}"
        );
    }

    #[test]
    fn a_named_type_the_generator_no_longer_writes_as_an_enum_fails_naming_the_pass() {
        let doc = json!({"components": {"schemas": {
            "OptionValue": {"oneOf": [{"type": "integer"}, {"type": "string"}], "x-variant-names": ["Id", "Text"]}
        }}});
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct OptionValue(::serde_json::Value);
            }
        };
        let error = apply(&mut file, &doc).unwrap_err().to_string();
        assert!(
            error.starts_with("pass variant_names found no generated enum for OptionValue")
                && error.contains("may have changed shape"),
            "{error}"
        );
    }

    #[test]
    fn a_count_that_does_not_match_the_values_is_refused() {
        let doc = json!({"components": {"schemas": {"Kind": {"enum": ["a", "b"], "x-enum-varnames": ["A"]}}}});
        let error = wanted_names(&doc).err().unwrap().to_string();
        assert!(error.contains("/components/schemas/Kind/x-enum-varnames"), "{error}");
    }
}
