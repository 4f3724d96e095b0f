"""Submission under load with gunicorn workers SIGKILLed: stored = confirmed, no duplicates, no 5xx (not a test).

    DATABASE_URL=sqlite:////tmp/surveyapp-bench/load.sqlite3 .venv/bin/python bench/load_submit.py --fresh
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_load .venv/bin/python bench/load_submit.py --fresh

Refuses to run without an explicit database (DATABASE_URL or --database-url) and never uses instance/.
--fresh creates the database (a PostgreSQL database on the same server, or a SQLite file; refused if it exists)
and drops it afterwards (--keep keeps it). The schema comes from the migrations. For each level (--levels,
default 8 32 64 concurrent respondents) a new questionnaire of the peer's shape (bench/setup_survey.py) is
opened, and gunicorn (bench/serve.sh, --workers sync workers, 4 as in the README) serves the app while:
- each client thread is one respondent at a time: GET /s/<slug> without cookies, then POST the 20 answers with
  the page's csrf_token, rk (the response key) and session cookie; a 302 to /s/<slug>/thanks confirms it;
- a connection reset, refused or cut connection (a killed worker) or a 5xx is retried as a phone would: the same
  request again, same response key and cookie, with a short back-off (at most --retries times);
- every --kill-every seconds a random worker of this run's gunicorn master gets SIGKILL (the arbiter restarts it);
- the level ends at --count respondents or --seconds, whichever comes first; respondents in flight finish.
Afterwards the database is checked: the submitted responses' keys are exactly the confirmed keys, each key once,
each response holds exactly 20 answers (one per item), no unsubmitted (half-written) response; the server log
is searched for tracebacks. Prints one table row per level (and --json FILE for the raw figures); exits 1 when
a check fails.
"""

import argparse
import html
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

HIDDEN = re.compile(r"<input[^>]*>")
RESET = (ConnectionError, http.client.HTTPException, TimeoutError, OSError)  # a killed worker, as a client sees it


def database_url(explicit: str | None) -> str:
    """The database to load; never the default (instance/surveyapp.sqlite, the development database)."""
    url = (explicit or os.environ.get("DATABASE_URL", "")).strip()
    if not url:
        sys.exit("bench/load_submit.py: name a scratch database: DATABASE_URL=... or --database-url, e.g. "
                 "postgresql+psycopg://postgres@127.0.0.1:5432/bench_load or sqlite:////tmp/surveyapp-bench/load.sqlite3")
    if url.startswith("sqlite:"):  # Flask-SQLAlchemy puts a relative SQLite path into instance/
        path = sqlite_file(url)
        if path is None or not path.is_absolute() or ":memory:" in url:
            sys.exit("bench/load_submit.py: a SQLite database needs an absolute file path (sqlite:////tmp/...): "
                     "a relative one lands in instance/, an in-memory one is not shared by the workers")
        if (ROOT / "instance") in path.resolve().parents:
            sys.exit("bench/load_submit.py: refusing a database in instance/ (the development data)")
    return url


def sqlite_file(url: str) -> Path | None:
    return Path(url.split("///", 1)[1].split("?", 1)[0]) if url.startswith("sqlite:///") else None


def pg_admin(url: str) -> tuple[str, str]:
    """(libpq URL of the server's postgres database, the database name) for a postgresql URL."""
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://", 1))
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
        sys.exit(f"bench/load_submit.py: --fresh needs a plain database name, not {name!r}")
    return parts._replace(path="/postgres").geturl(), name


def create_fresh(url: str) -> None:
    if (path := sqlite_file(url)) is not None:
        if path.exists():
            sys.exit(f"bench/load_submit.py: --fresh: {path} exists; remove it or leave out --fresh")
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    admin, name = pg_admin(url)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            sys.exit(f"bench/load_submit.py: --fresh: database {name} exists; drop it or leave out --fresh")
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_fresh(url: str) -> None:
    if (path := sqlite_file(url)) is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    admin, name = pg_admin(url)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stats:
    """Counters shared by the client threads (one lock; the counts are tiny next to the HTTP work)."""

    def __init__(self, count: int, deadline: float):
        self.lock, self.count, self.deadline = threading.Lock(), count, deadline
        self.started = 0
        self.confirmed: list[str] = []
        self.cycle_ms: list[float] = []
        self.request_ms: list[float] = []
        self.status_5xx = self.status_4xx = self.unexpected = self.abandoned = 0
        self.resets_get = self.resets_post = 0

    def next_respondent(self) -> bool:
        with self.lock:
            if self.started >= self.count or time.monotonic() >= self.deadline:
                return False
            self.started += 1
            return True

    def add(self, name: str, amount: int = 1) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + amount)


