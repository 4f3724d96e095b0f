"""Planning and storing an import: values matched and checked by the item types' own rules, all or nothing."""
import io

import pyreadstat
import pytest
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import func, select

from surveyapp.participants.models import Participant
from surveyapp.response_import import reader, service
from surveyapp.responses.models import Answer, Response
from surveyapp.uploads import UploadRejected
from surveyapp.waves.models import Invitation, Wave

HEADER = "id;agree;colour;tools;ok;age;when;panel_code;submitted_at\n"
GOOD = (HEADER
        + "r1;5;Red-en;\"bike; car\";Ja;19;2024-05-01;ab12-cd34;2024-05-02 10:00\n"
        + "r2;2;green;;;30;;;2024-05-03\n")


def counts(db) -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Response)),
            db.session.scalar(select(func.count()).select_from(Answer)))


def stored(db, questionnaire) -> dict[str, dict[str, list[str]]]:
    """Import id -> item code -> values, from what the database holds."""
    codes = {item.id: item.code for item in questionnaire.items}
    out: dict[str, dict[str, list[str]]] = {}
    for response in db.session.scalars(select(Response).order_by(Response.id)):
        answers = out.setdefault(str(response.submitted_at.date()), {})
        for answer in sorted(response.answers, key=lambda a: a.id):
            answers.setdefault(codes[answer.item_id], []).append(answer.value)
    return out


def run(questionnaire, name: str, data: bytes, **kwargs):
    result = service.plan(questionnaire, reader.read(name, data), name, **kwargs)
    return result


@pytest.fixture
def survey(make):
    return make.questionnaire()


def test_a_csv_imports_codes_and_labels_in_any_language(db, survey):
    result = run(survey, "earlier.csv", GOOD.encode())
    assert (result.problems, result.unmatched, len(result.rows)) == ([], [], 2)
    done = service.apply(result)
    db.session.commit()
    assert (done.responses, done.participants) == (2, 1)
    assert stored(db, survey) == {
        "2024-05-02": {"agree": ["5"], "colour": ["red"], "tools": ["bike", "car"], "ok": ["yes"], "age": ["19"],
                       "when": ["2024-05-01"]},
        "2024-05-03": {"agree": ["2"], "colour": ["green"], "age": ["30"]}}
    first = db.session.scalars(select(Response).order_by(Response.id)).first()
    assert (first.imported_from, first.lang, first.questionnaire_version) == ("earlier.csv", "de", 1)
    participant = db.session.get(Participant, first.participant_id)
    assert participant.panel_code == "AB12-CD34" and participant.contact is None
    assert participant.session.place == "Imported data" and not participant.session.enrolment_open


def test_bad_values_are_reported_row_by_row_and_nothing_is_stored(db, survey):
    data = (HEADER + "r1;6;purple;bike;maybe;abc;2024-13-01;;tomorrow\n" + "r2;5;red;;;12;;;\n").encode()
    result = run(survey, "bad.csv", data)
    found = {(p.row, p.column, p.value) for p in result.problems}
    assert found == {(2, "agree", "6"), (2, "colour", "purple"), (2, "ok", "maybe"), (2, "age", "abc"),
                     (2, "when", "2024-13-01"), (2, "submitted_at", "tomorrow"), (3, "age", "12"),
                     (3, "submitted_at", "")}
    age = next(p for p in result.problems if p.row == 3 and p.column == "age")
    assert "15" in age.reason and "99" in age.reason  # the number item's own range message
    before = counts(db)
    with pytest.raises(service.ImportRefused):
        service.apply(result)
    assert counts(db) == before == (0, 0)


