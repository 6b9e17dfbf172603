//! Pass `timestamps`: times are written as the API writes them.
//!
//! typify makes every `format: date-time` a `chrono::DateTime<Utc>`, whose
//! `Serialize` writes `Z` where the API writes `+00:00`. In the SDK, each
//! field holding one (or an `Option` of one) writes through `crate::spelling`,
//! so a cart read and written again keeps the spelling of its times.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

use super::module_items;

const TIME: &str = "::chrono::DateTime<::chrono::offset::Utc>";

/// Rewrites the types of `file`; returns how many fields it changed.
pub fn apply(file: &mut syn::File) -> usize {
    let Some(items) = module_items(file, "types") else {
        return 0;
    };
    let mut fields = Fields { count: 0 };
    for item in items.iter_mut() {
        if let syn::Item::Struct(structure) = item {
            fields.visit_item_struct_mut(structure);
        }
    }
    fields.count
}

struct Fields {
    count: usize,
}

impl VisitMut for Fields {
    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        let text = field.ty.to_token_stream().to_string().replace(' ', "");
        if text == TIME {
            field
                .attrs
                .push(syn::parse_quote!(#[serde(serialize_with = "crate::spelling::write")]));
            self.count += 1;
        } else if text == format!("::std::option::Option<{TIME}>") {
            field
                .attrs
                .push(syn::parse_quote!(#[serde(serialize_with = "crate::spelling::write_option")]));
            self.count += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use syn::parse_quote;

    use super::*;

    #[test]
    fn time_fields_write_through_the_crate() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                pub struct Cart {
                    pub created_time: ::chrono::DateTime<::chrono::offset::Utc>,
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub date_modified: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                    pub email: ::std::string::String,
                }
            }
        };
        assert_eq!(apply(&mut file), 2);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("#[serde(serialize_with=\"crate::spelling::write\")]pubcreated_time"),
            "{text}"
        );
        assert!(
            text.contains("#[serde(serialize_with=\"crate::spelling::write_option\")]pubdate_modified"),
            "{text}"
        );
        assert_eq!(text.matches("serialize_with").count(), 2, "{text}");
    }
}
