"""Hostile values on the input side: numbers, control characters, NUL, response keys, staff texts.

Each case: a clear 4xx (or a cleaned value for staff texts), row counts unchanged, nothing in the logs.
"""
import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.participants.models import Contact, TrainingSession
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.responses.models import Answer
from tests import panel_factories as panel
from tests.conftest import csrf_token, hidden_fields
from tests.gdpr.panel import token_of

ITEMS = [
    ("amount", "number", False, 1, {"decimals": 2}, []),  # a decimal number without a maximum
    ("count", "number", False, 1, {}, []),  # a whole number without a maximum
    ("note", "text", False, 1, {}, []),
    ("story", "longtext", False, 1, {}, []),
    ("colour", "single", False, 1, {}, ["red", "green"]),
    ("tools", "multiple", False, 1, {}, ["bike", "car"]),
    ("when", "date", False, 1, {}, []),
]
NOT_ALLOWED = "This answer contains a character that is not allowed"
DECIMAL_MESSAGE = "Please enter a number with at most 15 digits before the decimal point and 10 after it."
WHOLE_MESSAGE = "Please enter a whole number of at most 15 digits."
NUL_MESSAGE = "The request contained a character that is not allowed (NUL)."


def no_errors_logged(logs, *values: str) -> None:
    assert not [r for r in logs.caplog.records if r.levelno >= logging.ERROR], logs.text
    logs.assert_clean(*values)


@pytest.fixture
def survey(make):
    return make.questionnaire(items=ITEMS, languages=("en",))


def submit(client, slug: str, answers: dict, **overrides):
    page = client.get(f"/s/{slug}")
    assert page.status_code == 200
    data = {**hidden_fields(page.get_data(as_text=True)), **answers, "nav": "submit", **overrides}
    return client.post(f"/s/{slug}", data=data)


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "sNaN", "1e999999", "-1E+400", "1" * 16])
def test_decimal_number_without_maximum_refuses_non_finite_and_huge(client, survey, row_counts, logs, value):
    before = row_counts()
    answer = submit(client, survey.slug, {"q_amount": value})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert DECIMAL_MESSAGE in html and 'id="q_amount-error"' in html
    assert row_counts() == before
    no_errors_logged(logs, value)


@pytest.mark.parametrize("value", ["9" * 400, "1" * 16, "-" + "9" * 400, "1_000"])
def test_whole_number_refuses_400_digits(client, survey, row_counts, logs, value):
    before = row_counts()
    answer = submit(client, survey.slug, {"q_count": value})
    assert answer.status_code == 422
    assert WHOLE_MESSAGE in answer.get_data(as_text=True)
    assert row_counts() == before
    no_errors_logged(logs, value)


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85", "\x0b", "\ufffe", "\uffff", "\U0010ffff"],
                         ids=["SOH", "ESC", "DEL", "NEL", "VT", "U+FFFE", "U+FFFF", "U+10FFFF"])
