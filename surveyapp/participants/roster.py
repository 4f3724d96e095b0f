"""Roster import (CSV or XLSX): every row is checked first; one bad row and nothing is imported.

Columns (header names, any order, case-insensitive): name, email, language, session (optional: the session's
date "YYYY-MM-DD", or "YYYY-MM-DD place" when two sessions share a day; default: the chosen session).
Files are read within the bounds of `surveyapp.uploads` (size, rows, columns, time): CSV in Excel's dialects
(comma, semicolon or tab; UTF-8 with or without BOM, or Windows-1252), XLSX in openpyxl's read-only mode.
"""

from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.i18n import is_known_language
from surveyapp.participants.models import Contact, Participant, TrainingSession
from surveyapp.participants.service import add_participant, programme_sessions
from surveyapp.textclean import clean_text
from surveyapp.uploads import DEFAULT_SECONDS, Deadline, Limits, UploadRejected, column_letter, read_csv, read_xlsx

HEADERS = {
    "name": "name",
    "email": "email",
    "e-mail": "email",
    "language": "language",
    "lang": "language",
    "session": "session",
}
MAX_ROWS = 5000
MAX_COLUMNS = 26
MAX_NAME = 200  # Contact.name
MAX_LANGUAGE = 20  # Contact.lang
LISTED_ROWS = 200


@dataclass
class RowProblem:
    row: int
    messages: list[str] = field(default_factory=list)


class RosterRejected(DomainError):
    """The file is unusable, or some rows are: `problems` says which and why, `sheet` where (XLSX)."""

    status_code = 422

    def __init__(self, message, problems: list[RowProblem] | None = None, sheet: str = ""):
        super().__init__(message)
        self.problems = problems or []
        self.sheet = sheet


@dataclass
class Roster:
    """The rows of a roster file: (row number, {our column: text}); `columns` names each column for messages."""

    sheet: str
    columns: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]


def read_rows(filename: str, data: bytes, deadline: Deadline | None = None) -> Roster:
    """The file's rows keyed by our column names; RosterRejected for a wrong, unreadable or too large file."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    limits = Limits(MAX_ROWS, MAX_COLUMNS)
    deadline = deadline or Deadline(DEFAULT_SECONDS)
    if extension not in ("csv", "xlsx"):
        raise RosterRejected(_l("Please upload a .csv or .xlsx file."))
    try:
        table = read_csv(data, limits, deadline) if extension == "csv" else read_xlsx(data, limits, None, deadline)
    except UploadRejected as error:
        raise RosterRejected(error.message) from None
    if not table.rows:
        raise RosterRejected(_l("The file is empty."))
    titles = [title.strip() for title in table.rows[0][1]]
    index: dict[str, int] = {}
    for i, title in enumerate(titles):
        key = HEADERS.get(title.lower())
        if key and key not in index:  # a repeated column: the first one counts
            index[key] = i
    if "email" not in index or "language" not in index:
        raise RosterRejected(_l("The first row must name the columns: name, email, language, session."))
    columns = {key: f"{column_letter(i)} ({titles[i]})" for key, i in index.items()}
    rows = [(number, {key: line[i].strip() if i < len(line) else "" for key, i in index.items()})
            for number, line in table.rows[1:]]
    return Roster(table.sheet, columns, rows)


def import_roster(session: TrainingSession, filename: str, data: bytes,
                  seconds: float = DEFAULT_SECONDS) -> list[Participant]:
    """Check every row, then add them all (flush, no commit); RosterRejected with the row report otherwise."""
    deadline = Deadline(seconds)
    roster = read_rows(filename, data, deadline)
    sessions = programme_sessions(session.programme_id)
    known = _known_emails(session.programme_id)
    problems, plan = [], []
    for number, row in roster.rows:
        try:
            deadline.check()
        except UploadRejected as error:
            raise RosterRejected(error.message, sheet=roster.sheet) from None
        messages, target, email = _check_row(row, roster.columns, session, sessions, known)
        if messages:
            problems.append(RowProblem(number, messages))
        else:
            known.add(email.lower())
            plan.append((target, row, email))
    if problems:
        raise RosterRejected(lazy_ngettext("Nothing was imported: %(num)d row needs correcting.",
                                           "Nothing was imported: %(num)d rows need correcting.", len(problems)),
                             problems[:LISTED_ROWS], roster.sheet)
    return [
        add_participant(target, email=email, lang=row["language"], name=clean_text(row.get("name", "")),
                        consent_source="roster")
        for target, row, email in plan
    ]


def _check_row(row, columns, session, sessions, known) -> tuple[list[str], TrainingSession | None, str]:
    messages = []

    def problem(key: str, message: str) -> None:
        messages.append(_("Column %(column)s: %(problem)s", column=columns.get(key, key), problem=message))

    email = row.get("email", "")
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        problem("email", _("“%(value)s” is not a valid e-mail address.", value=_shown(email)))
    if email.lower() in known:
        problem("email", _("This e-mail address is already in the programme or twice in the file."))
    language = row.get("language", "")
    if len(language) > MAX_LANGUAGE or not is_known_language(language):
        problem("language", _("Unknown language code “%(value)s” (use e.g. de, en, tr).", value=_shown(language)))
    name = clean_text(row.get("name", ""))
    if len(name) > MAX_NAME:
        problem("name", _("The name is longer than %(max)s characters.", max=MAX_NAME))
    target = _match_session(row.get("session", ""), session, sessions)
    if target is None:
        problem("session", _("No session “%(value)s” in this programme.", value=_shown(row.get("session", ""))))
    return messages, target, email


def _shown(value: str) -> str:
    """A value quoted back in a message: cleaned and cut short."""
    value = clean_text(value)
    return value if len(value) <= 60 else value[:60] + "…"


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
