//! Carts: what a cart holds, how it changes, and how it is written in answers.
//!
//! A line item keeps a copy of what the catalog said when it was added (name, SKU, prices,
//! options), as a real cart does: changing the catalog later does not reprice carts. Each change
//! raises `version` by one and restarts the cart's 30 days of life.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::catalog::{ChosenOption, Download, ProductKind, Resolved};
use crate::clock::THIRTY_DAYS_MS;
use crate::money::Money;
use crate::pricing::{extended, totals};
use crate::redirects::RedirectUrls;
use crate::requests::Contact;

/// A cart as the simulator keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Cart {
    pub id: Uuid,
    pub customer_id: i64,
    pub channel_id: i64,
    pub email: String,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub version: i64,
    #[serde(default)]
    pub items: Vec<ProductLine>,
    #[serde(default)]
    pub gift_certificates: Vec<GiftLine>,
    #[serde(default)]
    pub custom_items: Vec<CustomLine>,
}

/// A catalog product in a cart (physical or digital).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct ProductLine {
    pub id: Uuid,
    pub product_id: i64,
    pub variant_id: i64,
    pub sku: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    pub digital: bool,
    pub taxable: bool,
    pub quantity: i64,
    pub original_price: Money,
    pub list_price: Money,
    #[serde(default)]
    pub price_overridden: bool,
    #[serde(default)]
    pub options: Vec<ChosenOption>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download: Option<Download>,
}

/// A gift certificate in a cart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct GiftLine {
    pub id: Uuid,
    pub name: String,
    pub theme: String,
    pub amount: Money,
    pub quantity: i64,
    pub sender: Contact,
    pub recipient: Contact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A custom (non-catalog) item in a cart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct CustomLine {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    pub name: String,
    pub quantity: i64,
    pub list_price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

/// Which kind of line item an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemKind {
    Product,
    GiftCertificate,
    Custom,
}

impl Cart {
    /// An empty cart created at `now`, at version 1.
    pub fn new(id: Uuid, now: DateTime<Utc>, customer_id: i64, channel_id: i64, currency: String) -> Self {
        Self {
            id,
            customer_id,
            channel_id,
            email: String::new(),
            currency,
            locale: None,
            created: now,
            updated: now,
            version: 1,
            items: Vec::new(),
            gift_certificates: Vec::new(),
            custom_items: Vec::new(),
        }
    }

    /// Whether the cart's 30 days since its last change are over at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.updated
            .checked_add_signed(TimeDelta::milliseconds(THIRTY_DAYS_MS))
            .is_none_or(|end| now >= end)
    }

    /// Records a change: a new version and a new last-change time.
    pub fn touch(&mut self, now: DateTime<Utc>) {
        self.version += 1;
        self.updated = now;
    }

    /// Line items of every kind.
    pub fn line_count(&self) -> usize {
        self.items.len() + self.gift_certificates.len() + self.custom_items.len()
    }

    /// What kind of item `id` is, if the cart has it.
    pub fn item_kind(&self, id: Uuid) -> Option<ItemKind> {
        if self.items.iter().any(|i| i.id == id) {
            Some(ItemKind::Product)
        } else if self.gift_certificates.iter().any(|g| g.id == id) {
            Some(ItemKind::GiftCertificate)
        } else if self.custom_items.iter().any(|c| c.id == id) {
            Some(ItemKind::Custom)
        } else {
            None
        }
    }

    /// Removes the item `id`; tells whether it was there.
    pub fn remove_item(&mut self, id: Uuid) -> bool {
        let before = self.line_count();
        self.items.retain(|i| i.id != id);
        self.gift_certificates.retain(|g| g.id != id);
        self.custom_items.retain(|c| c.id != id);
        before != self.line_count()
    }

    /// Items of `variant_id` in the cart, all lines together.
    pub fn variant_quantity(&self, variant_id: i64) -> i64 {
        self.items
            .iter()
            .filter(|i| i.variant_id == variant_id)
            .map(|i| i.quantity)
            .sum()
    }

    /// Items of `product_id` in the cart, all lines together.
    pub fn product_quantity(&self, product_id: i64) -> i64 {
        self.items
            .iter()
            .filter(|i| i.product_id == product_id)
            .map(|i| i.quantity)
            .sum()
    }

    /// Adds `quantity` of a resolved product. The same product, variant and options at the
    /// catalog price go onto the existing line; anything else becomes a new line.
    pub fn add_product(&mut self, resolved: &Resolved<'_>, quantity: i64) -> Uuid {
        let same = self.items.iter_mut().find(|line| {
            line.variant_id == resolved.variant.id
                && line.product_id == resolved.product.id
                && line.options == resolved.options
                && !line.price_overridden
                && !resolved.price_overridden
                && line.name == resolved.name
        });
        if let Some(line) = same {
            line.quantity += quantity;
            return line.id;
        }
        let id = crate::random::uuid();
        let product = resolved.product;
        self.items.push(ProductLine {
            id,
            product_id: product.id,
            variant_id: resolved.variant.id,
            sku: resolved.variant.sku.clone(),
            name: resolved.name.clone(),
            url: Some(product.url_or_placeholder()),
            image_url: Some(
                resolved
                    .variant
                    .image_url
                    .clone()
                    .unwrap_or_else(|| product.image_or_placeholder()),
            ),
            digital: product.kind == ProductKind::Digital,
            taxable: product.taxable,
            quantity,
            original_price: resolved.original_price,
            list_price: resolved.list_price,
            price_overridden: resolved.price_overridden,
            options: resolved.options.clone(),
            download: product.download.clone(),
        });
        id
    }

    /// A cart for unit tests.
    #[cfg(test)]
    pub fn for_tests() -> Self {
        Self::new(Uuid::nil(), Utc::now(), 0, 1, "USD".into())
    }
}

