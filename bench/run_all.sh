#!/usr/bin/env bash
# One command for every benchmark: the peer kit (peer + bare-Flask limit) and surveyapp, same machine, same run.
# Usage:  bash bench/run_all.sh [seconds] [--no-peer]     (seconds per load run, default 15; `make bench`)
#   --no-peer  skip the peer kit and reuse its last results (quick surveyapp-only runs while profiling)
#
# Runs, in order (about 8-10 minutes on 2 cores, plus whatever bench/exports.py and bench/dispatch.py take):
#   1. bash ../shared/peer/run.sh SECONDS --exports   peer + limit: cycle, submission, page weight, CSV 10k
#   2. surveyapp respondent cycle (GET /s/bench without cookies, POST 20 answers with the page's csrf_token/rk/
#      page, a new respondent per iteration) with wrk + wrk_cycle.lua under gunicorn -w 2 sync, on SQLite (WAL)
#      and PostgreSQL, at c=8, then c=2 and c=16; each row checked: stored responses/answers = successes
#   3. page weight (bench/page_weight.py) of surveyapp's and the peer's survey page; the peer's, the limit's and
#      the secure limit's (GET /secure_form + POST /secure_insert: signed session with a CSRF token, UNIQUE response
#      key, 302) c=8 cycles again, measuring their server CPU per respondent as for surveyapp, stored rows checked
#   4. bench/exports.py (CSV and PDF of 10,000 and 100,000 responses under /usr/bin/time -v; the seeded databases
#      are kept in $BENCH_WORK between runs) and bench/dispatch.py (BENCH_DISPATCH_COUNT invitations, default
#      100,000, about 2-3 minutes, to a local SMTP sink, on a scratch PostgreSQL database), when present
#   5. bench/report.py -> $BENCH_WORK/results/table.md (printed at the end)
# Every server binds to 127.0.0.1 only and is stopped by PID on exit; every load run is bounded by time.
# Env: BENCH_WORK (/tmp/surveyapp-bench), BENCH_PORT (8111), PEER_WORK (/tmp/surveyapp-peer), PEER_PORT (8101),
#      PG_ADMIN_URL (postgresql://postgres@127.0.0.1:5432/postgres), BENCH_PG_DB (surveyapp_bench),
#      BENCH_CONCURRENCY ("8 2 16"), BENCH_DBS ("sqlite postgres"), BENCH_EXPORT_SIZES ("10000 100000"),
#      VENV (<repo>/.venv), BENCH_LABEL (noted in the table), BENCH_LOAD_SECONDS (0: bench/load_submit.py skipped;
#      N: its 3 levels of N s per database, workers killed, tables in $R/load_submit_<db>.md).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PEERKIT="$(cd "$ROOT/../shared/peer" 2>/dev/null && pwd || echo /work/shared/peer)"
DUR=15; RUN_PEER=1
for arg in "$@"; do
  case "$arg" in
    --no-peer) RUN_PEER=0 ;;
    ''|*[!0-9]*) echo "usage: bash bench/run_all.sh [seconds] [--no-peer]" >&2; exit 2 ;;
    *) DUR="$arg" ;;
  esac
