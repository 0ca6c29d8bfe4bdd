#!/usr/bin/env bash
# Smoke test: starts the built binary (memory mode: `taskrunner dev`; services mode:
# `taskrunner api` + `taskrunner worker` over PostgreSQL, Redis and an in-process S3 fake),
# runs the README's curl examples against it, checks every answer, stops the processes, and
# exits non-zero on the first miss.
#
# usage: scripts/smoke.sh memory|services
# env:   SMOKE_ADDR (default 127.0.0.1:8000, the README's address), BIN (default bin/taskrunner)
#        services mode: SMOKE_DATABASE_URL (admin URL; a scratch database is created and
#        dropped), SMOKE_REDIS_URL, SMOKE_S3_ADDR (default 127.0.0.1:19000)
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-memory}"
addr="${SMOKE_ADDR:-127.0.0.1:8000}"
base="http://$addr"
bin="${BIN:-bin/taskrunner}"
work=$(mktemp -d)
pids=()
checks=0
failures=0
scratch_db=""

cleanup() {
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  if [ -n "$scratch_db" ]; then
    psql "$SMOKE_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $scratch_db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "smoke: FAIL: $*" >&2; failures=$((failures + 1)); echo "--- last server log lines:" >&2; tail -n 20 "$work"/*.log >&2 || true; exit 1; }
ok() { checks=$((checks + 1)); echo "smoke: ok: $*"; }

# req METHOD PATH [BODY]: sets $status and $body
req() {
  local method="$1" path="$2" data="${3:-}"
  local args=(-s -o "$work/body" -w '%{http_code}' -X "$method" "$base$path")
  if [ -n "$data" ]; then args+=(-H 'Content-Type: application/json' -d "$data"); fi
  status=$(curl "${args[@]}") || fail "$method $path: curl failed"
  body=$(cat "$work/body")
}
expect() { # expect STATUS what
  [ "$status" = "$1" ] || fail "$2: want HTTP $1, got $status: $body"
}
field() { jq -r "$1" <<<"$body"; }

# wait_task ID WANT...: polls until the task reaches one of the wanted statuses.
wait_task() {
  local id="$1"; shift
  for _ in $(seq 1 200); do
    req GET "/tasks/$id"
    local st; st=$(field .status)
    for want in "$@"; do [ "$st" = "$want" ] && return 0; done
    case "$st" in succeeded|failed|cancelled) fail "task $id ended $st, wanted $*: $body";; esac
    sleep 0.1
  done
  fail "task $id did not reach $* in time: $body"
}

wait_healthy() {
  for _ in $(seq 1 100); do
    if curl -fsS "$base/health" >/dev/null 2>&1; then return 0; fi
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "a server process exited during start-up"; done
    sleep 0.1
  done
  fail "server did not become healthy at $base"
}

# A local page for the fetch example (the README's example.com needs the internet).
page_port=$(( 20000 + RANDOM % 10000 ))
mkdir -p "$work/site"
cat >"$work/site/article.html" <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Smoke Article</title></head>
<body><nav>Home | About</nav><article><h1>Smoke Article</h1>
<p>Taskrunner fetched this page during the smoke test, and the reader kept this paragraph because it is the article body.</p>
<p>A second paragraph gives the extractor enough text to recognise an article on the page.</p></article>
<footer>Copyright</footer></body></html>
HTML
# robots.txt of the local site: the fetch of /private/ must be refused.
printf 'User-agent: *\nDisallow: /private/\n' >"$work/site/robots.txt"
mkdir -p "$work/site/private" && cp "$work/site/article.html" "$work/site/private/article.html"
# A stand-in for Brave's endpoint in services mode (demo is a memory-mode source): the
# adapter's own fixture, served as a static file.
cp adapters/brave/testdata/brave_web_ok.json "$work/site/brave.json"
(cd "$work/site" && exec python3 -m http.server "$page_port" --bind 127.0.0.1 >"$work/site.log" 2>&1) &
pids+=($!)

