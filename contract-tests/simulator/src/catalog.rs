//! The store's catalog, and how a line item request picks a product, a variant and options.
//!
//! Carts are made of catalog products, so a simulator needs a small catalog: products with
//! variants (each a combination of variant option values, with its own SKU, price and stock)
//! and modifiers (choices that do not change the variant, such as an engraving text or a
//! delivery date, some of which must be given). A catalog is read from JSON: the crate ships a
//! default (`catalog/default.json`), and a test can load its own through the admin API.

use chrono::{DateTime, Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::money::Money;
use crate::pricing::{MAX_QUANTITY, max_price};
use crate::requests::{LineItemRequest, OptionSelection};

/// The default catalog every new store starts with.
const DEFAULT_CATALOG: &str = include_str!("../catalog/default.json");

/// Products a store sells.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The products.
    #[serde(default)]
    pub products: Vec<Product>,
}

impl Product {
    /// Its storefront URL; a product without one gets a placeholder on the reserved
    /// `example.com` domain, since answers always carry a URL.
    pub fn url_or_placeholder(&self) -> String {
        self.url
            .clone()
            .unwrap_or_else(|| format!("https://shop.example.com/products/{}/", self.id))
    }

    /// Its image URL; a product without one gets a placeholder image, since answers always
    /// carry an image URL.
    pub fn image_or_placeholder(&self) -> String {
        self.image_url
            .clone()
            .unwrap_or_else(|| "https://cdn.example.com/product-default.gif".to_string())
    }
}

impl Catalog {
    /// The catalog shipped with the crate (`catalog/default.json`).
    pub fn default_catalog() -> Self {
        // The file is part of the crate and a unit test reads it; should it ever be broken, an
        // empty catalog is still a working store.
        serde_json::from_str(DEFAULT_CATALOG).unwrap_or_default()
    }

    /// Reads a catalog from JSON text.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The product with this id.
    pub fn product(&self, id: i64) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }
}

/// Whether a product is shipped or downloaded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    /// Shipped; goes into `physical_items`.
    #[default]
    Physical,
    /// Downloaded; goes into `digital_items`.
    Digital,
}

/// A product of the catalog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Product id.
    pub id: i64,
    /// Name shown on line items.
    pub name: String,
    /// Physical or digital.
    #[serde(default)]
    pub kind: ProductKind,
    /// Default price of one item.
    pub price: Money,
    /// Sale price, when the product is on sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_price: Option<Money>,
    /// Whether it can be bought at all.
    #[serde(default = "yes")]
    pub available: bool,
    /// Whether it is taxed.
    #[serde(default = "yes")]
    pub taxable: bool,
    /// Storefront URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Fewest items of the product one cart may hold (0 or absent: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_purchase_quantity: Option<i64>,
    /// Most items of the product one cart may hold (0 or absent: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_purchase_quantity: Option<i64>,
    /// Its variants; a product without options has exactly one.
    pub variants: Vec<Variant>,
    /// Its variant options and modifiers.
    #[serde(default)]
    pub options: Vec<OptionDef>,
    /// Download details of a digital product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download: Option<Download>,
}

fn yes() -> bool {
    true
}

/// One buyable combination of a product's variant options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// Variant id.
    pub id: i64,
    /// SKU.
    pub sku: String,
    /// Its own price, when it differs from the product's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Money>,
    /// Its own sale price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_price: Option<Money>,
    /// Items in stock; absent when inventory is not tracked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<i64>,
    /// The ids of the variant option values that make this variant.
    #[serde(default)]
    pub option_values: Vec<i64>,
    /// Whether this variant can be bought.
    #[serde(default = "yes")]
    pub purchasable: bool,
    /// Image URL of the variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
}

/// Whether an option picks the variant or only modifies the item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    /// A variant option: its values make up variants.
    Variant,
    /// A modifier: a choice on top of the variant.
    #[default]
    Modifier,
}

/// How an option's value is given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputType {
    /// One of the listed values, by id.
    #[default]
    MultipleChoice,
    /// A checkbox: one of its (two) listed values, by id.
    Checkbox,
    /// Free text.
    Text,
    /// A date: a Unix timestamp or a `{day, month, year}` object.
    Date,
    /// An uploaded file: `{originalName, temporaryPath}`.
    File,
}

