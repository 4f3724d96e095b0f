"""Hostile cases of the audit trail: non-admins at /admin/audit, foreign-programme attempts (refused, and
recorded as refused), tampering with stored events, formula cells in the CSV, wildcard and oversized filters.

Each case: the expected status, no data row changed (only the trail may grow, by a refused or read event),
nothing secret in the logs.
"""
import csv
import io

import pytest
from sqlalchemy import text

from surveyapp.accounts.models import Role
from surveyapp.audit.service import record
from tests import panel_factories as panel
from tests.audit.helpers import detail, events
from tests.audit.tampering import tampering
from tests.conftest import csrf_token

EMAIL = "contact-secret@example.org"


def _data(row_counts) -> dict:
    return row_counts(audit=False)


@pytest.fixture
def world(db, make):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    session = panel.session(db, programme)
    participant = panel.participant(db, session, email=EMAIL)
    return {"programme": programme, "questionnaire": questionnaire, "session": session, "participant": participant,
            "item": questionnaire.items[0]}


@pytest.mark.parametrize("url", ["/admin/audit/", "/admin/audit/export.csv"])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.EVALUATOR])
def test_non_admins_are_refused_the_trail_and_the_refusal_is_recorded(client, make, auth, db, row_counts, logs,
                                                                      url, role):
    user = make.user(role)
    record("export.csv", target="questionnaire:1", actor="someone@example.org")
    db.session.commit()
    auth.login(user.email)
    before = _data(row_counts)
    response = client.get(url)
    assert response.status_code == 403
    assert "someone@example.org" not in response.get_data(as_text=True)
    assert _data(row_counts) == before
    [refused] = [e for e in events(db) if e.outcome == "refused"]
    assert refused.action.startswith("audit.") and refused.actor_id == user.id
    logs.assert_clean("someone@example.org")


def test_anonymous_is_sent_to_login_and_nothing_is_recorded(client, db, row_counts, logs):
    before = row_counts()
    response = client.get("/admin/audit/export.csv")
    assert response.status_code == 302 and "/login" in response.location
    assert row_counts() == before


FOREIGN = [
    ("POST", "/manage/questionnaires/{questionnaire}/status", {"action": "close"}, "questionnaire.status"),
    ("POST", "/manage/items/{item}/delete", {}, "item.delete"),
    ("POST", "/manage/sessions/{session}/participants", {"email": "x@example.org"}, "participant.create"),
    ("GET", "/manage/participants/{participant}", None, "participant.read_contact"),
    ("GET", "/manage/questionnaires/{questionnaire}/export.csv", None, "export.csv"),
    ("GET", "/manage/programmes/{programme}/panel.csv", None, "export.panel_csv"),
]


@pytest.mark.parametrize(("method", "url", "data", "action"), FOREIGN, ids=[case[3] for case in FOREIGN])
def test_foreign_programme_attempts_are_refused_and_recorded(client, make, auth, db, world, row_counts, logs,
                                                            method, url, data, action):
    outsider = make.user(Role.MANAGER, make.programme())
    auth.login(outsider.email)
    url = url.format(**{name: row.id for name, row in world.items()})
    before = _data(row_counts)
    if method == "POST":
        response = client.post(url, data={"csrf_token": csrf_token(client, "/manage/"), **data})
    else:
        response = client.get(url)
    assert response.status_code == 403
    assert _data(row_counts) == before
    [event] = events(db)
    assert (event.action, event.outcome, event.actor_id) == (action, "refused", outsider.id)
    assert EMAIL not in response.get_data(as_text=True) and EMAIL not in event.detail
    logs.assert_clean(EMAIL)


def _chain(db, n=3):
    ids = [record(f"test.{k}", target=f"questionnaire:{k}", actor="cli").id for k in range(n)]
    db.session.commit()
    return ids


def _edit(conn, ids):
    conn.execute(text("UPDATE audit_events SET actor = 'nobody' WHERE id = :id"), {"id": ids[1]})


def _delete(conn, ids):
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL surveyapp.audit_allow_delete = 'on'"))
    conn.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[1]})