# SHUTDOWN_GRACE_SECONDS=0: the last check stops the worker with tasks running.
# A local webhook receiver: it checks each POST's Standard Webhooks signature the way the
# README tells users to, and appends what it got to hooks.jsonl.
hook_port=$(( 30000 + RANDOM % 10000 ))
export WEBHOOK_SECRET="whsec_$(head -c 32 /dev/urandom | base64)" WEBHOOK_ALLOW_PRIVATE_NETWORKS=true
cat >"$work/receiver.py" <<'PY'
import base64, hashlib, hmac, http.server, json, os, sys
key = base64.b64decode(os.environ["WEBHOOK_SECRET"].removeprefix("whsec_"))
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        msg_id, ts = self.headers["webhook-id"], self.headers["webhook-timestamp"]
        mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
        ok = hmac.compare_digest("v1," + base64.b64encode(mac).decode(), self.headers.get("webhook-signature", ""))
        with open(sys.argv[2], "a") as f:
            f.write(json.dumps({"id": msg_id, "verified": ok, "task": json.loads(body)}) + "\n")
        self.send_response(204 if ok else 401)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
PY
python3 "$work/receiver.py" "$hook_port" "$work/hooks.jsonl" >"$work/receiver.log" 2>&1 &
pids+=($!)

export HTTP_ADDR="$addr" TASKS_PER_MINUTE=1000 FETCH_ALLOW_PRIVATE_NETWORKS=true FETCH_ALLOWED_PORTS="80,443,$page_port" LOG_LEVEL=info SHUTDOWN_GRACE_SECONDS=0
source_name=demo
case "$mode" in
  memory)
    "$bin" dev >"$work/dev.log" 2>&1 &
    pids+=($!); worker_pid=$!
    ;;
  services)
    : "${SMOKE_DATABASE_URL:?services smoke needs SMOKE_DATABASE_URL (an admin PostgreSQL URL)}"
    : "${SMOKE_REDIS_URL:?services smoke needs SMOKE_REDIS_URL}"
    s3addr="${SMOKE_S3_ADDR:-127.0.0.1:19000}"
    scratch_db="taskrunner_smoke_$$"
    psql "$SMOKE_DATABASE_URL" -qc "CREATE DATABASE $scratch_db" >/dev/null || fail "cannot create $scratch_db"
    db_base="${SMOKE_DATABASE_URL%%\?*}"; db_query=""
    [[ "$SMOKE_DATABASE_URL" == *\?* ]] && db_query="?${SMOKE_DATABASE_URL#*\?}"
    export DATABASE_URL="${db_base%/*}/$scratch_db$db_query"
    export REDIS_URL="$SMOKE_REDIS_URL" REDIS_PREFIX="smoke-$$"
    export BRAVE_API_KEY=smoke-key BRAVE_API_URL="http://127.0.0.1:$page_port/brave.json"
    source_name=brave
    export MINIO_ENDPOINT="$s3addr" MINIO_ROOT_USER=smoke MINIO_ROOT_PASSWORD=smokesmoke MINIO_BUCKET=artifacts MINIO_SECURE=false
    go build -o "$work/fakes3" ./test/fakes3
    "$work/fakes3" -addr "$s3addr" >"$work/fakes3.log" 2>&1 &
    pids+=($!)
    "$bin" migrate up >"$work/migrate.log" 2>&1 || fail "migrate up: $(cat "$work/migrate.log")"
    ok "migrate up on $scratch_db"
    "$bin" api >"$work/api.log" 2>&1 &
    pids+=($!)
    "$bin" worker --concurrency 4 >"$work/worker.log" 2>&1 &
    pids+=($!); worker_pid=$!
    ;;
  *) echo "usage: $0 memory|services" >&2; exit 2;;
esac
wait_healthy
ok "$mode stack is up at $base"

# --- the README's examples, in order ---
req GET /health;  expect 200 "health"; [ "$(field .status)" = ok ] || fail "health: $body"; ok "GET /health"
req GET /limits;  expect 200 "limits"; [ "$(field .task_max_runtime_seconds)" = 600 ] || fail "limits: $body"; ok "GET /limits"
[ "$(field .task_retention_days)" = "${TASK_RETENTION_DAYS:-30}" ] || fail "limits retention: $body"; ok "GET /limits shows task_retention_days"

req POST /tasks '{"type":"echo","params":{"msg":"hello"},"timeout_seconds":300,"max_retries":0}'
expect 202 "create echo task"; echo_id=$(field .id); ok "POST /tasks echo -> $echo_id"
wait_task "$echo_id" succeeded
[ "$(field .result.msg)" = hello ] || fail "echo result: $body"; ok "GET /tasks/{id}: echo succeeded with its params"

