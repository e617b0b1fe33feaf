#!/usr/bin/env bash
# The single list of Debian 12 packages tokend needs, per purpose. Used by the README
# commands, scripts/serve.sh, scripts/test.sh, .ci/run and the Dockerfile.
#
#   scripts/deps.sh build|test|runtime|bench|docker   install the missing packages of that set
#   scripts/deps.sh --list SET                        print the set's package names on one line
set -euo pipefail

# Compilers, CMake and the -dev packages CMake finds (see CONVENTIONS.md "Build and lint").
BUILD_PKGS=(
    build-essential cmake pkg-config ca-certificates
    libcpp-httplib-dev libssl-dev libsqlitecpp-dev libsqlite3-dev libsodium-dev
    nlohmann-json3-dev libspdlog-dev libgtest-dev libgmock-dev libpq-dev
)
# Lint (clang-format/clang-tidy), clang with sanitizer runtimes, and what the integration
# and browser tests drive: curl, ps, ss (iproute2), nginx, caddy, a headless browser, Node.js,
# systemd-analyze for the unit file check (scripts/extra-tests.d/30-systemd) and promtool
# (Debian's prometheus package) for the metrics test.
# postgresql-15: the server binaries the PostgreSQL tests start throwaway clusters with
# (scripts/pg-test-cluster.sh; no system cluster is used).
TEST_EXTRA_PKGS=(clang-format clang clang-tidy libclang-rt-14-dev curl openssl procps iproute2 nginx-light
    caddy chromium systemd prometheus postgresql-15)
NODE_PKGS=(nodejs npm)
# Shared libraries of the Release binary on debian:12-slim. SQLiteCpp is absent on purpose:
# Debian 12 ships it only as a static archive (libSQLiteCpp.a), so it ends up in the binary.
# curl is for the Docker HEALTHCHECK.
RUNTIME_PKGS=(libcpp-httplib0.11 libssl3 libsodium23 libspdlog1.10 libfmt9 libsqlite3-0 libpq5
    ca-certificates curl)
BENCH_EXTRA_PKGS=(wrk nginx-light curl procps iproute2)
# The Dockerfile built without a Docker engine (scripts/extra-tests.d/40-docker installs this set
# when it runs): buildah (chroot isolation needs no OCI runtime, overlay storage no
# fuse-overlayfs when run as root) and debootstrap for the local debian:12 base images.
DOCKER_PKGS=(buildah debootstrap curl)

usage() {
    echo "usage: $0 build|test|runtime|bench|docker" >&2
    echo "       $0 --list build|test|runtime|bench|docker" >&2
    exit 2
}

# A Node.js that already works (e.g. from NodeSource) is kept: installing Debian's npm on
# top of NodeSource's nodejs would conflict.
have_usable_node() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
    local major
    major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" || return 1
    [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 18))
}

packages_of() {
    case "$1" in
        build) echo "${BUILD_PKGS[*]}" ;;
        test)
            local pkgs=("${BUILD_PKGS[@]}" "${TEST_EXTRA_PKGS[@]}")
            have_usable_node || pkgs+=("${NODE_PKGS[@]}")
            echo "${pkgs[*]}"
            ;;
        runtime) echo "${RUNTIME_PKGS[*]}" ;;
        bench) echo "${BUILD_PKGS[*]} ${BENCH_EXTRA_PKGS[*]}" ;;
        docker) echo "${DOCKER_PKGS[*]}" ;;
        *) usage ;;
    esac
}

is_installed() {
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

as_root() {
    if ((EUID == 0)); then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "deps.sh: need root (or sudo) to run: $*" >&2
        exit 1
    fi
}

install_set() {
    local wanted missing=() pkg
    read -r -a wanted <<<"$(packages_of "$1")"
    # Order-preserving de-duplication (bench repeats curl/procps from nothing, test from build).
    declare -A seen=()
    for pkg in "${wanted[@]}"; do
        [[ -n "${seen[$pkg]:-}" ]] && continue
        seen[$pkg]=1
        is_installed "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    echo "deps.sh: installing ${missing[*]}" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
}

case "${1:-}" in
    --list)
        [[ $# -eq 2 ]] || usage
        packages_of "$2"
        ;;
    build | test | runtime | bench | docker)
        [[ $# -eq 1 ]] || usage
        install_set "$1"
        ;;
    *) usage ;;
esac
