"""The programme screens through the test client: create, rename, archive with confirmation, the lists, roles."""
import pytest
from sqlalchemy import func, select

from surveyapp.accounts.models import Membership, Role
from surveyapp.audit.models import AuditEvent
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.models import Questionnaire
from tests.conftest import csrf_token
from tests.questionnaires.builder import Builder, id_from

NEW = {"code": "close-to", "name": "Close To", "pathway": "phineo", "contact_retention_months": "24"}


def _post(client, url: str, data: dict | None = None, token: str | None = None):
    return client.post(url, data={"csrf_token": token or csrf_token(client, "/manage/programmes/"), **(data or {})})


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_programme_is_created_in_the_ui(client, auth, make, db):
    """Done when: an admin creates a programme and adds a manager, who creates a questionnaire in it."""
    manager = make.user(Role.MANAGER, make.programme(code="elsewhere"))
    auth.login(make.user(Role.ADMIN).email)
    assert "New programme" in client.get("/manage/programmes/").get_data(as_text=True)
    created = _post(client, "/manage/programmes/new", NEW)
    assert created.status_code == 302
    programme_id = id_from(created.location, "programmes")
    page = client.get(created.location).get_data(as_text=True)
    assert "Close To" in page and "close-to" in page and "No members yet." in page
    added = _post(client, f"/manage/programmes/{programme_id}/members", {"email": manager.email.upper(),
                                                                         "role": "manager"})
    assert added.status_code == 302
    assert manager.email in client.get(added.location).get_data(as_text=True)
    auth.logout()

    auth.login(manager.email)
    builder = Builder(client)
    assert f'value="{programme_id}"' in client.get("/manage/questionnaires/new").get_data(as_text=True)
    made = builder.create(programme_id, slug="nachher")
    assert made.status_code == 302
    questionnaire = db.session.get(Questionnaire, id_from(made.location, "questionnaires"))
    assert questionnaire.programme.code == "close-to"
    programme = db.session.get(Programme, programme_id)
    assert (programme.name, programme.pathway, programme.contact_retention_months) == ("Close To", "phineo", 24)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"programme.create", "membership.create", "questionnaire.create"} <= actions
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "programme.create"))
    assert event.target == f"programme:{programme_id}"


@pytest.mark.parametrize(("data", "message"), [
    ({**NEW, "code": "TAKEN"}, "exists already"),
    ({**NEW, "code": "close to"}, "2 to 40 characters"),
    ({**NEW, "code": "x" * 41}, "2 to 40 characters"),
    ({**NEW, "name": "   "}, "This field is required"),
    ({**NEW, "contact_retention_months": "0"}, "between 1 and 240"),
    ({**NEW, "contact_retention_months": "9" * 40}, "whole number"),
    ({**NEW, "pathway": "nope"}, "Not a valid choice"),
], ids=["duplicate", "space", "long", "no-name", "months", "huge", "pathway"])
def test_bad_input_is_a_422_with_the_message_and_nothing_stored(client, auth, make, db, data, message):
    make.programme(code="Taken")
    auth.login(make.user(Role.ADMIN).email)
    before = _count(db, Programme)
    response = _post(client, "/manage/programmes/new", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db, Programme) == before


def test_rename_keeps_the_code_and_refuses_an_empty_name(client, auth, make, db):
    programme = make.programme(code="closeto", name="Close To")
    auth.login(make.user(Role.ADMIN).email)
    url = f"/manage/programmes/{programme.id}"
    assert _post(client, url, {"name": " Close\u00a0To  2027 ", "code": "hacked"}).status_code == 302
    refused = _post(client, url, {"name": "\u00a0"})
    assert refused.status_code == 422 and "This field is required" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert (programme.code, programme.name) == ("closeto", "Close To 2027")
    assert db.session.scalar(select(AuditEvent.target).where(AuditEvent.action == "programme.rename")) == \
        f"programme:{programme.id}"


def test_archive_asks_for_confirmation_then_leaves_the_lists(client, auth, make, db):
    programme = make.programme(code="old", name="Old programme")
    make.questionnaire(programme)
    auth.login(make.user(Role.ADMIN).email)
    url = f"/manage/programmes/{programme.id}/archive"
    assert "Yes, archive this programme" in client.get(url).get_data(as_text=True)
    unconfirmed = _post(client, url)
    assert unconfirmed.status_code == 422
    db.session.expire_all()
    assert programme.archived_at is None
    assert _post(client, url, {"confirm": "y"}).status_code == 302
    db.session.expire_all()
    assert programme.archived_at is not None and _count(db, Questionnaire) == 1  # its data stays
    assert "archived" in client.get("/manage/programmes/").get_data(as_text=True)  # the flash message
    assert "Old programme" not in client.get("/manage/programmes/").get_data(as_text=True)
    archived = client.get("/manage/programmes/archived").get_data(as_text=True)
    assert "Old programme" in archived and f"/manage/programmes/{programme.id}/report" in archived
    assert f'value="{programme.id}"' not in client.get("/manage/questionnaires/new").get_data(as_text=True)

    assert _post(client, f"/manage/programmes/{programme.id}/unarchive").status_code == 302
    db.session.expire_all()
    assert programme.archived_at is None
    assert {"programme.archive", "programme.unarchive"} <= set(db.session.scalars(select(AuditEvent.action)))


