//! Pass `decimal_schemas`: exact decimals describe themselves as numbers.
//!
//! Every generated type derives `schemars::JsonSchema`. `rust_decimal`'s
//! `Decimal` has no schemars 0.8 implementation of its own (schemars' one
//! describes it as a string, while the SDK sends it as a JSON number), so
//! each field holding a decimal gets `#[schemars(with = "...")]` naming the
//! same shape with `f64`: the schema says "number", as the wire does.

use quote::ToTokens;
use syn::visit_mut::VisitMut;

use super::module_items;

const DECIMAL: &str = "::rust_decimal::Decimal";

/// Rewrites the types of `file`.
pub fn apply(file: &mut syn::File) {
    let Some(items) = module_items(file, "types") else {
        return;
    };
    let mut fields = Fields;
    for item in items.iter_mut() {
        match item {
            syn::Item::Struct(structure) => fields.visit_item_struct_mut(structure),
            syn::Item::Enum(enumeration) => fields.visit_item_enum_mut(enumeration),
            _ => {}
        }
    }
}

struct Fields;

impl VisitMut for Fields {
    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        let text = field.ty.to_token_stream().to_string().replace(' ', "");
        if text.contains(DECIMAL) {
            let with = text.replace(DECIMAL, "f64");
            field.attrs.push(syn::parse_quote!(#[schemars(with = #with)]));
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
                pub struct Cart { pub cart_amount: ::rust_decimal::Decimal, pub id: String }
                pub enum ItemCoupons { Amount(::std::option::Option<::rust_decimal::Decimal>) }
            }
        };
        apply(&mut file);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(text.contains("#[schemars(with=\"f64\")]pubcart_amount"), "{text}");
        assert!(
            text.contains("Amount(#[schemars(with=\"::std::option::Option<f64>\")]"),
            "{text}"
        );
        assert!(text.contains("pubid:String"), "{text}");
    }
}
