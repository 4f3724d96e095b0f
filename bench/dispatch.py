"""Dispatch throughput: N due invitations sent to a local SMTP sink; invitations/s (not a test).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_dispatch \\
        /usr/bin/time -v .venv/bin/python bench/dispatch.py --count 100000 [--workers 4]

Refuses to run without an explicit DATABASE_URL: it DELETEs every participant, wave and invitation of that
database (once it wiped the development database instance/surveyapp.sqlite). Creates the schema if needed,
loads N participants with one due invitation each, starts an aiosmtpd sink in its own process, runs
`flask waves dispatch` (--workers processes) and prints the rate. Peak memory: the "Maximum resident set
size" line of /usr/bin/time -v covers this script; each dispatcher's own peak is printed too (memory stays
flat: batches are streamed).
"""

import argparse
import multiprocessing
import os
import re
import resource
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def sink(port: int, counter) -> None:
    """An SMTP server that counts messages and drops them."""
    import asyncio

    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, _server, _session, _envelope):
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    asyncio.run(asyncio.sleep(10**6))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scratch_database_url() -> str:
    """The database named by DATABASE_URL; never the default (the instance database of development)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        sys.exit(
            "bench/dispatch.py: set DATABASE_URL to a scratch database (its participants, waves and "
            "invitations are deleted), e.g. DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_dispatch"
        )
    if "instance/surveyapp.sqlite" in url.replace("\\", "/"):
        sys.exit("bench/dispatch.py: refusing to wipe the development database instance/surveyapp.sqlite")
    return url


def load(count: int) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from surveyapp import create_app
    from surveyapp.extensions import db
    from surveyapp.waves.service import ensure_invitations
    from tests import panel_factories as panel
    from tests.factories import Factories

    app = create_app({"SECRET_KEY": "bench-secret"})
    with app.app_context():
        upgrade()
        for table in (
            "send_attempts",
            "invitations",
            "wave_texts",
            "waves",
            "consents",
            "contacts",
            "participants",
            "training_sessions",
        ):
            db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - fixed table names
        db.session.commit()
        make = Factories(db)
        run = f"bench{time.time_ns()}"  # rerunnable on the same database: questionnaires are kept
        programme = make.programme(code=run)
        questionnaire = make.questionnaire(programme, slug=run, items=[("ok", "yesno", False, 1, {}, [])])
        session = panel.session(db, programme, date.today() - timedelta(days=1))
        for start in range(0, count, 10000):
            panel.many_participants(db, session, min(10000, count - start))
        panel.wave(db, programme, questionnaire, reminder_days=(), max_reminders=0)
        ensure_invitations(programme.id)
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    scratch_database_url()
    started = time.monotonic()
    load(args.count)
    print(f"loaded {args.count} due invitations in {time.monotonic() - started:.1f} s")
    port, counter = free_port(), multiprocessing.Value("l", 0)
    server = multiprocessing.Process(target=sink, args=(port, counter), daemon=True)
    server.start()
    time.sleep(1)
    env = {
        **os.environ,
        "SECRET_KEY": "bench-secret",
        "SURVEYAPP_MAIL_MODE": "smtp",
        "SURVEYAPP_MAIL_SERVER": "127.0.0.1",
        "SURVEYAPP_MAIL_PORT": str(port),
    }
    command = [
        "/usr/bin/time",
        "-f",
        "%M %U %S",
        str(Path(sys.executable).parent / "flask"),
        "--app",
        "surveyapp",
        "waves",
        "dispatch",
        "--batch",
        str(args.batch),
    ]
    started = time.monotonic()
    workers = [
        subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(args.workers)
    ]
    peaks, cpu = [], 0.0
    for worker in workers:
        out, err = worker.communicate()
        peak, user, system = err.strip().splitlines()[-1].split()
        peaks.append(int(peak) // 1024)
        cpu += float(user) + float(system)
        print(out.strip())
    elapsed = time.monotonic() - started
    sent = counter.value
    print(
        f"dispatched {sent} invitations in {elapsed:.1f} s with {args.workers} dispatcher(s): "
        f"{sent / elapsed:.0f} invitations/s; dispatcher CPU {cpu:.1f} s ({1000 * cpu / max(sent, 1):.2f} ms "
        f"per invitation); dispatcher peak RSS {max(peaks)} MiB; "
        f"this script {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB"
    )
    server.terminate()
    assert sent == args.count, (sent, args.count)
    assert re.search(r"sent \d+", out)


if __name__ == "__main__":
    main()
