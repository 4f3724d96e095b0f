"""Hostile stored values against every output path: reports (page, PDF, programme, CLI), exports (CSV, XLSX and
codebook, SPSS), invitation e-mails, and staff deletion of responses.

The values are written straight into the database (as an older version or an operator could have done), so
these tests hold whatever the input side refuses today. Each case asserts the status, unchanged row counts
and that nothing was logged as an error.
"""

import csv
import io
import logging
from datetime import date, timedelta

import pyreadstat
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, text, update

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import ItemText, OptionText, QuestionnaireText
from surveyapp.responses.models import Answer, Response
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.models import Invitation
from tests import panel_factories as panel
from tests.conftest import csrf_token
from tests.reports.seed import seed_responses

BAD_NUMBERS = {
    "inf": "inf",
    "minus-inf": "-Infinity",
    "nan": "nan",
    "overflow": "1e999999",
    "400-digits": "9" * 400,
    "beyond-1e15": "1e16",
}
LEFT_OUT = "Left out as no usable number"
CONTROLS = {"nul": "\x00", "soh": "\x01", "esc": "\x1b"}
FORMULA = '=HYPERLINK("http://evil","x")'
NUMBERS_ITEMS = [
    ("age", "number", False, 1, {"decimals": 1}, []),
    ("nps", "scale10", False, 1, {}, []),
    ("agree", "likert", False, 1, {"points": 5}, []),
]


