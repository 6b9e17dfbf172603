#!/usr/bin/env bash
# The SDK in two host applications, each with the SDK's default features (see app.rs):
#   - reqwest-default/: the application's reqwest keeps its default features;
#   - reqwest-no-tls/:  the application's reqwest has no TLS feature of its own.
# Each is built and run: it builds a plain reqwest client and an SDK client and calls a server on
# 127.0.0.1 with both, and fails on any error or panic. Then `cargo tree` of each must hold
# exactly one TLS stack (ring or aws-lc-rs), never both.
#
# Then a service that tests against the simulator (service/): its `cargo test` must compile
# nothing of what its `cargo build` compiled (shared-build.sh), and its tests must pass.
#
# Each application is its own workspace with its own Cargo.lock; all three build into the project's
# target directory (or CARGO_TARGET_DIR), so what they share with each other and with the
# workspace compiles once: a dependency with the same version, features and profile settings is
# the same unit to Cargo whichever workspace asks for it (the applications' `debug = false` is
# what the workspace gives its dependencies). Run from anywhere: sdk/tests/apps/check.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

failed=0
for app in reqwest-default reqwest-no-tls; do
    manifest="$here/$app/Cargo.toml"
    echo "-- $app"
    if ! cargo run --quiet --locked --manifest-path "$manifest"; then
        echo "$app: FAILED to build or run" >&2
        failed=1
    fi
    # The TLS crypto libraries the application compiles, each once.
    stacks=$(cargo tree --quiet --locked --manifest-path "$manifest" --prefix none --format '{p}' \
        | awk '$1 == "ring" || $1 == "aws-lc-rs" {print $1}' | sort -u | paste -sd ' ' -)
    echo "$app: TLS stack: ${stacks:-none}"
    if [ "$(wc -w <<<"$stacks")" -ne 1 ]; then
        echo "$app: FAILED: expected exactly one of ring and aws-lc-rs, found: ${stacks:-none}" >&2
        failed=1
    fi
done

echo "-- service"
service="$here/service/Cargo.toml"
if ! "$here/shared-build.sh" "$service"; then
    failed=1
elif ! cargo test --quiet --locked --manifest-path "$service" --test checkout; then
    echo "service: FAILED: its tests against the simulator" >&2
    failed=1
fi
exit "$failed"
