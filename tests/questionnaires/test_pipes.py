"""{code} placeholders checked when texts are saved (questionnaires.conditions.check_pipes): only an earlier
answered item or an invitation fact, in every language and through every way texts are saved, with a message
that names the text and the position; literal braces that are no placeholder stay allowed."""
import pytest

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.questionnaires import pages
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.conditions import ConditionError
from surveyapp.questionnaires.models import Status
from tests.conftest import csrf_token
from tests.questionnaires.builder import Builder, item_fields

ITEMS = [
    ("t1", "text", False, 1, {}, []),
    ("intro", "display", False, 1, {}, []),
    ("t2", "single", False, 2, {}, ["a", "b"]),
    ("t3", "text", False, 2, {}, []),
    ("t4", "text", False, 3, {}, []),
]


@pytest.fixture
def survey(make):
    return make.questionnaire(status=Status.DRAFT, items=ITEMS)


def _item(questionnaire, code):
    return next(item for item in questionnaire.items if item.code == code)


def _refused(save, *args, **kwargs) -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        save(*args, **kwargs)
    return caught.value


def test_earlier_answers_facts_and_literal_braces_are_accepted(survey):
    t3 = _item(survey, "t3")
    builder.set_item_texts(t3, "de", {"label": "{t1}, {t2}: am {date} in {place}", "help": "{ t1 } {} {a-b} {{"})
    builder.set_item_texts(_item(survey, "t4"), "en", {"label": "{t3}"})
    builder.update_option(_item(survey, "t2").options[0], "a", {"en": "As {t1} said"})
    builder.set_questionnaire_texts(survey, "de", {"page.3": "Zu {t2}", "intro": "Am {date}", "thanks": "{t4}"})
    assert t3.text("label", "de") == "{t1}, {t2}: am {date} in {place}"
    builder.set_item_texts(t3, "en", {"label": "{t1|you} at {place|your school} ({date|}), {t2|-}"})
    assert t3.text("label", "en") == "{t1|you} at {place|your school} ({date|}), {t2|-}"


@pytest.mark.parametrize(("code", "lang", "label", "message", "position"), [
    ("t4", "de", "Vorwärts {t3x}", "“t4”, question (de): “{t3x}” at position 10 names no item: use the code of an "
                                   "earlier question, {place} or {date}.", 10),
    ("t2", "en", "Again {t3}", "“t2”, question (en): “t3” at position 7 is not asked before this (page 2): only "
                               "earlier answers can be used.", 7),
    ("t3", "de", "{t3}?", "“t3”, question (de): “t3” at position 1 is not asked before this (page 2): only "
                          "earlier answers can be used.", 1),
    ("t4", "en", "{intro}", "“t4”, question (en): “intro” at position 1 is a text to read and takes no answer.", 1),
])
def test_item_texts_refuse_unknown_and_later_items(survey, code, lang, label, message, position):
    error = _refused(builder.set_item_texts, _item(survey, code), lang, {"label": label})
    assert (str(error.message), error.position, error.status_code) == (message, position, 422)


def test_help_options_pages_and_intro_are_checked_too(survey):
    t2 = _item(survey, "t2")
    assert "“t2”, help text (en): “t4” at position 1" in str(
        _refused(builder.set_item_texts, t2, "en", {"help": "{t4}"}).message)
    assert "Option “b” of “t2” (de): “t3” at position 5" in str(
        _refused(builder.update_option, t2.options[1], "b", {"de": "Wie {t3}"}).message)
    assert "Option “c” of “t2” (en): “{nope}”" in str(
        _refused(builder.add_option, t2, "c", {"en": "{nope}"}).message)
    assert "Title of page 2 (de): “t3” at position 1 is not asked before this" in str(
        _refused(pages.set_title, survey, 2, "de", "{t3}").message)
    assert "Title of page 1 (en): “{x}” at position 3 names no item" in str(
        _refused(builder.set_questionnaire_texts, survey, "en", {"page.1": "A {x}"}).message)
    assert "Introduction (de): “t1” at position 1 is not asked before this" in str(
        _refused(builder.set_questionnaire_texts, survey, "de", {"intro": "{t1}"}).message)


def test_the_builder_form_refuses_and_keeps_the_old_text(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=ITEMS)
    auth.login(make.user(Role.MANAGER, programme).email)
    t4 = _item(questionnaire, "t4")
    response = Builder(client).post(f"/manage/items/{t4.id}?lang=de", item_fields(t4, label="Vorwärts {t3x}"))
    assert response.status_code == 422
    assert "“{t3x}” at position 10 names no item" in response.get_data(as_text=True)
    db.session.expire_all()
    assert t4.text("label", "de") == "t4 (de)"


def test_a_translation_cannot_pipe_what_the_builder_refuses(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=ITEMS)
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/questionnaires/{questionnaire.id}/translations?source=de&target=en"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "t.item.t4.label": "Forward {t3x}",
                                      "t.item.t3.label": "About {t1}"})
    assert response.status_code == 422
    assert "“t4”, question (en): “{t3x}” at position 9 names no item" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _item(questionnaire, "t3").text("label", "en") == "t3 (en)"


def test_an_item_cannot_move_after_a_text_that_pipes_it_nor_before_what_it_pipes(survey):
    t1, t4 = _item(survey, "t1"), _item(survey, "t4")
    builder.set_item_texts(_item(survey, "t3"), "de", {"label": "Zu {t1}"})
    builder.set_item_texts(t4, "en", {"label": "About {t3}"})
    error = _refused(builder.update_item, t1, code="t1", required=False, page=3, settings={})
    assert str(error.message).startswith("“t3”, question (de): “t1” at position 4 is not asked before this")
    error = _refused(builder.update_item, t4, code="t4", required=False, page=1, settings={})
    assert str(error.message).startswith("“t4”, question (en): “t3” at position 7 is not asked before this")


def test_pages_cannot_move_so_that_a_text_pipes_a_later_answer(survey, db):
    builder.set_item_texts(_item(survey, "t3"), "de", {"label": "Zu {t1}"})
    db.session.commit()
    with pytest.raises(DomainError, match="not moved.*“t3”, question \\(de\\): “t1” at position 4 is not asked"):
        pages.move_page(survey, 1, 1)
    db.session.rollback()  # as the view does
    pages.move_page(survey, 2, 1)  # t3's page after t4's: {t1} still comes first
    assert _item(survey, "t3").page == 3
