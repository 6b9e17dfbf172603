//! Cart metafields, per cart and in batch.
//!
//! Metafields outlive their cart (an order made from the cart can still reach them), so only
//! the calls that add a metafield to a cart, or list a cart's metafields, need the cart to
//! exist. A batch call applies each entry on its own: when some fail, the others stay written,
//! and the answer is a 422 listing what was written (`data`), one error per failure
//! (`errors`) and the counts (`meta`).

use axum::http::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Ctx, Reply, to_json};
use crate::errors::{ApiError, ERROR_TYPE};
use crate::metafields::{Filters, Metafield, MetafieldInput};
use crate::pagination::{PageRequest, paginate};
use crate::state::Store;

fn metafield_not_found(id: &str) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "Metafield not found")
        .detail(format!("No metafield with id {id} exists on this cart."))
}

fn owned_by_another_app() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "Bad Request")
        .detail("The metafield belongs to another app and cannot be changed.")
        .field("namespace", "Owned by another app.")
}

fn duplicate(namespace: &str, key: &str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "Metafield already exists")
        .detail("A metafield with this namespace and key already exists on this cart for this app.")
        .field("key", format!("Duplicate key {key} in namespace {namespace}."))
}

fn cart_gone() -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "JSON data is missing or invalid")
        .field("resource_id", "The cart does not exist or has expired.")
}

/// Whether another metafield than `except` already holds the slot.
fn taken(store: &Store, client: &str, namespace: &str, key: &str, cart: Uuid, except: Option<u64>) -> bool {
    store
        .data
        .metafields
        .values()
        .any(|m| Some(m.id) != except && m.same_slot(client, namespace, key, cart))
}

fn insert(store: &mut Store, ctx: &Ctx<'_>, input: &MetafieldInput, cart: Uuid) -> Metafield {
    let id = store.data.next_metafield_id;
    store.data.next_metafield_id += 1;
    let metafield = Metafield {
        id,
        namespace: input.namespace.clone(),
        key: input.key.clone(),
        value: input.value.clone(),
        permission_set: input.permission_set.clone(),
        resource_id: cart,
        description: input.description.clone(),
        date_created: ctx.now,
        date_modified: ctx.now,
        owner_client_id: ctx.client_id.to_string(),
    };
    store.data.metafields.insert(id, metafield.clone());
    metafield
}

/// One page of the visible metafields that pass the filters, in the requested order.
fn list(ctx: &Ctx<'_>, store: &Store, cart: Option<Uuid>) -> Result<Reply, ApiError> {
    let filters = Filters::from_query(ctx.query)?;
    let ascending = ctx.query.get("direction") != Some("desc");
    let fields = ctx
        .query
        .get("include_fields")
        .map(|_| ctx.query.list("include_fields"));
    let mut items: Vec<&Metafield> = store
        .data
        .metafields
        .values()
        .filter(|m| cart.is_none_or(|c| m.resource_id == c))
        .filter(|m| m.visible_to(ctx.client_id) && filters.matches(m))
        .collect();
    if !ascending {
        items.reverse();
    }
    let request = PageRequest {
        page: ctx.query.integer("page"),
        limit: ctx.query.integer("limit"),
        before: ctx.query.get("before").map(str::to_string),
        after: ctx.query.get("after").map(str::to_string),
    };
    let (page, meta) = paginate(items, |m| m.id, ascending, &request)?;
    let data: Vec<Value> = page.iter().map(|m| m.to_json(fields.as_deref())).collect();
    Ok(Reply::json(
        StatusCode::OK,
        to_json(&json!({ "data": data, "meta": meta }))?,
    ))
}

pub(super) fn list_of_cart(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let cart = ctx.uuid_param("cart_id")?;
    if store.live_cart(cart, ctx.now).is_none() {
        return Err(ApiError::cart_not_found());
    }
    list(ctx, store, Some(cart))
}

pub(super) fn list_all(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    list(ctx, store, None)
}

pub(super) fn create(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let cart = ctx.uuid_param("cart_id")?;
    let input: MetafieldInput = ctx.body_required()?;
    if store.live_cart(cart, ctx.now).is_none() {
        return Err(cart_gone());
    }
    if taken(store, ctx.client_id, &input.namespace, &input.key, cart, None) {
        return Err(duplicate(&input.namespace, &input.key));
    }
    let metafield = insert(store, ctx, &input, cart);
    Reply::wrapped(StatusCode::OK, metafield.to_json(None))
}

/// The metafield of the path: it must belong to the path's cart and be visible to the caller.
fn find(ctx: &Ctx<'_>, store: &Store) -> Result<u64, ApiError> {
    let cart = ctx.uuid_param("cart_id")?;
    let id_text = ctx.param("metafield_id");
    let id: u64 = id_text.parse().map_err(|_| metafield_not_found(id_text))?;
    match store.data.metafields.get(&id) {
        Some(m) if m.resource_id == cart && m.visible_to(ctx.client_id) => Ok(id),
        _ => Err(metafield_not_found(id_text)),
    }
}

pub(super) fn get(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let id = find(ctx, store)?;
    let metafield = store
        .data
        .metafields
        .get(&id)
        .ok_or_else(|| metafield_not_found(&id.to_string()))?;
    Reply::wrapped(StatusCode::OK, metafield.to_json(None))
}

