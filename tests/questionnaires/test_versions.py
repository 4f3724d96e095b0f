"""Versions: once responses exist, a change to what stored answers mean makes a new version; wording does not."""
import json

import pytest
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.audit.models import AuditEvent
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Item, Questionnaire, QuestionnaireVersion
from surveyapp.questionnaires.versions import meaning
from surveyapp.respond import service as respond
from surveyapp.responses.models import Response
from tests.conftest import hidden_fields
from tests.gdpr import panel
from tests.questionnaires.builder import Builder, item_fields

ITEMS = [
    ("agree", "likert", True, 1, {"points": 5}, []),
    ("colour", "single", False, 1, {}, ["red", "green"]),
    ("age", "number", False, 1, {"min": 15, "max": 99}, []),
]


def _item(questionnaire, code) -> Item:
    return next(item for item in questionnaire.items if item.code == code)


def _answer(db, questionnaire, key="k1", agree="5"):
    respond.save_page(questionnaire, key, 1, "de", {_item(questionnaire, "agree").id: [agree]}, final=True)
    db.session.commit()


def _update(item, **settings):
    builder.update_item(item, code=item.code, required=item.required, page=item.page, settings=settings)


def _versions(db, questionnaire) -> list[QuestionnaireVersion]:
    return list(db.session.scalars(select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire.id).order_by(QuestionnaireVersion.number)))


def test_a_scale_change_before_responses_makes_no_version(make, db):
    questionnaire = make.questionnaire(items=ITEMS)
    _update(_item(questionnaire, "agree"), points=7)
    db.session.commit()
    assert questionnaire.version == 1 and _versions(db, questionnaire) == []


def test_a_scale_change_after_a_response_keeps_version_1_and_counts_up(make, db):
    questionnaire = make.questionnaire(items=ITEMS)
    _answer(db, questionnaire)
    stamp = questionnaire.structure_stamp
    _update(_item(questionnaire, "agree"), points=7)
    db.session.commit()
    db.session.expire_all()
    questionnaire = db.session.get(Questionnaire, questionnaire.id)
    assert questionnaire.version == 2 and questionnaire.structure_stamp != stamp
    [kept] = _versions(db, questionnaire)
    assert kept.number == 1
    agree = next(item for item in kept.snapshot["items"] if item["code"] == "agree")
    assert agree["type"] == "likert" and agree["settings"] == {"points": 5}
    assert agree["texts"]["label"] == {"de": "agree (de)", "en": "agree (en)"}
    colour = next(item for item in kept.snapshot["items"] if item["code"] == "colour")
    assert colour["options"] == [{"code": "red", "labels": {"de": "red-de", "en": "red-en"}},
                                 {"code": "green", "labels": {"de": "green-de", "en": "green-en"}}]
    assert db.session.scalar(select(Response.questionnaire_version)) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "questionnaire.new_version"))
    assert event.target == f"questionnaire:{questionnaire.id}"
    assert json.loads(event.detail) == {"version": 2, "items": ["agree"], "change": "item settings"}


def test_each_later_change_keeps_the_version_it_replaces(make, db):
    questionnaire = make.questionnaire(items=ITEMS)
    _answer(db, questionnaire)
    _update(_item(questionnaire, "age"), min=18)
    _update(_item(questionnaire, "age"), max=None)
    db.session.commit()
    kept = _versions(db, questionnaire)
    assert questionnaire.version == 3 and [v.number for v in kept] == [1, 2]
    assert [next(i for i in v.snapshot["items"] if i["code"] == "age")["settings"] for v in kept] == [
        {"min": 15, "max": 99}, {"min": 18, "max": 99}]


