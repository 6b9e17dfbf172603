//! The way in for every API request: `/stores/{store_hash}/v3/...`.
//!
//! The steps are those of the real gateway as far as a client can tell: find the operation,
//! authenticate, count the request against the store's quota, then (the simulator's part) let
//! a fault rule intervene, check the request against the spec, and run the operation. Every
//! request is written to the store's journal with the status it got, and every answer but a
//! platform 429 carries the quota headers.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tokio::sync::Notify;

use crate::auth::{authorize, identify};
use crate::errors::ApiError;
use crate::faults::{Decision, Effect};
use crate::handlers::{Ctx, Reply, dispatch};
use crate::journal::{JournalEntry, redact_query};
use crate::rate_limit::Verdict;
use crate::spec::{Found, Query, Route, routes};
use crate::state::{Store, StoreCell, World, valid_store_hash};

/// The largest request body read, in bytes; bigger ones are answered 413.
const MAX_BODY: usize = 1024 * 1024;

/// A handle that closes the connection a request came on (set by the server per connection).
#[derive(Clone, Debug)]
pub(crate) struct ConnectionKill(pub Arc<Notify>);

/// What the journal learns about a request along the way.
#[derive(Clone)]
struct Record {
    method: Method,
    path: String,
    query: Option<String>,
    operation: Option<String>,
    fault: Option<String>,
    body: Option<Value>,
    error: Option<String>,
    rate_limit_reset_ms: Option<u64>,
    invalid: bool,
}

impl Record {
    fn entry(self, at: chrono::DateTime<chrono::Utc>, status: u16) -> JournalEntry {
        JournalEntry {
            query: self.query,
            operation: self.operation,
            fault: self.fault,
            body: self.body,
            error: self.error,
            rate_limit_reset_ms: self.rate_limit_reset_ms,
            invalid: self.invalid,
            ..JournalEntry::new(at, self.method.to_string(), self.path, status)
        }
    }

    /// Notes what an error answer said, for the journal.
    fn refused(mut self, error: &ApiError) -> Self {
        self.error = Some(error.summary());
        self
    }

    /// Notes a refusal of the spec check: the request does not match the API's description.
    fn invalid(mut self, error: &ApiError) -> Self {
        self.invalid = true;
        self.refused(error)
    }
}

fn json_response(status: StatusCode, body: Option<Vec<u8>>) -> Response {
    let mut response = match body {
        Some(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        None => Response::new(Body::empty()),
    };
    *response.status_mut() = status;
    response
}

fn error_response(error: &ApiError) -> Response {
    let body = serde_json::to_vec(&error.body()).unwrap_or_default();
    json_response(error.status, Some(body))
}

fn answer(result: Result<Reply, ApiError>) -> Response {
    match result {
        Ok(reply) => json_response(reply.status, reply.body),
        Err(error) => error_response(&error),
    }
}

/// The body as the journal keeps it when it is not valid JSON: its text, cut short.
fn unparsed_body(bytes: &[u8]) -> Option<Value> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Some(value);
    }
    Some(Value::String(
        String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned(),
    ))
}

fn status_of(result: &Result<Reply, ApiError>) -> u16 {
    match result {
        Ok(reply) => reply.status.as_u16(),
        Err(error) => error.status.as_u16(),
    }
}

/// Splits `/stores/{hash}/v3/rest` into the hash and `/rest`.
fn split_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/stores/")?;
    let (hash, tail) = rest.split_once('/')?;
    let api_path = tail.strip_prefix("v3")?;
    if !api_path.starts_with('/') {
        return None;
    }
    Some((hash, api_path))
}

/// A request read and checked against the spec, before the store is touched.
struct Checked {
    query: Query,
    body: Option<Value>,
}

/// Runs the operation on the locked store and journals it.
#[allow(clippy::too_many_arguments)]
fn run_locked(
    world: &World,
    cell: &StoreCell,
    store: &mut Store,
    route: &Route,
    params: &BTreeMap<String, String>,
    checked: &Checked,
    bytes: &Bytes,
    client_id: &str,
    mut record: Record,
) -> Result<Reply, ApiError> {
    let now = world.now(store);
    let public_base = world.public_base(store);
    let ctx = Ctx {
        store_hash: &cell.hash,
        params,
        query: &checked.query,
        body: checked.body.as_ref(),
        raw_body: bytes,
        client_id,
        now,
        public_base: &public_base,
    };
    let result = dispatch(&route.operation, &ctx, store);
    record.body = checked.body.clone();
    if let Err(error) = &result {
        record = record.refused(error);
    }
    store.journal.push(record.entry(now, status_of(&result)));
    result
}

