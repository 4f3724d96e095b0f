"""Hostile input against the fault handling: forged edit versions on the builder, and requests sent while the
database is down. Each case: a clear 4xx/503 (never a 500), row counts unchanged, nothing secret in the logs."""
import pytest

from surveyapp.accounts.models import Role
from tests.conftest import hidden_fields
from tests.faults.conftest import SECRET, Respondent, driver_error, failing_statement

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def builder_page(client, auth, make):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=[("age", "number", False, 1, {}, [])])
    auth.login(make.user(Role.MANAGER, programme).email)
    qid = questionnaire.id
    fields = hidden_fields(client.get(f"/manage/questionnaires/{qid}").get_data(as_text=True))
    return qid, fields


@pytest.mark.parametrize("forged", ["abc", "", "0", "-1", "2147483648", "99999999999999999999999", "1e3", "1.0",
                                    EVIL, "１", "1\n", "1_0"],
                         ids=["text", "empty", "zero", "negative", "int32-overflow", "huge", "exponent", "decimal",
                              "markup", "fullwidth-digit", "trailing-newline", "underscore"])
def test_forged_edit_version_is_a_409_and_changes_nothing(client, builder_page, row_counts, logs, forged):
    qid, fields = builder_page
    before = row_counts()
    result = client.post(f"/manage/questionnaires/{qid}/texts?lang=de",
                         data={**fields, "edit_version": forged, "title": "Forged"})
    assert result.status_code == 409
    html = result.get_data(as_text=True)
    assert EVIL not in html and "Someone else saved this questionnaire" in html
    assert row_counts() == before
    logs.assert_clean(EVIL)


def test_replayed_old_edit_version_after_two_saves_is_a_409(client, builder_page, row_counts):
    qid, fields = builder_page
    url = f"/manage/questionnaires/{qid}/texts?lang=de"
    assert client.post(url, data={**fields, "title": "One"}).status_code == 302
    fresh = hidden_fields(client.get(f"/manage/questionnaires/{qid}").get_data(as_text=True))
    assert client.post(url, data={**fresh, "title": "Two"}).status_code == 302
    before = row_counts()
    assert client.post(url, data={**fields, "title": "Replayed"}).status_code == 409
    assert row_counts() == before


def test_hammering_submit_during_an_outage_stores_nothing_then_once(db, client, make, row_counts, logs):
    questionnaire = make.questionnaire(items=[("name", "text", False, 1, {}, [])], languages=("en",))
    phone = Respondent(client, questionnaire.slug)
    fields = hidden_fields(client.get(phone.url).get_data(as_text=True))
    form = {**fields, "q_name": SECRET, "nav": "submit"}
    before = row_counts()
    with failing_statement(db, r"^\s*INSERT", lambda: driver_error(db, "io"), times=10**6):
        statuses = [phone.post(form).status_code for _ in range(5)]
    assert statuses == [503] * 5 and row_counts() == before
    assert phone.post(form).status_code == 302 and phone.post(form).status_code == 302
    after = row_counts()
    assert (after["responses"], after["answers"]) == (before["responses"] + 1, before["answers"] + 1)
    logs.assert_clean(SECRET, fields["rk"])


def test_login_while_the_database_is_down_is_a_503_without_the_address(db, client, make, row_counts, logs):
    email = make.user().email
    token = hidden_fields(client.get("/login").get_data(as_text=True))["csrf_token"]
    before = row_counts()
    with failing_statement(db, r"^\s*SELECT", lambda: driver_error(db, "connect"), times=10**6):
        result = client.post("/login", data={"email": email, "password": "x" * 20, "csrf_token": token})
    assert result.status_code == 503 and result.headers["Retry-After"]
    assert row_counts() == before
    logs.assert_clean(email, "x" * 20)
