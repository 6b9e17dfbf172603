//! Pass `lean_requests`: a request is built with no work the wire throws away.
//!
//! progenitor's `send()` builds each request the same way, whatever it holds:
//! - it adds an `api-version` header, taken from the spec's version, which
//!   the API does not know. Nothing else removes it (the SDK's hooks only add
//!   headers), so this pass is what keeps it off the wire;
//! - it calls `.query(..)` for every query parameter, also for an optional
//!   one that is not set. reqwest rewrites the URL's query on each call, even
//!   when the parameter adds nothing to it.
//!
//! The pass removes the header's map where the version is all it holds (an
//! operation with header parameters of its own would keep the map, and the
//! version with it; our specs have none once normalization has dropped
//! `Accept` and `Content-Type`), and turns the `.query(..)` of each
//! optional parameter into `.optional_query(name, &value)`
//! (`crate::query::OptionalQuery`), which leaves the URL alone for `None`.
//! A required parameter keeps its `.query(..)`.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::parse_quote;
use syn::visit_mut::VisitMut;

use super::module_items;

/// The header progenitor adds from `info.version`.
const VERSION_HEADER: &str = "api-version";

/// What the pass changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lean {
    /// `send()`s that no longer build the version header.
    pub headers: usize,
    /// Optional query parameters now added only when set.
    pub queries: usize,
}

/// Rewrites the builders of `file`.
pub fn apply(file: &mut syn::File) -> Lean {
    let mut lean = Lean::default();
    let Some(items) = module_items(file, "builder") else {
        return lean;
    };
    let optional = optional_fields(items);
    for item in items.iter_mut() {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let Some(name) = super::type_name(&block.self_ty) else {
            continue;
        };
        let fields = optional.iter().find(|(builder, _)| *builder == name).map(|(_, f)| f);
        for impl_item in block.items.iter_mut() {
            let syn::ImplItem::Fn(function) = impl_item else {
                continue;
            };
            if function.sig.ident != "send" && function.sig.ident != "send_raw" {
                continue;
            }
            if drop_version_header(&mut function.block) {
                lean.headers += 1;
            }
            if let Some(fields) = fields {
                let mut rewrite = OptionalQueries { fields, count: 0 };
                rewrite.visit_block_mut(&mut function.block);
                lean.queries += rewrite.count;
            }
        }
    }
    if lean.queries > 0 {
        items.insert(
            0,
            parse_quote!(
                use crate::query::OptionalQuery as _;
            ),
        );
    }
    lean
}

/// For each builder struct, the fields that hold an `Option`
/// (`Result<Option<T>, String>`).
fn optional_fields(items: &[syn::Item]) -> Vec<(String, BTreeSet<String>)> {
    items
        .iter()
        .filter_map(|item| {
            let syn::Item::Struct(structure) = item else {
                return None;
            };
            let fields = structure
                .fields
                .iter()
                .filter(|field| holds_option(&field.ty))
                .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
                .collect();
            Some((structure.ident.to_string(), fields))
        })
        .collect()
}

/// `Result<Option<_>, _>`.
fn holds_option(ty: &syn::Type) -> bool {
    let is = |ty: &syn::Type, name: &str| super::type_name(ty).as_deref() == Some(name);
    is(ty, "Result")
        && super::type_arguments(ty)
            .and_then(|arguments| arguments.into_iter().next())
            .is_some_and(|first| is(&first, "Option"))
}

/// Removes `let mut header_map = ..;` with its `api-version` appends, and the
/// `.headers(header_map)` of the request chain, when the map holds nothing
/// else. Says whether it did.
fn drop_version_header(block: &mut syn::Block) -> bool {
    let text = |stmt: &syn::Stmt| stmt.to_token_stream().to_string();
    let declares = |stmt: &syn::Stmt| matches!(stmt, syn::Stmt::Local(local) if local.pat.to_token_stream().to_string() == "mut header_map");
    let appends = |stmt: &syn::Stmt| text(stmt).starts_with("header_map . append");
    let only_version = block
        .stmts
        .iter()
        .filter(|stmt| appends(stmt))
        .all(|stmt| text(stmt).contains(&format!("\"{VERSION_HEADER}\"")));
    if !block.stmts.iter().any(declares) || !only_version {
        return false;
    }
    block.stmts.retain(|stmt| !declares(stmt) && !appends(stmt));
    UnusedHeaders.visit_block_mut(block);
    true
}

