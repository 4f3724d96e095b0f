#!/usr/bin/env bash
# Before/after of the respondent cycle's server CPU per respondent: trees measured in alternation, same minutes.
# Usage:  bash bench/ab_cycle.sh [-r ROUNDS] [-d SECONDS] [-k sqlite|postgres] [--secure] TREE...
#   TREE     a checkout of surveyapp (e.g. `git archive COMMIT | tar -x -C /tmp/a`; compiled catalogues copied in)
#   -r       rounds (default 3): each round cycles every tree once, in order, then the secure limit (--secure)
#   -d       seconds per run (default 10); -k the database (default sqlite), fresh per tree and round
#   --secure also cycle the peer kit's secure limit (GET /secure_form + POST /secure_insert) each round
# Prints one line per run: tree, respondents, server CPU ms per respondent, stored = successes check; then the
# median per tree. Same measurement as bench/run_all.sh (wrk + wrk_cycle.lua, c=8, gunicorn -w 2 sync, worker
# CPU from /proc), without the peer, the page weight and the exports. Servers bind 127.0.0.1, stopped by PID.
# Env: VENV (<this repo>/.venv), BENCH_PORT (8111), REF_PORT (8102), PEER_WORK (/tmp/surveyapp-peer),
#      PG_ADMIN_URL (postgresql://postgres@127.0.0.1:5432/postgres), BENCH_WORK (/tmp/surveyapp-bench).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEERKIT="$(cd "$HERE/../../shared/peer" 2>/dev/null && pwd || echo /work/shared/peer)"
ROUNDS=3; DUR=10; KIND=sqlite; SECURE=0; TREES=()
while [ $# -gt 0 ]; do
  case "$1" in
    -r) ROUNDS="$2"; shift ;;
    -d) DUR="$2"; shift ;;
    -k) KIND="$2"; shift ;;
    --secure) SECURE=1 ;;
    *) TREES+=("$(cd "$1" && pwd)") || exit 2 ;;
  esac
  shift
done
[ "${#TREES[@]}" -gt 0 ] || { echo "usage: bash bench/ab_cycle.sh [-r N] [-d S] [-k sqlite|postgres] [--secure] TREE..." >&2; exit 2; }
VENV="${VENV:-$(cd "$HERE/.." && pwd)/.venv}"; PY="$VENV/bin/python"
W="${BENCH_WORK:-/tmp/surveyapp-bench}/ab"; mkdir -p "$W"
PORT="${BENCH_PORT:-8111}"; REF_PORT="${REF_PORT:-8102}"; PEER_WORK="${PEER_WORK:-/tmp/surveyapp-peer}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
export SECRET_KEY="${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_hex(32))')}" LOG="$W/serve.log"
PIDS=()
stop_all() { local p; for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done; kill -KILL "$p" 2>/dev/null; done; PIDS=(); }
trap stop_all EXIT
trap 'exit 130' INT TERM

ticks() { local t=0 p s f; for p in $(pgrep -P "$1"); do s="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
  s="${s##*) }"; read -r -a f <<< "$s"; t=$(( t + f[11] + f[12] )); done; echo "$t"; }

# run NAME MASTER BASE FORM POST BODY OK COUNT_CMD...: one wrk cycle; prints "NAME ok cpu_ms check"
run() {
  local name="$1" master="$2" base="$3" form="$4" post="$5" body="$6" okst="$7"; shift 7
  local c0 c1 t0 t1 out ok
  c0="$("$@")"; t0="$(ticks "$master")"
  out="$(WRK_FORM_PATH="$form" WRK_POST_PATH="$post" WRK_BODY="$body" WRK_OK_STATUS="$okst" \
    timeout $((DUR + 60)) wrk -t8 -c8 -d"${DUR}s" --timeout 10s -s "$PEERKIT/wrk_cycle.lua" "$base" 2>&1)"
  t1="$(ticks "$master")"; sleep 1; c1="$("$@")"
  ok="$(sed -n 's/^RESULT .* ok=\([0-9]*\) .*/\1/p' <<< "$out")"
  "$PY" - "$name" "${ok:-0}" "$t0" "$t1" "$(getconf CLK_TCK)" "$c0" "$c1" <<'EOF'
import sys
name, ok, t0, t1, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
(r0, a0), (r1, a1) = (map(int, s.split()) for s in sys.argv[6:8])
stored = r1 - r0
good = 0 <= stored - ok <= 8 and a1 - a0 == 20 * stored
cpu = 1000 * (t1 - t0) / hz / ok if ok else float("nan")
print(f"{name}\t{ok}\t{cpu:.2f}\t{'OK' if good else 'CHECK FAILED'} (stored {stored} vs ok {ok})")
EOF
}

