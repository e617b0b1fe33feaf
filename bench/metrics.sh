#!/usr/bin/env bash
# The cost of metrics on the hot path: the /api/v1/auth/check rate with `serve --metrics-listen`
# and without, in one run, alternating so machine noise hits both alike (see bench/README.md).
#
#   bash bench/metrics.sh [TOKEND_BINARY]      (default build-bench/tokend, built if missing)
#
# Knobs: BENCH_DURATION=10 (seconds per wrk run)  BENCH_ROUNDS=3  BENCH_CONNECTIONS=32
#   BENCH_THREADS=1  BENCH_LOG_LEVEL=info
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOKEND=${1:-$PWD/build-bench/tokend}
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-1}
LOG_LEVEL=${BENCH_LOG_LEVEL:-info}

if [[ ! -x "$TOKEND" ]]; then
    bash scripts/deps.sh bench
    cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DTOKEND_TESTS=OFF >/dev/null
    cmake --build build-bench -j"$(nproc)" --target tokend >/dev/null
fi

WORK=$(mktemp -d /tmp/tokend-metrics-bench.XXXXXX)
PID=""
cleanup() {
    [[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

"$TOKEND" account create --email bench@example.com --data-dir "$WORK/data" >/dev/null 2>&1
for _ in $(seq 100); do
    "$TOKEND" token create --email bench@example.com --permissions analytics:read \
        --data-dir "$WORK/data" --max-tokens-per-account 1000 2>/dev/null
done >"$WORK/tokens.txt"

# run MODE: one wrk run against a fresh server; prints a line, sets RPS.
run() {
    local mode=$1 log=$WORK/serve.log extra=() port out
    [[ "$mode" == on ]] && extra=(--metrics-listen 127.0.0.1:0)
    : >"$log"
    "$TOKEND" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" --log-level "$LOG_LEVEL" \
        "${extra[@]}" 2>"$log" &
    PID=$!
    until grep -q "listening on" "$log"; do sleep 0.01; done
    port=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$log" | sed 's/.*://')
    out=$(TOKENS_FILE=$WORK/tokens.txt wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
        --latency -s bench/check.lua "http://127.0.0.1:$port/")
    RPS=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    local p99 errors=""
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    grep -q "Non-2xx" <<<"$out" && errors="  errors: $(grep Non-2xx <<<"$out")"
    if [[ "$mode" == on ]]; then
        local mport
        mport=$(grep -o 'metrics on http://[0-9.]*:[0-9]*' "$log" | sed 's/.*://')
        SERIES=$(curl -fs "http://127.0.0.1:$mport/metrics" |
            grep 'tokend_http_requests_total{method="GET",route="/api/v1/auth/check",status="204"}')
    fi
    kill "$PID"
    wait "$PID" || true
    PID=""
    printf 'metrics %-3s  %8s req/s   p99 %8s%s\n' "$mode" "$RPS" "$p99" "$errors"
}

echo "metrics cost: $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds, log level $LOG_LEVEL"
off_total=0
on_total=0
for _ in $(seq "$ROUNDS"); do
    run off
    off_total=$((off_total + RPS))
    run on
    on_total=$((on_total + RPS))
done
echo "scraped after the last 'on' run: $SERIES"
awk -v a="$on_total" -v b="$off_total" -v n="$ROUNDS" 'BEGIN {
    printf "mean: off %.0f req/s, on %.0f req/s, on/off %.3f\n", b / n, a / n, a / b }'
