//! Moving the server's clock, where the server lets the scenario: the
//! simulator's control API (`/__sim`). A real store has no such thing, and
//! the scenario then skips the steps that need time to pass.

use serde_json::{Value, json};

use super::Credentials;

/// A server clock the scenario can move: the simulator's, for one store.
pub(super) struct ServerClock {
    http: reqwest::Client,
    advance: String,
}

impl ServerClock {
    /// The simulator's clock behind `credentials`, or why there is none.
    pub async fn find(http: &reqwest::Client, credentials: &Credentials) -> Result<Self, String> {
        let no_clock =
            |why: String| format!("the server has no clock the gate can move ({why}); only the simulator has one");
        let base = url::Url::parse(&credentials.base_url).map_err(|e| no_clock(format!("base URL: {e}")))?;
        let origin = base.origin().ascii_serialization();
        let control = format!("{origin}/__sim");
        let answer = http
            .get(&control)
            .send()
            .await
            .map_err(|e| no_clock(format!("GET {control}: {e}")))?;
        if !answer.status().is_success() {
            return Err(no_clock(format!("GET {control} answered {}", answer.status().as_u16())));
        }
        let about: Value = answer.json().await.unwrap_or(Value::Null);
        if about.get("operations").is_none() {
            return Err(no_clock(format!("GET {control} is not the simulator's control API")));
        }
        Ok(Self {
            http: http.clone(),
            advance: format!("{control}/stores/{}/clock/advance", credentials.store_hash),
        })
    }

    /// Moves the store's clock `days` forward.
    pub async fn advance_days(&self, days: u32) -> Result<(), String> {
        let answer = self
            .http
            .post(&self.advance)
            .json(&json!({"days": days}))
            .send()
            .await
            .map_err(|e| format!("moving the clock: {e}"))?;
        if answer.status().is_success() {
            Ok(())
        } else {
            Err(format!("moving the clock answered {}", answer.status().as_u16()))
        }
    }
}