def errors_logged(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def control_or_skip(db, name: str) -> str:
    if name == "nul" and db.engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL cannot store NUL in text at all")
    return CONTROLS[name]


def store_answer(db, response_id: int, item_id: int, value: str) -> None:
    """Write an answer as an older version or a direct INSERT would: no validation at all."""
    db.session.execute(
        text("INSERT INTO answers (response_id, item_id, value) VALUES (:r, :i, :v)"),
        {"r": response_id, "i": item_id, "v": value},
    )
    db.session.commit()


@pytest.fixture
def numbers_survey(make, db):
    """Six good respondents (age 20.0 .. 25.0, mean 22.5) and one whose age is set by the test."""
    questionnaire = make.questionnaire(items=NUMBERS_ITEMS)
    rows = [{"age": 20 + n, "nps": 5 + n % 3, "agree": 1 + n % 5} for n in range(6)]
    seed_responses(questionnaire, [*rows, {"nps": 7, "agree": 4}])
    return questionnaire


def hostile_row(db, questionnaire, value: str) -> None:
    last = db.session.scalar(
        select(Response.id).where(Response.questionnaire_id == questionnaire.id).order_by(Response.id.desc())
    )
    item = {i.code: i.id for i in questionnaire.items}["age"]
    store_answer(db, last, item, value)


@pytest.fixture
def evaluator(make, auth):
    def login(programme):
        user = make.user(Role.EVALUATOR, programme=programme)
        auth.login(user.email)
        return user

    return login


# -- numbers that used to answer 500 -------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_NUMBERS.values(), ids=BAD_NUMBERS.keys())
def test_report_page_survives_stored_number(client, db, numbers_survey, evaluator, row_counts, caplog, value):
    hostile_row(db, numbers_survey, value)
    evaluator(numbers_survey.programme)
    before = row_counts(audit=False)  # reports and exports are audited reads
    response = client.get(f"/manage/questionnaires/{numbers_survey.id}/report?ui=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"{LEFT_OUT} (infinite, not a number or beyond ±10^15): 1" in html
    assert "Mean 22.5 · Median 22.5" in html
    assert row_counts(audit=False) == before and not errors_logged(caplog)


@pytest.mark.parametrize("value", BAD_NUMBERS.values(), ids=BAD_NUMBERS.keys())
def test_report_pdf_survives_stored_number(client, db, numbers_survey, evaluator, row_counts, caplog, value):
    hostile_row(db, numbers_survey, value)
    evaluator(numbers_survey.programme)
    before = row_counts(audit=False)
    response = client.get(f"/manage/questionnaires/{numbers_survey.id}/report.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    # one line per text run; pypdf may lead a table's first heading cell with a space (its padding)
    content = "\n".join(line.strip() for line in pdf_text(response.data).splitlines())
    assert "beyond ±10^15): 1" in content
    # mean, median, SD, minimum and maximum of the six good answers, right below the item's counts
    assert "Valid answers: 6, missing: 1\nMean\nMedian\nSD\nMinimum\nMaximum\n22.5\n22.5\n1.9\n20.0\n25.0" in content
    assert row_counts(audit=False) == before and not errors_logged(caplog)


def test_programme_report_and_pdf_survive_every_bad_number(client, db, make, evaluator, row_counts, caplog):
    questionnaire = make.questionnaire(items=NUMBERS_ITEMS)
    good = [{"age": 20 + n, "nps": 5, "agree": 3} for n in range(6)]
    ids = seed_responses(questionnaire, [*good, *({"nps": 5} for _ in BAD_NUMBERS)])
    age = questionnaire.items[0].id
    for response_id, value in zip(ids[6:], BAD_NUMBERS.values(), strict=True):
        store_answer(db, response_id, age, value)
    evaluator(questionnaire.programme)
    before = row_counts(audit=False)
    page = client.get(f"/manage/programmes/{questionnaire.programme_id}/report?ui=en")
    assert page.status_code == 200 and f"{LEFT_OUT} (infinite, not a number or beyond ±10^15): 6" in page.text
    pdf = client.get(f"/manage/programmes/{questionnaire.programme_id}/report.pdf?lang=en")
    assert pdf.status_code == 200 and "beyond ±10^15): 6" in pdf_text(pdf.data)
    assert row_counts(audit=False) == before and not errors_logged(caplog)


def test_report_cli_survives_every_bad_number(runner, db, numbers_survey, tmp_path):
    for value in BAD_NUMBERS.values():
        hostile_row(db, numbers_survey, value)  # the same response answers "age" several times; last one counts
    out = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", numbers_survey.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "beyond ±10^15): 1" in pdf_text(out.read_bytes())


@pytest.mark.parametrize("value", BAD_NUMBERS.values(), ids=BAD_NUMBERS.keys())
def test_exports_survive_stored_number(client, db, numbers_survey, evaluator, row_counts, caplog, value, tmp_path):
    """The unusable number is exported as missing in the wide CSV, XLSX and SPSS (the long CSV keeps it raw)."""
    hostile_row(db, numbers_survey, value)
    evaluator(numbers_survey.programme)
    before = row_counts(audit=False)
    base = f"/manage/questionnaires/{numbers_survey.id}/export"
    rows = list(csv.DictReader(io.StringIO(client.get(base + ".csv").data.decode("utf-8-sig"))))
    assert [r["age"] for r in rows] == ["20.0", "21.0", "22.0", "23.0", "24.0", "25.0", ""]
    with client.get(base + ".xlsx") as response:
        assert response.status_code == 200
        sheet = list(load_workbook(io.BytesIO(response.data), read_only=True)["data"].iter_rows(values_only=True))
    assert sheet[-1][list(sheet[0]).index("age")] is None
    with client.get(base + ".sav") as response:
        assert response.status_code == 200
        (tmp_path / "x.sav").write_bytes(response.data)
    frame, _meta = pyreadstat.read_sav(str(tmp_path / "x.sav"))
    assert frame["age"].iloc[:6].tolist() == [20.0, 21.0, 22.0, 23.0, 24.0, 25.0] and frame["age"].isna().iloc[6]
    assert row_counts(audit=False) == before and not errors_logged(caplog)


# -- control characters in stored texts ----------------------------------------------------------------


@pytest.fixture
def text_survey(make):
    questionnaire = make.questionnaire(
        items=[("story", "longtext", False, 1, {}, []), ("colour", "single", False, 1, {}, ["red", "blue"])]
    )
    seed_responses(questionnaire, [{"story": f"story {n}", "colour": "red"} for n in range(6)])
    return questionnaire


def poison_answer(db, questionnaire, control: str) -> str:
    value = f"{control}{FORMULA}{control}end"
    item = {i.code: i.id for i in questionnaire.items}["story"]
    db.session.execute(update(Answer).where(Answer.item_id == item).values(value=value))
    db.session.commit()
    return value


def poison_labels(db, questionnaire, control: str) -> None:
    """Questionnaire title, item label and option label with a control character (the option's hides a formula)."""
    ids = {i.code: i for i in questionnaire.items}
    db.session.execute(
        update(QuestionnaireText)
        .where(QuestionnaireText.questionnaire_id == questionnaire.id, QuestionnaireText.key == "title")
        .values(text=f"Title{control}with control")
    )
    db.session.execute(
        update(ItemText).where(ItemText.item_id == ids["story"].id).values(text=f"Story{control}label")
    )
    red = ids["colour"].options[0].id
    db.session.execute(update(OptionText).where(OptionText.option_id == red).values(text=f"{control}{FORMULA}"))
    db.session.commit()


def get_xlsx(client, questionnaire):
    with client.get(f"/manage/questionnaires/{questionnaire.id}/export.xlsx") as response:
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.data), read_only=True)
        return (list(book["data"].iter_rows(values_only=True)), list(book["codebook"].iter_rows(values_only=True)))


