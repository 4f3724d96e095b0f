"""The request hooks record staff changes with their commit, audited reads and refused attempts."""
import pytest
from sqlalchemy import func, select

from surveyapp import create_app
from surveyapp.accounts.models import Role
from surveyapp.audit import trail
from surveyapp.audit.chain import verify
from surveyapp.questionnaires.models import Questionnaire
from tests import panel_factories as panel
from tests.audit.helpers import detail, events
from tests.conftest import Auth, IsolatedClient
from tests.questionnaires.builder import Builder, id_from


def test_a_change_is_recorded_with_who_what_and_where(client, make, auth, db):
    programme = make.programme()
    manager = make.user(Role.MANAGER, programme)
    auth.login(manager.email)
    created = Builder(client).create(programme.id)
    qid = id_from(created.location, "questionnaires")
    [event] = events(db, "questionnaire.create")
    assert (event.actor_id, event.actor, event.ip, event.outcome) == (manager.id, manager.email, "127.0.0.1", "ok")
    assert f"questionnaires:{qid}" in detail(event)["created"]
    assert detail(event)["method"] == "POST"
    assert verify(db.session).intact


def test_item_change_and_deletion_name_their_rows(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    item_id = questionnaire.items[0].id
    auth.login(make.user(Role.MANAGER, programme).email)
    b = Builder(client)
    assert b.post(f"/manage/items/{item_id}/move", {"direction": "down"}).status_code == 302
    assert b.post(f"/manage/items/{item_id}/delete").status_code == 302
    [moved] = events(db, "item.move")
    [deleted] = events(db, "item.delete")
    assert moved.target == deleted.target == f"item:{item_id}"
    assert f"items:{item_id}" in detail(deleted)["deleted"]


def test_exports_reports_and_contact_pages_are_recorded(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    session = panel.session(db, programme)
    participant = panel.participant(db, session, email="reader-secret@example.org")
    auth.login(make.user(Role.MANAGER, programme).email)
    for url in (f"/manage/questionnaires/{questionnaire.id}/export.csv",
                f"/manage/questionnaires/{questionnaire.id}/export.xlsx",
                f"/manage/questionnaires/{questionnaire.id}/report",
                f"/manage/programmes/{programme.id}/panel.csv",
                f"/manage/questionnaires/{questionnaire.id}/translations/texts.xlsx",
                f"/manage/sessions/{session.id}",
                f"/manage/participants/{participant.id}"):
        response = client.get(url)
        response.get_data()
        response.close()
        assert response.status_code == 200, url
    recorded = [(e.action, e.target) for e in events(db) if e.action != "participant.create"]
    assert recorded == [
        ("export.csv", f"questionnaire:{questionnaire.id}"), ("export.xlsx", f"questionnaire:{questionnaire.id}"),
        ("report.preview", f"questionnaire:{questionnaire.id}"), ("export.panel_csv", f"programme:{programme.id}"),
        ("export.translation_workbook", f"questionnaire:{questionnaire.id}"),
        ("participant.read_list", f"session:{session.id}"),
        ("participant.read_contact", f"participant:{participant.id}"),
    ]
    assert all("reader-secret" not in e.detail for e in events(db))


def test_unaudited_pages_and_anonymous_requests_leave_no_event(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    assert client.get(f"/manage/questionnaires/{questionnaire.id}/export.csv").status_code == 302  # to login
    auth.login(make.user(Role.MANAGER, programme).email)
    assert client.get("/manage/").status_code == 200
    assert client.get(f"/manage/questionnaires/{questionnaire.id}").status_code == 200
    assert events(db) == []


def test_refused_attempt_is_recorded_and_nothing_else(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    evaluator = make.user(Role.EVALUATOR, programme)
    auth.login(evaluator.email)
    b = Builder(client)
    response = b.post(f"/manage/questionnaires/{questionnaire.id}/status", {"action": "close"})
    assert response.status_code == 403
    [event] = events(db)
    assert (event.action, event.outcome, event.actor_id) == ("questionnaire.status", "refused", evaluator.id)
    assert detail(event)["status"] == 403


def test_a_request_that_commits_nothing_is_recorded_as_such(client, make, auth, db):
    programme = make.programme()
    session = panel.session(db, programme)
    auth.login(make.user(Role.MANAGER, programme).email)
    response = Builder(client).post(f"/manage/sessions/{session.id}/participants", {"email": "not an address"})
    assert response.status_code == 302  # back to the session page with the form's errors
    [event] = events(db, "participant.create")
    assert detail(event)["status"] == 302 and "created" not in detail(event)


def test_change_is_not_committed_when_its_event_cannot_be_written(client, make, auth, db, monkeypatch):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    b = Builder(client)

    def broken(*_args, **_kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(trail, "record", broken)
    assert b.create(programme.id).status_code == 500
    assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == 0


def test_read_is_not_served_when_its_event_cannot_be_written(client, make, auth, db, monkeypatch):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    auth.login(make.user(Role.MANAGER, programme).email)
    monkeypatch.setattr(trail, "record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("down")))
    with pytest.raises(RuntimeError):  # raised after the view: Flask answers 500 (the test client re-raises)
        client.get(f"/manage/questionnaires/{questionnaire.id}/report")


def test_behind_a_trusted_proxy_the_client_address_is_recorded(app, client, make, auth, db):
    proxied = create_app({**app.config, "PROXY_FIX_X_FOR": 1})
    proxied.test_client_class = IsolatedClient
    proxied_client = proxied.test_client()
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    manager = make.user(Role.MANAGER, programme)
    Auth(proxied_client).login(manager.email)
    response = proxied_client.get(f"/manage/questionnaires/{questionnaire.id}/report",
                                  headers={"X-Forwarded-For": "203.0.113.7"})
    with proxied.app_context():  # a second app has engines of its own: close their connections now
        db.engine.dispose()
    assert response.status_code == 200
    [event] = events(db, "report.preview")
    assert event.ip == "203.0.113.7"
