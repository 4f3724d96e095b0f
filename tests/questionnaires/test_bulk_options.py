"""Options in bulk, one per line: added after the existing ones or replacing the list; an option keeps its code
when its label (or code) is listed again; once answered, a change of the codes offered makes a new version."""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.errors import DomainError
from surveyapp.questionnaires.models import Item, Status
from surveyapp.questionnaires.option_lines import parse_lines
from tests.questionnaires.builder import Builder


@pytest.fixture
def colour(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=[
        ("colour", "single", False, 1, {}, ["red", "green"])])
    return Builder(client), questionnaire.items[0]


def _post(b, item, lines, mode="append", lang="de"):
    return b.post(f"/manage/items/{item.id}/options/bulk?lang={lang}", {"lines": lines, "mode": mode})


def _options(db, item):
    db.session.expire_all()
    item = db.session.get(Item, item.id)
    return [(option.code, option.label("de")) for option in item.options]


def test_parse_lines():
    assert parse_lines("1 = Nie\n\n  selten \nx=y = z\nnur label") == [
        ("1", "Nie"), (None, "selten"), ("x", "y = z"), (None, "nur label")]
    with pytest.raises(Exception, match="at least one option"):
        parse_lines(" \n ")


@pytest.mark.parametrize(("text", "message"), [
    ("a = A\nx =", "Line 2 (“x =”): write an option code before “=” and its label after it"),
    ("a = A\n\n = ", "Line 3 (“=”)"),
    ("= nur label", "Line 1 (“= nur label”)"),
    ("Ja = yes", "Line 1: “Ja” is not an option code"),
    ("a = A\nBad Code! = x", "Line 2: “Bad Code!” is not an option code"),
    ("1 + 1 = 2", "Line 1: “1 + 1” is not an option code"),
])
def test_a_line_with_an_empty_side_or_no_code_before_the_equals_sign_is_refused(text, message):
    with pytest.raises(DomainError) as caught:
        parse_lines(text)
    assert message in str(caught.value.message)


def test_append_keeps_existing_options_and_suggests_codes(colour, db):
    b, item = colour
    assert _post(b, item, "Blau\nred-de\nGelb und Grün\n9 = Weiß").status_code == 302
    assert _options(db, item) == [("red", "red-de"), ("green", "green-de"), ("blau", "Blau"),
                                  ("gelb_und_gruen", "Gelb und Grün"), ("9", "Weiß")]


def test_replace_keeps_codes_by_label_reorders_and_deletes_the_rest(colour, db):
    b, item = colour
    assert _post(b, item, "green-de\nLila\nRED-DE", mode="replace").status_code == 302
    assert _options(db, item) == [("green", "green-de"), ("lila", "Lila"), ("red", "RED-DE")]


def test_labels_in_another_language_match_that_language(colour, db):
    b, item = colour
    assert _post(b, item, "green = Green\nred = Red", mode="replace", lang="en").status_code == 302
    db.session.expire_all()
    item = db.session.get(Item, item.id)
    assert [(o.code, o.label("en"), o.label("de")) for o in item.options] == [
        ("green", "Green", "green-de"), ("red", "Red", "red-de")]


@pytest.mark.parametrize(("lines", "message"), [
    ("", "This field is required"),
    ("red-de\nred-de", "listed twice"),
    ("Bad Code! = x\n= y", "Line 1: “Bad Code!” is not an option code"),
    ("Blau\nx =", "Line 2 (“x =”)"),
    ("ÄÖ\nx" + "\nx" * 200, "at most 200 options"),
])
def test_bad_lists_are_refused_with_nothing_saved(colour, db, lines, message):
    b, item = colour
    answer = _post(b, item, lines, mode="replace")
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert _options(db, item) == [("red", "red-de"), ("green", "green-de")]


def test_once_answered_replacing_makes_a_new_version(colour, db, make):
    from surveyapp.respond import service as respond

    b, item = colour
    respond.save_page(item.questionnaire, "k1", 1, "de", {item.id: ["green"]}, final=True)
    db.session.commit()
    assert _post(b, item, "red-de\nBlau", mode="replace").status_code == 302
    db.session.expire_all()
    assert db.session.get(Item, item.id).questionnaire.version == 2
    assert _options(db, item) == [("red", "red-de"), ("blau", "Blau")]


def test_items_without_options_have_no_bulk_form(client, make, auth, db):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=[("note", "text", False, 1, {}, [])])
    item = db.session.scalar(select(Item).where(Item.questionnaire_id == questionnaire.id))
    assert Builder(client).post(f"/manage/items/{item.id}/options/bulk", {"lines": "a"}).status_code == 404


def test_replacing_keeps_an_option_a_condition_compares_with(colour, db, make):
    from surveyapp.questionnaires import service

    b, item = colour
    later = service.add_item(item.questionnaire, "why", "text", page=1, texts={"de": {"label": "Warum?"}})
    service.set_item_condition(later, "colour = 'green'")
    db.session.commit()
    refused = _post(b, item, "red-de", mode="replace")
    assert refused.status_code in (409, 422) and "cannot be deleted" in refused.get_data(as_text=True)
    assert _options(db, item) == [("red", "red-de"), ("green", "green-de")]


def test_a_ranking_s_parts_follow_its_options_given_in_bulk(client, make, auth, db):
    from surveyapp.questionnaires import service

    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    questionnaire = make.questionnaire(programme, status=Status.DRAFT, items=[("note", "text", False, 1, {}, [])])
    ranking = service.add_item(questionnaire, "prefer", "ranking", texts={"de": {"label": "Reihenfolge?"}})
    db.session.commit()
    assert _post(Builder(client), ranking, "Bus\nRad\nAuto").status_code == 302
    db.session.expire_all()
    ranking = db.session.get(Item, ranking.id)
    assert [part.code for part in ranking.parts] == ["prefer_bus", "prefer_rad", "prefer_auto"]
    assert [part.text("label", "de") for part in ranking.parts] == ["Bus", "Rad", "Auto"]
