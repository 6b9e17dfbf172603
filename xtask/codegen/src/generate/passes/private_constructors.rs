//! Pass `private_constructors`: the generated clients are built by the crate.
//!
//! progenitor makes each generated `Client::new` and `new_with_client`
//! public, and they take the SDK's internal shared state (`hooks::Inner`),
//! which would put an internal type into the public API. Callers build
//! clients with `bigcommerce_carts::Client` and `StorefrontClient`, so the
//! constructors become `pub(crate)`.

use syn::parse_quote;

/// The constructors progenitor writes on each generated `Client`.
pub const CONSTRUCTORS: [&str; 2] = ["new", "new_with_client"];

/// Rewrites the constructors of `file`'s `Client`; returns how many it changed.
pub fn apply(file: &mut syn::File) -> usize {
    let mut changed = 0;
    for item in file.items.iter_mut() {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || super::type_name(&block.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for impl_item in block.items.iter_mut() {
            if let syn::ImplItem::Fn(function) = impl_item
                && CONSTRUCTORS.iter().any(|name| function.sig.ident == name)
            {
                function.vis = parse_quote!(pub(crate));
                changed += 1;
            }
        }
    }
    changed
}
