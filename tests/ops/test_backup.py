"""Backups: taken while respondents submit, restored to an identical database; a restore never silently
overwrites newer data."""
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from surveyapp import create_app
from surveyapp.extensions import db as _db
from tests.ops.respondent import answer_all
from tests.test_migrations import snapshot

RESPONDENTS, ROUNDS = 3, 4


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
