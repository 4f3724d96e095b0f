"""Exactly once with real `flask waves dispatch` processes side by side (PostgreSQL: row locks)."""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from surveyapp.waves.models import Invitation, SendAttempt
from surveyapp.waves.service import ensure_invitations
from tests import panel_factories as panel

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL"), reason="concurrent dispatch needs PostgreSQL"
    ),
]
ROOT = Path(__file__).resolve().parents[2]
COUNT = 1000


def due_invitations(db, make, count=COUNT):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=[("ok", "yesno", False, 1, {}, [])])
    session = panel.session(db, programme, date.today() - timedelta(days=1))
    panel.many_participants(db, session, count)
    panel.wave(db, programme, questionnaire, reminder_days=(), max_reminders=0)
    ensure_invitations(programme.id)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == count


def dispatcher(app, smtp, *extra):
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret",
        "SURVEYAPP_MAIL_MODE": "smtp",
        "SURVEYAPP_MAIL_SERVER": "127.0.0.1",
        "SURVEYAPP_MAIL_PORT": str(smtp.port),
        "SURVEYAPP_PUBLIC_BASE_URL": "http://localhost",
    }
    command = [
        str(Path(sys.executable).parent / "flask"),
        "--app",
        "surveyapp",
        "waves",
        "dispatch",
        "--batch",
        "20",
        *extra,
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def finish(worker) -> str:
    """Wait for a dispatcher; its output ("sent N ...") or a failure with what it printed."""
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output
    return output


def received(smtp) -> Counter:
    return Counter(message["Message-ID"] for _, message in smtp.messages)


def test_four_dispatchers_send_each_invitation_exactly_once(app, db, make, smtp):
    due_invitations(db, make)
    workers = [dispatcher(app, smtp) for _ in range(4)]
    outputs = [int(re.search(r"^sent (\d+)", finish(worker), re.M).group(1)) for worker in workers]
    counts = received(smtp)
    assert len(counts) == COUNT and set(counts.values()) == {1}
    assert sum(outputs) == COUNT and sum(1 for n in outputs if n) >= 2  # they really shared the work
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count()).select_from(Invitation).where(Invitation.sends == 1)) == COUNT
    )


def test_killed_dispatcher_loses_nothing_and_resends_only_as_recorded_retry(app, db, make, smtp):
    due_invitations(db, make)
    lease = 4
    workers = [dispatcher(app, smtp, "--lease", str(lease)) for _ in range(4)]
    deadline = time.monotonic() + 30
    while len(smtp.messages) < COUNT // 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    workers[0].send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    for worker in workers[1:]:
        finish(worker)
    time.sleep(max(0.0, lease + 0.5 - (time.monotonic() - killed_at)))  # its claims are free after the lease
    finish(dispatcher(app, smtp, "--lease", str(lease)))
    counts = received(smtp)
    assert len(counts) == COUNT  # none lost
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count()).select_from(Invitation).where(Invitation.sends == 1)) == COUNT
    )
    retried = set(db.session.scalars(select(SendAttempt.invitation_id).where(SendAttempt.attempt > 1)))
    twice = {int(mid.split("-")[1]) for mid, n in counts.items() if n > 1}
    assert twice <= retried  # a message sent twice is always a recorded retry
    workers[0].communicate()
