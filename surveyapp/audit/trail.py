"""Request hooks that write the audit trail of staff requests; registry.py says which and under what name.

A state-changing request is recorded inside the transaction that commits its change (a `before_commit` hook
on the request's session): the change and its event commit together or not at all. A request that commits
nothing, an audited read (GET) and a refused attempt (403) are recorded after the view, in a short
transaction of their own; if that write fails the request fails instead of answering unaudited.
"""
from dataclasses import dataclass, field

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import Mapper, Session, object_session

from surveyapp.audit.models import AuditEvent
from surveyapp.audit.registry import SAFE_METHODS, action_for, created_target, target_of
from surveyapp.audit.service import record
from surveyapp.extensions import db

MAX_LISTED = 10  # changed rows listed per kind in an event's detail; the rest are counted


@dataclass
class PendingEvent:
    action: str
    target: str
    detail: dict
    done: bool = False
    rows: dict = field(default_factory=lambda: {"created": [], "changed": [], "deleted": []})


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    if not event.contains(Session, "before_commit", _before_commit):
        for kind, name in (("created", "after_insert"), ("changed", "after_update"), ("deleted", "after_delete")):
            event.listen(Mapper, name, _row_written(kind))
        event.listen(Session, "before_commit", _before_commit)


def _start() -> None:
    action = action_for(request.endpoint, request.method, request.path)
    if action is None or not current_user.is_authenticated:  # anonymous: login_required turns them away
        return
    target, rest = target_of(request.view_args)
    g.audit = PendingEvent(action, target, {"method": request.method, **rest})


def _pending(session: Session) -> PendingEvent | None:
    if not has_request_context() or session.info.get("audit_apart"):
        return None
    pending = g.get("audit")
    return pending if pending is not None and not pending.done else None


def _row_written(kind: str):
    """A mapper event handler noting which rows the request created, changed or deleted (never their values).

    Mapper events see every row a flush writes, cascaded orphans included (Session.deleted does not list them).
    """

    def note(mapper, _connection, target) -> None:
        session = object_session(target)
        if isinstance(target, AuditEvent) or session is None or (pending := _pending(session)) is None:
            return
        state = inspect(target)
        key = state.identity or mapper.primary_key_from_instance(target)
        pending.rows[kind].append(f"{mapper.local_table.name}:{','.join(str(part) for part in key)}")

    return note


def _before_commit(session: Session) -> None:
    if (pending := _pending(session)) is None:
        return
    session.flush()  # the request's last changes, so they are listed
    pending.done = True
    if created := created_target(pending.action, pending.rows["created"]):
        if pending.target:
            pending.detail["in"] = pending.target
        pending.target = created
    record(pending.action, target=pending.target, detail=_detail(pending), session=session)


def _finish(response):
    pending = g.pop("audit", None)
    if pending is None or pending.done:
        return response
    status = response.status_code
    if status >= 400 and status != 403:
        return response  # invalid input, CSRF, not found: nothing happened and nothing was shown
    if status == 403 or request.method not in SAFE_METHODS:
        db.session.rollback()  # nothing uncommitted rides along, and SQLite's write lock is free
    pending.detail["status"] = status
    with Session(db.engine, info={"audit_apart": True}) as apart:
        record(pending.action, target=pending.target, detail=_detail(pending), session=apart,
               outcome="refused" if status == 403 else "ok")
        apart.commit()
    return response


def _detail(pending: PendingEvent) -> dict:
    detail = dict(pending.detail)
    for kind, rows in pending.rows.items():
        unique = list(dict.fromkeys(rows))
        if unique:
            detail[kind] = unique[:MAX_LISTED] + ([f"+{len(unique) - MAX_LISTED}"] if len(unique) > MAX_LISTED else [])
    return detail
