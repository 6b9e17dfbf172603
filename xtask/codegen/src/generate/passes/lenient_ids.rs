//! Pass `lenient_ids`: ids that arrive as numbers or numeric strings are `i64`.
//!
//! The normalization rule `lenient_ids` gives such ids `format:
//! lenient-int64`, which the generator's conversion maps to the marker type
//! [`MARKER`]. The pass writes the marker as `i64` everywhere (so callers see
//! an integer id) and gives each field that holds one a `deserialize_with`
//! that reads a number or a numeric string (`crate::lenient`). Serializing is
//! the plain `i64`'s: the id is always sent as a number.

use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{Attribute, parse_quote};

use super::module_items;

/// The type the conversion names for a lenient id.
pub const MARKER: &str = "crate::lenient::LenientI64";

/// Rewrites `file`; returns how many fields it changed.
pub fn apply(file: &mut syn::File) -> usize {
    let mut changed = 0;
    if let Some(items) = module_items(file, "types") {
        for item in items.iter_mut() {
            let syn::Item::Struct(structure) = item else { continue };
            for field in structure.fields.iter_mut() {
                let text = field.ty.to_token_stream().to_string().replace(' ', "");
                let plain = text == MARKER;
                let optional = text == format!("::std::option::Option<{MARKER}>");
                if !plain && !optional {
                    continue;
                }
                // typify marks a required nullable field with its own `deserialize_with`,
                // which this one replaces; an optional field needs `default` to stay
                // optional once it has a `deserialize_with`.
                let required = field.attrs.iter().any(is_deserialize_with);
                field.attrs.retain(|a| !is_deserialize_with(a));
                let attr: Attribute = match (plain, required) {
                    (true, _) => parse_quote!(#[serde(deserialize_with = "crate::lenient::i64_or_numeric_string")]),
                    (false, true) => {
                        parse_quote!(#[serde(deserialize_with = "crate::lenient::option_i64_or_numeric_string")])
                    }
                    (false, false) => parse_quote!(
                        #[serde(default, deserialize_with = "crate::lenient::option_i64_or_numeric_string")]
                    ),
                };
                field.attrs.push(attr);
                changed += 1;
            }
        }
    }
    MarkerToI64.visit_file_mut(file);
    changed
}

/// Whether `attr` is `#[serde(deserialize_with = ...)]` alone.
fn is_deserialize_with(attr: &Attribute) -> bool {
    attr.path().is_ident("serde")
        && attr
            .to_token_stream()
            .to_string()
            .replace(' ', "")
            .contains("deserialize_with")
}

/// Writes the marker type as `i64`.
struct MarkerToI64;

impl VisitMut for MarkerToI64 {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if ty.to_token_stream().to_string().replace(' ', "") == MARKER {
            *ty = parse_quote!(i64);
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_fields_are_i64_and_read_numeric_strings() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct Item {
                    #[serde(deserialize_with = "::std::option::Option::deserialize")]
                    pub parent_id: ::std::option::Option<crate::lenient::LenientI64>,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub bundle_id: ::std::option::Option<crate::lenient::LenientI64>,
                    pub id: crate::lenient::LenientI64,
                    pub other: i64,
                }
            }
            pub mod builder {
                pub struct Item { parent_id: Result<::std::option::Option<crate::lenient::LenientI64>, String> }
            }
        };
        assert_eq!(apply(&mut file), 3);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("#[serde(deserialize_with=\"crate::lenient::option_i64_or_numeric_string\")]pubparent_id:::std::option::Option<i64>"),
            "{text}"
        );
        assert!(!text.contains("Option::deserialize"), "{text}");
        assert!(
            text.contains(
                "#[serde(default,deserialize_with=\"crate::lenient::option_i64_or_numeric_string\")]pubbundle_id"
            ),
            "an optional field stays optional: {text}"
        );
        assert!(
            text.contains("#[serde(deserialize_with=\"crate::lenient::i64_or_numeric_string\")]pubid:i64"),
            "{text}"
        );
        assert!(
            text.contains("parent_id:Result<::std::option::Option<i64>,String>"),
            "{text}"
        );
        assert!(!text.contains("LenientI64"), "{text}");
    }
}
