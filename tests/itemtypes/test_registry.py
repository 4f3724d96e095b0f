"""Walk the registry: every item type renders, validates, stores, exports (CSV, XLSX codebook, SPSS) and
appears in a report, through the same pages staff and respondents use."""
import csv
import importlib
import io
from pathlib import Path

import pyreadstat
import pytest
from babel.numbers import format_percent
from openpyxl import load_workbook
from pypdf import PdfReader

import surveyapp
from surveyapp.accounts.models import Role
from surveyapp.itemtypes import CODES, REGISTRY, Statistic
from surveyapp.questionnaires.models import ITEM_TYPES
from tests.itemtypes.examples import EXAMPLES, answer, questionnaire_with, stored

TEMPLATES = Path(surveyapp.__file__).parent / "templates" / "items"
# what the English PDF shows for each statistic: the interval column's heading writes 95 % as English does
SHOWN = {Statistic.DISTRIBUTION: f"{format_percent(0.95, locale='en')} CI",  # "95% CI"
         Statistic.AGREEMENT: "Agreement (top boxes)", Statistic.YES_SHARE: "Key figures",
         Statistic.MEAN_MEDIAN: "Median", Statistic.RANKING: "Mean rank", Statistic.GRID: "x (en)"}


def test_the_registry_is_the_database_s_list_and_each_type_its_own_module():
    assert tuple(REGISTRY) == CODES == ITEM_TYPES
    for code, kind in REGISTRY.items():
        assert type(kind).__module__ == f"surveyapp.itemtypes.{code}"
        assert importlib.import_module(type(kind).__module__)
        assert (TEMPLATES / f"{kind.widget}.html").is_file(), kind.widget


def test_every_type_has_an_example():
    assert set(EXAMPLES) == set(REGISTRY)


def test_settings_field_names_are_unique_over_the_parts():
    """The new-item page shows every type's settings in one form, a part shared by several types once."""
    parts = dict.fromkeys(part for kind in REGISTRY.values() for part in kind.settings_parts)
    names = [name for part in parts for name in part.fields]
    assert len(names) == len(set(names))
    for part in parts:
        assert part.fields and part.legend and set(part.text_keys) <= set(part.fields)


@pytest.fixture
def evaluator(app, make, auth):
    """Signed in as an evaluator of `programme`; figures from a single response are shown (min n 1)."""
    app.config["SUPPRESSION_MIN_N"] = 1
    programme = make.programme()
    auth.login(make.user(Role.EVALUATOR, programme).email)
    return programme


@pytest.mark.parametrize("code", list(REGISTRY))
def test_each_type_renders_validates_stores_exports_and_reports(app, client, db, make, evaluator, code, tmp_path):
    kind, example = REGISTRY[code], EXAMPLES[code]
    questionnaire = questionnaire_with(make, code, evaluator)
    respondent = app.test_client()

    page = respondent.get(f"/s/{questionnaire.slug}?lang=en").get_data(as_text=True)
    assert "x (en)" in page and example.marker in page
    if kind.composite and questionnaire.items[0].parts:
        _check_composite(app, client, db, questionnaire, kind, example, tmp_path)
        return
    if not kind.answered:
        _check_shown_only(app, client, db, questionnaire, kind, example, tmp_path)
        return
    if example.hint:
        assert example.hint in page and 'id="q_x-hint"' in page

    refused = answer(respondent, questionnaire, example.invalid)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert example.message in html and f'href="#q_x{kind.first_input}"' in html
    assert stored(db, questionnaire) == []

    accepted = answer(app.test_client(), questionnaire, example.valid)
    assert accepted.status_code == 302, accepted.get_data(as_text=True)
    assert stored(db, questionnaire) == example.stored

    columns = [column.name for column in kind.columns(questionnaire.items[0])]
    _check_csv(client, questionnaire, columns)
    _check_codebook(client, questionnaire, kind, columns)
    _check_sav(client, questionnaire, kind, columns, tmp_path)
    _check_report(client, questionnaire, kind)


def _check_shown_only(app, client, db, questionnaire, kind, example, tmp_path):
    """A type that takes no answer: a posted value is ignored, and it has no column and no report section."""
    assert answer(app.test_client(), questionnaire, example.valid).status_code == 302
    assert stored(db, questionnaire) == [] and kind.columns(questionnaire.items[0]) == []
    _check_csv(client, questionnaire, [])
    _check_codebook(client, questionnaire, kind, [])
    _check_sav(client, questionnaire, kind, [], tmp_path)
    response = client.get(f"/manage/questionnaires/{questionnaire.id}/report.pdf?lang=en")
    assert response.status_code == 200
    assert client.get(f"/manage/questionnaires/{questionnaire.id}/report?lang=en").status_code == 200


def _check_composite(app, client, db, questionnaire, kind, example, tmp_path):
    """A composite: its parts are answered (checked together), stored, exported and reported as items."""
    parts = questionnaire.items[0].parts
    first = parts[0]
    refused = answer(app.test_client(), questionnaire, example.invalid)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert example.message in html and f'href="#q_{first.code}{first.kind.first_input}"' in html
    assert answer(app.test_client(), questionnaire, example.valid).status_code == 302
    assert [value for part in parts for value in stored(db, questionnaire, part)] == example.stored
    columns = [column.name for part in parts for column in part.kind.columns(part)]
    _check_csv(client, questionnaire, columns)
    _check_codebook(client, questionnaire, first.kind, columns)
    _check_sav(client, questionnaire, first.kind, columns, tmp_path)
    _check_report(client, questionnaire, kind)


def _check_csv(client, questionnaire, columns):
    text = client.get(f"/manage/questionnaires/{questionnaire.id}/export.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and [c for c in rows[0] if c.startswith("x")] == columns
    assert all(rows[0][column] != "" for column in columns)


def _check_codebook(client, questionnaire, kind, columns):
    with client.get(f"/manage/questionnaires/{questionnaire.id}/export.xlsx") as response:
        book = load_workbook(io.BytesIO(response.data), read_only=True)
    header, *rows = list(book["codebook"].iter_rows(values_only=True))
    mine = [dict(zip(header, row, strict=True)) for row in rows if row[0] in columns]
    assert [row["variable"] for row in mine if row["type"]] == columns
    labels = {row["code"]: row["label_en"] for row in mine if row["code"]}
    if kind.multi:
        assert labels == {"1": "green-en"}  # the last column's; each option column says it was chosen
    elif kind.coded:
        assert labels == kind.value_labels(questionnaire.items[0], "en") and labels
    else:
        assert labels == {}


def _check_sav(client, questionnaire, kind, columns, tmp_path):
    path = tmp_path / "export.sav"
    with client.get(f"/manage/questionnaires/{questionnaire.id}/export.sav?lang=en") as response:
        path.write_bytes(response.data)
    _, meta = pyreadstat.read_sav(str(path))
    for column in columns:
        assert meta.variable_measure[column] == ("nominal" if kind.multi else kind.measure)
    if not columns:
        assert not [name for name in meta.column_names if name.startswith("x")]
        return
    labels = meta.variable_value_labels.get(columns[0], {})
    if kind.multi:
        assert labels == {1.0: "red-en"}
    elif kind.coded:
        assert sorted(labels.values()) == sorted(kind.value_labels(questionnaire.items[0], "en").values())
    else:
        assert labels == {}


def _check_report(client, questionnaire, kind):
    response = client.get(f"/manage/questionnaires/{questionnaire.id}/report.pdf?lang=en")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "x (en)" in text
    for statistic in kind.statistics:
        assert SHOWN[statistic] in text, statistic
