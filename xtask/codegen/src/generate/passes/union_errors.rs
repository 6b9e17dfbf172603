//! Pass `union_errors`: a body that fits no form of a union says why.
//!
//! typify generates `oneOf`/`anyOf` unions as `#[serde(untagged)]` enums.
//! serde tries each variant and, when none fits, says only "data did not
//! match any variant", dropping why each one failed; a field that breaks the
//! expected form (`parent_id: {}`) is then named nowhere. The pass replaces
//! the derived `Deserialize` of each such enum by one that tries the
//! variants in the same order and, when none fits, fails with each
//! variant's reason and the path of the field that broke it
//! (`crate::union`). Serializing is unchanged.

use anyhow::{Result, bail};
use quote::ToTokens;
use syn::parse_quote;

use super::module_items;

/// Rewrites the untagged enums of `file`'s types; returns how many it changed.
pub fn apply(file: &mut syn::File) -> Result<usize> {
    let Some(items) = module_items(file, "types") else {
        return Ok(0);
    };
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(enumeration) = item else { continue };
        if !is_untagged(&enumeration.attrs) {
            continue;
        }
        let name = enumeration.ident.clone();
        let mut attempts = Vec::new();
        for variant in &enumeration.variants {
            let syn::Fields::Unnamed(fields) = &variant.fields else {
                bail!(
                    "internal: union {name} has a variant {} that is not a newtype",
                    variant.ident
                );
            };
            let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
                bail!(
                    "internal: union {name} has a variant {} with several fields",
                    variant.ident
                );
            };
            let (ident, ty) = (&variant.ident, &field.ty);
            let label = ident.to_string();
            attempts.push(quote::quote! {
                match crate::union::variant::<#ty>(&value) {
                    ::std::result::Result::Ok(v) => return ::std::result::Result::Ok(Self::#ident(v)),
                    ::std::result::Result::Err(why) => failures.push((#label, why)),
                }
            });
        }
        remove_derived_deserialize(&mut enumeration.attrs);
        let label = name.to_string();
        impls.push(syn::Item::Impl(parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                where
                    D: ::serde::Deserializer<'de>,
                {
                    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                    let mut failures: ::std::vec::Vec<(&str, ::std::string::String)> = ::std::vec::Vec::new();
                    #(#attempts)*
                    ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(
                        crate::union::no_fit(#label, &failures),
                    ))
                }
            }
        }));
    }
    let changed = impls.len();
    items.extend(impls);
    Ok(changed)
}

fn is_untagged(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("serde") && a.to_token_stream().to_string().replace(' ', "") == "#[serde(untagged)]")
}

/// Drops `Deserialize` from the `#[derive(...)]` lists.
fn remove_derived_deserialize(attrs: &mut [syn::Attribute]) {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != "Deserialize"))
            .collect();
        *attr = parse_quote!(#[derive(#(#kept),*)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unions_decode_through_the_crate_and_keep_serializing() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum OptionValue { Id(i64), Text(::std::string::String) }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct Plain { pub a: i64 }
            }
        };
        assert_eq!(apply(&mut file).unwrap(), 1);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("#[derive(::serde::Serialize,Clone,Debug)]#[serde(untagged)]pubenumOptionValue"),
            "{text}"
        );
        assert!(
            text.contains("impl<'de>::serde::Deserialize<'de>forOptionValue"),
            "{text}"
        );
        assert!(text.contains("crate::union::variant::<i64>(&value)"), "{text}");
        assert!(
            text.contains("crate::union::no_fit(\"OptionValue\",&failures)"),
            "{text}"
        );
        assert!(
            text.contains("#[derive(::serde::Deserialize,::serde::Serialize)]pubstructPlain"),
            "{text}"
        );
    }
}
