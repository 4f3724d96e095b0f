"""Export -> import gives the same questionnaire: codes, types, settings (validation), texts in every language,
options, conditions, page conditions and skips, a matrix's rows, "other" and "don't know". A rich
questionnaire built for the purpose, and every template of the library."""
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from surveyapp import create_app
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.interchange import service, xlsform
from surveyapp.programmes.models import Programme
from surveyapp.starters import service as starters
from tests.conftest import _test_config
from tests.interchange.dump import dump

EN_DE = ("en", "de")


def both(en: str, de: str) -> dict:
    return {"en": en, "de": de}


def label(en: str, de: str | None = None) -> dict:
    return {"label": both(en, de or f"{en} (de)")}


def options(*codes: str) -> list[dict]:
    return [{"code": code, "label": both(code.title(), f"{code.title()} (de)")} for code in codes]


RICH = {
    "languages": ["en", "de"],
    "title": both("Everything", "Alles"),
    "texts": {"intro": both("Welcome", "Willkommen"), "thanks": both("Thanks", "Danke")},
    "pages": [
        {"title": both("About you", "Über dich"), "items": [
            {"code": "name", "type": "text", "required": True, "settings": {"pattern": "[A-Z][a-z]+"},
             "texts": {**label("Your first name?"), "invalid": both("A capital first", "Groß zuerst"),
                       "help": both("As on your ID", "Wie im Ausweis")}},
            {"code": "age", "type": "number", "required": True, "settings": {"min": 12, "max": 99},
             "texts": label("How old are you, {name}?", "Wie alt bist du, {name}?")},
            {"code": "height", "type": "number", "settings": {"decimals": 2, "max": 3}, "texts": label("Height")},
            {"code": "colour", "type": "single", "settings": {"other": True, "dont_know": True},
             "texts": {**label("Colour"), "other_label": both("Another", "Eine andere"),
                       "dk": both("No idea", "Keine Ahnung")}, "options": options("red", "green", "blue")},
            {"code": "born", "type": "date", "settings": {"earliest": "1920-01-01", "latest": "2020-12-31"},
             "texts": label("Born on")},
        ]},
        {"title": both("Opinions", "Meinungen"), "condition": "age >= 18 and not colour = 'red'",
         "skips": [{"when": "colour = 'blue'", "to": 4}], "items": [
            {"code": "intro_text", "type": "display", "texts": label("Now some opinions.")},
            {"code": "tools", "type": "multiple",
             "settings": {"min_choices": 1, "max_choices": 3, "exclusive": "none", "other": True},
             "texts": label("Tools"), "options": options("hammer", "saw", "drill", "none")},
            {"code": "agree", "type": "likert", "required": True, "settings": {"points": 7, "dont_know": True},
             "texts": {**label("I agree"), "low": both("Not at all", "Gar nicht"),
                       "high": both("Fully", "Völlig")}, "condition": "count(tools) > 1"},
            {"code": "recommend", "type": "scale10", "texts": label("Recommend?"),
             "condition": "selected(tools, 'saw') or answered(age)"},
            {"code": "again", "type": "yesno", "texts": label("Again?"), "condition": "empty(born)"},
        ]},
        {"title": both("Grids", "Raster"), "items": [
            {"code": "grid", "type": "matrix", "required": True, "settings": {"scale": "likert", "points": 5},
             "texts": {**label("Rate"), "low": both("bad", "schlecht"), "high": both("good", "gut")},
             "rows": [{"code": "food", "label": both("Food", "Essen")},
                      {"code": "rooms", "label": both("Rooms", "Zimmer"), "condition": "again = 'yes'"}]},
            {"code": "choose", "type": "matrix", "settings": {"scale": "options"}, "texts": label("Choose"),
             "options": options("often", "rarely"), "rows": [{"code": "bus", "label": both("Bus", "Bus")}]},
            {"code": "tens", "type": "matrix", "settings": {"scale": "scale10"}, "texts": label("Tens"),
             "rows": [{"code": "a", "label": both("A", "A")}]},
            {"code": "order", "type": "ranking", "settings": {"rank_at_most": 2}, "texts": label("Order"),
             "options": options("x", "y", "z")},
        ]},
        {"title": both("End", "Ende"), "items": [
            {"code": "remarks", "type": "longtext", "settings": {"max_length": 400},
             "texts": label("Anything else?"), "condition": "recommend <= 6 or age != 30"},
            {"code": "short", "type": "text", "settings": {"min_length": 2, "max_length": 20},
             "texts": label("In short")},
        ]},
    ],
}


