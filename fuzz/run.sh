#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined) and runs each for
# a fixed number of executions, starting from its seed corpus in fuzz/corpus/<target>/.
#
#   fuzz/run.sh [EXECUTIONS]     executions per target (default 100000)
#   fuzz/run.sh 2000000 router   only the named targets
#
# New inputs go to a scratch corpus (the seeds in the repo stay small); a crash leaves its input
# in $BUILD_DIR/fuzz-artifacts/ and fails the script. TOKEND_FUZZ_BUILD_DIR picks the build tree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

runs="${1:-100000}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(request_body bearer_token router json_codec)
build_dir="${TOKEND_FUZZ_BUILD_DIR:-build-fuzz}"
jobs="$(nproc)"

cmake -S . -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTOKEND_SANITIZE=address -DTOKEND_FUZZ=ON >/dev/null
cmake --build "$build_dir" -j"$jobs" --target "${targets[@]/#/fuzz_}"

artifacts="$PWD/$build_dir/fuzz-artifacts"
mkdir -p "$artifacts"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

summary=()
for target in "${targets[@]}"; do
    mkdir -p "$scratch/$target"
    log="$scratch/$target.log"
    echo "fuzz: $target, $runs executions" >&2
    if ! "$build_dir/fuzz/fuzz_$target" "$scratch/$target" "fuzz/corpus/$target" \
        -runs="$runs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$target-" >"$log" 2>&1; then
        tail -n 60 "$log" >&2
        echo "fuzz: $target FAILED; input saved under $artifacts/" >&2
        exit 1
    fi
    # "#123456 DONE cov: 812 ft: 2240 corp: 180/9Kb ..." is libFuzzer's last status line.
    done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)"
    summary+=("$target: ${done_line:-no DONE line}")
done
printf 'fuzz: %s\n' "${summary[@]}" >&2
