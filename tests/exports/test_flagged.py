"""Responses flagged as implausible (kiosk.flags): left out of reports, yet every export carries them, with why."""
import csv
import io
from datetime import UTC, datetime

import pyreadstat
import pytest
from openpyxl import load_workbook

from surveyapp.accounts.models import Role
from tests.reports.seed import seed_responses

ITEMS = [("agree", "likert", True, 1, {"points": 5}, [])]
FLAGS = ["fast", "repeat", None]


@pytest.fixture
def survey(make, auth):
    questionnaire = make.questionnaire(items=ITEMS)
    flagged_at = datetime(2025, 1, 1, tzinfo=UTC)
    seed_responses(questionnaire, [{"agree": n + 1} for n in range(len(FLAGS))],
                   extra=[{"flag_reason": why, "flagged_at": flagged_at if why else None} for why in FLAGS])
    auth.login(make.user(Role.EVALUATOR, programme=questionnaire.programme).email)
    return questionnaire


def rows(reply) -> list[dict]:
    return list(csv.DictReader(io.StringIO(reply.data.decode("utf-8-sig"))))


def test_csv_carries_flagged_responses_and_why(client, survey):
    wide = rows(client.get(f"/manage/questionnaires/{survey.id}/export.csv"))
    assert list(wide[0])[9:11] == ["imported", "flagged"]
    assert [(row["agree"], row["flagged"]) for row in wide] == [("1", "fast"), ("2", "repeat"), ("3", "")]
    long = rows(client.get(f"/manage/questionnaires/{survey.id}/export.csv?format=long"))
    assert [row["value"] for row in long] == ["1", "2", "3"]


def test_xlsx_and_sav_carry_flagged_responses_and_why(client, survey, tmp_path):
    with client.get(f"/manage/questionnaires/{survey.id}/export.xlsx") as reply:
        sheet = list(load_workbook(io.BytesIO(reply.data), read_only=True)["data"].iter_rows(values_only=True))
    flagged = sheet[0].index("flagged")
    assert sheet[0][flagged - 1] == "imported"
    assert [row[flagged] for row in sheet[1:]] == ["fast", "repeat", None]

    path = tmp_path / "export.sav"
    with client.get(f"/manage/questionnaires/{survey.id}/export.sav") as reply:
        path.write_bytes(reply.data)
    frame, meta = pyreadstat.read_sav(str(path))
    assert frame["flagged"].tolist() == ["fast", "repeat", ""]
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["flagged"].startswith("Flagged as implausible")
