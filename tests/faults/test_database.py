"""The database fails during a request: connection lost mid-submit, locked, disk full, any outage.

Every case: the transaction rolls back, the client gets the translated 503 page with Retry-After (never a 500),
what was committed before stays, nothing is half-written, and sending the same form again stores it once.
"""
import sqlite3

import pytest
from sqlalchemy import event, func, select

from surveyapp.responses.models import Answer, Response
from tests.faults.conftest import (
    SECRET,
    Respondent,
    driver_error,
    failing_commit,
    failing_statement,
    outage_log_lines,
    terminated_on,
)

ANSWERS_INSERT = r"^\s*INSERT INTO answers"


def stored(db) -> list[tuple]:
    db.session.expire_all()
    return sorted(db.session.execute(
        select(Response.key, Response.submitted_at.is_not(None), Answer.value).join(Answer)).all())


def counts(db) -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Response)),
            db.session.scalar(select(func.count()).select_from(Answer)))


def assert_unavailable(result) -> None:
    assert result.status_code == 503
    assert int(result.headers["Retry-After"]) > 0
    html = result.get_data(as_text=True)
    assert "Temporarily unavailable" in html and "send your answers again" in html


def _submit_with_first_page_stored(client, survey):
    """Page 1 committed; returns the respondent and the form of page 2 (the one that will meet the fault)."""
    phone = Respondent(client, survey.slug)
    assert phone.post(phone.first_page()).status_code == 302
    return phone, phone.second_page()


def _retry_stores_once(db, phone, form, before) -> None:
    assert stored(db) == before  # page 1 as it was, nothing of page 2
    assert phone.post(form).status_code == 302  # the same POST again, same response key
    assert phone.post(form).status_code == 302  # a double tap after that changes nothing
    rows = stored(db)
    assert counts(db) == (1, 5)
    assert {value for _key, _done, value in rows} == {"4", "bike", "bus", "31", SECRET}
    assert all(done for _key, done, _value in rows)


def test_connection_error_on_the_answers_insert_rolls_back_and_the_retry_stores_once(db, client, survey, logs):
    phone, form = _submit_with_first_page_stored(client, survey)
    before = stored(db)
    with failing_statement(db, ANSWERS_INSERT, lambda: driver_error(db, "lost")) as left:
        result = phone.post(form)
    assert left[0] == 0, "the fault was not reached"
    assert_unavailable(result)
    _retry_stores_once(db, phone, form, before)
    outage_log_lines(logs)
    logs.assert_clean(SECRET, form["rk"])


def test_backend_terminated_mid_submit_gives_503_and_the_retry_stores_once(db, client, survey, logs, postgres_only):
    phone, form = _submit_with_first_page_stored(client, survey)
    before = stored(db)
    with terminated_on(db, ANSWERS_INSERT) as done:
        result = phone.post(form)
    assert done["killed"], "the backend was not terminated"
    assert_unavailable(result)
    _retry_stores_once(db, phone, form, before)  # the pool replaced the dead connection
    outage_log_lines(logs)
    logs.assert_clean(SECRET, form["rk"])


def test_sqlite_locked_past_the_busy_timeout_gives_503_and_keeps_committed_data(db, client, survey, logs,
                                                                                  sqlite_only):
    phone, form = _submit_with_first_page_stored(client, survey)
    before = stored(db)
    db.engine.dispose()
    event.listen(db.engine, "checkout", _short_busy_timeout)  # 10 s in production; 0.2 s here
    holder = sqlite3.connect(db.engine.url.database, timeout=30, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        result = phone.post(form)
        assert_unavailable(result)
        holder.execute("ROLLBACK")
    finally:
        holder.close()
        event.remove(db.engine, "checkout", _short_busy_timeout)
    _retry_stores_once(db, phone, form, before)
    outage_log_lines(logs)
    logs.assert_clean(SECRET)


def _short_busy_timeout(dbapi_connection, _record, _proxy):
    dbapi_connection.execute("PRAGMA busy_timeout=200")


def test_disk_full_at_commit_gives_503_and_nothing_half_written(db, client, survey, logs):
    phone, form = _submit_with_first_page_stored(client, survey)
    before = stored(db)
    with failing_commit(db, lambda: driver_error(db, "full")) as fault:
        result = phone.post(form)
    assert fault["failed"]
    assert_unavailable(result)
    _retry_stores_once(db, phone, form, before)
    outage_log_lines(logs)
    logs.assert_clean(SECRET)


def test_a_new_respondent_meeting_an_outage_leaves_no_response_behind(db, client, survey):
    phone = Respondent(client, survey.slug)
    form = phone.first_page()
    with failing_statement(db, ANSWERS_INSERT, lambda: driver_error(db, "io")):
        assert_unavailable(phone.post(form))
    assert counts(db) == (0, 0)  # the response row of the same transaction went too
    assert phone.post(form).status_code == 302
    assert counts(db) == (1, 3)


@pytest.mark.parametrize("url", ["/manage/", "/login", "/s/{slug}"])
def test_any_request_meeting_an_outage_gets_503_with_retry_after(db, client, survey, auth, make, logs, url):
    user = make.user()
    auth.login(user.email)
    email, url = user.email, url.format(slug=survey.slug)
    with failing_statement(db, r"^\s*SELECT", lambda: driver_error(db, "connect"), times=10**6):
        result = client.get(url)
    assert_unavailable(result)
    outage_log_lines(logs)
    logs.assert_clean(email)


def test_a_bug_in_sql_stays_a_500(db, client, survey):
    url = f"/s/{survey.slug}"
    with failing_statement(db, r"^\s*SELECT", lambda: driver_error(db, "bug"), times=10**6):
        assert client.get(url).status_code == 500


def test_staff_save_during_an_outage_is_rolled_back(db, client, survey, auth, make):
    from tests.questionnaires.builder import Builder

    manager = make.user(programme=survey.programme)
    auth.login(manager.email)
    builder = Builder(client)
    url = f"/manage/questionnaires/{survey.id}/texts?lang=en"
    with failing_commit(db, lambda: driver_error(db, "full")):
        result = builder.post(url, {"title": "Changed while the disk was full"})
    assert_unavailable(result)
    db.session.expire_all()
    assert survey.text("title", "en") == "Title en"


def test_every_pooled_connection_busy_past_the_pool_timeout_gives_503(app, survey):
    """All connections taken (a stuck worker thread, a long report): the request waits pool_timeout, then 503."""
    from surveyapp import create_app
    from surveyapp.extensions import db as extension

    config = {key: app.config[key] for key in ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    starved = create_app({**config, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0,
                                                                   "pool_timeout": 0.3}})
    url = f"/s/{survey.slug}"
    with starved.app_context():
        held = extension.engine.connect()  # the only connection in the pool
        try:
            result = starved.test_client().get(url)
        finally:
            held.close()
            extension.engine.dispose()
    assert_unavailable(result)