pub(super) fn update(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let id = find(ctx, store)?;
    let input: MetafieldInput = ctx.body_required()?;
    let current = store
        .data
        .metafields
        .get(&id)
        .cloned()
        .ok_or_else(|| metafield_not_found(&id.to_string()))?;
    if !current.writable_by(ctx.client_id) {
        return Err(owned_by_another_app());
    }
    if taken(
        store,
        &current.owner_client_id,
        &input.namespace,
        &input.key,
        current.resource_id,
        Some(id),
    ) {
        return Err(ApiError::invalid([(
            "key".to_string(),
            format!(
                "Another metafield already uses {}.{} on this cart.",
                input.namespace, input.key
            ),
        )]));
    }
    let metafield = store
        .data
        .metafields
        .get_mut(&id)
        .ok_or_else(|| metafield_not_found(&id.to_string()))?;
    metafield.apply(&input, ctx.now);
    Reply::wrapped(StatusCode::OK, metafield.to_json(None))
}

pub(super) fn delete(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let id = find(ctx, store)?;
    if store
        .data
        .metafields
        .get(&id)
        .is_some_and(|m| !m.writable_by(ctx.client_id))
    {
        return Err(owned_by_another_app());
    }
    store.data.metafields.remove(&id);
    Ok(Reply::empty(StatusCode::NO_CONTENT))
}

/// One failed entry of a batch call.
fn item_error(error: &ApiError) -> Value {
    let mut out = json!({
        "status": error.status.as_u16(),
        "title": error.title.clone().unwrap_or_default(),
        "type": ERROR_TYPE,
    });
    if let Some(errors) = &error.errors {
        out["errors"] = errors.clone();
    }
    out
}

/// The answer of a batch call: 200 when every entry worked, else the 422 partial success.
fn batch_answer(data: Vec<Value>, errors: Vec<Value>) -> Result<Reply, ApiError> {
    let total = data.len() + errors.len();
    let body = json!({
        "data": data,
        "errors": errors,
        "meta": { "total": total, "success": total - errors.len(), "failed": errors.len() },
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(Reply::json(status, to_json(&body)?))
}

fn empty_batch() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "Bad Request").detail("The request body must list at least one metafield.")
}

pub(super) fn create_batch(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let inputs: Vec<MetafieldInput> = ctx.body_required()?;
    if inputs.is_empty() {
        return Err(empty_batch());
    }
    let (mut data, mut errors) = (Vec::new(), Vec::new());
    for input in &inputs {
        let cart = input.resource_id.as_deref().and_then(|id| Uuid::parse_str(id).ok());
        let Some(cart) = cart.filter(|c| store.live_cart(*c, ctx.now).is_some()) else {
            errors.push(item_error(&cart_gone()));
            continue;
        };
        if taken(store, ctx.client_id, &input.namespace, &input.key, cart, None) {
            let error = ApiError::new(StatusCode::CONFLICT, "Metafield already exists").field(
                "resource_id",
                format!("Cart {cart} already has {}.{}.", input.namespace, input.key),
            );
            errors.push(item_error(&error));
            continue;
        }
        data.push(insert(store, ctx, input, cart).to_json(None));
    }
    batch_answer(data, errors)
}

pub(super) fn update_batch(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let inputs: Vec<MetafieldInput> = ctx.body_required()?;
    if inputs.is_empty() {
        return Err(empty_batch());
    }
    let (mut data, mut errors) = (Vec::new(), Vec::new());
    for input in &inputs {
        let id_text = input.id.clone().unwrap_or_default();
        let found = id_text
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|id| store.data.metafields.get(&id))
            .filter(|m| m.visible_to(ctx.client_id))
            .cloned();
        let Some(current) = found else {
            let error = ApiError::new(StatusCode::NOT_FOUND, "Metafield not found")
                .field("id", format!("No metafield has id {id_text}."));
            errors.push(item_error(&error));
            continue;
        };
        if !current.writable_by(ctx.client_id) {
            errors.push(item_error(&owned_by_another_app()));
            continue;
        }
        if taken(
            store,
            &current.owner_client_id,
            &input.namespace,
            &input.key,
            current.resource_id,
            Some(current.id),
        ) {
            let error = ApiError::new(StatusCode::CONFLICT, "Metafield already exists").field(
                "key",
                format!("Another metafield already uses {}.{}.", input.namespace, input.key),
            );
            errors.push(item_error(&error));
            continue;
        }
        if let Some(metafield) = store.data.metafields.get_mut(&current.id) {
            metafield.apply(input, ctx.now);
            data.push(metafield.to_json(None));
        }
    }
    batch_answer(data, errors)
}

pub(super) fn delete_batch(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let ids: Vec<i64> = ctx.body_required()?;
    if ids.is_empty() {
        return Err(empty_batch());
    }
    let (mut data, mut errors) = (Vec::new(), Vec::new());
    for id in ids {
        let found = u64::try_from(id)
            .ok()
            .and_then(|id| store.data.metafields.get(&id))
            .filter(|m| m.visible_to(ctx.client_id));
        match found {
            None => {
                let error = ApiError::new(StatusCode::NOT_FOUND, "Metafield not found")
                    .field(id.to_string(), "No metafield with this id.");
                errors.push(item_error(&error));
            }
            Some(m) if !m.writable_by(ctx.client_id) => errors.push(item_error(&owned_by_another_app())),
            Some(m) => {
                let key = m.id;
                store.data.metafields.remove(&key);
                data.push(json!(id));
            }
        }
    }
    batch_answer(data, errors)
}
