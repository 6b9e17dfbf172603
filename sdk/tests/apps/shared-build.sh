#!/usr/bin/env bash
# A service's build and its tests share what they compile: `cargo build`, then
# `cargo test --no-run`, of the application whose manifest is given, each timed. Every crate the
# build compiled (the SDK and its dependencies; the service's own targets aside) must be taken as
# it is by the tests: a dev-dependency that turns on another feature of a shared crate makes Cargo
# compile that crate, and everything above it, a second time. When that happens the check fails
# and names each crate compiled again, with the features the tests added or dropped.
#
# A crate counts as compiled again when the tests' `compiler-artifact` for it is not fresh, or
# holds files other than the build's for the same crate and target. In an empty target directory
# the two are the same thing; the second also holds in a target directory that kept both
# variants from an earlier run, so the check needs no cold build.
#
# Usage: shared-build.sh path/to/Cargo.toml (in CARGO_TARGET_DIR, or the application's target/)
set -euo pipefail

manifest="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
name="$(basename "$(dirname "$manifest")")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Runs one cargo command with JSON messages into $work/$1.json, shows its errors, and prints how
# long it took, how many units (crates and build scripts) it reported and how many it compiled.
timed() {
    local out="$1" start end
    shift
    start=$(date +%s%N)
    if ! cargo "$@" --quiet --locked --manifest-path "$manifest" --message-format=json >"$work/$out.json"; then
        # The compiler's messages are JSON too; show the rendered ones.
        grep -o '"rendered":"[^"]*' "$work/$out.json" | sed 's/^"rendered":"//; s/\\n/\n/g' >&2 || true
        echo "$name: FAILED: cargo $* did not complete" >&2
        exit 1
    fi
    end=$(date +%s%N)
    local units compiled
    units=$(grep -c '"reason":"compiler-artifact"' "$work/$out.json" || true)
    compiled=$(grep '"reason":"compiler-artifact"' "$work/$out.json" | grep -c '"fresh":false' || true)
    echo "$name: cargo $*: $(((end - start) / 1000000)) ms, $units units, $compiled of them compiled"
}

timed build build
timed test test --no-run

# One line per unit Cargo reported, compiled or fresh, but the application's own: package id,
# target (kind and name), features, files, fresh.
# Cargo writes each message on one line; the fields read here hold no nested objects.
artifacts() {
    awk -v own="$manifest" '
        function field(re, skip) {
            if (!match($0, re)) return ""
            return substr($0, RSTART + skip, RLENGTH - skip)
        }
        /"reason":"compiler-artifact"/ {
            if (field("\"manifest_path\":\"[^\"]*\"", 17) == own "\"") next
            id = field("\"package_id\":\"[^\"]*\"", 14)
            target = field("\"target\":\\{[^}]*\\}", 10)
            kind = target; sub(/.*"kind":\[/, "", kind); sub(/\].*/, "", kind)
            tname = target; sub(/.*"name":"/, "", tname); sub(/".*/, "", tname)
            features = field("[,{]\"features\":\\[[^]]*\\]", 13)
            files = field("\"filenames\":\\[[^]]*\\]", 13)
            fresh = field("\"fresh\":(true|false)", 8)
            gsub(/"/, "", id); gsub(/"/, "", kind); gsub(/[]"[]/, "", features)
            print id "\t" kind ":" tname "\t" features "\t" files "\t" fresh
        }' "$work/$1.json"
}
artifacts build >"$work/build.tsv"
artifacts test >"$work/test.tsv"
if [ ! -s "$work/build.tsv" ]; then
    echo "$name: FAILED: the build reported no compiled crate to compare" >&2
    exit 1
fi

# The tests' units of the build's packages that the build did not produce, one line per package:
# name@version, then the features the tests added (+) and dropped (-).
again=$(awk -F '\t' '
    # "registry+https://...#serde@1.0.228" or "path+file:///.../sdk#bigcommerce-carts@0.1.0";
    # when the name is the last part of the path, "path+file:///.../tokio#1.48.0".
    function label(id,   source, version, n, parts) {
        if (index(id, "#") == 0) { split(id, parts, " "); return parts[1] "@" parts[2] }
        source = id; sub(/#.*/, "", source); sub(/\?.*/, "", source)
        version = id; sub(/.*#/, "", version)
        if (index(version, "@")) return version
        n = split(source, parts, "/")
        return parts[n] "@" version
    }
    NR == FNR {
        built[$1] = 1
        files[$1 "\t" $2 "\t" $4] = 1
        listed[$1] = listed[$1] "," $3
        n = split($3, list, ","); for (i = 1; i <= n; i++) had[$1 "\t" list[i]] = 1
        next
    }
    ($1 in built) && ($5 == "false" || !(($1 "\t" $2 "\t" $4) in files)) {
        if (!($1 in seen)) { seen[$1] = 1; order[++count] = $1 }
        n = split($3, list, ",")
        for (i = 1; i <= n; i++) {
            has[$1 "\t" list[i]] = 1
            if (!(($1 "\t" list[i]) in had) && !(($1 "\t" list[i]) in noted)) {
                noted[$1 "\t" list[i]] = 1; change[$1] = change[$1] " +" list[i]
            }
        }
    }
    END {
        for (i = 1; i <= count; i++) {
            id = order[i]
            n = split(listed[id], list, ",")
            for (j = 1; j <= n; j++) {
                k = id "\t" list[j]
                if (list[j] != "" && !(k in has) && !(k in noted)) { noted[k] = 1; change[id] = change[id] " -" list[j] }
            }
            print label(id) ":" (id in change ? change[id] : " the same features, compiled again for a crate it uses")
        }
    }' "$work/build.tsv" "$work/test.tsv" | sort)

# The units of the tests that the build did not make (in an empty target directory, those the
# tests compile): the simulator and what only it uses, and the crates compiled again.
beyond=$(awk -F '\t' 'NR == FNR { files[$2 "\t" $4] = 1; next } !(($2 "\t" $4) in files)' \
    "$work/build.tsv" "$work/test.tsv" | wc -l)
echo "$name: the tests needed $beyond units (crates and build scripts) that the build had not made"

if [ -n "$again" ]; then
    echo "$name: FAILED: the tests compiled again $(wc -l <<<"$again") crates of the build (features the tests added or dropped):" >&2
    sed 's/^/  /' <<<"$again" >&2
    exit 1
fi
echo "$name: the tests compiled nothing of the build again ($(wc -l <"$work/build.tsv") units shared)"