def test_importing_the_same_file_again_stores_nothing_twice(db, survey):
    service.apply(run(survey, "earlier.csv", GOOD.encode()))
    db.session.commit()
    data = GOOD.replace("r1;", "").replace("r2;", "").replace("id;", "")  # no id column: keys from the values
    data = data.replace("ab12-cd34", "")  # (a panel code has one response to the questionnaire)
    service.apply(run(survey, "twice.csv", (data + data.split("\n", 1)[1]).encode()))
    db.session.commit()
    before = counts(db)
    again = run(survey, "earlier.csv", GOOD.encode())
    assert (len(again.rows), again.already) == (0, 2)
    twice = run(survey, "twice.csv", (data + data.split("\n", 1)[1]).encode())
    assert (len(twice.rows), twice.already) == (0, 4)  # the same row twice in a file: two respondents, both kept
    service.apply(again)
    assert counts(db) == before and before[0] == 6


def test_unmatched_columns_wait_for_a_mapping(db, survey):
    data = b"alter;farbe;note\n20;blue;x\n"
    result = run(survey, "map.csv", data)
    assert result.unmatched == ["alter", "farbe", "note"] and result.refused
    mapped = run(survey, "map.csv", data, mapping={"alter": "age", "farbe": "COLOUR", "note": ""})
    assert (mapped.unmatched, mapped.problems, mapped.rows[0].answers and len(mapped.rows)) == ([], [], 1)
    with pytest.raises(service.ImportRefused, match="no such item"):
        run(survey, "map.csv", data, mapping={"alter": "height"})


def test_an_xlsx_with_option_columns_as_exported(db, survey):
    book = Workbook()
    sheet = book.active
    sheet.append(["response_id", "lang", "agree", "tools_bike", "tools_car", "tools_bus", "age"])
    sheet.append([7, "de", 4, 1, 0, 1, 44.0])
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(survey, "export.xlsx", buffer.getvalue())
    assert result.problems == [] and result.unmatched == []
    service.apply(result)
    db.session.commit()
    assert list(stored(db, survey).values()) == [{"agree": ["4"], "tools": ["bike", "bus"], "age": ["44"]}]


def test_an_spss_file_matches_values_by_their_labels(db, survey, tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"colour": [1.0, 2.0, 3.0], "ok": [1.0, 0.0, float("nan")], "age": [20.0, 31.0, 45.0]})
    path = tmp_path / "earlier.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={
        "colour": {1.0: "Red-de", 2.0: "green", 3.0: "BLUE-EN"}, "ok": {1.0: " ja ", 0.0: "No"}})
    result = run(survey, "earlier.sav", path.read_bytes())
    assert result.problems == []
    service.apply(result)
    db.session.commit()
    answers = [values for values in stored(db, survey).values()][0]
    assert answers == {"colour": ["red", "green", "blue"], "ok": ["yes", "no"], "age": ["20", "31", "45"]}


@pytest.mark.parametrize(("name", "data", "message"), [
    ("x.txt", b"a,b", "CSV file"),
    ("x.xlsx", b"not a zip", "not an Excel workbook"),
    ("x.sav", b"not spss", "SPSS file could not be read"),
    ("x.csv", b"", "no rows"),
])
def test_a_broken_file_is_refused_with_a_message(app, name, data, message):
    with pytest.raises(UploadRejected, match=message):
        reader.read(name, data)


def test_a_wave_is_created_without_invitations_and_holds_one_response_per_panel_code(db, survey):
    data = b"panel_code;agree\nAAAA-BBBB;5\nCCCC-DDDD;4\n"
    result = run(survey, "w.csv", data, wave_name="earlier round")
    service.apply(result)
    db.session.commit()
    wave = db.session.scalar(select(Wave))
    assert (wave.name, wave.questionnaire_id) == ("earlier round", survey.id)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert {r.wave_id for r in db.session.scalars(select(Response))} == {wave.id}
    again = run(survey, "other.csv", b"panel_code;agree\nAAAA-BBBB;3\nEEEE-FFFF;1\nEEEE-FFFF;2\n",
                wave_name="Earlier  Round")
    assert [(p.row, p.value) for p in again.problems] == [(2, "AAAA-BBBB"), (4, "EEEE-FFFF")]


