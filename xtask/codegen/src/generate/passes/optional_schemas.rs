//! Pass `optional_schemas`: JSON Schemas of the types only with the SDK's
//! `schemars` feature.
//!
//! Every generated type derives `schemars::JsonSchema` (a generator setting
//! that cannot be made conditional). Most services never ask a type for its
//! schema, and the derive and its crates are a sixth of the SDK's cold build.
//! The pass puts each piece behind the feature:
//! - `JsonSchema` leaves each `derive` list and comes back in
//!   `#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]`;
//! - each `#[schemars(...)]` helper attribute becomes
//!   `#[cfg_attr(feature = "schemars", schemars(...))]`;
//! - each hand-rolled `impl JsonSchema for ...` gets
//!   `#[cfg(feature = "schemars")]`.

use syn::parse_quote;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};

/// The feature that turns the schemas on.
pub const FEATURE: &str = "schemars";

/// Rewrites every item of `file`; returns how many types and impls it put
/// behind the feature.
pub fn apply(file: &mut syn::File) -> usize {
    let mut gate = Gate { count: 0 };
    gate.visit_file_mut(file);
    gate.count
}

struct Gate {
    count: usize,
}

impl VisitMut for Gate {
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        self.count += gate_attrs(&mut item.attrs);
        visit_mut::visit_item_struct_mut(self, item);
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        self.count += gate_attrs(&mut item.attrs);
        visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        gate_attrs(&mut field.attrs);
        visit_mut::visit_field_mut(self, field);
    }

    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        gate_attrs(&mut variant.attrs);
        visit_mut::visit_variant_mut(self, variant);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let is_schema = item
            .trait_
            .as_ref()
            .and_then(|(_, path, _)| path.segments.last())
            .is_some_and(|last| last.ident == "JsonSchema");
        if is_schema {
            item.attrs.push(parse_quote!(#[cfg(feature = #FEATURE)]));
            self.count += 1;
        }
        visit_mut::visit_item_impl_mut(self, item);
    }
}

/// Moves `JsonSchema` out of the derives and wraps `schemars` helpers;
/// returns 1 when the item derived `JsonSchema`, else 0.
fn gate_attrs(attrs: &mut Vec<syn::Attribute>) -> usize {
    let mut rewritten = Vec::with_capacity(attrs.len() + 1);
    let mut derived = false;
    for attr in attrs.drain(..) {
        if attr.path().is_ident("schemars")
            && let syn::Meta::List(list) = &attr.meta
        {
            let tokens = &list.tokens;
            rewritten.push(parse_quote!(#[cfg_attr(feature = #FEATURE, schemars(#tokens))]));
            continue;
        }
        let paths = attr
            .path()
            .is_ident("derive")
            .then(|| {
                attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                    .ok()
            })
            .flatten();
        let Some(paths) = paths else {
            rewritten.push(attr);
            continue;
        };
        let (schema, kept): (Vec<syn::Path>, Vec<syn::Path>) = paths
            .into_iter()
            .partition(|p| p.segments.last().is_some_and(|s| s.ident == "JsonSchema"));
        if schema.is_empty() {
            rewritten.push(attr);
            continue;
        }
        if !kept.is_empty() {
            rewritten.push(parse_quote!(#[derive(#(#kept),*)]));
        }
        // Right after the derives, so that the helper attributes below resolve.
        if !derived {
            rewritten.push(parse_quote!(#[cfg_attr(feature = #FEATURE, derive(::schemars::JsonSchema))]));
            derived = true;
        }
    }
    *attrs = rewritten;
    usize::from(derived)
}

#[cfg(test)]
mod tests {
    use super::*;

    use quote::ToTokens;

    fn text(file: &syn::File) -> String {
        file.to_token_stream().to_string().replace(' ', "")
    }

    #[test]
    fn derives_helpers_and_impls_go_behind_the_feature() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                #[derive(Clone, Debug, schemars::JsonSchema, PartialEq)]
                #[serde(deny_unknown_fields)]
                pub struct Cart {
                    #[schemars(with = "f64")]
                    #[serde(rename = "cart_amount")]
                    pub cart_amount: ::rust_decimal::Decimal,
                }
                #[derive(schemars::JsonSchema)]
                pub enum Kind {
                    #[schemars(rename = "a")]
                    A,
                }
                impl ::schemars::JsonSchema for Locale {
                    fn schema_name() -> String { "Locale".into() }
                }
                impl ::std::fmt::Display for Locale {}
            }
        };
        assert_eq!(apply(&mut file), 3, "two derives and one impl");
        let out = text(&file);
        assert!(
            out.contains(
                "#[derive(Clone,Debug,PartialEq)]#[cfg_attr(feature=\"schemars\",derive(::schemars::JsonSchema))]#[serde(deny_unknown_fields)]pubstructCart"
            ),
            "{out}"
        );
        assert!(
            out.contains("#[cfg_attr(feature=\"schemars\",schemars(with=\"f64\"))]#[serde(rename=\"cart_amount\")]"),
            "{out}"
        );
        assert!(
            out.contains("#[cfg_attr(feature=\"schemars\",derive(::schemars::JsonSchema))]pubenumKind{#[cfg_attr(feature=\"schemars\",schemars(rename=\"a\"))]A"),
            "an emptied derive list is dropped: {out}"
        );
        assert!(
            out.contains("#[cfg(feature=\"schemars\")]impl::schemars::JsonSchemaforLocale"),
            "{out}"
        );
        assert!(
            out.contains("}impl::std::fmt::DisplayforLocale{}"),
            "other impls are untouched: {out}"
        );
        assert!(!out.contains("derive(Clone,Debug,schemars::JsonSchema"), "{out}");
    }
}
