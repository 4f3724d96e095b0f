"""Every wording an item type declares (end labels, "don't know", "other", a format's message), matrix rows, a
ranking's options and page titles, translated through the side-by-side view and through an exported file
brought back; the parts that follow their composite follow it; bad input changes nothing."""
import io

import pytest
from babel.messages.pofile import read_po, write_po

from surveyapp.accounts.models import Role
from surveyapp.itemtypes import REGISTRY
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Status
from surveyapp.questionnaires.slots import ITEM_KEYS, ITEM_NAMES, slots
from surveyapp.translations_ui import transfer
from tests.conftest import csrf_token
from tests.translations_ui.test_transfer import all_texts, base, sheet_rows, upload, workbook

ITEMS = [("colour", "single", True, 1, {"other": True, "dont_know": True}, ["red", "green"]),
         ("postcode", "text", False, 1, {"pattern": "[0-9]{4}"}, []),
         ("nps", "scale10", False, 1, {"dont_know": True}, []),
         ("services", "matrix", False, 2, {"scale": "likert", "points": 5, "rows": "library = Bibliothek\nbus = Busse"},
          []),
         ("modes", "ranking", False, 2, {}, ["bike", "car"])]
WORDING = {"colour": {"dk": "Weiß nicht", "other_label": "Etwas anderes"},
           "postcode": {"invalid": "Bitte vier Ziffern"},
           "nps": {"low": "gar nicht", "high": "sehr", "dk": "Keine Angabe"},
           "services": {"low": "schlecht", "high": "gut"}}
DERIVED = {"item.colour_other.label", "item.modes_bike.label", "item.modes_car.label"}


@pytest.fixture
def questionnaire(make, auth, db):
    """German complete, English only with what the factory gives (labels, options, title): every new kind of
    wording is missing in English."""
    programme = make.programme()
    questionnaire = make.questionnaire(programme, languages=("de", "en"), items=ITEMS, status=Status.DRAFT,
                                       pages=2)
    for item in questionnaire.items:
        if item.code in WORDING:
            builder.set_item_texts(item, "de", WORDING[item.code])
    builder.set_questionnaire_texts(questionnaire, "de", {"page.1": "Über Sie", "page.2": "Angebote"})
    db.session.commit()
    auth.login(make.user(Role.MANAGER, programme).email)
    return questionnaire


def english(text: str) -> str:
    return f"EN {text}"


def item(questionnaire, code):
    return next(item for item in questionnaire.items if item.code == code)


def assert_translated(questionnaire, db):
    """Each text a translator writes is the German one made English; the parts follow their composites."""
    db.session.expire_all()
    written = transfer.translatable(questionnaire)
    keys = {slot.key for slot in written}
    assert {"questionnaire.page.1", "questionnaire.page.2", "item.colour.dk", "item.colour.other_label",
            "item.postcode.invalid", "item.nps.low", "item.nps.high", "item.nps.dk", "item.services.low",
            "item.services.high", "item.services_library.label", "item.services_bus.label",
            "option.modes.bike.label"} <= keys
    assert not keys & DERIVED
    for slot in written:
        assert slot.get("en") == english(slot.get("de")), slot.key
    assert item(questionnaire, "colour_other").text("label", "en") == "EN Etwas anderes"
    assert item(questionnaire, "modes_bike").text("label", "en") == english("bike-de")
    assert item(questionnaire, "services_bus").text("high", "en") == "EN gut"
    builder.set_status(questionnaire, Status.OPEN)  # the gate finds English complete
    db.session.commit()


def test_every_wording_is_translated_in_the_side_by_side_view(client, questionnaire, db):
    url = f"{base(questionnaire)}?source=de&target=en&ui=en"
    html = client.get(url).get_data(as_text=True)
    assert "wording of “don’t know”" in html and "message when the format is not met" in html
    assert 'name="t.item.colour.other_label"' in html and 'name="t.questionnaire.page.2"' in html
    assert 'name="t.item.modes_bike.label"' not in html and "Follows question modes: translate it there." in html
    form = {f"t.{slot.key}": english(slot.get("de")) for slot in transfer.translatable(questionnaire)}
    saved = client.post(url, data={"csrf_token": csrf_token(client, url), **form})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert_translated(questionnaire, db)
    page = client.application.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert "EN Weiß nicht" in page and "EN Etwas anderes" in page and "EN Über Sie" in page


def test_every_wording_goes_out_and_back_in_a_workbook(client, questionnaire, db):
    rows = sheet_rows(client.get(f"{base(questionnaire)}/texts.xlsx").data)
    assert not {row[0] for row in rows} & DERIVED
    for row in rows[1:]:
        row[2] = english(row[1])
    response = upload(client, questionnaire, "texts.xlsx", workbook(rows))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert_translated(questionnaire, db)


def test_every_wording_goes_out_and_back_in_a_po_file(client, questionnaire, db):
    catalog = read_po(io.BytesIO(client.get(f"{base(questionnaire)}/en.po").data))
    assert not {message.context for message in catalog} & DERIVED
    for message in catalog:
        if message.id:
            message.string = english(message.id)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    response = upload(client, questionnaire, "en.po", buffer.getvalue())
    assert response.status_code == 302, response.get_data(as_text=True)
    assert_translated(questionnaire, db)


