#!/usr/bin/env bash
# Formats the C++ sources (src/ tests/ bench/ fuzz/) with the repo's .clang-format.
#   scripts/format.sh           rewrite files in place
#   scripts/format.sh --check   change nothing; exit non-zero if any file needs formatting
# CLANG_FORMAT overrides the binary (default: clang-format, i.e. 14 on Debian 12).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

clang_format="${CLANG_FORMAT:-clang-format}"
check=0
case "${1:-}" in
    --check) check=1 ;;
    "") ;;
    *)
        echo "usage: $0 [--check]" >&2
        exit 2
        ;;
esac

dirs=()
for d in src tests bench fuzz; do
    [[ -d "$d" ]] && dirs+=("$d")
done
files=()
if ((${#dirs[@]} > 0)); then
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # Tracked and untracked-but-not-ignored; -c also lists deleted files, hence the -f test.
        mapfile -t listed < <(git ls-files -co --exclude-standard -- "${dirs[@]}" | LC_ALL=C sort -u)
    else
        mapfile -t listed < <(find "${dirs[@]}" -name node_modules -prune -o -type f -print | LC_ALL=C sort)
    fi
    for f in "${listed[@]}"; do
        [[ "$f" == *.cpp || "$f" == *.hpp ]] && [[ -f "$f" ]] && files+=("$f")
    done
fi

if ((${#files[@]} == 0)); then
    echo "format.sh: no C++ files found" >&2
    exit 0
fi

if ((check)); then
    "$clang_format" --dry-run --Werror "${files[@]}"
    echo "format.sh: ${#files[@]} files formatted correctly" >&2
else
    "$clang_format" -i "${files[@]}"
fi
