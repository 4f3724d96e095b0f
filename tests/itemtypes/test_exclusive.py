"""An exclusive option on a multiple choice ("none of these"): chosen alone it is an answer, with any other
option it is refused; the builder refuses a code that is no option of the item."""
import pytest

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.questionnaires import service as builder
from tests.itemtypes.examples import answer, stored
from tests.questionnaires.builder import Builder, item_fields

MESSAGE = "“none-en” cannot be chosen together with other answers."


@pytest.fixture
def questionnaire(make):
    return make.questionnaire(languages=("en", "de"), items=[
        ("x", "multiple", True, 1, {"exclusive": "none", "min_choices": 2}, ["red", "green", "none"])])


def test_alone_it_is_an_answer_even_below_the_minimum(app, db, questionnaire):
    assert answer(app.test_client(), questionnaire, ["none"]).status_code == 302
    assert stored(db, questionnaire) == ["none"]


def test_with_another_option_it_is_refused(app, db, questionnaire):
    refused = answer(app.test_client(), questionnaire, ["red", "none"])
    assert refused.status_code == 422
    assert MESSAGE in refused.get_data(as_text=True)
    assert stored(db, questionnaire) == []


def test_in_german_the_message_names_the_german_label(app, questionnaire):
    refused = answer(app.test_client(), questionnaire, ["green", "none"], lang="de")
    assert refused.status_code == 422 and "none-de" in refused.get_data(as_text=True)


def test_the_other_options_follow_their_own_rules(app, db, questionnaire):
    assert answer(app.test_client(), questionnaire, ["red"]).status_code == 422  # at least 2
    assert answer(app.test_client(), questionnaire, ["red", "green"]).status_code == 302


def test_the_code_must_be_an_option(db, make):
    questionnaire = make.questionnaire(items=[("x", "multiple", False, 1, {}, ["red", "green"])])
    with pytest.raises(DomainError, match="nobody"):
        builder.update_item(questionnaire.items[0], code="x", required=False, page=1,
                            settings={"exclusive": "nobody"})


def test_the_builder_sets_and_refuses_it(client, db, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = make.questionnaire(programme, items=[("x", "multiple", False, 1, {}, ["red", "none"])])
    item = questionnaire.items[0]
    forms = Builder(client)
    page = client.get(f"/manage/items/{item.id}").get_data(as_text=True)
    assert 'id="exclusive" name="exclusive"><option value="">–</option>' in page
    assert '<option value="none">none-de (none)</option></select>' in page
    refused = forms.post(f"/manage/items/{item.id}", item_fields(item, exclusive="nobody"))
    assert refused.status_code == 422 and "nobody is not" in refused.get_data(as_text=True)
    assert forms.post(f"/manage/items/{item.id}", item_fields(item, exclusive="none")).status_code == 302
    db.session.expire_all()
    assert item.settings["exclusive"] == "none"


def test_the_page_names_the_exclusive_option_for_its_script(app, questionnaire):
    html = app.test_client().get(f"/s/{questionnaire.slug}").get_data(as_text=True)
    assert '<div data-exclusive="none">' in html and "/exclusive" in html and "onclick" not in html
