"""Append audit events to the hash chain, in the caller's transaction (flush, never commit)."""
import hashlib
import json
from datetime import UTC, datetime

from flask import g, has_request_context, request
from sqlalchemy import select, text

from surveyapp.audit.models import OUTCOMES, AuditEvent
from surveyapp.db import utcnow
from surveyapp.extensions import db

GENESIS = "0" * 64
MAX_DETAIL_CHARS = 2000
# Any constant works; it only has to be the same in every process that appends to the chain.
CHAIN_LOCK_KEY = 0x5A0D17  # pg_advisory_xact_lock key of the audit chain


def record(action: str, *, target: str = "", detail: dict | None = None, actor=None, ip=None, now=None,
           outcome: str = "ok", session=None) -> AuditEvent:
    """Append one event to the chain in the current db.session (flushed, committed with the caller's change).

    Inside a request `actor` defaults to the logged-in user and `ip` to the client address; outside one pass a
    string such as "cli" (the default there). `detail` must be small and hold no answer values or contact data.
    `session` defaults to db.session.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    actor_id, actor_label = _actor(actor)
    detail_json = json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    if len(detail_json) > MAX_DETAIL_CHARS:
        raise ValueError("audit detail too large")
    session = session if session is not None else db.session
    _lock_chain(session)
    head = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    event = AuditEvent(
        seq=(head.seq + 1) if head else 1, created_at=_normalise(now or utcnow()), actor_id=actor_id,
        actor=actor_label[:254], action=action[:64], target=str(target)[:120], outcome=outcome, detail=detail_json,
        ip=(ip if ip is not None else _client_ip())[:45], prev_hash=head.hash if head else GENESIS,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    if session is db.session and has_request_context() and (pending := g.get("audit")) is not None:
        pending.done = True  # an explicit record in a request stands for it: the hook adds no second event
    return event


def canonical(event: AuditEvent) -> bytes:
    """The bytes the hash covers: every field but `id` and `hash`, in a fixed order and format."""
    fields = {
        "seq": event.seq, "created_at": _normalise(event.created_at).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": event.actor_id, "actor": event.actor, "action": event.action, "target": event.target,
        "outcome": event.outcome, "detail": event.detail, "ip": event.ip, "prev_hash": event.prev_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


def _normalise(moment: datetime) -> datetime:
    """Aware UTC, whole microseconds: SQLite hands datetimes back naive, PostgreSQL in the session's zone."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _lock_chain(session) -> None:
    """Serialise appenders until their transaction ends, so two writers cannot both extend the same head.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: a write that matches no row takes the database's
    single write lock (waiting out the busy timeout) before the head is read. Should both ever fail, the
    unique `seq` makes the second appender fail loudly instead of forking the chain.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    else:
        session.execute(text("UPDATE audit_events SET seq = seq WHERE 0 = 1"))


def _actor(actor) -> tuple[int | None, str]:
    if actor is None and has_request_context():
        from flask_login import current_user

        actor = current_user if current_user.is_authenticated else "anonymous"
    if actor is None:
        return None, "cli"
    if isinstance(actor, str):
        return None, actor
    return actor.id, actor.email


def _client_ip() -> str:
    return (request.remote_addr or "") if has_request_context() else ""
