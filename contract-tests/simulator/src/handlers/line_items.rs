//! `addCartLineItems`, `updateCartLineItem`, `deleteCartLineItem`, and the rules every added
//! item goes through (catalog, stock, purchase limits).

use axum::http::StatusCode;
use uuid::Uuid;

use super::carts::{answer, check_version};
use super::{Ctx, Reply};
use crate::cart::{Cart, CustomLine, GiftLine, ItemKind};
use crate::catalog::{Catalog, FieldError, Product, resolve};
use crate::errors::ApiError;
use crate::pricing::{MAX_QUANTITY, max_price};
use crate::requests::{
    CartLineItemUpdateRequest, CartLineItemsAddRequest, CustomItemRequest, GiftCertificateRequest, LineItemRequest,
    VersionOnly,
};
use crate::state::Store;

/// What went wrong with the items of a request, sorted into kinds for the answer's title.
#[derive(Default)]
struct Problems {
    catalog: Vec<FieldError>,
    stock: Vec<FieldError>,
    stock_detail: Option<String>,
}

impl Problems {
    fn is_empty(&self) -> bool {
        self.catalog.is_empty() && self.stock.is_empty()
    }

    fn into_error(self) -> ApiError {
        if self.catalog.is_empty() {
            let mut error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Insufficient stock").fields(self.stock);
            error.detail = self.stock_detail;
            return error;
        }
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "The request payload is invalid.")
            .detail("One or more line items could not be added to the cart.")
            .fields(self.catalog.into_iter().chain(self.stock))
    }
}

/// Checks the stock of the variant and the purchase limits of the product after a change
/// that asked for `requested` items; problems are named at `at`.
fn check_quantities(
    cart: &Cart,
    product: &Product,
    variant_id: i64,
    requested: i64,
    at: &str,
    problems: &mut Problems,
) {
    let in_cart = cart.variant_quantity(variant_id);
    let stock = product
        .variants
        .iter()
        .find(|v| v.id == variant_id)
        .and_then(|v| v.stock);
    if let Some(stock) = stock
        && in_cart > stock
    {
        let message = if stock <= 0 {
            "Out of stock.".to_string()
        } else {
            format!("Only {stock} in stock.")
        };
        problems.stock.push((format!("{at}.quantity"), message));
        problems
            .stock_detail
            .get_or_insert_with(|| format!("Only {} of the requested {requested} items are in stock.", stock.max(0)));
        return;
    }
    let total = cart.product_quantity(product.id);
    if let Some(max) = product.max_purchase_quantity.filter(|m| *m > 0)
        && total > max
    {
        problems.catalog.push((
            format!("{at}.quantity"),
            format!("A cart may hold at most {max} of product {}.", product.id),
        ));
    }
    if let Some(min) = product.min_purchase_quantity.filter(|m| *m > 0)
        && total < min
    {
        problems.catalog.push((
            format!("{at}.quantity"),
            format!("A cart must hold at least {min} of product {}.", product.id),
        ));
    }
}

fn custom_line(request: CustomItemRequest, at: &str, problems: &mut Problems) -> Option<CustomLine> {
    let mut bad = |field: &str, message: &str| problems.catalog.push((format!("{at}.{field}"), message.to_string()));
    let name = request.name.filter(|n| !n.trim().is_empty());
    if name.is_none() {
        bad("name", "A custom item needs a name.");
    }
    let quantity = request.quantity.filter(|q| (1..=MAX_QUANTITY).contains(q));
    if quantity.is_none() {
        bad("quantity", "A custom item needs a quantity between 1 and 1000000.");
    }
    let price = request
        .list_price
        .filter(|p| !p.0.is_sign_negative() && p.0 <= max_price());
    if price.is_none() {
        bad(
            "list_price",
            "A custom item needs a list_price between 0 and one trillion.",
        );
    }
    Some(CustomLine {
        id: crate::random::uuid(),
        sku: request.sku,
        name: name?,
        quantity: quantity?,
        list_price: price?,
        image_url: request.image_url,
    })
}

fn gift_line(request: GiftCertificateRequest) -> GiftLine {
    GiftLine {
        id: crate::random::uuid(),
        name: request.name,
        theme: request.theme,
        amount: request.amount,
        quantity: request.quantity,
        sender: request.sender,
        recipient: request.recipient,
        message: request.message,
    }
}

