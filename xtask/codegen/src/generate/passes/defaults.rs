//! Pass `defaults`: objects whose fields are all optional have `Default`.
//!
//! typify derives `Default` for a struct whose fields can all be left out,
//! but not once the struct keeps unknown fields in a flattened `extra` map
//! (rule `keep_unknown_fields`), which it counts as required. An empty map
//! is as good a default as `None`, so the pass adds `Default` where every
//! other field is an `Option` or has `#[serde(default)]`: such types stay
//! easy to build (`ErrorBody::default()`, `..Default::default()`).

use quote::ToTokens;
use syn::parse_quote;

use super::module_items;

/// Rewrites the structs of `file`'s types; returns how many it changed.
pub fn apply(file: &mut syn::File) -> usize {
    let Some(items) = module_items(file, "types") else {
        return 0;
    };
    let mut changed = 0;
    for item in items.iter_mut() {
        let syn::Item::Struct(structure) = item else { continue };
        let has_extra = structure.fields.iter().any(is_extra);
        if !has_extra || !structure.fields.iter().all(|f| is_extra(f) || can_be_left_out(f)) {
            continue;
        }
        for attr in structure.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
            let Ok(paths) =
                attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            else {
                continue;
            };
            if paths.iter().any(|p| p.is_ident("Default")) {
                continue;
            }
            let paths: Vec<&syn::Path> = paths.iter().collect();
            *attr = parse_quote!(#[derive(#(#paths,)* Default)]);
            changed += 1;
        }
    }
    changed
}

fn text(tokens: &impl ToTokens) -> String {
    tokens.to_token_stream().to_string().replace(' ', "")
}

/// The flattened map of unknown fields.
fn is_extra(field: &syn::Field) -> bool {
    field.ident.as_ref().is_some_and(|i| i == "extra") && field.attrs.iter().any(|a| text(a) == "#[serde(flatten)]")
}

/// An `Option`, or a field with a serde default.
fn can_be_left_out(field: &syn::Field) -> bool {
    text(&field.ty).starts_with("::std::option::Option<")
        || field
            .attrs
            .iter()
            .any(|a| a.path().is_ident("serde") && text(a).contains("(default"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structs_of_optional_fields_and_extra_get_default() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                #[derive(Clone, Debug)]
                pub struct ErrorBody {
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                    pub data: ::std::vec::Vec<i64>,
                    pub title: ::std::option::Option<::std::string::String>,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                }
                #[derive(Clone, Debug)]
                pub struct Cart {
                    pub id: ::uuid::Uuid,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                }
            }
        };
        assert_eq!(apply(&mut file), 1);
        let text = text(&file);
        assert!(
            text.contains("#[derive(Clone,Debug,Default)]pubstructErrorBody"),
            "{text}"
        );
        assert!(text.contains("#[derive(Clone,Debug)]pubstructCart"), "{text}");
    }
}
