#!/usr/bin/env bash
# Every published release generates and compiles: the three releases our specs follow and the
# 70 historical versions of carts.v3 in spec/upstream/. Run by .ci/run and the CI workflow; leaves
# the releases unpacked in target/published-specs/specs/ for the history diff.
set -euo pipefail
cd "$(dirname "$0")/.."

work=target/published-specs
rm -rf "$work"
mkdir -p "$work/specs"
tar -xJf spec/upstream/history/carts.v3-history.tar.xz -C "$work/specs"
specs=(spec/upstream/*.yml "$work"/specs/*.yml)
# Every spec is generated; a spec whose code is the same as an earlier one's but for comments is
# not written again (many releases change only prose), so each distinct output is compiled once.
cargo xtask generate --spec "${specs[@]}" --out "$work/all" | tail -1
# The distinct modules go into four crates of one workspace: the dependencies are checked once,
# and each crate stays small enough for rustc's memory (one crate of all needs over 20 GB); two
# are checked at a time.
members=()
for part in 0 1 2 3; do
    crate="specs_$part"
    mkdir -p "$work/$crate/src"
    sed -e "s/^name = .*/name = \"$crate\"/" -e '/^\[workspace\]$/d' "$work/all/Cargo.toml" > "$work/$crate/Cargo.toml"
    echo "// One module per distinct published spec." > "$work/$crate/src/lib.rs"
    members+=("\"$crate\"")
done
count=0
for module in "$work"/all/src/*.rs; do
    name=$(basename "$module" .rs)
    [ "$name" = lib ] && continue
    crate="specs_$((count % 4))"
    mv "$module" "$work/$crate/src/"
    echo "pub mod $name;" >> "$work/$crate/src/lib.rs"
    count=$((count + 1))
done
(IFS=,; printf '[workspace]\nresolver = "3"\nmembers = [%s]\n' "${members[*]}") > "$work/Cargo.toml"
cp Cargo.lock "$work/"
CARGO_TARGET_DIR="$work/target" cargo check --quiet --jobs 2 --manifest-path "$work/Cargo.toml" --workspace
echo "${#specs[@]} published specs generate; their $count distinct outputs compile"