def _reorder(conn, ids):
    for seq, row in ((-1, ids[1]), (2, ids[2]), (3, ids[1])):
        conn.execute(text("UPDATE audit_events SET seq = :seq WHERE id = :id"), {"seq": seq, "id": row})


@pytest.mark.parametrize("tamper", [_edit, _delete, _reorder], ids=["edited", "deleted", "reordered"])
def test_tampering_is_detected(runner, db, row_counts, logs, tamper):
    ids = _chain(db)
    with tampering(db) as conn:
        tamper(conn, ids)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "chain broken at event seq" in result.output


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("formula", FORMULAS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
def test_csv_export_neutralises_formula_cells(client, make, auth, db, row_counts, logs, formula):
    record("test.hostile", target=formula, actor=formula, detail={"x": formula})
    db.session.commit()
    auth.login(make.user(Role.ADMIN).email)
    before = _data(row_counts)
    response = client.get("/admin/audit/export.csv?action=test.")
    assert response.status_code == 200
    [header, row] = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    for column in ("actor", "target"):
        cell = row[header.index(column)]
        assert cell.startswith("'") and cell[1:].strip() == formula.strip(), column
    assert not any(cell[:1] in "=+-@\t\r" for cell in row if cell and not cell.lstrip("-").isdigit())
    assert _data(row_counts) == before


@pytest.mark.parametrize("query", ["actor=%25", "actor=_", "action=%25", "target=%27%20OR%201%3D1%20--"],
                         ids=["percent", "underscore", "action-percent", "sql"])
def test_filters_are_literal_text(client, make, auth, db, row_counts, logs, query):
    record("export.csv", target="questionnaire:1", actor="anna@example.org")
    db.session.commit()
    auth.login(make.user(Role.ADMIN).email)
    before = _data(row_counts)
    response = client.get(f"/admin/audit/?{query}")
    assert response.status_code == 200
    assert "anna@example.org" not in response.get_data(as_text=True)
    assert _data(row_counts) == before


def test_oversized_filter_is_a_422(client, make, auth, db, row_counts, logs):
    auth.login(make.user(Role.ADMIN).email)
    before = _data(row_counts)
    assert client.get("/admin/audit/?actor=" + "a" * 5000).status_code == 422
    assert _data(row_counts) == before


@pytest.mark.parametrize("page", ["9" * 400, "1e999999", "Infinity", "-1", "0", "\u0661\u0662" + "9" * 30])
def test_hostile_page_numbers_are_a_422(client, make, auth, db, row_counts, logs, page):
    auth.login(make.user(Role.ADMIN).email)
    before = _data(row_counts)
    for url in ("/admin/audit/", "/admin/audit/export.csv"):
        assert client.get(url, query_string={"page": page}).status_code == 422
    assert _data(row_counts) == before


def test_recorded_changes_name_rows_not_contact_data(client, make, auth, db, world, row_counts, logs):
    auth.login(make.user(Role.MANAGER, world["programme"]).email)
    token = csrf_token(client, "/manage/")
    response = client.post(f"/manage/sessions/{world['session'].id}/participants",
                           data={"csrf_token": token, "email": "new-secret@example.org", "lang": "de",
                                 "name": "Secret Name", "consent": "y"})
    assert response.status_code == 302
    [event] = events(db, "participant.create")
    assert "new-secret" not in event.detail and "Secret Name" not in event.detail
    assert any(row.startswith("participants:") for row in detail(event)["created"])
    logs.assert_clean("new-secret@example.org", "Secret Name", EMAIL)


@pytest.mark.parametrize("until", ["9999-12-31", "0001-01-01"])
def test_extreme_dates_filter_without_error(client, make, auth, db, row_counts, logs, until):
    auth.login(make.user(Role.ADMIN).email)
    before = _data(row_counts)
    for url in ("/admin/audit/", "/admin/audit/export.csv"):
        for name in ("since", "until"):
            response = client.get(url, query_string={name: until})
            response.get_data()
            assert response.status_code == 200, (url, name)
    assert _data(row_counts) == before
    assert "Error" not in logs.text
