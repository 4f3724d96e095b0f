"""A live workshop poll under load: 500 phones join and vote while a presenter watches the stream (not a test).

    .venv/bin/python bench/polls.py
    .venv/bin/python bench/polls.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_polls

A scratch database is created (a SQLite file under /tmp by default, or the PostgreSQL database named, which must
not exist yet) and dropped afterwards; the schema comes from the migrations. One open single-choice poll ("the
four Co's") and a manager are stored, then gunicorn serves the app as the README advises for live polls
(`-k gthread --threads 32`, --workers 4, rate limits in Redis and so live updates through Redis pub/sub, unless
--no-redis) through bench/serve.sh, with PROXY_FIX_X_FOR=1 so each simulated phone has an address of its own
(X-Forwarded-For), as behind the venue's reverse proxy. Then:
- the presenter logs in and holds the poll's SSE stream open (reconnecting when it ends), noting when each event
  arrived and its vote count;
- --participants phones join (GET /j/<code>: the page, its CSRF token and the voter cookie) spread evenly over
  --join-seconds, then each votes once (POST, a random option) spread over --vote-seconds; each phone is its own
  client (own cookies, a new connection per request, as phones on a venue's wifi) and then loads the page the
  vote redirects to (load, not part of the vote's latency).
Reported: errors (any status other than 200 for a join, 302 for a vote, or a failed connection), join and vote
latency (p50/p95/max), the presenter's delay from the last vote's answer to the event showing every vote, the most
stream events in any one second (at most 4 by design) and the workers' CPU time per participant (join + vote +
their share of the stream; from /proc, so it hardly depends on what else the machine runs). Exits 1 when a target
is missed: no errors, p95 vote under 300 ms, the presenter showing all votes within 1 s of the last vote.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from load_submit import create_fresh, drop_fresh, free_port, stop_server  # noqa: E402

CSRF = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*>')
VALUE = re.compile(r'\bvalue="([^"]+)"')
PASSWORD = "bench password, long enough"  # noqa: S105 (a throwaway account in a scratch database)
REDIS = "redis://127.0.0.1:6379/0"
OPTIONS = ["Co-commissioning", "Co-design", "Co-delivery", "Co-assessment"]


def seed(url: str) -> dict:
    """Migrate the scratch database and store a manager and one open poll; returns what the clients need."""
    from flask_migrate import upgrade

    from surveyapp import create_app
    from surveyapp.accounts.models import Role
    from surveyapp.accounts.service import create_user
    from surveyapp.extensions import db
    from surveyapp.polls import service
    from surveyapp.programmes.models import Programme

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(16)})
    with app.app_context():
        upgrade()
        programme = Programme(code="bench", name="Workshop benchmark")
        db.session.add(programme)
        db.session.flush()
        manager = create_user("presenter@example.org", PASSWORD, Role.MANAGER, "bench")
        session = service.create_session(programme.id, "Co-production workshop", "en", manager.id)
        poll = service.add_poll(session, "single", "Which of the four Co's must your organisation strengthen?",
                                OPTIONS)
        service.change_state(poll, "open")
        db.session.commit()
        seeded = {"code": session.code, "poll": poll.id, "options": [option.code for option in poll.options]}
        db.engine.dispose()
    return seeded


class Client:
    """One phone (or the presenter): its own cookies and address, a new connection per request."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, path: str, form: dict | None = None, timeout: float = 30):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"X-Forwarded-For": self.address, "Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                self.cookies[pair.split("=", 1)[0]] = pair.split("=", 1)[1]
        return connection, response


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.join_ms: list[float] = []
        self.vote_ms: list[float] = []
        self.errors: Counter = Counter()
        self.last_vote_answered = 0.0
        self.events: list[tuple[float, int]] = []  # (arrival, votes) of each stream event
        self.streams = 0  # stream connections opened (one more each minute: the server ends them)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] += 1


