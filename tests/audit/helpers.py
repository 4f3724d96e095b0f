"""Read the audit trail in tests."""
import json

from sqlalchemy import select

from surveyapp.audit.models import AuditEvent


def events(db, action: str | None = None) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.seq)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def detail(event: AuditEvent) -> dict:
    return json.loads(event.detail)