/// The optional parts an answer includes (`include=`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Includes {
    pub redirect_urls: bool,
    pub physical_options: bool,
    pub digital_options: bool,
    pub banners: bool,
}

impl Includes {
    /// Reads the values of `include` (already checked against the spec's list).
    pub fn from_values<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut out = Self::default();
        for value in values {
            match value {
                "redirect_urls" => out.redirect_urls = true,
                "line_items.physical_items.options" => out.physical_options = true,
                "line_items.digital_items.options" => out.digital_options = true,
                "promotions.banners" => out.banners = true,
                _ => {}
            }
        }
        out
    }
}

fn time(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// A cart written as the API writes it.
#[derive(Serialize)]
struct CartView<'a> {
    id: &'a Uuid,
    customer_id: i64,
    channel_id: i64,
    email: &'a str,
    currency: CurrencyView<'a>,
    tax_included: bool,
    base_amount: Money,
    discount_amount: Money,
    cart_amount: Money,
    coupons: [u8; 0],
    discounts: [u8; 0],
    line_items: LineItemsView<'a>,
    created_time: String,
    updated_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    promotions: Option<PromotionsView<'a>>,
    version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_urls: Option<&'a RedirectUrls>,
}

#[derive(Serialize)]
struct CurrencyView<'a> {
    code: &'a str,
}

#[derive(Serialize)]
struct PromotionsView<'a> {
    banners: &'a [Value],
}

#[derive(Serialize)]
struct LineItemsView<'a> {
    physical_items: Vec<ProductView<'a>>,
    digital_items: Vec<ProductView<'a>>,
    gift_certificates: Vec<GiftView<'a>>,
    custom_items: Vec<CustomView<'a>>,
}

#[derive(Serialize)]
struct ProductView<'a> {
    id: &'a Uuid,
    parent_id: Option<i64>,
    variant_id: i64,
    product_id: i64,
    sku: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    quantity: i64,
    taxable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_url: Option<&'a str>,
    discounts: [u8; 0],
    coupons: [u8; 0],
    discount_amount: Money,
    coupon_amount: Money,
    original_price: Money,
    list_price: Money,
    sale_price: Money,
    extended_list_price: Money,
    extended_sale_price: Money,
    is_require_shipping: bool,
    is_mutable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    download_file_urls: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    download_page_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    download_size: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<OptionView<'a>>>,
}

/// An option value of an item. `valueId` is always written because our spec requires it; a
/// free-form value (text, date, file) has no value id, and is written with 0.
#[derive(Serialize)]
struct OptionView<'a> {
    name: &'a str,
    #[serde(rename = "nameId")]
    name_id: i64,
    value: &'a str,
    #[serde(rename = "valueId")]
    value_id: i64,
}

#[derive(Serialize)]
struct GiftView<'a> {
    id: &'a Uuid,
    name: &'a str,
    theme: &'a str,
    amount: Money,
    quantity: i64,
    taxable: bool,
    sender: &'a Contact,
    recipient: &'a Contact,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

#[derive(Serialize)]
struct CustomView<'a> {
    id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    sku: Option<&'a str>,
    name: &'a str,
    quantity: i64,
    list_price: Money,
    extended_list_price: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_url: Option<&'a str>,
}

fn product_view(line: &ProductLine, with_options: bool) -> ProductView<'_> {
    let download = line.download.as_ref();
    ProductView {
        id: &line.id,
        parent_id: None,
        variant_id: line.variant_id,
        product_id: line.product_id,
        sku: &line.sku,
        name: &line.name,
        url: line.url.as_deref(),
        quantity: line.quantity,
        taxable: line.taxable,
        image_url: line.image_url.as_deref(),
        discounts: [],
        coupons: [],
        discount_amount: Money::ZERO,
        coupon_amount: Money::ZERO,
        original_price: line.original_price,
        list_price: line.list_price,
        sale_price: line.list_price,
        extended_list_price: extended(line.list_price, line.quantity),
        extended_sale_price: extended(line.list_price, line.quantity),
        is_require_shipping: !line.digital,
        is_mutable: true,
        download_file_urls: download.map(|d| d.file_urls.as_slice()),
        download_page_url: download.map(|d| d.page_url.as_str()),
        download_size: download.map(|d| d.size.as_str()),
        options: with_options.then(|| {
            line.options
                .iter()
                .map(|o| OptionView {
                    name: &o.name,
                    name_id: o.name_id,
                    value: &o.value,
                    value_id: o.value_id.unwrap_or(0),
                })
                .collect()
        }),
    }
}

