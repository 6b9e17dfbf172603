//! `createCartRedirectURL`, and minting for `include=redirect_urls`.

use axum::http::StatusCode;
use uuid::Uuid;

use super::{Ctx, Reply};
use crate::errors::ApiError;
use crate::redirects::{self, RedirectKey, RedirectUrls};
use crate::requests::RedirectUrlsRequest;
use crate::state::Store;

/// Fresh URLs for `cart_id`, issued now, on the store's public base.
pub(super) fn mint(ctx: &Ctx<'_>, key: &RedirectKey, cart_id: Uuid, query_params: &[(String, String)]) -> RedirectUrls {
    let token = redirects::mint(
        key,
        ctx.store_hash,
        cart_id,
        ctx.now.timestamp_millis(),
        fastrand::u64(..),
    );
    redirects::urls(ctx.public_base, cart_id, &token, query_params)
}

pub(super) fn create(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let id = ctx.uuid_param("cartId")?;
    if store.live_cart(id, ctx.now).is_none() {
        return Err(ApiError::cart_not_found());
    }
    // Read from the raw bytes so that query parameters keep the order they were sent in.
    let request: RedirectUrlsRequest = if ctx.body.is_some() {
        serde_json::from_slice(ctx.raw_body)
            .map_err(|e| ApiError::invalid([("query_params".to_string(), e.to_string())]))?
    } else {
        RedirectUrlsRequest::default()
    };
    let params = request.query_params.map(|p| p.0).unwrap_or_default();
    let urls = mint(ctx, &store.data.redirect_key, id, &params);
    Reply::wrapped(StatusCode::CREATED, &urls)
}
