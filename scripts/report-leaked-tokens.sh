#!/usr/bin/env bash
# Reports every tokend token (dft_…) found in the given files — a gitleaks JSON report, a diff,
# a log — to a tokend server's POST /api/v1/credentials/revoke, which revokes each live one.
# Usage: scripts/report-leaked-tokens.sh https://tokend.example.com FILE... (or - for stdin)
# Prints how many distinct tokens were reported; never prints a token. Needs bash, grep, curl.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 TOKEND_URL FILE..." >&2
    exit 2
fi
url="${1%/}/api/v1/credentials/revoke"
shift

# A token is dft_ + 36 base62 characters; the server checks the checksum itself.
mapfile -t tokens < <(cat -- "$@" | grep -oE 'dft_[0-9A-Za-z]{36}' | sort -u || true)
if [[ ${#tokens[@]} -eq 0 ]]; then
    echo "no tokend tokens found"
    exit 0
fi

# At most 1000 credentials per request. The answer is 202 whatever the strings were; 429 means
# the server's 60 reports per hour are spent: wait Retry-After seconds and run again.
for ((start = 0; start < ${#tokens[@]}; start += 1000)); do
    batch=("${tokens[@]:start:1000}")
    body=$(printf '"%s",' "${batch[@]}")
    status=$(printf '{"credentials":[%s]}' "${body%,}" |
        curl -sS -o /dev/null -w '%{http_code}' -X POST "$url" \
            -H 'Content-Type: application/json' --data-binary @-)
    if [[ $status != 202 ]]; then
        echo "tokend answered $status for tokens $((start + 1))-$((start + ${#batch[@]}))" >&2
        exit 1
    fi
done
echo "reported ${#tokens[@]} token(s) to $url"
