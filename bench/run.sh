#!/usr/bin/env bash
# The tokend benchmark in one command (see bench/README.md): builds a Release binary, seeds data
# dirs with N tokens, and drives tokend and nginx-light side by side with wrk on loopback.
#
#   bash bench/run.sh
#
# Knobs (environment): BENCH_SIZES="1000 100000 1000000"  BENCH_DURATION=10 (seconds per run)
#   BENCH_CONNECTIONS=32  BENCH_THREADS=1 (wrk threads)  BENCH_LOG_LEVEL=info (tokend --log-level)
#   BENCH_SKIP_BUILD=1 (reuse build-bench/)  BENCH_POSTGRES=0 (skip the PostgreSQL rows)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

SIZES=${BENCH_SIZES:-"1000 100000 1000000"}
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-1}
LOG_LEVEL=${BENCH_LOG_LEVEL:-info}
BUILD=$ROOT/build-bench

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
    bash scripts/deps.sh bench
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTOKEND_TESTS=OFF -DTOKEND_BENCH=ON >/dev/null
    cmake --build "$BUILD" -j"$(nproc)" --target tokend tokend_seed tokend_held >/dev/null
fi
TOKEND=$BUILD/tokend
SEED=$BUILD/bench/tokend_seed
HELD=$BUILD/bench/tokend_held

WORK=$(mktemp -d /tmp/tokend-bench.XXXXXX)
TOKEND_PID=""
NGINX_PID=""
GATE_PID=""
cleanup() {
    [[ -n "$TOKEND_PID" ]] && kill "$TOKEND_PID" 2>/dev/null && wait "$TOKEND_PID" 2>/dev/null
    [[ -n "$NGINX_PID" ]] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    [[ -n "$GATE_PID" ]] && kill -QUIT "$GATE_PID" 2>/dev/null && wait "$GATE_PID" 2>/dev/null
    [[ -n "${PG_DIR:-}" && -d "$PG_DIR" ]] && bash scripts/pg-test-cluster.sh stop "$PG_DIR"
    rm -rf "$WORK"
}
trap cleanup EXIT

