//! Pass `generator_surface`: the generator's own items leave the public API.
//!
//! progenitor writes, into each API module, items a caller of the SDK has no
//! use for, and one that misleads:
//! - `pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue}`:
//!   `carts::Error` would be the generator's error type, which no `send()`
//!   returns, beside the crate's own `Error`. The `use` stays, private, for the
//!   generated code itself (`ResponseValue` is re-exported by the crate root);
//! - `pub mod prelude`, which re-exports only `Client`;
//! - a public `new(client)` on every operation's builder: builders come from
//!   the client's methods (`client.carts().get_cart()`), so `new` becomes
//!   `pub(crate)`.

use quote::ToTokens;
use syn::parse_quote;

use super::module_items;

/// What the pass changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Surface {
    /// Re-exports of `progenitor_client` made private.
    pub reexports: usize,
    /// Builder constructors made `pub(crate)`.
    pub constructors: usize,
    /// Whether the prelude was removed.
    pub prelude: bool,
}

/// Rewrites `file`'s top-level items and its builders.
pub fn apply(file: &mut syn::File) -> Surface {
    let before = file.items.len();
    file.items
        .retain(|item| !matches!(item, syn::Item::Mod(module) if module.ident == "prelude"));
    let mut surface = Surface {
        prelude: file.items.len() < before,
        ..Surface::default()
    };
    for item in file.items.iter_mut() {
        if let syn::Item::Use(use_item) = item
            && matches!(use_item.vis, syn::Visibility::Public(_))
            && use_item
                .tree
                .to_token_stream()
                .to_string()
                .starts_with("progenitor_client ::")
        {
            use_item.vis = syn::Visibility::Inherited;
            surface.reexports += 1;
        }
    }
    let Some(items) = module_items(file, "builder") else {
        return surface;
    };
    for item in items.iter_mut() {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        for impl_item in block.items.iter_mut() {
            if let syn::ImplItem::Fn(function) = impl_item
                && function.sig.ident == "new"
                && matches!(function.vis, syn::Visibility::Public(_))
            {
                function.vis = parse_quote!(pub(crate));
                surface.constructors += 1;
            }
        }
    }
    surface
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generators_reexports_prelude_and_builder_constructors_are_not_public() {
        let mut file: syn::File = parse_quote! {
            pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
            use progenitor_client::{encode_path, ClientHooks};
            pub mod types {}
            pub mod builder {
                impl<'a> GetCart<'a> {
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                    pub fn cart_id<V>(mut self, value: V) -> Self { todo!() }
                }
            }
            pub mod prelude {
                pub use self::super::Client;
            }
        };
        assert_eq!(
            apply(&mut file),
            Surface {
                reexports: 1,
                constructors: 1,
                prelude: true
            }
        );
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.starts_with("useprogenitor_client::{ByteStream,ClientInfo,Error,ResponseValue};"),
            "{text}"
        );
        assert!(!text.contains("modprelude"), "{text}");
        assert!(text.contains("pub(crate)fnnew(client:&'asuper::Client)"), "{text}");
        assert!(text.contains("pubfncart_id<V>"), "{text}");
        assert!(text.contains("pubmodtypes"), "{text}");
    }
}