done
[ "$DUR" -ge 1 ] && [ "$DUR" -le 120 ] || { echo "run_all.sh: seconds must be 1..120" >&2; exit 2; }
W="${BENCH_WORK:-/tmp/surveyapp-bench}"; R="$W/results"
PEER_WORK="${PEER_WORK:-/tmp/surveyapp-peer}"; PEER_PORT="${PEER_PORT:-8101}"
PORT="${BENCH_PORT:-8111}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
PG_DB="${BENCH_PG_DB:-surveyapp_bench}"
export VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"; FLASK="$VENV/bin/flask"
# the app measured is the one beside this script (also for a copy of the tree, e.g. `git archive` of a commit)
cd "$ROOT" && export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
die() { echo "run_all.sh: $*" >&2; exit 1; }
say() { echo "== $(date +%T) $*" >&2; }
[ -x "$PY" ] || die "no venv at $VENV (make setup)"
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
mkdir -p "$R" "$W/logs"; rm -rf "${R:?}"/*
export SECRET_KEY="${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_hex(32))')}"
export LOG="$W/logs/serve.log"
START=$(date +%s)

PIDS=()
cleanup() {
  local p i
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do
    for i in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$p" 2>/dev/null
  done
  PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM
stop_last() { local p="${PIDS[-1]}"; unset 'PIDS[-1]'; kill -TERM "$p" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.2; done; kill -KILL "$p" 2>/dev/null; }

# --- machine ------------------------------------------------------------------------------------------
{
  echo "date=$(date -Is)"
  echo "cores=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "python=$("$PY" -c 'import platform; print(platform.python_version())')"
  echo "sqlite=$("$PY" -c 'import sqlite3; print(sqlite3.sqlite_version)')"
  echo "postgres=$("$PY" -c 'import psycopg,sys; c=psycopg.connect(sys.argv[1], connect_timeout=3); print(c.execute("show server_version").fetchone()[0])' "$PG_ADMIN_URL" 2>/dev/null || echo unreachable)"
  echo "wrk=$(wrk --version 2>&1 | head -1 | awk '{print $2}')"
  echo "git=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- surveyapp 2>/dev/null || echo '+dirty')"
  echo "seconds=$DUR"
  echo "label=${BENCH_LABEL:-}"
} > "$R/machine.txt"

# --- 1. the peer kit: peer + bare-Flask limit ----------------------------------------------------------
if [ "$RUN_PEER" = 1 ]; then
  say "peer kit: bash $PEERKIT/run.sh $DUR --exports"
  PEER_WORK="$PEER_WORK" PEER_PORT="$PEER_PORT" bash "$PEERKIT/run.sh" "$DUR" --exports > "$R/peer_table.md" 2> "$W/logs/peer_run.log" \
    || die "the peer kit failed (see $W/logs/peer_run.log)"
fi
# --no-peer reuses the peer kit's last results (marked as such by their dates in $PEER_WORK/results)
mkdir -p "$R/peer" && cp "$PEER_WORK"/results/* "$R/peer/" 2>/dev/null

# --- 2. surveyapp databases ----------------------------------------------------------------------------
fresh_pg() {  # (re)create the scratch database $BENCH_PG_DB (default $PG_DB) and print its SQLAlchemy URL
  local name="${BENCH_PG_DB:-$PG_DB}" url
  "$PY" - "$PG_ADMIN_URL" "$name" <<'EOF' || return 1
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True, connect_timeout=5) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
    c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
EOF
  url="${PG_ADMIN_URL%/*}/$name"; echo "postgresql+psycopg://${url#*://}"
}

prepare_db() {  # KIND -> prints DATABASE_URL; fresh database, migrated, benchmark questionnaire created
  local url
  case "$1" in
    sqlite) rm -f "$W"/bench.sqlite3*; url="sqlite:///$W/bench.sqlite3" ;;
    postgres) url="$(fresh_pg)" || return 1 ;;
  esac
  DATABASE_URL="$url" "$FLASK" --app surveyapp db upgrade > "$W/logs/upgrade-$1.log" 2>&1 || return 1
  echo "$url"
}

counts() { DATABASE_URL="$1" "$PY" "$HERE/setup_survey.py" --count; }

worker_ticks() {  # MASTER_PID -> utime + stime (clock ticks) of its worker processes so far
  local t=0 p s f
  for p in $(pgrep -P "$1"); do
    s="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
    s="${s##*) }"; read -r -a f <<< "$s"; t=$(( t + f[11] + f[12] ))
  done
  echo "$t"
}

# wrk_cycle MASTER_PID BASE FORM_PATH POST_PATH BODY OK_STATUS C NAME: one respondent-cycle run of DUR seconds
# (wrk + the peer kit's wrk_cycle.lua) -> $R/NAME.txt, and the server workers' CPU time -> $R/NAME.cpu
wrk_cycle() {
  local t0; t0=$(worker_ticks "$1")
  WRK_FORM_PATH="$3" WRK_POST_PATH="$4" WRK_BODY="$5" WRK_OK_STATUS="$6" \
    timeout $((DUR + 60)) wrk -t"$7" -c"$7" -d"${DUR}s" --timeout 10s -s "$PEERKIT/wrk_cycle.lua" "$2" \
    > "$R/$8.txt" 2>&1
  echo "$t0 $(worker_ticks "$1") $(getconf CLK_TCK)" > "$R/$8.cpu"
}

# cycle KIND URL C: surveyapp's respondent cycle at C connections, checked against the database
cycle() {
  local kind="$1" url="$2" c="$3" name="sa_cycle_$1_c$3"
  say "surveyapp respondent cycle, $kind, wrk c=$c, ${DUR}s"
  read -r R0 A0 < <(counts "$url")
  wrk_cycle "$SPID" "http://127.0.0.1:$PORT" "$SPATH" "$SPATH" "$BODY" 302 "$c" "$name"
  sleep 1
  read -r R1 A1 < <(counts "$url")
  echo "$R0 $A0 $R1 $A1" > "$R/$name.counts"
}

for kind in ${BENCH_DBS:-sqlite postgres}; do
  say "surveyapp on $kind: fresh database"
  URL="$(prepare_db "$kind")" || die "could not prepare the $kind database (see $W/logs/upgrade-$kind.log)"
  echo "$URL" | sed 's#//[^@/]*@#//#' > "$R/sa_$kind.url"
  J="$(DATABASE_URL="$URL" "$PY" "$HERE/setup_survey.py")" || die "setup_survey.py failed on $kind"
  SPATH="$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["path"])' "$J")"
  BODY="$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["body"])' "$J")"
  SPID="$(READY_PATH="$SPATH" bash "$HERE/serve.sh" "$PORT" "$URL")" || die "surveyapp did not start on $kind (see $LOG)"
  PIDS+=("$SPID")
  if [ "$kind" = sqlite ]; then
    say "page weight of surveyapp's survey page"
    "$PY" "$HERE/page_weight.py" --json "http://127.0.0.1:$PORT$SPATH" > "$R/sa_pageweight.json" 2>&1
  fi
  for c in ${BENCH_CONCURRENCY:-8 2 16}; do cycle "$kind" "$URL" "$c"; done
  stop_last
done

# --- 3. the peer's page with the same page-weight tool; peer and limit cycles with server CPU ------------------
# The peer kit's rows above are the reference; these repeat its c=8 cycles only to measure the server CPU per
# respondent the same way as surveyapp's (robust to a busy machine, where throughput is not).
form_and_body() {  # BASE PATH -> two lines: the POST path of the page's form, a filled body (peer kit's load.py)
  local j; j="$(PYTHONWARNINGS=ignore "$PEER_WORK/venv/bin/python" "$PEERKIT/load.py" "$1" "$2" --emit-form)" || return 1
  "$PY" -c 'import json,sys,urllib.parse as u; j=json.loads(sys.argv[1]); p=u.urlsplit(j["action"])
print(p.path + ("?" + p.query if p.query else "")); print(j["body"])' "$j"
}
# ref_cycle FORM_PATH COUNT_PATH OK_STATUS NAME: the limit's cycle at c=8 with server CPU, its stored rows counted
ref_cycle() {
  local base="http://127.0.0.1:$REF_PORT" action body
  { read -r action; read -r body; } < <(form_and_body "$base" "$1")
  read -r R0 A0 < <(curl -s "$base$2")
  wrk_cycle "${PIDS[-1]}" "$base" "$1" "$action" "$body" "$3" 8 "$4"
  sleep 1
  read -r R1 A1 < <(curl -s "$base$2")
  echo "$R0 $A0 $R1 $A1" > "$R/$4.counts"
}
up() { for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0; sleep 0.2; done; return 1; }
if [ -x "$PEER_WORK/venv/bin/gunicorn" ] && [ -f "$PEER_WORK/survey_id" ]; then
  REF_PORT="${REF_PORT:-8102}"; PFORM="/survey/$(cat "$PEER_WORK/survey_id")/"
  "$PEER_WORK/venv/bin/gunicorn" --chdir "$PEER_WORK/peerproj" peerproj.wsgi:application -w 2 -k sync \
    -b "127.0.0.1:$PEER_PORT" --error-logfile "$W/logs/peer_gunicorn.log" --log-level warning \
    </dev/null >>"$W/logs/peer_gunicorn.log" 2>&1 &
  PIDS+=("$!")
  if up "http://127.0.0.1:$PEER_PORT$PFORM"; then
    say "page weight of the peer's survey page (bench/page_weight.py)"
    PYTHONWARNINGS=ignore "$PY" "$HERE/page_weight.py" --json --all-links "http://127.0.0.1:$PEER_PORT$PFORM" \
      > "$R/peer_pageweight.json" 2>&1
    say "peer respondent cycle with server CPU, c=8, ${DUR}s"
    { read -r ACTION; read -r PBODY; } < <(form_and_body "http://127.0.0.1:$PEER_PORT" "$PFORM")
    wrk_cycle "${PIDS[-1]}" "http://127.0.0.1:$PEER_PORT" "$PFORM" "$ACTION" "$PBODY" 302 8 peer_cpu_cycle_c8
  fi
  stop_last
  rm -f "$W"/ref.sqlite3*
  REF_DB="$W/ref.sqlite3" "$PEER_WORK/venv/bin/gunicorn" --chdir "$PEER_WORK/flaskref" app:app -w 2 -k sync \
    -b "127.0.0.1:$REF_PORT" --error-logfile "$W/logs/ref_gunicorn.log" --log-level warning \
    </dev/null >>"$W/logs/ref_gunicorn.log" 2>&1 &
  PIDS+=("$!")
  if up "http://127.0.0.1:$REF_PORT/hello"; then
    say "limit (bare Flask) respondent cycle with server CPU, c=8, ${DUR}s"
    ref_cycle /form /count 2xx ref_cpu_cycle_c8
    say "secure limit (bare Flask + signed session, CSRF, unique response key, 302) cycle with server CPU, c=8, ${DUR}s"
    ref_cycle /secure_form /count_secure 3xx refsec_cpu_cycle_c8
  fi
  stop_last
fi

# --- 4. exports (bench/exports.py: seed | csv | pdf --db) and dispatch, when those scripts exist ----------------
TIMEV=(); [ -x /usr/bin/time ] && TIMEV=(/usr/bin/time -v)
if [ -f "$HERE/exports.py" ]; then
  for n in ${BENCH_EXPORT_SIZES:-10000 100000}; do
    EDB="$W/exports-$n.sqlite3"
    if [ ! -f "$EDB.seeded" ]; then  # seeding is set-up, not measured; kept between runs
      say "bench/exports.py seed --responses $n"
      rm -f "$EDB"*
      timeout 900 "$PY" "$HERE/exports.py" seed --responses "$n" --db "$EDB" > "$W/logs/exports-seed-$n.log" 2>&1 \
        && touch "$EDB.seeded" || { echo "   seeding $n failed (see $W/logs/exports-seed-$n.log)" >&2; continue; }
    fi
    for step in csv pdf; do
      say "bench/exports.py $step, $n responses"
      timeout 600 "${TIMEV[@]}" "$PY" "$HERE/exports.py" "$step" --db "$EDB" --out "$W/export-$n.$step" \
        > "$R/export_${step}_$n.out" 2> "$R/export_${step}_$n.time"
      echo "rc=$? bytes=$(stat -c %s "$W/export-$n.$step" 2>/dev/null || echo 0)" > "$R/export_${step}_$n.size"
    done
  done
fi
if [ -f "$HERE/dispatch.py" ] && [ "${BENCH_DISPATCH_COUNT:-100000}" -gt 0 ]; then  # scratch DB, never instance/
  N="${BENCH_DISPATCH_COUNT:-100000}"
  say "bench/dispatch.py --count $N (PostgreSQL ${PG_DB}_dispatch, SMTP sink on 127.0.0.1)"
  if DURL="$(BENCH_PG_DB="${PG_DB}_dispatch" fresh_pg)"; then
    DATABASE_URL="$DURL" timeout 600 "${TIMEV[@]}" "$PY" "$HERE/dispatch.py" --count "$N" \
      > "$R/dispatch.out" 2> "$R/dispatch.time" || echo "   bench/dispatch.py failed (rc=$?, see $R/dispatch.time)" >&2
  fi
fi
if [ "${BENCH_LOAD_SECONDS:-0}" -gt 0 ]; then  # bench/load_submit.py, off by default (3 levels x N s per database)
  for kind in ${BENCH_DBS:-sqlite postgres}; do
    case "$kind" in sqlite) rm -f "$W"/load_submit.sqlite3*; LURL="sqlite:///$W/load_submit.sqlite3" ;;
                    postgres) LURL="$(BENCH_PG_DB="${PG_DB}_load" fresh_pg)" || continue ;; esac
    say "bench/load_submit.py on $kind: 8/32/64 respondents, ${BENCH_LOAD_SECONDS} s each, a worker SIGKILLed every 3 s"
    DATABASE_URL="$LURL" timeout 900 "$PY" "$HERE/load_submit.py" --seconds "$BENCH_LOAD_SECONDS" \
      --json "$R/load_submit_$kind.json" > "$R/load_submit_$kind.md" 2>> "$W/logs/load_submit.log" \
      || echo "   bench/load_submit.py: a check failed on $kind (see $R/load_submit_$kind.md)" >&2
  done
fi

# --- 5. the table -----------------------------------------------------------------------------------------
echo "total_s=$(( $(date +%s) - START ))" >> "$R/machine.txt"
"$PY" "$HERE/report.py" "$R" | tee "$R/table.md"
echo "(raw outputs: $R; logs: $W/logs)" >&2
