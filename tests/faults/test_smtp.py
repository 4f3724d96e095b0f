"""SMTP fails during dispatch: nothing is marked sent until the server accepted the message, and the retry
after the backoff sends each letter exactly once.

Real SMTP servers (aiosmtpd on loopback ports): one that answers 421 (service not available) to some
messages, one that is stopped before the round, and a port with nothing listening.
"""
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from surveyapp.db import utcnow
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.models import Invitation, SendAttempt
from tests import panel_factories as panel
from tests.conftest import SmtpSink

COUNT = 6


class FlakySink(SmtpSink):
    """Accepts the first `accept` messages, then answers 421 to every DATA until `healthy` is set."""

    def __init__(self, accept: int = 0):
        super().__init__()
        self.accept, self.refused, self.healthy = accept, 0, False

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if not self.healthy and len(self.messages) >= self.accept:
                self.refused += 1
                return "421 4.3.2 Service not available, closing transmission channel"
        return await super().handle_DATA(server, session, envelope)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(app):
    """Start SMTP servers on demand; all are stopped at the end."""
    started = []

    def start(sink, port=None):
        controller = Controller(sink, hostname="127.0.0.1", port=port or free_port())
        controller.start()
        started.append(controller)
        app.config.update(MAIL_MODE="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
        return controller

    yield start
    for controller in started:
        if controller.server is not None:  # not stopped by the test already
            controller.stop()


@pytest.fixture
def due(db, make):
    """COUNT invitations due now, one per participant of one session."""
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=[("agree", "likert", True, 1, {"points": 5}, [])])
    session = panel.session(db, programme, utcnow().date() - timedelta(days=1))
    panel.many_participants(db, session, COUNT)
    panel.wave(db, programme, questionnaire, reminder_days=())
    assert db.session.scalar(select(Invitation.id).limit(1)) is not None
    return COUNT


def sent_state(db) -> dict:
    db.session.expire_all()
    invitations = db.session.scalars(select(Invitation)).all()
    attempts = db.session.scalars(select(SendAttempt)).all()
    return {
        "sent": sum(1 for i in invitations if i.sends),
        "first_sent": sum(1 for i in invitations if i.first_sent_at is not None),
        "attempts_sent": sum(1 for a in attempts if a.sent_at is not None),
        "attempts_failed": sum(1 for a in attempts if a.error),
        "claimed": sum(1 for i in invitations if i.claimed_until is not None),
        "bounced": sum(1 for i in invitations if i.bounced_at is not None),
    }


def received(*sinks) -> dict[str, int]:
    counts: dict[str, int] = {}
    for sink in sinks:
        for recipients, _message in sink.messages:
            for address in recipients:
                counts[address] = counts.get(address, 0) + 1
    return counts


def retry_later(minutes: int = 2):
    return dispatch_due(now=utcnow() + timedelta(minutes=minutes))


def test_421_after_some_messages_marks_only_the_accepted_as_sent(db, server, due):
    sink = FlakySink(accept=2)
    server(sink)
    report = dispatch_due()
    assert (report.sent, report.failed, report.bounced) == (2, due - 2, 0)  # 421 is temporary: no bounce
    assert sent_state(db) == {"sent": 2, "first_sent": 2, "attempts_sent": 2, "attempts_failed": due - 2,
                              "claimed": 0, "bounced": 0}
    assert dispatch_due().sent == 0  # nothing is due again before the backoff
    sink.healthy = True
    report = retry_later()
    assert report.sent == due - 2 and report.retried == due - 2
    counts = received(sink)
    assert len(counts) == due and set(counts.values()) == {1}  # each letter exactly once
    assert sent_state(db)["sent"] == due


def test_server_stopped_before_the_round_sends_nothing_and_the_retry_sends_once(db, server, due):
    first = server(SmtpSink())
    port = first.port
    first.stop()  # the mail server goes down
    report = dispatch_due()
    # the first refused connection ends the batch: the rest is released, still due, with no attempt counted
    assert (report.sent, report.failed, report.released) == (0, 1, due - 1)
    assert sent_state(db) | {"attempts_failed": 0} == {"sent": 0, "first_sent": 0, "attempts_sent": 0,
                                                       "attempts_failed": 0, "claimed": 0, "bounced": 0}
    back = SmtpSink()
    server(back, port=port)  # and comes back on the same port
    assert retry_later().sent == due
    assert retry_later(minutes=10).sent == 0  # nothing is left to send
    counts = received(back)
    assert len(counts) == due and set(counts.values()) == {1}


def test_nothing_listening_is_retried_with_backoff_and_never_counted_as_sent(db, app, server, due):
    app.config.update(MAIL_MODE="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    for attempt in range(1, 3):  # two failing rounds, each after the previous backoff
        report = retry_later(minutes=2 ** (attempt + 1)) if attempt > 1 else dispatch_due()
        assert (report.sent, report.failed, report.released) == (0, 1, due - 1)
    assert sent_state(db)["sent"] == 0
    assert {a.attempt for a in db.session.scalars(select(SendAttempt))} <= {1, 2}
    sink = SmtpSink()
    server(sink)
    assert retry_later(minutes=30).sent == due
    counts = received(sink)
    assert len(counts) == due and set(counts.values()) == {1}
