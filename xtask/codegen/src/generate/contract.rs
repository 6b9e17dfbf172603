//! The contract tests' tables that follow the spec and the generated SDK,
//! generated so that a new operation or body needs no hand edit
//! (`contract-tests/checks/src/generated/`):
//! - `apis.rs`: the `Api` enum, one variant per spec file;
//! - `dispatch.rs`: for each operation, the SDK call that makes a recorded
//!   request (client, method, each parameter's setter and type, the body);
//! - `bodies.rs`: for each operation, the SDK types of its request body, its
//!   success answer and its error answer.
//!
//! Everything comes from progenitor's output, so the tables name exactly
//! the methods and types the SDK has.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Context, Result, anyhow, bail};
use carts_openapi::{operations, parameters};
use quote::ToTokens;
use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::layout::Module;
use super::wire::method_name;

/// One API: a spec file and the SDK module generated from it.
pub struct ApiSource<'a> {
    /// The spec's file stem (`carts.v3`).
    pub stem: String,
    /// Where the SDK exposes it.
    pub module: &'a Module,
    /// The normalized spec, as progenitor saw it.
    pub doc: &'a Value,
    /// The generated module's source.
    pub code: &'a str,
}

/// How a builder field gets its value from a recorded request.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// A path parameter.
    Path,
    /// A query parameter with one value.
    Query { required: bool },
    /// An array in the query, comma-separated (`include=a,b`).
    CommaList,
    /// An array in the query, one key per value (`id=1&id=2`).
    RepeatedList,
    /// A header parameter.
    Header { required: bool },
    /// The JSON body.
    Body,
}

/// One builder call of an operation.
#[derive(Debug, Clone)]
struct Setter {
    /// The builder method (`cart_id`).
    method: String,
    /// The wire name (`cartId`); empty for the body.
    wire: String,
    source: Source,
    /// The Rust type the setter takes, or the item type of a list.
    ty: String,
}

/// One operation as the contract tests call it.
#[derive(Debug, Clone)]
struct Call {
    id: String,
    method: String,
    setters: Vec<Setter>,
    body: Option<String>,
    success: String,
    error: String,
}

