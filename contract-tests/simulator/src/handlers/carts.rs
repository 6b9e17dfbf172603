//! `createCart`, `getCart`, `updateCart`, `deleteCart`.

use axum::http::StatusCode;
use uuid::Uuid;

use super::{Ctx, Reply, line_items, redirect_urls};
use crate::cart::{Cart, render};
use crate::errors::ApiError;
use crate::requests::{CartCreateRequest, CartUpdateRequest};
use crate::state::Store;

/// Whether `locale` is `xx` or `xx-YY`. The spec's pattern already says so; the check is
/// repeated here because a stored cart's locale must never be anything else.
fn valid_locale(locale: &str) -> bool {
    let bytes = locale.as_bytes();
    match bytes.len() {
        2 => bytes.iter().all(u8::is_ascii_lowercase),
        5 => {
            bytes[..2].iter().all(u8::is_ascii_lowercase)
                && bytes[2] == b'-'
                && bytes[3..].iter().all(u8::is_ascii_uppercase)
        }
        _ => false,
    }
}

/// Refuses a change made against another version of the cart.
pub(super) fn check_version(cart: &Cart, sent: Option<i64>) -> Result<(), ApiError> {
    match sent {
        Some(version) if version != cart.version => Err(ApiError::version_conflict(version, cart.version)),
        _ => Ok(()),
    }
}

/// The cart `id` answered with `status`, with what `include` asks for.
pub(super) fn answer(ctx: &Ctx<'_>, store: &Store, id: Uuid, status: StatusCode) -> Result<Reply, ApiError> {
    let includes = ctx.includes();
    let Some(cart) = store.data.carts.get(&id) else {
        return Err(ApiError::cart_not_found());
    };
    let urls = includes
        .redirect_urls
        .then(|| redirect_urls::mint(ctx, &store.data.redirect_key, id, &[]));
    let body = render(cart, includes, urls.as_ref(), &store.data.profile.banners)
        .map_err(|e| ApiError::plain(StatusCode::INTERNAL_SERVER_ERROR).detail(e.to_string()))?;
    Ok(Reply::json(status, body))
}

pub(super) fn create(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let request: CartCreateRequest = ctx.body_required()?;
    let mut problems = Vec::new();
    let channel_id = request.channel_id.unwrap_or(1);
    if !store.data.profile.channels.contains(&channel_id) {
        problems.push((
            "channel_id".to_string(),
            format!("Channel {channel_id} does not exist."),
        ));
    }
    let customer_id = request.customer_id.unwrap_or(0);
    if customer_id < 0 {
        problems.push((
            "customer_id".to_string(),
            "A customer id is 0 (guest) or more.".to_string(),
        ));
    }
    let currency = request
        .currency
        .and_then(|c| c.code)
        .unwrap_or_else(|| store.data.profile.currency.clone());
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        problems.push((
            "currency.code".to_string(),
            "A currency is an ISO 4217 code such as EUR.".to_string(),
        ));
    }
    let locale = request.locale.or_else(|| store.data.profile.locale.clone());
    if let Some(locale) = &locale
        && !valid_locale(locale)
    {
        problems.push((
            "locale".to_string(),
            "A locale is xx or xx-YY, such as nl or nl-BE.".to_string(),
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::invalid(problems));
    }

    let id = crate::random::uuid();
    let mut cart = Cart::new(id, ctx.now, customer_id, channel_id, currency);
    cart.locale = locale;
    line_items::add_all(
        &mut cart,
        &store.data.catalog,
        request.line_items.unwrap_or_default(),
        request.custom_items.unwrap_or_default(),
        request.gift_certificates.unwrap_or_default(),
    )?;
    store.data.carts.insert(id, cart);
    answer(ctx, store, id, StatusCode::CREATED)
}

pub(super) fn get(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let id = ctx.uuid_param("cartId")?;
    if store.live_cart(id, ctx.now).is_none() {
        return Err(ApiError::cart_not_found());
    }
    answer(ctx, store, id, StatusCode::OK)
}

pub(super) fn update(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let id = ctx.uuid_param("cartId")?;
    let request: CartUpdateRequest = ctx.body_required()?;
    let cart = store.live_cart(id, ctx.now).ok_or_else(ApiError::cart_not_found)?;
    check_version(cart, request.version)?;
    let customer_id = match request.customer_id {
        Some(customer_id) if customer_id >= 0 => customer_id,
        Some(_) => {
            return Err(ApiError::invalid([(
                "customer_id".into(),
                "A customer id is 0 or more.".into(),
            )]));
        }
        None => {
            return Err(ApiError::invalid([(
                "customer_id".into(),
                "Give the new customer_id.".into(),
            )]));
        }
    };
    cart.customer_id = customer_id;
    cart.touch(ctx.now);
    answer(ctx, store, id, StatusCode::CREATED)
}

pub(super) fn delete(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let id = ctx.uuid_param("cartId")?;
    if store.live_cart(id, ctx.now).is_none() {
        return Err(ApiError::cart_not_found());
    }
    store.data.carts.remove(&id);
    Ok(Reply::empty(StatusCode::NO_CONTENT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_are_language_or_language_and_region() {
        for good in ["en", "nl-BE", "fr-CA"] {
            assert!(valid_locale(good), "{good}");
        }
        for bad in ["", "e", "EN", "en-us", "en_US", "eng", "en-USA", "é-FR"] {
            assert!(!valid_locale(bad), "{bad}");
        }
    }
}
