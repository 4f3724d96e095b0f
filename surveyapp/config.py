"""Configuration: defaults, then instance/config.py, then the environment, then test overrides."""
import ipaddress
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

from flask import Flask
from limits import parse_many


class Defaults:
    # hide_parameters: a failing statement's values (contact e-mails, answers) never reach an exception or a log
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A staff login ends after this long without a request (and at logout, a new password, deactivation or a
    # role change, on every device). PERMANENT_SESSION_LIFETIME stays Flask's 31 days: it bounds every cookie,
    # respondents' too, who resume an anonymous survey through theirs.
    STAFF_SESSION_IDLE_LIFETIME = timedelta(hours=12)
    # Behind a reverse proxy: how many proxies to trust for X-Forwarded-For / -Proto / -Host (0 = ignore the
    # headers). Without it every client is the proxy's address and shares one rate limit; set it to the
    # number of proxies in front of the app, never more (a client could then choose its own address).
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    WTF_CSRF_TIME_LIMIT = None  # a survey may stay open on a phone for hours
    SEND_FILE_MAX_AGE_DEFAULT = 31536000  # static URLs carry a content hash
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024  # request bodies (uploads); Werkzeug stops reading past it: 413
    IMPORT_SECONDS = 10.0  # time budget of one roster or translation import; past it: 422, nothing stored
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Vienna"
    RATELIMIT_STORAGE_URI = "memory://"
    # Redis down: each process counts in its own memory until it is back (/readyz says 503 meanwhile) rather
    # than every rate-limited page (login, invitation links, polls) failing with a 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Live poll updates between app processes (Redis pub/sub); None: the rate limiter's storage when it is Redis,
    # else within one process only (other processes' votes then reach a presenter by polling, within ~2 s).
    LIVE_REDIS_URL = None
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"
    TOKEN_RATE_LIMIT = "60 per minute"  # noqa: S105 (a rate, not a secret)
    # Joining and voting in live polls, per client address: a whole workshop may share the venue's one address.
    POLL_RATE_LIMIT = "600 per minute"
    # A public survey's respondent continues on the same device for this many days after their last saved page
    # (a cookie); 0: only until the browser is closed.
    RESPONDENT_RESUME_DAYS = 30
    SUPPRESSION_MIN_N = 5
    # The public address in links (https://survey.example.org). None: a request's links use the address it came
    # by; letters sent without a request (the wave dispatcher) need it set.
    PUBLIC_BASE_URL = None
    MAIL_MODE = "console"  # "console" prints e-mails, "smtp" sends them
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_SENDER = "surveyapp@localhost"
    # Operations (surveyapp.ops, docs/deploy.md). ENV "production" refuses to start without a SECRET_KEY.
    ENV = "development"
    LOG_LEVEL = "INFO"
    LOG_FORMAT = "keyvalue"  # or "json": one line per request and per dispatch batch
    METRICS_ALLOW = "127.0.0.1,::1"  # addresses/networks (CIDR) that may read /metrics; others get 404
    HEALTH_VERSION = None  # shown by /healthz and /readyz only when an operator sets it
    STARTUP_CHECKS = None  # None: under gunicorn and `flask run`, not in tests or other flask commands


class ConfigError(SystemExit):
    """A SURVEYAPP_ value that cannot be right: refused at start-up in one line naming it and what it accepts."""

    def __init__(self, name: str, value: str, accepted: str):
        super().__init__(3)  # gunicorn's "worker failed to boot": the master stops instead of respawning
        self.line = f"{name}={value!r} is not valid: {accepted}"


def _choice(*accepted: str):
    def convert(value: str) -> str:
        if value.strip().lower() not in accepted:
            raise ValueError(" or ".join(accepted))
        return value.strip().lower()
    return convert


def _flag(value: str) -> bool:
    return _choice("1", "true", "yes", "0", "false", "no")(value) in {"1", "true", "yes"}


def _count(value: str) -> int:
    if not value.strip().isdigit():
        raise ValueError("a whole number, 0 or more")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ValueError("a number of seconds above 0")
    return seconds


def _networks(value: str) -> str:
    try:
        for part in value.split(","):
            ipaddress.ip_network(part.strip(), strict=False)
    except ValueError:
        raise ValueError("addresses or networks (CIDR) separated by commas, e.g. 127.0.0.1,10.0.0.0/8") from None
    return value


def _rate(value: str) -> str:
    try:
        parse_many(value)
    except ValueError:
        raise ValueError('a rate such as "10 per minute"') from None
    return value


_ENV_KEYS = {
    "SECRET_KEY": str,
    "SURVEYAPP_PUBLIC_BASE_URL": str,
    "SURVEYAPP_RATELIMIT_STORAGE_URI": str,
    "SURVEYAPP_LIVE_REDIS_URL": str,
    "SURVEYAPP_SESSION_COOKIE_SECURE": _flag,
    "SURVEYAPP_MAIL_MODE": _choice("console", "smtp"),
    "SURVEYAPP_MAIL_SERVER": str,
    "SURVEYAPP_MAIL_PORT": _count,
    "SURVEYAPP_MAIL_USE_TLS": _flag,
    "SURVEYAPP_MAIL_USERNAME": str,
    "SURVEYAPP_MAIL_PASSWORD": str,
    "SURVEYAPP_MAIL_SENDER": str,
    "SURVEYAPP_SUPPRESSION_MIN_N": _count,
    "SURVEYAPP_RESPONDENT_RESUME_DAYS": _count,
    "SURVEYAPP_POLL_RATE_LIMIT": _rate,
    "SURVEYAPP_MAX_CONTENT_LENGTH": _count,
    "SURVEYAPP_IMPORT_SECONDS": _seconds,
    "SURVEYAPP_STAFF_SESSION_IDLE_LIFETIME": lambda v: timedelta(seconds=_seconds(v)),
    "SURVEYAPP_PROXY_FIX_X_FOR": _count,
    "SURVEYAPP_PROXY_FIX_X_PROTO": _count,
    "SURVEYAPP_PROXY_FIX_X_HOST": _count,
    "SURVEYAPP_ENV": _choice("development", "production"),
    "SURVEYAPP_LOG_LEVEL": lambda v: _choice("debug", "info", "warning", "error", "critical")(v).upper(),
    "SURVEYAPP_LOG_FORMAT": _choice("keyvalue", "json"),
    "SURVEYAPP_METRICS_ALLOW": _networks,
    "SURVEYAPP_HEALTH_VERSION": str,
    "SURVEYAPP_STARTUP_CHECKS": _flag,
}
# SURVEYAPP_ names read elsewhere than the configuration; any other SURVEYAPP_ name is refused at start-up
# (a misspelt setting would otherwise be ignored without a word).
OTHER_ENV_NAMES = {
    "SURVEYAPP_ALLOW_DATA_LOSS",  # migration_guard: downgrade despite data
    "SURVEYAPP_SCREENSHOTS",  # tests/browser: where screenshots go
}


def known_env_names() -> set[str]:
    return set(_ENV_KEYS) | OTHER_ENV_NAMES


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object(Defaults)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "surveyapp.sqlite")
    app.config.from_pyfile("config.py", silent=True)
    for key, convert in _ENV_KEYS.items():
        if key in os.environ:
            app.config[key.removeprefix("SURVEYAPP_")] = _converted(key, convert)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    if app.config["SESSION_COOKIE_SECURE"]:
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
        app.config["SECRET_KEY_GENERATED"] = True  # production refuses this (ops.checks)


def _converted(name: str, convert):
    try:
        return convert(os.environ[name])
    except ValueError as error:
        refused = ConfigError(name, os.environ[name], str(error))
        print(f"surveyapp will not start: {refused.line}", file=sys.stderr)
        raise refused from None


def normalise_database_url(url: str) -> str:
    """Accept plain postgres:// URLs and route them to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret(instance: Path) -> str:
    """Generate a secret key once into instance/ so sessions survive restarts; never committed."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