class Respondent:
    """One client thread: respondents one after another, each a GET and a POST, retrying what a kill cut off."""

    def __init__(self, port: int, path: str, answers: list[tuple[str, str]], stats: Stats, retries: int):
        self.port, self.path, self.answers, self.stats, self.retries = port, path, answers, stats, retries

    def request(self, method: str, body: str | None = None, cookie: str | None = None):
        headers = {"Connection": "close"}
        if body is not None:
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.path}
        if cookie:
            headers["Cookie"] = cookie
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        try:
            conn.request(method, self.path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        return response, data, 1000 * (time.perf_counter() - started)

    def with_retries(self, method: str, reset_counter: str, body=None, cookie=None):
        """The same request until it gets an answer below 500: None when it never does."""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(0.05 * 2 ** attempt, 2.0) * random.uniform(0.5, 1.5))  # noqa: S311 - jitter
            try:
                response, data, ms = self.request(method, body, cookie)
            except RESET:
                self.stats.add(reset_counter)
                continue
            if response.status >= 500:
                self.stats.add("status_5xx")
                continue
            with self.stats.lock:
                self.stats.request_ms.append(ms)
            return response, data
        return None

    def one(self) -> None:
        started = time.perf_counter()
        got = self.with_retries("GET", "resets_get")
        if got is None:
            self.stats.add("abandoned")
            return
        page, data = got
        if page.status != 200:
            self.stats.add("status_4xx" if 400 <= page.status < 500 else "unexpected")
            return
        fields = {}
        for tag in HIDDEN.findall(data.decode()):
            name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
            if name and value and 'type="hidden"' in tag:
                fields[html.unescape(name.group(1))] = html.unescape(value.group(1))
        cookie = "; ".join(c.split(";", 1)[0] for c in page.headers.get_all("Set-Cookie") or [])
        got = self.with_retries("POST", "resets_post", urlencode(self.answers + list(fields.items())), cookie)
        if got is None:
            self.stats.add("abandoned")
            return
        posted, _ = got
        if posted.status == 302 and posted.headers.get("Location", "").endswith("/thanks"):
            with self.stats.lock:
                self.stats.confirmed.append(fields["rk"])
                self.stats.cycle_ms.append(1000 * (time.perf_counter() - started))
        elif 400 <= posted.status < 500:
            self.stats.add("status_4xx")
        else:
            self.stats.add("unexpected")

    def run(self) -> None:
        while self.stats.next_respondent():
            self.one()


def workers_of(master: int) -> list[int]:
    """The live worker processes of our own gunicorn master (children by parent pid, from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry.name))
    return found


def killer(master: int, every: float, stop: threading.Event, killed: list[int]) -> None:
    while not stop.wait(every):
        workers = workers_of(master)
        if workers:
            victim = random.choice(workers)  # noqa: S311 - not security
            try:
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            except ProcessLookupError:
                pass


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def check(app, questionnaire_id: int, confirmed: list[str], items: int) -> dict:
    """What the database holds for one level's questionnaire, compared with what the clients were told."""
    from sqlalchemy import func, select

    from surveyapp.extensions import db
    from surveyapp.responses.models import Answer, Response

    with app.app_context():
        ours = Response.questionnaire_id == questionnaire_id
        keys = db.session.execute(
            select(Response.key, func.count()).where(ours, Response.submitted_at.is_not(None)).group_by(Response.key)
        ).all()
        per_response = db.session.execute(  # every submitted response, with or without answers
            select(func.count(Answer.id), func.count(func.distinct(Answer.item_id)))
            .select_from(Response).outerjoin(Answer, Answer.response_id == Response.id)
            .where(ours, Response.submitted_at.is_not(None)).group_by(Response.id)
        ).all()
        unsubmitted = db.session.scalar(select(func.count()).where(ours, Response.submitted_at.is_(None)))
        db.session.remove()
    stored = {key for key, _ in keys}
    return {
        "stored": sum(n for _, n in keys),
        "duplicate_keys": sum(n - 1 for _, n in keys) + (len(confirmed) - len(set(confirmed))),
        "answers_not_20": sum(1 for rows, distinct in per_response if rows != items or distinct != items),
        "unsubmitted": unsubmitted,
        "confirmed_not_stored": len(set(confirmed) - stored),
        "stored_not_confirmed": len(stored - set(confirmed)),
    }


