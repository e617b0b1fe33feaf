#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 root: install test packages, build with
# warnings as errors, run ctest (unit, component, api), the browser tests, then every
# executable in scripts/extra-tests.d/ in name order.
#
# Extra test scripts run from the repo root and get TOKEND_BIN (the built binary) and
# TOKEND_BUILD_DIR (the build tree) in their environment; a non-zero exit fails the suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh test

build_dir=build-test
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOKEND_WERROR=ON \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
cmake --build "$build_dir" -j"$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"

export TOKEND_BIN="$PWD/$build_dir/tokend"
export TOKEND_BUILD_DIR="$PWD/$build_dir"

if [[ -f tests/browser/package.json ]]; then
    # Browsers come from Debian (chromium), never from an npm postinstall download.
    export PUPPETEER_SKIP_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
    (
        cd tests/browser
        if [[ -f package-lock.json ]]; then
            npm ci --no-audit --no-fund || npm install --no-audit --no-fund
        else
            npm install --no-audit --no-fund
        fi
    )
    # Explicit files: Node 18/20 take a directory, Node >= 21 takes globs; files work on all.
    shopt -s nullglob
    browser_tests=(tests/browser/*.test.mjs tests/browser/*.test.js tests/browser/*.test.cjs)
    shopt -u nullglob
    if ((${#browser_tests[@]} == 0)); then
        echo "test.sh: tests/browser/package.json exists but no tests/browser/*.test.{mjs,js,cjs}" >&2
        exit 1
    fi
    node --test --test-reporter=spec "${browser_tests[@]}"
fi

if [[ -d scripts/extra-tests.d ]]; then
    shopt -s nullglob
    extra=(scripts/extra-tests.d/*)
    shopt -u nullglob
    # Name order in the C locale, independent of the caller's LC_COLLATE.
    mapfile -t extra < <(printf '%s\n' "${extra[@]}" | LC_ALL=C sort)
    for script in "${extra[@]}"; do
        [[ -f "$script" && -x "$script" ]] || continue
        echo "test.sh: running $script" >&2
        "$script"
    done
fi

echo "test.sh: all tests passed" >&2
