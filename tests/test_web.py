"""Cross-cutting HTTP behaviour: security headers, compression, static caching, cookie flags."""
import gzip
import re

import pytest
from sqlalchemy import select

from surveyapp import create_app
from surveyapp.demo import LOGINS, SLUG, load_demo
from surveyapp.questionnaires.models import Questionnaire
from tests.conftest import csrf_token

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def _stylesheet_url(html: str) -> str:
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)


@pytest.mark.parametrize("url", ["/login", "/s/missing", "/static/app.css"])
def test_security_headers_on_every_response(client, url):
    with client.get(url) as response:  # closes the static file
        pass
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_html_gzipped_only_when_accepted(client, make):
    questionnaire = make.questionnaire()
    plain = client.get(f"/s/{questionnaire.slug}")
    assert "Content-Encoding" not in plain.headers
    packed = client.get(f"/s/{questionnaire.slug}", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.data).decode()
    assert html.startswith("<!doctype html>") and len(packed.data) < len(html) / 2
    assert packed.headers["Cache-Control"] == "no-store"


def test_error_pages_gzipped_too(client):
    response = client.get("/s/missing", headers=GZIP)
    assert response.status_code == 404 and response.headers["Content-Encoding"] == "gzip"
    assert b"<h1>" in gzip.decompress(response.data)


def test_static_hashed_url_cached_for_a_year_and_gzipped(client):
    css_url = _stylesheet_url(client.get("/login").get_data(as_text=True))
    assert re.search(r"app\.css\?v=[0-9a-f]{12}$", css_url)
    with client.get(css_url, headers=GZIP) as response:
        pass
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data).startswith(b":root{")
    etag = response.headers["ETag"]
    assert etag.startswith('W/"')
    with client.get(css_url, headers={**GZIP, "If-None-Match": etag}) as again:
        assert again.status_code == 304 and not again.data


def test_streamed_csv_export_gzipped_chunk_by_chunk(db, auth):
    load_demo(responses=200)
    email, password, _role = LOGINS[2]
    auth.login(email, password)
    questionnaire_id = db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == SLUG))
    url = f"/manage/questionnaires/{questionnaire_id}/export.csv"
    plain = auth.client.get(url)
    packed = auth.client.get(url, headers=GZIP)
    assert packed.is_streamed and packed.headers["Content-Encoding"] == "gzip"
    assert "Content-Length" not in packed.headers
    body = plain.get_data()
    assert body.count(b"\n") == 201 and gzip.decompress(packed.get_data()) == body
    assert len(packed.get_data()) < len(body) / 3


def test_small_responses_left_alone(app, client):
    @app.get("/tiny")
    def tiny():
        return "<p>ok</p>"

    response = client.get("/tiny", headers=GZIP)
    assert "Content-Encoding" not in response.headers and response.data == b"<p>ok</p>"


def test_session_cookie_httponly_samesite_lax(client, make):
    questionnaire = make.questionnaire()
    response = client.get(f"/s/{questionnaire.slug}")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_cookies_secure_behind_https(_schema, tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYAPP_SESSION_COOKIE_SECURE", "1")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": _schema, "SECRET_KEY": "test-secret"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    client = app.test_client()
    csrf_token(client, "https://localhost/login")
    cookie = client.get_cookie("session", domain="localhost")
    with app.app_context():  # a second app has engines of its own: close their connections now
        from surveyapp.extensions import db

        db.engine.dispose()
    assert cookie is not None and cookie.secure and cookie.http_only and cookie.same_site == "Lax"