now_ns() { date +%s%N; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# A loopback port nobody listens on right now.
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (: >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "bench: no free port found" >&2
    exit 1
}

start_nginx() {
    local prefix=$WORK/nginx port
    mkdir -p "$prefix/tmp"
    port=$(free_port)
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$port|g" bench/nginx.conf.in >"$prefix/nginx.conf"
    /usr/sbin/nginx -p "$prefix/" -e "$prefix/error.log" -c "$prefix/nginx.conf" \
        -g 'daemon off;' &
    NGINX_PID=$!
    for _ in $(seq 500); do
        if curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1; then
            NGINX_PORT=$port
            return
        fi
        sleep 0.01
    done
    echo "bench: nginx did not start: $(cat "$prefix/error.log")" >&2
    exit 1
}

# The gate nginx (nginx-gate.conf.in, one worker) in front of tokend and the static nginx.
start_gate_nginx() {
    local prefix=$WORK/gate port
    mkdir -p "$prefix/tmp"
    port=$(free_port)
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$port|g" -e "s|@STATIC_PORT@|$NGINX_PORT|g" \
        -e "s|@TOKEND_PORT@|$TOKEND_PORT|g" bench/nginx-gate.conf.in >"$prefix/nginx.conf"
    /usr/sbin/nginx -p "$prefix/" -e "$prefix/error.log" -c "$prefix/nginx.conf" \
        -g 'daemon off;' &
    GATE_PID=$!
    for _ in $(seq 500); do
        if curl -fs "http://127.0.0.1:$port/open/" >/dev/null 2>&1; then
            GATE_PORT=$port
            return
        fi
        sleep 0.01
    done
    echo "bench: gate nginx did not start: $(cat "$prefix/error.log")" >&2
    exit 1
}

stop_gate_nginx() {
    kill -QUIT "$GATE_PID"
    wait "$GATE_PID" || true
    GATE_PID=""
}

# The kernel's count of connections dropped because a listen queue was full (all sockets).
listen_overflows() { nstat -asz TcpExtListenOverflows | awk '$1 == "TcpExtListenOverflows" {print $2}'; }

# The three gate rows behind one nginx worker, with the same rotating tokens for each.
run_gate_rows() {
    local tokens=$1 overflows_before open gate204 gate p99_204 p99_gate
    start_gate_nginx
    overflows_before=$(listen_overflows)
    echo "behind nginx (1 worker, upstream keepalive 32; nginx-gate.conf.in):"
    CHECK_PATH=/open/ run_wrk "nginx -> static, no auth" "http://127.0.0.1:$GATE_PORT/" \
        bench/check.lua "$tokens"
    open=$RPS
    CHECK_PATH=/gate204/ run_wrk "nginx auth_request -> 204" "http://127.0.0.1:$GATE_PORT/" \
        bench/check.lua "$tokens"
    gate204=$RPS
    p99_204=$P99
    CHECK_PATH=/gate/ run_wrk "nginx auth_request -> tokend" "http://127.0.0.1:$GATE_PORT/" \
        bench/check.lua "$tokens"
    gate=$RPS
    p99_gate=$P99
    echo "ratios: tokend gate/204 gate $(ratio "$gate" "$gate204")   p99 tokend/204 $(ratio "$p99_gate" "$p99_204")   204 gate/no auth $(ratio "$gate204" "$open")"
    echo "TcpExtListenOverflows: $overflows_before before, $(listen_overflows) after"
    stop_gate_nginx
}

# Starts tokend on DATA_DIR (more serve flags may follow) and sets TOKEND_PORT and STARTUP_MS
# (process start → listening line).
start_tokend() {
    local data_dir=$1 log=$WORK/tokend.log start
    shift
    : >"$log"
    start=$(now_ns)
    "$TOKEND" serve --listen 127.0.0.1:0 --data-dir "$data_dir" --log-level "$LOG_LEVEL" \
        --max-tokens-per-account 1000 "$@" 2>"$log" &
    TOKEND_PID=$!
    while ! grep -q "listening on" "$log"; do
        if ! kill -0 "$TOKEND_PID" 2>/dev/null; then
            echo "bench: tokend exited: $(cat "$log")" >&2
            exit 1
        fi
        sleep 0.001
    done
    STARTUP_MS=$(( ($(now_ns) - start) / 1000000 ))
    TOKEND_PORT=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$log" | head -1 | sed 's/.*://')
}

stop_tokend() {
    kill "$TOKEND_PID"
    wait "$TOKEND_PID" || true
    TOKEND_PID=""
}

# wrk's latency figures in microseconds.
to_us() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
        if (u == "s") n *= 1000000; else if (u == "ms") n *= 1000; else if (u == "m") n *= 60000000;
        printf "%.0f", n }'
}

