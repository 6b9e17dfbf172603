//! The service as a program: a checkout link for one product, in the store that
//! `BIGCOMMERCE_STORE_HASH` and `BIGCOMMERCE_ACCESS_TOKEN` name (at `BIGCOMMERCE_API_BASE` when
//! it is set, as the simulator's CI workflow sets it).

use std::process::ExitCode;

use app_service::{Failure, checkout_link};
use bigcommerce_carts::Client;

fn setting(name: &str) -> Result<String, Failure> {
    std::env::var(name).map_err(|_| format!("{name} is not set").into())
}

async fn run() -> Result<(), Failure> {
    let store_hash = setting("BIGCOMMERCE_STORE_HASH")?;
    let mut builder = Client::builder(&store_hash, setting("BIGCOMMERCE_ACCESS_TOKEN")?);
    if let Ok(base) = std::env::var("BIGCOMMERCE_API_BASE") {
        builder = builder.base_url(base);
    }
    let checkout = checkout_link(&builder.build()?, 233, 1).await?;
    println!(
        "cart {} comes to {}: {}",
        checkout.cart_id, checkout.total, checkout.link
    );
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
