"""The programme's outcome-pathway setting: managers switch models; tagged items block a switch unless cleared."""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.audit.models import AuditEvent
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Item
from tests.questionnaires.builder import Builder

ITEMS = [("reached", "yesno", False, 1, {}, []), ("agree", "likert", False, 1, {"points": 5}, [])]


def _url(programme) -> str:
    return f"/manage/programmes/{programme.id}/pathway"


@pytest.fixture
def programme(make):
    return make.programme(name="Close To")


def _manager(make, auth, programme, role=Role.MANAGER):
    auth.login(make.user(role, programme).email)


def test_a_manager_switches_to_phineo_and_back(client, make, auth, db, programme):
    _manager(make, auth, programme)
    page = client.get(_url(programme)).get_data(as_text=True)
    assert "Outcome pathway model" in page and "1 Activities take place as planned" in page
    saved = Builder(client).post(_url(programme), {"pathway": "phineo"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).pathway == "phineo"
    assert Builder(client).post(_url(programme), {"pathway": "logic_model"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).pathway is None
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "programme.pathway")).all()
    assert len(actions) == 2


def test_the_panel_page_links_to_it(client, make, auth, programme):
    _manager(make, auth, programme)
    assert _url(programme) in client.get("/manage/panel").get_data(as_text=True)


def test_tagged_items_of_the_other_model_are_counted_and_the_switch_refused(client, make, auth, db, programme):
    questionnaire = make.questionnaire(programme, items=ITEMS)
    for item, stage in zip(questionnaire.items, ("output", "short_term"), strict=True):
        builder.set_item_stage(item, stage)
    db.session.commit()
    _manager(make, auth, programme)
    refused = Builder(client).post(_url(programme), {"pathway": "phineo"})
    assert refused.status_code == 409
    assert "2 items are tagged with stages the chosen model does not have." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).pathway is None
    assert set(db.session.scalars(select(Item.stage))) == {"output", "short_term"}


def test_ticking_remove_clears_the_stages_in_the_same_save(client, make, auth, db, programme):
    questionnaire = make.questionnaire(programme, items=ITEMS)
    builder.set_item_stage(questionnaire.items[0], "output")
    db.session.commit()
    _manager(make, auth, programme)
    saved = Builder(client).post(_url(programme), {"pathway": "phineo", "clear": "y"})
    assert saved.status_code == 302
    assert "1 item lost its stage." in client.get(saved.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).pathway == "phineo"
    assert db.session.scalars(select(Item.stage)).all() == [None, None]


def test_an_unknown_model_is_refused_with_a_message(client, make, auth, db, programme):
    _manager(make, auth, programme)
    refused = Builder(client).post(_url(programme), {"pathway": "toc"})
    assert refused.status_code == 422 and "Unknown pathway model: toc." in refused.get_data(as_text=True)
    assert db.session.get(Programme, programme.id).pathway is None


def _ask(client, method: str, programme):
    return Builder(client).post(_url(programme), {"pathway": "phineo"}) if method == "post" else client.get(
        _url(programme))


@pytest.mark.parametrize("method", ["get", "post"])
def test_evaluators_and_other_programmes_managers_are_refused(client, make, auth, db, programme, method):
    _manager(make, auth, programme, Role.EVALUATOR)
    assert _ask(client, method, programme).status_code == 403
    auth.logout()
    _manager(make, auth, make.programme())
    assert _ask(client, method, programme).status_code == 403
    assert db.session.get(Programme, programme.id).pathway is None


def test_a_post_without_csrf_token_is_refused(client, make, auth, db, programme):
    _manager(make, auth, programme)
    assert client.post(_url(programme), data={"pathway": "phineo"}).status_code == 400
    assert db.session.get(Programme, programme.id).pathway is None


def test_anonymous_visitors_are_sent_to_the_login(client, programme):
    assert client.get(_url(programme)).status_code in (302, 401)
