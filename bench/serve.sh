#!/usr/bin/env bash
# Start surveyapp for a benchmark: gunicorn, 2 sync workers, bound to 127.0.0.1 only (same shape as the peer kit).
#
# Usage:  PID=$(bench/serve.sh PORT [DATABASE_URL] [-- extra gunicorn args...])
#   DATABASE_URL  2nd argument, else the DATABASE_URL environment variable (required), e.g.
#                 sqlite:////tmp/surveyapp-bench/bench.sqlite3   or   postgresql+psycopg://u:p@127.0.0.1/bench
# Prints the gunicorn master PID on stdout (nothing else) once the app answers HTTP; messages go to stderr.
# Stop it with:  kill -TERM "$PID"   (the master stops its workers; callers should trap this on EXIT).
#
# Env: VENV (default <repo>/.venv), APP ("surveyapp:create_app()"), WORKERS (2), READY_PATH (/ : any HTTP
#      status below 500 counts as ready), READY_TIMEOUT seconds (60), LOG (/tmp/surveyapp-bench/serve-PORT.log).
#      SECRET_KEY: passed through if set, else a random one per start (keeps instance/secret_key out of it).
#      Everything else in the environment (SURVEYAPP_*, ...) is passed to the app unchanged.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
die() { echo "serve.sh: $*" >&2; exit 1; }

PORT="${1:-}"
[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65535 ] \
  || die "usage: serve.sh PORT [DATABASE_URL] [-- gunicorn args]  (PORT 1024..65535)"
shift
if [ $# -gt 0 ] && [ "$1" != "--" ]; then DATABASE_URL="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
EXTRA=("$@")
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set (2nd argument or environment)"
export DATABASE_URL

VENV="${VENV:-$ROOT/.venv}"
APP="${APP:-surveyapp:create_app()}"
WORKERS="${WORKERS:-2}"
READY_PATH="${READY_PATH:-/}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
LOG="${LOG:-/tmp/surveyapp-bench/serve-$PORT.log}"
GUNICORN="$VENV/bin/gunicorn"
[ -x "$GUNICORN" ] || die "no gunicorn at $GUNICORN (create the venv: python3 -m venv .venv && .venv/bin/pip install -e .)"
command -v curl >/dev/null || die "curl is needed for the readiness check"
mkdir -p "$(dirname "$LOG")"
# One key for both workers (CSRF/session cookies signed by one must verify in the other), and no
# instance/secret_key written into the repo: a throwaway key per start unless the caller sets SECRET_KEY.
if [ -z "${SECRET_KEY:-}" ]; then
  SECRET_KEY="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(32))')" || die "could not make a SECRET_KEY"
fi
export SECRET_KEY

# Refuse a busy port rather than measure whatever already listens there.
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "port $PORT is already in use on 127.0.0.1"; fi

# SQLite: make sure the file's directory exists (sqlite:////abs/path or sqlite:///rel/path).
case "$DATABASE_URL" in
  sqlite:*) DBFILE="${DATABASE_URL#sqlite:///}"; DBFILE="${DBFILE%%\?*}"
            [ -n "$DBFILE" ] && [ "$DBFILE" != ":memory:" ] && mkdir -p "$(dirname "$DBFILE")" ;;
esac

# stdin/stdout/stderr detached from the caller, so `PID=$(serve.sh ...)` returns as soon as we print.
echo "== $(date -Is) gunicorn $APP -w $WORKERS -k sync -b 127.0.0.1:$PORT (DATABASE_URL=${DATABASE_URL%%://*}://...)" >> "$LOG"
"$GUNICORN" --chdir "$ROOT" "$APP" -w "$WORKERS" -k sync -b "127.0.0.1:$PORT" \
  --error-logfile "$LOG" --log-level warning "${EXTRA[@]}" </dev/null >>"$LOG" 2>&1 &
PID=$!

stop() { kill -TERM "$PID" 2>/dev/null; for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || return; sleep 0.2; done; kill -KILL "$PID" 2>/dev/null; }
URL="http://127.0.0.1:$PORT$READY_PATH"
DEADLINE=$(( $(date +%s) + READY_TIMEOUT ))
while :; do
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "serve.sh: gunicorn exited before it was ready; last lines of $LOG:" >&2; tail -n 20 "$LOG" >&2; exit 1
  fi
  CODE="$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$URL" 2>/dev/null)"
  if [ -n "$CODE" ] && [ "$CODE" != 000 ] && [ "$CODE" -lt 500 ]; then break; fi
  if [ "$(date +%s)" -ge "$DEADLINE" ]; then
    echo "serve.sh: not ready after ${READY_TIMEOUT}s ($URL last gave HTTP ${CODE:-none}); stopping PID $PID; log: $LOG" >&2
    tail -n 20 "$LOG" >&2; stop; exit 1
  fi
  sleep 0.2
done
echo "serve.sh: ready on http://127.0.0.1:$PORT (HTTP $CODE on $READY_PATH), PID $PID, log $LOG" >&2
echo "$PID"