@pytest.mark.parametrize("name", CONTROLS)
def test_xlsx_export_with_control_character_in_answer(client, db, text_survey, evaluator, row_counts, caplog, name):
    poison_answer(db, text_survey, control_or_skip(db, name))
    evaluator(text_survey.programme)
    before = row_counts(audit=False)
    data, _codebook = get_xlsx(client, text_survey)
    story = list(data[0]).index("story")
    assert data[1][story] == "'" + FORMULA + "end"  # cleaned, and the formula it hid is neutralised
    assert row_counts(audit=False) == before and not errors_logged(caplog)


@pytest.mark.parametrize("name", CONTROLS)
def test_xlsx_codebook_with_control_character_in_labels(client, db, text_survey, evaluator, row_counts, caplog, name):
    poison_labels(db, text_survey, control_or_skip(db, name))
    evaluator(text_survey.programme)
    before = row_counts(audit=False)
    _data, codebook = get_xlsx(client, text_survey)
    cells = [cell for row in codebook for cell in row if isinstance(cell, str)]
    assert "Storylabel" in cells and "'" + FORMULA in cells and FORMULA not in cells
    assert row_counts(audit=False) == before and not errors_logged(caplog)


@pytest.mark.parametrize("name", CONTROLS)
def test_sav_export_with_control_characters(client, db, text_survey, evaluator, row_counts, caplog, tmp_path, name):
    control = control_or_skip(db, name)
    poison_answer(db, text_survey, control)
    poison_labels(db, text_survey, control)
    evaluator(text_survey.programme)
    before = row_counts(audit=False)
    with client.get(f"/manage/questionnaires/{text_survey.id}/export.sav?lang=de") as response:
        assert response.status_code == 200
        (tmp_path / "x.sav").write_bytes(response.data)
    frame, meta = pyreadstat.read_sav(str(tmp_path / "x.sav"))
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert frame["story"].iloc[0] == FORMULA + "end"  # not cut at a NUL
    assert labels["story"] == "Storylabel"
    assert meta.variable_value_labels["colour"][1.0] == FORMULA
    assert row_counts(audit=False) == before and not errors_logged(caplog)


def test_sav_export_with_400_digit_option_code_and_long_multibyte_text(client, db, text_survey, evaluator,
                                                                          row_counts, caplog, tmp_path):
    """A 400-digit option code no longer becomes an SPSS value, and a 40,000-byte answer keeps its width."""
    from surveyapp.questionnaires.models import Option

    colour = {i.code: i for i in text_survey.items}["colour"]
    huge = "9" * (64 if db.engine.dialect.name == "postgresql" else 400)  # PostgreSQL enforces String(64)
    db.session.execute(update(Option).where(Option.item_id == colour.id, Option.code == "blue").values(code=huge))
    db.session.execute(update(Option).where(Option.item_id == colour.id, Option.code == "red").values(code="1"))
    db.session.execute(update(Answer).where(Answer.item_id == colour.id).values(value=huge))
    story = {i.code: i for i in text_survey.items}["story"]
    db.session.execute(update(Answer).where(Answer.item_id == story.id).values(value="é" * 20_000))
    db.session.commit()
    evaluator(text_survey.programme)
    before = row_counts(audit=False)
    with client.get(f"/manage/questionnaires/{text_survey.id}/export.sav?lang=de") as response:
        assert response.status_code == 200
        (tmp_path / "x.sav").write_bytes(response.data)
    frame, meta = pyreadstat.read_sav(str(tmp_path / "x.sav"))
    assert frame["colour"].tolist() == [2.0] * 6 and meta.variable_value_labels["colour"][2.0] == "blue-de"
    assert frame["story"].iloc[0] == "é" * 20_000
    assert row_counts(audit=False) == before and not errors_logged(caplog)


@pytest.mark.parametrize("name", CONTROLS)
def test_csv_exports_with_control_character(client, db, text_survey, evaluator, row_counts, caplog, name):
    poison_answer(db, text_survey, control_or_skip(db, name))
    evaluator(text_survey.programme)
    before = row_counts(audit=False)
    for query, column in (("", "story"), ("?format=long", "value")):
        body = client.get(f"/manage/questionnaires/{text_survey.id}/export.csv{query}").data.decode("utf-8-sig")
        assert CONTROLS[name] not in body
        values = [row[column] for row in csv.DictReader(io.StringIO(body))]
        assert "'" + FORMULA + "end" in values
    assert row_counts(audit=False) == before and not errors_logged(caplog)