/// Handles one API request.
///
/// The body is read and checked against the spec first, without the store's lock; then one
/// lock covers authentication, the quota, the fault dice, the operation and the journal, so a
/// request takes the store's lock once (twice only when a fault delays it).
pub(crate) async fn api(State(world): State<Arc<World>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some((hash, api_path)) = split_path(parts.uri.path()) else {
        return error_response(&ApiError::route_not_found());
    };
    if !valid_store_hash(hash) {
        return error_response(&ApiError::route_not_found());
    }
    let cell = world.store(hash);
    let found = routes().find(&parts.method, api_path);
    let operation = match &found {
        Found::Route(route, _) => Some(route.operation.as_str()),
        _ => None,
    };
    let record = Record {
        method: parts.method.clone(),
        path: api_path.to_string(),
        query: parts.uri.query().map(redact_query),
        operation: operation.map(str::to_string),
        fault: None,
        body: None,
        error: None,
        rate_limit_reset_ms: None,
        invalid: false,
    };
    let read = axum::body::to_bytes(body, MAX_BODY).await;
    let bytes = read.as_ref().cloned().unwrap_or_default();
    let checked: Result<Checked, ApiError> = match (&read, &found) {
        (Err(_), _) => {
            Err(ApiError::plain(StatusCode::PAYLOAD_TOO_LARGE)
                .detail(format!("Bodies are limited to {MAX_BODY} bytes.")))
        }
        (Ok(_), Found::Route(route, params)) => route
            .check_path(params)
            .and_then(|()| route.read_query(parts.uri.query()))
            .and_then(|query| route.read_body(&bytes).map(|body| Checked { query, body })),
        (Ok(_), Found::WrongMethod) => {
            Err(ApiError::plain(StatusCode::METHOD_NOT_ALLOWED).detail(format!("{} is not served here.", parts.method)))
        }
        (Ok(_), Found::Nowhere) => Err(ApiError::route_not_found()),
    };

    let step = locked_step(
        &world,
        &cell,
        &parts.headers,
        &parts.method,
        &found,
        checked,
        &bytes,
        record,
    );
    match step {
        Step::Done(response) => response,
        Step::Fault(pending) => {
            let Pending {
                decision,
                verdict,
                checked,
                client_id,
                record,
            } = *pending;
            let response = match apply_fault(&world, &cell, record, decision, &parts.extensions).await {
                Ok(response) => response,
                // Only latency: the request goes on, its checks as they came out.
                Err(mut record) => {
                    let mut store = cell.lock();
                    let result = match (checked, &found) {
                        (Ok(checked), Found::Route(route, params)) => run_locked(
                            &world, &cell, &mut store, route, params, &checked, &bytes, &client_id, record,
                        ),
                        (Ok(_), _) => Err(ApiError::route_not_found()),
                        (Err(error), _) => {
                            let now = world.now(&store);
                            record.body = unparsed_body(&bytes);
                            store
                                .journal
                                .push(record.invalid(&error).entry(now, error.status.as_u16()));
                            Err(error)
                        }
                    };
                    answer(result)
                }
            };
            if decision.effect == Effect::Platform429 {
                response
            } else {
                with_limits(response, &verdict)
            }
        }
    }
}

/// What the locked part of a request leads to.
enum Step {
    /// The answer.
    Done(Response),
    /// A fault rule hit the request; it is carried out without the lock, since it may wait.
    Fault(Box<Pending>),
}

/// A request that a fault rule hit, waiting to be carried out.
struct Pending {
    decision: Decision,
    verdict: Verdict,
    checked: Result<Checked, ApiError>,
    client_id: String,
    record: Record,
}

