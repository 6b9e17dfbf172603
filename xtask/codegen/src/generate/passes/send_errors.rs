//! Pass `send_errors`: every `send()` returns `bigcommerce_carts::Error`.
//!
//! progenitor's `send()` returns `progenitor_client::Error<E>`, with no
//! setting to change it, so a caller would name a second crate's error type
//! or write `.map_err(Error::from)`. The pass renames each builder's `send`
//! to a private `send_raw` and adds a `send` that returns the crate's
//! `Error`, through `crate::decode::finish`, which also names the field of a
//! success body that does not fit its type.

use anyhow::{Result, bail};
use syn::parse_quote;

use super::{module_items, type_arguments};

/// Rewrites the builders of `file`; returns how many `send`s it changed.
pub fn apply(file: &mut syn::File) -> Result<usize> {
    let Some(items) = module_items(file, "builder") else {
        return Ok(0);
    };
    let mut changed = 0;
    for item in items.iter_mut() {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let mut added = Vec::new();
        for impl_item in block.items.iter_mut() {
            let syn::ImplItem::Fn(function) = impl_item else {
                continue;
            };
            if function.sig.ident != "send" {
                continue;
            }
            let Some(success) = success_type(&function.sig.output) else {
                bail!("internal: a builder's send() does not return Result<ResponseValue<T>, Error<E>>");
            };
            function.sig.ident = parse_quote!(send_raw);
            function.vis = syn::Visibility::Inherited;
            added.push(parse_quote! {
                /// Sends the request; the answer's body as its type, or the crate's one [`Error`](crate::Error).
                pub async fn send(self) -> Result<ResponseValue<#success>, crate::Error> {
                    crate::decode::finish(self.send_raw().await)
                }
            });
        }
        changed += added.len();
        block.items.extend(added.into_iter().map(syn::ImplItem::Fn));
    }
    Ok(changed)
}

/// `T` of `Result<ResponseValue<T>, Error<E>>`.
fn success_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let first = type_arguments(ty)?.into_iter().next()?;
    type_arguments(&first)?.into_iter().next()
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn send_returns_the_crate_error_through_a_private_send_raw() {
        let mut file: syn::File = parse_quote! {
            pub mod builder {
                impl<'a> GetCart<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::CartResponse>, Error<types::ErrorBody>> {
                        todo!()
                    }
                }
            }
        };
        assert_eq!(apply(&mut file).unwrap(), 1);
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("asyncfnsend_raw(self)->Result<ResponseValue<types::CartResponse>,Error<types::ErrorBody>>"),
            "{text}"
        );
        assert!(
            text.contains("pubasyncfnsend(self)->Result<ResponseValue<types::CartResponse>,crate::Error>"),
            "{text}"
        );
        assert!(text.contains("crate::decode::finish(self.send_raw().await)"), "{text}");
    }
}
