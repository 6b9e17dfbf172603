//! `getAbandonedCarts` and the abandoned-cart settings (store-wide and per channel).
//!
//! Real stores make abandoned-cart tokens when they send reminder emails; the simulator sends
//! no email, so tokens are made through the admin API for a cart that exists.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::cart_settings::{known_channel, object};
use super::{Ctx, Reply};
use crate::errors::ApiError;
use crate::settings::ABANDONED_CART_SETTINGS;
use crate::state::Store;

fn abandoned_cart_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "Abandoned cart not found").detail("No abandoned cart matches this token.")
}

pub(super) fn get(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let token = Uuid::parse_str(ctx.param("token")).map_err(|_| abandoned_cart_not_found())?;
    let Some(cart_id) = store.data.abandoned_carts.get(&token).copied() else {
        return Err(abandoned_cart_not_found());
    };
    if store.live_cart(cart_id, ctx.now).is_none() {
        store.data.abandoned_carts.remove(&token);
        return Err(abandoned_cart_not_found());
    }
    Reply::wrapped(StatusCode::OK, json!({ "cart_id": cart_id }))
}

/// Refuses merchant addresses that cannot receive mail: the simulator treats the reserved
/// `.invalid` top-level domain (RFC 2606) as undeliverable, so tests can reach this 422.
fn check_address(body: &Map<String, Value>) -> Result<(), ApiError> {
    let Some(Value::String(address)) = body.get("merchant_email_address") else {
        return Ok(());
    };
    let domain = address.rsplit_once('@').map_or("", |(_, domain)| domain);
    if domain.is_empty() || domain.to_ascii_lowercase().ends_with(".invalid") {
        return Err(
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Some fields could not be accepted")
                .field("merchant_email_address", "This address cannot receive mail."),
        );
    }
    Ok(())
}

pub(super) fn get_global_settings(_ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    Reply::wrapped(StatusCode::OK, &store.data.abandoned_cart_settings.global)
}

pub(super) fn update_global_settings(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let body = object(ctx)?;
    check_address(&body)?;
    store
        .data
        .abandoned_cart_settings
        .set_global(&body, ABANDONED_CART_SETTINGS);
    Reply::wrapped(StatusCode::OK, &store.data.abandoned_cart_settings.global)
}

pub(super) fn get_channel_settings(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let channel = known_channel(ctx, store)?;
    let view = store
        .data
        .abandoned_cart_settings
        .channel_view(channel, ABANDONED_CART_SETTINGS);
    Reply::wrapped(StatusCode::OK, view)
}

pub(super) fn update_channel_settings(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let channel = known_channel(ctx, store)?;
    let body = object(ctx)?;
    check_address(&body)?;
    let settings = &mut store.data.abandoned_cart_settings;
    settings.apply_channel(channel, &body, ABANDONED_CART_SETTINGS);
    Reply::wrapped(StatusCode::OK, settings.channel_view(channel, ABANDONED_CART_SETTINGS))
}
