"""A manager starts a questionnaire from a template in the browser: the list, the form, CSRF, roles, and a
refused start (taken link name, another programme) that writes nothing."""
import pytest
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.audit.models import AuditEvent
from surveyapp.questionnaires.models import Item, Questionnaire, Status
from tests.conftest import csrf_token

LIST = "/manage/questionnaires/templates"
NEW = "/manage/questionnaires/templates/new"


def _counts(db) -> dict[str, int]:
    """Rows of every table but the audit trail (a refused request is itself recorded)."""
    db.session.expire_all()
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables if table.name != "audit_events"}


@pytest.fixture
def manager(make, auth):
    programme = make.programme(name="Jugendarbeit")
    auth.login(make.user(Role.MANAGER, programme).email)
    return programme


def _start(client, programme, **changes):
    data = {"csrf_token": csrf_token(client, NEW), "starter": "youth_survey", "programme_id": programme.id,
            "slug": "jugend-2027", "default_lang": "de", "languages": ["de", "en"], **changes}
    return client.post(NEW, data=data)


def test_the_list_offers_every_template_with_its_description_and_a_blank_start(client, manager):
    page = client.get(LIST, headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Youth survey: services and quality of life" in html
    assert "Close To – how are things today?" in html
    assert "Mystery shopping: the council&#39;s website" in html
    assert "one matrix" in html
    assert 'href="/manage/questionnaires/new"' in html
    assert 'href="/manage/questionnaires/templates/new?starter=complaint_handling"' in html


def test_the_questionnaire_list_links_the_templates(client, manager):
    assert f'href="{LIST}"' in client.get("/manage/").get_data(as_text=True)


def test_the_form_preselects_the_template_chosen_in_the_list_with_a_free_link_name(client, make, manager):
    make.questionnaire(manager, slug="complaint-handling")
    html = client.get(f"{NEW}?starter=complaint_handling").get_data(as_text=True)
    assert '<option selected value="complaint_handling">' in html
    assert 'value="complaint-handling-2"' in html
    assert 'name="csrf_token"' in html
    assert client.get(f"{NEW}?starter=<script>").status_code == 200


def test_a_manager_starts_from_a_template_and_lands_on_the_builder(client, db, manager):
    response = _start(client, manager)
    assert response.status_code == 302
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == "jugend-2027"))
    assert response.location.endswith(f"/manage/questionnaires/{questionnaire.id}")
    assert (questionnaire.programme_id, questionnaire.status, questionnaire.languages) == (
        manager.id, Status.DRAFT, ["de", "en"])
    assert "satisfaction_library" in {item.code for item in questionnaire.items}
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "questionnaire.create_from_template"))
    assert event.target == f"questionnaire:{questionnaire.id}"
    assert "Jugendbefragung" in client.get(response.location).get_data(as_text=True)


def test_english_only_with_english_as_default(client, db, manager):
    assert _start(client, manager, default_lang="en", languages=["en"]).status_code == 302
    questionnaire = db.session.scalar(select(Questionnaire))
    assert (questionnaire.default_lang, questionnaire.languages) == ("en", ["en"])


def test_a_taken_link_name_is_a_422_on_the_form_and_writes_nothing(client, db, make, manager):
    make.questionnaire(manager, slug="jugend-2027")
    before = _counts(db)
    response = _start(client, manager)
    assert response.status_code == 422
    assert "This link name is already taken." in response.get_data(as_text=True)
    assert _counts(db) == before


@pytest.mark.parametrize("changes", [
    {"slug": "Not a slug!"}, {"slug": ""}, {"starter": "no_such_template"}, {"default_lang": "fr"},
    {"languages": ["de", "xx"]}, {"programme_id": "abc"},
])
def test_bad_input_is_a_422_and_writes_nothing(client, db, manager, changes):
    before = _counts(db)
    response = _start(client, manager, **changes)
    assert response.status_code == 422
    assert _counts(db) == before


def test_another_programme_cannot_be_chosen(client, db, make, manager):
    other = make.programme(name="Fremd")
    before = _counts(db)
    assert _start(client, other).status_code == 422
    assert _counts(db) == before


def test_without_a_csrf_token_nothing_is_created(client, db, manager):
    before = _counts(db)
    response = client.post(NEW, data={"starter": "youth_survey", "programme_id": manager.id, "slug": "jugend",
                                      "default_lang": "de", "languages": ["de"]})
    assert response.status_code == 400
    assert _counts(db) == before


@pytest.mark.parametrize("url", [LIST, NEW])
def test_evaluators_are_refused(client, db, make, auth, url):
    programme = make.programme()
    auth.login(make.user(Role.EVALUATOR, programme).email)
    assert client.get(url).status_code == 403
    before = _counts(db)
    token = csrf_token(client, "/manage/")
    response = client.post(NEW, data={"csrf_token": token, "starter": "youth_survey", "programme_id": programme.id,
                                      "slug": "jugend", "default_lang": "de", "languages": ["de"]})
    assert response.status_code == 403
    assert _counts(db) == before


@pytest.mark.parametrize("url", [LIST, NEW])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.location


def test_an_admin_may_start_in_any_programme(client, db, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.ADMIN).email)
    assert _start(client, programme, starter="mystery_shopping", slug="website-check").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Item)) > 10
