#!/usr/bin/env bash
# Loopback load benchmark of the simulator. Not a test: it measures, it does not judge.
#
# Install the load tool first (Debian package):
#     apt-get install -y wrk
# Optionally, to run Prism's mock of the same spec side by side (kept out of the repository):
#     npm install --prefix /tmp/prism-cli --no-audit --no-fund @stoplight/prism-cli
#
# Run from anywhere:
#     contract-tests/simulator/bench/load.sh
# Knobs (environment): DURATION (wrk -d, default 10s), CONNECTIONS (default 16), THREADS (wrk
# threads, default 1), SIM_WORKERS (simulator worker threads, default 1), PRISM (path of the
# prism executable, default /tmp/prism-cli/node_modules/.bin/prism; "off" skips it),
# CARGO_TARGET_DIR (where the release build goes).
#
# What it does: builds the simulator in release mode, starts it on 127.0.0.1 with a quota that
# never runs out, creates one cart, then drives two operations with wrk for DURATION each:
#   POST /stores/{h}/v3/carts/{id}/redirect_urls   (a fresh token per request)
#   GET  /stores/{h}/v3/carts/{id}
# and reports requests/s, p50 and p99 latency (wrk --latency) and the simulator's peak resident
# memory (VmHWM from /proc). All traffic stays on the loopback interface, every run is bounded
# by DURATION and a timeout, and everything started here is stopped on exit.

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
threads="${THREADS:-1}"
sim_workers="${SIM_WORKERS:-1}"
prism="${PRISM:-/tmp/prism-cli/node_modules/.bin/prism}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
token="sim-access-token"
store="benchstore"
work="$(mktemp -d)"
pids=()

cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

echo "building the simulator (release) ..."
(cd "$root" && CARGO_TARGET_DIR="$target_dir" cargo build --release -q -p bigcommerce-carts-sim)
bin="$target_dir/release/bigcommerce-carts-sim"

"$bin" --port 0 --quota 1000000000 --workers "$sim_workers" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
pids+=("$sim_pid")
for _ in $(seq 100); do
    grep -q '^listening on ' "$work/sim.out" 2>/dev/null && break
    sleep 0.1
done
base="$(sed -n 's/^listening on //p' "$work/sim.out")"
[ -n "$base" ] || { echo "the simulator did not start" >&2; cat "$work/sim.err" >&2; exit 1; }
api="$base/stores/$store/v3"

cart_json="$(curl -sf -H "X-Auth-Token: $token" -H 'Content-Type: application/json' \
    -d '{"line_items":[{"quantity":2,"product_id":233},{"quantity":1,"product_id":412,"variant_id":977}]}' \
    "$api/carts")"
cart_id="$(printf '%s' "$cart_json" | grep -o '"id":"[0-9a-f-]\{36\}"' | head -n1 | cut -d'"' -f4)"
[ -n "$cart_id" ] || { echo "could not create a cart: $cart_json" >&2; exit 1; }

cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"query_params":{"utm_source":"bench"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["X-Auth-Token"] = "$token"
LUA

results=()

# run NAME URL [wrk args...]: one bounded wrk run, summarised into $results.
run() {
    local name="$1" url="$2"
    shift 2
    local out="$work/$name.txt"
    timeout 120 wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" "$url" >"$out"
    local rps p50 p99 errors
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    p50="$(awk '$1 == "50%" {print $2}' "$out")"
    p99="$(awk '$1 == "99%" {print $2}' "$out")"
    errors="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")"
    results+=("$(printf '%-34s %12s %10s %10s %8s' "$name" "$rps" "$p50" "$p99" "${errors:-0}")")
}

peak_rss() {
    awk '/^VmHWM:/ {printf "%.1f MiB", $2 / 1024}' "/proc/$1/status"
}

echo "simulator at $base, cart $cart_id; wrk -t$threads -c$connections -d$duration"
run "sim POST redirect_urls" "$api/carts/$cart_id/redirect_urls" -s "$work/post.lua"
run "sim GET cart" "$api/carts/$cart_id" -H "X-Auth-Token: $token" -H "Accept: application/json"
sim_rss="$(peak_rss "$sim_pid")"

prism_rss=""
if [ "$prism" != "off" ] && [ -x "$prism" ]; then
    port="$(( 20000 + RANDOM % 20000 ))"
    "$prism" mock -h 127.0.0.1 -p "$port" "$root/spec/carts.v3.yaml" >"$work/prism.out" 2>&1 &
    prism_pid=$!
    pids+=("$prism_pid")
    prism_base="http://127.0.0.1:$port"
    for _ in $(seq 300); do
        curl -s -o /dev/null -H "X-Auth-Token: $token" "$prism_base/carts/settings" && break
        sleep 0.1
    done
    run "prism POST redirect_urls" "$prism_base/carts/$cart_id/redirect_urls" -s "$work/post.lua"
    run "prism GET cart" "$prism_base/carts/$cart_id" -H "X-Auth-Token: $token" -H "Accept: application/json"
    # Prism runs on node; its memory is that of its node process tree's main process.
    prism_rss="$(peak_rss "$prism_pid" 2>/dev/null || echo "?")"
fi

echo
printf '%-34s %12s %10s %10s %8s\n' "run" "requests/s" "p50" "p99" "non-2xx"
printf '%s\n' "${results[@]}"
echo
echo "simulator peak RSS: $sim_rss"
[ -n "$prism_rss" ] && echo "prism peak RSS (main process): $prism_rss"
if [ "${#results[@]}" -eq 4 ]; then
    rate() { printf '%s\n' "${results[@]}" | awk -v n="$1" 'index($0, n) == 1 {print $(NF - 3)}'; }
    for op in "POST redirect_urls" "GET cart"; do
        awk -v a="$(rate "sim $op")" -v b="$(rate "prism $op")" -v op="$op" \
            'BEGIN { if (b > 0) printf "throughput ratio simulator/prism, %s: %.1fx\n", op, a / b }'
    done
fi
