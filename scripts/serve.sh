#!/usr/bin/env bash
# One command from a fresh Debian 12 root to a running tokend: install build packages,
# build the Release binary, then run `tokend serve` in the foreground.
# Extra arguments go to `tokend serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)" --target tokend

echo >&2
echo "tokend is starting (defaults: http://127.0.0.1:8080, data in ./data)." >&2
echo "To get a first token, run from another terminal in $PWD:" >&2
cat >&2 <<'HINT'

    build/tokend account create --email you@example.com
    TOKEN=$(build/tokend token create --email you@example.com)
    curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v1/admin/access-tokens

Or, on a fresh data dir, open http://127.0.0.1:8080/ in a browser and create the owner
account with the first-run setup code the server logs below; tokens are made on that page.

(If you passed --data-dir or --listen here, pass/adjust the same on those commands.)
Stop the server with Ctrl-C.

HINT
exec build/tokend serve "$@"
