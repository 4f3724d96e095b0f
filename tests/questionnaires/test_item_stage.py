"""An item's stage on the outcome pathway: set in the builder, checked against the programme's model, no version."""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Item, Questionnaire, QuestionnaireVersion
from surveyapp.respond import service as respond
from tests.questionnaires.builder import Builder, item_fields

ITEMS = [("agree", "likert", True, 1, {"points": 5}, [])]


def test_the_item_page_offers_the_stages_of_the_programmes_model(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    auth.login(make.user(Role.MANAGER, programme).email)
    page = client.get(f"/manage/items/{questionnaire.items[0].id}").get_data(as_text=True)
    assert "Stage on the outcome pathway" in page and "Short-term outcome" in page
    assert "Not on the pathway" in page and "Wirkungstreppe" not in page
    programme.pathway = "phineo"
    db.session.commit()
    page = client.get(f"/manage/items/{questionnaire.items[0].id}").get_data(as_text=True)
    assert "5 Target groups change their behaviour" in page and "Short-term outcome" not in page


def test_setting_a_stage_after_responses_makes_no_new_version(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    agree = questionnaire.items[0]
    respond.save_page(questionnaire, "k1", 1, "de", {agree.id: ["5"]}, final=True)
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme).email)
    saved = Builder(client).post(f"/manage/items/{agree.id}", item_fields(agree, code="", stage="short_term"))
    assert saved.status_code == 302
    assert "makes version" not in client.get(saved.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Item, agree.id).stage == "short_term"
    assert db.session.get(Questionnaire, questionnaire.id).version == 1
    assert db.session.scalars(select(QuestionnaireVersion)).all() == []


def test_an_unknown_stage_is_refused_with_a_message_and_nothing_saved(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    agree = questionnaire.items[0]
    auth.login(make.user(Role.MANAGER, programme).email)
    refused = Builder(client).post(f"/manage/items/{agree.id}",
                                   item_fields(agree, label="Changed wording", stage="phineo_5"))
    assert refused.status_code == 422
    assert "This stage is not on the programme&#39;s outcome pathway: phineo_5." in refused.get_data(as_text=True)
    db.session.expire_all()
    item = db.session.get(Item, agree.id)
    assert item.stage is None and item.text("label", "de") == "agree (de)"


def test_choosing_no_stage_clears_it_and_a_form_without_the_field_keeps_it(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    agree = questionnaire.items[0]
    builder.set_item_stage(agree, "output")
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme).email)
    assert Builder(client).post(f"/manage/items/{agree.id}", item_fields(agree)).status_code == 302
    db.session.expire_all()
    assert db.session.get(Item, agree.id).stage == "output"
    assert Builder(client).post(f"/manage/items/{agree.id}", item_fields(agree, stage="")).status_code == 302
    db.session.expire_all()
    assert db.session.get(Item, agree.id).stage is None


def test_a_new_item_takes_its_stage_from_the_add_form(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    auth.login(make.user(Role.MANAGER, programme).email)
    added = Builder(client).add_item(questionnaire.id, "reached", "yesno", "Reached?", stage="output")
    assert added.status_code == 302
    assert db.session.scalar(select(Item.stage).where(Item.code == "reached")) == "output"


def test_the_service_refuses_a_stage_of_the_other_model(make, db):
    questionnaire = make.questionnaire(items=ITEMS)
    with pytest.raises(DomainError):
        builder.set_item_stage(questionnaire.items[0], "phineo_1")
