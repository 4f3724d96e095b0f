"""Refuse to serve with a broken configuration, in one clear line, instead of failing on the first request.

Run when the app is created to serve: under gunicorn and by `flask run` (STARTUP_CHECKS=None), not by other
flask commands (`flask db upgrade` must work on an empty database) nor in tests unless STARTUP_CHECKS is True.
Production mode is `SURVEYAPP_ENV=production`, set explicitly: `make run` (no SECRET_KEY, a generated one in
instance/) must keep working, and a mode guessed from debug flags would be surprising.
"""
import os
import sys

import click
from flask import Flask

from surveyapp.config import known_env_names
from surveyapp.extensions import db
from surveyapp.ops.health import database_problem

# gunicorn's "worker failed to boot" exit code: the master stops instead of restarting workers for ever
BOOT_ERROR = 3


class StartupRefused(SystemExit):
    """The app will not serve; the message is the one line the operator reads."""

    def __init__(self, line: str):
        super().__init__(BOOT_ERROR)
        self.line = line


def init_app(app: Flask) -> None:
    # the wave dispatcher runs them too before it sends (waves/cli.py reads this, as waves sits below ops)
    app.extensions["surveyapp.startup_check"] = lambda: refuse_if_broken(app)
    if _wanted(app):
        refuse_if_broken(app)


def refuse_if_broken(app: Flask) -> None:
    try:
        check(app)
    except StartupRefused as refused:
        print(f"surveyapp will not start: {refused.line}", file=sys.stderr)
        raise


def _wanted(app: Flask) -> bool:
    setting = app.config.get("STARTUP_CHECKS")
    if setting is not None:
        return bool(setting)
    if app.testing:
        return False
    context = click.get_current_context(silent=True)
    if context is not None:  # the flask command: only `flask run` serves
        return context.info_name == "run"
    return "gunicorn" in sys.modules


def check(app: Flask) -> None:
    """Raise StartupRefused at the first problem: unknown settings, a missing secret, the database."""
    unknown = sorted(name for name in os.environ if name.startswith("SURVEYAPP_") and name not in known_env_names())
    if unknown:
        raise StartupRefused(f"unknown setting {', '.join(unknown)} in the environment "
                             "(misspelt? see surveyapp/config.py for the names)")
    if app.config["ENV"] == "production" and app.config.get("SECRET_KEY_GENERATED"):
        raise StartupRefused("SECRET_KEY is not set (SURVEYAPP_ENV=production): set it in the environment "
                             "or instance/config.py, the same for every worker")
    with app.app_context():
        problem = database_problem(app)
        db.engine.dispose()  # no pooled connection survives into forked workers
    if problem:
        hint = "check DATABASE_URL, then " if "unreachable" in problem else ""
        raise StartupRefused(f"{problem}: {hint}run flask db upgrade first")
