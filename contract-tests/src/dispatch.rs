//! Turns a recorded request into the SDK call that should produce it: the
//! operation picks the client method, the path gives the path parameters, the
//! query string the query parameters, the body the typed request body.
//!
//! Every value goes through the SDK's own types, so a request the SDK cannot
//! express (an unknown `include` value, a field its types lack) fails here or
//! shows up as a difference in what was sent.

use std::collections::BTreeMap;
use std::str::FromStr;

use bigcommerce_carts::{Client, Error, ResponseValue, StorefrontClient};
use bigcommerce_carts::{abandoned_carts::types as ac, carts::types as v3, storefront::types as sf};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::cassette::{Api, Cassette};
use crate::spec::Operation;
use carts_openapi::match_path;

/// What the SDK made of the response.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A success: the status and the typed body re-serialized (`None` when
    /// there is none, or it decoded as `None`).
    Success {
        /// HTTP status.
        status: u16,
        /// The typed body as JSON.
        body: Option<Value>,
    },
    /// An error answer decoded into the operation's error type.
    ErrorBody {
        /// HTTP status.
        status: u16,
        /// The typed error body as JSON.
        body: Option<Value>,
    },
    /// The call failed otherwise (could not be built, could not decode...).
    Failed {
        /// Why, in the SDK's words.
        message: String,
    },
}

impl Outcome {
    /// The status the SDK reported, if it got that far.
    pub fn status(&self) -> Option<u16> {
        match self {
            Outcome::Success { status, .. } | Outcome::ErrorBody { status, .. } => Some(*status),
            Outcome::Failed { .. } => None,
        }
    }

    /// The typed body as JSON, if any.
    pub fn body(&self) -> Option<&Value> {
        match self {
            Outcome::Success { body, .. } | Outcome::ErrorBody { body, .. } => body.as_ref(),
            Outcome::Failed { .. } => None,
        }
    }
}

/// The recorded request, taken apart.
struct Args<'a> {
    path: BTreeMap<String, String>,
    query: BTreeMap<String, String>,
    body: Option<&'a Value>,
}

impl Args<'_> {
    fn path<T: FromStr>(&self, name: &str) -> Result<T, String> {
        let raw = self
            .path
            .get(name)
            .ok_or_else(|| format!("path parameter {name} is missing"))?;
        raw.parse()
            .map_err(|_| format!("path parameter {name}={raw:?} does not parse"))
    }

    fn query<T: FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        self.query
            .get(name)
            .map(|raw| {
                raw.parse()
                    .map_err(|_| format!("query parameter {name}={raw:?} does not parse"))
            })
            .transpose()
    }

    /// A comma-separated list parameter, each item parsed with the SDK's type.
    fn list<T: FromStr>(&self, name: &str) -> Result<Option<Vec<T>>, String> {
        self.query
            .get(name)
            .map(|raw| {
                raw.split(',')
                    .map(|item| {
                        item.parse()
                            .map_err(|_| format!("{name}: {item:?} is not a value the SDK knows"))
                    })
                    .collect()
            })
            .transpose()
    }

    fn body<T: DeserializeOwned>(&self) -> Result<Option<T>, String> {
        self.body
            .map(|body| serde_json::from_value(body.clone()).map_err(|e| format!("request body does not fit: {e}")))
            .transpose()
    }
}

/// Sets a builder field when the value is there.
macro_rules! maybe {
    ($builder:ident . $method:ident ( $value:expr )) => {
        if let Some(value) = $value {
            $builder = $builder.$method(value);
        }
    };
}

/// Makes the SDK call for `cassette` against `management` or `storefront`.
pub async fn call(
    cassette: &Cassette,
    operation: &Operation,
    management: &Client,
    storefront: &StorefrontClient,
) -> Outcome {
    match call_inner(cassette, operation, management, storefront).await {
        Ok(outcome) => outcome,
        Err(message) => Outcome::Failed { message },
    }
}

