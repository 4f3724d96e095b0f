import csv
import io
from datetime import date

import pyreadstat
import pytest
from openpyxl import load_workbook

from surveyapp.accounts.models import Role
from surveyapp.participants.models import Participant, TrainingSession
from surveyapp.waves.models import Wave
from tests.reports.seed import seed_responses

INJECTION = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def survey(make):
    questionnaire = make.questionnaire()
    rows = [
        {
            "agree": 1 + n % 5,
            "colour": ["red", "green", "blue"][n % 3],
            "tools": ["bike", "bus"] if n % 2 else ["car"],
            "ok": "yes" if n % 4 else "no",
            "age": 17 + n,
            "name": INJECTION if n == 0 else "-1",
            "story": 'Grüße, <b>ü</b> & "quotes"',
            "nps": n % 11,
        }
        for n in range(12)
    ]
    seed_responses(questionnaire, rows)
    return questionnaire


@pytest.fixture
def reader(make, survey, auth):
    user = make.user(Role.EVALUATOR, programme=survey.programme)
    auth.login(user.email)
    return user


def test_csv_streams_and_neutralises_formulas(client, survey, reader):
    response = client.get(f"/manage/questionnaires/{survey.id}/export.csv")
    assert response.status_code == 200 and response.is_streamed
    text = response.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 12
    assert rows[0]["name"] == "'" + INJECTION
    assert rows[1]["name"] == "-1"  # a plain number is data, not a formula
    assert rows[0]["tools_car"] == "1" and rows[0]["tools_bike"] == "0"
    assert "email" not in rows[0] and "panel_code" in rows[0]
    assert (
        f'filename="{survey.slug}-{date.today().isoformat()}.csv"' in response.headers["Content-Disposition"]
    )


def test_long_csv_has_one_row_per_answer(client, survey, reader):
    text = client.get(f"/manage/questionnaires/{survey.id}/export.csv?format=long").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    per_response = [r for r in rows if r["response_id"] == rows[0]["response_id"]]
    assert [r["item"] for r in per_response] == [
        "agree",
        "colour",
        "tools",
        "ok",
        "age",
        "name",
        "story",
        "nps",
    ]
    assert per_response[5]["value"] == "'" + INJECTION
    assert len([r for r in rows if r["item"] == "tools"]) == 18  # 6 x 2 + 6 x 1 chosen options


def test_xlsx_has_data_and_codebook(client, survey, reader):
    with client.get(f"/manage/questionnaires/{survey.id}/export.xlsx") as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].endswith(".xlsx")
        payload = response.data
    book = load_workbook(io.BytesIO(payload), read_only=True)
    assert book.sheetnames == ["data", "codebook"]
    data = list(book["data"].iter_rows(values_only=True))
    header = list(data[0])
    assert len(data) == 13
    assert data[1][header.index("name")] == "'" + INJECTION
    assert data[1][header.index("agree")] == 1 and data[1][header.index("colour")] == "red"
    codebook = list(book["codebook"].iter_rows(values_only=True))
    cb_header = list(codebook[0])
    assert (
        cb_header[:3] == ["variable", "item", "type"]
        and "label_de" in cb_header
        and "question_en" in cb_header
    )
    colour = [row for row in codebook if row[0] == "colour"]
    assert colour[0][cb_header.index("question_en")] == "colour (en)"
    assert [(r[cb_header.index("code")], r[cb_header.index("label_de")]) for r in colour[1:]] == [
        ("red", "red-de"),
        ("green", "green-de"),
        ("blue", "blue-de"),
    ]


def test_sav_keeps_variable_and_value_labels(client, survey, reader, tmp_path):
    path = tmp_path / "export.sav"
    with client.get(f"/manage/questionnaires/{survey.id}/export.sav?lang=en") as response:
        assert response.status_code == 200
        path.write_bytes(response.data)
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 12
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["colour"] == "colour (en)"
    assert labels["tools_bike"] == "tools (en): bike-en"
    assert meta.variable_value_labels["colour"] == {1.0: "red-en", 2.0: "green-en", 3.0: "blue-en"}
    assert meta.variable_value_labels["ok"] == {1.0: "Yes", 2.0: "No"}
    assert frame["colour"].tolist()[:3] == [1.0, 2.0, 3.0]
    assert frame["agree"].tolist()[:2] == [1.0, 2.0]
    assert frame["story"].iloc[0] == 'Grüße, <b>ü</b> & "quotes"'


def test_exports_check_roles(client, make, survey, auth):
    urls = [f"/manage/questionnaires/{survey.id}/export.{ext}" for ext in ("csv", "xlsx", "sav")]
    urls.append(f"/manage/programmes/{survey.programme_id}/panel.csv")
    for url in urls:
        with client.get(url) as response:
            assert response.status_code == 302
    auth.login(make.user(Role.EVALUATOR).email)
    for url in urls:
        with client.get(url) as response:
            assert response.status_code == 403


def test_panel_export_links_waves_by_code(client, make, db, auth):
    programme = make.programme()
    first = make.questionnaire(programme, items=[("careful", "likert", True, 1, {"points": 5}, [])])
    later = make.questionnaire(programme, items=[("careful", "likert", True, 1, {"points": 5}, [])])
    session = TrainingSession(
        programme_id=programme.id, held_on=date(2025, 3, 1), place="Graz", enrol_code="E1"
    )
    db.session.add(session)
    db.session.flush()
    people = [
        Participant(programme_id=programme.id, session_id=session.id, panel_code=f"K{n}7X") for n in range(3)
    ]
    waves = [
        Wave(programme_id=programme.id, name="post session", position=1, questionnaire_id=first.id),
        Wave(programme_id=programme.id, name="3 months", position=2, questionnaire_id=later.id),
    ]
    db.session.add_all(people + waves)
    db.session.commit()
    seed_responses(
        first,
        [{"careful": 5}, {"careful": 4}, {"careful": 2}],
        extra=[{"participant_id": p.id, "wave_id": waves[0].id} for p in people],
    )
    seed_responses(
        later,
        [{"careful": 3}, {"careful": 5}],
        extra=[{"participant_id": p.id, "wave_id": waves[1].id} for p in people[:2]],
    )
    auth.login(make.user(Role.MANAGER, programme=programme).email)
    text = client.get(f"/manage/programmes/{programme.id}/panel.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["panel_code"] for r in rows] == ["K07X", "K17X", "K27X"]
    assert rows[0]["post_session_careful"] == "5" and rows[0]["3_months_careful"] == "3"
    assert rows[2]["3_months_careful"] == "" and rows[0]["site"] == "Graz"
    assert not any("mail" in column for column in rows[0])