fresh_db() {  # TREE -> DATABASE_URL of a fresh, migrated database with the benchmark questionnaire
  local url
  if [ "$KIND" = sqlite ]; then rm -f "$W"/ab.sqlite3*; url="sqlite:///$W/ab.sqlite3"
  else
    "$PY" - "$PG_ADMIN_URL" <<'EOF' || return 1
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True, connect_timeout=5) as c:
    c.execute('DROP DATABASE IF EXISTS surveyapp_ab WITH (FORCE)'); c.execute('CREATE DATABASE surveyapp_ab')
EOF
    url="postgresql+psycopg://${PG_ADMIN_URL#*://}"; url="${url%/*}/surveyapp_ab"
  fi
  (cd "$1" && PYTHONPATH="$1" DATABASE_URL="$url" "$VENV/bin/flask" --app surveyapp db upgrade >"$W/upgrade.log" 2>&1) || return 1
  echo "$url"
}

for round in $(seq "$ROUNDS"); do
  for tree in "${TREES[@]}"; do
    URL="$(fresh_db "$tree")" || { echo "database set-up failed for $tree (see $W/upgrade.log)" >&2; exit 1; }
    J="$(cd "$tree" && PYTHONPATH="$tree" DATABASE_URL="$URL" "$PY" bench/setup_survey.py)" || exit 1
    SPATH="$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["path"])' "$J")"
    BODY="$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["body"])' "$J")"
    SPID="$(cd "$tree" && PYTHONPATH="$tree" READY_PATH="$SPATH" VENV="$VENV" bash "$tree/bench/serve.sh" "$PORT" "$URL" 2>>"$LOG")" \
      || { echo "surveyapp did not start from $tree (see $LOG)" >&2; exit 1; }
    PIDS+=("$SPID")
    run "$round $tree" "$SPID" "http://127.0.0.1:$PORT" "$SPATH" "$SPATH" "$BODY" 302 \
      env PYTHONPATH="$tree" DATABASE_URL="$URL" "$PY" "$tree/bench/setup_survey.py" --count
    stop_all
  done
  if [ "$SECURE" = 1 ]; then
    rm -f "$W"/ref.sqlite3*
    REF_DB="$W/ref.sqlite3" "$PEER_WORK/venv/bin/gunicorn" --chdir "$PEER_WORK/flaskref" app:app -w 2 -k sync \
      -b "127.0.0.1:$REF_PORT" --log-level warning </dev/null >>"$LOG" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$REF_PORT/hello")" = 200 ] && break; sleep 0.2; done
    FORM="$(PYTHONWARNINGS=ignore "$PEER_WORK/venv/bin/python" "$PEERKIT/load.py" "http://127.0.0.1:$REF_PORT" /secure_form --emit-form)"
    RBODY="$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["body"])' "$FORM")"
    run "$round secure-limit" "${PIDS[-1]}" "http://127.0.0.1:$REF_PORT" /secure_form /secure_insert "$RBODY" 3xx \
      curl -s "http://127.0.0.1:$REF_PORT/count_secure"
    stop_all
  fi
done | tee "$W/runs.tsv"
"$PY" - "$W/runs.tsv" <<'EOF'
import statistics, sys
by, rounds = {}, {}
for line in open(sys.argv[1]):
    name, _ok, cpu, _check = line.rstrip("\n").split("\t")
    round_, tree = name.split(" ", 1)
    by.setdefault(tree, []).append(float(cpu))
    rounds.setdefault(round_, {})[tree] = float(cpu)
for tree, costs in by.items():
    line = f"median {statistics.median(costs):.2f} ms (runs: {', '.join(f'{c:.2f}' for c in costs)})"
    ratios = [r[tree] / r["secure-limit"] for r in rounds.values() if tree in r and "secure-limit" in r]
    if ratios and tree != "secure-limit":  # same round = same minutes of machine load
        line += f"; ÷ secure limit, same round: median {statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f})"
    print(f"{line}  {tree}")
EOF