async fn call_inner(
    cassette: &Cassette,
    operation: &Operation,
    m: &Client,
    s: &StorefrontClient,
) -> Result<Outcome, String> {
    let request = &cassette.request;
    let path = match_path(&operation.path, &request.path)
        .ok_or_else(|| format!("path {} does not match {}", request.path, operation.path))?;
    let query = request
        .query
        .as_deref()
        .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let a = Args {
        path,
        query,
        body: request.body.as_ref(),
    };

    let outcome = match (cassette.api(), operation.id.as_str()) {
        (Api::CartsV3, "createCart") => {
            let mut b = m.carts().create_cart();
            maybe!(b.include(a.list::<v3::Include>("include")?));
            maybe!(b.body(a.body::<v3::CartCreateRequest>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "getCart") => {
            let mut b = m.carts().get_cart().cart_id(a.path::<uuid::Uuid>("cartId")?);
            maybe!(b.include(a.list::<v3::Include>("include")?));
            finish(b.send().await)
        }
        (Api::CartsV3, "updateCart") => {
            let mut b = m.carts().update_cart().cart_id(a.path::<uuid::Uuid>("cartId")?);
            maybe!(b.include(a.list::<v3::Include>("include")?));
            maybe!(b.body(a.body::<v3::CartUpdateRequest>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "deleteCart") => finish(
            m.carts()
                .delete_cart()
                .cart_id(a.path::<uuid::Uuid>("cartId")?)
                .send()
                .await,
        ),
        (Api::CartsV3, "addCartLineItems") => {
            let mut b = m.carts().add_cart_line_items().cart_id(a.path::<uuid::Uuid>("cartId")?);
            maybe!(b.include(a.list::<v3::Include>("include")?));
            maybe!(b.body(a.body::<v3::CartLineItemsAddRequest>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "updateCartLineItem") => {
            let mut b = m
                .carts()
                .update_cart_line_item()
                .cart_id(a.path::<uuid::Uuid>("cartId")?)
                .item_id(a.path::<uuid::Uuid>("itemId")?);
            maybe!(b.include(a.list::<v3::Include>("include")?));
            maybe!(b.body(a.body::<v3::CartLineItemUpdateRequest>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "deleteCartLineItem") => {
            let mut b = m
                .carts()
                .delete_cart_line_item()
                .cart_id(a.path::<uuid::Uuid>("cartId")?)
                .item_id(a.path::<uuid::Uuid>("itemId")?);
            maybe!(b.include(a.list::<v3::Include>("include")?));
            maybe!(b.body(a.body::<v3::CartLineItemDeleteRequest>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "createCartRedirectURL") => {
            let mut b = m
                .carts()
                .create_cart_redirect_url()
                .cart_id(a.path::<uuid::Uuid>("cartId")?);
            maybe!(b.body(a.body::<v3::RedirectUrlsRequest>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "getGlobalCartSettings") => finish(m.carts().get_global_cart_settings().send().await),
        (Api::CartsV3, "updateGlobalCartSettings") => {
            let mut b = m.carts().update_global_cart_settings();
            maybe!(b.body(a.body::<v3::GlobalCartSettingsRequest>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "getChannelCartSettings") => finish(
            m.carts()
                .get_channel_cart_settings()
                .channel_id(a.path::<i64>("channel_id")?)
                .send()
                .await,
        ),
        (Api::CartsV3, "updateChannelCartSettings") => {
            let mut b = m
                .carts()
                .update_channel_cart_settings()
                .channel_id(a.path::<i64>("channel_id")?);
            maybe!(b.body(a.body::<bigcommerce_carts::ChannelCartSettingsRequest>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "getCartMetafields") => {
            let mut b = m
                .carts()
                .get_cart_metafields()
                .cart_id(a.path::<uuid::Uuid>("cart_id")?);
            maybe!(b.after(a.query::<String>("after")?));
            maybe!(b.before(a.query::<String>("before")?));
            maybe!(b.direction(a.query::<v3::SortDirection>("direction")?));
            maybe!(b.key(a.query::<String>("key")?));
            maybe!(b.limit(a.query::<i64>("limit")?));
            maybe!(b.namespace(a.query::<String>("namespace")?));
            maybe!(b.page(a.query::<i64>("page")?));
            finish(b.send().await)
        }
        (Api::CartsV3, "createCartMetafield") => {
            let mut b = m
                .carts()
                .create_cart_metafield()
                .cart_id(a.path::<uuid::Uuid>("cart_id")?);
            maybe!(b.body(a.body::<v3::MetafieldRequest>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "getCartMetafield") => {
            let mut b = m
                .carts()
                .get_cart_metafield()
                .cart_id(a.path::<uuid::Uuid>("cart_id")?)
                .metafield_id(a.path::<i64>("metafield_id")?);
            maybe!(b.direction(a.query::<v3::SortDirection>("direction")?));
            maybe!(b.key(a.query::<String>("key")?));
            maybe!(b.limit(a.query::<i64>("limit")?));
            maybe!(b.namespace(a.query::<String>("namespace")?));
            maybe!(b.page(a.query::<i64>("page")?));
            finish(b.send().await)
        }
        (Api::CartsV3, "updateCartMetafield") => {
            let mut b = m
                .carts()
                .update_cart_metafield()
                .cart_id(a.path::<uuid::Uuid>("cart_id")?)
                .metafield_id(a.path::<i64>("metafield_id")?);
            maybe!(b.body(a.body::<v3::MetafieldRequest>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "deleteCartMetafield") => finish(
            m.carts()
                .delete_cart_metafield()
                .cart_id(a.path::<uuid::Uuid>("cart_id")?)
                .metafield_id(a.path::<i64>("metafield_id")?)
                .send()
                .await,
        ),
        (Api::CartsV3, "getCartsMetafields") => {
            let mut b = m.carts().get_carts_metafields();
            maybe!(b.after(a.query::<String>("after")?));
            maybe!(b.before(a.query::<String>("before")?));
            maybe!(b.date_created_max(a.query::<String>("date_created:max")?));
            maybe!(b.date_created_min(a.query::<String>("date_created:min")?));
            maybe!(b.date_modified_max(a.query::<String>("date_modified:max")?));
            maybe!(b.date_modified_min(a.query::<String>("date_modified:min")?));
            maybe!(b.direction(a.query::<v3::SortDirection>("direction")?));
            maybe!(b.include_fields(a.list::<v3::MetafieldField>("include_fields")?));
            maybe!(b.key(a.query::<String>("key")?));
            maybe!(b.key_in(a.list::<String>("key:in")?));
            maybe!(b.limit(a.query::<i64>("limit")?));
            maybe!(b.namespace(a.query::<String>("namespace")?));
            maybe!(b.namespace_in(a.list::<String>("namespace:in")?));
            maybe!(b.page(a.query::<i64>("page")?));
            finish(b.send().await)
        }
        (Api::CartsV3, "createCartsMetafields") => {
            let mut b = m.carts().create_carts_metafields();
            maybe!(b.body(a.body::<Vec<v3::MetafieldBatchCreateItem>>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "updateCartsMetafields") => {
            let mut b = m.carts().update_carts_metafields();
            maybe!(b.body(a.body::<Vec<v3::MetafieldBatchUpdateItem>>()?));
            finish(b.send().await)
        }
        (Api::CartsV3, "deleteCartsMetafields") => {
            let mut b = m.carts().delete_carts_metafields();
            maybe!(b.body(a.body::<Vec<i64>>()?));
            finish(b.send().await)
        }
        (Api::AbandonedCartsV3, "getGlobalAbandonedCartSettings") => {
            let mut b = m.abandoned_carts().get_global_abandoned_cart_settings();
            maybe!(b.pagination(a.query::<i32>("pagination")?));
            finish(b.send().await)
        }
        (Api::AbandonedCartsV3, "updateGlobalAbandonedCartSettings") => {
            let mut b = m.abandoned_carts().update_global_abandoned_cart_settings();
            maybe!(b.body(a.body::<ac::GlobalAbandonedCartSettingsRequest>()?));
            finish(b.send().await)
        }
        (Api::AbandonedCartsV3, "getChannelAbandonedCartSettings") => finish(
            m.abandoned_carts()
                .get_channel_abandoned_cart_settings()
                .channel_id(a.path::<i32>("channel_id")?)
                .send()
                .await,
        ),
        (Api::AbandonedCartsV3, "updateChannelAbandonedCartSettings") => {
            let mut b = m
                .abandoned_carts()
                .update_channel_abandoned_cart_settings()
                .channel_id(a.path::<i32>("channel_id")?);
            maybe!(b.body(a.body::<bigcommerce_carts::ChannelAbandonedCartSettingsRequest>()?));
            finish(b.send().await)
        }
        (Api::AbandonedCartsV3, "getAbandonedCarts") => finish(
            m.abandoned_carts()
                .get_abandoned_carts()
                .token(a.path::<uuid::Uuid>("token")?)
                .send()
                .await,
        ),
        (Api::Storefront, "getCart") => {
            let mut b = s.carts().get_cart();
            maybe!(b.include(a.list::<sf::Include>("include")?));
            finish(b.send().await)
        }
        (Api::Storefront, "createCart") => {
            let mut b = s.carts().create_cart();
            maybe!(b.include(a.list::<sf::Include>("include")?));
            maybe!(b.body(a.body::<sf::CreateCartRequest>()?));
            finish(b.send().await)
        }
        (Api::Storefront, "deleteCart") => finish(
            s.carts()
                .delete_cart()
                .cart_id(a.path::<uuid::Uuid>("cartId")?)
                .send()
                .await,
        ),
        (Api::Storefront, "updateCartCurrency") => {
            let mut b = s
                .carts()
                .update_cart_currency()
                .cart_id(a.path::<uuid::Uuid>("cartId")?);
            maybe!(b.include(a.list::<sf::Include>("include")?));
            maybe!(b.body(a.body::<sf::UpdateCartCurrencyRequest>()?));
            finish(b.send().await)
        }
        (Api::Storefront, "addCartLineItem") => {
            let mut b = s.carts().add_cart_line_item().cart_id(a.path::<uuid::Uuid>("cartId")?);
            maybe!(b.include(a.list::<sf::Include>("include")?));
            maybe!(b.body(a.body::<sf::AddCartLineItemsRequest>()?));
            finish(b.send().await)
        }
        (Api::Storefront, "updateCartLineItem") => {
            let mut b = s
                .carts()
                .update_cart_line_item()
                .cart_id(a.path::<uuid::Uuid>("cartId")?)
                .item_id(a.path::<String>("itemId")?);
            maybe!(b.include(a.list::<sf::Include>("include")?));
            maybe!(b.body(a.body::<sf::UpdateCartLineItemRequest>()?));
            finish(b.send().await)
        }
        (Api::Storefront, "deleteCartLineItem") => {
            let mut b = s
                .carts()
                .delete_cart_line_item()
                .cart_id(a.path::<uuid::Uuid>("cartId")?)
                .item_id(a.path::<String>("itemId")?);
            maybe!(b.include(a.list::<sf::Include>("include")?));
            maybe!(b.body(a.body::<sf::DeleteCartLineItemRequest>()?));
            finish(b.send().await)
        }
        (api, id) => return Err(format!("no SDK call is known for {api} {id}")),
    };
    Ok(outcome)
}

/// The (api, operation id) pairs [`call`] knows, for coverage checks.
pub const KNOWN: &[(Api, &str)] = &[
    (Api::CartsV3, "createCart"),
    (Api::CartsV3, "getCart"),
    (Api::CartsV3, "updateCart"),
    (Api::CartsV3, "deleteCart"),
    (Api::CartsV3, "addCartLineItems"),
    (Api::CartsV3, "updateCartLineItem"),
    (Api::CartsV3, "deleteCartLineItem"),
    (Api::CartsV3, "createCartRedirectURL"),
    (Api::CartsV3, "getGlobalCartSettings"),
    (Api::CartsV3, "updateGlobalCartSettings"),
    (Api::CartsV3, "getChannelCartSettings"),
    (Api::CartsV3, "updateChannelCartSettings"),
    (Api::CartsV3, "getCartMetafields"),
    (Api::CartsV3, "createCartMetafield"),
    (Api::CartsV3, "getCartMetafield"),
    (Api::CartsV3, "updateCartMetafield"),
    (Api::CartsV3, "deleteCartMetafield"),
    (Api::CartsV3, "getCartsMetafields"),
    (Api::CartsV3, "createCartsMetafields"),
    (Api::CartsV3, "updateCartsMetafields"),
    (Api::CartsV3, "deleteCartsMetafields"),
    (Api::AbandonedCartsV3, "getGlobalAbandonedCartSettings"),
    (Api::AbandonedCartsV3, "updateGlobalAbandonedCartSettings"),
    (Api::AbandonedCartsV3, "getChannelAbandonedCartSettings"),
    (Api::AbandonedCartsV3, "updateChannelAbandonedCartSettings"),
    (Api::AbandonedCartsV3, "getAbandonedCarts"),
    (Api::Storefront, "getCart"),
    (Api::Storefront, "createCart"),
    (Api::Storefront, "deleteCart"),
    (Api::Storefront, "updateCartCurrency"),
    (Api::Storefront, "addCartLineItem"),
    (Api::Storefront, "updateCartLineItem"),
    (Api::Storefront, "deleteCartLineItem"),
];

/// Reads the outcome the way a caller does: success as the typed value,
/// failure through the SDK's one error type.
fn finish<T: Serialize, X: Into<Error>>(result: Result<ResponseValue<T>, X>) -> Outcome {
    fn json<V: Serialize>(value: &V) -> Option<Value> {
        match serde_json::to_value(value) {
            Ok(Value::Null) | Err(_) => None,
            Ok(value) => Some(value),
        }
    }
    match result {
        Ok(response) => Outcome::Success {
            status: response.status().as_u16(),
            body: json(&*response),
        },
        Err(error) => match error.into() {
            Error::Api { status, body, .. } => {
                // An empty error body reads as an envelope without fields.
                let body = json(&*body).filter(|b| b.as_object().is_none_or(|o| !o.is_empty()));
                Outcome::ErrorBody {
                    status: status.as_u16(),
                    body,
                }
            }
            other => Outcome::Failed {
                message: other.to_string(),
            },
        },
    }
}