def run_level(app, args, port: int, master: int, level: int, log: Path) -> dict:
    from setup_survey import ITEMS, ensure_questionnaire

    slug = f"load-c{level}-{secrets.token_hex(3)}"
    with app.app_context():
        questionnaire_id = ensure_questionnaire(slug).id
    answers = [(f"q_{code}", value) for code, _, _, value in ITEMS] + [("nav", "submit")]
    log_start, load = log.stat().st_size, os.getloadavg()[0]
    started = time.monotonic()
    stats, stop, killed = Stats(args.count, started + args.seconds), threading.Event(), []
    cpu = time.process_time()
    clients = [threading.Thread(target=Respondent(port, f"/s/{slug}", answers, stats, args.retries).run)
               for _ in range(level)]
    murderer = threading.Thread(target=killer, args=(master, args.kill_every, stop, killed), daemon=True)
    for thread in clients:
        thread.start()
    if args.kill_every > 0:
        murderer.start()
    for thread in clients:
        thread.join()
    stop.set()
    if murderer.is_alive():
        murderer.join()
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    with log.open("rb") as handle:
        handle.seek(log_start)
        tail = handle.read().decode(errors="replace")
    row = {
        "level": level, "respondents": stats.started, "confirmed": len(stats.confirmed),
        **check(app, questionnaire_id, stats.confirmed, len(ITEMS)),
        "status_5xx": stats.status_5xx, "status_4xx": stats.status_4xx, "unexpected": stats.unexpected,
        "abandoned": stats.abandoned, "resets_get": stats.resets_get, "resets_post": stats.resets_post,
        "workers_killed": len(killed), "kills_logged": tail.count("was sent SIGKILL"),
        "tracebacks_logged": tail.count("Traceback"), "seconds": round(elapsed, 1),
        "throughput": round(len(stats.confirmed) / elapsed, 1),
        "cycle_p50_ms": round(percentile(stats.cycle_ms, 0.5)), "cycle_p95_ms": round(percentile(stats.cycle_ms, 0.95)),
        "request_p50_ms": round(percentile(stats.request_ms, 0.5), 1),
        "request_p95_ms": round(percentile(stats.request_ms, 0.95), 1),
        "client_cpu_s": round(cpu, 1), "loadavg_1min_at_start": round(load, 1),
    }
    row["ok"] = (row["stored"] == row["confirmed"] and not row["duplicate_keys"] and not row["answers_not_20"]
                 and not row["unsubmitted"] and not row["confirmed_not_stored"] and not row["stored_not_confirmed"]
                 and not row["status_5xx"] and not row["tracebacks_logged"] and not row["unexpected"])
    return row


COLUMNS = ("level", "respondents", "confirmed", "stored", "duplicate_keys", "status_5xx", "resets_get", "resets_post",
           "workers_killed", "throughput", "cycle_p50_ms", "cycle_p95_ms", "status_4xx", "abandoned", "ok")


def serve(url: str, port: int, workers: int, secret: str, log: Path, preload: bool) -> int:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secret, "WORKERS": str(workers), "LOG": str(log)}
    command = ["bash", str(HERE / "serve.sh"), str(port)] + (["--", "--preload"] if preload else [])
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if out.returncode != 0 or not out.stdout.strip().isdigit():
        sys.exit(f"bench/load_submit.py: gunicorn did not start:\n{out.stderr}")
    return int(out.stdout.strip())


def stop_server(master: int) -> None:
    try:
        os.kill(master, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(100):
        if not Path(f"/proc/{master}").exists():
            return
        time.sleep(0.1)
    os.kill(master, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--fresh", action="store_true", help="create the database first and drop it afterwards")
    parser.add_argument("--keep", action="store_true", help="with --fresh: keep the database")
    parser.add_argument("--levels", type=int, nargs="+", default=[8, 32, 64])
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per level")
    parser.add_argument("--count", type=int, default=20_000, help="respondents per level at most")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-every", type=float, default=3.0,
                        help="seconds between two SIGKILLs (0: none, a control run)")
    parser.add_argument("--retries", type=int, default=8)
    parser.add_argument("--preload", action="store_true",
                        help="gunicorn --preload: a restarted worker is forked from the loaded app, not re-imported")
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "surveyapp-bench" / "load_submit"),
                        help="server log directory")
    parser.add_argument("--json", help="write the rows here")
    args = parser.parse_args()
    if not (1 <= args.seconds <= 600 and 1 <= args.count and all(1 <= c <= 256 for c in args.levels)):
        parser.error("--seconds 1..600, --count >= 1, levels 1..256")
    url = database_url(args.database_url)
    if args.fresh:
        create_fresh(url)
    secret = secrets.token_hex(32)  # keeps instance/secret_key out of it, for this script and the server
    os.environ["DATABASE_URL"] = url
    master = None
    try:
        from flask_migrate import upgrade

        from surveyapp import create_app

        app = create_app({"SECRET_KEY": secret})
        with app.app_context():
            upgrade()
        log = Path(args.work) / f"serve-{os.getpid()}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        port = free_port()
        master = serve(url, port, args.workers, secret, log, args.preload)
        rows = []
        print("| " + " | ".join(COLUMNS) + " |")
        for level in args.levels:
            rows.append(run_level(app, args, port, master, level, log))
            print("| " + " | ".join(str(rows[-1][c]) for c in COLUMNS) + " |", flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps({"database": url.split("://", 1)[0], "rows": rows}, indent=1))
        print(json.dumps(rows), file=sys.stderr)
        return 0 if all(row["ok"] for row in rows) else 1
    finally:
        if master:
            stop_server(master)
        if args.fresh and not args.keep:
            drop_fresh(url)


if __name__ == "__main__":
    sys.exit(main())
