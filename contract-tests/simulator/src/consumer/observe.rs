//! Journal entries for traffic seen from outside the simulator (a recording proxy in front of a
//! store), made the way the simulator makes its own: the operation named by the specs' routes,
//! redirect tokens replaced by their fingerprint, and the simulator's own spec check deciding
//! whether the request matches the API's description. The rules then judge them as they judge
//! the simulator's journal.

use axum::http::Method;
use chrono::{DateTime, Utc};

use crate::journal::{JournalEntry, redact_query};
use crate::spec::{Found, routes};

/// A request as it was sent: method, path under the API base (`/carts/{id}`), query, body.
#[derive(Debug, Clone, Copy)]
pub struct Sent<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The path under the API base, such as `/carts/4a7c...`.
    pub path: &'a str,
    /// The query string, without `?`.
    pub query: Option<&'a str>,
    /// The body's bytes.
    pub body: &'a [u8],
}

/// The journal entry of `sent`, answered `status` at `at`. The entry says which operation it
/// was, whether the spec check refuses it (`invalid`, with the reason in `error`) and keeps its
/// body; what only the answer tells (an error's message, a 429's reset) is the caller's to add.
pub fn observe(sent: Sent<'_>, status: u16, at: DateTime<Utc>) -> JournalEntry {
    let method = Method::from_bytes(sent.method.as_bytes()).unwrap_or(Method::GET);
    let found = routes().find(&method, sent.path);
    let (operation, refusal) = match &found {
        Found::Route(route, params) => {
            let checked = route
                .check_path(params)
                .and_then(|()| route.read_query(sent.query))
                .and_then(|_| route.read_body(sent.body));
            (Some(route.operation.clone()), checked.err())
        }
        Found::WrongMethod => (
            None,
            Some(crate::errors::ApiError::plain(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
            )),
        ),
        Found::Nowhere => (None, Some(crate::errors::ApiError::route_not_found())),
    };
    let body = if sent.body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(
            serde_json::from_slice(sent.body)
                .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(sent.body).into_owned())),
        )
    };
    JournalEntry {
        query: sent.query.map(redact_query),
        operation,
        body,
        invalid: refusal.is_some(),
        error: refusal.map(|error| error.summary()),
        ..JournalEntry::new(at, sent.method, sent.path, status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_name_the_operation_and_the_spec_check_decides_invalid() {
        let at = Utc::now();
        let good = observe(
            Sent {
                method: "POST",
                path: "/carts",
                query: Some("include=redirect_urls"),
                body: br#"{"channel_id": 1, "line_items": [{"product_id": 1, "quantity": 1}]}"#,
            },
            201,
            at,
        );
        assert_eq!(good.operation.as_deref(), Some("createCart"));
        assert!(!good.invalid, "{:?}", good.error);
        let bad = observe(
            Sent {
                method: "POST",
                path: "/carts",
                query: None,
                body: br#"{"line_items": [{"product_id": 1, "quantity": "two"}]}"#,
            },
            422,
            at,
        );
        assert!(bad.invalid);
        assert!(
            bad.error.as_deref().unwrap_or_default().contains("quantity"),
            "{:?}",
            bad.error
        );
        let visit = observe(
            Sent {
                method: "GET",
                path: "/carts/not-a-uuid",
                query: Some("token=secret"),
                body: b"",
            },
            404,
            at,
        );
        assert!(visit.invalid, "a cart id that is no UUID is off the spec");
        assert!(!visit.query.unwrap_or_default().contains("secret"));
    }
}