/// Writes `{"data": cart, "meta": {}}` as the API answers it.
pub(crate) fn render(
    cart: &Cart,
    includes: Includes,
    redirect_urls: Option<&RedirectUrls>,
    banners: &[Value],
) -> Result<Vec<u8>, serde_json::Error> {
    let totals = totals(cart);
    let view = CartView {
        id: &cart.id,
        customer_id: cart.customer_id,
        channel_id: cart.channel_id,
        email: &cart.email,
        currency: CurrencyView { code: &cart.currency },
        tax_included: false,
        base_amount: totals.base_amount,
        discount_amount: totals.discount_amount,
        cart_amount: totals.cart_amount,
        coupons: [],
        discounts: [],
        line_items: LineItemsView {
            physical_items: cart
                .items
                .iter()
                .filter(|i| !i.digital)
                .map(|i| product_view(i, includes.physical_options))
                .collect(),
            digital_items: cart
                .items
                .iter()
                .filter(|i| i.digital)
                .map(|i| product_view(i, includes.digital_options))
                .collect(),
            gift_certificates: cart
                .gift_certificates
                .iter()
                .map(|g| GiftView {
                    id: &g.id,
                    name: &g.name,
                    theme: &g.theme,
                    amount: g.amount,
                    quantity: g.quantity,
                    taxable: false,
                    sender: &g.sender,
                    recipient: &g.recipient,
                    message: g.message.as_deref(),
                })
                .collect(),
            custom_items: cart
                .custom_items
                .iter()
                .map(|c| CustomView {
                    id: &c.id,
                    sku: c.sku.as_deref(),
                    name: &c.name,
                    quantity: c.quantity,
                    list_price: c.list_price,
                    extended_list_price: extended(c.list_price, c.quantity),
                    image_url: c.image_url.as_deref(),
                })
                .collect(),
        },
        created_time: time(&cart.created),
        updated_time: time(&cart.updated),
        locale: cart.locale.as_deref(),
        promotions: includes.banners.then_some(PromotionsView { banners }),
        version: cart.version,
        redirect_urls: if includes.redirect_urls { redirect_urls } else { None },
    };
    serde_json::to_vec(&Wrapped {
        data: view,
        meta: Meta {},
    })
}

/// `{"data": ..., "meta": {}}`, the wrapping of every single-object answer.
#[derive(Serialize)]
pub(crate) struct Wrapped<T: Serialize> {
    pub data: T,
    pub meta: Meta,
}

/// An empty `meta` object.
#[derive(Serialize)]
pub(crate) struct Meta {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_appear_only_when_included() {
        let mut cart = Cart::for_tests();
        let catalog = crate::catalog::Catalog::default_catalog();
        let request =
            serde_json::from_value(serde_json::json!({"quantity": 2, "product_id": 860, "variant_id": 1911})).unwrap();
        let resolved = crate::catalog::resolve(&catalog, &request, "line_items[0]").unwrap();
        cart.add_product(&resolved, 2);
        let read = |includes: Includes| -> Value {
            serde_json::from_slice(&render(&cart, includes, None, &[]).unwrap()).unwrap()
        };
        let plain = read(Includes::default());
        let item = &plain["data"]["line_items"]["digital_items"][0];
        assert!(item.get("options").is_none());
        assert_eq!(item["extended_list_price"], 25.98);
        assert_eq!(item["is_require_shipping"], false);
        assert!(plain["data"].get("promotions").is_none());
        let with = read(Includes {
            digital_options: true,
            banners: true,
            ..Includes::default()
        });
        assert_eq!(
            with["data"]["line_items"]["digital_items"][0]["options"][0]["valueId"],
            502
        );
        assert_eq!(with["data"]["promotions"]["banners"], serde_json::json!([]));
        assert_eq!(with["meta"], serde_json::json!({}));
    }

    #[test]
    fn the_same_product_twice_shares_a_line() {
        let mut cart = Cart::for_tests();
        let catalog = crate::catalog::Catalog::default_catalog();
        let request = serde_json::from_value(serde_json::json!({"quantity": 1, "product_id": 233})).unwrap();
        let resolved = crate::catalog::resolve(&catalog, &request, "x").unwrap();
        let first = cart.add_product(&resolved, 1);
        let second = cart.add_product(&resolved, 2);
        assert_eq!(first, second);
        assert_eq!(cart.variant_quantity(541), 3);
        assert_eq!(cart.line_count(), 1);
    }
}
