//! Visiting redirect URLs as a shopper's browser would, one request each,
//! without following the redirect.

use crate::rules::Visit;

use super::{Credentials, LiveError};

/// The header in which the simulator says what a visit did.
const OUTCOME_HEADER: &str = "x-sim-redirect";

/// Visits `url` (at the storefront override, if any) and says what came of it.
pub(super) async fn visit(
    http: &reqwest::Client,
    credentials: &Credentials,
    step: &str,
    url: &str,
    visit: u32,
    age_days: u32,
) -> Result<Visit, LiveError> {
    let mut target = url::Url::parse(url).map_err(|e| LiveError::answer(step, format!("not a URL: {e}")))?;
    if let Some(origin) = &credentials.storefront {
        target
            .set_scheme(origin.scheme())
            .and_then(|()| target.set_host(origin.host_str()).map_err(|_| ()))
            .and_then(|()| target.set_port(origin.port()))
            .map_err(|()| LiveError::answer(step, format!("cannot visit {url} at {origin}")))?;
    }
    let response = http
        .get(target)
        .send()
        .await
        .map_err(|e| LiveError::transport(step, e))?;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let loaded = header(OUTCOME_HEADER).map(|outcome| outcome == "loaded");
    Ok(Visit {
        step: step.to_string(),
        url: bigcommerce_carts::redact_tokens(url),
        visit,
        age_days,
        status: response.status().as_u16(),
        location: header("location"),
        loaded,
    })
}
