//! Pass `decimal_schemas`: exact decimals read as written and describe
//! themselves as numbers.
//!
//! - Every generated type derives `schemars::JsonSchema`. `rust_decimal`'s
//!   `Decimal` has no schemars 0.8 implementation of its own (schemars' one
//!   describes it as a string, while the SDK sends it as a JSON number), so
//!   each field holding a decimal gets `#[schemars(with = "...")]` naming
//!   the same shape with `f64`: the schema says "number", as the wire does.
//! - `Decimal`'s own `Deserialize` reads a JSON decimal by formatting the
//!   `f64` into a `String` and parsing it; in the SDK, a field that is a
//!   `Decimal` or an `Option<Decimal>` reads through `crate::money`, which
//!   does the same without the allocation (a quarter of a cart's decoding).
//! - With `serde-float`, `Decimal` writes every amount through `f64`, so a
//!   whole amount the API wrote as `763` would go back as `763.0`; in the
//!   SDK every decimal field, union variants included, writes through
//!   `crate::spelling::write`, which keeps whole amounts integers.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

use super::module_items;

const DECIMAL: &str = "::rust_decimal::Decimal";

/// Rewrites the types of `file`; returns how many fields it changed.
pub fn apply(file: &mut syn::File, fast_reads: bool) -> usize {
    let Some(items) = module_items(file, "types") else {
        return 0;
    };
    let mut fields = Fields { fast_reads, count: 0 };
    for item in items.iter_mut() {
        match item {
            syn::Item::Struct(structure) => fields.visit_item_struct_mut(structure),
            syn::Item::Enum(enumeration) => fields.visit_item_enum_mut(enumeration),
            _ => {}
        }
    }
    fields.count
}

struct Fields {
    fast_reads: bool,
    count: usize,
}

impl VisitMut for Fields {
    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        let text = field.ty.to_token_stream().to_string().replace(' ', "");
        if !text.contains(DECIMAL) {
            return;
        }
        let with = text.replace(DECIMAL, "f64");
        field.attrs.push(syn::parse_quote!(#[schemars(with = #with)]));
        self.count += 1;
        if !self.fast_reads {
            return;
        }
        // A union's variants decode through `crate::union`, and write as fields do.
        if field.ident.is_none() {
            if text == DECIMAL {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(serialize_with = "crate::spelling::write")]));
            }
            return;
        }
        let has_default = field.attrs.iter().any(|a| {
            a.path().is_ident("serde") && a.to_token_stream().to_string().replace(' ', "").contains("(default")
        });
        let typify_reader = |a: &syn::Attribute| {
            a.path().is_ident("serde") && a.to_token_stream().to_string().contains("deserialize_with")
        };
        if text == DECIMAL {
            field
                .attrs
                .push(syn::parse_quote!(#[serde(deserialize_with = "crate::money::decimal", serialize_with = "crate::spelling::write")]));
        } else if text == format!("::std::option::Option<{DECIMAL}>") {
            // typify's `Option::deserialize` marks a required nullable field; otherwise the
            // field may be left out, which a `deserialize_with` needs `default` for.
            let required = field.attrs.iter().any(typify_reader);
            field.attrs.retain(|a| !typify_reader(a));
            if required || has_default {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(deserialize_with = "crate::money::option_decimal", serialize_with = "crate::spelling::write_option")]));
            } else {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(default, deserialize_with = "crate::money::option_decimal", serialize_with = "crate::spelling::write_option")]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    #[test]
    fn decimal_fields_are_numbers_in_the_schema() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct Cart {
                    pub cart_amount: ::rust_decimal::Decimal,
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub manual_discount_amount: ::std::option::Option<::rust_decimal::Decimal>,
                    pub id: String
                }
                pub enum ItemCoupons { Amount(::std::option::Option<::rust_decimal::Decimal>) }
            }
        };
        assert_eq!(apply(&mut file, true), 3);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains(
                "#[schemars(with=\"f64\")]#[serde(deserialize_with=\"crate::money::decimal\",serialize_with=\"crate::spelling::write\")]pubcart_amount"
            ),
            "{text}"
        );
        assert!(
            text.contains("Amount(#[schemars(with=\"::std::option::Option<f64>\")]"),
            "{text}"
        );
        assert!(text.contains("pubid:String"), "{text}");
        assert!(
            text.contains(
                "#[serde(default,deserialize_with=\"crate::money::option_decimal\",serialize_with=\"crate::spelling::write_option\")]pubmanual_discount_amount"
            ),
            "{text}"
        );
    }
}
