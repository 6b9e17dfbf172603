//! Pass `owned_headers`: an answer's headers are moved into its value, not copied.
//!
//! progenitor reads every answer with `ResponseValue::from_response`, which
//! copies the answer's header map before reading its body, and then drops
//! the answer with the original. The pass calls `crate::decode::from_response`
//! instead: the same reading and the same errors, with the headers moved out
//! of the answer.

use quote::ToTokens;
use syn::parse_quote;
use syn::visit_mut::VisitMut;

use super::module_items;

/// Rewrites the builders of `file`; returns how many calls it changed.
pub fn apply(file: &mut syn::File) -> usize {
    let Some(items) = module_items(file, "builder") else {
        return 0;
    };
    let mut moved = MovedHeaders { count: 0 };
    for item in items.iter_mut() {
        if let syn::Item::Impl(block) = item {
            moved.visit_item_impl_mut(block);
        }
    }
    moved.count
}

struct MovedHeaders {
    count: usize,
}

impl VisitMut for MovedHeaders {
    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        if path.qself.is_none() && path.path.to_token_stream().to_string() == "ResponseValue :: from_response" {
            *path = parse_quote!(crate::decode::from_response);
            self.count += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_by_the_crate_for_success_and_error_alike() {
        let mut file: syn::File = parse_quote! {
            pub mod builder {
                impl<'a> GetCart<'a> {
                    async fn send(self) -> Result<ResponseValue<types::CartResponse>, Error<types::ErrorBody>> {
                        match response.status().as_u16() {
                            200..=299 => ResponseValue::from_response(response).await,
                            204u16 => Ok(ResponseValue::empty(response)),
                            400u16..=499u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }
        };
        assert_eq!(apply(&mut file), 2);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert_eq!(
            text.matches("crate::decode::from_response(response).await").count(),
            2,
            "{text}"
        );
        assert!(!text.contains("ResponseValue::from_response"), "{text}");
        assert!(text.contains("ResponseValue::empty(response)"), "{text}");
    }
}
