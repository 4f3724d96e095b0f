"""Conditions and skip rules checked against their questionnaire (questionnaires.conditions), renames that
follow a code into every condition and pipe, and deletions refused while something reads the item."""
import pytest

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.conditions import (
    ConditionError,
    DependedOn,
    check_item_condition,
    check_page_condition,
    check_skips,
    dependants,
    option_dependants,
)
from surveyapp.questionnaires.models import Item, ItemText, Page, Status, set_text
from surveyapp.questionnaires.service import LockedError
from surveyapp.responses.models import Response
from tests.questionnaires.builder import Builder

ITEMS = [
    ("colour", "single", False, 1, {}, ["red", "green", "blue"]),
    ("tools", "multiple", False, 1, {}, ["bike", "car"]),
    ("agree", "likert", False, 1, {"points": 5}, []),
    ("intro", "display", False, 1, {}, []),
    ("ok", "yesno", False, 1, {}, []),
    ("age", "number", False, 2, {}, []),
    ("services", "matrix", False, 2, {}, []),
    ("name", "text", False, 2, {}, []),
    ("when", "date", False, 3, {}, []),
]


@pytest.fixture
def survey(make, db):
    """Pages 1-3; on page 2 a matrix with two rows (parts) between `age` and `name`."""
    questionnaire = make.questionnaire(status=Status.DRAFT, items=ITEMS)
    matrix = _item(questionnaire, "services")
    for position, row in enumerate(("library", "buses"), start=matrix.position + 1):
        part = Item(code=f"services_{row}", type="likert", page=2, position=position, settings={"points": 5})
        part.parent = matrix
        questionnaire.items.append(part)
    _item(questionnaire, "name").position = matrix.position + 3
    _item(questionnaire, "when").position = matrix.position + 4
    questionnaire.items.sort(key=lambda item: item.position)
    db.session.commit()
    return questionnaire


def _item(questionnaire, code):
    return next(item for item in questionnaire.items if item.code == code)


def _refused(check, *args) -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        check(*args)
    assert caught.value.status_code == 422
    return caught.value


def test_a_condition_on_earlier_items_is_stored_trimmed(survey):
    text = "  colour = 'red' and (selected(tools, 'bike') or agree >= 4) and ok = 'yes' and services_buses < 3 "
    assert check_item_condition(_item(survey, "name"), text) == text.strip()
    assert check_item_condition(_item(survey, "name"), "  ") is None
    assert check_item_condition(_item(survey, "name"), None) is None


def test_same_page_earlier_item_and_earlier_row_may_be_read(survey):
    assert check_item_condition(_item(survey, "tools"), "colour = 'red'")
    assert check_item_condition(_item(survey, "services_buses"), "answered(services_library)")


