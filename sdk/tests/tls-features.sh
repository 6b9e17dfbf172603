#!/usr/bin/env bash
# The SDK's TLS features other than the default: each must build, and ring's path must share its
# one config as the default's does (the default is covered by `cargo test --workspace`).
#
# About 75 s on 2 cores after the workspace's tests: each feature compiles its own reqwest, and
# ring compiles C. GitHub CI runs it per push in its own job (`host-apps`, beside the others), so
# `.ci/run`, where steps run one after another, leaves it out. Run it locally from anywhere:
#     sdk/tests/tls-features.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo check --quiet -p bigcommerce-carts --locked --no-default-features
cargo check --quiet -p bigcommerce-carts --locked --no-default-features --features native-tls
cargo test --quiet -p bigcommerce-carts --locked --no-default-features \
    --features rustls-ring,carts,abandoned-carts,storefront --lib tls
