//! Hostile answers: for every operation, arbitrary bytes and mutations of the
//! recorded payloads (truncated, mistyped, an HTML page, empty, the wrong
//! content type, over the size limit), under success and error statuses.
//! The SDK must never panic, an error status must always come back as the
//! typed API error with that status, and a success body it cannot read must
//! come back as an unreadable-answer error. 1,024 cases.

use std::sync::{Arc, LazyLock, Mutex};

use bigcommerce_carts::{Client, RetryPolicy, StorefrontClient};
use contract_tests::cassette::{self, Cassette};
use contract_tests::dispatch::{self, Outcome};
use contract_tests::spec::{self, Specs};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers};

static SPECS: LazyLock<Specs> = LazyLock::new(|| Specs::load(&spec::default_dir()).unwrap());
static CASSETTES: LazyLock<Vec<Cassette>> = LazyLock::new(|| cassette::load_all(&cassette::default_dir()).unwrap());

/// The largest body the clients under test read.
const LIMIT: u64 = 4096;

/// What the server answers next.
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    content_type: Option<&'static str>,
    body: Vec<u8>,
}

#[derive(Clone)]
struct Scripted(Arc<Mutex<Answer>>);

impl Respond for Scripted {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let answer = self.0.lock().unwrap().clone();
        let template = ResponseTemplate::new(answer.status);
        match answer.content_type {
            Some(content_type) => template.set_body_raw(answer.body, content_type),
            None => template.set_body_bytes(answer.body),
        }
    }
}

/// Ways to spoil a valid body.
#[derive(Clone, Debug)]
enum Spoil {
    Keep,
    Truncate(usize),
    Replace(usize, u8),
    Arbitrary(Vec<u8>),
    Empty,
    Html,
    Mistype,
    Oversize,
}

fn spoil(body: &[u8], how: &Spoil) -> Vec<u8> {
    match how {
        Spoil::Keep => body.to_vec(),
        Spoil::Truncate(at) => body[..(*at % (body.len() + 1))].to_vec(),
        Spoil::Replace(at, byte) if !body.is_empty() => {
            let mut body = body.to_vec();
            let at = at % body.len();
            body[at] = *byte;
            body
        }
        Spoil::Replace(..) => vec![b'{'],
        Spoil::Arbitrary(bytes) => bytes.clone(),
        Spoil::Empty => Vec::new(),
        Spoil::Html => b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
        // Every number becomes a string, every string a number, every bool null.
        Spoil::Mistype => {
            fn flip(value: &mut serde_json::Value) {
                use serde_json::Value;
                match value {
                    Value::Number(_) => *value = Value::String("seven".into()),
                    Value::String(_) => *value = Value::from(7),
                    Value::Bool(_) => *value = Value::Null,
                    Value::Array(items) => items.iter_mut().for_each(flip),
                    Value::Object(map) => map.values_mut().for_each(flip),
                    Value::Null => {}
                }
            }
            match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(mut value) => {
                    flip(&mut value);
                    serde_json::to_vec(&value).unwrap()
                }
                Err(_) => b"\"seven\"".to_vec(),
            }
        }
        Spoil::Oversize => {
            let mut big = b"{\"data\": {\"padding\": \"".to_vec();
            big.extend(std::iter::repeat_n(b'x', LIMIT as usize + 100));
            big.extend(b"\"}}");
            big
        }
    }
}

fn spoils() -> impl Strategy<Value = Spoil> {
    prop_oneof![
        2 => Just(Spoil::Keep),
        3 => any::<usize>().prop_map(Spoil::Truncate),
        3 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Spoil::Replace(at, byte)),
        3 => proptest::collection::vec(any::<u8>(), 0..300).prop_map(Spoil::Arbitrary),
        1 => Just(Spoil::Empty),
        1 => Just(Spoil::Html),
        2 => Just(Spoil::Mistype),
        1 => Just(Spoil::Oversize),
    ]
}

#[test]
fn hostile_answers_never_panic_and_always_come_back_typed() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let answer = Arc::new(Mutex::new(Answer {
        status: 200,
        content_type: None,
        body: Vec::new(),
    }));
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(matchers::any())
            .respond_with(Scripted(answer.clone()))
            .mount(&server)
            .await;
        server
    });
    let management = Client::builder("hostile", "token")
        .base_url(server.uri())
        .retry(RetryPolicy::never())
        .max_body_size(LIMIT)
        .build()
        .unwrap();
    let storefront = StorefrontClient::builder("shop.example.com")
        .base_url(server.uri())
        .retry(RetryPolicy::never())
        .max_body_size(LIMIT)
        .build()
        .unwrap();

    let statuses = proptest::sample::select(vec![200u16, 201, 204, 400, 401, 404, 409, 422, 500, 502, 504]);
    let content_types = proptest::sample::select(vec![
        Some("application/json"),
        Some("application/json; charset=utf-8"),
        Some("text/html"),
        Some("text/plain"),
        None,
    ]);
    let cases = (0..CASSETTES.len(), statuses, content_types, spoils());
    let mut runner = TestRunner::new(crate::common::config(
        1024,
        file!(),
        "proptest-regressions/hostile.txt",
        0x5EED_0002,
    ));
    runner
        .run(&cases, |(index, status, content_type, how)| {
            let cassette = &CASSETTES[index];
            let valid = cassette
                .response
                .body
                .as_ref()
                .map(|b| serde_json::to_vec(b).unwrap())
                .unwrap_or_default();
            let body = spoil(&valid, &how);
            let size = body.len();
            *answer.lock().unwrap() = Answer {
                status,
                content_type,
                body,
            };
            let operation = SPECS.operation(cassette.api(), &cassette.operation).unwrap();
            let outcome = runtime.block_on(dispatch::call(cassette, operation, &management, &storefront));
            let name = cassette.name();
            match (status, &outcome) {
                (400.., Outcome::ErrorBody { status: seen, .. }) => {
                    prop_assert_eq!(*seen, status, "{}: the error kept its status", name);
                }
                (400.., other) => {
                    return Err(TestCaseError::fail(format!("{name}: {status} came back as {other:?}")));
                }
                (_, Outcome::Success { .. }) => {}
                (_, Outcome::Failed { message }) => prop_assert!(
                    message.starts_with("unreadable answer from the API"),
                    "{name}: {status} with {size} spoiled bytes ({how:?}) failed as {message:?}"
                ),
                (_, other) => return Err(TestCaseError::fail(format!("{name}: {status} came back as {other:?}"))),
            }
            if matches!(how, Spoil::Oversize) && status < 300 {
                let over = matches!(&outcome, Outcome::Failed { message } if message.contains("limit"));
                // Operations without a success body (deleteCart) never read it.
                let unread = matches!(&outcome, Outcome::Success { body: None, .. });
                prop_assert!(
                    over || unread || status == 204,
                    "{name}: an oversized body was read: {outcome:?}"
                );
            }
            Ok(())
        })
        .unwrap();
}
