"""Backups an operator can trust: consistent while the app runs, and a restore that will not silently go back
in time.

SQLite: sqlite3's online backup API copies the database in one read transaction, a consistent snapshot even
while respondents submit. PostgreSQL: pg_dump (custom format, itself a consistent snapshot) and pg_restore;
without those tools the commands to run are printed. A restore is refused when the database to overwrite holds
newer data than the backup (the newest value of any timestamp column of any table: responses, votes, kiosk
submissions, visits, audit events, letters...), unless forced, and on PostgreSQL while other connections (the app,
the dispatcher) are open on it. SQLite cannot tell: stop the app and the dispatcher first.
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

from sqlalchemy import DateTime, Engine, MetaData, create_engine, func, make_url, select, text

from surveyapp.waves.scheduling import aware

PRIVATE = 0o600


class BackupRefused(Exception):
    """Nothing was written; the message says why and what to do (a command-line message, not a web page)."""


@dataclass
class Outcome:
    done: bool
    message: str


def latest_activity(engine: Engine) -> datetime | None:
    """The newest moment recorded in the data, or None for an empty (or not yet migrated) database: every
    timestamp column of every table, read from the schema itself, so a feature's new table counts too."""
    schema = MetaData()
    with engine.connect() as conn:
        schema.reflect(conn)
        moments = [conn.scalar(select(func.max(column))) for table in schema.sorted_tables
                   for column in table.columns if isinstance(column.type, DateTime)]
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
    except FileNotFoundError:
        raise BackupRefused(f"there is no directory {path.parent}; create it first") from None


def _write_private(path: Path, content: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    os.fchmod(descriptor, PRIVATE)  # a file left there before keeps its mode through O_TRUNC
    with os.fdopen(descriptor, "w") as file:
        file.write(content)


def restore(engine: Engine, path: Path, force: bool = False, revisions: set[str] | None = None) -> Outcome:
    """Replace the database by the backup; `revisions`: the migrations the code knows (a SQLite backup at
    another one is not surveyapp's, or newer than the code)."""
    if not path.is_file():
        raise BackupRefused(f"no backup at {path}")
    if engine.dialect.name == "sqlite":
        _refuse_foreign(path, revisions)
    if not force:
        _refuse_going_back(engine, _backup_activity(engine, path))
        _refuse_while_connected(engine)
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


def _refuse_foreign(path: Path, revisions: set[str] | None) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as backup:
            found = backup.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:  # not a database, or one without surveyapp's migrations
        raise BackupRefused(f"{path} is not a surveyapp backup (no SQLite database with its migrations)") from None
    if not found or (revisions is not None and not {row[0] for row in found} <= revisions):
        raise BackupRefused(f"{path} is not at a migration this surveyapp knows (another application's "
                            "database, or a backup from a newer version): nothing restored")


def _refuse_while_connected(engine: Engine) -> None:
    """PostgreSQL: the app or the dispatcher still connected would write between the restore's steps."""
    if engine.dialect.name != "postgresql":
        return
    engine.dispose()  # our own pooled connections are not the ones meant
    with engine.connect() as conn:
        others = conn.scalar(text("SELECT count(*) FROM pg_stat_activity "
                                  "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    engine.dispose()
    if others:
        raise BackupRefused(f"{others} other connection(s) to the database are open: stop the app and the "
                            "dispatcher first (or restore with --force)")


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