/// A variant option or modifier of a product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionDef {
    /// Option id (`option_id` in requests, `nameId` in answers).
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Variant option or modifier.
    #[serde(default)]
    pub kind: OptionKind,
    /// How its value is given.
    #[serde(default)]
    pub input: InputType,
    /// Whether a modifier must be given a value (variant options always must).
    #[serde(default)]
    pub required: bool,
    /// The values to choose from (multiple choice and checkbox).
    #[serde(default)]
    pub values: Vec<OptionValueDef>,
}

/// A value of a multiple-choice option.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionValueDef {
    /// Value id (`valueId`).
    pub id: i64,
    /// Display label.
    pub label: String,
    /// Added to the item's price when chosen (modifiers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_adjustment: Option<Money>,
}

/// Download details of a digital product.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Download {
    /// Links to each file.
    #[serde(default)]
    pub file_urls: Vec<String>,
    /// Link to the page listing all downloads.
    pub page_url: String,
    /// Size of all files, readable (`18MB`).
    pub size: String,
}

/// An option value chosen for a line item, as it is shown with the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ChosenOption {
    pub name: String,
    pub name_id: i64,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_id: Option<i64>,
    #[serde(default)]
    pub price_adjustment: Money,
}

/// A line item request resolved against the catalog.
#[derive(Clone, Debug)]
pub(crate) struct Resolved<'c> {
    pub product: &'c Product,
    pub variant: &'c Variant,
    pub name: String,
    pub options: Vec<ChosenOption>,
    pub original_price: Money,
    pub list_price: Money,
    pub price_overridden: bool,
}

/// A problem with one field of a request: the field's path and a message.
pub(crate) type FieldError = (String, String);

