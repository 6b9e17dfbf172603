//! Cart metafields: the model, who may see and change one, and the list filters.
//!
//! A metafield belongs to the API client that created it. Its `permission_set` says what other
//! clients may do: nothing for `app_only` (they do not even see it), read for `read` and
//! `read_and_sf_access`, read and write for `write` and `write_and_sf_access`. The same
//! client, namespace, key and cart can hold only one metafield.

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::errors::ApiError;
use crate::spec::Query;

/// A metafield as the simulator keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Metafield {
    pub id: u64,
    pub namespace: String,
    pub key: String,
    pub value: String,
    pub permission_set: String,
    pub resource_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub date_created: DateTime<Utc>,
    pub date_modified: DateTime<Utc>,
    pub owner_client_id: String,
}

/// The writable fields of a metafield, as sent (single and batch calls alike).
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct MetafieldInput {
    pub permission_set: String,
    pub namespace: String,
    pub key: String,
    pub value: String,
    pub description: Option<String>,
    /// The cart, in batch creation.
    pub resource_id: Option<String>,
    /// The metafield, in batch updates.
    pub id: Option<String>,
}

impl Metafield {
    /// Whether `client` may see it.
    pub fn visible_to(&self, client: &str) -> bool {
        self.owner_client_id == client || self.permission_set != "app_only"
    }

    /// Whether `client` may change or delete it.
    pub fn writable_by(&self, client: &str) -> bool {
        self.owner_client_id == client || self.permission_set.starts_with("write")
    }

    /// Whether it has the identity (client, namespace, key, cart) of `other`.
    pub fn same_slot(&self, client: &str, namespace: &str, key: &str, cart: Uuid) -> bool {
        self.owner_client_id == client && self.namespace == namespace && self.key == key && self.resource_id == cart
    }

    /// Takes the writable fields of `input`.
    pub fn apply(&mut self, input: &MetafieldInput, now: DateTime<Utc>) {
        self.permission_set.clone_from(&input.permission_set);
        self.namespace.clone_from(&input.namespace);
        self.key.clone_from(&input.key);
        self.value.clone_from(&input.value);
        if input.description.is_some() {
            self.description.clone_from(&input.description);
        }
        self.date_modified = now;
    }

    /// The metafield as the API writes it; with `fields`, only `id` and those.
    pub fn to_json(&self, fields: Option<&[String]>) -> Value {
        let time = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, false);
        let mut all = Map::new();
        all.insert("id".into(), json!(self.id.to_string()));
        all.insert("key".into(), json!(self.key));
        all.insert("value".into(), json!(self.value));
        all.insert("namespace".into(), json!(self.namespace));
        all.insert("permission_set".into(), json!(self.permission_set));
        all.insert("resource_type".into(), json!("cart"));
        all.insert("resource_id".into(), json!(self.resource_id.to_string()));
        if let Some(description) = &self.description {
            all.insert("description".into(), json!(description));
        }
        all.insert("date_created".into(), json!(time(&self.date_created)));
        all.insert("date_modified".into(), json!(time(&self.date_modified)));
        all.insert("owner_client_id".into(), json!(self.owner_client_id));
        if let Some(fields) = fields {
            all.retain(|name, _| name == "id" || fields.iter().any(|f| f == name));
        }
        Value::Object(all)
    }
}

/// The filters of the list calls.
#[derive(Clone, Debug, Default)]
pub(crate) struct Filters {
    pub key: Option<String>,
    pub key_in: Vec<String>,
    pub namespace: Option<String>,
    pub namespace_in: Vec<String>,
    pub created_min: Option<DateTime<Utc>>,
    pub created_max: Option<DateTime<Utc>>,
    pub modified_min: Option<DateTime<Utc>>,
    pub modified_max: Option<DateTime<Utc>>,
}

