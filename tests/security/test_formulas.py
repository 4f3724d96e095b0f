"""Formula prefixes (=, +, -, @, tab, CR) in every text that reaches a spreadsheet: staff texts (programme name,
session place, questionnaire title, item and option labels, wave name), a respondent's text answer and an audit
entry. Every spreadsheet output is read back (csv, openpyxl, pyreadstat) and no cell starts a formula: CSV wide
and long, XLSX data and codebook, panel CSV, panel status CSV, translation workbook, audit CSV. SPSS and the
subject-access JSON evaluate nothing: the text comes back literally. A bare CR in a CSV field was written
unquoted (pandas' "\n" rows), so "\r=1+1" began a new spreadsheet row with a live "=1+1": CSV rows are CRLF
now, which quotes such fields (surveyapp/exports/formats.py)."""
import csv
import io

import pyreadstat
import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import Questionnaire
from tests.reports.seed import seed_responses
from tests.security import world

PAYLOADS = {
    "dde": "=cmd|' /C calc'!A0",
    "at-sum": "@SUM(1+1)",
    "plus": "+1+1",
    "minus": "-1+cmd|' /C calc'!A0",
    "hyperlink": '=HYPERLINK("http://evil.example","x")',
    "tab": "\t=1+1",
    "cr": "\r=1+1",
}
STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def poisoned(db, make):
    def build(payload: str):
        own = world.build(db, make, "own")
        ids = {**own.ids, "m": payload}
        for sql in ("UPDATE programmes SET name = :m WHERE id = :programme_id",
                    "UPDATE training_sessions SET place = :m WHERE id = :session_id",
                    "UPDATE questionnaire_texts SET text = :m WHERE questionnaire_id = :questionnaire_id",
                    "UPDATE item_texts SET text = :m WHERE item_id IN "
                    "(SELECT id FROM items WHERE questionnaire_id = :questionnaire_id)",
                    "UPDATE option_texts SET text = :m WHERE option_id IN (SELECT o.id FROM options o "
                    "JOIN items i ON i.id = o.item_id WHERE i.questionnaire_id = :questionnaire_id)",
                    "UPDATE waves SET name = :m WHERE id = :wave_id"):
            db.session.execute(text(sql), ids)
        seed_responses(db.session.get(Questionnaire, own.ids["questionnaire_id"]),
                       [{"colour": "red", "remark": payload}] * 3,
                       extra=[{"participant_id": own.ids["participant_id"], "wave_id": own.ids["wave_id"]}] * 3)
        from surveyapp.audit.service import record

        record("response.delete", target=payload, detail={"note": payload}, actor="cli")
        db.session.commit()
        return own
    return build


def _csv_cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")) for cell in row]


def _xlsx_cells(body: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(body))
    return ["=" if cell.data_type == "f" else cell.value if isinstance(cell.value, str) else ""
            for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _sav_cells(body: bytes, tmp_path) -> list[str]:
    path = tmp_path / "export.sav"
    path.write_bytes(body)
    frame, meta = pyreadstat.read_sav(str(path))
    labels = [*meta.column_labels, *(label for mapping in meta.variable_value_labels.values()
                                     for label in mapping.values())]
    values = [value for column in frame.columns for value in frame[column] if isinstance(value, str)]
    return [label for label in labels if label] + values


OUTPUTS = {
    "csv-wide": ("/manage/questionnaires/{questionnaire_id}/export.csv", _csv_cells),
    "csv-wide-labels": ("/manage/questionnaires/{questionnaire_id}/export.csv?labels=de", _csv_cells),
    "csv-long": ("/manage/questionnaires/{questionnaire_id}/export.csv?format=long", _csv_cells),
    "xlsx": ("/manage/questionnaires/{questionnaire_id}/export.xlsx", _xlsx_cells),
    "panel-csv": ("/manage/programmes/{programme_id}/panel.csv", _csv_cells),
    "panel-status-csv": ("/manage/programmes/{programme_id}/panel-status.csv", _csv_cells),
    "translation-workbook": ("/manage/questionnaires/{questionnaire_id}/translations/texts.xlsx", _xlsx_cells),
    "audit-csv": ("/admin/audit/export.csv", _csv_cells),
}


@pytest.mark.parametrize("payload", list(PAYLOADS))
@pytest.mark.parametrize("output", list(OUTPUTS))
def test_no_cell_starts_a_formula(db, client, poisoned, row_counts, logs, tmp_path, output, payload):
    own = poisoned(PAYLOADS[payload])
    world.sign_in(client, world.staff(db, Role.ADMIN))
    path, read = OUTPUTS[output]
    before = row_counts(audit=False)
    response = client.get(path.format(**own.ids))
    body = response.get_data()
    response.close()  # a workbook is sent from a temporary file
    assert response.status_code == 200
    cells = read(body)
    core = PAYLOADS[payload].lstrip("\t\r")[1:]
    carrying = [cell for cell in cells if core in cell]
    assert carrying, f"the payload never reached {output}"
    live = [cell for cell in carrying if cell.startswith(STARTS)]
    assert not live, live
    assert row_counts(audit=False) == before
    logs.assert_clean(core)


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_spss_keeps_labels_and_values_literal(db, client, poisoned, tmp_path, payload):
    """SPSS evaluates no cell text: labels and values stay as typed (no apostrophe), without control characters."""
    own = poisoned(PAYLOADS[payload])
    world.sign_in(client, world.staff(db, Role.MANAGER, own.programme))
    response = client.get(f"/manage/questionnaires/{own.ids['questionnaire_id']}/export.sav")
    body = response.get_data()
    response.close()
    assert response.status_code == 200
    cells = _sav_cells(body, tmp_path)
    assert PAYLOADS[payload] in cells


@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_subject_access_json_keeps_the_text(db, client, poisoned, payload):
    own = poisoned(PAYLOADS[payload])
    world.sign_in(client, world.staff(db, Role.MANAGER, own.programme))
    response = client.get(f"/manage/participants/{own.ids['participant_id']}/subject-access.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert PAYLOADS[payload].lstrip("\t\r") in _strings(response.get_json())


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value.strip() if isinstance(value, str) else ""]
