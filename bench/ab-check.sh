#!/usr/bin/env bash
# The gate's check rate of two tokend binaries, measured in one run on one machine, so a change
# to the hot path can be judged by a ratio instead of by figures from different days:
#
#   bash bench/ab-check.sh OLD_TOKEND NEW_TOKEND
#
# Each binary gets a fresh data dir with one account and AB_TOKENS tokens made by its own CLI
# (so each uses its own schema), is started on a free loopback port, and is driven with
# `wrk -t1 -cAB_CONNECTIONS -dAB_DURATION` through bench/check.lua. The runs alternate
# OLD, NEW, OLD, NEW, … AB_ROUNDS times; the script prints each run and the NEW/OLD ratio of
# the summed rates. Knobs: AB_TOKENS=200 AB_ROUNDS=3 AB_DURATION=5 AB_CONNECTIONS=32.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[[ $# -eq 2 ]] || { echo "usage: $0 OLD_TOKEND NEW_TOKEND" >&2; exit 2; }
OLD=$(realpath "$1")
NEW=$(realpath "$2")
TOKENS=${AB_TOKENS:-200}
ROUNDS=${AB_ROUNDS:-3}
DURATION=${AB_DURATION:-5}
CONNECTIONS=${AB_CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "ab-check: wrk is missing (bash scripts/deps.sh bench)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/tokend-ab.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# Seeds DIR with one account and TOKENS analytics:read tokens using BINARY; raw tokens go to
# DIR/tokens (kept inside the temp dir, removed at the end).
seed() {
    local binary=$1 dir=$2
    "$binary" account create --email bench@example.com --data-dir "$dir/data" >/dev/null 2>&1
    for _ in $(seq "$TOKENS"); do
        "$binary" token create --email bench@example.com --permissions analytics:read \
            --data-dir "$dir/data" --max-tokens-per-account 100000 --log-level error
    done >"$dir/tokens"
}

# Starts BINARY on DIR's data and sets PORT (not a $(…) subshell: its EXIT trap would clean up).
start() {
    local binary=$1 dir=$2
    "$binary" serve --listen 127.0.0.1:0 --data-dir "$dir/data" --log-level warn \
        --max-tokens-per-account 100000 2>"$dir/log" &
    PIDS+=($!)
    for _ in $(seq 500); do
        PORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$dir/log" | grep -o '[0-9]*$' || true)
        [[ -n "$PORT" ]] && return
        sleep 0.01
    done
    echo "ab-check: $binary did not start: $(cat "$dir/log")" >&2
    exit 1
}

rate() {
    local port=$1 tokens=$2
    TOKENS_FILE=$tokens wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/check.lua \
        "http://127.0.0.1:$port" | awk '/Requests\/sec/ {print $2}'
}

mkdir -p "$WORK/old" "$WORK/new"
seed "$OLD" "$WORK/old"
seed "$NEW" "$WORK/new"
start "$OLD" "$WORK/old"
old_port=$PORT
start "$NEW" "$WORK/new"
new_port=$PORT
old_sum=0
new_sum=0
for round in $(seq "$ROUNDS"); do
    old_rate=$(rate "$old_port" "$WORK/old/tokens")
    new_rate=$(rate "$new_port" "$WORK/new/tokens")
    printf 'round %d: old %s req/s, new %s req/s\n' "$round" "$old_rate" "$new_rate"
    old_sum=$(awk -v a="$old_sum" -v b="$old_rate" 'BEGIN {print a + b}')
    new_sum=$(awk -v a="$new_sum" -v b="$new_rate" 'BEGIN {print a + b}')
done
awk -v o="$old_sum" -v n="$new_sum" -v r="$ROUNDS" \
    'BEGIN {printf "mean: old %.0f req/s, new %.0f req/s, new/old %.3f\n", o / r, n / r, n / o}'
