# Smoke checks of the command-line client, sourced by scripts/smoke.sh while its stack is up
# (it uses $base, $bin, $work, $page_port, $source_name, req, field, ok and fail from there).
# It runs the README's CLI examples as written, with two substitutions: the fetch goes to
# the smoke's local page instead of example.com, and in services mode the search source is
# the one that answers there.

# readme_block MARKER: the bash block that follows `<!-- smoke: MARKER -->` in README.md.
readme_block() {
  awk -v m="<!-- smoke: $1 -->" '$0 == m { f = 1; next } f && /^```bash/ { b = 1; next } b && /^```/ { exit } b { print }' README.md
}

mkdir -p "$work/clibin" "$work/cli"
ln -sf "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$work/clibin/taskrunner"
cli_env=(env PATH="$work/clibin:$PATH" TASKRUNNER_URL="$base")

examples=$(readme_block cli)
[ -n "$examples" ] || fail "README.md has no <!-- smoke: cli --> block"
req GET /stats
if [ "$status" = 200 ]; then
  examples+=$'\n'$(readme_block cli-ops)
  ops_note="with retry, delete and stats"
else
  ops_note="without the cli-ops block: this server has no GET /stats yet (HTTP $status)"
fi
examples=${examples//https:\/\/example.com\//http://127.0.0.1:$page_port/article.html}
examples=${examples//--source demo/--source $source_name}
(cd "$work/cli" && "${cli_env[@]}" bash -euo pipefail -c "$examples") >"$work/cli.log" 2>&1 ||
  fail "the README's CLI examples: $(tail -n 20 "$work/cli.log")"
grep -q "reader kept this paragraph" "$work/cli/page.txt" || fail "artifacts get -o page.txt: $(head -c 300 "$work/cli/page.txt")"
ok "the README's CLI examples run as written ($ops_note)"

# cli OUT ERR ARGS...: runs the client, sets $cli_code; stdout and stderr go to files.
cli() {
  local out="$1" err="$2"; shift 2
  cli_code=0
  (cd "$work/cli" && "${cli_env[@]}" taskrunner "$@") >"$out" 2>"$err" || cli_code=$?
}
cli "$work/cli.out" "$work/cli.err" submit sleep -p seconds=30 --timeout 1 --wait
[ "$cli_code" = 1 ] || fail "a failing task with --wait: exit $cli_code, want 1"
[ "$(wc -l <"$work/cli.err")" = 1 ] && grep -q '^error: task_runtime_exceeded: ' "$work/cli.err" || fail "failing task stderr: $(cat "$work/cli.err")"
[ "$(jq -r .status <"$work/cli.out")" = failed ] || fail "failing task stdout: $(cat "$work/cli.out")"
ok "taskrunner submit --wait: a failed task prints it, one error line, exit 1"
cli "$work/cli.out" "$work/cli.err" tasks get 00000000-0000-7000-8000-000000000000
[ "$cli_code" = 1 ] && grep -q '^error: task_not_found: ' "$work/cli.err" || fail "unknown task: exit $cli_code: $(cat "$work/cli.err")"
ok "an API error is one line, exit 1"
cli "$work/cli.out" "$work/cli.err" submit
[ "$cli_code" = 2 ] || fail "submit without a type: exit $cli_code, want 2"
ok "a usage error exits 2"
for c in "api --help" "worker --help" "dev --help" "migrate --help" "submit --help" "tasks list --help" "watch --help"; do
  # shellcheck disable=SC2086 # the command and its flag are two words
  cli "$work/cli.out" "$work/cli.err" $c
  [ "$cli_code" = 0 ] && grep -q '^usage: taskrunner' "$work/cli.out" && [ ! -s "$work/cli.err" ] ||
    fail "taskrunner $c: exit $cli_code: $(cat "$work/cli.err")"
done
grep -q DATABASE_URL <(DATABASE_URL= "${cli_env[@]}" taskrunner api --help) || fail "api --help does not list DATABASE_URL"
ok "every --help prints its usage and exits 0"