@pytest.mark.parametrize(("key", "text", "expected"), [
    ("item.colour.dk", "x" * 201, "at most 200 characters, please (this text has 201)"),
    ("item.postcode.invalid", "x" * 301, "at most 300 characters, please (this text has 301)"),
    ("item.services_bus.label", "x" * 2001, "at most 2000 characters, please (this text has 2001)"),
    ("questionnaire.page.1", "x" * 301, "at most 300 characters, please (this text has 301)"),
    ("item.modes_bike.label", "Fahrrad", "this text follows question “modes” and changes with it"),
])
def test_a_bad_text_changes_nothing(client, questionnaire, db, key, text, expected):
    before = all_texts(db)
    rows = [["key", "de", "en"], ["questionnaire.title", "", "Survey"], ["option.modes.bike.label", "", "Bike"],
            [key, "", text]]
    response = upload(client, questionnaire, "texts.xlsx", workbook(rows))
    assert response.status_code == 422
    assert f"Sheet “texts”, row 4, column C (en): {expected}" in response.get_data(as_text=True)
    db.session.expire_all()
    assert all_texts(db) == before


def test_a_followed_text_may_come_back_unchanged(client, questionnaire, db):
    rows = [["key", "de", "en"], ["item.modes_bike.label", "bike-de", "bike-en"], ["item.colour.dk", "", "No idea"]]
    assert upload(client, questionnaire, "texts.xlsx", workbook(rows)).status_code == 302
    db.session.expire_all()
    assert item(questionnaire, "colour").text("dk", "en") == "No idea"


def test_too_long_a_wording_in_the_view_is_refused_and_nothing_kept(client, questionnaire, db):
    url = f"{base(questionnaire)}?source=de&target=en&ui=en"
    before = all_texts(db)
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "t.questionnaire.page.1": "Page",
                                      "t.item.nps.dk": "x" * 201})
    assert response.status_code == 422
    assert "Question nps: wording of “don’t know”: at most 200 characters" in response.get_data(as_text=True)
    db.session.expire_all()
    assert all_texts(db) == before


def test_every_declared_wording_has_a_slot_a_name_and_a_limit(questionnaire):
    declared = {key for kind in REGISTRY.values() for key in kind.text_keys}
    assert declared <= set(ITEM_KEYS) and declared <= set(ITEM_NAMES) and declared <= set(transfer.item_limits())
    for slot in slots(questionnaire):
        limit, _multiline = transfer.text_limit(slot)
        assert limit > 0


def test_a_language_is_added_by_its_name(client, questionnaire, db):
    url = f"{base(questionnaire)}?ui=en"
    html = client.get(url).get_data(as_text=True)
    assert '<select id="lang" name="lang"' in html and "<option value=\"tr\">Türkçe (Turkish)</option>" in html
    assert '<option value="de">' not in html.split('id="lang"')[1].split("</select>")[0]  # offered already
    assert "code such as" not in html
    token = csrf_token(client, url)
    refused = client.post(f"{base(questionnaire)}/languages?ui=en", data={"csrf_token": token, "lang": ""})
    assert refused.status_code == 422 and "Please choose a language from the list." in refused.get_data(as_text=True)
    added = client.post(f"{base(questionnaire)}/languages", data={"csrf_token": token, "lang": "tr"})
    assert added.status_code == 302 and added.headers["Location"].endswith("target=tr")
    db.session.expire_all()
    assert questionnaire.languages == ["de", "en", "tr"]
    assert item(questionnaire, "colour_other").text("label", "tr")  # the default wording of "other", in Turkish


def test_built_in_wordings_left_as_they_are_are_not_asked_for(client, make, auth, db):
    """"Don't know" and "other" without a wording of the questionnaire's own use the app's translated words: no
    empty source to translate in the view or the files, and nothing missing when the questionnaire opens."""
    questionnaire = make.questionnaire(make.programme(), languages=("de", "en"), status=Status.DRAFT, items=[
        ("colour", "single", True, 1, {"other": True, "dont_know": True}, ["red", "green"]),
        ("nps", "scale10", False, 1, {"dont_know": True}, [])])
    builder.set_item_texts(item(questionnaire, "nps"), "de", {"dk": "Keine Angabe"})  # its own: translated
    db.session.commit()
    keys = {slot.key for slot in transfer.translatable(questionnaire)}
    assert "item.nps.dk" in keys and not keys & {"item.colour.dk", "item.colour.other_label"}
    assert {row[0] for row in sheet_rows(transfer.to_xlsx(questionnaire))} & {"item.colour.dk"} == set()
    assert b"item.colour.dk" not in transfer.to_po(questionnaire, "en")
    auth.login(make.user(Role.MANAGER, questionnaire.programme).email)
    html = client.get(f"{base(questionnaire)}?source=de&target=en&ui=en").get_data(as_text=True)
    assert 'name="t.item.colour.dk"' not in html and 'name="t.item.colour.other_label"' not in html
    builder.set_item_texts(item(questionnaire, "nps"), "en", {"dk": "No answer"})
    builder.set_status(questionnaire, Status.OPEN)  # English lacks nothing it needs
    db.session.commit()