req POST /tasks '{"type":"sleep","params":{"seconds":10},"timeout_seconds":300,"max_retries":0}'
expect 202 "create sleep task"; sleep_id=$(field .id); ok "POST /tasks sleep -> $sleep_id"
wait_task "$sleep_id" running
req POST "/tasks/$sleep_id/cancel"; expect 200 "cancel"; ok "POST /tasks/{id}/cancel"
wait_task "$sleep_id" cancelled; ok "running sleep task was cancelled"
req POST "/tasks/$sleep_id/cancel"; expect 409 "cancel twice"; [ "$(field .error.code)" = task_already_finished ] || fail "$body"; ok "second cancel is 409"

# The README's operations on one task: attempts, retry, delete, and GET /stats.
req GET "/tasks/$echo_id/attempts"; expect 200 "attempts"
[ "$(field '.attempts | length')/$(field '.attempts[0].outcome')" = 1/succeeded ] || fail "attempts: $body"
[ "$(field '.attempts[0].worker.pid')" -gt 0 ] || fail "attempt worker: $body"; ok "GET /tasks/{id}/attempts"
req POST "/tasks/$echo_id/retry"; expect 409 "retry of a succeeded task"
[ "$(field .error.code)" = task_not_retryable ] || fail "$body"; ok "retry of a succeeded task is 409"
req POST "/tasks/$sleep_id/retry"; expect 202 "retry"; retry_id=$(field .id)
[ "$(field .retry_of)/$(field .type)/$(field .params.seconds)" = "$sleep_id/sleep/10" ] || fail "retry: $body"
ok "POST /tasks/{id}/retry -> $retry_id"
wait_task "$retry_id" running; ok "the retry runs"
req DELETE "/tasks/$retry_id"; expect 409 "delete of a running task"
[ "$(field .error.code)" = task_not_finished ] || fail "$body"; ok "delete of a running task is 409"
req POST "/tasks/$retry_id/cancel"; expect 200 "cancel the retry"; wait_task "$retry_id" cancelled
req DELETE "/tasks/$sleep_id"; expect 204 "delete"; ok "DELETE /tasks/{id}"
req GET "/tasks/$sleep_id"; expect 404 "deleted task"; ok "a deleted task is gone"
req GET /stats; expect 200 "stats"
[ "$(field '.by_type.echo')" -ge 1 ] && [ "$(field '.last_hour.finished')" -ge 2 ] || fail "stats: $body"; ok "GET /stats"

