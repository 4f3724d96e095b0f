"""Paired before/after of the respondent cycle's CPU cost, in-process, for changes too small for a gunicorn run.

Usage:  python bench/ab_inprocess.py [--db sqlite|postgres] [--rounds 15] [--block 150] TREE_A TREE_B [...]
        (a TREE may be `secure-limit`: the peer kit's bare-Flask app, GET /secure_form + POST /secure_insert,
        from the copy bash ../shared/peer/run.sh installs in $PEER_WORK, always on SQLite)
        python bench/ab_inprocess.py [--db ...] --instructions 60 TREE_A TREE_B [...]   (valgrind's callgrind)

Each TREE (a checkout of surveyapp, e.g. `git archive COMMIT | tar -x -C /tmp/a`) gets its own worker process
with a fresh database (migrated, bench/setup_survey.py run) and a warm app. The workers then take turns, block by
block: TREE_A runs BLOCK respondent cycles (GET the page without cookies, POST 20 answers with its hidden fields
and cookie, 302 expected) straight through the WSGI callable, no HTTP server and no test client, then TREE_B, and
so on for ROUNDS rounds. Turns of about a second keep both sides in the same machine load; the report gives each
tree's median CPU (process time) per cycle and the median of the per-round ratios to TREE_A with its spread.
A run on a busy shared machine still moves by ±5 % and more: for changes of a few per cent, --instructions counts
the instructions each tree executes per cycle instead (valgrind, ~1 minute per tree, exact to ~0.1 %; not the GC's
rare full collections, nor cache misses or system calls).
Env: PG_ADMIN_URL (postgresql://postgres@127.0.0.1:5432/postgres); the scratch files go to BENCH_WORK/ab.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

WORK = Path(os.environ.get("BENCH_WORK", "/tmp/surveyapp-bench")) / "ab"  # noqa: S108 - as run_all.sh
PG_ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PEER_WORK = Path(os.environ.get("PEER_WORK", "/tmp/surveyapp-peer"))  # noqa: S108 - as the peer kit's run.sh
SECURE_LIMIT = "secure-limit"  # a TREE argument: the peer kit's bare-Flask app, GET /secure_form + POST /secure_insert


def fresh_database(kind: str, index: int) -> str:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (WORK / f"inprocess{index}.sqlite3{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{WORK}/inprocess{index}.sqlite3"
    import psycopg

    name = f"surveyapp_ab{index}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return "postgresql+psycopg://" + PG_ADMIN_URL.split("://", 1)[1].rsplit("/", 1)[0] + "/" + name


def prepare(tree: Path, url: str) -> dict:
    """Migrate the database and create the benchmark questionnaire with TREE's own code."""
    env = {**os.environ, "PYTHONPATH": str(tree), "DATABASE_URL": url, "SECRET_KEY": "ab-" + "k" * 32}
    subprocess.run([Path(sys.executable).parent / "flask", "--app", "surveyapp", "db", "upgrade"],  # noqa: S603
                   cwd=tree, env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "bench/setup_survey.py"], cwd=tree, env=env, check=True,  # noqa: S603
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def call(app, method: str, path: str, body: bytes = b"", cookie: str | None = None) -> tuple[str, dict, bytes]:
    """One request straight through the WSGI callable, as gunicorn hands it over."""
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8111", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http", "wsgi.input": BytesIO(body), "wsgi.errors": sys.stderr,
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0),
        "CONTENT_LENGTH": str(len(body)), "HTTP_USER_AGENT": "ab_inprocess",
    }
    if method == "POST":
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        environ["HTTP_REFERER"] = f"http://127.0.0.1{path}"
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, dict(headers)

    result = app(environ, start_response)
    try:
        data = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return started["status"], started["headers"], data


def hidden_fields(html: str) -> list[tuple[str, str]]:
    fields = []
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value and 'type="hidden"' in tag:
            fields.append((name.group(1), value.group(1)))
    return fields


def worker(tree: str, path: str, body: str) -> None:
    """Child: a warm app; on each line "N" from stdin run N cycles and print the CPU seconds they took."""
    from urllib.parse import urlencode

    app, post_path = load_app(tree), path
    if tree == SECURE_LIMIT:
        path, post_path = "/secure_form", "/secure_insert"

    def cycle():
        status, headers, page = call(app, "GET", path)
        assert status.startswith("200"), status
        cookie = headers.get("Set-Cookie", "").split(";", 1)[0] or None
        hidden = urlencode(hidden_fields(page.decode()))
        status, headers, _ = call(app, "POST", post_path, f"{body}&{hidden}".encode(), cookie)
        assert status.startswith("302"), status

    for _ in range(30):
        cycle()
    print("ready", flush=True)
    for line in sys.stdin:
        n = int(line)
        cpu = time.process_time()
        for _ in range(n):
            cycle()
        print(time.process_time() - cpu, flush=True)


