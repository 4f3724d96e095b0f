"""Backups an operator can trust: consistent while the app runs, and a restore that will not silently go back
in time.

SQLite: sqlite3's online backup API copies the database in one read transaction, a consistent snapshot even
while respondents submit. PostgreSQL: pg_dump (custom format, itself a consistent snapshot) and pg_restore;
without those tools the commands to run are printed. A restore is refused when the database to overwrite holds
newer data than the backup (its latest response, audit event or sent invitation), unless forced.
Backups hold contact data and answers: their files are readable by their owner only, and the database password
reaches pg_dump through its environment, never its command line (which `ps` shows every user) or the output.
"""
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, func, inspect, make_url, select

from surveyapp.audit.models import AuditEvent
from surveyapp.responses.models import Response
from surveyapp.waves.models import Invitation
from surveyapp.waves.scheduling import aware

# Columns that move forward with every respondent, staff action and letter: their newest value dates the data.
ACTIVITY = (Response.started_at, Response.submitted_at, AuditEvent.created_at, Invitation.last_sent_at)
PRIVATE = 0o600


class BackupRefused(Exception):
    """Nothing was written; the message says why and what to do (a command-line message, not a web page)."""


@dataclass
class Outcome:
    done: bool
    message: str


def latest_activity(engine: Engine) -> datetime | None:
    """The newest moment recorded in the data, or None for an empty (or not yet migrated) database."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        moments = [conn.scalar(select(func.max(column))) for column in ACTIVITY if column.table.name in tables]
    moments = [aware(moment) for moment in moments if moment is not None]
    return max(moments, default=None)


def create(engine: Engine, path: Path) -> Outcome:
    _claim(path)
    if engine.dialect.name == "sqlite":
        _sqlite_copy(engine, sqlite3.connect(path))
        return Outcome(True, f"backed up to {path}")
    marker = latest_activity(engine)
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={path}", "--dbname", _libpq_url(engine)]
    outcome = _run(command, engine)
    if not outcome.done:  # an empty or partial file is no backup, and would block the next attempt's name
        path.unlink(missing_ok=True)
        return outcome
    # pg_dump's archive cannot carry it: the restore reads how recent the backup is here
    _write_private(_marker_path(path), json.dumps({"latest_activity": marker.isoformat() if marker else None}))
    return outcome


def _claim(path: Path) -> None:
    """Create the backup's file, empty and owner-only, refusing an existing one (even one created meanwhile)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    except FileExistsError:
        raise BackupRefused(f"{path} exists already; choose a new file name") from None


def _write_private(path: Path, content: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    os.fchmod(descriptor, PRIVATE)  # a file left there before keeps its mode through O_TRUNC
    with os.fdopen(descriptor, "w") as file:
        file.write(content)


def restore(engine: Engine, path: Path, force: bool = False) -> Outcome:
    if not path.is_file():
        raise BackupRefused(f"no backup at {path}")
    if not force:
        _refuse_going_back(engine, _backup_activity(engine, path))
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            with engine.connect() as conn:  # the live database's own connection: its locks, its WAL
                source.backup(conn.connection.driver_connection)
        finally:
            source.close()
        engine.dispose()  # pooled connections must not keep pages of the database as it was
        return Outcome(True, f"restored from {path}; run flask db upgrade if the backup is older than the code")
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
               "--dbname", _libpq_url(engine), str(path)]
    return _run(command, engine)


def _sqlite_copy(engine: Engine, target: sqlite3.Connection) -> None:
    try:
        with engine.connect() as conn:
            conn.connection.driver_connection.backup(target)  # all pages in one step: one snapshot
    finally:
        target.close()


def _backup_activity(engine: Engine, path: Path) -> datetime | None:
    if engine.dialect.name == "sqlite":
        backup = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
        try:
            return latest_activity(backup)
        finally:
            backup.dispose()
    marker = _marker_path(path)
    if not marker.is_file():
        raise BackupRefused(f"{marker.name} is missing, so the backup's age is unknown: "
                            "check it is the backup you want, then restore with --force")
    moment = json.loads(marker.read_text())["latest_activity"]
    return datetime.fromisoformat(moment) if moment else None


def _refuse_going_back(engine: Engine, backed_up: datetime | None) -> None:
    current = latest_activity(engine)
    if current is not None and (backed_up is None or current > backed_up):
        raise BackupRefused(f"the database holds newer data ({current:%Y-%m-%d %H:%M:%S} UTC) than the backup "
                            f"({f'{backed_up:%Y-%m-%d %H:%M:%S} UTC' if backed_up else 'empty'}); "
                            "restore with --force to overwrite it")


def _marker_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _libpq_url(engine: Engine) -> str:
    """The database URL for pg_dump/pg_restore, without the driver suffix and without the password (that goes
    through PGPASSWORD, not the command line other users can read). URL.set(password=None) would keep it."""
    url = make_url(engine.url)._replace(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def _run(command: list[str], engine: Engine) -> Outcome:
    shown = " ".join(command)
    if shutil.which(command[0]) is None:
        return Outcome(False, f"{command[0]} is not installed here; run (PGPASSWORD in the environment): {shown}")
    env = {**os.environ}
    if engine.url.password:
        env["PGPASSWORD"] = engine.url.password
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False,  # noqa: S603
                          umask=0o077)  # whatever pg_dump creates beside the claimed file is private too
    if done.returncode != 0:
        return Outcome(False, f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return Outcome(True, f"{command[0]} done: {shown}")