@pytest.mark.parametrize(("code", "text", "message", "position"), [
    ("age", "q9 = 1", "Condition of “age”: unknown item “q9” at position 1.", 1),
    ("colour", "tools = 'bike'", "Condition of “colour”: “tools” at position 1 is not asked before this (page 1): "
                                 "only earlier answers can be used.", 1),
    ("age", "age > 3", "Condition of “age”: “age” at position 1 is not asked before this (page 2): "
                       "only earlier answers can be used.", 1),
    ("age", "ok = 'yes' or when < '2026-01-01'", "Condition of “age”: “when” at position 15 is not asked before "
                                                 "this (page 3): only earlier answers can be used.", 15),
    ("services", "services_library = 1", "Condition of “services”: “services_library” at position 1 is not "
                                         "asked before this (page 2): only earlier answers can be used.", 1),
    ("age", "answered(intro)", "Condition of “age”: “intro” at position 10 is a text to read and takes no "
                               "answer.", 10),
    ("when", "count(services) > 0", "Condition of “when”: “services” at position 7 has no answer of its own: "
                                    "use its parts (services_library, services_buses).", 7),
    ("age", "colour = 'purple'", "Condition of “age”: “purple” at position 10 is not an option code of "
                                 "“colour” (its codes: red, green, blue).", 10),
    ("age", "'Red' != colour", "Condition of “age”: “Red” at position 1 is not an option code of “colour” "
                               "(its codes: red, green, blue).", 1),
    ("age", "selected(tools, 'plane')", "Condition of “age”: “plane” at position 17 is not an option code of "
                                        "“tools” (its codes: bike, car).", 17),
    ("age", "agree = 6", "Condition of “age”: “6” at position 9 is not an option code of “agree” "
                         "(its codes: 1, 2, 3, 4, 5).", 9),
    ("when", "selected(name, 'x')", "Condition of “when”: “selected” at position 1 needs an item with options, "
                                    "and “name” has none: compare it instead, e.g. name = 'text'.", 1),
    ("when", "name > 'abc'", "Condition of “when”: “>” at position 8 compares numbers or dates, and “abc” is "
                             "neither.", 8),
    ("age", "(colour = 'red'", "Condition of “age”: Missing “)” at position 16.", 16),
    ("age", "colour = 'red' or count(colour) > 1", "Condition of “age”: “count” at position 19 counts the options "
                                                  "chosen in a multiple choice, and “colour” is not one: use "
                                                  "answered(colour) or compare it.", 19),
    ("when", "count(age) > 1", "Condition of “when”: “count” at position 1 counts the options chosen in a "
                               "multiple choice, and “age” is not one: use answered(age) or compare it.", 1),
    ("age", "colour = 'dk'", "Condition of “age”: “dk” at position 10 is not an option code of “colour” "
                             "(its codes: red, green, blue).", 10),
])
def test_item_condition_refusals_name_the_item_and_position(survey, code, text, message, position):
    error = _refused(check_item_condition, _item(survey, code), text)
    assert (str(error.message), error.position) == (message, position)


def test_count_reads_a_multiple_choice(survey):
    assert check_item_condition(_item(survey, "age"), "count(tools) > 1")


def test_dont_know_and_other_are_codes_where_the_item_offers_them(survey, db):
    colour, agree = _item(survey, "colour"), _item(survey, "agree")
    colour.settings = {"other": True, "dont_know": True}
    agree.settings = {**agree.settings, "dont_know": True}
    db.session.flush()
    text = "colour = 'dk' or selected(colour, 'other') or colour != 'red' or agree = 'dk'"
    assert check_item_condition(_item(survey, "age"), text) == text
    error = _refused(check_item_condition, _item(survey, "age"), "tools = 'other'")
    assert "“other” at position 9 is not an option code of “tools” (its codes: bike, car)." in str(error.message)


def test_numbers_match_option_codes_as_numbers(survey):
    assert check_item_condition(_item(survey, "age"), "agree = 5.0 or agree >= 4 or agree != '2'")


def test_page_condition_reads_earlier_pages_only(survey):
    assert check_page_condition(survey, 3, " age > 17 and colour = 'red' ") == "age > 17 and colour = 'red'"
    error = _refused(check_page_condition, survey, 2, "colour = 'red' and age > 17")
    assert str(error.message) == ("Condition of page 2: “age” at position 20 is not asked before this (page 2): "
                                  "only earlier answers can be used.")


def test_skips_read_up_to_their_page_and_go_forward(survey):
    rules = [{"when": " age < 18 ", "to": 3}, {"when": "colour = 'red'", "to": "end"}, {"when": "", "to": "3"}]
    assert check_skips(survey, 2, rules) == [{"when": "age < 18", "to": 3}, {"when": "colour = 'red'", "to": "end"},
                                             {"when": "", "to": 3}]