/// Adds every requested item to `cart`, or nothing at all when one of them is refused.
pub(super) fn add_all(
    cart: &mut Cart,
    catalog: &Catalog,
    line_items: Vec<LineItemRequest>,
    custom_items: Vec<CustomItemRequest>,
    gift_certificates: Vec<GiftCertificateRequest>,
) -> Result<(), ApiError> {
    let mut draft = cart.clone();
    let mut problems = Problems::default();
    for (index, request) in line_items.iter().enumerate() {
        let at = format!("line_items[{index}]");
        match resolve(catalog, request, &at) {
            Ok(resolved) => {
                draft.add_product(&resolved, request.quantity);
                check_quantities(
                    &draft,
                    resolved.product,
                    resolved.variant.id,
                    request.quantity,
                    &at,
                    &mut problems,
                );
            }
            Err(errors) => problems.catalog.extend(errors),
        }
    }
    for (index, request) in custom_items.into_iter().enumerate() {
        if let Some(line) = custom_line(request, &format!("custom_items[{index}]"), &mut problems) {
            draft.custom_items.push(line);
        }
    }
    for (index, request) in gift_certificates.into_iter().enumerate() {
        if (1..=MAX_QUANTITY).contains(&request.quantity) {
            draft.gift_certificates.push(gift_line(request));
        } else {
            problems.catalog.push((
                format!("gift_certificates[{index}].quantity"),
                format!("The quantity must be between 1 and {MAX_QUANTITY}."),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_error());
    }
    *cart = draft;
    Ok(())
}

pub(super) fn add(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let id = ctx.uuid_param("cartId")?;
    let request: CartLineItemsAddRequest = ctx.body_required()?;
    let catalog = store.data.catalog.clone();
    let cart = store.live_cart(id, ctx.now).ok_or_else(ApiError::cart_not_found)?;
    check_version(cart, request.version)?;
    let line_items = request.line_items.unwrap_or_default();
    let custom_items = request.custom_items.unwrap_or_default();
    let gift_certificates = request.gift_certificates.unwrap_or_default();
    if line_items.is_empty() && custom_items.is_empty() && gift_certificates.is_empty() {
        return Err(ApiError::invalid([(
            "line_items".to_string(),
            "Give line items, custom items or gift certificates to add.".to_string(),
        )]));
    }
    add_all(cart, &catalog, line_items, custom_items, gift_certificates)?;
    cart.touch(ctx.now);
    answer(ctx, store, id, StatusCode::CREATED)
}

fn item_not_found(item: Uuid) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "Line item not found").detail(format!("The cart has no line item {item}."))
}

pub(super) fn update(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let id = ctx.uuid_param("cartId")?;
    let item_id = Uuid::parse_str(ctx.param("itemId")).map_err(|_| item_not_found(Uuid::nil()))?;
    let request: CartLineItemUpdateRequest = ctx.body_required()?;
    let catalog = store.data.catalog.clone();
    let cart = store.live_cart(id, ctx.now).ok_or_else(ApiError::cart_not_found)?;
    check_version(cart, request.version)?;
    match cart.item_kind(item_id) {
        None => return Err(item_not_found(item_id)),
        Some(ItemKind::Custom) => {
            return Err(ApiError::invalid([(
                "custom_items".to_string(),
                "Custom items cannot be changed; add a corrected one and remove this one.".to_string(),
            )]));
        }
        Some(ItemKind::GiftCertificate) => {
            let Some(new) = request
                .gift_certificates
                .and_then(|mut list| (!list.is_empty()).then(|| list.remove(0)))
                .filter(|g| (1..=MAX_QUANTITY).contains(&g.quantity))
            else {
                return Err(ApiError::invalid([(
                    "gift_certificates".to_string(),
                    "Give the gift certificate's new values.".to_string(),
                )]));
            };
            if let Some(line) = cart.gift_certificates.iter_mut().find(|g| g.id == item_id) {
                *line = GiftLine {
                    id: item_id,
                    ..gift_line(new)
                };
            }
        }
        Some(ItemKind::Product) => {
            let Some(wanted) = request.line_item else {
                return Err(ApiError::invalid([(
                    "line_item".to_string(),
                    "Give the line item's new values.".to_string(),
                )]));
            };
            let mut draft = cart.clone();
            let Some(line) = draft.items.iter_mut().find(|i| i.id == item_id) else {
                return Err(item_not_found(item_id));
            };
            let mut problems = Problems::default();
            if wanted.product_id != line.product_id {
                problems.catalog.push((
                    "line_item.product_id".into(),
                    format!(
                        "The line item is product {}, not {}.",
                        line.product_id, wanted.product_id
                    ),
                ));
            }
            if wanted.variant_id.is_some_and(|v| v != line.variant_id) {
                problems.catalog.push((
                    "line_item.variant_id".into(),
                    "To switch variants, remove the item and add the other variant.".into(),
                ));
            }
            if !(1..=MAX_QUANTITY).contains(&wanted.quantity) {
                problems.catalog.push((
                    "line_item.quantity".into(),
                    format!("The quantity must be between 1 and {MAX_QUANTITY}."),
                ));
            }
            if let Some(price) = wanted.list_price {
                if price.0.is_sign_negative() || price.0 > max_price() {
                    problems.catalog.push((
                        "line_item.list_price".into(),
                        "The price must be between 0 and one trillion.".into(),
                    ));
                }
                line.list_price = price;
                line.price_overridden = true;
            }
            line.quantity = wanted.quantity;
            let (product_id, variant_id) = (line.product_id, line.variant_id);
            if problems.is_empty()
                && let Some(product) = catalog.product(product_id)
            {
                check_quantities(&draft, product, variant_id, wanted.quantity, "line_item", &mut problems);
            }
            if !problems.is_empty() {
                return Err(problems.into_error());
            }
            *cart = draft;
        }
    }
    cart.touch(ctx.now);
    answer(ctx, store, id, StatusCode::OK)
}

pub(super) fn delete(ctx: &Ctx<'_>, store: &mut Store) -> Result<Reply, ApiError> {
    let id = ctx.uuid_param("cartId")?;
    let item_id = Uuid::parse_str(ctx.param("itemId")).map_err(|_| item_not_found(Uuid::nil()))?;
    let request: VersionOnly = ctx.body_as()?;
    let cart = store.live_cart(id, ctx.now).ok_or_else(ApiError::cart_not_found)?;
    check_version(cart, request.version)?;
    if !cart.remove_item(item_id) {
        return Err(item_not_found(item_id));
    }
    if cart.line_count() == 0 {
        // Removing the last item removes the cart, answered without a body.
        store.data.carts.remove(&id);
        return Ok(Reply::empty(StatusCode::NO_CONTENT));
    }
    cart.touch(ctx.now);
    answer(ctx, store, id, StatusCode::OK)
}
