"""A programme manager builds a questionnaire entirely through the staff forms; a citizen then answers it."""
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import Item, Questionnaire, Status
from surveyapp.responses.models import Answer, Response
from tests.conftest import hidden_fields
from tests.questionnaires.builder import Builder, id_from, item_fields


def test_build_questionnaire_through_forms_then_answer_it(client, make, auth, db):
    programme = make.programme(name="Close To")
    auth.login(make.user(Role.MANAGER, programme).email)
    b = Builder(client)

    created = b.create(programme.id)
    assert created.status_code == 302
    qid = id_from(created.location, "questionnaires")
    likert = b.add_item(qid, "attention", "likert", "Die Session hat mich gefesselt.", required="y", points=7,
                        low="gar nicht", high="völlig")
    assert likert.status_code == 302
    single = b.add_item(qid, "gender", "single", "Geschlecht", required="y")
    assert "/manage/items/" in single.location  # choice items go on to their options
    gender_id = id_from(single.location, "items")
    for code, de, en in [("m", "männlich", "male"), ("w", "weiblich", "female"), ("d", "divers", "diverse")]:
        added = b.post(f"/manage/items/{gender_id}/options", {"code": code, "label_de": de, "label_en": en})
        assert added.status_code == 302
    assert b.add_item(qid, "age", "number", "Alter", page=2, min=15, max=99).status_code == 302

    assert b.post(f"/manage/items/{gender_id}/move", {"direction": "up"}).status_code == 302
    option_d = db.session.scalar(select(Item).where(Item.code == "gender")).options[2]
    assert b.post(f"/manage/options/{option_d.id}/move", {"direction": "up"}).status_code == 302

    attention = db.session.scalar(select(Item).where(Item.code == "attention"))
    edited = b.post(f"/manage/items/{attention.id}?lang=en", item_fields(
        attention, label="The session held my attention.", low="not at all", high="completely", points=7))
    assert edited.status_code == 302
    for item_code, english in [("gender", "Gender"), ("age", "Age")]:
        item = db.session.scalar(select(Item).where(Item.code == item_code))
        assert b.post(f"/manage/items/{item.id}?lang=en", item_fields(item, label=english)).status_code == 302
    for lang, title, thanks in [("de", "Fahrstunde", "Danke!"), ("en", "Driving lesson", "Thanks!")]:
        saved = b.post(f"/manage/questionnaires/{qid}/texts?lang={lang}", {"title": title, "thanks": thanks})
        assert saved.status_code == 302
    edit_page = client.get(f"/manage/questionnaires/{qid}?lang=en").get_data(as_text=True)
    assert "The session held my attention." in edit_page and "Download CSV" in edit_page
    assert b.post(f"/manage/questionnaires/{qid}/status", {"action": "open"}).status_code == 302

    db.session.expire_all()
    questionnaire = db.session.get(Questionnaire, qid)
    assert questionnaire.status is Status.OPEN
    assert [i.code for i in questionnaire.items] == ["gender", "attention", "age"]
    assert [o.code for o in questionnaire.items[0].options] == ["m", "d", "w"]
    assert questionnaire.items[1].settings == {"points": 7}
    assert questionnaire.items[2].settings == {"min": 15, "max": 99, "decimals": 0}

    citizen = client.application.test_client()
    first = citizen.get("/s/fahrt?lang=en").get_data(as_text=True)
    assert "Driving lesson" in first and "The session held my attention." in first and "not at all" in first
    assert first.index("male") < first.index("diverse") < first.index("female")
    page2 = citizen.post("/s/fahrt", data={**hidden_fields(first), "q_gender": "d", "q_attention": "7",
                                           "nav": "next"})
    assert page2.status_code == 302
    second = citizen.get(page2.location).get_data(as_text=True)
    done = citizen.post("/s/fahrt", data={**hidden_fields(second), "q_age": "17", "nav": "submit"})
    assert done.location.endswith("/thanks")
    response = db.session.scalar(select(Response))
    assert response.lang == "en" and response.submitted_at is not None
    assert sorted(a.value for a in response.answers) == ["17", "7", "d"]


def test_preview_validates_switches_language_and_stores_nothing(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, pages=2)
    auth.login(make.user(Role.EVALUATOR, programme).email)
    url = f"/manage/questionnaires/{questionnaire.id}/preview"
    page = client.get(url + "?lang=en")
    assert page.status_code == 200 and "not stored" in page.get_data(as_text=True)
    hidden = hidden_fields(page.get_data(as_text=True))
    switched = client.post(url, data={**hidden, "lang": "de"})
    assert switched.status_code == 200 and '<html lang="de"' in switched.get_data(as_text=True)
    invalid = client.post(url + "?lang=en", data={**hidden, "q_agree": "9", "nav": "next"})
    assert invalid.status_code == 422 and "agree (en)" in invalid.get_data(as_text=True)
    valid = client.post(url + "?lang=en", data={**hidden, "q_agree": "3", "q_colour": "red", "nav": "next"})
    assert valid.status_code == 302 and "page=2" in valid.location
    last = client.post(url + "?lang=en", data={**hidden, "page": "2", "q_age": "30", "nav": "submit"})
    assert last.status_code == 302
    assert "Nothing was stored" in client.get(last.location).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_open_refuses_questionnaire_without_items(client, make, auth, db):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    b = Builder(client)
    qid = id_from(b.create(programme.id).location, "questionnaires")
    refused = b.post(f"/manage/questionnaires/{qid}/status", {"action": "open"})
    assert refused.status_code == 422
    assert "Add at least one item" in refused.get_data(as_text=True)
    assert db.session.get(Questionnaire, qid).status is Status.DRAFT


def test_close_and_reopen(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme)
    auth.login(make.user(Role.MANAGER, programme).email)
    b = Builder(client)
    url = f"/manage/questionnaires/{questionnaire.id}/status"
    assert b.post(url, {"action": "close"}).status_code == 302
    assert client.get(f"/s/{questionnaire.slug}").status_code == 410
    assert b.post(url, {"action": "reopen"}).status_code == 302
    assert client.get(f"/s/{questionnaire.slug}").status_code == 200


def test_delete_item_and_option_after_confirmation(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, status=Status.DRAFT)
    auth.login(make.user(Role.MANAGER, programme).email)
    b = Builder(client)
    colour = next(i for i in questionnaire.items if i.code == "colour")
    red = colour.options[0]
    confirm = client.get(f"/manage/options/{red.id}/delete")
    assert confirm.status_code == 200 and "This cannot be undone" in confirm.get_data(as_text=True)
    assert b.post(f"/manage/options/{red.id}/delete").status_code == 302
    agree = next(i for i in questionnaire.items if i.code == "agree")
    assert client.get(f"/manage/items/{agree.id}/delete").status_code == 200
    assert b.post(f"/manage/items/{agree.id}/delete").status_code == 302
    db.session.expire_all()
    questionnaire = db.session.get(Questionnaire, questionnaire.id)
    assert "agree" not in [i.code for i in questionnaire.items]
    colour = next(i for i in questionnaire.items if i.code == "colour")
    assert [o.code for o in colour.options] == ["green", "blue"]