def _same(copy, original) -> None:
    """Item by item first, so a difference names its item."""
    copied, originals = dump(copy), dump(original)
    for mine, theirs in zip(copied.pop("items"), originals.pop("items"), strict=True):
        assert mine == theirs
    assert copied == originals


def _round_trip(db, programme, data: dict, languages: list[str], slug: str):
    original = starters.build(data, programme, slug, languages)
    db.session.flush()
    exported = service.export_xlsform(original)
    draft = xlsform.read(exported)
    assert draft.problems == []
    copy = service.create(draft, programme, f"{slug}-copy")
    db.session.flush()
    return original, copy, exported


def test_a_rich_questionnaire_comes_back_identical(app, db, make):
    programme = make.programme()
    original, copy, exported = _round_trip(db, programme, RICH, ["en", "de"], "rich")
    _same(copy, original)
    assert len([item for item in original.items if item.parent is None]) == 16


def test_the_workbook_speaks_xlsform_to_other_tools(app, db, make):
    exported = service.export_xlsform(starters.build(RICH, make.programme(), "rich", ["en", "de"]))
    book = load_workbook(io.BytesIO(exported), read_only=True)
    survey = [row for row in book["survey"].iter_rows(values_only=True)]
    header = survey[0]
    rows = {row[header.index("name")]: dict(zip(header, row, strict=True)) for row in survey[1:]}
    assert "label::English (en)" in header and "label::German (de)" in header
    assert rows["colour"]["type"] == "select_one colour or_other"
    assert rows["name"]["constraint"] == "regex(., '^[A-Z][a-z]+$')"
    assert rows["age"]["constraint"] == ". >= 12 and . <= 99"
    assert rows["age"]["label::English (en)"] == "How old are you, ${name}?"
    assert rows["recommend"]["type"] == "range"
    assert rows["recommend"]["relevant"] == "selected(${tools}, 'saw') or ${age} != ''"
    assert rows["agree"]["relevant"] == "count-selected(${tools}) > 1"
    assert rows["page_2"]["relevant"] == "${age} >= 18 and not(${colour} = 'red')"
    assert rows["grid"]["appearance"] == "table-list" and rows["grid_food"]["type"] == "select_one grid"
    assert rows["order"]["type"] == "rank order"
    settings = [row for row in book["settings"].iter_rows(values_only=True)]
    assert dict(zip(*settings, strict=True))["default_language"] == "English (en)"


def test_every_template_comes_back_identical(app, db, make):
    programme = make.programme()
    for starter in starters.library():
        original, copy, _exported = _round_trip(db, programme, starter.data, starter.languages,
                                                 starter.key.replace("_", "-"))
        _same(copy, original)


SHARED = Path(__file__).parents[2].parent / "shared"
SHARED_FILES = sorted([*SHARED.glob("limesurvey/*.lss"), *SHARED.glob("xlsform/*.xlsx")])


@pytest.fixture(scope="module")
def shared_copies(_schema):
    """Every shared file imported (leaving out what does not map), exported and imported again, in one app of
    this module's own, rolled back: {file name: (dump of the import, dump of its copy, the copy's problems)}.
    Parts (a ranking's options, matrix rows, "other" text boxes) read by conditions and pipes must come back."""
    with create_app(_test_config(_schema, None)).app_context():
        programme = Programme(code="roundtrip", name="Round trip")
        db.session.add(programme)
        db.session.flush()
        found = {}
        for number, path in enumerate(SHARED_FILES):
            try:
                draft = service.read(path.name, path.read_bytes())
            except DomainError:
                continue
            if not draft.item_count:
                continue
            original = service.create(draft, programme, f"shared-{number}", skip_unsupported=True)
            db.session.flush()
            again = xlsform.read(service.export_xlsform(original))
            copy = service.create(again, programme, f"shared-{number}-copy", skip_unsupported=True)
            db.session.flush()
            found[path.name] = (dump(original), dump(copy), again.problems)
        db.session.rollback()
        db.engine.dispose()
        yield found


@pytest.mark.skipif(not SHARED_FILES, reason="../shared is not here")
@pytest.mark.parametrize("name", [path.name for path in SHARED_FILES])
def test_every_shared_file_comes_back_identical(shared_copies, name):
    if name not in shared_copies:
        pytest.skip("refused as a whole, or nothing in it can be imported")
    original, copy, problems = shared_copies[name]
    assert problems == []
    for mine, theirs in zip(copy.pop("items"), original.pop("items"), strict=True):
        assert mine == theirs
    assert copy == original
