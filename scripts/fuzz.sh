#!/usr/bin/env bash
# Runs each fuzz target of the module for a short time (default 5s): go test allows one
# -fuzz target per package invocation, so this walks them.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${1:-5s}"
found=0
while IFS= read -r line; do
  file="${line%%:*}"
  name=$(sed -E 's/.*func (Fuzz[A-Za-z0-9_]*).*/\1/' <<<"$line")
  pkg="./$(dirname "$file")"
  echo "fuzz: $pkg $name ($fuzztime)"
  go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" "$pkg"
  found=$((found + 1))
done < <(grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(' . | sort)
if [ "$found" -eq 0 ]; then
  echo "fuzz: no fuzz targets found" >&2
  exit 1
fi
echo "fuzz: $found targets ran"