@pytest.mark.parametrize("name", CONTROLS)
def test_report_and_pdf_with_control_characters(client, db, text_survey, evaluator, row_counts, caplog, name):
    control = control_or_skip(db, name)
    poison_answer(db, text_survey, control)
    poison_labels(db, text_survey, control)
    evaluator(text_survey.programme)
    before = row_counts(audit=False)
    page = client.get(f"/manage/questionnaires/{text_survey.id}/report?ui=en&open_answers=y")
    assert page.status_code == 200
    pdf = client.get(f"/manage/questionnaires/{text_survey.id}/report.pdf?lang=de&open_answers=y")
    assert pdf.status_code == 200
    content = pdf_text(pdf.data)
    assert "HYPERLINK" in content and control not in content
    assert row_counts(audit=False) == before and not errors_logged(caplog)


# -- e-mail headers ----------------------------------------------------------------------------------------


@pytest.fixture
def wave_setup(db, make):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=[("agree", "likert", True, 1, {"points": 5}, [])])
    session = panel.session(db, programme, date.today() - timedelta(days=1), place="Graz")
    anna = panel.participant(db, session, "anna@example.org", "en")
    wave = panel.wave(db, programme, questionnaire)
    return questionnaire, session, anna, wave


@pytest.mark.parametrize("breaker", ["\r\n", "\n", "\r", "\u2028"], ids=["crlf", "lf", "cr", "u2028"])
def test_line_break_in_title_cannot_add_headers_and_mail_is_sent(db, smtp, wave_setup, caplog, breaker):
    questionnaire, *_ = wave_setup
    title = f"Road safety{breaker}Bcc: evil@example.org{breaker}{breaker}body injection"
    db.session.execute(
        update(QuestionnaireText)
        .where(QuestionnaireText.questionnaire_id == questionnaire.id, QuestionnaireText.key == "title")
        .values(text=title)
    )
    db.session.commit()
    report = dispatch_due()
    assert report.sent == 1 and report.bounced == 0 and report.failed == 0
    [(recipients, message)] = smtp.messages
    assert recipients == ["anna@example.org"]
    assert message["Subject"] == "Your follow-up questionnaire: Road safety Bcc: evil@example.org body injection"
    assert "Bcc" not in message.keys()
    assert not errors_logged(caplog)


def test_line_break_in_session_place_and_sender_name(app, db, smtp, wave_setup):
    questionnaire, session, *_ = wave_setup
    db.session.execute(
        update(QuestionnaireText)
        .where(QuestionnaireText.questionnaire_id == questionnaire.id, QuestionnaireText.key == "title")
        .values(text="Follow-up {place}")
    )
    db.session.execute(text("UPDATE training_sessions SET place = :p WHERE id = :i"),
                       {"p": "Graz\r\nBcc: evil@example.org", "i": session.id})
    db.session.commit()
    app.config["MAIL_SENDER"] = "Survey\r\nteam <survey@example.org>"
    assert dispatch_due().sent == 1
    [(recipients, message)] = smtp.messages
    assert recipients == ["anna@example.org"] and "Bcc" not in message.keys()
    assert message["Subject"] == "Your follow-up questionnaire: Follow-up Graz Bcc: evil@example.org"
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("Survey team", "survey@example.org")


def test_crlf_in_stored_recipient_is_a_bounce_not_an_injection(db, smtp, wave_setup, caplog):
    *_, anna, _wave = wave_setup
    address = "anna@example.org\r\nRCPT TO:<evil@example.org>"
    db.session.execute(text("UPDATE contacts SET email = :e WHERE participant_id = :p"), {"e": address, "p": anna.id})
    db.session.commit()
    report = dispatch_due()
    assert report.sent == 0 and report.bounced == 1 and smtp.messages == []
    invitation = db.session.scalar(select(Invitation).where(Invitation.participant_id == anna.id))
    assert invitation.bounced_at is not None and "evil" not in (invitation.last_error or "")
    assert "anna@example.org" not in caplog.text and not errors_logged(caplog)


# -- CSV export reads only its own questionnaire -------------------------------------------------------------