@pytest.mark.parametrize(("skips", "message"), [
    ([{"when": "when > '2026-01-01'", "to": "end"}],
     "Skip rule 1 of page 2: “when” at position 1 is not asked before this (page 3): only earlier answers can "
     "be used."),
    ([{"when": "", "to": 3}, {"when": "age >", "to": 3}],
     "Skip rule 2 of page 2: The expression ends too early: something is missing at position 6."),
    ([{"when": "", "to": 2}], "Skip rule 1 of page 2: go to a later page or to the end (not “2”)."),
    ([{"when": "", "to": 1}], "Skip rule 1 of page 2: go to a later page or to the end (not “1”)."),
    ([{"when": "", "to": 9}], "Skip rule 1 of page 2: go to a later page or to the end (not “9”)."),
    ([{"when": "", "to": "elsewhere"}], "Skip rule 1 of page 2: go to a later page or to the end (not “elsewhere”)."),
    ([{"when": ""}], "Skip rule 1 of page 2: go to a later page or to the end (not “None”)."),
    ([{"when": "", "to": True}], "Skip rule 1 of page 2: go to a later page or to the end (not “True”)."),
    (["age > 3"], "Skip rule 1 of page 2: a rule needs a condition and a page to go to."),
    ([{"when": 5, "to": 3}], "Skip rule 1 of page 2: “5” at position 1 is a value, not a condition: compare it, "
                             "e.g. q1 = 'yes', or use answered(q1)."),
    ("age > 3", "A page has at most 20 skip rules."),
    ([{"when": "", "to": "end"}] * 21, "A page has at most 20 skip rules."),
])
def test_skip_refusals(survey, skips, message):
    assert str(_refused(check_skips, survey, 2, skips).message) == message


def test_a_code_rename_follows_into_conditions_skips_and_pipes(survey, db):
    colour = _item(survey, "colour")
    _item(survey, "age").condition = "${colour} = 'red' and  colour≠'blue'"
    survey.pages.append(Page(number=2, condition="selected(colour, 'red')",
                             skips=[{"when": "colour = 'green'", "to": "end"}, {"when": "", "to": 3}]))
    # stored unchecked (from before pipes were checked): {colourful} names no item, yet stops no rename of colour
    set_text(_item(survey, "name"), ItemText, "help", "de", "Du magst {colour}, {colourful}?")
    _item(survey, "tools").options[0].texts[0].text = "Rad wie {colour}"
    builder.set_questionnaire_texts(survey, "en", {"thanks": "Thanks for {colour}!"})
    db.session.flush()

    builder.update_item(colour, code="hue", required=False, page=1, settings={})
    db.session.commit()

    assert _item(survey, "age").condition == "${hue} = 'red' and  hue≠'blue'"
    assert survey.page(2).condition == "selected(hue, 'red')"
    assert survey.page(2).skips == [{"when": "hue = 'green'", "to": "end"}, {"when": "", "to": 3}]
    assert _item(survey, "name").text("help", "de") == "Du magst {hue}, {colourful}?"
    assert _item(survey, "tools").options[0].texts[0].text == "Rad wie {hue}"
    assert survey.text("thanks", "en") == "Thanks for {hue}!"


def test_no_rename_once_answered_and_conditions_unchanged(survey, db):
    _item(survey, "age").condition = "colour = 'red'"
    db.session.add(Response(questionnaire_id=survey.id, key="k" * 32, lang="de"))
    db.session.flush()
    with pytest.raises(LockedError):
        builder.update_item(_item(survey, "colour"), code="hue", required=False, page=1, settings={})
    assert _item(survey, "age").condition == "colour = 'red'"


def test_dependants_and_a_refused_delete(survey, db):
    _item(survey, "age").condition = "colour = 'red'"
    builder.set_item_texts(_item(survey, "when"), "en", {"help": "Since {colour}?"})
    survey.pages.append(Page(number=3, condition="ok = 'yes'", skips=[{"when": "colour = 'blue'", "to": "end"}]))
    db.session.flush()
    assert dependants(survey, "colour") == ["age", "when", "page 3"]
    assert dependants(survey, "tools") == []

    with pytest.raises(DependedOn) as caught:
        builder.delete_item(_item(survey, "colour"))
    assert caught.value.status_code == 409
    assert str(caught.value.message) == ("“colour” cannot be deleted: it is used by age, when, page 3. "
                                         "Change them first.")
    assert _item(survey, "colour") in survey.items

    builder.delete_item(_item(survey, "tools"))
    assert "tools" not in [item.code for item in survey.items]


