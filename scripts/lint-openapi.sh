#!/usr/bin/env bash
# Lints adapters/httpapi/openapi.json with Redocly CLI's recommended rules
# (adapters/httpapi/redocly.yaml). Installs the pinned CLI from npm into a cache directory
# on first use (REDOCLY_PREFIX, default ~/.cache/taskrunner/redocly-<version>); needs node
# and npm. `go test ./adapters/httpapi/` runs the Go side of the same rules without them.
set -euo pipefail
cd "$(dirname "$0")/.."

version="${REDOCLY_VERSION:-2.77.0}"
prefix="${REDOCLY_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/taskrunner/redocly-$version}"
bin="$prefix/node_modules/.bin/redocly"

if ! command -v npm >/dev/null 2>&1; then
  echo "lint-openapi: npm is not installed; install Node.js (20 or later) to run Redocly CLI" >&2
  exit 1
fi
if [ ! -x "$bin" ]; then
  echo "lint-openapi: installing @redocly/cli@$version into $prefix"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --silent "@redocly/cli@$version" >&2
fi
cd adapters/httpapi
# REDOCLY_TELEMETRY=off: a lint run reports nothing home.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$bin" lint openapi.json --config redocly.yaml --format=stylish
