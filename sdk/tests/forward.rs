//! Answers from a newer API: fields the spec does not know are ignored, and
//! enum values it does not list decode instead of failing the whole answer.

use bigcommerce_carts::carts::types::{CouponType, ItemCoupons, KnownCouponType};
use bigcommerce_carts::{Client, LineItemRemoval, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const CART_ID: &str = "6e5d4c3b-2a19-4f8e-8d7c-6b5a49382716";
const ITEM_ID: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

async fn serve(status: u16, body: Option<serde_json::Value>) -> (MockServer, Client) {
    let server = MockServer::start().await;
    let template = match body {
        Some(body) => ResponseTemplate::new(status).set_body_json(body),
        None => ResponseTemplate::new(status),
    };
    Mock::given(any()).respond_with(template).mount(&server).await;
    let client = Client::builder("forward", "token")
        .base_url(server.uri())
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn new_enum_values_and_fields_do_not_fail_a_cart() {
    let cart = json!({"data": {
        "id": CART_ID,
        "brand_new_field": {"anything": true},
        "coupons": [
            {"code": "SPRING", "coupon_type": "2"},
            {"code": "LOYAL", "coupon_type": "9", "loyalty_tier": "gold"}
        ],
        "line_items": {"physical_items": [{
            "id": ITEM_ID, "product_id": 77, "variant_id": 154, "quantity": 1,
            "coupons": [{"code": "LOYAL", "discountType": 7, "discountAmount": 1.5}]
        }]}
    }});
    let (_server, client) = serve(200, Some(cart)).await;
    let cart = client
        .carts()
        .get_cart()
        .cart_id(CART_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .expect("a cart with values the spec does not list still decodes")
        .into_inner()
        .data
        .unwrap();
    assert_eq!(
        cart.coupons[0].coupon_type,
        Some(CouponType::KnownCouponType(KnownCouponType::X2))
    );
    assert_eq!(cart.coupons[1].coupon_type, Some(CouponType::String("9".into())));
    let Some(ItemCoupons::Array(coupons)) = &cart.line_items.unwrap().physical_items[0].coupons else {
        panic!("item coupons as a list")
    };
    assert_eq!(coupons[0].discount_type, Some(7));
}

#[tokio::test]
async fn removing_an_item_says_whether_the_cart_survived() {
    let delete = |client: Client| async move {
        client
            .carts()
            .delete_cart_line_item()
            .cart_id(CART_ID.parse::<uuid::Uuid>().unwrap())
            .item_id(ITEM_ID.parse::<uuid::Uuid>().unwrap())
            .send()
            .await
            .unwrap()
            .into_inner()
    };
    let (_server, client) = serve(204, None).await;
    assert!(matches!(
        LineItemRemoval::from(delete(client).await),
        LineItemRemoval::CartDeleted
    ));

    let (_server, client) = serve(200, Some(json!({"data": {"id": CART_ID}, "meta": {}}))).await;
    let LineItemRemoval::CartUpdated(cart) = LineItemRemoval::from(delete(client).await) else {
        panic!("the cart is still there")
    };
    assert_eq!(cart.id.unwrap().to_string(), CART_ID);
}
