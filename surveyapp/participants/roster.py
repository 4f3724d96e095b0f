"""Roster import (CSV or XLSX): every row is checked first; one bad row and nothing is imported.

Columns (header names, any order, case-insensitive): name, email, language, session (optional: the session's
date "YYYY-MM-DD", or "YYYY-MM-DD place" when two sessions share a day; default: the chosen session).
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from sqlalchemy import select

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.i18n import is_known_language
from surveyapp.participants.models import Contact, Participant, TrainingSession
from surveyapp.participants.service import add_participant, programme_sessions

HEADERS = {
    "name": "name",
    "email": "email",
    "e-mail": "email",
    "language": "language",
    "lang": "language",
    "session": "session",
}
MAX_ROWS = 5000


@dataclass
class RowProblem:
    row: int
    messages: list[str] = field(default_factory=list)


class RosterRejected(DomainError):
    """The file is unusable, or some rows are: `problems` says which and why."""

    status_code = 422

    def __init__(self, message, problems: list[RowProblem] | None = None):
        super().__init__(message)
        self.problems = problems or []


def read_rows(filename: str, data: bytes) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by our column names; RosterRejected for a wrong or unreadable file."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    try:
        if extension == "csv":
            table = _csv_table(data)
        elif extension == "xlsx":
            table = _xlsx_table(data)
        else:
            raise RosterRejected(_l("Please upload a .csv or .xlsx file."))
    except (UnicodeDecodeError, csv.Error, OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        if isinstance(error, RosterRejected):
            raise
        raise RosterRejected(
            _l("The file could not be read. Please save it as CSV (UTF-8) or XLSX.")
        ) from None
    if not table:
        raise RosterRejected(_l("The file is empty."))
    header = [HEADERS.get(str(cell or "").strip().lower()) for cell in table[0]]
    if "email" not in header or "language" not in header:
        raise RosterRejected(_l("The first row must name the columns: name, email, language, session."))
    rows = [
        {
            key: str(row[i] if i < len(row) and row[i] is not None else "").strip()
            for i, key in enumerate(header)
            if key
        }
        for row in table[1:]
    ]
    rows = [row for row in rows if any(row.values())]
    if len(rows) > MAX_ROWS:
        raise RosterRejected(_l("At most %(n)d rows per file, please.", n=MAX_ROWS))
    return rows


def _csv_table(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_table(data: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def import_roster(session: TrainingSession, filename: str, data: bytes) -> list[Participant]:
    """Check every row, then add them all (flush, no commit); RosterRejected with the row report otherwise."""
    rows = read_rows(filename, data)
    sessions = programme_sessions(session.programme_id)
    known = _known_emails(session.programme_id)
    problems, plan = [], []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        messages, target, email = _check_row(row, session, sessions, known)
        if messages:
            problems.append(RowProblem(number, messages))
        else:
            known.add(email.lower())
            plan.append((target, row, email))
    if problems:
        raise RosterRejected(
            _l("Nothing was imported: %(n)d rows need correcting.", n=len(problems)), problems
        )
    return [
        add_participant(
            target, email=email, lang=row["language"], name=row.get("name", ""), consent_source="roster"
        )
        for target, row, email in plan
    ]


def _check_row(row, session, sessions, known) -> tuple[list[str], TrainingSession | None, str]:
    messages = []
    email = row.get("email", "")
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        messages.append(_("“%(value)s” is not a valid e-mail address.", value=email))
    if email.lower() in known:
        messages.append(_("This e-mail address is already in the programme or twice in the file."))
    if not is_known_language(row.get("language", "")):
        messages.append(
            _("Unknown language code “%(value)s” (use e.g. de, en, tr).", value=row.get("language"))
        )
    target = _match_session(row.get("session", ""), session, sessions)
    if target is None:
        messages.append(_("No session “%(value)s” in this programme.", value=row.get("session")))
    return messages, target, email


def _match_session(value: str, default: TrainingSession, sessions: list[TrainingSession]):
    if not value:
        return default
    matches = [s for s in sessions if value in (s.held_on.isoformat(), f"{s.held_on.isoformat()} {s.place}")]
    return matches[0] if len(matches) == 1 else None


def _known_emails(programme_id: int) -> set[str]:
    emails = db.session.scalars(
        select(Contact.email)
        .join(Participant)
        .where(Participant.programme_id == programme_id, Contact.email.is_not(None))
    )
    return {email.lower() for email in emails}