def test_archived_programme_keeps_its_report_reachable(client, auth, make, db):
    programme = make.programme(code="old", name="Old programme")
    make.questionnaire(programme)
    evaluator = make.user(Role.EVALUATOR, programme)
    auth.login(make.user(Role.ADMIN).email)
    _post(client, f"/manage/programmes/{programme.id}/archive", {"confirm": "y"})
    auth.logout()
    auth.login(evaluator.email)
    archived = client.get("/manage/programmes/archived").get_data(as_text=True)
    report = next(line for line in archived.splitlines() if "Programme report" in line)
    href = report.split('href="')[1].split('"')[0]
    assert client.get(href).status_code == 200


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EVALUATOR])
def test_non_admins_cannot_create_rename_or_archive(client, auth, make, db, role):
    programme = make.programme(code="closeto", name="Close To")
    auth.login(make.user(role, programme).email)
    token = csrf_token(client, "/manage/programmes/")
    assert "New programme" not in client.get("/manage/programmes/").get_data(as_text=True)
    assert client.get("/manage/programmes/new").status_code == 403
    assert _post(client, "/manage/programmes/new", {**NEW, "code": "mine"}, token).status_code == 403
    assert _post(client, f"/manage/programmes/{programme.id}", {"name": "Mine"}, token).status_code == 403
    archive = f"/manage/programmes/{programme.id}/archive"
    assert client.get(archive).status_code == 403
    assert _post(client, archive, {"confirm": "y"}, token).status_code == 403
    assert _post(client, f"/manage/programmes/{programme.id}/unarchive", {}, token).status_code == 403
    db.session.expire_all()
    assert _count(db, Programme) == 1 and (programme.name, programme.archived_at) == ("Close To", None)
    refused = db.session.scalars(select(AuditEvent.action).where(AuditEvent.outcome != "ok")).all()
    assert "programme.create" in refused


def test_managers_see_their_programme_page_and_members_read_only(client, auth, make, db):
    programme, other = make.programme(name="Close To"), make.programme(name="Other")
    manager = make.user(Role.MANAGER, programme)
    make.user(Role.EVALUATOR, programme, email="eva@example.org")
    auth.login(manager.email)
    listed = client.get("/manage/programmes/").get_data(as_text=True)
    assert "Close To" in listed and "Other" not in listed
    page = client.get(f"/manage/programmes/{programme.id}").get_data(as_text=True)
    assert "eva@example.org" in page and "Evaluator" in page
    assert "Add member" not in page and "Change role" not in page and 'name="name"' not in page
    assert client.get(f"/manage/programmes/{other.id}").status_code == 403
    assert client.get("/manage/programmes/99999").status_code == 404


def test_evaluators_do_not_see_the_page(client, auth, make):
    programme = make.programme()
    auth.login(make.user(Role.EVALUATOR, programme).email)
    assert client.get(f"/manage/programmes/{programme.id}").status_code == 403


def test_without_csrf_token_nothing_changes(client, auth, make, db):
    programme = make.programme(code="closeto", name="Close To")
    auth.login(make.user(Role.ADMIN).email)
    assert client.post("/manage/programmes/new", data=NEW).status_code == 400
    assert client.post(f"/manage/programmes/{programme.id}", data={"name": "x"}).status_code == 400
    assert client.post(f"/manage/programmes/{programme.id}/archive", data={"confirm": "y"}).status_code == 400
    db.session.expire_all()
    assert _count(db, Programme) == 1 and (programme.name, programme.archived_at) == ("Close To", None)


def test_staff_navigation_and_empty_questionnaire_list_link_here(client, auth, make, db):
    auth.login(make.user(Role.ADMIN).email)
    html = client.get("/manage/").get_data(as_text=True)
    assert 'href="/manage/programmes/"' in html
    assert "No programme yet: create one" in html and 'href="/manage/programmes/new"' in html
    assert _count(db, Membership) == 0


def test_markup_in_a_name_is_escaped(client, auth, make):
    auth.login(make.user(Role.ADMIN).email)
    created = _post(client, "/manage/programmes/new", {**NEW, "name": "<script>alert(1)</script>"})
    html = client.get(created.location).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
