#!/usr/bin/env bash
# How long `cargo xtask conformance` takes from a fresh clone (cold: everything compiled), again
# right after (warm: nothing to compile), and cold once more as a CI runner builds it, without
# incremental compilation (CARGO_INCREMENTAL=0, as .ci/run and rust-cache set it). Not a test: it
# measures, it does not judge.
#
# Run from anywhere:
#     contract-tests/bench/gate-time.sh
# Knobs (environment): REF (the revision to clone, default HEAD), JOBS (cargo -j, default: all
# cores). The clone and its target directory live in a temporary folder removed on exit; cargo's
# registry (downloaded sources) is shared, as on any machine that has built a Rust project.

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ref="${REF:-HEAD}"
jobs="${JOBS:-$(nproc)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git clone --quiet "$root" "$work/clone"
git -C "$work/clone" checkout --quiet "$(git -C "$root" rev-parse "$ref")"
cd "$work/clone"
cargo fetch --quiet

# `seconds NAME [env arguments...]`: one run of the gate, its environment changed as `env` takes it.
seconds() {
    local started ended name="$1"
    shift
    started=$(date +%s.%N)
    env "$@" CARGO_BUILD_JOBS="$jobs" CARGO_TARGET_DIR="$work/target" cargo xtask conformance >"$work/$name.log" 2>&1 || {
        echo "the gate failed; its output:" >&2
        tail -40 "$work/$name.log" >&2
        exit 1
    }
    ended=$(date +%s.%N)
    echo "$ended - $started" | bc
}

# The first two runs build as cargo does by default, incrementally, whatever the caller set.
cold=$(seconds cold -u CARGO_INCREMENTAL)
warm=$(seconds warm -u CARGO_INCREMENTAL)
rm -rf "$work/target"
cold_ci=$(seconds cold-ci CARGO_INCREMENTAL=0)
checked=$(grep -o 'checked in [0-9.]* s' "$work/warm.log" | head -1)
echo "cargo xtask conformance on $(git rev-parse --short HEAD), $(nproc) cores, -j $jobs"
printf '  cold (fresh clone, empty target):        %6.1f s\n' "$cold"
printf '  warm (right after):                      %6.1f s   (the gate itself: %s)\n' "$warm" "${checked#checked in }"
printf '  cold, as CI builds (CARGO_INCREMENTAL=0): %6.1f s\n' "$cold_ci"
