#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, reachable only through a unix socket in its directory
# (no TCP port to collide with), with durability off for speed: the commands measured in the
# PostgreSQL scale-out research, §3.1.
#
#   scripts/pg-test-cluster.sh start DIR   create DIR, initdb + start a cluster in it, and print
#                                          ONE line: the libpq URL of its database "postgres"
#   scripts/pg-test-cluster.sh stop DIR    stop that cluster (-m immediate) and remove DIR
#   scripts/pg-test-cluster.sh pause DIR   stop its server, keeping DIR (a database outage)
#   scripts/pg-test-cluster.sh resume DIR  start the paused server again
#
# DIR must not exist yet (or be empty) and its path must be short: the socket DIR/.s.PGSQL.5432
# must fit in 107 bytes. As root, initdb and pg_ctl run as "nobody" (initdb refuses root), so
# "nobody" must be able to reach DIR (e.g. under /tmp). PG_BIN overrides the server binaries
# directory (default /usr/lib/postgresql/15/bin). The server log is DIR/log. A failed start
# prints why on stderr, exits 1 and leaves no DIR behind.
set -euo pipefail

readonly MARKER=.tokend-pg-test-cluster

die() {
    echo "pg-test-cluster: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start DIR | stop DIR | pause DIR | resume DIR" >&2
    exit 2
}

pg_bin() {
    local bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
    [[ -x "$bin/initdb" && -x "$bin/pg_ctl" ]] ||
        die "no PostgreSQL server binaries in $bin (apt-get install postgresql-15, or set PG_BIN)"
    printf '%s\n' "$bin"
}

# Runs a command as USER when we are root, as ourselves otherwise.
as_user() {
    local user="$1"
    shift
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

# Starts the server of DIR's cluster as USER (unix socket in DIR only, no durability).
# PG_DURABLE=1 keeps PostgreSQL's durability on (fsync, synchronous_commit), for benchmarks.
start_server() {
    local dir="$1" bin="$2" user="$3"
    local options="-c listen_addresses= -k $dir -c max_connections=300"
    if [[ "${PG_DURABLE:-0}" != 1 ]]; then
        options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    as_user "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "$options" \
        start >"$dir/pg_ctl.log" 2>&1
}

# On a failed start: stop the server if it runs, and remove the directory we created.
cleanup_failed_start() {
    local dir="$1" bin="$2" user="$3"
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_user "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf -- "$dir"
}

start() {
    local dir="$1" bin user=nobody
    bin="$(pg_bin)"
    [[ "$dir" =~ ^[A-Za-z0-9._/-]+$ ]] ||
        die "DIR '$dir' may hold only letters, digits and . _ / - (it goes into a URL and a server option)"
    [[ "$dir" == /* ]] || dir="$PWD/$dir"
    if [[ -e "$dir" ]]; then
        [[ -d "$dir" && -z "$(ls -A "$dir")" ]] || die "$dir exists and is not an empty directory"
    fi
    local socket="$dir/.s.PGSQL.5432"
    ((${#socket} <= 107)) ||
        die "$dir is too long for a unix socket path (${#socket} > 107 bytes): use a shorter DIR"
    mkdir -p "$dir" || die "cannot create $dir"
    dir="$(cd "$dir" && pwd -P)"
    [[ "$(id -u)" -eq 0 ]] || user="$(id -un)"
    # From here on a failure removes DIR again, so the same DIR can be retried.
    # shellcheck disable=SC2064 # expand now: the locals are gone when the trap runs
    trap "cleanup_failed_start '$dir' '$bin' '$user'" EXIT
    : >"$dir/$MARKER"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown "$user" "$dir" || die "cannot chown $dir to $user"
        runuser -u "$user" -- test -w "$dir" ||
            die "user $user cannot write to $dir (a parent directory is not searchable by it?)"
    fi

    if ! as_user "$user" "$bin/initdb" -D "$dir/data" -U tokend -A trust -E UTF8 --no-sync \
        >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        die "initdb failed in $dir/data (its output is above)"
    fi
    if ! start_server "$dir" "$bin" "$user"; then
        cat "$dir/pg_ctl.log" >&2
        if [[ -f "$dir/log" ]]; then tail -n 20 "$dir/log" >&2; fi
        die "the server did not start in $dir (pg_ctl output and server log above)"
    fi
    trap - EXIT
    printf 'postgresql://tokend@/postgres?host=%s\n' "$dir"
}

stop() {
    local dir="$1" bin owner
    [[ -d "$dir" ]] || die "$dir is not a directory"
    [[ -f "$dir/$MARKER" ]] || die "$dir was not made by $0 start: not removing it"
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        bin="$(pg_bin)"
        owner="$(stat -c %U "$dir/data")"
        # A server that died already (a killed test run) leaves its pid file: nothing to stop.
        if ! as_user "$owner" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 &&
            as_user "$owner" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
            die "pg_ctl stop failed for $dir/data (server log: $dir/log)"
        fi
    fi
    rm -rf -- "$dir" || die "cannot remove $dir"
}

pause() {
    local dir="$1" bin
    [[ -f "$dir/$MARKER" ]] || die "$dir was not made by $0 start"
    bin="$(pg_bin)"
    as_user "$(stat -c %U "$dir/data")" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ||
        die "pg_ctl stop failed for $dir/data (server log: $dir/log)"
}

resume() {
    local dir="$1" bin
    [[ -f "$dir/$MARKER" ]] || die "$dir was not made by $0 start"
    bin="$(pg_bin)"
    start_server "$dir" "$bin" "$(stat -c %U "$dir/data")" ||
        die "the server did not start again in $dir (server log: $dir/log)"
}

[[ $# -eq 2 && -n "$2" ]] || usage
case "$1" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    pause) pause "$2" ;;
    resume) resume "$2" ;;
    *) usage ;;
esac