/// Replaces `receiver.headers(header_map)` by `receiver`.
struct UnusedHeaders;

impl VisitMut for UnusedHeaders {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let syn::Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && call.args[0].to_token_stream().to_string() == "header_map"
        {
            *expr = (*call.receiver).clone();
        }
    }
}

/// Turns `.query(&progenitor_client::QueryParam::new(name, &field))` into
/// `.optional_query(name, &field)` for each optional `field`.
struct OptionalQueries<'a> {
    fields: &'a BTreeSet<String>,
    count: usize,
}

impl VisitMut for OptionalQueries<'_> {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method != "query" || call.args.len() != 1 {
            return;
        }
        let Some((name, value)) = query_param(&call.args[0]) else {
            return;
        };
        if !self.fields.contains(&value.to_string()) {
            return;
        }
        call.method = parse_quote!(optional_query);
        call.args = parse_quote!(#name, &#value);
        self.count += 1;
    }
}

/// `name` and `value` of `&progenitor_client::QueryParam::new(name, &value)`.
fn query_param(arg: &syn::Expr) -> Option<(syn::Expr, syn::Ident)> {
    let syn::Expr::Reference(reference) = arg else {
        return None;
    };
    let syn::Expr::Call(call) = &*reference.expr else {
        return None;
    };
    let syn::Expr::Path(function) = &*call.func else {
        return None;
    };
    let segments: Vec<String> = function.path.segments.iter().map(|s| s.ident.to_string()).collect();
    if !segments.ends_with(&["QueryParam".to_string(), "new".to_string()]) || call.args.len() != 2 {
        return None;
    }
    let syn::Expr::Reference(value) = &call.args[1] else {
        return None;
    };
    let syn::Expr::Path(value) = &*value.expr else {
        return None;
    };
    Some((call.args[0].clone(), value.path.get_ident()?.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder() -> syn::File {
        parse_quote! {
            pub mod builder {
                use super::types;
                pub struct GetCart<'a> {
                    client: &'a super::Client,
                    cart_id: Result<::uuid::Uuid, String>,
                    include: Result<Option<::std::vec::Vec<types::Include>>, String>,
                    channel_id: Result<i64, String>,
                }
                impl<'a> GetCart<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::CartResponse>, Error<types::ErrorBody>> {
                        let Self { client, cart_id, include, channel_id } = self;
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        let mut request = client
                            .client
                            .get(url)
                            .query(&progenitor_client::QueryParam::new("include", &include))
                            .query(&progenitor_client::QueryParam::new("channel_id", &channel_id))
                            .headers(header_map)
                            .build()?;
                        todo!()
                    }
                }
            }
        }
    }

    fn text(file: &syn::File) -> String {
        file.to_token_stream().to_string().replace(' ', "")
    }

    #[test]
    fn the_version_header_is_not_built() {
        let mut file = builder();
        assert_eq!(apply(&mut file), Lean { headers: 1, queries: 1 });
        let text = text(&file);
        assert!(!text.contains("header_map"), "{text}");
        assert!(!text.contains("api-version"), "{text}");
        assert!(text.contains(".get(url).optional_query("), "{text}");
    }

    #[test]
    fn an_optional_parameter_is_added_only_when_set_and_a_required_one_always() {
        let mut file = builder();
        apply(&mut file);
        let text = text(&file);
        assert!(text.contains(".optional_query(\"include\",&include)"), "{text}");
        assert!(
            text.contains(".query(&progenitor_client::QueryParam::new(\"channel_id\",&channel_id))"),
            "{text}"
        );
        assert!(text.contains("usecrate::query::OptionalQueryas_;"), "{text}");
    }

    #[test]
    fn a_header_map_with_other_headers_is_kept() {
        let mut file = builder();
        let items = module_items(&mut file, "builder").unwrap();
        let syn::Item::Impl(block) = &mut items[2] else {
            panic!("the builder's impl")
        };
        let syn::ImplItem::Fn(send) = &mut block.items[0] else {
            panic!("send")
        };
        send.block.stmts.insert(
            2,
            parse_quote!(header_map.append(
                ::reqwest::header::HeaderName::from_static("x-customer-token"),
                token,
            );),
        );
        assert_eq!(apply(&mut file), Lean { headers: 0, queries: 1 });
        let text = text(&file);
        assert!(text.contains(".headers(header_map)"), "{text}");
        assert!(text.contains("\"api-version\""), "{text}");
    }
}
