//! A host application of the SDK, built twice: by `reqwest-default/`, whose own reqwest keeps its
//! default features, and by `reqwest-no-tls/`, whose reqwest has no TLS feature. Both take the
//! SDK with its default features. It builds a plain `reqwest::Client` as any application would,
//! and an SDK client, and calls a server on 127.0.0.1 with each. A TLS feature of the SDK that
//! left reqwest without a crypto provider would make the plain client panic when it is built.
//! The process exits non-zero on any failure, a panic included.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;

use bigcommerce_carts::Uuid;

const CART_ID: &str = "7d3c1e52-0b6a-4f8e-9a1d-2c5b8e4f6a90";

/// A cart answer with the fields every answer carries.
fn cart_answer() -> String {
    format!(
        r#"{{"data": {{"id": "{CART_ID}", "customer_id": 0, "channel_id": 1, "email": "",
        "currency": {{"code": "EUR"}}, "tax_included": true, "base_amount": 19.99,
        "discount_amount": 0, "cart_amount": 19.99, "coupons": [],
        "line_items": {{"physical_items": [], "digital_items": [], "gift_certificates": [],
        "custom_items": []}}, "created_time": "2026-03-02T09:14:27+00:00",
        "updated_time": "2026-03-02T09:14:28+00:00"}}, "meta": {{}}}}"#
    )
}

/// Answers every request on `listener` with the cart, one connection at a time.
fn serve(listener: TcpListener) {
    for stream in listener.incoming() {
        // A connection that fails is the client's to report; the server takes the next.
        let Ok(stream) = stream else { continue };
        let _ = answer(stream);
    }
}

/// Reads one request's head (the calls send no body) and answers it.
fn answer(mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 && line != "\r\n" {
        line.clear();
    }
    let body = cart_answer();
    write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    std::thread::spawn(move || serve(listener));

    // The application's own client, built as reqwest's documentation builds one.
    let plain = reqwest::Client::builder().build()?;
    let text = plain
        .get(format!("{base}/carts/{CART_ID}"))
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    if !text.contains(CART_ID) {
        return Err(format!("the plain client read an answer without the cart: {text}").into());
    }

    let sdk = bigcommerce_carts::Client::builder("store", "token")
        .base_url(base)
        .build()?;
    let id: Uuid = CART_ID.parse()?;
    let cart = sdk.carts().get_cart().cart_id(id).send().await?.into_inner().data;
    if cart.id != id {
        return Err(format!("the SDK read cart {}, not {id}", cart.id).into());
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => {
            println!("a plain reqwest client and an SDK client built and called 127.0.0.1");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