@pytest.mark.parametrize("change", [
    lambda q: builder.set_item_texts(_item(q, "agree"), "de", {"label": "Neu", "help": "Hilfe", "high": "ja"}),
    lambda q: builder.update_option(_item(q, "colour").options[0], "red", {"de": "Rot", "en": "Red"}),
    lambda q: builder.set_questionnaire_texts(q, "de", {"title": "Neu", "page.1": "Seite"}),
    lambda q: builder.update_item(_item(q, "agree"), code="agree", required=False, page=2, settings={}),
    lambda q: _update(_item(q, "agree"), points=5),
    lambda q: builder.move_item(_item(q, "colour"), -1),
    lambda q: builder.add_item(q, "later", "number", settings={"min": 1}),
], ids=["item wording", "option label", "page title", "required and page", "same points", "order", "new item"])
def test_wording_order_pages_and_new_items_make_no_version(make, db, change):
    questionnaire = make.questionnaire(items=ITEMS)
    _answer(db, questionnaire)
    change(questionnaire)
    db.session.commit()
    assert questionnaire.version == 1 and _versions(db, questionnaire) == []


def _bare(type_code, **settings) -> Item:
    return Item(code="x", type=type_code, settings=settings, questionnaire=Questionnaire(default_lang="de"))


def test_an_absent_setting_means_its_default():
    assert meaning(_bare("likert")) == meaning(_bare("likert", points=5))
    assert meaning(_bare("likert")) != meaning(_bare("likert", points=7))
    assert meaning(_bare("number", min=0)) != meaning(_bare("number"))
    assert meaning(_bare("number", decimals=0)) == meaning(_bare("number"))


def test_decimal_places_change_no_meaning():
    """12.5 stays 12.5 whatever places a number allows later: its type names `decimals` cosmetic."""
    assert meaning(_bare("number", decimals=2)) == meaning(_bare("number"))
    assert meaning(_bare("number", decimals=2, min=1)) != meaning(_bare("number", decimals=2))


def test_a_decimal_places_change_after_responses_makes_no_version(make, db):
    questionnaire = make.questionnaire(items=ITEMS)
    _answer(db, questionnaire)
    _update(_item(questionnaire, "age"), min=15, max=99, decimals=2)
    db.session.commit()
    assert _item(questionnaire, "age").settings["decimals"] == 2
    assert questionnaire.version == 1 and _versions(db, questionnaire) == []


def test_a_refused_change_makes_no_version(make, db):
    questionnaire = make.questionnaire(items=ITEMS)
    _answer(db, questionnaire)
    with pytest.raises(builder.DomainError):
        _update(_item(questionnaire, "age"), min=200)
    db.session.rollback()
    assert db.session.get(Questionnaire, questionnaire.id).version == 1 and _versions(db, questionnaire) == []


def test_the_builder_route_makes_the_version_in_the_save_and_audits_both(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    _answer(db, questionnaire)
    auth.login(make.user(Role.MANAGER, programme).email)
    agree = _item(questionnaire, "agree")
    saved = Builder(client).post(f"/manage/items/{agree.id}", item_fields(agree, code="", points=7))
    assert saved.status_code == 302
    assert "This change makes version 2 of the questionnaire." in client.get(saved.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Questionnaire, questionnaire.id).version == 2
    assert db.session.get(Item, agree.id).settings == {"points": 7}
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-2:] == ["questionnaire.new_version", "item.edit"]
    assert db.session.scalar(select(func.count()).select_from(QuestionnaireVersion)) == 1


def _answer_public_link(client, slug: str) -> None:
    page = client.get(f"/s/{slug}")
    assert page.status_code == 200
    done = client.post(f"/s/{slug}", data={**hidden_fields(page.get_data(as_text=True)), "q_colour": "red",
                                           "nav": "submit"})
    assert done.status_code == 302


