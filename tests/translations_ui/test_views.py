"""The side-by-side view, the publishing gate and who may do what."""
import pytest

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Status
from surveyapp.questionnaires.slots import completeness
from tests.conftest import csrf_token

ITEMS = [("colour", "single", True, 1, {}, ["red", "green"]), ("age", "number", True, 1, {}, [])]


def half_translated(make, programme=None):
    questionnaire = make.questionnaire(programme, languages=("de",), items=ITEMS, status=Status.DRAFT)
    builder.update_settings(questionnaire, questionnaire.slug, "de", ["de", "ar"])
    builder.set_item_texts(questionnaire.items[1], "ar", {"label": "كم عمرك؟"})
    return questionnaire


def test_side_by_side_shows_missing_texts_and_completeness(client, make, auth, db):
    programme = make.programme()
    questionnaire = half_translated(make, programme)
    db.session.commit()
    auth.login(make.user(Role.EVALUATOR, programme).email)
    html = client.get(f"/manage/questionnaires/{questionnaire.id}/translations?ui=en").get_data(as_text=True)
    assert '<td lang="ar" dir="rtl">' in html and "كم عمرك؟" in html
    assert html.count('<tr class="missing">') == 1 + 5  # Arabic's completeness row, then five missing texts
    assert "17%" in html and "100%" in html
    assert "<textarea" not in html  # evaluators read only
    assert [(s.lang, s.done, s.total) for s in completeness(questionnaire)] == [("de", 6, 6), ("ar", 1, 6)]


def test_manager_saves_translations_in_the_view(client, make, auth, db):
    programme = make.programme()
    questionnaire = half_translated(make, programme)
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/questionnaires/{questionnaire.id}/translations?target=ar"
    saved = client.post(url, data={"csrf_token": csrf_token(client, url), "t.questionnaire.title": "العنوان",
                                   "t.item.colour.label": "اللون"})
    assert saved.status_code == 302
    assert completeness(questionnaire)[1].done == 3
    html = client.get(url).get_data(as_text=True)
    assert "2 texts saved." in html


def test_publishing_gate_names_the_missing_texts(client, make, db):
    questionnaire = half_translated(make)
    with pytest.raises(DomainError) as refused:
        builder.set_status(questionnaire, Status.OPEN)
    assert ("ar: 5 texts missing (questionnaire.title, questionnaire.thanks, item.colour.label, "
            "option.colour.red.label, option.colour.green.label)") in str(refused.value)
    for option in questionnaire.items[0].options:
        builder.update_option(option, option.code, {"ar": option.code})
    builder.set_questionnaire_texts(questionnaire, "ar", {"title": "استبيان", "thanks": "شكرًا"})
    builder.set_item_texts(questionnaire.items[0], "ar", {"label": "اللون"})
    builder.set_status(questionnaire, Status.OPEN)
    assert questionnaire.status is Status.OPEN


def test_any_babel_language_may_be_added_but_not_nonsense(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/questionnaires/{questionnaire.id}/translations"
    added = client.post(f"{url}/languages", data={"csrf_token": csrf_token(client, url), "lang": "bs"})
    assert added.status_code == 302
    refused = client.post(f"{url}/languages", data={"csrf_token": csrf_token(client, url), "lang": "xq"})
    assert refused.status_code == 400 and "Unknown language code: xq." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert questionnaire.languages == ["de", "en", "bs"]


def test_other_programmes_managers_are_refused(client, make, auth):
    questionnaire = make.questionnaire(items=ITEMS)
    auth.login(make.user(Role.MANAGER).email)
    assert client.get(f"/manage/questionnaires/{questionnaire.id}/translations").status_code == 403
    assert client.get(f"/manage/questionnaires/{questionnaire.id}/translations/texts.xlsx").status_code == 403


def test_an_archived_programmes_questionnaire_gets_no_new_language(client, make, auth, db):
    """Archiving the programme keeps its questionnaires as they were, translations included (409, unchanged)."""
    from surveyapp.db import utcnow

    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/questionnaires/{questionnaire.id}/translations"
    token = csrf_token(client, url)
    programme.archived_at = utcnow()
    db.session.commit()
    refused = client.post(f"{url}/languages", data={"csrf_token": token, "lang": "bs"})
    assert refused.status_code == 409 and "programme is archived" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert questionnaire.languages == ["de", "en"]


def test_a_refused_form_speaks_of_the_form_and_its_field_not_of_a_file(client, make, auth, db):
    programme = make.programme()
    questionnaire = half_translated(make, programme)
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/questionnaires/{questionnaire.id}/translations?target=ar&ui=en"
    refused = client.post(url, data={"csrf_token": csrf_token(client, url), "t.questionnaire.title": "العنوان",
                                     "t.item.colour.label": "اللون {foo}"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Nothing was saved: please correct the texts named below." in html
    assert "file" not in html.split("<main", 1)[1].lower().split("<form", 1)[0] and "Row " not in html
    assert "Question colour: question:" in html and completeness(questionnaire)[1].done == 1
