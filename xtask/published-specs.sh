#!/usr/bin/env bash
# Every published release generates and compiles: the three releases our specs follow and the
# 70 historical versions of carts.v3 in spec/upstream/. Run by .ci/run and the CI workflow; leaves
# the releases unpacked in target/published-specs/specs/ for the history diff.
set -euo pipefail
cd "$(dirname "$0")/.."

work=target/published-specs
rm -rf "$work/specs" "$work/all"
mkdir -p "$work/specs"
tar -xJf spec/upstream/history/carts.v3-history.tar.xz -C "$work/specs"
specs=(spec/upstream/*.yml "$work"/specs/*.yml)
# Every spec is generated, into one crate with a module each. A spec whose code is the same as an
# earlier one's but for comments is not written again (many releases change only prose), and in
# the others each item that an earlier module defines exactly (everything it names included) is a
# re-export of that one (--share-items): the compiler checks each distinct item once.
SECONDS=0
cargo xtask generate --spec "${specs[@]}" --out "$work/all" --share-items | tail -2
echo "generated in ${SECONDS} s"
cp Cargo.lock "$work/all/"
SECONDS=0
CARGO_TARGET_DIR="$work/target" cargo check --quiet --manifest-path "$work/all/Cargo.toml"
modules=$(grep -c '^pub mod' "$work/all/src/lib.rs")
echo "${#specs[@]} published specs generate; their $modules distinct outputs compile (${SECONDS} s)"