def test_a_composite_is_not_deletable_while_its_rows_are_read_elsewhere(survey, db):
    _item(survey, "services_buses").condition = "services_library > 2"  # its own rows: deleted together
    db.session.flush()
    assert dependants(survey, "services_library") == ["services_buses"]
    _item(survey, "when").condition = "services_buses = 1"
    with pytest.raises(DomainError, match="“services” cannot be deleted: it is used by when"):
        builder.delete_item(_item(survey, "services"))
    _item(survey, "when").condition = None
    builder.delete_item(_item(survey, "services"))
    db.session.commit()
    assert [item.code for item in survey.items] == ["colour", "tools", "agree", "intro", "ok", "age", "name", "when"]


def test_an_option_code_rename_follows_into_conditions_on_that_item_only(survey, db):
    _item(survey, "when").condition = "colour = 'red' or selected(colour, „red“) or 'red' != colour or name = 'red'"
    survey.pages.append(Page(number=3, skips=[{"when": "colour = \"red\"", "to": "end"}]))
    db.session.flush()
    builder.update_option(_item(survey, "colour").options[0], "crimson", {})
    db.session.commit()
    assert _item(survey, "when").condition == ("colour = 'crimson' or selected(colour, „crimson“) "
                                               "or 'crimson' != colour or name = 'red'")
    assert survey.page(3).skips == [{"when": "colour = \"crimson\"", "to": "end"}]
    assert check_item_condition(_item(survey, "when"), _item(survey, "when").condition)


def test_an_option_is_not_deletable_while_a_condition_compares_with_it(survey, db):
    _item(survey, "age").condition = "selected(tools, 'car')"
    survey.pages.append(Page(number=3, condition="tools != 'car' and colour = 'red'"))
    db.session.flush()
    car = _item(survey, "tools").options[1]
    assert option_dependants(_item(survey, "tools"), "car") == ["age", "page 3"]
    with pytest.raises(DependedOn) as caught:
        builder.delete_option(car)
    assert str(caught.value.message) == "“car” cannot be deleted: it is used by age, page 3. Change them first."
    builder.delete_option(_item(survey, "tools").options[0])
    assert [option.code for option in _item(survey, "tools").options] == ["car"]


def test_deleting_through_the_builder_names_who_depends_and_keeps_everything(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=ITEMS[:6])
    _item(questionnaire, "age").condition = "colour = 'red' and agree >= 4"
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme).email)
    b = Builder(client)
    colour, red = _item(questionnaire, "colour"), _item(questionnaire, "colour").options[0]
    for url, code in ((f"/manage/items/{colour.id}/delete", "colour"), (f"/manage/options/{red.id}/delete", "red")):
        response = b.post(url)
        assert response.status_code == 409  # DependedOn's own status, not the form's 422
        assert f"“{code}” cannot be deleted: it is used by age." in response.get_data(as_text=True)
    db.session.expire_all()
    assert [option.code for option in _item(questionnaire, "colour").options] == ["red", "green", "blue"]


def test_an_item_cannot_move_after_the_conditions_that_read_it(survey, db):
    _item(survey, "age").condition = "colour = 'red'"
    survey.pages.append(Page(number=3, skips=[{"when": "name = 'x'", "to": "end"}]))
    db.session.commit()
    builder.update_item(_item(survey, "colour"), code="colour", required=False, page=2, settings={})
    with pytest.raises(ConditionError, match="Condition of “age”: “colour” at position 1 is not asked before this "
                                             r"\(page 3\)"):
        builder.update_item(_item(survey, "colour"), code="colour", required=False, page=3, settings={})
    db.session.rollback()
    with pytest.raises(ConditionError, match="Skip rule 1 of page 3: “name” at position 1"):
        builder.update_item(_item(survey, "name"), code="name", required=False, page=4, settings={})
