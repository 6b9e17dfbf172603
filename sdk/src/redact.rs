//! Keeping redirect-URL tokens out of output.

/// Replaces the value of every `token=` query parameter in `text` with
/// `REDACTED`. Redirect URLs restore a shopper's cart with that token, so it
/// never goes into `Debug` output, error messages or logs.
pub fn redact_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = next_token_param(rest) {
        let (head, tail) = rest.split_at(at + "token=".len());
        out.push_str(head);
        let end = tail.find(['&', '#', '"', '\'', ' ', '\n']).unwrap_or(tail.len());
        if end > 0 {
            out.push_str("REDACTED");
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The index of the next `token=` that starts a query parameter.
fn next_token_param(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("token=") {
        let at = from + found;
        if at == 0 || matches!(text.as_bytes()[at - 1], b'?' | b'&' | b';') {
            return Some(at);
        }
        from = at + "token=".len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::redact_tokens;

    #[test]
    fn only_token_values_go() {
        assert_eq!(
            redact_tokens("https://h/cart.php?action=load&id=1&token=abc123&x=1"),
            "https://h/cart.php?action=load&id=1&token=REDACTED&x=1"
        );
        assert_eq!(
            redact_tokens("?token=a and ?token=b"),
            "?token=REDACTED and ?token=REDACTED"
        );
        assert_eq!(redact_tokens("csrf_token=keep"), "csrf_token=keep");
        assert_eq!(redact_tokens("token="), "token=");
    }
}