/// Authentication, quota, fault dice, the operation and the journal, under one lock.
#[allow(clippy::too_many_arguments)]
fn locked_step(
    world: &World,
    cell: &StoreCell,
    headers: &axum::http::HeaderMap,
    method: &Method,
    found: &Found<'_>,
    checked: Result<Checked, ApiError>,
    bytes: &Bytes,
    mut record: Record,
) -> Step {
    let operation = match found {
        Found::Route(route, _) => Some(route.operation.as_str()),
        _ => None,
    };
    let mut guard = cell.lock();
    let store = &mut *guard;
    let now = world.now(store);
    let now_ms = now.timestamp_millis();
    let limits = store.data.rate_limit;
    // Refused tokens (401, 403) are not counted against the quota, but their answers still
    // show its state.
    let client_id = match identify(&store.data.tokens, headers).and_then(|grant| match operation {
        Some(operation) => authorize(grant, method, operation).map(|()| grant.client_id.clone()),
        // A path that names no operation needs a known token but no particular scope.
        None => Ok(grant.client_id.clone()),
    }) {
        Ok(client_id) => client_id,
        Err(error) => {
            let verdict = store.window.peek(limits, now_ms);
            record.body = unparsed_body(bytes);
            store
                .journal
                .push(record.refused(&error).entry(now, error.status.as_u16()));
            return Step::Done(with_limits(error_response(&error), &verdict));
        }
    };
    let verdict = store.window.take(limits, now_ms);
    if !verdict.allowed {
        let error = ApiError::plain(StatusCode::TOO_MANY_REQUESTS)
            .detail("The store's request quota for this window is spent; retry after X-Rate-Limit-Time-Reset-Ms.");
        record.body = unparsed_body(bytes);
        record.rate_limit_reset_ms = Some(verdict.reset_ms);
        store.journal.push(record.refused(&error).entry(now, 429));
        return Step::Done(with_limits(error_response(&error), &verdict));
    }
    let decision = match operation {
        Some(operation) if !store.data.faults.rules.is_empty() => store.data.faults.decide(&mut store.dice, operation),
        _ => None,
    };
    if let Some(decision) = decision {
        record.body = unparsed_body(bytes);
        return Step::Fault(Box::new(Pending {
            decision,
            verdict,
            checked,
            client_id,
            record,
        }));
    }
    let result = match (checked, found) {
        (Ok(checked), Found::Route(route, params)) => {
            run_locked(world, cell, store, route, params, &checked, bytes, &client_id, record)
        }
        (Ok(_), _) => Err(ApiError::route_not_found()),
        (Err(error), _) => {
            record.body = unparsed_body(bytes);
            store
                .journal
                .push(record.invalid(&error).entry(now, error.status.as_u16()));
            Err(error)
        }
    };
    drop(guard);
    Step::Done(with_limits(answer(result), &verdict))
}

/// Carries out a fault: the answer it gives, or the record back when the request goes on
/// (latency only).
async fn apply_fault(
    world: &World,
    cell: &StoreCell,
    mut record: Record,
    decision: Decision,
    extensions: &axum::http::Extensions,
) -> Result<Response, Record> {
    if decision.latency_ms > 0 {
        // A client that stops waiting closes its connection, and the server then drops this
        // future in the middle of the delay. The guard journals that, so the journal shows the
        // timeout the client saw (status 0) instead of losing the request.
        let mut guard = GaveUp {
            world,
            cell,
            latency_ms: decision.latency_ms,
            record: Some(record.clone()),
        };
        tokio::time::sleep(std::time::Duration::from_millis(decision.latency_ms)).await;
        guard.record = None;
    }
    let name = match decision.effect {
        Effect::Status => format!("status {}", decision.status),
        Effect::Platform429 => "platform_429".to_string(),
        Effect::DropConnection => "drop_connection".to_string(),
        Effect::Latency => format!("latency {} ms", decision.latency_ms),
    };
    record.fault = Some(name);
    let journal = |record: Record, status: u16| {
        let mut store = cell.lock();
        let now = world.now(&store);
        store.journal.push(record.entry(now, status));
    };
    match decision.effect {
        Effect::Latency => Err(record),
        Effect::Status => {
            let status = StatusCode::from_u16(decision.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            journal(record, status.as_u16());
            Ok(error_response(
                &ApiError::plain(status).detail("Injected by a fault rule of the simulator."),
            ))
        }
        Effect::Platform429 => {
            journal(record, 429);
            Ok(error_response(
                &ApiError::plain(StatusCode::TOO_MANY_REQUESTS).detail("The platform is busy; try again shortly."),
            ))
        }
        Effect::DropConnection => {
            journal(record, 0);
            match extensions.get::<ConnectionKill>() {
                Some(kill) => {
                    kill.0.notify_one();
                    // The server drops this connection, and this future with it.
                    std::future::pending::<()>().await;
                    Ok(StatusCode::BAD_GATEWAY.into_response())
                }
                // Outside the simulator's own server there is no connection to close; the
                // nearest thing is an answer that is not HTTP's idea of a good one.
                None => Ok((StatusCode::BAD_GATEWAY, "connection dropped").into_response()),
            }
        }
    }
}

/// Journals a delayed request whose client closed the connection before the delay was over.
struct GaveUp<'a> {
    world: &'a World,
    cell: &'a StoreCell,
    latency_ms: u64,
    record: Option<Record>,
}

impl Drop for GaveUp<'_> {
    fn drop(&mut self) {
        if let Some(mut record) = self.record.take() {
            record.fault = Some(format!(
                "latency {} ms; the client closed the connection before the answer",
                self.latency_ms
            ));
            let mut store = self.cell.lock();
            let now = self.world.now(&store);
            store.journal.push(record.entry(now, 0));
        }
    }
}

fn with_limits(mut response: Response, verdict: &Verdict) -> Response {
    verdict.write_headers(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths_split_into_store_and_rest() {
        assert_eq!(split_path("/stores/abc/v3/carts"), Some(("abc", "/carts")));
        assert_eq!(split_path("/stores/abc/v2/carts"), None);
        assert_eq!(split_path("/stores/abc/v3"), None);
        assert_eq!(split_path("/carts"), None);
    }
}