impl Filters {
    /// Reads the filters from the query; a date filter that is not a date is answered 422.
    pub fn from_query(query: &Query) -> Result<Self, ApiError> {
        let mut errors = Vec::new();
        let mut moment = |name: &str, end_of_day: bool| -> Option<DateTime<Utc>> {
            let text = query.get(name)?;
            let read = parse_moment(text, end_of_day);
            if read.is_none() {
                errors.push((
                    name.to_string(),
                    "Give a date (2026-03-01) or a date and time (2026-03-01T08:15:00).".to_string(),
                ));
            }
            read
        };
        let filters = Self {
            key: query.get("key").map(str::to_string),
            key_in: query.list("key:in"),
            namespace: query.get("namespace").map(str::to_string),
            namespace_in: query.list("namespace:in"),
            created_min: moment("date_created:min", false),
            created_max: moment("date_created:max", true),
            modified_min: moment("date_modified:min", false),
            modified_max: moment("date_modified:max", true),
        };
        if errors.is_empty() {
            Ok(filters)
        } else {
            Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid filter").fields(errors))
        }
    }

    /// Whether `metafield` passes every filter.
    pub fn matches(&self, metafield: &Metafield) -> bool {
        let within = |at: &DateTime<Utc>, min: &Option<DateTime<Utc>>, max: &Option<DateTime<Utc>>| {
            min.is_none_or(|min| *at >= min) && max.is_none_or(|max| *at <= max)
        };
        self.key.as_ref().is_none_or(|k| *k == metafield.key)
            && (self.key_in.is_empty() || self.key_in.contains(&metafield.key))
            && self.namespace.as_ref().is_none_or(|n| *n == metafield.namespace)
            && (self.namespace_in.is_empty() || self.namespace_in.contains(&metafield.namespace))
            && within(&metafield.date_created, &self.created_min, &self.created_max)
            && within(&metafield.date_modified, &self.modified_min, &self.modified_max)
    }
}

/// Reads `2026-03-01`, `2026-03-01T08:15:00` or an RFC 3339 time. A bare date as an upper
/// bound means the end of that day, so `max=2026-03-31` keeps what was created on the 31st.
pub(crate) fn parse_moment(text: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.to_utc());
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
        return Some(at.and_utc());
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let start = day.and_hms_opt(0, 0, 0)?.and_utc();
    if end_of_day {
        start.checked_add_signed(TimeDelta::days(1) - TimeDelta::seconds(1))
    } else {
        Some(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metafield(owner: &str, permission: &str) -> Metafield {
        let now = Utc::now();
        Metafield {
            id: 1,
            namespace: "ns".into(),
            key: "k".into(),
            value: "v".into(),
            permission_set: permission.into(),
            resource_id: Uuid::nil(),
            description: None,
            date_created: now,
            date_modified: now,
            owner_client_id: owner.into(),
        }
    }

    #[test]
    fn permission_sets_decide_what_other_clients_may_do() {
        assert!(!metafield("a", "app_only").visible_to("b"));
        assert!(metafield("a", "app_only").visible_to("a"));
        assert!(metafield("a", "read").visible_to("b"));
        assert!(!metafield("a", "read").writable_by("b"));
        assert!(metafield("a", "write_and_sf_access").writable_by("b"));
    }

    #[test]
    fn moments_read_dates_and_times() {
        let start = parse_moment("2026-03-31", false).unwrap();
        let end = parse_moment("2026-03-31", true).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-03-31T00:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-03-31T23:59:59+00:00");
        assert!(parse_moment("2026-03-01T08:15:00", false).is_some());
        assert!(parse_moment("2026-03-01T08:15:00+02:00", false).is_some());
        assert!(parse_moment("last-tuesday", false).is_none());
    }

    #[test]
    fn include_fields_keep_the_id() {
        let json = metafield("a", "read").to_json(Some(&["key".to_string()]));
        assert_eq!(json, json!({"id": "1", "key": "k"}));
    }
}