def load_app(tree: str):
    """surveyapp from TREE, or the peer kit's bare-Flask limit app (its /secure_form and /secure_insert)."""
    if tree == SECURE_LIMIT:
        sys.path.insert(0, str(PEER_WORK / "flaskref"))
        from app import app  # the copy run.sh installs; REF_DB set by start_worker

        return app
    sys.path.insert(0, tree)
    os.chdir(tree)
    from surveyapp import create_app

    return create_app()


def secure_limit_body() -> str:
    """A complete valid answer to the limit's 20 fields (the values load.py --emit-form would choose)."""
    from urllib.parse import urlencode

    values = {**{f"q{i}": "3" for i in range(1, 9)}, **{f"q{i}": "B" for i in range(9, 13)},
              **{f"q{i}": "7" for i in range(13, 17)}, **{f"q{i}": "short answer" for i in range(17, 21)}}
    return urlencode(values)


def start_worker(tree: Path, kind: str, index: int, under_valgrind: bool) -> subprocess.Popen:
    """A warm worker for TREE on a fresh database; under callgrind with counting off until it is switched on."""
    env = {**os.environ, "SECRET_KEY": "ab-" + "k" * 32, "PYTHONHASHSEED": "0"}  # same dict layouts everywhere
    if str(tree) == SECURE_LIMIT:  # always SQLite, as in the peer kit
        for suffix in ("", "-wal", "-shm"):
            (WORK / f"ref{index}.sqlite3{suffix}").unlink(missing_ok=True)
        env["REF_DB"] = str(WORK / f"ref{index}.sqlite3")
        survey = {"path": "/secure_form", "body": secure_limit_body()}
    else:
        url = fresh_database(kind, index)
        survey = prepare(tree, url)
        env |= {"PYTHONPATH": str(tree), "DATABASE_URL": url}
    command = [sys.executable, __file__, "--worker", str(tree), survey["path"], survey["body"]]
    if under_valgrind:
        env["PYTHONMALLOC"] = "malloc"
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                   f"--callgrind-out-file={WORK}/callgrind.{index}.out", *command]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,  # noqa: S603 - our own
                            stderr=subprocess.PIPE if under_valgrind else None, text=True, env=env)
    assert proc.stdout.readline().strip() == "ready", f"{tree}: the worker did not start"
    return proc


def run_block(proc: subprocess.Popen, cycles: int) -> float:
    proc.stdin.write(f"{cycles}\n")
    proc.stdin.flush()
    return float(proc.stdout.readline())


def instructions(trees: list[Path], kind: str, cycles: int) -> None:
    """Instructions executed per cycle (callgrind's Ir), counted over CYCLES warm cycles: the same figure on a
    busy and on an idle machine, to a few hundredths of a percent. It leaves out cache misses and the time the
    kernel spends in system calls, so it measures the code's own work, not the whole cost."""
    workers = [start_worker(tree, kind, index, under_valgrind=True) for index, tree in enumerate(trees)]
    counts = []
    for proc in workers:
        subprocess.run(["callgrind_control", "-i", "on", str(proc.pid)], check=True, capture_output=True)  # noqa: S603, S607
        run_block(proc, cycles)
        subprocess.run(["callgrind_control", "-i", "off", str(proc.pid)], check=True, capture_output=True)  # noqa: S603, S607
        proc.stdin.close()
        collected = re.search(r"Collected : (\d+)", proc.stderr.read())
        proc.wait(timeout=60)
        counts.append(int(collected.group(1)) / cycles)
    for tree, count in zip(trees, counts, strict=True):
        print(f"{count / 1e6:8.3f} M instructions per cycle ({cycles} cycles); ÷ first tree: {count / counts[0]:.4f}"
              f"  {tree}")


def paired_cpu(trees: list[Path], kind: str, rounds: int, block: int) -> None:
    workers = [start_worker(tree, kind, index, under_valgrind=False) for index, tree in enumerate(trees)]
    costs = [[] for _ in workers]
    try:
        for _ in range(rounds):
            for proc, cost in zip(workers, costs, strict=True):
                cost.append(1000 * run_block(proc, block) / block)
    finally:
        for proc in workers:
            proc.stdin.close()
            proc.wait(timeout=30)
    for tree, cost in zip(trees, costs, strict=True):
        ratios = sorted(c / a for c, a in zip(cost, costs[0], strict=True))
        spread = f"{ratios[len(ratios) // 4]:.3f}–{ratios[(3 * len(ratios)) // 4]:.3f}"
        print(f"{statistics.median(cost):6.3f} ms CPU per cycle; ÷ first tree: median {statistics.median(ratios):.3f} "
              f"(quartiles {spread})  {tree}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--block", type=int, default=150)
    parser.add_argument("--instructions", type=int, metavar="CYCLES",
                        help="count instructions under valgrind's callgrind over CYCLES cycles (e.g. 60) instead")
    parser.add_argument("trees", nargs="+", type=Path)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    trees = [tree if str(tree) == SECURE_LIMIT else tree.resolve() for tree in args.trees]
    if args.instructions:
        instructions(trees, args.db, args.instructions)
    else:
        paired_cpu(trees, args.db, args.rounds, args.block)


if __name__ == "__main__":
    main()
