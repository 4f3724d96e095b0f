"""Start-up checks: a broken configuration is refused in one clear line before the first request."""
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from surveyapp import create_app
from surveyapp.extensions import db as _db
from surveyapp.ops import checks

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def checked(_schema, monkeypatch):
    """create_app with the checks asked for, on the migrated test database unless told otherwise."""
    for name in [name for name in os.environ if name.startswith("SURVEYAPP_")]:
        monkeypatch.delenv(name)

    def build(**config):
        config = {"TESTING": True, "STARTUP_CHECKS": True, "SQLALCHEMY_DATABASE_URI": _schema,
                  "SECRET_KEY": "x", **config}
        return create_app({key: value for key, value in config.items() if value is not None})
    return build


def refusal(build, capsys, **config) -> str:
    with pytest.raises(checks.StartupRefused) as refused:
        build(**config)
    assert refused.value.code == checks.BOOT_ERROR
    lines = [line for line in capsys.readouterr().err.splitlines() if "will not start" in line]
    assert len(lines) == 1, lines  # one line (other lines may be other warnings, e.g. of the catalogues)
    return lines[0]


def test_a_sound_configuration_starts(checked):
    app = checked()
    with app.app_context():
        _db.engine.dispose()


def test_an_unknown_setting_name_is_refused_by_name(checked, monkeypatch, capsys):
    monkeypatch.setenv("SURVEYAPP_MAIL_SEVRER", "smtp.example.org")
    monkeypatch.setenv("SURVEYAPP_PUBLIC_BASE_URL", "https://survey.example.org")  # known: accepted
    line = refusal(checked, capsys)
    assert line.startswith("surveyapp will not start: unknown setting SURVEYAPP_MAIL_SEVRER")


def test_every_name_the_project_uses_is_known():
    """Names in the code, benchmarks, Makefile, README, docs and CI files are all accepted."""
    import re

    from surveyapp.config import known_env_names

    used = set()
    for path in [ROOT / "Makefile", ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob(".ci/*"),
                 *ROOT.glob("surveyapp/**/*.py"), *ROOT.glob("bench/**/*.py"), *ROOT.glob("bench/**/*.sh")]:
        used |= set(re.findall(r"SURVEYAPP_[A-Z0-9_]*[A-Z0-9]", path.read_text(encoding="utf-8")))
    used -= {name for name in used if name.endswith("_X")}  # "SURVEYAPP_PROXY_FIX_X_*" written as a family
    assert used - known_env_names() == set()


def test_production_without_a_secret_key_is_refused(checked, monkeypatch, capsys):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    line = refusal(checked, capsys, SECRET_KEY=None, ENV="production")  # None: not set at all
    assert "SECRET_KEY is not set" in line


def test_production_with_a_secret_key_starts(checked, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("SURVEYAPP_ENV", "production")
    app = checked(SECRET_KEY=None)
    assert app.config["SECRET_KEY"] == "from-the-environment"
    with app.app_context():
        _db.engine.dispose()


def test_an_unmigrated_database_is_refused(checked, tmp_path, capsys):
    line = refusal(checked, capsys, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert line == "surveyapp will not start: database not migrated: run flask db upgrade first"


def test_an_unreachable_database_is_refused(checked, capsys):
    line = refusal(checked, capsys, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://u:pw@127.0.0.1:1/none")
    assert "database unreachable" in line and line.endswith("check DATABASE_URL, then run flask db upgrade first")
    assert "pw" not in line.split("unreachable")[1]


def test_checks_run_for_flask_run_and_gunicorn_only(app):
    app.config["STARTUP_CHECKS"] = None
    app.testing = False
    assert checks._wanted(app) == ("gunicorn" in sys.modules)  # no command: a WSGI server imported the app
    for command, expected in (("run", True), ("db", False), ("shell", False)):
        with click.Context(click.Command(command), info_name=command):
            assert checks._wanted(app) is expected
    app.testing = True
    assert not checks._wanted(app)


def test_flask_run_refuses_an_unknown_setting_and_exits(_schema):
    env = {name: value for name, value in os.environ.items() if not name.startswith("SURVEYAPP_")}
    env |= {"DATABASE_URL": _schema, "SURVEYAPP_NO_SUCH_THING": "1", "SECRET_KEY": "x"}
    done = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "surveyapp", "run", "--port", "1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == checks.BOOT_ERROR
    assert "surveyapp will not start: unknown setting SURVEYAPP_NO_SUCH_THING" in done.stderr
    assert "Traceback" not in done.stderr
