//! What a transport error says happened to a request that got no complete
//! answer: whether it was sent at all, and how it ended.
//!
//! `reqwest` reports every such failure as one error type; the cause lies in
//! its chain of sources. Connection failures and timeouts have predicates of
//! their own (`is_connect`, `is_timeout`). A connection closed after the
//! request went out has none: its cause is a `hyper::Error` (the connection
//! ended before the answer was complete, or the connection's task ended with
//! the request in it) or an `std::io::Error` (the connection was reset or
//! aborted). The chain is walked for those types; their messages are never
//! read, so a new wording in a dependency cannot change what is retried.

use std::error::Error as StdError;
use std::io;

/// How a request failed to get a complete answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// No connection could be made (refused, no such host, TLS handshake).
    Connect,
    /// The request or its answer took longer than the client's timeout.
    Timeout,
    /// The connection was closed or reset by the other side while the
    /// request was on it, before its answer was complete.
    Closed,
    /// Anything else: a malformed answer, a body that could not be sent.
    Other,
}

impl Failure {
    /// Reads what happened from a `reqwest` error.
    pub(crate) fn of(error: &reqwest::Error) -> Self {
        if error.is_connect() {
            Failure::Connect
        } else if error.is_timeout() {
            Failure::Timeout
        } else if sources(error).any(closes_the_connection) {
            Failure::Closed
        } else {
            Failure::Other
        }
    }

    /// Whether no answer came at all, so that an idempotent request may be
    /// sent again.
    pub(crate) fn is_no_answer(self) -> bool {
        !matches!(self, Failure::Other)
    }

    /// What happened, in words, for messages and log events.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Failure::Connect => "the connection could not be made",
            Failure::Timeout => "the request timed out",
            Failure::Closed => "the connection was closed before an answer came",
            Failure::Other => "the request failed",
        }
    }
}

/// The causes of `error`, nearest first.
fn sources<'e>(error: &'e reqwest::Error) -> impl Iterator<Item = &'e (dyn StdError + 'static)> {
    std::iter::successors(error.source(), |&cause| cause.source())
}

/// Whether one cause in a chain is the connection ending under a request.
fn closes_the_connection(cause: &(dyn StdError + 'static)) -> bool {
    if let Some(hyper) = cause.downcast_ref::<hyper::Error>() {
        // End of stream before the whole answer (`is_incomplete_message`);
        // the connection's task gone with the request in it (`is_closed`);
        // the request dropped because its connection closed before it could
        // be written (`is_canceled`).
        return hyper.is_incomplete_message() || hyper.is_closed() || hyper.is_canceled();
    }
    cause.downcast_ref::<io::Error>().is_some_and(|io| {
        matches!(
            io.kind(),
            io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// How the one-connection server at the other end treats a request.
    #[derive(Clone, Copy)]
    enum Server {
        /// Reads the request and closes the connection without a byte.
        Closes,
        /// Reads the request and resets the connection.
        Resets,
        /// Answers with bytes that are not HTTP.
        Garbles,
        /// Sends a head and half the body it announced, then closes.
        CutsTheBody,
    }

    /// The error of a GET sent to a server that behaves as `server` says.
    async fn error_from(server: Server) -> reqwest::Error {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/carts", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            match server {
                Server::Closes => {}
                Server::Resets => socket.set_zero_linger().unwrap(),
                Server::Garbles => socket.write_all(b"not an answer\r\n\r\n").await.unwrap(),
                Server::CutsTheBody => {
                    let head = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n";
                    socket.write_all(head.as_bytes()).await.unwrap();
                    socket.write_all(b"{\"data\":").await.unwrap();
                }
            }
        });
        let http = crate::http_client_builder().unwrap().build().unwrap();
        match http.get(url).send().await {
            Ok(response) => response.bytes().await.expect_err("the body is cut short"),
            Err(error) => error,
        }
    }

    #[tokio::test]
    async fn a_connection_closed_or_reset_under_the_request_is_a_closed_connection() {
        for server in [Server::Closes, Server::Resets] {
            let error = error_from(server).await;
            assert_eq!(Failure::of(&error), Failure::Closed, "{error:?}");
            assert!(!error.is_connect() && !error.is_timeout(), "{error:?}");
        }
    }

    #[tokio::test]
    async fn a_body_cut_short_is_a_closed_connection_too() {
        let error = error_from(Server::CutsTheBody).await;
        assert!(error.is_body() || error.is_decode(), "{error:?}");
        assert_eq!(Failure::of(&error), Failure::Closed, "{error:?}");
    }

    #[tokio::test]
    async fn an_answer_that_is_not_http_is_no_missing_answer() {
        let error = error_from(Server::Garbles).await;
        assert_eq!(Failure::of(&error), Failure::Other, "{error:?}");
        assert!(!Failure::of(&error).is_no_answer());
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_connection_failure() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        let http = crate::http_client_builder().unwrap().build().unwrap();
        let error = http.get(format!("http://{address}/carts")).send().await.unwrap_err();
        assert_eq!(Failure::of(&error), Failure::Connect, "{error:?}");
    }
}
