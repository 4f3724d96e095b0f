"""The dispatcher as a service: SIGTERM (systemd's stop) lets the batch in hand finish and exits 0; after a
restart every invitation has been sent exactly once."""
import asyncio
import re
import signal
import time

from sqlalchemy import func, select

from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.mail import Mailer
from surveyapp.waves.models import Invitation, SendAttempt
from tests.waves.test_concurrent_dispatch import dispatcher, due_invitations, finish, received

COUNT, BATCH = 60, 20
SMTP_DELAY = 0.05  # seconds per message: a batch takes about a second, long enough to be caught in the middle


def slow(smtp) -> None:
    quick = smtp.handle_DATA

    async def handle_DATA(*args):  # noqa: N802 - aiosmtpd's hook name
        await asyncio.sleep(SMTP_DELAY)
        return await quick(*args)

    smtp.handle_DATA = handle_DATA  # aiosmtpd looks the hooks up per connection


def test_sigterm_mid_batch_finishes_it_exits_0_and_a_restart_sends_the_rest_once(app, db, make, smtp):
    due_invitations(db, make, COUNT)
    slow(smtp)
    looping = dispatcher(app, smtp, "--loop", "--interval", "1")
    deadline = time.monotonic() + 60
    while len(smtp.messages) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    looping.send_signal(signal.SIGTERM)
    output = finish(looping)
    assert "stopped on SIGTERM" in output
    sent_before = len(smtp.messages)
    assert 0 < sent_before < BATCH, output  # the message in hand finished, the rest of its batch released
    assert int(re.search(r"^sent (\d+)", output, re.M).group(1)) == sent_before
    assert f"released {BATCH - sent_before} unsent" in output

    finish(dispatcher(app, smtp))
    counts = received(smtp)
    assert len(counts) == COUNT and set(counts.values()) == {1}


def refused(worker) -> str:
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode != 0, output
    return output


def test_a_different_secret_key_sends_nothing_and_says_so(app, db, make, smtp):
    app.config["SECRET_KEY"] = "the-key-the-invitations-were-made-with"
    due_invitations(db, make, 3)
    output = refused(dispatcher(app, smtp))  # runs with SECRET_KEY=test-secret
    assert output.strip().splitlines()[-1] == "Error: SECRET_KEY differs from the one these invitations were made with"
    assert smtp.messages == []
    assert db.session.scalar(select(func.count()).select_from(SendAttempt)) == 0


def test_the_dispatcher_runs_the_start_up_checks(app, db, make, smtp, monkeypatch):
    due_invitations(db, make, 3)
    monkeypatch.setenv("SURVEYAPP_BATCH_SIZE", "10")
    output = refused(dispatcher(app, smtp))
    assert "surveyapp will not start: unknown setting SURVEYAPP_BATCH_SIZE" in output and smtp.messages == []


def test_an_unreachable_mail_server_ends_the_batch_and_releases_its_claims(app, db, make, smtp):
    due_invitations(db, make, 5)
    closed = Mailer({**app.config, "MAIL_MODE": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 1})
    report = dispatch_due(batch=5, mailer=closed)
    assert (report.sent, report.failed, report.released) == (0, 1, 4)  # one refused connection, not five
    invitations = db.session.scalars(select(Invitation)).all()
    assert all(invitation.claimed_until is None for invitation in invitations)
    assert sorted(invitation.attempts for invitation in invitations) == [0, 0, 0, 0, 1]
    finish(dispatcher(app, smtp))
    assert len(received(smtp)) == 4 and set(received(smtp).values()) == {1}  # the failed one waits for its retry
