"""Concurrent appenders never fork the chain: seq 1..N without gaps, every link intact."""
import threading

from sqlalchemy import select

from surveyapp.audit.chain import verify
from surveyapp.audit.models import AuditEvent
from surveyapp.audit.service import record
from surveyapp.extensions import db as _db

WRITERS = 6
EVENTS_EACH = 15


def test_parallel_writers_extend_one_chain(app, db):
    barrier = threading.Barrier(WRITERS)
    failures = []

    def writer(number: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                for step in range(EVENTS_EACH):
                    record("test.parallel", target=f"writer:{number}", detail={"step": step}, actor=f"w{number}")
                    _db.session.commit()
                _db.session.remove()
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            failures.append(repr(error))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    seqs = db.session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
    assert seqs == list(range(1, WRITERS * EVENTS_EACH + 1))
    verdict = verify(db.session)
    assert verdict.intact and verdict.events == WRITERS * EVENTS_EACH