@pytest.mark.parametrize("field", ["q_note", "q_story"])
def test_control_character_in_free_text_refused_next_to_the_item(client, survey, row_counts, logs, field, char):
    before = row_counts()
    answer = submit(client, survey.slug, {field: f"harmless{char}text"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert NOT_ALLOWED in html and f'id="{field}-error"' in html
    assert row_counts() == before
    no_errors_logged(logs, "harmless")


@pytest.mark.parametrize(("field", "value"), [
    ("q_colour", "red\x1b"), ("q_tools", "bike\x01"), ("q_when", "2026-01-01\x1b"), ("q_count", "12\x1b"),
    ("q_amount", "1.5\x07"),
], ids=["option", "multiple", "date", "whole-number", "decimal"])
def test_control_character_refused_in_every_answer_type(client, survey, row_counts, logs, field, value):
    before = row_counts()
    answer = submit(client, survey.slug, {field: value})
    assert answer.status_code == 422
    assert NOT_ALLOWED in answer.get_data(as_text=True)
    assert row_counts() == before
    no_errors_logged(logs)


def test_windows_line_breaks_are_stored_as_newlines_and_tabs_kept(client, survey, db):
    answer = submit(client, survey.slug, {"q_story": "one\r\ntwo\tthree\r\n"})
    assert answer.status_code == 302
    assert db.session.scalars(select(Answer.value)).all() == ["one\ntwo\tthree"]


@pytest.mark.parametrize("where", ["answer", "key", "field-name", "query", "path"])
def test_nul_anywhere_in_a_public_request_is_a_400(client, survey, row_counts, logs, where):
    before = row_counts()
    if where == "query":
        answer = client.get(f"/s/{survey.slug}?lang=en%00")
    elif where == "path":
        answer = client.get(f"/s/{survey.slug}%00")
    else:
        answers = {"answer": {"q_note": "a\x00b"}, "key": {"rk": "\x00" * 32},
                   "field-name": {"q_note\x00": "x"}}[where]
        answer = submit(client, survey.slug, answers)
    assert answer.status_code == 400
    assert NUL_MESSAGE in answer.get_data(as_text=True)
    assert row_counts() == before
    no_errors_logged(logs)


def staff_client(client, auth, make, programme):
    manager = make.user(Role.MANAGER, programme)
    auth.login(manager.email)
    return csrf_token(client, "/manage/")


def test_nul_in_a_staff_form_is_a_400(client, auth, make, survey, row_counts, logs):
    token = staff_client(client, auth, make, survey.programme)
    before = row_counts()
    answer = client.post(f"/manage/questionnaires/{survey.id}/texts?lang=en",
                         data={"csrf_token": token, "title": "Evil\x00title"})
    assert answer.status_code == 400 and NUL_MESSAGE in answer.get_data(as_text=True)
    assert row_counts() == before
    no_errors_logged(logs)


def test_nul_in_a_multipart_form_value_is_a_400_but_file_contents_are_not_form_values(
        client, auth, make, db, survey, row_counts, logs):
    import io

    token = staff_client(client, auth, make, survey.programme)
    session = panel.session(db, survey.programme)
    before = row_counts()
    url = f"/manage/sessions/{session.id}/import"
    refused = client.post(url, data={"csrf_token": token, "consent": "y\x00",
                                     "roster": (io.BytesIO(b"email\nx@example.org\n"), "r.csv")},
                          content_type="multipart/form-data")
    assert refused.status_code == 400 and NUL_MESSAGE in refused.get_data(as_text=True)
    assert row_counts() == before
    passed = client.post(url, data={"csrf_token": token, "consent": "y",
                                    "roster": (io.BytesIO(b"email,name\nx@example.org,A\x00B\n"), "r.csv")},
                         content_type="multipart/form-data")
    assert passed.status_code in (302, 422)  # the importer decides (it refuses a binary CSV), not the guard
    assert all("\x00" not in (contact.name or "") for contact in db.session.scalars(select(Contact)))
    no_errors_logged(logs)


@pytest.mark.parametrize("key", ["k" * 65, "x" * 300, "' OR 1=1 --" + "a" * 21, "a" * 31, "a" * 33,
                                 "i" + "0" * 40, "", "äöü" + "a" * 29],
                         ids=["65", "300", "quote", "31", "33", "invitation-key", "empty", "non-ascii"])
def test_response_key_not_issued_by_the_server_is_a_400_and_stores_nothing(
        client, survey, row_counts, logs, key):
    before = row_counts()
    answer = submit(client, survey.slug, {"q_note": "fine"}, rk=key)
    assert answer.status_code == 400
    assert "This form is not valid" in answer.get_data(as_text=True)
    assert row_counts() == before
    no_errors_logged(logs, key)


@pytest.fixture
def invitation_link(app, db, make, survey):
    session = panel.session(db, survey.programme, date.today() - timedelta(days=1))
    anna = panel.participant(db, session, "anna@example.org", "en")
    panel.wave(db, survey.programme, survey, window_days=30)
    return f"/i/{token_of(app, db, anna)}"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("q_amount", "Infinity", DECIMAL_MESSAGE), ("q_count", "9" * 400, WHOLE_MESSAGE),
    ("q_note", "a\x1bb", NOT_ALLOWED),
], ids=["infinity", "400-digits", "escape"])
def test_the_personal_link_refuses_the_same_values(client, invitation_link, row_counts, logs, field, value,
                                                   message):
    page = client.get(invitation_link)
    before = row_counts()
    answer = client.post(invitation_link, data={**hidden_fields(page.get_data(as_text=True)), field: value,
                                                "nav": "submit"})
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert row_counts() == before
    no_errors_logged(logs)