def participant(port: int, number: int, seeded: dict, join_at: float, vote_at: float, results: Results) -> None:
    phone = Client(port, f"10.{number // 250}.{number % 250}.{1 + number % 200}")
    csrf = _timed_join(phone, seeded, join_at, results)
    if csrf is None:
        return
    time.sleep(max(0.0, vote_at - time.monotonic()))
    form = {"csrf_token": csrf, "answer": random.choice(seeded["options"])}  # noqa: S311 (not security)
    started = time.monotonic()
    try:
        connection, response = phone.request("POST", f"/j/{seeded['code']}/{seeded['poll']}", form)
        response.read()
        connection.close()
    except OSError as error:
        return results.error(f"vote: {type(error).__name__}")
    answered = time.monotonic()
    if response.status != 302:
        return results.error(f"vote: HTTP {response.status}")
    with results.lock:
        results.vote_ms.append((answered - started) * 1000)
        results.last_vote_answered = max(results.last_vote_answered, answered)
    _follow_redirect(phone, response.getheader("Location", ""), results)


def _follow_redirect(phone: Client, location: str, results: Results) -> None:
    """The phone shows the thank-you page the vote redirects to (load, not counted in the vote's latency)."""
    try:
        connection, response = phone.request("GET", urlsplit(location).path or "/")
        response.read()
        connection.close()
    except OSError as error:
        return results.error(f"after vote: {type(error).__name__}")
    if response.status != 200:
        results.error(f"after vote: HTTP {response.status}")


def _timed_join(phone: Client, seeded: dict, join_at: float, results: Results) -> str | None:
    time.sleep(max(0.0, join_at - time.monotonic()))
    started = time.monotonic()
    try:
        connection, response = phone.request("GET", f"/j/{seeded['code']}")
        page = response.read().decode()
        connection.close()
    except OSError as error:
        results.error(f"join: {type(error).__name__}")
        return None
    if response.status != 200 or not (token := csrf_token(page)):
        results.error(f"join: HTTP {response.status}")
        return None
    with results.lock:
        results.join_ms.append((time.monotonic() - started) * 1000)
    return token


def csrf_token(page: str) -> str | None:
    field = CSRF.search(page)
    value = VALUE.search(field.group(0)) if field else None
    return value.group(1) if value else None


def presenter(port: int, seeded: dict, results: Results, stop: threading.Event) -> None:
    """Log in, then hold the SSE stream open until `stop`, reconnecting when the server ends it."""
    staff = Client(port, "10.250.0.1")
    connection, response = staff.request("GET", "/login")
    csrf = csrf_token(response.read().decode())
    connection.close()
    connection, response = staff.request("POST", "/login", {"email": "presenter@example.org", "password": PASSWORD,
                                                             "csrf_token": csrf})
    response.read()
    if response.status != 302:
        results.error(f"presenter login: HTTP {response.status}")
        return
    while not stop.is_set():
        with results.lock:
            results.streams += 1
        try:
            _follow(staff, seeded, results, stop)
        except (OSError, http.client.HTTPException):  # cut (a sync worker killed by its timeout): reconnect
            results.error("stream cut")


def _follow(staff: Client, seeded: dict, results: Results, stop: threading.Event) -> None:
    connection, response = staff.request("GET", f"/polls/{seeded['poll']}/stream", timeout=70)
    if response.status != 200:
        results.error(f"stream: HTTP {response.status}")
        stop.wait(1.0)
        return
    while not stop.is_set() and (line := response.readline()):
        if line.startswith(b"data: "):
            votes = json.loads(line[6:])["votes"]
            with results.lock:
                results.events.append((time.monotonic(), votes))
    connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def workers_cpu_seconds(master: int) -> float:
    """User + system CPU time of the gunicorn master's workers so far (from /proc): hardly moved by other load."""
    total = 0
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def warm_up(port: int, seeded: dict, workers: int) -> None:
    """Let every worker render the join page once first (templates compiled, connections opened): not measured."""
    def join(number: int) -> None:
        connection, response = Client(port, f"10.251.0.{number}").request("GET", f"/j/{seeded['code']}")
        response.read()
        connection.close()

    with ThreadPoolExecutor(max_workers=4 * workers) as pool:
        list(pool.map(join, range(1, 8 * workers + 1)))


