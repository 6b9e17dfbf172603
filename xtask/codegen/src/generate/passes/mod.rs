//! Rewrites of progenitor's output for the SDK, each on the syntax tree and
//! each for something a generator setting cannot say:
//! - [`send_errors`]: `send()` returns the crate's one error type;
//! - [`private_constructors`]: the generated clients are built only by the
//!   crate's own `Client` and `StorefrontClient`;
//! - [`generator_surface`]: the generator's re-exports, prelude and builder
//!   constructors leave the public API;
//! - [`setter_messages`]: a builder's conversion errors name types as code does;
//! - [`variant_names`]: enum variants named for what they mean;
//! - [`lenient_ids`]: ids that arrive as numbers or numeric strings are `i64`;
//! - [`decimal_schemas`]: exact decimals describe themselves as numbers;
//! - [`timestamps`]: times are written with `+00:00`, as the API writes them;
//! - [`absent_defaults`]: fields an answer may leave out read as their default;
//! - [`defaults`]: objects whose fields are all optional have `Default`;
//! - [`lean_requests`]: no `api-version` header, and no query rewrite for an
//!   unset optional parameter;
//! - [`owned_headers`]: an answer's headers are moved into its value, not copied;
//! - [`union_errors`]: a body that fits no form of a union says why, by field;
//! - [`optional_schemas`]: JSON Schemas of the types only with the `schemars` feature;
//! - [`doc_examples`]: each operation's usage example calls through the SDK's
//!   client (`client.carts().create_cart()`).

pub mod absent_defaults;
pub mod decimal_schemas;
pub mod defaults;
pub mod doc_examples;
pub mod generator_surface;
pub mod lean_requests;
pub mod lenient_ids;
pub mod optional_schemas;
pub mod owned_headers;
pub mod private_constructors;
pub mod send_errors;
pub mod setter_messages;
pub mod timestamps;
pub mod union_errors;
pub mod variant_names;

use anyhow::Result;
use serde_json::Value;

use super::Flavour;
use super::layout::Module;

/// Applies the passes `flavour` needs to `file`, generated from the
/// normalized `doc`. `module` is how the SDK exposes the file, when its
/// `lib.rs` declares it; the passes that need it are skipped otherwise. Gives
/// what [`doc_examples`] rewrote, when it ran.
pub fn apply(
    file: &mut syn::File,
    doc: &Value,
    flavour: Flavour,
    module: Option<&Module>,
) -> Result<Option<doc_examples::Rewritten>> {
    variant_names::apply(file, doc)?;
    decimal_schemas::apply(file, flavour == Flavour::Sdk);
    if flavour == Flavour::Sdk {
        absent_defaults::apply(file, doc)?;
    }
    defaults::apply(file);
    if flavour == Flavour::Sdk {
        lenient_ids::apply(file);
        timestamps::apply(file);
        union_errors::apply(file)?;
        lean_requests::apply(file);
        owned_headers::apply(file);
        send_errors::apply(file)?;
        private_constructors::apply(file);
        generator_surface::apply(file);
        setter_messages::apply(file);
        optional_schemas::apply(file);
        if let Some(module) = module {
            return doc_examples::apply(file, module).map(Some);
        }
    }
    Ok(None)
}

/// The items of the inline module `name` (`types`, `builder`).
pub(crate) fn module_items<'a>(file: &'a mut syn::File, name: &str) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The last segment of a type path (`types::Cart` is `Cart`).
pub(crate) fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The type arguments of a type path's last segment (`T` and `E` of `Result<T, E>`).
pub(crate) fn type_arguments(ty: &syn::Type) -> Option<Vec<syn::Type>> {
    let syn::Type::Path(path) = ty else { return None };
    let syn::PathArguments::AngleBracketed(arguments) = &path.path.segments.last()?.arguments else {
        return None;
    };
    Some(
        arguments
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}
