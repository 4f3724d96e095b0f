"""Oversized and malformed request bodies and queries on a respondent page and a staff form: a clear 4xx (413 past
MAX_CONTENT_LENGTH; a staff form that does not validate is shown again, 200), never a 500, nothing stored, nothing
logged. Raw non-UTF-8 bytes in a query are a 400 (werkzeug raised on them: a 500, fixed in web._refuse_nul)."""
import pytest

from surveyapp.accounts.models import Role
from tests.conftest import csrf_token, hidden_fields
from tests.security import world


@pytest.fixture
def own(db, make):
    return world.build(db, make, "own")


def _data(row_counts) -> dict:
    return row_counts(audit=False)


def _targets(client, db, own) -> dict[str, tuple[str, dict]]:
    """url -> the valid hidden fields of its form, so only the hostile part is wrong."""
    survey = f"/s/{own.ids['slug']}"
    page = client.get(survey).get_data(as_text=True)
    world.sign_in(client, world.staff(db, Role.MANAGER, own.programme))
    sessions = f"/manage/programmes/{own.ids['programme_id']}/sessions"
    return {"survey": (survey, {**hidden_fields(page), "nav": "submit"}),
            "staff": (sessions, {"csrf_token": csrf_token(client, sessions)})}


BODIES = {
    "huge-value": lambda base, app: {"data": {**base, "q_remark": "x" * (app.config["MAX_CONTENT_LENGTH"] - 10_000),
                                              "place": "x" * 100_000}},
    "10000-fields": lambda base, app: {"data": {**base, **{f"f{n}": "1" for n in range(10_000)}}},
    "over-max-content-length": lambda base, app: {"data": b"a=" + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1),
                                                  "content_type": "application/x-www-form-urlencoded"},
    "malformed-multipart": lambda base, app: {"data": b"--zzz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n",
                                              "content_type": "multipart/form-data; boundary=zzz"},
    "multipart-no-boundary": lambda base, app: {"data": b"whatever", "content_type": "multipart/form-data"},
    "json-body": lambda base, app: {"json": base},
    "xml-body": lambda base, app: {"data": b"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                                           b"<a>&x;</a>", "content_type": "application/xml"},
    "invalid-utf8-form": lambda base, app: {"data": b"&".join([f"{k}={v}".encode() for k, v in base.items()]
                                                                + [b"q_remark=%ff%fe%80", b"place=\xff\xfe"]),
                                            "content_type": "application/x-www-form-urlencoded"},
}


@pytest.mark.parametrize("target", ["survey", "staff"])
@pytest.mark.parametrize("body", list(BODIES))
def test_hostile_body_is_a_clear_4xx(app, db, client, own, row_counts, logs, target, body):
    url, base = _targets(client, db, own)[target]
    before = _data(row_counts)
    response = client.post(url, **BODIES[body](base, app))
    text = response.get_data(as_text=True)
    if target == "survey":
        assert 400 <= response.status_code < 500, (response.status_code, text[:200])
    else:  # a staff form that does not validate is shown again with its errors, nothing saved
        assert response.status_code in (200, 400, 413, 422), (response.status_code, text[:200])
    if body == "over-max-content-length":
        assert response.status_code == 413
    assert "root:" not in text
    assert _data(row_counts) == before
    logs.assert_clean("x" * 1000, "root:")


@pytest.mark.parametrize("query", [b"lang=%ff%fe", b"page=%c0%af", b"lang=\xff", b"a=" + b"%00" * 10])
@pytest.mark.parametrize("target", ["survey", "staff"])
def test_invalid_utf8_in_the_query(db, client, own, row_counts, logs, query, target):
    url, _ = _targets(client, db, own)[target]
    before = _data(row_counts)
    response = client.get(url, environ_overrides={"QUERY_STRING": query.decode("latin-1")})
    assert response.status_code in (200, 400)
    assert _data(row_counts) == before
