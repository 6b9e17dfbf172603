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
//!
//! Each pass says how many places it changed, and [`guard`] holds it to what
//! the spec says it must change: a pass that matches nothing where it should
//! fails generation, naming the pass.

pub mod absent_defaults;
pub mod decimal_schemas;
pub mod defaults;
pub mod doc_examples;
pub mod generator_surface;
mod guard;
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

pub use guard::PassReport;
use guard::{Ledger, Needs};

use super::Flavour;
use super::layout::Module;

/// What the passes did.
#[derive(Debug, Clone)]
pub struct Rewrites {
    /// How many places each pass that ran changed, in the order they ran.
    pub reports: Vec<PassReport>,
    /// What [`doc_examples`] rewrote, when it ran.
    pub examples: Option<doc_examples::Rewritten>,
}

/// Applies the passes `flavour` needs to `file`, generated from the
/// normalized `doc`. `module` is how the SDK exposes the file, when its
/// `lib.rs` declares it; the passes that need it are skipped otherwise.
/// Fails naming each pass that changed fewer places than `doc` calls for.
pub fn apply(file: &mut syn::File, doc: &Value, flavour: Flavour, module: Option<&Module>) -> Result<Rewrites> {
    let needs = Needs::of(doc);
    let mut ledger = Ledger::default();
    // `variant_names` and `absent_defaults` check every place the spec names themselves.
    ledger.record("variant_names", variant_names::apply(file, doc)?);
    let changed = decimal_schemas::apply(file, flavour == Flavour::Sdk);
    ledger.record("decimal_schemas", changed);
    // A decimal schema can stand in several places of one type, or in none that is a field
    // (a published release has such), so the pass is held to one place when there is any.
    ledger.require("decimal_schemas", changed, needs.decimals.min(1), "a decimal schema");
    if flavour == Flavour::Sdk {
        ledger.record("absent_defaults", absent_defaults::apply(file, doc)?);
    }
    let changed = defaults::apply(file);
    ledger.record("defaults", changed);
    ledger.require(
        "defaults",
        changed,
        needs.open_optional_objects.into(),
        "an object that keeps unknown fields and requires none",
    );
    let mut examples = None;
    if flavour == Flavour::Sdk {
        sdk_passes(file, &needs, &mut ledger)?;
        if let Some(module) = module {
            let rewritten = doc_examples::apply(file, module)?;
            ledger.record("doc_examples", rewritten.examples);
            examples = Some(rewritten);
        }
    }
    Ok(Rewrites {
        reports: ledger.finish()?,
        examples,
    })
}

/// The passes only the SDK's modules get.
fn sdk_passes(file: &mut syn::File, needs: &Needs, ledger: &mut Ledger) -> Result<()> {
    let operations = needs.operations;
    let changed = lenient_ids::apply(file);
    ledger.record("lenient_ids", changed);
    ledger.require("lenient_ids", changed, needs.lenient_ids.into(), "a lenient id");
    let changed = timestamps::apply(file);
    ledger.record("timestamps", changed);
    ledger.require("timestamps", changed, needs.date_times.into(), "a date-time field");
    let changed = union_errors::apply(file)?;
    ledger.record("union_errors", changed);
    ledger.require("union_errors", changed, needs.unions.into(), "a oneOf or anyOf union");
    let lean = lean_requests::apply(file);
    ledger.record("lean_requests", lean.headers + lean.queries);
    ledger.require(
        "lean_requests",
        lean.headers,
        needs.version_headers_only,
        "each operation without header parameters (each gets a map of only the version header)",
    );
    ledger.require(
        "lean_requests",
        lean.queries,
        needs.optional_queries,
        "each optional query parameter",
    );
    let changed = owned_headers::apply(file);
    ledger.record("owned_headers", changed);
    ledger.require(
        "owned_headers",
        changed,
        needs.answers_with_body,
        "each answer that has a body",
    );
    let changed = send_errors::apply(file)?;
    ledger.record("send_errors", changed);
    ledger.require("send_errors", changed, operations, "each operation's send()");
    let changed = private_constructors::apply(file);
    ledger.record("private_constructors", changed);
    ledger.require(
        "private_constructors",
        changed,
        private_constructors::CONSTRUCTORS.len(),
        "each constructor of the generated Client",
    );
    let surface = generator_surface::apply(file);
    ledger.record(
        "generator_surface",
        surface.reexports + surface.constructors + usize::from(surface.prelude),
    );
    ledger.require(
        "generator_surface",
        surface.constructors,
        operations,
        "each operation's builder constructor",
    );
    ledger.require(
        "generator_surface",
        surface.reexports,
        usize::from(operations > 0),
        "the re-export of progenitor_client",
    );
    let changed = setter_messages::apply(file);
    ledger.record("setter_messages", changed);
    ledger.require("setter_messages", changed, needs.parameters, "each parameter's setter");
    // Every generated type derives `JsonSchema` (a generator setting), so each must be gated;
    // a document with schemas has at least one.
    let types = generated_types(file).max(needs.schemas.into());
    let changed = optional_schemas::apply(file);
    ledger.record("optional_schemas", changed);
    ledger.require(
        "optional_schemas",
        changed,
        types,
        "each struct and enum of the types module (one at least when the spec has schemas)",
    );
    Ok(())
}

/// The structs and enums of `file`'s `types` module.
fn generated_types(file: &mut syn::File) -> usize {
    module_items(file, "types").map_or(0, |items| {
        items
            .iter()
            .filter(|item| matches!(item, syn::Item::Struct(_) | syn::Item::Enum(_)))
            .count()
    })
}

/// The error of pass `pass` that found `what` where it should have found its
/// place: the generator's output changed shape.
pub(crate) fn reshaped(pass: &str, what: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "pass {pass} {what}; {}, so the pass has to change with it",
        guard::SHAPE
    )
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
