"""A matrix exports one column per row, a ranking one column per option holding its rank: in CSV, in XLSX with
its codebook (the row's question after the matrix's) and in SPSS (read back with pyreadstat)."""
import csv
import io

import pyreadstat
import pytest
from openpyxl import load_workbook

from surveyapp.accounts.models import Role
from tests.itemtypes.composites import post_answers, youth_survey

COLUMNS = ["services_library", "services_bus", "modes_bike", "modes_bus", "modes_car"]


@pytest.fixture
def answered(app, make, auth):
    """The youth survey answered twice (in English and German); signed in as an evaluator."""
    programme = make.programme()
    questionnaire = youth_survey(make, programme, ranking=True)
    assert post_answers(app.test_client(), questionnaire, {
        "services_library": "5", "services_bus": "2", "modes_bike": "2", "modes_bus": "1"}).status_code == 302
    assert post_answers(app.test_client(), questionnaire, {
        "services_library": "1", "services_bus": "4", "modes_car": "1", "modes_bike": "3", "modes_bus": "2"},
        lang="de").status_code == 302
    auth.login(make.user(Role.EVALUATOR, programme).email)
    return questionnaire


def _export(client, questionnaire, suffix):
    with client.get(f"/manage/questionnaires/{questionnaire.id}/export.{suffix}") as response:
        assert response.status_code == 200
        return response.get_data()


def test_csv_has_a_column_per_row_and_per_ranked_option(client, answered):
    text = _export(client, answered, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [column for column in rows[0] if column.startswith(("services", "modes"))] == COLUMNS
    assert [[row[column] for column in COLUMNS] for row in rows] == [["5", "2", "2", "1", ""],
                                                                      ["1", "4", "3", "2", "1"]]


def test_xlsx_and_its_codebook(client, answered):
    book = load_workbook(io.BytesIO(_export(client, answered, "xlsx")))
    header, *data = list(book.worksheets[0].iter_rows(values_only=True))
    assert [name for name in header if name and name.startswith(("services", "modes"))] == COLUMNS
    assert [row[header.index("modes_car")] for row in data] == [None, 1]
    head, *rows = list(book["codebook"].iter_rows(values_only=True))
    variables = {row[0]: dict(zip(head, row, strict=True)) for row in rows if row[2]}
    assert [name for name in variables if name.startswith(("services", "modes"))] == COLUMNS
    assert "services" not in variables and "modes" not in variables  # the composites have no column
    assert variables["services_bus"]["type"] == "likert" and variables["modes_bus"]["type"] == "rank"
    assert variables["services_bus"]["question_en"] == "services (en): Buses"
    assert variables["modes_car"]["question_de"] == "modes (de): car-de"
    code = head.index("code")
    labels = {row[code]: row[head.index("label_en")] for row in rows if row[0] == "services_library" and row[code]}
    assert labels["1"] == "1 – bad" and labels["5"] == "5 – great"


def test_spss_reads_back_with_labels_and_levels(client, answered, tmp_path):
    path = tmp_path / "export.sav"
    path.write_bytes(_export(client, answered, "sav?lang=en"))
    data, meta = pyreadstat.read_sav(str(path))
    assert list(data["services_library"]) == [5, 1] and list(data["modes_bus"]) == [1, 2]
    assert data["modes_car"].isna().tolist() == [True, False]
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["services_library"] == "services (en): Library" and labels["modes_bike"] == "modes (en): bike-en"
    assert meta.variable_measure["services_bus"] == "ordinal" and meta.variable_measure["modes_bike"] == "ordinal"
    assert meta.variable_value_labels["services_bus"][5.0] == "5 – great"
    assert "modes_bike" not in meta.variable_value_labels