# run_wrk NAME URL [LUA [TOKENS_FILE]] → one result line; sets RPS.
run_wrk() {
    local name=$1 url=$2 script=${3:-} tokens=${4:-} out args=()
    args=(-t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency)
    [[ -n "$script" ]] && args+=(-s "$script")
    out=$(TOKENS_FILE=$tokens wrk "${args[@]}" "$url")
    RPS=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    local p50 p99 errors
    p50=$(to_us "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99=$(to_us "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    P99=$p99
    errors=$(awk '/Non-2xx/ {print $NF} /Socket errors/ {print "socket-errors"}' <<<"$out" | xargs)
    printf '%-28s %10s req/s   p50 %6s us   p99 %7s us   %s\n' "$name" "$RPS" "$p50" "$p99" \
        "${errors:+errors: $errors}"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "tokend benchmark: $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, sizes: $SIZES"
echo "tokend $("$TOKEND" --version | awk '{print $2}'), $(/usr/sbin/nginx -v 2>&1 | sed 's/.*: //'), log level $LOG_LEVEL"
start_nginx

declare -A CHECK_RPS
for n in $SIZES; do
    dir=$WORK/data-$n
    start=$(now_ns)
    "$SEED" "$dir" "$n" "$WORK/check-$n.txt" "$WORK/creators-$n.txt"
    echo
    echo "== N = $n tokens (seeded in $(( ($(now_ns) - start) / 1000000 )) ms)"
    start_tokend "$dir"
    sleep 0.5
    echo "start-up (process start -> listening line): $STARTUP_MS ms; idle RSS: $(rss_kb "$TOKEND_PID") KiB"
    run_wrk "tokend /healthz" "http://127.0.0.1:$TOKEND_PORT/healthz"
    healthz=$RPS
    run_wrk "tokend /api/v1/auth/check" "http://127.0.0.1:$TOKEND_PORT/" bench/check.lua \
        "$WORK/check-$n.txt"
    check=$RPS
    CHECK_RPS[$n]=$check
    run_wrk "nginx static return 200" "http://127.0.0.1:$NGINX_PORT/"
    static=$RPS
    echo "RSS after the check run: $(rss_kb "$TOKEND_PID") KiB"
    echo "ratios: check/healthz $(ratio "$check" "$healthz")   check/nginx $(ratio "$check" "$static")"
    if [[ "$n" == "$(awk '{print $1}' <<<"$SIZES")" ]]; then
        run_gate_rows "$WORK/check-$n.txt"
        run_wrk "tokend durable creates" "http://127.0.0.1:$TOKEND_PORT/" bench/create.lua \
            "$WORK/creators-$n.txt"
        SQLITE_CREATES=$RPS
    fi
    stop_tokend
    if [[ "$n" == "$(awk '{print $1}' <<<"$SIZES")" ]]; then
        # SPEC §14: 1,000 idle + 200 slow-drip connections held, fresh requests meanwhile.
        start_tokend "$dir" --header-timeout 5 --keep-alive-timeout 60 \
            --max-connections-per-address 4096
        "$HELD" "$TOKEND_PORT" "$TOKEND_PID" 1000 200 5
        stop_tokend
    fi
    rm -rf "$dir"
done

# SPEC §15: the same check and create rows on PostgreSQL (a throwaway cluster with durability
# on, unix socket), on one node and on two nodes sharing the database, side by side with SQLite.
if [[ "${BENCH_POSTGRES:-1}" == 1 ]]; then
    n=$(awk '{print $1}' <<<"$SIZES")
    PG_DIR=/tmp/tokend-bench-pg-$$
    pg_url=$(PG_DURABLE=1 bash scripts/pg-test-cluster.sh start "$PG_DIR")
    dir=$WORK/pg-$n
    "$SEED" "$dir" "$n" "$WORK/pg-check.txt" "$WORK/pg-creators.txt" "$pg_url"
    pg_flags=(--database "$pg_url" --secret-key-file "$dir/secret.key")
    echo
    echo "== PostgreSQL 15 (one database, durable commits), N = $n tokens"
    start_tokend "$WORK/pg-node-a" "${pg_flags[@]}"
    run_wrk "tokend check, 1 node" "http://127.0.0.1:$TOKEND_PORT/" bench/check.lua \
        "$WORK/pg-check.txt"
    pg_check=$RPS
    node_a_port=$TOKEND_PORT
    node_a_pid=$TOKEND_PID
    start_tokend "$WORK/pg-node-b" "${pg_flags[@]}"
    # Both nodes at once, one wrk each; the row is their sum.
    TOKENS_FILE=$WORK/pg-check.txt wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/check.lua \
        "http://127.0.0.1:$node_a_port/" >"$WORK/wrk-a.txt" &
    wrk_a=$!
    TOKENS_FILE=$WORK/pg-check.txt wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/check.lua \
        "http://127.0.0.1:$TOKEND_PORT/" >"$WORK/wrk-b.txt"
    wait "$wrk_a"
    pg_two=$(awk '/^Requests\/sec/ {s += $2} END {printf "%.0f", s}' "$WORK/wrk-a.txt" "$WORK/wrk-b.txt")
    printf '%-28s %10s req/s   (sum of two wrk runs, one per node)\n' "tokend check, 2 nodes" "$pg_two"
    stop_tokend
    TOKEND_PID=$node_a_pid
    run_wrk "tokend durable creates" "http://127.0.0.1:$node_a_port/" bench/create.lua \
        "$WORK/pg-creators.txt"
    pg_creates=$RPS
    stop_tokend
    bash scripts/pg-test-cluster.sh stop "$PG_DIR"
    echo "ratios: check PostgreSQL/SQLite $(ratio "$pg_check" "${CHECK_RPS[$n]}")   2 nodes/1 node $(ratio "$pg_two" "$pg_check")   creates PostgreSQL/SQLite $(ratio "$pg_creates" "$SQLITE_CREATES")"
fi

first=$(awk '{print $1}' <<<"$SIZES")
last=$(awk '{print $NF}' <<<"$SIZES")
echo
echo "check rate at N=$last vs N=$first: $(ratio "${CHECK_RPS[$last]}" "${CHECK_RPS[$first]}")"
