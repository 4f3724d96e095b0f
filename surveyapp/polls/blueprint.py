"""The polls blueprint and the lookups its staff views start with: load a row, check the role."""
from flask import Blueprint, abort
from flask_login import current_user

from surveyapp.accounts.access import MANAGE, READ, require
from surveyapp.extensions import db
from surveyapp.polls.models import Poll, PollSession

bp = Blueprint("polls", __name__)


def poll_session(poll_session_id: int, roles=READ) -> PollSession:
    session = db.session.get(PollSession, poll_session_id) or abort(404)
    require(session.programme_id, roles)
    return session


def poll(poll_id: int, roles=READ) -> Poll:
    row = db.session.get(Poll, poll_id) or abort(404)
    require(row.session.programme_id, roles)
    return row


def can_manage(programme_id: int) -> bool:
    return current_user.can(programme_id, *MANAGE)
