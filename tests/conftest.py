"""Shared fixtures: a real database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set), the app,
its test client and CLI runner, a login helper and row factories."""
import contextvars
import os
import re
import uuid
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from surveyapp import create_app
from surveyapp.extensions import db as _db
from tests import factories

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database of our own for this test session: tests may run beside other test sessions."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
        return
    url = make_url(base)
    name = f"surveyapp_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Build the schema through the migrations once, exactly as production does."""
    from flask_migrate import upgrade

    app = create_app(_test_config(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return database_url


def _test_config(database_url: str, _instance: Path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "PUBLIC_BASE_URL": "http://localhost",
        "SERVER_NAME": None,
    }


class IsolatedClient(FlaskClient):
    """Each request runs outside the test's app context, as in production: its own `g` and DB session."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            _db.session.expire_all()
        return response


@pytest.fixture
def app(_schema, tmp_path):
    app = create_app(_test_config(_schema, tmp_path))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        _db.session.remove()
        _truncate_all()
        _db.engine.dispose()


def _truncate_all() -> None:
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # the audit trail's trigger lets only this transaction delete
            conn.execute(text("SET LOCAL surveyapp.audit_allow_delete = 'on'"))
        for table in reversed(_db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(db):
    """Row factories bound to the test database: make.programme(), make.user(...), make.questionnaire(...)."""
    return factories.Factories(db)


@pytest.fixture
def close_to_panel(make, db):
    """A Close To-sized two-wave panel (tests/reports/panel_seed.py): 40 sessions, 1,448 + 330 responses."""
    from tests.reports.panel_seed import seed_close_to_panel

    return seed_close_to_panel(db, make.programme(code="closeto", name="Close To"))


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = PASSWORD):
        token = csrf_token(self.client, "/login")
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client, "/manage/")})


@pytest.fixture
def auth(client):
    return Auth(client)


def csrf_token(client, url: str) -> str:
    """GET a page and return the CSRF token it carries, as a browser would."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def hidden_fields(html: str) -> dict[str, str]:
    """All hidden inputs of a page (CSRF token, response key, page number)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


class SmtpSink:
    """What a real aiosmtpd server on a loopback port received: (recipients, parsed message) pairs."""

    def __init__(self):
        import threading

        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, _server, _session, envelope):
        from email import message_from_bytes, policy

        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def to(self, address: str) -> list:
        return [message for rcpts, message in self.messages if address in rcpts]


@pytest.fixture
def smtp(app):
    """A real SMTP server for this test; the app sends to it (MAIL_MODE smtp)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.port = port
    app.config.update(MAIL_MODE="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield sink
    controller.stop()
