//! Answers from a newer API: fields the spec does not know are kept, and
//! enum values it does not list decode instead of failing the whole answer.

use bigcommerce_carts::carts::types::{CartResponse, CouponType, ItemCoupons, KnownCouponType};
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
    let mut cart = crate::fixtures::cart_answer(CART_ID, ITEM_ID);
    cart["data"]["brand_new_field"] = json!({"anything": true});
    cart["data"]["coupons"] = json!([
        {"code": "SPRING", "coupon_type": "2"},
        {"code": "LOYAL", "coupon_type": "9", "loyalty_tier": "gold"}
    ]);
    cart["data"]["line_items"]["physical_items"][0]["coupons"] =
        json!([{"code": "LOYAL", "discountType": 7, "discountAmount": 1.5}]);
    let (_server, client) = serve(200, Some(cart.clone())).await;
    let cart = client
        .carts()
        .get_cart()
        .cart_id(CART_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .expect("a cart with values the spec does not list still decodes")
        .into_inner()
        .data;
    assert_eq!(
        cart.coupons[0].coupon_type,
        Some(CouponType::Known(KnownCouponType::TotalDiscount))
    );
    assert_eq!(cart.coupons[1].coupon_type, Some(CouponType::Other("9".into())));
    assert_eq!(
        cart.coupons[1].extra["loyalty_tier"], "gold",
        "an unknown field is kept"
    );
    assert_eq!(cart.extra["brand_new_field"], json!({"anything": true}));
    let Some(ItemCoupons::List(coupons)) = &cart.line_items.physical_items[0].coupons else {
        panic!("item coupons as a list")
    };
    assert_eq!(coupons[0].discount_type, Some(7));
}

#[tokio::test]
async fn a_decoded_cart_writes_back_every_field_it_came_with() {
    let mut answer = crate::fixtures::cart_answer(CART_ID, ITEM_ID);
    answer["data"]["gift_wrapping_total"] = json!(3.5);
    answer["data"]["line_items"]["physical_items"][0]["warehouse"] = json!({"code": "AMS-1", "bins": [4, 7]});
    answer["meta"] = json!({"request_id": "r-17"});
    let (_server, client) = serve(200, Some(answer.clone())).await;
    let decoded = client
        .carts()
        .get_cart()
        .cart_id(CART_ID.parse::<uuid::Uuid>().unwrap())
        .send()
        .await
        .unwrap()
        .into_inner();
    // Fields the spec lists come back in their canonical spelling (the replays of
    // contract-tests compare those by JSON path); fields it does not list come back as they came.
    let written = serde_json::to_value(&decoded).unwrap();
    assert_eq!(written["data"]["gift_wrapping_total"], json!(3.5));
    assert_eq!(
        written["data"]["line_items"]["physical_items"][0]["warehouse"],
        json!({"code": "AMS-1", "bins": [4, 7]})
    );
    assert_eq!(written["meta"], json!({"request_id": "r-17"}));
    assert_eq!(
        serde_json::from_value::<CartResponse>(written).unwrap(),
        decoded,
        "it reads back the same"
    );
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

    let (_server, client) = serve(200, Some(crate::fixtures::cart_answer(CART_ID, ITEM_ID))).await;
    let LineItemRemoval::CartUpdated(cart) = LineItemRemoval::from(delete(client).await) else {
        panic!("the cart is still there")
    };
    assert_eq!(cart.id.to_string(), CART_ID);
}
