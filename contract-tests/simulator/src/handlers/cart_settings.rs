//! `getGlobalCartSettings`, `updateGlobalCartSettings`, `getChannelCartSettings`,
//! `updateChannelCartSettings`.

use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::{Ctx, Reply};
use crate::errors::ApiError;
use crate::settings::CART_SETTINGS;
use crate::state::Store;

/// The channel of the path, if the store has it.
pub(super) fn known_channel(ctx: &Ctx<'_>, store: &Store) -> Result<i64, ApiError> {
    let channel = ctx.int_param("channel_id")?;
    if store.data.profile.channels.contains(&channel) {
        Ok(channel)
    } else {
        Err(
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "The channel is invalid.")
                .field("channel_id", format!("Channel {channel} does not exist.")),
        )
    }
}

/// The body as an object (the spec check has made sure it is one).
pub(super) fn object(ctx: &Ctx<'_>) -> Result<Map<String, Value>, ApiError> {
    match ctx.body {
        Some(Value::Object(map)) => Ok(map.clone()),
        _ => Err(ApiError::invalid([(
            "body".to_string(),
            "Send a JSON object.".to_string(),
        )])),
    }
}

pub(super) fn get_global(_ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    Reply::wrapped(StatusCode::OK, &store.data.cart_settings.global)
}

pub(super) fn update_global(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let body = object(ctx)?;
    store.data.cart_settings.set_global(&body, CART_SETTINGS);
    Reply::wrapped(StatusCode::OK, &store.data.cart_settings.global)
}

pub(super) fn get_channel(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let channel = known_channel(ctx, store)?;
    Reply::wrapped(
        StatusCode::OK,
        store.data.cart_settings.channel_view(channel, CART_SETTINGS),
    )
}

pub(super) fn update_channel(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let channel = known_channel(ctx, store)?;
    let body = object(ctx)?;
    store.data.cart_settings.apply_channel(channel, &body, CART_SETTINGS);
    Reply::wrapped(
        StatusCode::OK,
        store.data.cart_settings.channel_view(channel, CART_SETTINGS),
    )
}
