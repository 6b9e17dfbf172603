//! The one seam into every request the generated clients make: credentials
//! and the wire fixes the generator cannot know about.
//!
//! progenitor calls [`ClientHooks::pre`] on each built request and
//! [`ClientHooks::exec`] to send it. Here they:
//! - add `X-Auth-Token` (progenitor ignores `securitySchemes`);
//! - send `Accept` as `application/json`, and `Content-Type` too on every
//!   request but a `GET` or `HEAD` (the specs declare them as header
//!   parameters, which the generator's normalization drops; they declare
//!   `Content-Type` on no `GET`, which has no body to describe, and each
//!   header a call sends costs both ends time);
//! - join array query parameters documented as `style: form, explode: false`
//!   (`include`) into one comma-separated value, where progenitor repeats the
//!   key;
//! - retry on rate limits, overload, gateway errors and requests that got no
//!   answer (see [`crate::retry`]) and keep the last rate-limit figures;
//! - hand an empty success body to the decoder as JSON `null` for operations
//!   documented to answer with or without a body (`deleteCartLineItem`
//!   answers 204 when removing the last item deleted the cart), whose success
//!   type is an `Option`; and an empty error body as `{}`, so a bodiless 404
//!   is still a typed error with its status;
//! - stop bodies at a size limit, and replace error answers that are not the
//!   error envelope (a proxy's HTML page) by one saying what came (see
//!   [`crate::limit`]).

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::Method;
use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue};

use crate::auth::AccessToken;
use crate::retry::{RateLimitState, RetryPolicy, decide};
use crate::transport::Failure;

/// State shared by the generated clients of one [`crate::Client`] or
/// [`crate::StorefrontClient`]. Built by those clients; it is `pub` only
/// because the generated clients' `ClientInfo` names it, and it cannot be
/// named or built outside the crate.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Inner {
    pub(crate) access_token: Option<AccessToken>,
    pub(crate) retry: RetryPolicy,
    pub(crate) rate_limit: RateLimitState,
    pub(crate) max_body: u64,
}

impl Inner {
    pub(crate) fn new(access_token: Option<AccessToken>, retry: RetryPolicy, max_body: u64) -> Self {
        Self {
            access_token,
            retry,
            rate_limit: RateLimitState::default(),
            max_body,
        }
    }
}

const X_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");
const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Implements the hooks for one generated client, with that API's wire tables.
macro_rules! client_hooks {
    ($($module:ident),*) => {$(
        impl ClientHooks<Inner> for crate::$module::Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                prepare(self.inner(), request, info.operation_id, crate::$module::wire::COMMA_SEPARATED_QUERY);
                Ok(())
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                let inner = self.inner();
                let response = send(self.client(), inner, request, info.operation_id).await?;
                let response = fill_empty_body(response, info.operation_id, crate::$module::wire::EMPTY_SUCCESS_AS_NULL);
                Ok(crate::limit::guard::<crate::$module::types::ErrorBody>(response, inner.max_body).await)
            }
        }
    )*};
}

#[cfg(feature = "carts")]
client_hooks!(carts);
#[cfg(feature = "abandoned-carts")]
client_hooks!(abandoned_carts);
#[cfg(feature = "storefront")]
client_hooks!(storefront);

/// Sends `request`, trying again as the retry policy says, and records the
/// rate-limit figures of every answer.
pub(crate) async fn send(
    http: &reqwest::Client,
    inner: &Inner,
    request: reqwest::Request,
    operation_id: &str,
) -> reqwest::Result<reqwest::Response> {
    let method = request.method().clone();
    let mut request = request;
    let mut attempt = 1;
    loop {
        // A body that cannot be copied (a stream) can be sent only once; with
        // no attempt left there is nothing to keep a copy for.
        let spare = (attempt < inner.retry.max_attempts)
            .then(|| request.try_clone())
            .flatten();
        let outcome = http.execute(request).await;
        if let Ok(response) = &outcome {
            inner.rate_limit.record(response.headers());
        }
        let Some(spare) = spare else { return outcome };
        let failure = outcome.as_ref().map_err(Failure::of);
        let Some((wait, reason)) = decide(&inner.retry, &method, attempt, failure, fastrand::f64()) else {
            return outcome;
        };
        let status = outcome.as_ref().ok().map(|r| r.status().as_u16());
        tracing::warn!(
            target: "bigcommerce_carts::retry",
            operation = operation_id,
            attempt,
            status,
            wait_ms = wait.as_millis() as u64,
            reason = reason.as_str(),
            "retrying request"
        );
        drop(outcome);
        tokio::time::sleep(wait).await;
        request = spare;
        attempt += 1;
    }
}