def test_without_a_wave_a_panel_code_has_one_response_to_the_questionnaire(db, survey):
    """A corrected file imported again (one comment changed) adds no second response for the same code."""
    service.apply(run(survey, "earlier.csv", GOOD.encode()))
    db.session.commit()
    corrected = run(survey, "earlier.csv", GOOD.replace("r1;5;", "r1b;4;").encode())
    assert [(p.row, p.column, p.value, p.reason) for p in corrected.problems] == [
        (2, "panel_code", "AB12-CD34", "this participant has a response to this questionnaire already")]
    twice = run(survey, "twice.csv", b"panel_code;agree;colour;age\nQQQQ-1111;5;red;20\n"
                b"qqqq-1111;4;red;21\n")
    assert [(p.row, p.value) for p in twice.problems] == [(3, "QQQQ-1111")]
    assert counts(db)[0] == 2


def test_rows_leaving_a_required_item_unanswered_or_answering_nothing_are_refused(db, survey):
    data = (HEADER + "r1;;red;;;19;;ab12-cd34;2024-05-02\n" + "r2;;;;;;;zz99-yy88;2024-05-03\n"
            + "r3;5;red;;;20;;;2024-05-04\n").encode()
    result = run(survey, "gaps.csv", data)
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (2, "agree", "“agree” is required but not answered"), (3, "", "this row answers no question")]
    assert run(survey, "few.csv", b"agree;tools\n5;bike\n").problems == []  # colour and age not in the file


def test_a_ranking_s_ranks_are_checked_together_as_on_its_page(db, make):
    questionnaire = make.questionnaire(items=[("fav", "ranking", False, 1, {}, ["bus", "bike", "car"])])
    parts = [part.code for part in questionnaire.items[0].parts]
    header = ";".join(parts)
    result = run(questionnaire, "ranks.csv", f"{header}\n1;2;3\n1;1;\n;;\n".encode())
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (3, parts[0], "Please give each rank only once.")]
    assert len(run(questionnaire, "ok.csv", f"{header}\n1;2;3\n2;;1\n".encode()).rows) == 2


def test_rows_stored_meanwhile_by_another_import_refuse_the_whole_import(db, survey):
    first, second = (run(survey, "earlier.csv", GOOD.encode()) for _ in range(2))
    service.apply(first)
    db.session.commit()
    with pytest.raises(service.ImportRefused, match="at the same time"):
        service.apply(second)  # planned before the first was stored: its keys are taken now
    db.session.rollback()
    assert counts(db)[0] == 2


def test_an_id_given_twice_in_a_file_is_a_problem(db, survey):
    result = run(survey, "ids.csv", b"id;agree\n7;5\n8;4\n7;3\n")
    assert [(p.row, p.column, p.value, p.reason) for p in result.problems] == [(4, "id", "7", "the id of row 2 again")]


def test_an_empty_submission_date_is_a_row_problem_and_a_missing_column_a_note(db, survey, runner, tmp_path):
    result = run(survey, "earlier.csv", (HEADER + "r1;5;red;;;19;;;\n").encode())
    assert [(p.row, p.column, p.reason) for p in result.problems] == [(2, "submitted_at", "no submission date")]
    path = tmp_path / "undated.csv"
    path.write_text("id;agree\nr1;5\n")
    dry = runner.invoke(args=["responses", "import", str(path), "--questionnaire", survey.slug, "--dry-run"])
    assert "1 row to import, 0 already imported, 0 new panel codes, 0 problems." in dry.output
    assert "no submitted_at column: the responses are stored as submitted now" in dry.output


def test_the_field_messages_speak_the_locale_of_the_import(db, survey):
    """WTForms' own messages ("Not a valid integer value.") too, as on the questionnaire's pages."""
    with force_locale("de"):
        result = run(survey, "earlier.csv", (HEADER + "r1;5;red;;;abc;;;2024-05-02\n").encode())
        reasons = [str(problem.reason) for problem in result.problems]
    assert len(reasons) == 1 and "Not a valid" not in reasons[0], reasons