/// Resolves `request` (found at `at`, such as `line_items[0]`) against the catalog.
pub(crate) fn resolve<'c>(
    catalog: &'c Catalog,
    request: &LineItemRequest,
    at: &str,
) -> Result<Resolved<'c>, Vec<FieldError>> {
    let fail = |field: &str, message: String| vec![(format!("{at}.{field}"), message)];
    let Some(product) = catalog.product(request.product_id) else {
        return Err(fail(
            "product_id",
            format!("Product {} does not exist.", request.product_id),
        ));
    };
    if !product.available {
        return Err(fail(
            "product_id",
            format!("Product {} is not available for purchase.", product.id),
        ));
    }
    if !(1..=MAX_QUANTITY).contains(&request.quantity) {
        return Err(fail(
            "quantity",
            format!("The quantity must be between 1 and {MAX_QUANTITY}."),
        ));
    }

    let mut errors = Vec::new();
    let mut chosen: Vec<(&OptionDef, ChosenOption)> = Vec::new();
    for (index, selection) in request.option_selections.iter().flatten().enumerate() {
        let here = format!("{at}.option_selections[{index}]");
        match choose(product, selection) {
            Ok((def, option)) if chosen.iter().any(|(d, _)| d.id == def.id) => {
                errors.push((
                    format!("{here}.option_id"),
                    format!("Option {} is chosen twice.", option.name_id),
                ));
            }
            Ok(pair) => chosen.push(pair),
            Err((field, message)) => errors.push((format!("{here}.{field}"), message)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let variant = match pick_variant(product, request.variant_id, &chosen) {
        Ok(variant) => variant,
        Err(message) => return Err(fail("variant_id", message)),
    };
    if !variant.purchasable {
        return Err(fail(
            "variant_id",
            format!("Variant {} is not available for purchase.", variant.id),
        ));
    }
    for def in product
        .options
        .iter()
        .filter(|d| d.kind == OptionKind::Modifier && d.required)
    {
        if !chosen.iter().any(|(d, _)| d.id == def.id) {
            errors.push((
                format!("{at}.option_selections"),
                format!("Option {} ({}) needs a value.", def.name, def.id),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Variant option values are shown with the item as well, in the product's option order.
    let mut options: Vec<ChosenOption> = Vec::new();
    for def in &product.options {
        if let Some((_, option)) = chosen.iter().find(|(d, _)| d.id == def.id) {
            options.push(option.clone());
        } else if def.kind == OptionKind::Variant
            && let Some(value) = def.values.iter().find(|v| variant.option_values.contains(&v.id))
        {
            options.push(ChosenOption {
                name: def.name.clone(),
                name_id: def.id,
                value: value.label.clone(),
                value_id: Some(value.id),
                price_adjustment: Money::ZERO,
            });
        }
    }
    let adjustments = options
        .iter()
        .map(|o| o.price_adjustment.0)
        .sum::<rust_decimal::Decimal>();
    let base = variant.price.unwrap_or(product.price);
    let sale = variant.sale_price.or(product.sale_price).unwrap_or(base);
    let (list_price, price_overridden) = match request.list_price {
        Some(price) if price.0.is_sign_negative() || price.0 > max_price() => {
            return Err(fail(
                "list_price",
                "The price must be between 0 and one trillion.".into(),
            ));
        }
        Some(price) => (price, true),
        None => (Money(sale.0 + adjustments), false),
    };
    Ok(Resolved {
        product,
        variant,
        name: request.name.clone().unwrap_or_else(|| product.name.clone()),
        options,
        original_price: Money(base.0 + adjustments),
        list_price,
        price_overridden,
    })
}

/// Reads one option selection: which option, and the value in the form the option takes.
fn choose<'c>(product: &'c Product, selection: &OptionSelection) -> Result<(&'c OptionDef, ChosenOption), FieldError> {
    let Some(option_id) = selection.option_id.or(selection.name_id) else {
        return Err(("option_id".into(), "Each option selection needs an option_id.".into()));
    };
    let Some(def) = product.options.iter().find(|d| d.id == option_id) else {
        return Err((
            "option_id".into(),
            format!("Option {option_id} does not belong to product {}.", product.id),
        ));
    };
    let by_value_id = selection.value_id.map(Value::from);
    let value = selection.option_value.as_ref().or(by_value_id.as_ref());
    let bad = |what: &str| ("option_value".to_string(), format!("Option {} takes {what}.", def.id));
    let (label, value_id, adjustment) = match def.input {
        InputType::MultipleChoice | InputType::Checkbox => {
            let id = value
                .and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())))
                .ok_or_else(|| bad("the id of one of its values"))?;
            let found = def
                .values
                .iter()
                .find(|v| v.id == id)
                .ok_or_else(|| bad("the id of one of its values"))?;
            (
                found.label.clone(),
                Some(found.id),
                found.price_adjustment.unwrap_or_default(),
            )
        }
        InputType::Text => match value {
            Some(Value::String(text)) if !text.trim().is_empty() => (text.clone(), None, Money::ZERO),
            _ => return Err(bad("a text")),
        },
        InputType::Date => (read_date(value).ok_or_else(|| bad("a date"))?, None, Money::ZERO),
        InputType::File => match value.and_then(|v| v.get("originalName")).and_then(Value::as_str) {
            Some(name) if !name.is_empty() => (name.to_string(), None, Money::ZERO),
            _ => return Err(bad("an uploaded file object")),
        },
    };
    let label = selection.value.clone().unwrap_or(label);
    let option = ChosenOption {
        name: selection.name.clone().unwrap_or_else(|| def.name.clone()),
        name_id: def.id,
        value: label,
        value_id,
        price_adjustment: adjustment,
    };
    Ok((def, option))
}

/// A date value: a Unix timestamp in seconds or a `{day, month, year}` object, shown as
/// `Mar 16th 2026`.
fn read_date(value: Option<&Value>) -> Option<String> {
    let date = match value? {
        Value::Number(n) => DateTime::from_timestamp(n.as_i64()?, 0)?.date_naive(),
        Value::Object(parts) => {
            let part = |name: &str| -> Option<i64> {
                match parts.get(name)? {
                    Value::String(s) => s.trim().parse().ok(),
                    Value::Number(n) => n.as_i64(),
                    _ => None,
                }
            };
            NaiveDate::from_ymd_opt(
                i32::try_from(part("year")?).ok()?,
                u32::try_from(part("month")?).ok()?,
                u32::try_from(part("day")?).ok()?,
            )?
        }
        _ => return None,
    };
    let day = date.day();
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    Some(format!("{} {day}{suffix} {}", date.format("%b"), date.year()))
}

/// The variant a request means: the one named, or the one its variant option values make.
fn pick_variant<'c>(
    product: &'c Product,
    variant_id: Option<i64>,
    chosen: &[(&OptionDef, ChosenOption)],
) -> Result<&'c Variant, String> {
    let chosen_values: Vec<i64> = chosen
        .iter()
        .filter(|(d, _)| d.kind == OptionKind::Variant)
        .filter_map(|(_, o)| o.value_id)
        .collect();
    if let Some(id) = variant_id {
        let variant = product
            .variants
            .iter()
            .find(|v| v.id == id)
            .ok_or_else(|| format!("Variant {id} does not belong to product {}.", product.id))?;
        if chosen_values.iter().any(|value| !variant.option_values.contains(value)) {
            return Err(format!("The chosen options do not match variant {id}."));
        }
        return Ok(variant);
    }
    let variant_options = product.options.iter().filter(|d| d.kind == OptionKind::Variant).count();
    if variant_options == 0 {
        return match product.variants.as_slice() {
            [only] => Ok(only),
            [] => Err(format!("Product {} has no variant to sell.", product.id)),
            _ => Err(format!("Product {} has several variants; give variant_id.", product.id)),
        };
    }
    if chosen_values.len() < variant_options {
        return Err(format!(
            "Product {} has several variants; give variant_id or choose every variant option.",
            product.id
        ));
    }
    product
        .variants
        .iter()
        .find(|v| chosen_values.iter().all(|value| v.option_values.contains(value)))
        .ok_or_else(|| format!("No variant of product {} matches the chosen options.", product.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(value: Value) -> LineItemRequest {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_default_catalog_reads() {
        let catalog: Catalog = serde_json::from_str(DEFAULT_CATALOG).expect("catalog/default.json is valid");
        assert!(catalog.product(233).is_some());
        assert_eq!(Catalog::default_catalog(), catalog);
    }

    #[test]
    fn variant_options_pick_the_variant_and_modifiers_are_shown() {
        let catalog = Catalog::default_catalog();
        let lamp = resolve(
            &catalog,
            &request(json!({"quantity": 1, "product_id": 412, "option_selections": [{"option_id": 80, "option_value": 402}]})),
            "line_items[0]",
        )
        .unwrap();
        assert_eq!(lamp.variant.id, 978);
        assert_eq!(lamp.options[0].value, "Large");
        let topper = resolve(
            &catalog,
            &request(json!({"quantity": 1, "product_id": 726, "option_selections": [
                {"option_id": 61, "option_value": 304}, {"option_id": 62, "option_value": "Happy 60th"}
            ]})),
            "line_items[0]",
        )
        .unwrap();
        assert_eq!(topper.options.len(), 2);
        assert_eq!(topper.options[1].value, "Happy 60th");
        assert_eq!(topper.options[1].value_id, None);
    }

    #[test]
    fn dates_read_in_both_forms() {
        assert_eq!(read_date(Some(&json!(1773619200))).as_deref(), Some("Mar 16th 2026"));
        assert_eq!(
            read_date(Some(&json!({"day": "22", "month": "06", "year": "2026"}))).as_deref(),
            Some("Jun 22nd 2026")
        );
        assert_eq!(
            read_date(Some(&json!({"day": "31", "month": "02", "year": "2026"}))),
            None
        );
        assert_eq!(read_date(Some(&json!("tomorrow"))), None);
    }

    #[test]
    fn problems_name_the_field() {
        let catalog = Catalog::default_catalog();
        let problem = |value: Value| resolve(&catalog, &request(value), "line_items[2]").unwrap_err();
        assert_eq!(
            problem(json!({"quantity": 1, "product_id": 1}))[0].0,
            "line_items[2].product_id"
        );
        assert_eq!(
            problem(json!({"quantity": 1, "product_id": 9051}))[0].0,
            "line_items[2].product_id"
        );
        assert_eq!(
            problem(json!({"quantity": 1, "product_id": 412, "variant_id": 541}))[0].0,
            "line_items[2].variant_id"
        );
        assert_eq!(
            problem(json!({"quantity": 1, "product_id": 412}))[0].0,
            "line_items[2].variant_id"
        );
        assert_eq!(
            problem(
                json!({"quantity": 1, "product_id": 726, "option_selections": [{"option_id": 61, "option_value": 304}]})
            )[0]
            .0,
            "line_items[2].option_selections"
        );
        assert_eq!(
            problem(json!({"quantity": 0, "product_id": 233}))[0].0,
            "line_items[2].quantity"
        );
    }
}
