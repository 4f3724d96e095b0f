"""Verify the hash chain: every event's hash recomputed, every link to its predecessor, no gap in `seq`."""
from dataclasses import dataclass

from sqlalchemy import select

from surveyapp.audit.models import AuditEvent
from surveyapp.audit.service import GENESIS, event_hash


@dataclass(frozen=True)
class Verdict:
    events: int
    head: str  # hash of the last event (GENESIS when empty): note it down to detect a truncated tail later
    broken_seq: int | None = None
    broken_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def verify(session, batch: int = 2000) -> Verdict:
    """Walk the chain in `seq` order; stop at the first event that does not fit."""
    expected_seq, prev_hash, count, after = 1, GENESIS, 0, 0
    while True:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > after).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not events:
            return Verdict(count, prev_hash)
        for event in events:
            reason = _problem(event, expected_seq, prev_hash)
            if reason:
                return Verdict(count, prev_hash, event.seq, event.id, reason)
            expected_seq, prev_hash, count = event.seq + 1, event.hash, count + 1
        after = events[-1].seq
        session.expunge_all()


def _problem(event: AuditEvent, expected_seq: int, prev_hash: str) -> str:
    if event.seq != expected_seq:
        return f"missing event(s) before it: expected seq {expected_seq}"
    if event.prev_hash != prev_hash:
        return "its prev_hash does not match the previous event (deleted, inserted or reordered)"
    if event_hash(event) != event.hash:
        return "its contents do not match its hash (edited)"
    return ""