/// Applies the request-side fixes described in the module documentation.
pub(crate) fn prepare(
    inner: &Inner,
    request: &mut reqwest::Request,
    operation_id: &str,
    comma_separated: &[(&str, &str)],
) {
    let headers = request.headers_mut();
    if let Some(token) = &inner.access_token {
        headers.insert(X_AUTH_TOKEN, token.header_value());
    }
    headers.entry(ACCEPT).or_insert(JSON);
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        request.headers_mut().entry(CONTENT_TYPE).or_insert(JSON);
    }

    if !comma_separated.iter().any(|(op, _)| *op == operation_id) {
        return;
    }
    let names: Vec<&str> = comma_separated
        .iter()
        .filter(|(op, _)| *op == operation_id)
        .map(|(_, name)| *name)
        .collect();
    if let Some(query) = request.url().query() {
        let joined = join_repeated_keys(query, &names);
        if joined != query {
            request.url_mut().set_query(Some(&joined));
        }
    }
}

/// Rewrites `k=a&x=1&k=b` as `k=a,b&x=1` for each key in `names`, leaving
/// every other byte of the query as it was. Values stay percent-encoded as
/// progenitor encoded them, so a comma inside a value (`%2C`) is never
/// mistaken for the separator.
pub(crate) fn join_repeated_keys(query: &str, names: &[&str]) -> String {
    let mut segments: Vec<(String, Vec<String>)> = Vec::new();
    for segment in query.split('&').filter(|s| !s.is_empty()) {
        let (key, value) = segment.split_once('=').unwrap_or((segment, ""));
        let decoded: String = url::form_urlencoded::parse(key.as_bytes())
            .map(|(k, _)| k.into_owned())
            .collect();
        let joinable = names.contains(&decoded.as_str());
        match segments.iter_mut().find(|(k, _)| joinable && k == key) {
            Some((_, values)) => values.push(value.to_string()),
            None if joinable => segments.push((key.to_string(), vec![value.to_string()])),
            // A key that is not joined keeps its segment untouched.
            None => segments.push((segment.to_string(), Vec::new())),
        }
    }
    segments
        .into_iter()
        .map(|(key, values)| {
            if values.is_empty() {
                key
            } else {
                format!("{key}={}", values.join(","))
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Gives empty bodies a JSON reading: for operations listed in
/// `nullable_success`, an empty 2xx body becomes `null`, which their `Option`
/// success type decodes as `None`; an empty 4xx/5xx body (a bodiless 404)
/// becomes `{}`, an error envelope without fields, so the error still comes
/// back typed and with its status.
pub(crate) fn fill_empty_body(
    response: reqwest::Response,
    operation_id: &str,
    nullable_success: &[&str],
) -> reqwest::Response {
    let status = response.status();
    let empty = status == reqwest::StatusCode::NO_CONTENT
        || response
            .headers()
            .get(CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() == b"0");
    let filler = if !empty {
        return response;
    } else if status.is_success() && nullable_success.contains(&operation_id) {
        "null"
    } else if status.is_client_error() || status.is_server_error() {
        "{}"
    } else {
        return response;
    };
    let (mut parts, _) = http::Response::<reqwest::Body>::from(response).into_parts();
    parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(filler.len()));
    parts.headers.insert(CONTENT_TYPE, JSON);
    reqwest::Response::from(http::Response::from_parts(parts, filler))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_repeated_keys_in_place_and_keeps_other_bytes() {
        assert_eq!(
            join_repeated_keys("include=redirect_urls&limit=5&include=promotions.banners", &["include"]),
            "include=redirect_urls,promotions.banners&limit=5"
        );
        assert_eq!(join_repeated_keys("a=1&a=2", &["include"]), "a=1&a=2");
        assert_eq!(
            join_repeated_keys("include=x%2Cy&include=z", &["include"]),
            "include=x%2Cy,z"
        );
        assert_eq!(join_repeated_keys("include=one", &["include"]), "include=one");
    }

    fn request(url: &str) -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::POST, url.parse().unwrap())
    }

    #[test]
    fn prepare_authenticates_and_fixes_the_wire() {
        let inner = Inner::new(Some(AccessToken::new("token-1").unwrap()), RetryPolicy::default(), 1024);
        let mut req = request("https://h/v3/carts?include=redirect_urls&include=promotions.banners");
        prepare(&inner, &mut req, "createCart", &[("createCart", "include")]);
        assert_eq!(req.url().query(), Some("include=redirect_urls,promotions.banners"));
        assert_eq!(req.headers()["x-auth-token"], "token-1");
        assert!(req.headers()["x-auth-token"].is_sensitive());
        assert_eq!(req.headers()[ACCEPT], "application/json");
        assert_eq!(req.headers()[CONTENT_TYPE], "application/json");
    }

    #[test]
    fn prepare_joins_only_the_operations_listed() {
        let inner = Inner::new(None, RetryPolicy::default(), 1024);
        let mut req = request("https://h/carts?include=a&include=b");
        prepare(&inner, &mut req, "getCart", &[("createCart", "include")]);
        assert_eq!(req.url().query(), Some("include=a&include=b"));
        assert!(req.headers().get("x-auth-token").is_none());
    }

    #[test]
    fn a_get_carries_no_content_type() {
        let inner = Inner::new(Some(AccessToken::new("token-1").unwrap()), RetryPolicy::default(), 1024);
        let mut get = reqwest::Request::new(reqwest::Method::GET, "https://h/v3/carts/1".parse().unwrap());
        prepare(&inner, &mut get, "getCart", &[]);
        assert_eq!(get.headers()[ACCEPT], "application/json");
        assert!(get.headers().get(CONTENT_TYPE).is_none());
        let mut delete = reqwest::Request::new(reqwest::Method::DELETE, "https://h/v3/carts/1".parse().unwrap());
        prepare(&inner, &mut delete, "deleteCart", &[]);
        assert_eq!(delete.headers()[CONTENT_TYPE], "application/json");
    }

    #[tokio::test]
    async fn empty_bodies_get_a_json_reading() {
        let empty = |status: u16| {
            let response = http::Response::builder()
                .status(status)
                .header(CONTENT_LENGTH, "0")
                .body("")
                .unwrap();
            reqwest::Response::from(response)
        };
        let rewritten = fill_empty_body(empty(204), "delete_cart_line_item", &["delete_cart_line_item"]);
        assert_eq!(rewritten.status(), 204);
        assert_eq!(rewritten.text().await.unwrap(), "null");
        let untouched = fill_empty_body(empty(204), "delete_cart", &["delete_cart_line_item"]);
        assert_eq!(untouched.text().await.unwrap(), "");
        let error = fill_empty_body(empty(404), "update_cart_currency", &[]);
        assert_eq!(
            (error.status().as_u16(), error.text().await.unwrap()),
            (404, "{}".to_string())
        );
        let with_body =
            reqwest::Response::from(http::Response::builder().status(404).body("{\"title\":\"x\"}").unwrap());
        assert_eq!(
            fill_empty_body(with_body, "get_cart", &[]).text().await.unwrap(),
            "{\"title\":\"x\"}"
        );
    }
}
