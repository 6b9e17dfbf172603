//! The operations of the API, one module per resource.
//!
//! By the time a handler runs, the gateway has authenticated the request, counted it against
//! the quota, rolled the fault dice and checked its path, query and body against the spec; a
//! handler only applies the operation's rules to the store, which it holds locked for the
//! whole operation so that concurrent requests see each change whole.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use crate::cart::{Includes, Meta, Wrapped};
use crate::errors::ApiError;
use crate::spec::Query;
use crate::state::Store;

mod abandoned_carts;
mod cart_settings;
mod carts;
mod line_items;
mod metafields;
mod redirect_urls;
pub(crate) mod storefront;

/// What a handler needs besides the store.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    pub store_hash: &'a str,
    pub params: &'a BTreeMap<String, String>,
    pub query: &'a Query,
    pub body: Option<&'a Value>,
    pub raw_body: &'a [u8],
    pub client_id: &'a str,
    pub now: DateTime<Utc>,
    pub public_base: &'a str,
}

/// A successful answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Option<Vec<u8>>,
}

impl Reply {
    pub fn json(status: StatusCode, body: Vec<u8>) -> Self {
        Self {
            status,
            body: Some(body),
        }
    }

    /// `{"data": data, "meta": {}}`.
    pub fn wrapped(status: StatusCode, data: impl Serialize) -> Result<Self, ApiError> {
        Ok(Self::json(status, to_json(&Wrapped { data, meta: Meta {} })?))
    }

    pub fn empty(status: StatusCode) -> Self {
        Self { status, body: None }
    }
}

/// Serializes an answer. Our types always serialize; should one not, the client gets a 500
/// saying so rather than a dropped connection.
pub(crate) fn to_json(value: &impl Serialize) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(value).map_err(|e| ApiError::plain(StatusCode::INTERNAL_SERVER_ERROR).detail(e.to_string()))
}

impl Ctx<'_> {
    /// The path parameter `name` (present: the route has it).
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }

    /// A UUID path parameter; the gateway checked its form, so a failure is a missing cart.
    pub fn uuid_param(&self, name: &str) -> Result<Uuid, ApiError> {
        Uuid::parse_str(self.param(name)).map_err(|_| ApiError::cart_not_found())
    }

    /// An integer path parameter.
    pub fn int_param(&self, name: &str) -> Result<i64, ApiError> {
        self.param(name)
            .parse()
            .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "Not Found"))
    }

    /// The body read into `T` (absent body: `T::default()`).
    pub fn body_as<T: DeserializeOwned + Default>(&self) -> Result<T, ApiError> {
        match self.body {
            None => Ok(T::default()),
            Some(value) => T::deserialize(value).map_err(|e| ApiError::invalid([("body".to_string(), e.to_string())])),
        }
    }

    /// The body read into `T`, which has no default.
    pub fn body_required<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let value = self.body.unwrap_or(&Value::Null);
        T::deserialize(value).map_err(|e| ApiError::invalid([("body".to_string(), e.to_string())]))
    }

    /// The `include` values.
    pub fn includes(&self) -> Includes {
        let values = self.query.list("include");
        Includes::from_values(values.iter().map(String::as_str))
    }
}

/// Runs `operation`.
pub(crate) fn dispatch(operation: &str, ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    match operation {
        "createCart" => carts::create(ctx, store),
        "getCart" => carts::get(ctx, store),
        "updateCart" => carts::update(ctx, store),
        "deleteCart" => carts::delete(ctx, store),
        "addCartLineItems" => line_items::add(ctx, store),
        "updateCartLineItem" => line_items::update(ctx, store),
        "deleteCartLineItem" => line_items::delete(ctx, store),
        "createCartRedirectURL" => redirect_urls::create(ctx, store),
        "getGlobalCartSettings" => cart_settings::get_global(ctx, store),
        "updateGlobalCartSettings" => cart_settings::update_global(ctx, store),
        "getChannelCartSettings" => cart_settings::get_channel(ctx, store),
        "updateChannelCartSettings" => cart_settings::update_channel(ctx, store),
        "getCartMetafields" => metafields::list_of_cart(ctx, store),
        "createCartMetafield" => metafields::create(ctx, store),
        "getCartMetafield" => metafields::get(ctx, store),
        "updateCartMetafield" => metafields::update(ctx, store),
        "deleteCartMetafield" => metafields::delete(ctx, store),
        "getCartsMetafields" => metafields::list_all(ctx, store),
        "createCartsMetafields" => metafields::create_batch(ctx, store),
        "updateCartsMetafields" => metafields::update_batch(ctx, store),
        "deleteCartsMetafields" => metafields::delete_batch(ctx, store),
        "getAbandonedCarts" => abandoned_carts::get(ctx, store),
        "getGlobalAbandonedCartSettings" => abandoned_carts::get_global_settings(ctx, store),
        "updateGlobalAbandonedCartSettings" => abandoned_carts::update_global_settings(ctx, store),
        "getChannelAbandonedCartSettings" => abandoned_carts::get_channel_settings(ctx, store),
        "updateChannelAbandonedCartSettings" => abandoned_carts::update_channel_settings(ctx, store),
        _ => {
            Err(ApiError::plain(StatusCode::NOT_IMPLEMENTED)
                .detail(format!("The simulator does not serve {operation}.")))
        }
    }
}
