"""Structured logs: one line per request and per dispatch batch, and never a token, address, name or answer.

The privacy test runs the demo as an operator would see it in the logs: the demo and its panel, a dispatch
through a real SMTP server, respondents answering through their personal links and the public link, staff
logging in; then it greps every captured line for every secret the run handled.
"""
import json
import logging
import re

import pytest
from sqlalchemy import select

from surveyapp.demo import LOGINS, load_demo
from surveyapp.ops.logging import LineFormatter
from surveyapp.participants.models import Contact
from surveyapp.responses.models import Response
from surveyapp.waves.demo import load_panel_demo
from tests.conftest import Auth
from tests.ops.respondent import answer_all

LINKS = re.compile(r"https?://\S+?(/i/[A-Za-z0-9_-]+)")
RESPONDENTS = 3


@pytest.fixture
def captured(capsys, caplog):
    """Every record of the run at DEBUG, as written by the app's handler (stderr) and re-formatted as JSON."""
    caplog.set_level(logging.DEBUG, logger="surveyapp")

    def text() -> str:
        as_json = LineFormatter("json")
        return capsys.readouterr().err + "\n".join(as_json.format(record) for record in caplog.records)
    return text


def test_request_line_names_route_template_status_duration_and_request_id(client, captured):
    response = client.get("/i/not-a-real-token-at-all", headers={"X-Request-ID": "lb-1234.5"})
    assert response.headers["X-Request-ID"] == "lb-1234.5"
    line = next(line for line in captured().splitlines() if "route=" in line)
    assert "method=GET route=/i/<token> status=" in line and "request_id=lb-1234.5" in line
    assert re.search(r"duration_ms=\d+\.\d", line) and "not-a-real-token" not in line


def test_a_request_id_that_could_carry_data_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "anna@example.org"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_json_format_is_one_object_per_line():
    record = logging.LogRecord("surveyapp.requests", logging.INFO, __file__, 1, "request", (), None)
    record.route, record.status = "/s/<slug>", 200
    line = LineFormatter("json").format(record)
    assert json.loads(line) | {"ts": "x"} == {"ts": "x", "level": "INFO", "logger": "surveyapp.requests",
                                              "msg": "request", "route": "/s/<slug>", "status": 200}


def test_the_demo_run_logs_no_token_address_name_or_answer(app, db, client, runner, smtp, captured):
    load_demo(responses=0)
    load_panel_demo()
    db.session.commit()
    dispatched = runner.invoke(args=["waves", "dispatch", "--batch", "5"])
    assert dispatched.exit_code == 0, dispatched.output
    links = [LINKS.search(message.get_body(("plain",)).get_content()).group(1) for _, message in smtp.messages]
    assert len(links) >= RESPONDENTS
    answers = []
    for number, link in enumerate(links[:RESPONDENTS]):
        answers.append(f"my private remark number {number}")
        assert answer_all(app.test_client(), link, answers[-1]) >= 1
    answers.append("a public respondent's own words")
    assert answer_all(app.test_client(), "/s/close-to?lang=en", answers[-1]) == 2
    staff = app.test_client()
    email, password, _ = LOGINS[0]
    Auth(staff).login(email, password)
    assert staff.get("/manage/").status_code == 200

    logged = captured() + dispatched.output  # the command's log lines went to the runner's stderr
    assert "route=/i/<token>" in logged and 'msg="dispatch batch" claimed=5 sent=5 failed=0' in logged
    contacts = db.session.execute(select(Contact.email, Contact.name)).all()
    secrets = {link.removeprefix("/i/") for link in links} | {login for entry in LOGINS for login in entry[:2]}
    secrets |= {email for email, _ in contacts if email} | {name for _, name in contacts if len(name or "") > 3}
    secrets |= set(answers) | set(db.session.scalars(select(Response.key)))
    leaked = sorted(secret for secret in secrets if secret in logged)
    assert not leaked, leaked


def test_the_development_server_access_line_is_dropped(app):
    """`make run`'s server logs the raw request line (tokens in paths); the app's own line replaces it."""
    werkzeug = logging.getLogger("werkzeug")
    access = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '127.0.0.1 - - [x] "%s" %s %s\n',
                               ("GET /i/secret-token HTTP/1.1", "200", "-"), None)
    banner = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, " * Running on %s", ("http://x",), None)
    assert not werkzeug.filter(access) and werkzeug.filter(banner)


def test_an_error_line_and_the_500_page_carry_the_request_id(app, client, captured):
    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/broken-for-test", "broken_for_test", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/broken-for-test", headers={"X-Request-ID": "ref-42"})
    assert response.status_code == 500 and "Error reference: ref-42" in response.get_data(as_text=True)
    error = next(line for line in captured().splitlines() if "unhandled error" in line)
    assert "request_id=ref-42" in error
