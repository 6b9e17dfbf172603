//! Pass `setter_messages`: a builder's conversion errors name types as Rust
//! code spells them.
//!
//! progenitor writes a setter's error from the type's tokens, so a caller
//! reading `Error::InvalidRequest` sees "conversion to `:: uuid :: Uuid` for
//! token failed". The pass writes the type's last path segment and keeps its
//! generic arguments: "conversion to `Uuid` for token failed",
//! "conversion to `Vec<Include>` for include failed".

use syn::visit_mut::VisitMut;

use super::module_items;

const OPENING: &str = "conversion to `";

/// Rewrites the messages of `file`'s builders; returns how many it changed.
pub fn apply(file: &mut syn::File) -> usize {
    let mut messages = Messages { count: 0 };
    if let Some(items) = module_items(file, "builder") {
        for item in items.iter_mut() {
            messages.visit_item_mut(item);
        }
    }
    messages.count
}

struct Messages {
    count: usize,
}

impl VisitMut for Messages {
    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        let text = literal.value();
        if let Some(rewritten) = readable(&text) {
            *literal = syn::LitStr::new(&rewritten, literal.span());
            self.count += 1;
        }
    }
}

/// `text` with the type between "conversion to `" and the next backtick
/// written compactly, or `None` when it holds no such type.
fn readable(text: &str) -> Option<String> {
    let start = text.find(OPENING)? + OPENING.len();
    let end = start + text[start..].find('`')?;
    let compact = compact(&text[start..end]);
    Some(format!("{}{compact}{}", &text[..start], &text[end..]))
}

/// `:: std :: vec :: Vec < :: std :: string :: String >` is `Vec<String>`.
fn compact(tokens: &str) -> String {
    let joined: String = tokens.split_whitespace().collect();
    let mut out = String::new();
    let mut segment = String::new();
    for c in joined.chars() {
        match c {
            ':' => segment.clear(),
            '<' | '>' | ',' => {
                out.push_str(&segment);
                segment.clear();
                out.push(c);
                if c == ',' {
                    out.push(' ');
                }
            }
            _ => segment.push(c),
        }
    }
    out.push_str(&segment);
    out
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;
    use syn::parse_quote;

    use super::*;

    #[test]
    fn types_are_named_as_code_names_them() {
        assert_eq!(compact(":: uuid :: Uuid"), "Uuid");
        assert_eq!(
            compact(":: std :: vec :: Vec < :: std :: string :: String >"),
            "Vec<String>"
        );
        assert_eq!(compact(":: std :: vec :: Vec < Include >"), "Vec<Include>");
        assert_eq!(
            compact("crate :: ChannelCartSettingsRequest"),
            "ChannelCartSettingsRequest"
        );
        assert_eq!(compact("i64"), "i64");
        assert_eq!(readable("no type here"), None);
    }

    #[test]
    fn setter_messages_are_rewritten_in_the_builders() {
        let mut file: syn::File = parse_quote! {
            pub mod builder {
                impl<'a> GetCart<'a> {
                    pub fn cart_id<V>(mut self, value: V) -> Self {
                        self.cart_id = value.try_into().map_err(|_| "conversion to `:: uuid :: Uuid` for cart_id failed".to_string());
                        self
                    }
                    pub fn body<V>(mut self, value: V) -> Self {
                        self.body = value.try_into().map_err(|s| format!("conversion to `CreateCartRequest` for body failed: {}", s));
                        self
                    }
                }
            }
        };
        // The message inside `format!` is macro input, which the pass does not reach.
        assert_eq!(apply(&mut file), 1);
        let text = file.to_token_stream().to_string();
        assert!(text.contains("\"conversion to `Uuid` for cart_id failed\""), "{text}");
        assert!(
            text.contains("\"conversion to `CreateCartRequest` for body failed: {}\""),
            "{text}"
        );
    }
}
