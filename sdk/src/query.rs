//! Optional query parameters, added to a request only when they have a value.
//!
//! reqwest's `RequestBuilder::query` rewrites the URL's whole query on every
//! call, even for a parameter that serializes to nothing. The generated
//! builders call [`OptionalQuery::optional_query`] for each optional
//! parameter instead (see the generator's `lean_requests` pass), so a request
//! that sets none of them leaves its URL as it was built.

use serde::Serialize;

/// Adds a query parameter that may be absent.
pub(crate) trait OptionalQuery {
    /// Adds `name` with `value`'s serialization when `value` is `Some`.
    fn optional_query<T: Serialize>(self, name: &str, value: &Option<T>) -> Self;
}

impl OptionalQuery for reqwest::RequestBuilder {
    fn optional_query<T: Serialize>(self, name: &str, value: &Option<T>) -> Self {
        match value {
            Some(value) => self.query(&progenitor_client::QueryParam::new(name, value)),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(builder: reqwest::RequestBuilder) -> String {
        builder
            .build()
            .map(|r| r.url().to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn an_absent_value_leaves_the_url_as_built_and_a_present_one_is_added() {
        let client = crate::http_client_builder()
            .and_then(|b| Ok(b.build()?))
            .expect("a client");
        let base = "http://127.0.0.1/carts/1?";
        let none: Option<Vec<&str>> = None;
        assert_eq!(url(client.get(base).optional_query("include", &none)), base);
        let some = Some(vec!["a", "b"]);
        assert_eq!(
            url(client.get("http://127.0.0.1/carts/1").optional_query("include", &some)),
            "http://127.0.0.1/carts/1?include=a&include=b"
        );
        assert_eq!(
            url(client.get("http://127.0.0.1/c").optional_query("limit", &Some(5))),
            "http://127.0.0.1/c?limit=5"
        );
    }
}