/// The three files, as (file name, source).
pub fn render(apis: &[ApiSource<'_>]) -> Result<Vec<(&'static str, String)>> {
    let mut calls = BTreeMap::new();
    for api in apis {
        calls.insert(
            api.stem.clone(),
            calls_of(api).with_context(|| format!("reading the generated SDK module for spec/{}.yaml", api.stem))?,
        );
    }
    Ok(vec![
        ("apis.rs", format_file(&apis_file(apis))?),
        ("dispatch.rs", format_file(&dispatch_file(apis, &calls))?),
        ("bodies.rs", format_file(&bodies_file(apis, &calls))?),
    ])
}

fn format_file(source: &str) -> Result<String> {
    let file =
        syn::parse_file(source).map_err(|e| anyhow!("internal: generated contract-test code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// `carts.v3` is `CartsV3`.
pub fn variant(stem: &str) -> String {
    heck::AsUpperCamelCase(stem.replace('.', "_")).to_string()
}

fn apis_file(apis: &[ApiSource<'_>]) -> String {
    let mut variants = String::new();
    let mut stems = String::new();
    let mut modules = String::new();
    let mut calls = String::new();
    let mut files = String::new();
    let mut all = String::new();
    let mut management = Vec::new();
    for api in apis {
        let name = variant(&api.stem);
        let _ = write!(
            variants,
            "/// `spec/{stem}.yaml`: the SDK's `{module}` module, reached through `{client}::{accessor}()`.\n\
             #[serde(rename = {stem:?})] {name},\n",
            stem = api.stem,
            module = api.module.name,
            client = api.module.client,
            accessor = api.module.accessor,
        );
        let _ = writeln!(stems, "Api::{name} => {:?},", api.stem);
        let _ = writeln!(modules, "Api::{name} => {:?},", api.module.name);
        let _ = writeln!(
            calls,
            "Api::{name} => {:?},",
            format!("{}::{}()", api.module.client, api.module.accessor)
        );
        let _ = writeln!(
            files,
            "Api::{name} => {:?},",
            format!("{}.rs", api.stem.replace(['.', '-'], "_"))
        );
        let _ = write!(all, "Api::{name},");
        if api.module.client == "Client" {
            management.push(format!("Api::{name}"));
        }
    }
    let management = if management.is_empty() {
        "false".to_string()
    } else {
        format!("matches!(self, {})", management.join(" | "))
    };
    format!(
        "/// The APIs of `spec/`, one per spec file; a cassette's folder names its API.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize, serde::Serialize)]\n\
         pub enum Api {{ {variants} }}\n\
         impl Api {{\n\
             /// Every API, in the order of their spec files.\n\
             pub const ALL: [Api; {count}] = [{all}];\n\
             /// The spec's file stem, which is also the cassette folder name.\n\
             pub fn stem(self) -> &'static str {{ match self {{ {stems} }} }}\n\
             /// Whether requests of this API carry the store's access token (the SDK's `Client`).\n\
             pub fn is_management(self) -> bool {{ {management} }}\n\
             /// The SDK module generated from the spec (`carts`).\n\
             pub fn sdk_module(self) -> &'static str {{ match self {{ {modules} }} }}\n\
             /// How a caller reaches the API (`Client::carts()`).\n\
             pub fn client_call(self) -> &'static str {{ match self {{ {calls} }} }}\n\
             /// The generated file under `sdk/src/generated/` (`carts_v3.rs`).\n\
             pub fn generated_file(self) -> &'static str {{ match self {{ {files} }} }}\n\
         }}\n",
        count = apis.len()
    )
}

fn dispatch_file(apis: &[ApiSource<'_>], calls: &BTreeMap<String, Vec<Call>>) -> String {
    let mut arms = String::new();
    let mut known = String::new();
    for api in apis {
        let name = variant(&api.stem);
        let client = if api.module.client == "Client" {
            "management"
        } else {
            "storefront"
        };
        for call in &calls[&api.stem] {
            let _ = write!(known, "(Api::{name}, {:?}),", call.id);
            let _ = write!(
                arms,
                "(Api::{name}, {id:?}) => {{ let mut b = {client}.{accessor}().{method}();",
                id = call.id,
                accessor = api.module.accessor,
                method = call.method
            );
            for setter in &call.setters {
                let (method, wire, ty) = (&setter.method, &setter.wire, &setter.ty);
                let _ = match setter.source {
                    Source::Path => write!(arms, "b = b.{method}(a.path::<{ty}>({wire:?})?);"),
                    Source::Query { required: true } => {
                        write!(arms, "b = b.{method}(a.required_query::<{ty}>({wire:?})?);")
                    }
                    Source::Query { required: false } => {
                        write!(
                            arms,
                            "if let Some(v) = a.query::<{ty}>({wire:?})? {{ b = b.{method}(v); }}"
                        )
                    }
                    Source::CommaList => {
                        write!(
                            arms,
                            "if let Some(v) = a.list::<{ty}>({wire:?})? {{ b = b.{method}(v); }}"
                        )
                    }
                    Source::RepeatedList => {
                        write!(
                            arms,
                            "if let Some(v) = a.repeated::<{ty}>({wire:?})? {{ b = b.{method}(v); }}"
                        )
                    }
                    Source::Header { required: true } => {
                        write!(arms, "b = b.{method}(a.required_header::<{ty}>({wire:?})?);")
                    }
                    Source::Header { required: false } => {
                        write!(
                            arms,
                            "if let Some(v) = a.header::<{ty}>({wire:?})? {{ b = b.{method}(v); }}"
                        )
                    }
                    Source::Body => write!(arms, "if let Some(v) = a.body::<{ty}>()? {{ b = b.{method}(v); }}"),
                };
            }
            arms.push_str("Ok(finish(b.send().await)) }\n");
        }
    }
    format!(
        "use bigcommerce_carts::{{Client, StorefrontClient}};\n\
         use super::apis::Api;\n\
         use crate::dispatch::{{Args, Outcome, finish}};\n\
         /// Every operation of `spec/`, as (API, operation id).\n\
         pub const OPERATIONS: &[(Api, &str)] = &[{known}];\n\
         /// Makes the SDK call for `operation` of `api` from the recorded request `a`.\n\
         #[allow(unused_mut, clippy::too_many_lines)]\n\
         pub async fn call(api: Api, operation: &str, a: &Args<'_>, management: &Client, storefront: &StorefrontClient) -> Result<Outcome, String> {{\n\
             let _ = (management, storefront);\n\
             match (api, operation) {{ {arms} (api, id) => Err(format!(\"no SDK call is known for {{api}} {{id}}\")), }}\n\
         }}\n"
    )
}

fn bodies_file(apis: &[ApiSource<'_>], calls: &BTreeMap<String, Vec<Call>>) -> String {
    let mut arms = String::new();
    for api in apis {
        let name = variant(&api.stem);
        for call in &calls[&api.stem] {
            let id = &call.id;
            if let Some(body) = &call.body {
                let _ = writeln!(
                    arms,
                    "(Api::{name}, {id:?}, Part::Request) => Some(through::<{body}>(value)),"
                );
            }
            if call.success != "()" {
                let success = &call.success;
                let _ = writeln!(
                    arms,
                    "(Api::{name}, {id:?}, Part::Success) => Some(through::<{success}>(value)),"
                );
            }
            if call.error != "()" {
                let error = &call.error;
                let _ = writeln!(
                    arms,
                    "(Api::{name}, {id:?}, Part::Error) => Some(through::<{error}>(value)),"
                );
            }
        }
    }
    format!(
        "use serde_json::Value;\n\
         use super::apis::Api;\n\
         use crate::round_trip::{{Part, through}};\n\
         /// Decodes `value` into the SDK type of `part` of `operation` and encodes it again;\n\
         /// `None` when that operation has no such body.\n\
         #[allow(clippy::too_many_lines)]\n\
         pub fn round_trip(api: Api, operation: &str, part: Part, value: &Value) -> Option<Result<Value, String>> {{\n\
             match (api, operation, part) {{ {arms} _ => None, }}\n\
         }}\n"
    )
}

/// Reads the calls of every operation of `api` from its generated code.
fn calls_of(api: &ApiSource<'_>) -> Result<Vec<Call>> {
    let file = syn::parse_file(api.code).context("the generated code does not parse")?;
    let mut rewrite = Qualify {
        module: api.module.name.clone(),
    };
    let mut client_methods = BTreeMap::new();
    let mut builders = BTreeMap::new();
    for item in &file.items {
        match item {
            syn::Item::Impl(block) if is_type(&block.self_ty, "Client") && block.trait_.is_none() => {
                for impl_item in &block.items {
                    if let syn::ImplItem::Fn(method) = impl_item
                        && let Some(builder) = builder_name(&method.sig.output)
                    {
                        client_methods.insert(method.sig.ident.to_string(), builder);
                    }
                }
            }
            syn::Item::Mod(module) if module.ident == "builder" => {
                for inner in module.content.iter().flat_map(|(_, items)| items) {
                    if let syn::Item::Impl(block) = inner
                        && block.trait_.is_none()
                        && let Some(name) = type_name(&block.self_ty)
                    {
                        builders.insert(name, block.clone());
                    }
                }
            }
            _ => {}
        }
    }
    let mut calls = Vec::new();
    for op in operations(api.doc) {
        let id = op.id.clone().unwrap_or_default();
        let method = method_name(&id);
        let builder = client_methods
            .get(&method)
            .and_then(|name| builders.get(name))
            .ok_or_else(|| anyhow!("operation {id}: progenitor generated no method {method}"))?;
        let params = parameters(api.doc, &op.path, &op.method);
        let mut setters = Vec::new();
        let mut body = None;
        let (mut success, mut error) = (String::from("()"), String::from("()"));
        for impl_item in &builder.items {
            let syn::ImplItem::Fn(function) = impl_item else {
                continue;
            };
            let name = function.sig.ident.to_string();
            // The SDK's `send` returns the crate's error; the generated `send_raw`
            // it wraps still names the operation's error body.
            if name == "send_raw" || (name == "send" && !has_send_raw(builder)) {
                (success, error) = send_types(&function.sig.output, &mut rewrite).ok_or_else(|| {
                    anyhow!("operation {id}: {name}() does not return Result<ResponseValue<T>, Error<E>>")
                })?;
                continue;
            }
            if name == "send" {
                continue;
            }
            let Some(mut ty) = setter_type(function) else { continue };
            rewrite.visit_type_mut(&mut ty);
            if name == "body" {
                let text = ty.to_token_stream().to_string();
                body = Some(text.clone());
                setters.push(Setter {
                    method: name,
                    wire: String::new(),
                    source: Source::Body,
                    ty: text,
                });
                continue;
            }
            let param = params
                .iter()
                .find(|p| method_name(&p.name) == name)
                .ok_or_else(|| anyhow!("operation {id}: builder method {name} matches no parameter of the spec"))?;
            let (source, ty) = match param.location.as_str() {
                "path" => (Source::Path, ty),
                "query" => match vec_item(&ty) {
                    Some(item) if param.is_comma_separated() => (Source::CommaList, item),
                    Some(item) => (Source::RepeatedList, item),
                    None => (
                        Source::Query {
                            required: param.required,
                        },
                        ty,
                    ),
                },
                "header" => (
                    Source::Header {
                        required: param.required,
                    },
                    ty,
                ),
                other => bail!(
                    "operation {id}: parameter {} is in {other}, which replays cannot send",
                    param.name
                ),
            };
            setters.push(Setter {
                method: name,
                wire: param.name.clone(),
                source,
                ty: ty.to_token_stream().to_string(),
            });
        }
        // Path parameters first, in the order of the path, so the calls read like the URL.
        setters.sort_by_key(|s| match s.source {
            Source::Path => (0, op.path.find(&format!("{{{}}}", s.wire)).unwrap_or(usize::MAX)),
            Source::Body => (2, 0),
            _ => (1, 0),
        });
        calls.push(Call {
            id,
            method,
            setters,
            body,
            success,
            error,
        });
    }
    Ok(calls)
}

fn has_send_raw(builder: &syn::ItemImpl) -> bool {
    builder
        .items
        .iter()
        .any(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "send_raw"))
}

fn is_type(ty: &syn::Type, name: &str) -> bool {
    type_name(ty).is_some_and(|n| n == name)
}

fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `builder::CreateCart<'_>` as a client method's output gives `CreateCart`.
fn builder_name(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(path) = ty.as_ref() else {
        return None;
    };
    let segments: Vec<&syn::PathSegment> = path.path.segments.iter().collect();
    match segments.as_slice() {
        [module, name] if module.ident == "builder" => Some(name.ident.to_string()),
        _ => None,
    }
}

/// The `T` of a setter `fn x<V>(self, value: V) where V: TryInto<T>`.
fn setter_type(function: &syn::ImplItemFn) -> Option<syn::Type> {
    let clause = function.sig.generics.where_clause.as_ref()?;
    for predicate in &clause.predicates {
        let syn::WherePredicate::Type(bound) = predicate else {
            continue;
        };
        if bound.bounded_ty.to_token_stream().to_string() != "V" {
            continue;
        }
        for trait_bound in &bound.bounds {
            let syn::TypeParamBound::Trait(trait_bound) = trait_bound else {
                continue;
            };
            let last = trait_bound.path.segments.last()?;
            if last.ident != "TryInto" {
                continue;
            }
            if let syn::PathArguments::AngleBracketed(arguments) = &last.arguments
                && let Some(syn::GenericArgument::Type(ty)) = arguments.args.first()
            {
                return Some(ty.clone());
            }
        }
    }
    None
}

/// `T` and `E` of `Result<ResponseValue<T>, Error<E>>`, qualified.
fn send_types(output: &syn::ReturnType, rewrite: &mut Qualify) -> Option<(String, String)> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let arguments = super::passes::type_arguments(ty)?;
    let [ok, err] = arguments.as_slice() else { return None };
    let mut success = super::passes::type_arguments(ok)?.first()?.clone();
    let mut error = super::passes::type_arguments(err)?.first()?.clone();
    rewrite.visit_type_mut(&mut success);
    rewrite.visit_type_mut(&mut error);
    Some((
        success.to_token_stream().to_string(),
        error.to_token_stream().to_string(),
    ))
}

/// The item type of `Vec<T>`.
fn vec_item(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    if path.path.segments.last()?.ident != "Vec" {
        return None;
    }
    super::passes::type_arguments(ty)?.into_iter().next()
}

/// Rewrites the generated module's relative paths so they name the same types
/// from the checks crate (`carts-checks`): `types::X` is the module's, `crate::X` the SDK's.
struct Qualify {
    module: String,
}

impl VisitMut for Qualify {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && let Some(first) = path.segments.first()
        {
            let prefix: Option<syn::Path> = if first.ident == "types" {
                syn::parse_str(&format!("bigcommerce_carts::{}", self.module)).ok()
            } else if first.ident == "crate" {
                syn::parse_str("bigcommerce_carts").ok()
            } else {
                None
            };
            if let Some(prefix) = prefix {
                let keep = if first.ident == "crate" { 1 } else { 0 };
                let rest: Vec<syn::PathSegment> = path.segments.iter().skip(keep).cloned().collect();
                path.segments = prefix.segments;
                path.segments.extend(rest);
            }
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_named_after_the_spec_file() {
        assert_eq!(variant("carts.v3"), "CartsV3");
        assert_eq!(variant("abandoned_carts.v3"), "AbandonedCartsV3");
        assert_eq!(variant("carts.sf"), "CartsSf");
    }

    #[test]
    fn relative_type_paths_are_qualified() {
        let mut ty: syn::Type = syn::parse_str("::std::option::Option<::std::vec::Vec<types::Include>>").unwrap();
        Qualify { module: "carts".into() }.visit_type_mut(&mut ty);
        assert_eq!(
            ty.to_token_stream().to_string().replace(' ', ""),
            "::std::option::Option<::std::vec::Vec<bigcommerce_carts::carts::types::Include>>"
        );
        let mut ty: syn::Type = syn::parse_str("crate::RedirectUrls").unwrap();
        Qualify { module: "carts".into() }.visit_type_mut(&mut ty);
        assert_eq!(
            ty.to_token_stream().to_string().replace(' ', ""),
            "bigcommerce_carts::RedirectUrls"
        );
    }
}
