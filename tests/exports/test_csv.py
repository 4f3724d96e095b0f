"""CSV export through HTTP: cell by cell, codes and labels, BOM, formula neutralising, access."""
import csv
import io

from surveyapp.accounts.models import Role
from tests.conftest import hidden_fields

ITEMS = [
    ("agree", "likert", True, 1, {"points": 5}, []),
    ("colour", "single", True, 1, {}, ["red", "green"]),
    ("tools", "multiple", False, 1, {}, ["bike", "car", "bus"]),
    ("age", "number", False, 1, {"min": 0, "max": 120}, []),
    ("note", "text", False, 1, {}, []),
]


def answer(client, slug, lang, data):
    hidden = hidden_fields(client.get(f"/s/{slug}?lang={lang}").get_data(as_text=True))
    assert client.post(f"/s/{slug}", data={**hidden, **data, "nav": "submit"}).status_code == 302


def read_csv(response) -> list[dict]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_cell_by_cell(app, make, auth):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    respondent = app.test_client()
    answer(respondent, questionnaire.slug, "de", {"q_agree": "5", "q_colour": "red", "q_tools": ["bike", "bus"],
                                                  "q_age": "19", "q_note": "=HYPERLINK(\"x\") Grüße"})
    answer(app.test_client(), questionnaire.slug, "en", {"q_agree": "2", "q_colour": "green"})
    evaluator = make.user(Role.EVALUATOR, programme)
    auth.login(evaluator.email)
    response = auth.client.get(f"/manage/questionnaires/{questionnaire.id}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert list(rows[0])[2] == "version" and {row["version"] for row in rows} == {"1"}
    assert list(rows[0])[5:11] == ["wave", "panel_code", "session", "site", "imported", "flagged"]  # empty: public link
    assert list(rows[0])[11:] == ["agree", "colour", "tools_bike", "tools_car", "tools_bus", "age",
                                 "note"]
    first, second = rows
    assert (first["lang"], first["agree"], first["colour"]) == ("de", "5", "red")
    assert (first["tools_bike"], first["tools_car"], first["tools_bus"]) == ("1", "0", "1")
    assert first["age"] == "19"
    assert first["note"] == "'=HYPERLINK(\"x\") Grüße"
    assert (second["lang"], second["agree"], second["colour"]) == ("en", "2", "green")
    assert (second["tools_bike"], second["age"], second["note"]) == ("", "", "")

    labelled = read_csv(auth.client.get(f"/manage/questionnaires/{questionnaire.id}/export.csv?labels=en"))
    assert [row["colour"] for row in labelled] == ["red-en", "green-en"]


def test_csv_refused_to_strangers(app, make, auth):
    questionnaire = make.questionnaire()
    url = f"/manage/questionnaires/{questionnaire.id}/export.csv"
    anonymous = auth.client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    stranger = make.user(Role.EVALUATOR)  # evaluator of another programme
    auth.login(stranger.email)
    assert auth.client.get(url).status_code == 403
