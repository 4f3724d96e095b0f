"""Translator round trip through HTTP: XLSX and .po out, edited, back in; bad files change nothing."""
import io

import pytest
from babel.messages.pofile import read_po, write_po
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import ItemText, OptionText, QuestionnaireText, Status
from tests.conftest import csrf_token

ITEMS = [("colour", "single", True, 1, {}, ["red", "green"]),
         ("age", "number", True, 1, {"min": 15, "max": 99}, [])]


@pytest.fixture
def setup(make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, languages=("de", "en"), items=ITEMS)
    auth.login(make.user(Role.MANAGER, programme).email)
    return questionnaire


def base(questionnaire) -> str:
    return f"/manage/questionnaires/{questionnaire.id}/translations"


def upload(client, questionnaire, name: str, data: bytes):
    token = csrf_token(client, base(questionnaire))
    return client.post(f"{base(questionnaire)}/import", content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(data), name)})


def sheet_rows(data: bytes) -> list[list]:
    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    book.active.title = "texts"
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def all_texts(db) -> list[tuple]:
    return sorted((row.key, row.lang, row.text) for model in (QuestionnaireText, ItemText, OptionText)
                  for row in db.session.scalars(select(model)))


def test_xlsx_round_trip_german_to_turkish(client, setup, db):
    questionnaire = setup
    added = client.post(f"{base(questionnaire)}/languages",
                        data={"csrf_token": csrf_token(client, base(questionnaire)), "lang": "tr"})
    assert added.status_code == 302
    exported = client.get(f"{base(questionnaire)}/texts.xlsx")
    assert exported.status_code == 200 and exported.mimetype.endswith("spreadsheetml.sheet")
    rows = sheet_rows(exported.data)
    assert rows[0] == ["key", "de", "en", "tr"]
    keys = [row[0] for row in rows[1:]]
    assert keys == ["questionnaire.title", "questionnaire.thanks", "item.colour.label",
                    "option.colour.red.label", "option.colour.green.label", "item.age.label"]
    for row in rows[1:]:
        row[3] = "TR " + row[1]
    assert upload(client, questionnaire, "texts.xlsx", workbook(rows)).status_code == 302
    db.session.expire_all()
    builder.set_status(questionnaire, Status.OPEN)  # complete now, so the gate lets it open
    db.session.commit()
    page = client.application.test_client().get(f"/s/{questionnaire.slug}?lang=tr").get_data(as_text=True)
    assert '<html lang="tr" dir="ltr">' in page
    assert "TR colour (de)" in page and "TR red-de" in page and "Gönder" in page


def test_po_round_trip(client, setup, db):
    questionnaire = setup
    exported = client.get(f"{base(questionnaire)}/en.po")
    assert exported.status_code == 200
    catalog = read_po(io.BytesIO(exported.data))
    assert str(catalog.locale) == "en"
    message = catalog.get("age (de)", context="item.age.label")
    assert message.string == "age (en)"
    message.string = "How old are you?"
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    assert upload(client, questionnaire, "en.po", buffer.getvalue()).status_code == 302
    page = client.application.test_client().get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert "How old are you?" in page


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("texts.csv", b"key,de\n", "Please upload an Excel workbook (.xlsx) or a gettext file (.po)."),
    ("texts.xlsx", b"not a zip at all", "This file is not an Excel workbook (.xlsx), or it is damaged."),
    ("texts.xlsx", b"PK\x03\x04broken", "This file is not an Excel workbook (.xlsx), or it is damaged."),
    ("texts.po", b'msgid "a"\nmsgstr "b"\nmsgid', "Line 3 of the .po file is damaged"),
])
def test_wrong_or_broken_files_are_rejected(client, setup, db, name, data, expected):
    before = all_texts(db)
    response = upload(client, setup, name, data)
    assert response.status_code == 422
    assert expected in response.get_data(as_text=True)
    assert all_texts(db) == before


def test_bad_workbook_lists_every_row_and_changes_nothing(client, setup, db):
    before = all_texts(db)
    rows = [["key", "de", "en", "xx"],
            ["item.age.label", "Alter", "Age", ""],  # a good row: must not be applied either
            ["item.colour2.label", "Farbe", "Colour", ""],
            ["option.colour.blue.label", "blau", "blue", ""],
            ["item.age.colour", "x", "x", ""],
            ["item.age.label", "Alter", "Age", ""]]
    response = upload(client, setup, "texts.xlsx", workbook(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "nothing was changed" in html
    assert "“xx” is not a language of this questionnaire" in html
    assert "Sheet “texts”, row 3: there is no question with the code “colour2”" in html
    assert "Sheet “texts”, row 4: question “colour” has no option with the code “blue”" in html
    assert "Sheet “texts”, row 5: unknown key “item.age.colour”." in html
    assert "Sheet “texts”, row 6: the key “item.age.label” appears twice." in html
    assert all_texts(db) == before


def test_missing_placeholder_is_rejected(client, setup, db):
    questionnaire = setup
    builder.set_questionnaire_texts(questionnaire, "de", {"intro": "Session in {place} am %(date)s"})
    db.session.commit()
    before = all_texts(db)
    rows = [["key", "de", "en"], ["questionnaire.intro", "", "Session on %(date)s"]]
    response = upload(client, questionnaire, "texts.xlsx", workbook(rows))
    assert response.status_code == 422
    assert "Sheet “texts”, row 2, column C (en): the placeholder {place} is missing." in response.get_data(as_text=True)
    assert all_texts(db) == before


def test_workbook_without_key_header_is_rejected(client, setup, db):
    response = upload(client, setup, "texts.xlsx", workbook([["code", "de"], ["item.age.label", "x"]]))
    assert response.status_code == 422
    assert "The first column must be headed “key”" in response.get_data(as_text=True)


@pytest.mark.parametrize("extra,wanted", [(1, "… and 1 more problem."), (2, "… and 2 more problems.")])
def test_problems_past_the_listed_ones_are_counted_with_the_right_plural(app, extra, wanted):
    from surveyapp.translations_ui import transfer

    problems = transfer.Problems()
    with app.test_request_context("/?ui=en"):
        for number in range(transfer.LISTED_PROBLEMS + extra):
            if problems.listing():
                problems.add(f"problem {number}")
        with pytest.raises(transfer.ImportRejected) as rejected:
            problems.raise_any()
        assert rejected.value.problems[-1] == wanted
