"""Hostile languages (?lang=, Accept-Language) on respondent pages, staff pages and the PDF report fall back to a
shipped language: 200 (or the PDF), the hostile value never echoed into the page, never read as a path, nothing
stored, nothing logged. A NUL in the path is a 400."""
import pytest

from surveyapp.accounts.models import Role
from tests.security import world

HOSTILE = {
    "traversal": "../../etc/passwd",
    "traversal-encoded": "..%2F..%2Fetc%2Fpasswd",
    "script": "<script>alert(1)</script>",
    "unknown": "xx",
    "locale-like": "de_AT.UTF-8@euro",
    "long": "de" * 2000,
    "crlf": "de\r\nSet-Cookie: x=1",
}
ACCEPT = {"garbage": "<script>;q=abc, ,;;;", "huge-q": "de;q=99999999999999999999, en;q=-1",
          "traversal": "../../etc/passwd", "long": "x-" * 3000}


@pytest.fixture
def own(db, make):
    return world.build(db, make, "own")


def _data(row_counts) -> dict:
    return row_counts(audit=False)


def _pages(own):
    ids = own.ids
    return {
        "survey": f"/s/{ids['slug']}", "enrol": f"/e/{ids['code']}", "login": "/login",
        "builder": f"/manage/questionnaires/{ids['questionnaire_id']}",
        "report": f"/manage/questionnaires/{ids['questionnaire_id']}/report",
        "pdf": f"/manage/questionnaires/{ids['questionnaire_id']}/report.pdf",
    }


def _get(client, path, **kwargs):
    response = client.get(path, **kwargs)
    body = response.get_data()
    response.close()
    return response, body


@pytest.mark.parametrize("page", ["survey", "enrol", "login", "builder", "report", "pdf"])
@pytest.mark.parametrize("value", list(HOSTILE))
def test_hostile_lang_falls_back(db, client, own, row_counts, logs, page, value):
    world.sign_in(client, world.staff(db, Role.MANAGER, own.programme))
    before = _data(row_counts)
    path = _pages(own)[page]
    lang = HOSTILE[value]
    response, body = _get(client, path, query_string=f"lang={lang}" if "%" in lang else {"lang": lang})
    # pages fall back to a shipped language; the PDF of a language the questionnaire lacks is a clear 400
    assert response.status_code == (400 if page == "pdf" else 200)
    assert b"root:" not in body and b"<script>alert(1)" not in body and b"Set-Cookie: x=1" not in body
    if page != "pdf" or response.status_code == 400:
        assert response.mimetype == "text/html"
        lang_attr = body.split(b'lang="', 1)[1].split(b'"', 1)[0]
        assert lang_attr in (b"de", b"en", b"fr", b"it", b"tr", b"ar", b"es", b"pl", b"uk", b"ru"), lang_attr
    assert "x=1" not in response.headers.get("Set-Cookie", "")
    assert _data(row_counts) == before
    logs.assert_clean("etc/passwd", "<script>")


@pytest.mark.parametrize("page", ["survey", "login", "builder", "pdf"])
@pytest.mark.parametrize("value", list(ACCEPT))
def test_accept_language_garbage_falls_back(db, client, own, row_counts, logs, page, value):
    world.sign_in(client, world.staff(db, Role.MANAGER, own.programme))
    before = _data(row_counts)
    response, body = _get(client, _pages(own)[page], headers={"Accept-Language": ACCEPT[value]})
    assert response.status_code == 200
    assert b"<script>;q" not in body
    assert _data(row_counts) == before
    logs.assert_clean("etc/passwd")


@pytest.mark.parametrize("path", ["/s/a%00b", "/manage/%00", "/i/%00abc", "/static/%00.css", "/login%00"])
def test_nul_in_the_path_is_refused(client, row_counts, logs, path):
    before = row_counts()
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert row_counts() == before


@pytest.mark.parametrize("path", ["/static/../surveyapp/config.py", "/static/..%2f..%2fpyproject.toml",
                                  "/static/%2e%2e/%2e%2e/pyproject.toml", "/manage/questionnaires/1%2f..%2f2"])
def test_path_traversal_serves_nothing(client, path):
    response, body = _get(client, path)
    assert response.status_code in (302, 404)
    assert b"SECRET_KEY" not in body and b"[project]" not in body


def _id_routes(app) -> list[tuple[str, str]]:
    """Every staff rule with an integer id, as (path with a 20-digit id, method)."""
    out = []
    for rule in app.url_map.iter_rules():
        ints = [name for name, converter in rule._converters.items() if converter.__class__.__name__ == "RowId"]
        if ints and rule.rule.startswith("/manage"):
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", "99999999999999999999").replace(f"<{name}>", "de")
            out += [(path, method) for method in sorted(rule.methods & {"GET", "POST"})]
    return out


def test_an_id_beyond_64_bits_is_a_404_not_an_overflow(app, db, make, client, row_counts, logs):
    """A number no database row id can hold never reaches the driver (OverflowError: a 500 on SQLite)."""
    own = world.build(db, make, "own")
    world.sign_in(client, world.staff(db, Role.MANAGER, own.programme))
    before = _data(row_counts)
    routes = _id_routes(app)
    assert len(routes) > 40
    for path, method in routes:
        response = client.open(path, method=method, data={})
        assert response.status_code in (400, 404, 405), f"{method} {path}: {response.status_code}"
    assert _data(row_counts) == before
