#!/usr/bin/env bash
# The check rate with and without a per-token rateLimit, in one run against one server: 200
# tokens of one account, 100 of them with {"limit":1000000,"windowSeconds":86400} (a limit that
# is counted on every check but never reached), and wrk on bench/check.lua against each half,
# alternating ROUNDS times so that a busy machine slows both alike.
#
#   bash bench/rate-limit.sh [path/to/tokend]      (default build-bench/tokend, else build/tokend)
#
# Knobs: BENCH_DURATION=5 (seconds per run) BENCH_CONNECTIONS=32 BENCH_THREADS=1 ROUNDS=3
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOKEND=${1:-$( [[ -x build-bench/tokend ]] && echo build-bench/tokend || echo build/tokend)}
DURATION=${BENCH_DURATION:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-1}
ROUNDS=${ROUNDS:-3}

WORK=$(mktemp -d /tmp/tokend-ratebench.XXXXXX)
PID=""
cleanup() {
    [[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

"$TOKEND" account create --email bench@example.com --data-dir "$WORK/data" --log-level warn >/dev/null
ADMIN=$("$TOKEND" token create --email bench@example.com --data-dir "$WORK/data" --log-level warn)
"$TOKEND" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" --log-level warn \
    --max-tokens-per-account 1000 >"$WORK/log" 2>&1 &
PID=$!
for _ in $(seq 500); do
    grep -q "listening on" "$WORK/log" && break
    sleep 0.01
done
PORT=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$WORK/log" | head -1 | sed 's/.*://')
BASE=http://127.0.0.1:$PORT

create() { # BODY → the new raw token
    curl -fsS -X POST "$BASE/api/v1/admin/access-tokens" -H "Authorization: Bearer $ADMIN" \
        -H 'Content-Type: application/json' -d "$1" | grep -o '"key":"dft_[0-9A-Za-z]*"' | cut -d'"' -f4
}
for _ in $(seq 100); do
    create '{"permissions":["analytics:read"]}' >>"$WORK/plain"
    create '{"permissions":["analytics:read"],"rateLimit":{"limit":1000000,"windowSeconds":86400}}' \
        >>"$WORK/limited"
done

run() { # NAME TOKENS_FILE
    local out
    out=$(TOKENS_FILE=$2 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
        -s bench/check.lua "$BASE/")
    printf '%-22s %10s req/s  p50 %8s  p99 %8s  non-2xx: %s\n' "$1" \
        "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
        "$(awk '$1 == "50%" {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
        "$(awk '/Non-2xx/ {print $NF}' <<<"$out" | grep . || echo 0)"
}
echo "check rate, $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds"
for round in $(seq "$ROUNDS"); do
    run "no rateLimit ($round)" "$WORK/plain"
    run "rateLimit set ($round)" "$WORK/limited"
done
