"""Programmes: create, rename, archive and find them. Services flush; the caller (view or CLI) commits.

Programmes sit below accounts and audit, so nothing here knows who acts: the views check roles, the request
hook (or the CLI) records the change.
"""
import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.programmes.pathways import PATHWAYS
from surveyapp.textclean import normal_name

CODE = re.compile(r"[A-Za-z0-9_-]{2,40}")
MAX_NAME_LENGTH = 200
MAX_RETENTION_MONTHS = 240  # contact data kept at most 20 years; gdpr.service checks its changes against it


class ProgrammeError(DomainError):
    status_code = 422


def find_programme(code: str) -> Programme | None:
    """The programme with this code in any letter case (codes are unique regardless of case)."""
    return db.session.scalar(select(Programme).where(func.lower(Programme.code) == code.strip().lower()))


def programmes(*, archived: bool = False, ids: list[int] | None = None) -> list[Programme]:
    """The active (or archived) programmes by name; `ids` limits them to those (None: all)."""
    query = select(Programme).order_by(Programme.name, Programme.code)
    query = query.where(Programme.archived_at.is_not(None) if archived else Programme.archived_at.is_(None))
    if ids is not None:
        query = query.where(Programme.id.in_(ids))
    return list(db.session.scalars(query))


def create_programme(code: str, name: str, *, pathway: str | None = None,
                     retention_months: int | None = None) -> Programme:
    """A new programme, checked whole before anything is written: nothing is stored when one value is bad."""
    programme = Programme(code=_checked_code(code), name=_checked_name(name), pathway=_checked_pathway(pathway),
                          contact_retention_months=_checked_months(retention_months))
    try:
        with db.session.begin_nested():  # a concurrent create of the same code: the message, not a 500
            db.session.add(programme)
            db.session.flush()
    except IntegrityError:
        raise ProgrammeError(_duplicate(code)) from None
    return programme


def rename(programme: Programme, name: str) -> bool:
    """Give the programme a new name; False when it is the same name (nothing to record)."""
    name = _checked_name(name)
    if name == programme.name:
        return False
    programme.name = name
    db.session.flush()
    return True


def archive(programme: Programme, now: datetime) -> bool:
    """Take the programme out of the lists, keeping all its data; False when it was archived already."""
    if programme.archived_at is not None:
        return False
    programme.archived_at = now
    db.session.flush()
    return True


def unarchive(programme: Programme) -> bool:
    """Bring an archived programme back into the lists; False when it was not archived."""
    if programme.archived_at is None:
        return False
    programme.archived_at = None
    db.session.flush()
    return True


def _checked_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE.fullmatch(code):
        raise ProgrammeError(_l("The code must have 2 to 40 characters: letters A–Z, digits, '-' and '_'."))
    if find_programme(code) is not None:
        raise ProgrammeError(_duplicate(code))
    return code


def _duplicate(code: str):
    return _l("A programme with the code %(code)s exists already (codes do not distinguish upper and lower case).",
              code=code.strip())


def _checked_name(name: str) -> str:
    name = normal_name(name or "")
    if not name:
        raise ProgrammeError(_l("Please enter the programme's name."))
    if len(name) > MAX_NAME_LENGTH:
        raise ProgrammeError(_l("The name must have at most %(n)d characters.", n=MAX_NAME_LENGTH))
    return name


def _checked_pathway(pathway: str | None) -> str | None:
    if pathway is not None and pathway not in PATHWAYS:
        raise ProgrammeError(_l("Unknown outcome pathway %(pathway)s.", pathway=pathway))
    return pathway


def _checked_months(months: int | None) -> int | None:
    if months is not None and not 1 <= months <= MAX_RETENTION_MONTHS:
        raise ProgrammeError(_l("Please enter a number of months between 1 and %(max)d, or nothing.",
                                max=MAX_RETENTION_MONTHS))
    return months
