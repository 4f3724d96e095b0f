"""Fixtures of the hostile-input suite: row counts before/after an attack, and the captured log to grep."""
import logging

import pytest
from sqlalchemy import func, select


@pytest.fixture
def row_counts(db):
    """Call to get {table: rows} for every table; compare before and after an attack.

    `audit=False` leaves the audit trail out: a refused request, an export or a report is itself recorded.
    """

    def counts(*, audit: bool = True) -> dict[str, int]:
        db.session.expire_all()
        return {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables if audit or table.name != "audit_events"}

    return counts


class LogCheck:
    def __init__(self, caplog):
        self.caplog = caplog

    @property
    def text(self) -> str:
        return "\n".join(record.getMessage() + "\n" + (self._exc(record)) for record in self.caplog.records)

    @staticmethod
    def _exc(record) -> str:
        return logging.Formatter().formatException(record.exc_info) if record.exc_info else ""

    def assert_clean(self, *secrets: str) -> None:
        """No secret (contact data, answer value, token) appears in any captured log line or traceback."""
        text = self.text
        leaked = [secret for secret in secrets if secret and secret in text]
        assert not leaked, f"found in the logs: {leaked}"


@pytest.fixture
def logs(caplog):
    """Everything logged during the test at INFO and above, SQLAlchemy and werkzeug included."""
    caplog.set_level(logging.INFO)
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "werkzeug", "surveyapp", "flask.app"):
        caplog.set_level(logging.INFO, logger=name)
    return LogCheck(caplog)