def test_csv_export_never_reads_answers_of_interleaved_questionnaire(client, db, make, evaluator, row_counts):
    from surveyapp.datasets.frames import answer_arrays

    programme = make.programme()
    ours = make.questionnaire(programme, items=[("note", "text", False, 1, {}, [])])
    theirs = make.questionnaire(programme, items=[("note", "text", False, 1, {}, [])])
    mine = []
    for n in range(4):  # alternate inserts so the other survey's response ids sit between ours
        mine += seed_responses(ours, [{"note": f"ours {n}"}])
        seed_responses(theirs, [{"note": f"SECRET theirs {n}"}])
    read = answer_arrays(pd_series(mine), [ours.id])
    assert sorted(set(read[0].tolist())) == mine and all("SECRET" not in v for v in read[2])
    evaluator(programme)
    before = row_counts(audit=False)
    for query in ("", "?format=long"):
        body = client.get(f"/manage/questionnaires/{ours.id}/export.csv{query}").data.decode("utf-8-sig")
        assert "SECRET" not in body and body.count("ours ") == 4
    assert row_counts(audit=False) == before


def pd_series(ids):
    import pandas as pd

    return pd.Series(ids, dtype="int64")


# -- deleting a response: only managers of the programme, only by POST with CSRF -----------------------------


@pytest.fixture
def deletable(make, db):
    questionnaire = make.questionnaire(items=[("note", "text", False, 1, {}, [])])
    ids = seed_responses(questionnaire, [{"note": "keep me"}, {"note": "and me"}])
    return questionnaire, ids


def delete_url(questionnaire_id: int, response_id: int) -> str:
    return f"/manage/questionnaires/{questionnaire_id}/responses/{response_id}/delete"


def test_delete_response_refused_to_evaluator(client, make, auth, deletable, row_counts):
    questionnaire, ids = deletable
    auth.login(make.user(Role.EVALUATOR, programme=questionnaire.programme).email)
    token = csrf_token(client, "/manage/")
    before = row_counts(audit=False)
    assert client.get(f"/manage/questionnaires/{questionnaire.id}/responses").status_code == 403
    assert client.post(delete_url(questionnaire.id, ids[0]), data={"csrf_token": token}).status_code == 403
    assert row_counts(audit=False) == before


def test_delete_response_refused_to_manager_of_another_programme(client, make, auth, deletable, row_counts):
    questionnaire, ids = deletable
    auth.login(make.user(Role.MANAGER).email)
    token = csrf_token(client, "/manage/")
    before = row_counts(audit=False)
    assert client.get(f"/manage/questionnaires/{questionnaire.id}/responses").status_code == 403
    assert client.get(delete_url(questionnaire.id, ids[0])).status_code == 403
    assert client.post(delete_url(questionnaire.id, ids[0]), data={"csrf_token": token}).status_code == 403
    assert row_counts(audit=False) == before


def test_delete_response_through_own_questionnaire_of_foreign_response_is_404(client, make, auth, deletable,
                                                                             row_counts):
    """A manager cannot reach another programme's response by putting its id under their own questionnaire."""
    questionnaire, ids = deletable
    manager = make.user(Role.MANAGER)
    own = make.questionnaire(db_programme(manager))
    auth.login(manager.email)
    token = csrf_token(client, "/manage/")
    before = row_counts(audit=False)
    assert client.get(delete_url(own.id, ids[0])).status_code == 404
    assert client.post(delete_url(own.id, ids[0]), data={"csrf_token": token}).status_code == 404
    assert client.post(delete_url(own.id, 10**9), data={"csrf_token": token}).status_code == 404
    assert row_counts(audit=False) == before


def db_programme(user):
    return user.memberships[0].programme


def test_delete_response_without_csrf_token_is_refused(client, make, auth, deletable, row_counts):
    questionnaire, ids = deletable
    auth.login(make.user(Role.MANAGER, programme=questionnaire.programme).email)
    before = row_counts(audit=False)
    assert client.post(delete_url(questionnaire.id, ids[0])).status_code == 400
    assert client.post(delete_url(questionnaire.id, ids[0]), data={"csrf_token": "forged"}).status_code == 400
    assert row_counts(audit=False) == before


def test_delete_response_anonymous_and_get_delete_nothing(client, make, auth, deletable, row_counts):
    questionnaire, ids = deletable
    manager = make.user(Role.MANAGER, programme=questionnaire.programme)
    before = row_counts(audit=False)
    response = client.post(delete_url(questionnaire.id, ids[0]))
    assert response.status_code in (302, 400)  # to the login page, or refused for the missing token first
    auth.login(manager.email)
    confirm = client.get(delete_url(questionnaire.id, ids[0]))
    assert confirm.status_code == 200 and "This cannot be undone." in confirm.text
    assert row_counts(audit=False) == before
