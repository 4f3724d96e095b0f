"""The README's scale-out recipe, tested: gunicorn with 4 gthread workers on PostgreSQL, rate limits in Redis.

Over real HTTP, each request on a fresh connection so different workers answer (gunicorn's access log names
the worker's pid): the 11th wrong login within a minute is refused whichever worker answers, a respondent
submits a page on one worker and resumes on another, and /readyz is 503 when the database is nowhere.
In the PostgreSQL run only; there, in CI (CI=true), an unreachable Redis is a failure, not a skip.
"""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from surveyapp.demo import load_demo
from tests.ops.respondent import page_answers

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/13"  # a database of its own, flushed first
BOOT_SECONDS = 60


def redis_or_skip(url: str) -> None:
    """Redis at 127.0.0.1:6379 is needed in CI; elsewhere its tests are skipped without it."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis at 127.0.0.1:6379 is needed in CI")
        pytest.skip("needs Redis at 127.0.0.1:6379")


@pytest.fixture
def pg_and_redis(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("the PostgreSQL run only (make test runs it; CI requires it)")
    redis_or_skip(REDIS)
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    return url


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(database_url: str, workers: int, log: Path, **env) -> tuple[subprocess.Popen, int]:
    port = free_port()
    clean = {name: value for name, value in os.environ.items() if not name.startswith("SURVEYAPP_")}
    clean |= {"DATABASE_URL": database_url, "SECRET_KEY": "gunicorn-test-secret",
              "SURVEYAPP_RATELIMIT_STORAGE_URI": REDIS, "SURVEYAPP_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
              **env}
    command = [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-k", "gthread", "--threads", "4",
               "-b", f"127.0.0.1:{port}", "--access-logfile", str(log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s",
               "surveyapp:create_app()"]
    process = subprocess.Popen(command, cwd=ROOT, env=clean, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    return process, port


def wait_until_serving(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            if Http(port).get("/healthz").status_code == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer")


class Page:
    def __init__(self, status: int, body: str, location: str | None, headers=None):
        self.status_code, self.body, self.location, self.headers = status, body, location, headers or {}

    def get_data(self, as_text=True) -> str:
        return self.body


class Http:
    """A browser's cookie jar over a new connection per request (so the kernel hands them to any worker)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, data: dict | None = None) -> Page:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Connection": "close"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, value = header.split(";", 1)[0].split("=", 1)
                self.cookies[name] = value
            location = response.headers.get("Location")
            if location:
                location = urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
            return Page(response.status, response.read().decode(), location, response.headers)
        finally:
            connection.close()

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Page:
        return self.request("POST", path, data)


def csrf(page: Page) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.body).group(1)


def form_fields(page: Page) -> dict:
    from tests.conftest import hidden_fields

    return hidden_fields(page.body)


def test_four_workers_share_limits_and_respondents_across_workers(app, db, pg_and_redis, tmp_path):
    load_demo(responses=0)
    db.session.commit()
    serving, port = gunicorn(pg_and_redis, 4, tmp_path / "access.log")
    nowhere, nowhere_port = gunicorn("postgresql+psycopg://nobody@127.0.0.1:1/none", 1, tmp_path / "n.log",
                                     SURVEYAPP_STARTUP_CHECKS="0")
    refused, _ = gunicorn("postgresql+psycopg://nobody@127.0.0.1:1/none", 1, tmp_path / "r.log")
    try:
        wait_until_serving(serving, port)
        wait_until_serving(nowhere, nowhere_port)
        ready = Http(nowhere_port).get("/readyz")
        assert ready.status_code == 503 and json.loads(ready.body)["reason"].startswith("database unreachable")
        assert ready.headers["Retry-After"] == "5"
        scrape = Http(nowhere_port).get("/metrics")  # a failed scrape in plain text, not the HTML error page
        assert scrape.status_code == 503 and scrape.body.startswith("# database unavailable"), scrape.body
        assert scrape.headers["Content-Type"].startswith("text/plain") and scrape.headers["Retry-After"] == "5"
        assert Http(port).get("/readyz").status_code == 200

        staff = Http(port)
        token = csrf(staff.get("/login"))
        wrong = {"email": "admin@demo.surveyapp.local", "password": "not the password", "csrf_token": token}
        statuses = [staff.post("/login", wrong).status_code for _ in range(11)]
        assert 429 not in statuses[:10] and statuses[10] == 429, statuses
        counted = Http(port).get("/metrics").body  # whichever worker answers: the total of all, from Redis
        assert 'surveyapp_http_requests_total{status="429"} 1\n' in counted and "worker=" not in counted, counted

        respondent = Http(port)
        first = respondent.get("/s/close-to?lang=en")
        sent = respondent.post("/s/close-to", {**form_fields(first), **page_answers(first.body, "x"), "nav": "next"})
        assert sent.status_code == 302
        resumed = respondent.get("/s/close-to?lang=en")  # a new connection: possibly another worker
        assert 'name="q_age"' in resumed.body  # page 2: page 1 was kept
        done = respondent.post("/s/close-to", {**form_fields(resumed), **page_answers(resumed.body, "a remark"),
                                               "nav": "submit"})
        assert done.status_code == 302, done.body[:500]
    finally:
        for process in (serving, nowhere):
            process.terminate()
            process.communicate(timeout=30)
    output, _ = refused.communicate(timeout=BOOT_SECONDS)
    assert refused.returncode != 0 and "surveyapp will not start: database unreachable" in output
    logins = [line.split()[0] for line in (tmp_path / "access.log").read_text().splitlines()
              if " POST /login " in f" {line} "]
    assert len(logins) == 11 and len(set(logins)) >= 2, logins  # several workers answered
