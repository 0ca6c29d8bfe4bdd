#!/usr/bin/env bash
# make bench: starts a stack, runs the load generator twice (as fast as possible, then paced
# at BENCH_RATE to show idle pickup latency) and prints one JSON line per run; the first
# also gives the CPU each process spent per task (cpu_us_per_task, read from /proc).
#
# usage: scripts/bench.sh memory|services
# env:   BENCH_N (10000), BENCH_C (64), BENCH_RATE (200), BENCH_PACED_N (1000),
#        BENCH_ADDR (127.0.0.1:18090), BENCH_WORKER_CONCURRENCY (64)
#        services: BENCH_DATABASE_URL (admin URL; a scratch database is created and dropped),
#        BENCH_REDIS_URL; defaults to this machine's 127.0.0.1 services.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-memory}"
addr="${BENCH_ADDR:-127.0.0.1:18090}"
bin="${BIN:-bin/taskrunner}"
work=$(mktemp -d)
pids=()
scratch_db=""
cleanup() {
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  [ -n "$scratch_db" ] && psql "$BENCH_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $scratch_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/loadgen" ./test/loadgen
export HTTP_ADDR="$addr" TASKS_PER_MINUTE=0 LOG_LEVEL=warn WORKER_CONCURRENCY="${BENCH_WORKER_CONCURRENCY:-64}"
case "$mode" in
  memory)
    # Memory mode keeps MEMORY_MAX_FINISHED_TASKS finished tasks; the load generator reads
    # every task of a run back, so a larger run would wait for tasks already dropped.
    export MEMORY_MAX_FINISHED_TASKS="${MEMORY_MAX_FINISHED_TASKS:-$(( ${BENCH_N:-10000} > 10000 ? ${BENCH_N:-10000} : 10000 ))}"
    "$bin" dev >"$work/dev.log" 2>&1 & pids+=($!)
    cpu=(-cpu-pids "taskrunner=$!")
    ;;
  services)
    BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
    scratch_db="taskrunner_bench_$$"
    psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE $scratch_db" >/dev/null
    db_base="${BENCH_DATABASE_URL%%\?*}"; db_query=""
    [[ "$BENCH_DATABASE_URL" == *\?* ]] && db_query="?${BENCH_DATABASE_URL#*\?}"
    export DATABASE_URL="${db_base%/*}/$scratch_db$db_query"
    export REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379/0}" REDIS_PREFIX="bench-$$"
    s3addr="${BENCH_S3_ADDR:-127.0.0.1:19010}"
    export MINIO_ENDPOINT="$s3addr" MINIO_ROOT_USER=bench MINIO_ROOT_PASSWORD=benchbench MINIO_SECURE=false
    go build -o "$work/fakes3" ./test/fakes3
    "$work/fakes3" -addr "$s3addr" >"$work/fakes3.log" 2>&1 & pids+=($!)
    "$bin" migrate up >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
    # BENCH_API_PPROF / BENCH_WORKER_PPROF (host:port): serve each process's profiler there.
    PPROF_ADDR="${BENCH_API_PPROF:-}" "$bin" api >"$work/api.log" 2>&1 & pids+=($!)
    PPROF_ADDR="${BENCH_WORKER_PPROF:-}" "$bin" worker >"$work/worker.log" 2>&1 & pids+=($!)
    # CPU per task of each: the stack's two processes, and every PostgreSQL and Redis
    # process of the machine (meant for a machine that runs nothing else meanwhile).
    cpu=(-cpu-pids "api=${pids[-2]},worker=${pids[-1]}" -cpu-comms "postgres,redis-server")
    ;;
  *) echo "usage: $0 memory|services" >&2; exit 2;;
esac
for _ in $(seq 1 100); do curl -fsS "http://$addr/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://$addr/health" >/dev/null || { echo "bench: stack did not start" >&2; tail -20 "$work"/*.log >&2; exit 1; }

"$work/loadgen" -url "http://$addr" -n "${BENCH_N:-10000}" -c "${BENCH_C:-64}" -label "$mode-throughput" "${cpu[@]}"
"$work/loadgen" -url "http://$addr" -n "${BENCH_PACED_N:-1000}" -c 8 -rate "${BENCH_RATE:-200}" -label "$mode-paced"