def run(port: int, master: int, seeded: dict, args) -> dict:
    results, stop = Results(), threading.Event()
    warm_up(port, seeded, args.workers)
    cpu_before = workers_cpu_seconds(master)
    watcher = threading.Thread(target=presenter, args=(port, seeded, results, stop), daemon=True)
    watcher.start()
    time.sleep(1.0)
    start = time.monotonic() + 0.5
    count = args.participants
    with ThreadPoolExecutor(max_workers=count) as pool:
        for number in range(count):
            join_at = start + args.join_seconds * number / count
            vote_at = start + args.join_seconds + args.vote_seconds * random.random()  # noqa: S311
            pool.submit(participant, port, number, seeded, join_at, vote_at, results)
    time.sleep(2.0)  # the last events
    stop.set()
    cpu = workers_cpu_seconds(master) - cpu_before
    shown_all = next((at for at, votes in results.events if votes >= count), None)
    per_second = Counter(int(at) for at, _ in results.events if start + args.join_seconds <= at)
    return {
        "participants": count, "errors": dict(results.errors), "joins": len(results.join_ms),
        "votes": len(results.vote_ms),
        "join_p50_ms": round(percentile(results.join_ms, 0.5), 1),
        "join_p95_ms": round(percentile(results.join_ms, 0.95), 1),
        "vote_p50_ms": round(percentile(results.vote_ms, 0.5), 1),
        "vote_p95_ms": round(percentile(results.vote_ms, 0.95), 1),
        "vote_max_ms": round(max(results.vote_ms, default=float("nan")), 1),
        "stream_connections": results.streams, "stream_events": len(results.events),
        "stream_events_max_per_second": max(per_second.values(), default=0),
        "stream_last_votes": results.events[-1][1] if results.events else None,
        "server_cpu_ms_per_participant": round(cpu * 1000 / count, 2),
        "presenter_delay_ms": round((shown_all - results.last_vote_answered) * 1000, 1) if shown_all else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL database to create (default: a SQLite file in /tmp)")
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--join-seconds", type=float, default=30.0)
    parser.add_argument("--vote-seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--worker-class", choices=("gthread", "sync"), default="gthread",
                        help="sync: what the README warns about (one worker per open stream)")
    parser.add_argument("--no-redis", action="store_true", help="no LIVE_REDIS_URL (in-process updates only)")
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args()
    work = Path(tempfile.gettempdir()) / "surveyapp-bench" / "polls"
    url = args.database_url or f"sqlite:///{work}/polls-{secrets.token_hex(4)}.sqlite3"
    create_fresh(url)
    master = None
    try:
        seeded = seed(url)
        port = free_port()
        master = serve(url, port, args, work / f"serve-{port}.log")
        figures = run(port, master, seeded, args)
    finally:
        if master:
            stop_server(master)
        drop_fresh(url)
    figures |= {"database": url.split(":", 1)[0], "workers": args.workers, "worker_class": args.worker_class,
                "threads": args.threads if args.worker_class == "gthread" else 1,
                "redis": not args.no_redis}
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    ok = (not figures["errors"] and figures["votes"] == args.participants and figures["vote_p95_ms"] < 300
          and figures["presenter_delay_ms"] is not None and figures["presenter_delay_ms"] <= 1000)
    return 0 if ok else 1


def serve(url: str, port: int, args, log: Path) -> int:
    """gunicorn with gthread workers through bench/serve.sh; the master's PID."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "WORKERS": str(args.workers),
           "LOG": str(log), "SURVEYAPP_PROXY_FIX_X_FOR": "1"}
    if not args.no_redis:  # as the README's production lines: rate limits in Redis, live updates through it too
        env["SURVEYAPP_RATELIMIT_STORAGE_URI"] = REDIS
    command = ["bash", str(HERE / "serve.sh"), str(port), "--", "-k", args.worker_class]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if out.returncode != 0 or not out.stdout.strip().isdigit():
        sys.exit(f"bench/polls.py: gunicorn did not start:\n{out.stderr}")
    return int(out.stdout.strip())


if __name__ == "__main__":
    sys.exit(main())