def test_the_builder_preview_refuses_the_same_values(client, auth, make, survey, row_counts, logs):
    token = staff_client(client, auth, make, survey.programme)
    before = row_counts()
    answer = client.post(f"/manage/questionnaires/{survey.id}/preview",
                         data={"csrf_token": token, "page": 1, "rk": "preview", "q_amount": "NaN",
                               "q_note": "x\x01", "nav": "submit"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and DECIMAL_MESSAGE in html and NOT_ALLOWED in html
    assert row_counts() == before
    no_errors_logged(logs)


def test_line_break_in_a_questionnaire_title_cannot_reach_a_mail_header(client, auth, make, db, survey, logs):
    token = staff_client(client, auth, make, survey.programme)
    answer = client.post(f"/manage/questionnaires/{survey.id}/texts?lang=en",
                         data={"csrf_token": token, "title": "Survey\r\nBcc: victim@example.org\x1b",
                               "intro": "Line one\r\nLine two\x07", "thanks": "", "page_1": ""})
    assert answer.status_code == 302
    stored = db.session.get(Questionnaire, survey.id)
    assert stored.text("title", "en") == "Survey Bcc: victim@example.org"
    assert stored.text("intro", "en") == "Line one\nLine two"
    no_errors_logged(logs)


def test_control_characters_stripped_from_a_session_place(client, auth, make, db, survey, logs):
    token = staff_client(client, auth, make, survey.programme)
    answer = client.post(f"/manage/programmes/{survey.programme_id}/sessions",
                         data={"csrf_token": token, "held_on": "2026-03-01", "place": "Graz\n\x1b[31mRed",
                               "trainer": "Peer\tA"})
    assert answer.status_code == 302
    session = db.session.scalar(select(TrainingSession))
    assert (session.place, session.trainer) == ("Graz [31mRed", "Peer A")
    no_errors_logged(logs)


@pytest.mark.parametrize("value", ["9" * 400, "-1000000000000000"], ids=["400-digits", "16-digits"])
def test_a_number_item_cannot_be_given_a_bound_no_answer_could_reach(client, auth, make, survey, row_counts,
                                                                      logs, value):
    token = staff_client(client, auth, make, survey.programme)
    before = row_counts(audit=False)
    answer = client.post(f"/manage/questionnaires/{survey.id}/items/new",
                         data={"csrf_token": token, "code": "big", "type": "number", "page": 1, "label": "Big",
                               "points": 5, "max": value})
    assert answer.status_code == 422
    assert row_counts(audit=False) == before
    no_errors_logged(logs, value)


def test_a_400_digit_number_in_the_wave_form_is_a_422(client, auth, make, survey, row_counts, logs):
    token = staff_client(client, auth, make, survey.programme)
    before = row_counts(audit=False)
    answer = client.post(f"/manage/programmes/{survey.programme_id}/waves",
                         data={"csrf_token": token, "name": "3 months", "questionnaire_id": survey.id,
                               "position": 0, "offset_months": "9" * 400, "offset_days": 0, "window_days": 21,
                               "reminder_days": "7", "max_reminders": 2})
    assert answer.status_code in (200, 422)  # the plan page again, with the message
    assert "Please enter a whole number of at most 15 digits." in answer.get_data(as_text=True)
    assert row_counts(audit=False) == before  # the audit trail records the attempt: that is its job
    no_errors_logged(logs)
