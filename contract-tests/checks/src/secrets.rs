//! Keeping secrets out of cassettes: redaction for recordings, and a scan
//! that finds anything that still looks like a secret.

use bigcommerce_carts::redact_tokens;
use serde_json::Value;

/// What replaces a redirect URL's `token=` value.
pub const REDACTED_TOKEN: &str = "REDACTED";
/// What replaces an access token in recorded headers.
pub const REDACTED_HEADER: &str = "<redacted>";

/// Redacts the redirect-URL tokens in every string inside a JSON value, as
/// the SDK does for its own output (`REDACTED_TOKEN` is what it writes).
pub fn redact_json(value: &mut Value) {
    match value {
        Value::String(s) if s.contains("token=") => *s = redact_tokens(s),
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::Object(map) => map.values_mut().for_each(redact_json),
        _ => {}
    }
}

/// Everything in a cassette's text that looks like a secret, by line.
pub fn scan(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line_no = number + 1;
        let lower = line.to_ascii_lowercase();
        if let Some(at) = lower.find("x-auth-token:") {
            let value = line[at + "x-auth-token:".len()..].trim().trim_matches(['"', '\'']);
            if value != REDACTED_HEADER {
                found.push(format!(
                    "line {line_no}: an X-Auth-Token value other than {REDACTED_HEADER}"
                ));
            }
        }
        // Redaction changes a line only where a token is not redacted yet.
        if redact_tokens(line) != line {
            found.push(format!(
                "line {line_no}: a redirect URL token that is not {REDACTED_TOKEN}"
            ));
        }
        for word in line.split(|c: char| !c.is_ascii_alphanumeric()) {
            if looks_like_a_key(word) {
                found.push(format!("line {line_no}: {}... looks like a credential", &word[..6]));
            }
        }
    }
    found
}

/// A long run of letters and digits, mixed, is how API tokens and client
/// secrets look; UUID groups are at most 12 characters, so ids never match.
fn looks_like_a_key(word: &str) -> bool {
    word.len() >= 24
        && word.bytes().any(|b| b.is_ascii_digit())
        && word.bytes().any(|b| b.is_ascii_alphabetic())
        && word.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_replaces_only_token_values() {
        let url = "https://s.example.com/cart.php?action=load&id=42&token=9f8e7d6c5b4a&utm_source=mail";
        assert_eq!(
            redact_tokens(url),
            "https://s.example.com/cart.php?action=load&id=42&token=REDACTED&utm_source=mail"
        );
        assert_eq!(redact_tokens("no_token=1&x=2"), "no_token=1&x=2");
        let mut json = serde_json::json!({"data": {"cart_url": url, "n": 1}});
        redact_json(&mut json);
        assert!(json["data"]["cart_url"].as_str().unwrap().contains("token=REDACTED&"));
    }

    #[test]
    fn the_scan_finds_tokens_headers_and_keys() {
        let leaky = "x-auth-token: abc\n\
                     url: https://h/cart.php?action=load&token=0aa11bb22cc33dd44\n\
                     secret: k7x9q2m4p8r1t5v3w6y0z2a4b6c8d0e2\n";
        let found = scan(leaky);
        assert_eq!(found.len(), 3, "{found:?}");
        let clean = "x-auth-token: <redacted>\nurl: https://h/cart.php?id=5f0c2e1a-9b3d-4c7e-8a21-3d6f4b9e0c17&token=REDACTED\n";
        assert_eq!(scan(clean), Vec::<String>::new());
    }
}
