"""Backups: taken while respondents submit, restored to an identical database; a restore never silently
overwrites newer data."""
import os
import sqlite3
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from surveyapp import create_app
from surveyapp.extensions import db as _db
from surveyapp.ops import backup
from tests.ops.respondent import answer_all
from tests.test_migrations import snapshot

RESPONDENTS, ROUNDS = 3, 4
SECRET = "Sup3rS3cret"  # the local PostgreSQL trusts 127.0.0.1: any password connects


def is_sqlite(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


@pytest.fixture
def other_database(app, tmp_path):
    """A new, empty database beside the test's: a file on SQLite, a fresh database on PostgreSQL."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if is_sqlite(app):
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name = f"{make_url(url).database}_r{uuid.uuid4().hex[:6]}"
    admin = create_engine(make_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["backup", *args])
    return result.exit_code, result.output


def restored_snapshot(url: str, path: Path, *extra) -> dict:
    """Restore `path` into the database at `url` through the command an operator runs, then read it back."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        code, output = run(app, "restore", str(path), *extra)
        assert code == 0, output
        _db.engine.dispose()
    engine = create_engine(url)
    try:
        return snapshot(engine)
    finally:
        engine.dispose()


def submitted(db) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(text("SELECT count(*) FROM responses WHERE submitted_at IS NOT NULL"))


def respondents_submitting(app, slug: str, stop: threading.Event) -> list[threading.Thread]:
    def respondent(number: int) -> None:
        for round_ in range(ROUNDS * 10):
            if stop.is_set() and round_ >= ROUNDS:
                return
            answer_all(app.test_client(), f"/s/{slug}?lang=de", f"text {number}-{round_}")

    threads = [threading.Thread(target=respondent, args=(n,)) for n in range(RESPONDENTS)]
    for thread in threads:
        thread.start()
    return threads


def test_backup_during_submissions_restores_identical(app, db, make, tmp_path, other_database):
    if not is_sqlite(app):
        pytest.skip("the online backup API is SQLite's; PostgreSQL: test_postgres_backup_round_trip")
    questionnaire = make.questionnaire(items=[("note", "text", False, 1, {}, []), ("age", "number", True, 2, {}, [])])
    stop = threading.Event()
    threads = respondents_submitting(app, questionnaire.slug, stop)
    deadline = time.monotonic() + 30
    while submitted(db) < RESPONDENTS and time.monotonic() < deadline:  # the backup meets a running load
        time.sleep(0.02)
    during = tmp_path / "during.sqlite"
    code, output = run(app, "create", str(during))
    stop.set()
    for thread in threads:
        thread.join()
    assert code == 0, output
    check = create_engine(f"sqlite:///{during}")
    with check.connect() as conn:
        assert conn.scalar(text("PRAGMA integrity_check")) == "ok"
        assert not conn.execute(text("PRAGMA foreign_key_check")).all()
    taken = snapshot(check)
    check.dispose()
    assert taken == restored_snapshot(other_database, during)  # what was backed up comes back

    after = tmp_path / "after.sqlite"
    assert run(app, "create", str(after))[0] == 0
    db.session.remove()
    live = snapshot(db.engine)
    assert len(live["responses"]["rows"]) >= RESPONDENTS * ROUNDS > len(taken["responses"]["rows"]) > 0  # mid-load
    assert live == restored_snapshot(other_database, after, "--force")  # the other database held `during`


def test_restore_refuses_to_overwrite_newer_data_unless_forced(app, db, make, tmp_path):
    questionnaire = make.questionnaire(items=[("age", "number", True, 1, {}, [])])
    answer_all(app.test_client(), f"/s/{questionnaire.slug}?lang=de", "")
    path = tmp_path / ("old.sqlite" if is_sqlite(app) else "old.dump")
    code, output = run(app, "create", str(path))
    assert code == 0, output
    assert run(app, "create", str(path))[0] != 0  # never overwrites a file
    answer_all(app.test_client(), f"/s/{questionnaire.slug}?lang=de", "")
    db.session.remove()
    newer = snapshot(db.engine)
    code, output = run(app, "restore", str(path))
    assert code != 0 and "holds newer data" in output and "--force" in output
    db.session.remove()
    assert snapshot(db.engine) == newer  # nothing changed
    code, output = run(app, "restore", str(path), "--force")
    assert code == 0, output
    db.session.remove()
    assert len(snapshot(db.engine)["responses"]["rows"]) == len(newer["responses"]["rows"]) - 1


def test_postgres_backup_round_trip(app, db, make, tmp_path, other_database):
    if is_sqlite(app):
        pytest.skip("pg_dump / pg_restore")
    questionnaire = make.questionnaire(items=[("note", "text", False, 1, {}, [])])
    answer_all(app.test_client(), f"/s/{questionnaire.slug}?lang=de", "a note")
    path = tmp_path / "surveyapp.dump"
    code, output = run(app, "create", str(path))
    assert code == 0, output
    db.session.remove()
    assert snapshot(db.engine) == restored_snapshot(other_database, path)


def test_backup_files_are_readable_by_their_owner_only(app, db, tmp_path):
    path = tmp_path / ("private.sqlite" if is_sqlite(app) else "private.dump")
    permissive = os.umask(0o022)
    try:
        code, output = run(app, "create", str(path))
    finally:
        os.umask(permissive)
    assert code == 0, output
    files = [path] if is_sqlite(app) else [path, path.with_name(path.name + ".json")]
    assert {oct(file.stat().st_mode & 0o777) for file in files} == {"0o600"}


@pytest.fixture
def commands_run(monkeypatch) -> list[tuple[list[str], dict]]:
    """Every command the backup runs, with its environment, run for real."""
    calls, real = [], subprocess.run

    def record(command, **options):
        calls.append((command, options["env"]))
        return real(command, **options)

    monkeypatch.setattr(backup.subprocess, "run", record)
    return calls


def test_pg_dump_and_pg_restore_get_the_password_through_their_environment_only(app, db, tmp_path, commands_run):
    if is_sqlite(app):
        pytest.skip("pg_dump / pg_restore")
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    password = url.password or SECRET
    other = create_app({"TESTING": True, "SECRET_KEY": "x",
                        "SQLALCHEMY_DATABASE_URI": url.set(password=password).render_as_string(hide_password=False)})
    path = tmp_path / "surveyapp.dump"
    with other.app_context():
        outputs = [run(other, "create", str(path)), run(other, "restore", str(path), "--force")]
        _db.engine.dispose()
    assert [code for code, _ in outputs] == [0, 0], outputs
    assert [command[0] for command, _ in commands_run] == ["pg_dump", "pg_restore"]
    for command, env in commands_run:
        assert password not in " ".join(command) and env["PGPASSWORD"] == password
    assert all(password not in output for _, output in outputs)


def test_without_the_client_tools_the_commands_shown_hold_no_password(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup, "latest_activity", lambda engine: None)
    engine = create_engine(f"postgresql+psycopg://surveyapp:{SECRET}@127.0.0.1:1/surveyapp")
    path = tmp_path / "surveyapp.dump"
    created = backup.create(engine, path)
    assert not created.done and not path.exists()  # no empty file left to block the name
    path.write_bytes(b"")
    restored = backup.restore(engine, path, force=True)
    for outcome, tool in ((created, "pg_dump"), (restored, "pg_restore")):
        assert f"{tool} is not installed" in outcome.message and SECRET not in outcome.message
        assert "postgresql://surveyapp@127.0.0.1:1/surveyapp" in outcome.message


def test_restore_counts_every_timestamp_column_as_newer_data(app, db, make, tmp_path):
    questionnaire = make.questionnaire(items=[("age", "number", True, 1, {}, [])])
    answer_all(app.test_client(), f"/s/{questionnaire.slug}?lang=de", "")
    path = tmp_path / ("old.sqlite" if is_sqlite(app) else "old.dump")
    assert run(app, "create", str(path))[0] == 0
    time.sleep(0.01)
    from surveyapp.polls.models import PollSession  # a workshop's live poll, started after the backup

    db.session.add(PollSession(programme_id=questionnaire.programme_id, title="Workshop", code="ABC234", lang="de"))
    db.session.commit()
    code, output = run(app, "restore", str(path))
    assert code != 0 and "holds newer data" in output


def test_restore_refuses_what_is_not_a_surveyapp_backup_in_one_line(app, db, tmp_path):
    if not is_sqlite(app):
        pytest.skip("pg_restore checks its own archive format")
    text_file, foreign = tmp_path / "notes.txt", tmp_path / "other.sqlite"
    text_file.write_text("not a database\n" * 100)
    with sqlite3.connect(foreign) as other_application:
        other_application.execute("CREATE TABLE t (x INTEGER)")
    for path in (text_file, foreign):
        code, output = run(app, "restore", str(path), "--force")
        assert code != 0 and output.count("\n") == 1 and "is not a surveyapp backup" in output, output
    code, output = run(app, "create", str(tmp_path / "missing" / "b.sqlite"))
    assert code != 0 and "there is no directory" in output and "Traceback" not in output


def test_postgres_restore_refused_while_other_connections_are_open(app, db, tmp_path):
    if is_sqlite(app):
        pytest.skip("SQLite cannot tell: docs/deploy.md says to stop the app first")
    path = tmp_path / "same.dump"
    assert run(app, "create", str(path))[0] == 0
    still_running = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])  # the app, still running
    try:
        with still_running.connect():
            code, output = run(app, "restore", str(path))
    finally:
        still_running.dispose()
    assert code != 0 and "stop the app and the dispatcher first" in output
