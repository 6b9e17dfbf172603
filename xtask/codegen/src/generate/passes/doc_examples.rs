//! Pass `doc_examples`: each operation's usage example shows the call a
//! caller of the SDK writes.
//!
//! progenitor documents every operation method of the generated `Client`
//! with an example that calls the method on that client
//! (`client.create_cart()`), and has no setting for the receiver. A caller of
//! the SDK never holds the generated client: it reaches it through a method
//! of the SDK's own clients (`Client::carts`, `Client::abandoned_carts`,
//! `StorefrontClient::carts`, read from `sdk/src/client.rs` by
//! [`crate::generate::layout`]). The pass rewrites each example's receiver
//! to that path (`client.carts().create_cart()`, `storefront.carts()...` for
//! the storefront client). The examples stay `ignore`d, as progenitor writes
//! them: they use the operation's parameters as variables they do not
//! declare.

use anyhow::{Result, bail};

use crate::generate::layout::Module;

/// What the pass did: how many examples it rewrote, and to which receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// Examples rewritten: one per operation.
    pub examples: usize,
    /// The receiver they now call through (`client.carts()`).
    pub receiver: String,
}

/// The name an example gives a value of the SDK's client type `client`.
fn variable(client: &str) -> Result<&'static str> {
    match client {
        "Client" => Ok("client"),
        "StorefrontClient" => Ok("storefront"),
        other => bail!("internal: pass doc_examples has no variable name for the SDK client `{other}`"),
    }
}

/// Rewrites the examples of the operation methods of `file`'s `Client`,
/// which the SDK reaches as `module` says. Fails when an operation method
/// has no example in progenitor's form, or when there is none at all.
pub fn apply(file: &mut syn::File, module: &Module) -> Result<Rewritten> {
    let receiver = format!("{}.{}()", variable(&module.client)?, module.accessor);
    let mut examples = 0;
    for item in file.items.iter_mut() {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || !is_named(&block.self_ty, "Client") {
            continue;
        }
        for impl_item in block.items.iter_mut() {
            let syn::ImplItem::Fn(method) = impl_item else { continue };
            if !returns_a_builder(&method.sig.output) {
                continue;
            }
            let name = method.sig.ident.to_string();
            let generated = format!("let response = client.{name}()");
            let wanted = format!("let response = {receiver}.{name}()");
            let mut found = 0;
            for attribute in method.attrs.iter_mut() {
                let Some(text) = doc_text(attribute) else { continue };
                let count = text.matches(&generated).count();
                if count > 0 {
                    found += count;
                    set_doc_text(attribute, &text.replace(&generated, &wanted));
                }
            }
            if found != 1 {
                bail!(
                    "pass doc_examples: the documentation of operation method `{name}` holds {found} examples \
                     of the form `{generated}`, where progenitor writes one; the generator changed how it \
                     documents operations, so the pass has to change with it"
                );
            }
            examples += 1;
        }
    }
    if examples == 0 {
        bail!(
            "pass doc_examples: no operation method of `Client` found to rewrite for module {}; progenitor \
             changed where it puts operations, so the pass has to change with it",
            module.name
        );
    }
    Ok(Rewritten { examples, receiver })
}

fn is_named(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(path) if path.qself.is_none() && path.path.is_ident(name))
}

/// Whether a method returns `builder::X<'_>`, as progenitor's operation
/// methods do.
fn returns_a_builder(output: &syn::ReturnType) -> bool {
    let syn::ReturnType::Type(_, ty) = output else {
        return false;
    };
    let syn::Type::Path(path) = ty.as_ref() else {
        return false;
    };
    path.path.segments.len() == 2 && path.path.segments[0].ident == "builder"
}

/// The text of a `#[doc = "..."]` attribute.
fn doc_text(attribute: &syn::Attribute) -> Option<String> {
    crate::generate::layout::string_attribute(attribute, "doc")
}

fn set_doc_text(attribute: &mut syn::Attribute, text: &str) {
    if let syn::Meta::NameValue(pair) = &mut attribute.meta
        && let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(literal),
            ..
        }) = &mut pair.value
    {
        *literal = syn::LitStr::new(text, literal.span());
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;
    use syn::parse_quote;

    use super::*;

    fn module(client: &str, accessor: &str) -> Module {
        Module {
            name: "carts".into(),
            client: client.into(),
            accessor: accessor.into(),
        }
    }

    fn file() -> syn::File {
        parse_quote! {
            impl Client {
                #[doc = "Create a cart\n\n```ignore\nlet response = client.create_cart()\n    .body(body)\n    .send()\n    .await;\n```"]
                pub fn create_cart(&self) -> builder::CreateCart<'_> {
                    builder::CreateCart::new(self)
                }
                #[doc = "```ignore\nlet response = client.get_cart()\n    .cart_id(cart_id)\n    .send()\n    .await;\n```"]
                pub fn get_cart(&self) -> builder::GetCart<'_> {
                    builder::GetCart::new(self)
                }
                /// Not an operation: left alone.
                pub fn baseurl(&self) -> &String {
                    &self.baseurl
                }
            }
        }
    }

    #[test]
    fn examples_call_through_the_sdk_client() {
        let mut file = file();
        let rewritten = apply(&mut file, &module("Client", "carts")).unwrap();
        assert_eq!(
            rewritten,
            Rewritten {
                examples: 2,
                receiver: "client.carts()".into()
            }
        );
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains(r"let response = client.carts().create_cart()\n    .body(body)"),
            "{text}"
        );
        assert!(text.contains(r"let response = client.carts().get_cart()\n"), "{text}");
        assert!(!text.contains("client.create_cart()"), "{text}");
    }

    #[test]
    fn the_storefront_client_is_named_as_such() {
        let mut file = file();
        let rewritten = apply(&mut file, &module("StorefrontClient", "carts")).unwrap();
        assert_eq!(rewritten.receiver, "storefront.carts()");
        assert!(
            file.to_token_stream()
                .to_string()
                .contains("let response = storefront.carts().get_cart()")
        );
    }

    #[test]
    fn an_operation_without_the_example_fails_generation() {
        let mut file: syn::File = parse_quote! {
            impl Client {
                #[doc = "Create a cart\n\n```ignore\nclient.create_cart().send().await;\n```"]
                pub fn create_cart(&self) -> builder::CreateCart<'_> {
                    builder::CreateCart::new(self)
                }
            }
        };
        let error = apply(&mut file, &module("Client", "carts")).unwrap_err().to_string();
        assert!(
            error.contains(
                "operation method `create_cart` holds 0 examples of the form `let response = client.create_cart()`"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_file_without_operations_fails_generation() {
        let mut file: syn::File = parse_quote! {
            impl Client {
                pub fn baseurl(&self) -> &String {
                    &self.baseurl
                }
            }
        };
        let error = apply(&mut file, &module("Client", "carts")).unwrap_err().to_string();
        assert!(error.contains("no operation method of `Client` found"), "{error}");
    }
}