def test_responses_record_their_version_through_the_public_and_the_personal_link(app, db, make):
    """The respondent pages cache the structure per stamp: a new version is a new stamp, read at once."""
    people = panel.build(db, make)
    questionnaire = people.questionnaire
    _answer_public_link(app.test_client(), questionnaire.slug)
    age = builder.add_item(questionnaire, "age", "number", settings={"min": 1})
    _update(age, min=18)
    db.session.commit()
    assert questionnaire.version == 2
    panel.answer(app.test_client(), panel.token_of(app, db, people.anna))
    _answer_public_link(app.test_client(), questionnaire.slug)
    db.session.expire_all()
    versions = db.session.execute(select(Response.questionnaire_version, Response.invitation_id.is_not(None))
                                  .order_by(Response.id)).all()
    assert versions == [(1, False), (2, True), (2, False)]


def _answer_colour(db, questionnaire, colour: str):
    respond.save_page(questionnaire, f"k-{colour}", 1, "de", {_item(questionnaire, "agree").id: ["5"],
                                                              _item(questionnaire, "colour").id: [colour]},
                      final=True)
    db.session.commit()


def test_adding_and_deleting_an_option_after_responses_makes_a_version_each(make, db):
    from surveyapp.responses.models import Answer

    questionnaire = make.questionnaire(items=ITEMS)
    _answer_colour(db, questionnaire, "green")
    colour = _item(questionnaire, "colour")
    builder.add_option(colour, "blue", {"de": "Blau"})
    db.session.commit()
    builder.delete_option(colour.options[1])  # green, answered in version 1
    db.session.commit()
    assert questionnaire.version == 3 and [option.code for option in colour.options] == ["red", "blue"]
    kept = _versions(db, questionnaire)
    assert [[o["code"] for o in next(i for i in v.snapshot["items"] if i["code"] == "colour")["options"]]
            for v in kept] == [["red", "green"], ["red", "green", "blue"]]
    assert db.session.scalars(select(Answer.value).where(Answer.item_id == colour.id)).all() == ["green"]
    changes = [json.loads(event.detail)["change"] for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "questionnaire.new_version").order_by(AuditEvent.seq))]
    assert changes == ["option added", "option deleted"]


def test_a_new_item_with_options_after_responses_makes_no_version(make, db):
    questionnaire = make.questionnaire(items=ITEMS)
    _answer(db, questionnaire)
    builder.add_item(questionnaire, "fruit", "single", options=[("apple", {"de": "Apfel"}), ("pear", {})])
    db.session.commit()
    assert questionnaire.version == 1 and _versions(db, questionnaire) == []


def test_option_codes_and_item_deletion_stay_locked(make, db):
    questionnaire = make.questionnaire(items=ITEMS)
    _answer(db, questionnaire)
    with pytest.raises(builder.LockedError, match="option codes can no longer change"):
        builder.update_option(_item(questionnaire, "colour").options[0], "rot", {})
    with pytest.raises(builder.LockedError, match="items can no longer be deleted"):
        builder.delete_item(_item(questionnaire, "age"))


def test_the_builder_adds_and_deletes_options_of_an_answered_questionnaire(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    _answer(db, questionnaire)
    auth.login(make.user(Role.MANAGER, programme).email)
    colour = _item(questionnaire, "colour")
    page = client.get(f"/manage/items/{colour.id}").get_data(as_text=True)
    assert "adding an option makes a new version" in page
    assert f"/manage/options/{colour.options[0].id}/delete" in page
    added = Builder(client).post(f"/manage/items/{colour.id}/options", {"code": "blue", "label_de": "Blau"})
    assert added.status_code == 302
    assert "This change makes version 2" in client.get(added.location).get_data(as_text=True)
    green = colour.options[1]
    confirm = client.get(f"/manage/options/{green.id}/delete").get_data(as_text=True)
    assert "deleting this option makes a new version" in confirm
    deleted = Builder(client).post(f"/manage/options/{green.id}/delete")
    assert deleted.status_code == 302
    assert "This change makes version 3" in client.get(deleted.location).get_data(as_text=True)
    db.session.expire_all()
    assert [option.code for option in db.session.get(Item, colour.id).options] == ["red", "blue"]
