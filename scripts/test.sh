#!/usr/bin/env bash
# Runs every test. Integration suites take their services from TEST_POSTGRES_URL,
# TEST_REDIS_URL and TEST_S3_ENDPOINT; when those are unset and PostgreSQL or Redis answer on
# this machine's default ports, they are used; else the harness starts containers (Docker)
# or skips (TEST_REQUIRE_SERVICES=1 turns a skip into a failure). S3 falls back to an
# in-process fake, so the MinIO adapter always runs.
set -euo pipefail
cd "$(dirname "$0")/.."

answers() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

if [ -z "${TEST_POSTGRES_URL:-}" ] && answers 127.0.0.1 5432; then
  export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
fi
if [ -z "${TEST_REDIS_URL:-}" ] && answers 127.0.0.1 6379; then
  export TEST_REDIS_URL="redis://127.0.0.1:6379/0"
fi
echo "test services: postgres=${TEST_POSTGRES_URL:-<container or skip>} redis=${TEST_REDIS_URL:-<container or skip>} s3=${TEST_S3_ENDPOINT:-<container or in-process fake>}"

# Arguments are passed to go test; packages among them replace the default ./...
args=() pkgs=()
for a in "$@"; do
  case "$a" in ./*) pkgs+=("$a") ;; *) args+=("$a") ;; esac
done
[ "${#pkgs[@]}" -gt 0 ] || pkgs=(./...)
exec go test -count=1 -timeout 15m "${args[@]}" "${pkgs[@]}"
