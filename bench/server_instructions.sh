#!/usr/bin/env bash
# Instructions a whole gunicorn worker executes per respondent (GET the page + POST 20 answers, HTTP over
# loopback), counted by valgrind's callgrind: independent of the machine's load, gunicorn's own work included.
# Usage:  bash bench/server_instructions.sh [-n 100] TREE|secure-limit
#   TREE          a checkout of surveyapp (SQLite, fresh database, bench/setup_survey.py)
#   secure-limit  the peer kit's bare-Flask app (GET /secure_form + POST /secure_insert) from $PEER_WORK/flaskref
# Two workers (gunicorn -w 1) run under callgrind side by side, one serving 30 warm-up respondents, the other
# 30 + N; the difference of their totals ÷ N is the figure (start-up and warm-up cancel out). Respondents come one
# at a time from a small Python client. Several minutes for surveyapp (its start-up under valgrind ~3 min).
# Needs valgrind (apt-get install valgrind). Ports BENCH_PORT and BENCH_PORT+1 (8117, 8118) on 127.0.0.1.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N=100
[ "${1:-}" = -n ] && { N="$2"; shift 2; }
TARGET="${1:?usage: bash bench/server_instructions.sh [-n N] TREE|secure-limit}"
VENV="${VENV:-$(cd "$HERE/.." && pwd)/.venv}"; PY="$VENV/bin/python"
PEER_WORK="${PEER_WORK:-/tmp/surveyapp-peer}"; W="${BENCH_WORK:-/tmp/surveyapp-bench}/instructions"
PORT="${BENCH_PORT:-8117}"
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
mkdir -p "$W"; rm -f "$W"/*
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done' EXIT

if [ "$TARGET" = secure-limit ]; then
  APP=(--chdir "$PEER_WORK/flaskref" app:app); FORM=/secure_form; POST=/secure_insert
  BODY="$(cd "$HERE" && "$PY" -c 'import ab_inprocess as a; print(a.secure_limit_body())')"
  export REF_SECRET_KEY="instructions-$RANDOM"
else
  TREE="$(cd "$TARGET" && pwd)"; APP=(--chdir "$TREE" "surveyapp:create_app()"); export PYTHONPATH="$TREE"
  export SECRET_KEY="instructions-$RANDOM"
fi

# serve I WARMUP+N: one worker under callgrind on its own database; prints the worker's instruction total
serve() {
  local i="$1" cycles="$2" port=$((PORT + $1)) master worker j
  if [ "$TARGET" = secure-limit ]; then export REF_DB="$W/ref$i.sqlite3"
  else
    export DATABASE_URL="sqlite:///$W/sa$i.sqlite3"
    (cd "$TREE" && "$VENV/bin/flask" --app surveyapp db upgrade >"$W/upgrade$i.log" 2>&1) || return 1
    J="$(cd "$TREE" && "$PY" bench/setup_survey.py)" || return 1
    FORM="$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["path"])' "$J")"; POST="$FORM"
    BODY="$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["body"])' "$J")"
  fi
  PYTHONMALLOC=malloc PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file="$W/callgrind.%p" \
    "$PY" "$VENV/bin/gunicorn" "${APP[@]}" -w 1 -k sync -b "127.0.0.1:$port" --timeout 900 --log-level warning \
    > "$W/valgrind$i.log" 2>&1 &
  master=$!; PIDS+=("$master")
  for j in $(seq 900); do curl -s -o /dev/null "http://127.0.0.1:$port$FORM" && break; sleep 0.5; done
  worker="$(pgrep -P "$master" | head -1)"
  "$PY" - "$port" "$FORM" "$POST" "$BODY" "$cycles" <<'EOF' || return 1
import http.client, re, sys
from urllib.parse import urlencode
port, form, post, body, cycles = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
def request(method, path, data=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    conn.request(method, path, data, headers or {})
    reply = conn.getresponse()
    text = reply.read().decode()
    conn.close()
    return reply, text
for _ in range(cycles):  # a new respondent each time: no cookie on the GET
    reply, page = request("GET", form)
    assert reply.status == 200, reply.status
    hidden = [(re.search(r'name="([^"]*)"', tag).group(1), re.search(r'value="([^"]*)"', tag).group(1))
              for tag in re.findall(r"<input[^>]*>", page) if 'type="hidden"' in tag and "value=" in tag]
    cookie = (reply.getheader("Set-Cookie") or "").split(";", 1)[0]
    reply, _ = request("POST", post, body + "&" + urlencode(hidden),
                       {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert reply.status == 302, reply.status
EOF
  kill -TERM "$master"; wait "$master" 2>/dev/null
  sed -n 's/^totals: \([0-9]*\).*/\1/p' "$W/callgrind.$worker"
}

serve 0 30 > "$W/total0" & A=$!
serve 1 $((30 + N)) > "$W/total1" & B=$!
wait "$A" && wait "$B" || { echo "a worker failed (see $W/*.log)" >&2; exit 1; }
"$PY" -c 'import sys; a, b, n = (int(x) for x in sys.argv[1:]); print(f"{(b - a) / n / 1e6:.3f} M instructions per respondent in the gunicorn worker ({n} respondents)")' \
  "$(cat "$W/total0")" "$(cat "$W/total1")" "$N"
