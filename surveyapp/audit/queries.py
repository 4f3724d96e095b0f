"""Read the audit trail: filtered, newest first, paged for the admin view and as rows for the CSV export."""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.extensions import db

PAGE_SIZE = 50
CSV_COLUMNS = ("seq", "created_at", "actor_id", "actor", "action", "target", "outcome", "detail", "ip", "hash")


@dataclass(frozen=True)
class Filters:
    actor: str = ""  # part of the e-mail (or "cli"), any case
    action: str = ""  # an action or its prefix: "export." matches every export
    target: str = ""  # exact, e.g. "questionnaire:12"
    since: date | None = None
    until: date | None = None  # inclusive


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(filters: Filters) -> Select:
    query = select(AuditEvent)
    if filters.actor:
        query = query.where(func.lower(AuditEvent.actor).like(f"%{_escape_like(filters.actor.lower())}%",
                                                                escape="\\"))
    if filters.action:
        query = query.where(AuditEvent.action.like(f"{_escape_like(filters.action)}%", escape="\\"))
    if filters.target:
        query = query.where(AuditEvent.target == filters.target)
    if filters.since:
        query = query.where(AuditEvent.created_at >= datetime.combine(filters.since, time.min, UTC))
    if filters.until and filters.until < date.max:  # 9999-12-31 is no bound (and has no day after it)
        query = query.where(AuditEvent.created_at < datetime.combine(filters.until + timedelta(days=1), time.min, UTC))
    return query


def page(filters: Filters, number: int) -> tuple[list[AuditEvent], int]:
    """One page of events, newest first, and the number of pages (at least 1)."""
    total = db.session.scalar(select(func.count()).select_from(filtered(filters).subquery()))
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    events = db.session.scalars(
        filtered(filters).order_by(AuditEvent.seq.desc()).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    ).all()
    return list(events), pages


def rows(filters: Filters, batch: int = 1000) -> Iterator[tuple]:
    """Every matching event as a CSV row, oldest first, read in batches by seq (memory is one batch)."""
    after = 0
    while True:
        events = db.session.scalars(
            filtered(filters).where(AuditEvent.seq > after).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not events:
            return
        for event in events:
            yield (event.seq, event.created_at.isoformat(), event.actor_id, event.actor, event.action, event.target,
                   event.outcome, event.detail, event.ip, event.hash)
        after = events[-1].seq
        db.session.expunge_all()