req GET "/tasks?limit=2"; expect 200 "list"; [ "$(field '.tasks | length')" = 2 ] || fail "list: $body"; ok "GET /tasks?limit=2"
req GET "/tasks?status=succeeded,cancelled&type=echo,sleep&created_after=2025-01-01T00:00:00Z"; expect 200 "multi-status list"
[ "$(field "[.tasks[].id] | (index(\"$echo_id\") != null) and (index(\"$retry_id\") != null)")" = true ] || fail "multi-status list: $body"
[ "$(field '[.tasks[].status] | all(. == "succeeded" or . == "cancelled")')" = true ] || fail "multi-status list: $body"
ok "GET /tasks?status=succeeded,cancelled&type=echo,sleep lists both tasks"
req GET "/tasks?stauts=failed"; expect 400 "unknown query parameter"
[ "$(field .error.details.field)" = stauts ] || fail "$body"; ok "an unknown query parameter is 400 naming it"
status=$(curl -s -o "$work/body" -w '%{http_code}' -X POST "$base/tasks" -H 'Content-Type: text/plain' -d '{"type":"echo"}'); body=$(cat "$work/body")
expect 415 "text/plain body"; [ "$(field .error.code)" = unsupported_media_type ] || fail "$body"; ok "a text/plain body is 415 unsupported_media_type"
req POST /tasks '{"type":"echo","params":{"msg":"a <b> & c"},"idempotency_key":"smoke-key"}'; expect 202 "keyed task"; keyed_id=$(field .id)
grep -qF '"msg":"a <b> & c"' <<<"$body" || fail "answer is HTML-escaped: $body"; ok "answers are not HTML-escaped"
req POST /tasks '{"type":"echo","params":{"msg":"a <b> & c"},"idempotency_key":"smoke-key"}'; expect 200 "same keyed request"
[ "$(field .id)" = "$keyed_id" ] || fail "replay: $body"; ok "the same request under a key replays (200)"
req POST /tasks '{"type":"echo","params":{"msg":"other"},"idempotency_key":"smoke-key"}'; expect 409 "key reused"
[ "$(field .error.code)/$(field .error.details.task_id)" = "idempotency_key_conflict/$keyed_id" ] || fail "$body"
ok "a key reused with other params is 409 idempotency_key_conflict"

# The README's deferred, prioritized task: scheduled with run_at, then it runs.
req POST /tasks '{"type":"echo","params":{"msg":"later"},"delay_seconds":5,"priority":1}'
expect 202 "deferred task"; later_id=$(field .id)
[ "$(field .status)/$(field .priority)" = scheduled/1 ] || fail "deferred task: $body"
[ "$(field .run_at)" != null ] || fail "deferred task has no run_at: $body"
ok "POST /tasks with delay_seconds and priority -> scheduled, priority 1"
req GET '/tasks?status=scheduled'; expect 200 "list scheduled"
[ "$(field "[.tasks[].id] | index(\"$later_id\") != null")" = true ] || fail "status=scheduled lacks $later_id: $body"
ok "GET /tasks?status=scheduled lists it"
req POST /tasks '{"type":"echo","priority":5}'; expect 422 "bad priority"; [ "$(field .error.details.field)" = priority ] || fail "$body"; ok "priority 5 is 422 naming the field"
wait_task "$later_id" succeeded; [ "$(field .result.msg)/$(field .priority)" = later/1 ] || fail "deferred task result: $body"
ok "the deferred task ran once due"

batch_body='{"tasks":[{"type":"echo","params":{"msg":"one"}},{"type":"sleep","params":{"seconds":1}},{"type":"echo","params":{"msg":"two"},"idempotency_key":"readme-two"}]}'
req POST /tasks/batch "$batch_body"
expect 202 "batch submit"
[ "$(field '[.tasks[].type] | join(",")')" = echo,sleep,echo ] || fail "batch submit order: $body"
mapfile -t batch_ids < <(field '.tasks[].id')
ok "POST /tasks/batch -> ${batch_ids[*]}"
wait_task "${batch_ids[0]}" succeeded; [ "$(field .result.msg)" = one ] || fail "batch task 0: $body"
wait_task "${batch_ids[1]}" succeeded
wait_task "${batch_ids[2]}" succeeded; [ "$(field .result.msg)" = two ] || fail "batch task 2: $body"
ok "every task of the batch succeeded"
req POST /tasks/batch "$batch_body"; expect 202 "batch again"
[ "$(field '.tasks[2].id')" = "${batch_ids[2]}" ] || fail "a repeated idempotency_key made a new task: $body"
[ "$(field '.tasks[0].id')" != "${batch_ids[0]}" ] || fail "an unkeyed task was not created anew: $body"
ok "POST /tasks/batch again: the keyed task is returned, the others are new"
req POST /tasks/batch '{"tasks":[{"type":"echo"},{"type":"sleep","params":{"seconds":-1}}]}'
expect 422 "invalid batch"
[ "$(field .error.details.index)/$(field .error.details.field)" = 1/params.seconds ] || fail "invalid batch: $body"
ok "an invalid task refuses the batch, naming its index and field"

req POST /search "{\"query\":\"open source task runner\",\"sources\":[\"$source_name\"],\"recency_days\":7}"
expect 202 "search"; search_id=$(field .id); wait_task "$search_id" succeeded
[ "$(field '.result.result_count > 0')" = true ] || fail "search result: $body"; ok "POST /search ($source_name) succeeded"
req POST /search '{"query":"which sources answer"}'
expect 202 "search without sources"; plain_id=$(field .id); wait_task "$plain_id" succeeded
[ "$(field '.params.sources | join(",")')" = "$source_name" ] || fail "default sources: $body"
ok "POST /search without sources asks the source that can answer ($source_name)"

req POST /search/batch "{\"queries\":[\"task runner open source\",\"queue worker redis\"],\"sources\":[\"$source_name\"],\"recency_days\":7}"
expect 202 "batch"; batch_id=$(field .id); wait_task "$batch_id" succeeded
[ "$(field .result.query_count)" = 2 ] || fail "batch result: $body"; ok "POST /search/batch ($source_name) succeeded"

req POST /fetch "{\"url\":\"http://127.0.0.1:$page_port/article.html\",\"reader_mode\":true,\"store_raw_html\":true}"
expect 202 "fetch"; fetch_id=$(field .id); wait_task "$fetch_id" succeeded
[ "$(field .result.title)" = "Smoke Article" ] || fail "fetch result: $body"; ok "POST /fetch succeeded"
text_id=$(field '.result.artifact_ids[0]')
req GET "/artifacts/$text_id"; expect 200 "fetch text"; grep -q "reader kept this paragraph" <<<"$body" || fail "fetch text: $body"; ok "fetch_text artifact has the article"
req POST /fetch "{\"url\":\"http://127.0.0.1:$page_port/article.html\",\"formats\":[\"markdown\",\"links\"]}"
expect 202 "fetch markdown"; md_fetch_id=$(field .id); wait_task "$md_fetch_id" succeeded
md_id=$(field '.result.artifact_ids[0]')
req GET "/artifacts/$md_id"; expect 200 "fetch markdown"; grep -q "^# Smoke Article" <<<"$body" || fail "fetch markdown: $body"; ok "fetch_markdown artifact has the article as markdown"
req POST /fetch "{\"url\":\"http://127.0.0.1:$page_port/private/article.html\"}"
expect 202 "fetch disallowed"; robots_id=$(field .id); wait_task "$robots_id" failed
[ "$(field .error.code)" = fetch_disallowed_by_robots ] || fail "robots: $body"; ok "robots.txt disallow -> fetch_disallowed_by_robots"
req POST /fetch '{"url":"https://example.com/","formats":["pdf"]}'; expect 422 "bad formats"; ok "unknown format -> 422"

if [ "$mode" = memory ]; then # the README's offline research: the demo source and the demo site
  req POST /research '{"query":"durable task queues","sources":["demo"],"fetch_top":3}'
  expect 202 "research"; research_id=$(field .id); [ "$(field .type)" = research ] || fail "research: $body"
  wait_task "$research_id" succeeded
  [ "$(field .result.fetched)/$(field .result.failed)" = 3/0 ] || fail "research result: $body"
  report_id=$(field '.result.artifact_ids[0]'); digest_id=$(field '.result.artifact_ids[1]')
  req GET "/artifacts/$report_id/meta"; [ "$(field .type)" = research_report ] || fail "report meta: $body"
  req GET "/artifacts/$report_id"; expect 200 "research report"
  [ "$(field '[.results[] | select(.fetch != null) | .fetch.status] | join(",")')" = succeeded,succeeded,succeeded ] || fail "report: $body"
  req GET "/artifacts/$digest_id/meta"; [ "$(field .type)/$(field .content_type)" = "research_report_md/text/markdown; charset=utf-8" ] || fail "digest meta: $body"
  req GET "/artifacts/$digest_id"; expect 200 "research digest"
  grep -q '^# Research: durable task queues' <<<"$body" || fail "digest: $body"
  req GET "/tasks?parent_id=$research_id"; [ "$(field '.tasks | length')" = 3 ] || fail "children: $body"
  ok "POST /research (demo, offline) succeeded with research_report and research_report_md; 3 children"
fi

req POST /artifacts "{\"task_id\":\"$echo_id\",\"type\":\"log\",\"content_type\":\"text/plain\",\"data_base64\":\"SGVsbG8gd29ybGQ=\"}"
expect 201 "create artifact"; art_id=$(field .id); ok "POST /artifacts -> $art_id"
req GET "/artifacts/$art_id/meta"; expect 200 "meta"; [ "$(field .size_bytes)" = 11 ] || fail "meta: $body"; ok "GET /artifacts/{id}/meta"
req GET "/artifacts/$art_id"; expect 200 "download"; [ "$body" = "Hello world" ] || fail "download: $body"; ok "GET /artifacts/{id}"
req GET "/tasks/$echo_id/artifacts"; expect 200 "task artifacts"; [ "$(field '.artifacts[0].id')" = "$art_id" ] || fail "$body"; ok "GET /tasks/{id}/artifacts"

req GET "/tasks/$search_id"; search_art=$(field '.result.artifact_ids[0]')
req GET "/artifacts/$search_art/meta"; expect 200 "search artifact meta"; search_key=$(field .metadata.request_key)
req GET "/runs?scope=search&key=$search_key"; expect 200 "runs"
[ "$(field .processed)/$(field .latest.status)/$(field .latest.task_id)" = "true/succeeded/$search_id" ] || fail "runs: $body"
ok "GET /runs?scope=search&key=: the search's run"
if [ "$mode" = memory ]; then # the README's example asks for exactly this key
  [ "$search_key" = 000868d3b113d2dd0811367598edfb829a93fa6384acdc2cd6838da2d8adb5da ] || fail "README's /runs key is stale: the demo search's key is $search_key"
fi

# --- webhooks: the README's callback example, to the local receiver ---
req POST /tasks "{\"type\":\"echo\",\"params\":{\"msg\":\"hello\"},\"callback_url\":\"http://127.0.0.1:$hook_port/hooks/taskrunner\"}"
expect 202 "task with callback_url"; hook_task=$(field .id)
[ "$(field .callback.status)" = pending ] || fail "new task's callback: $body"; ok "POST /tasks with callback_url -> $hook_task"
for _ in $(seq 1 100); do
  req GET "/tasks/$hook_task"; [ "$(field .callback.status)" = pending ] || break; sleep 0.1
done
[ "$(field .callback.status)/$(field .callback.attempts)" = delivered/1 ] || fail "callback not delivered: $body"
grep -q "\"id\": \"$hook_task\", \"verified\": true" "$work/hooks.jsonl" || fail "receiver got no verified webhook: $(cat "$work/hooks.jsonl" 2>/dev/null)"
ok "the webhook arrived, its signature verified as the README says"
req POST /tasks '{"type":"echo","callback_url":"ftp://example.com/"}'; expect 422 "bad callback_url"
[ "$(field .error.details.field)" = callback_url ] || fail "$body"; ok "an invalid callback_url is 422 naming it"
# --- schedules: create, read, fire, list the fired tasks, change, delete ---
req POST /schedules '{"name":"tick","cron":"@every 1s","timezone":"UTC","task":{"type":"echo","params":{"msg":"tick"}},"overlap":"allow"}'
expect 201 "create schedule"; schedule_id=$(field .id)
[ "$(field .next_run_at)" != null ] || fail "schedule without next_run_at: $body"; ok "POST /schedules -> $schedule_id"
req GET /schedules; expect 200 "list schedules"
[ "$(field "[.schedules[].id] | index(\"$schedule_id\")")" != null ] || fail "schedule not listed: $body"; ok "GET /schedules"
fired=0
for _ in $(seq 1 100); do
  req GET "/tasks?schedule_id=$schedule_id"; expect 200 "tasks of the schedule"
  fired=$(field '.tasks | length'); [ "$fired" -ge 2 ] && break
  sleep 0.1
done
[ "$fired" -ge 2 ] || fail "the @every 1s schedule fired $fired tasks in 10s: $body"
[ "$(field '.tasks[0].schedule_id')" = "$schedule_id" ] || fail "fired task without schedule_id: $body"
ok "the @every 1s schedule fired $fired tasks, listed under schedule_id"
req GET "/schedules/$schedule_id"; expect 200 "get schedule"
[ "$(field .last_task_id)" != null ] || fail "schedule without last_task_id after firing: $body"; ok "GET /schedules/{id}"
req PATCH "/schedules/$schedule_id" '{"cron":"0 9 * * 1-5","timezone":"Europe/Berlin","enabled":false}'
expect 200 "patch schedule"; [ "$(field .enabled)/$(field .next_run_at)/$(field .cron)" = "false/null/0 9 * * 1-5" ] || fail "patch: $body"
ok "PATCH /schedules/{id} disables it"
req POST /schedules '{"name":"bad","cron":"every minute","task":{"type":"echo"}}'
expect 422 "bad cron"; [ "$(field .error.details.field)" = cron ] || fail "$body"; ok "an invalid cron is 422 naming cron"
req DELETE "/schedules/$schedule_id"; expect 204 "delete schedule"; ok "DELETE /schedules/{id}"
req GET "/schedules/$schedule_id"; expect 404 "deleted schedule"
[ "$(field .error.code)" = schedule_not_found ] || fail "$body"; ok "a deleted schedule is 404 schedule_not_found"

# --- task events and waiting: the README's ?wait=5 and curl -N /events examples ---
curl -sN --max-time 20 "$base/events?type=sleep" >"$work/events.txt" 2>/dev/null &
events_pid=$!
for _ in $(seq 1 100); do grep -q '^: connected' "$work/events.txt" 2>/dev/null && break; sleep 0.1; done
grep -q '^: connected' "$work/events.txt" || fail "GET /events sent no first comment"
req POST /tasks '{"type":"sleep","params":{"seconds":1},"timeout_seconds":300,"max_retries":0}'
expect 202 "create sleep task to wait for"; wait_id=$(field .id)
req GET "/tasks/$wait_id?wait=5"; expect 200 "wait"
[ "$(field .status)" = succeeded ] || fail "?wait=5 on a 1 s task: $body"; ok "GET /tasks/{id}?wait=5 returns the finished task"
for _ in $(seq 1 100); do
  grep -q "\"id\":\"$wait_id\",\"type\":\"sleep\",\"status\":\"succeeded\"" "$work/events.txt" && break; sleep 0.1
done
kill "$events_pid" 2>/dev/null || true
seen=$(grep '^data: ' "$work/events.txt" | sed 's/^data: //' | jq -r "select(.id == \"$wait_id\") | .status" | paste -sd, -)
[ "$seen" = queued,running,succeeded ] || fail "GET /events showed $wait_id as [$seen]: $(head -c 600 "$work/events.txt")"
ok "GET /events streamed the task's changes: $seen"
req GET "/tasks/$wait_id?wait=61"; expect 422 "wait out of range"
[ "$(field .error.details.field)" = wait ] || fail "$body"; ok "?wait=61 is 422 naming wait"
# --- errors and operations ---
req POST /tasks '{"type":'; expect 400 "bad JSON"; [ "$(field .error.code)" = invalid_request ] || fail "$body"; ok "malformed JSON is 400"
req POST /tasks '{"type":"echo","timeout_seconds":-5}'; expect 422 "bad timeout"; [ "$(field .error.details.field)" = timeout_seconds ] || fail "$body"; ok "bad timeout is 422 naming the field"
req GET /tasks/00000000-0000-7000-8000-000000000000; expect 404 "unknown task"; ok "unknown task is 404"
req GET /openapi.json; expect 200 "openapi"; [ "$(field .openapi | cut -c1-2)" = "3." ] || fail "openapi: $body"; ok "GET /openapi.json"
req GET /metrics; expect 200 "metrics"; grep -q taskrunner_tasks <<<"$body" || fail "metrics lack taskrunner_tasks"; ok "GET /metrics"
grep -q taskrunner_retention_tasks_removed_total <<<"$body" || fail "metrics lack the retention counters"; ok "GET /metrics counts retention"
req GET /docs; expect 200 "docs"; grep -q 'swagger-ui-bundle.js' <<<"$body" || fail "docs page: $body"; ok "GET /docs"
req GET /ui; expect 200 "dashboard"; grep -q 'id="tasks-table"' <<<"$body" || fail "dashboard: $body"; ok "GET /ui"
req GET "/ui/tasks/$echo_id"; expect 200 "task page"; grep -q "$echo_id" <<<"$body" || fail "task page lacks $echo_id"; ok "GET /ui/tasks/{id}"

# --- the command-line client: the README's CLI examples and its exit statuses ---
# shellcheck source=scripts/smoke_cli.sh
source scripts/smoke_cli.sh

# --- SIGTERM with no grace: running tasks are handed back at once, the process exits 0 ---
held=()
for _ in 1 2 3; do
  req POST /tasks '{"type":"sleep","params":{"seconds":60},"timeout_seconds":300,"max_retries":0}'
  expect 202 "create long sleep task"; held+=("$(field .id)")
done
for id in "${held[@]}"; do wait_task "$id" running; done
kill -TERM "$worker_pid"
started=$SECONDS; code=0
wait "$worker_pid" || code=$?
[ "$code" = 0 ] || fail "SIGTERM with SHUTDOWN_GRACE_SECONDS=0: exit code $code"
[ $((SECONDS - started)) -lt 15 ] || fail "SIGTERM with SHUTDOWN_GRACE_SECONDS=0 took $((SECONDS - started))s"
ok "SIGTERM with 3 tasks running and no grace: exit code 0 in $((SECONDS - started))s"
if [ "$mode" = services ]; then
  for id in "${held[@]}"; do
    req GET "/tasks/$id"; expect 200 "handed-back task"
    [ "$(field .status)/$(field .attempts)" = queued/0 ] || fail "handed-back task: $body"
  done
  ok "the 3 tasks are queued again, their attempts not counted"
fi

echo "smoke ($mode): $checks passed, $failures failed"
