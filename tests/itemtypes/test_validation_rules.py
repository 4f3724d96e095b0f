"""Validation rules per item: a text's length and pattern (with its own message per language), how many
options a multiple choice takes; hints before anyone errs, messages in the page's language, and the builder's
checks of the rules themselves."""
import pytest

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.itemtypes import item_type
from surveyapp.itemtypes.rules import check_pattern
from surveyapp.questionnaires import service as builder
from tests.itemtypes.examples import answer, questionnaire_with, stored
from tests.questionnaires.builder import Builder, item_fields


def test_a_text_s_length(app, db, make):
    questionnaire = questionnaire_with(make, "text", settings={"min_length": 3, "max_length": 5})
    page = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert "From 3 to 5 characters." in page and 'maxlength="5"' in page
    refused = answer(app.test_client(), questionnaire, "ab")
    assert refused.status_code == 422 and "Please write from 3 to 5 characters." in refused.get_data(as_text=True)
    assert answer(app.test_client(), questionnaire, "abcdef").status_code == 422
    assert answer(app.test_client(), questionnaire, "abcd").status_code == 302
    assert stored(db, questionnaire) == ["abcd"]


def test_a_long_text_s_minimum(app, db, make):
    questionnaire = questionnaire_with(make, "longtext", settings={"min_length": 10})
    page = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert "At least 10 characters." in page
    refused = answer(app.test_client(), questionnaire, "too short")
    assert "Please write at least 10 characters." in refused.get_data(as_text=True)
    assert answer(app.test_client(), questionnaire, "long enough\r\nnow").status_code == 302


def test_a_pattern_with_the_default_message_in_the_page_s_language(app, db, make):
    questionnaire = questionnaire_with(make, "text", settings={"pattern": "[0-9]{4}"})
    refused = answer(app.test_client(), questionnaire, "80 10")
    assert refused.status_code == 422 and "Please use the format asked for." in refused.get_data(as_text=True)
    refused = answer(app.test_client(), questionnaire, "123", lang="de")
    assert "Bitte" in refused.get_data(as_text=True) or "format" in refused.get_data(as_text=True)
    assert answer(app.test_client(), questionnaire, "8010").status_code == 302
    assert stored(db, questionnaire) == ["8010"]


def test_a_pattern_with_the_manager_s_message_per_language(app, db, make):
    questionnaire = questionnaire_with(make, "text", settings={"pattern": "[0-9]{4}"})
    item = questionnaire.items[0]
    builder.set_item_texts(item, "en", {"invalid": "Four digits, please."})
    builder.set_item_texts(item, "de", {"invalid": "Bitte vier Ziffern."})
    db.session.commit()
    assert "Four digits, please." in answer(app.test_client(), questionnaire, "x").get_data(as_text=True)
    assert "Bitte vier Ziffern." in answer(app.test_client(), questionnaire, "x", lang="de").get_data(as_text=True)


@pytest.mark.parametrize("pattern, problem", [
    ("(", "no valid regular expression"), ("x" * 201, "at most 200"), (r"(\w)\1", "backreference"),
    ("(?=a)b", "lookaround"), (r"(\d+-?)+x", "too complex"), ("a*a*a*a*b", "at most 3 repeats"),
    ("(a|bc)+", "alternatives"),
])
def test_unsafe_or_broken_patterns_are_refused(app, pattern, problem):
    with app.test_request_context(), pytest.raises(DomainError, match=problem):
        check_pattern(pattern)


def test_usual_patterns_are_taken(app):
    for pattern in (r"[0-9]{4}", r"[A-Z]{2}\d{2,4}", r"\+?[0-9 ]{6,20}", r"[^@\s]+@[^@\s]+\.[a-z]{2,}", r"(abc)+"):
        assert check_pattern(pattern) == pattern
    assert check_pattern("  ") is None


def test_a_multiple_choice_takes_at_least_and_at_most(app, db, make):
    questionnaire = make.questionnaire(languages=("en", "de"), items=[
        ("x", "multiple", True, 1, {"min_choices": 2, "max_choices": 3}, ["a", "b", "c", "d"])])
    page = app.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert "Choose from 2 to 3." in page
    assert "Please choose at least 2 answers." in answer(app.test_client(), questionnaire, ["a"]).get_data(
        as_text=True)
    assert "Please choose at most 3 answers." in answer(app.test_client(), questionnaire,
                                                        ["a", "b", "c", "d"]).get_data(as_text=True)
    assert answer(app.test_client(), questionnaire, ["a", "c"]).status_code == 302


def test_hint_of_an_upper_bound_only(app, make):
    questionnaire = make.questionnaire(languages=("en",), items=[
        ("x", "multiple", False, 1, {"max_choices": 3}, ["a", "b", "c", "d"])])
    assert "Choose up to 3." in app.test_client().get(f"/s/{questionnaire.slug}").get_data(as_text=True)


@pytest.mark.parametrize("code, settings, problem", [
    ("text", {"min_length": 5, "max_length": 3}, "minimum must not be greater"),
    ("text", {"max_length": 501}, "from 1 to 500"),
    ("longtext", {"max_length": 5001}, "from 1 to 5000"),
    ("multiple", {"min_choices": 3, "max_choices": 2}, "minimum must not be greater"),
    ("text", {"pattern": "("}, "no valid regular expression"),
])
def test_contradictory_rules_are_refused(app, code, settings, problem):
    with app.test_request_context(), pytest.raises(DomainError, match=problem):
        item_type(code).check_settings(settings)


def test_the_builder_shows_each_type_s_rules_only(client, db, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    text = questionnaire_with(make, "text", programme).items[0]
    page = client.get(f"/manage/items/{text.id}").get_data(as_text=True)
    assert 'name="pattern"' in page and 'name="min_length"' in page and 'name="min_choices"' not in page
    longtext = questionnaire_with(make, "longtext", programme).items[0]
    page = client.get(f"/manage/items/{longtext.id}").get_data(as_text=True)
    assert 'name="min_length"' in page and 'name="pattern"' not in page
    refused = Builder(client).post(f"/manage/items/{text.id}", item_fields(text, pattern="(a+)+$"))
    assert refused.status_code == 422 and "too complex" in refused.get_data(as_text=True)
    saved = Builder(client).post(f"/manage/items/{text.id}", item_fields(text, pattern="[0-9]{4}", min_length=4))
    assert saved.status_code == 302
    db.session.expire_all()
    assert text.settings == {"pattern": "[0-9]{4}", "min_length": 4}
