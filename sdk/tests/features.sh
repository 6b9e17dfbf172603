#!/usr/bin/env bash
# The SDK's feature matrix:
#   - the TLS features other than the default: each must build, and ring's path must share its one
#     config as the default's does (the default is covered by `cargo test --workspace`);
#   - each API feature alone, none, and all together: the hand-written layer compiles with any.
#
# About 2 minutes on 2 cores after the workspace's tests: each feature set compiles its own reqwest
# (as metadata, except for ring's test, which builds it, and ring compiles C). GitHub CI runs it
# per push in its own job (`host-apps`, beside the others); `.ci/run`, whose steps run one after
# another, leaves it out. Run it locally from anywhere:
#     sdk/tests/features.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "-- TLS features"
cargo check --quiet -p bigcommerce-carts --locked --no-default-features
cargo check --quiet -p bigcommerce-carts --locked --no-default-features --features native-tls
cargo test --quiet -p bigcommerce-carts --locked --no-default-features \
    --features rustls-ring,carts,abandoned-carts,storefront --lib tls

echo "-- API features"
for apis in carts abandoned-carts storefront "" carts,abandoned-carts,storefront; do
    echo "default-tls${apis:+,$apis}"
    cargo check --quiet -p bigcommerce-carts --locked --no-default-features --features "default-tls${apis:+,$apis}"
done
