"""Every SURVEYAPP_ value is checked when the configuration loads: a bad one is refused in one line."""
import pytest

from surveyapp import create_app
from surveyapp.config import ConfigError


@pytest.mark.parametrize(("name", "value", "accepted"), [
    ("SURVEYAPP_METRICS_ALLOW", "10.0.0.0/33,banana", "CIDR"),
    ("SURVEYAPP_LOG_LEVEL", "LOUD", "debug or info"),
    ("SURVEYAPP_PROXY_FIX_X_FOR", "abc", "whole number"),
    ("SURVEYAPP_LOG_FORMAT", "xml", "keyvalue or json"),
    ("SURVEYAPP_SESSION_COOKIE_SECURE", "maybe", "true"),
    ("SURVEYAPP_POLL_RATE_LIMIT", "lots", "per minute"),
    ("SURVEYAPP_IMPORT_SECONDS", "-1", "above 0"),
    ("SURVEYAPP_ENV", "prod", "production"),
])
def test_a_bad_value_is_refused_in_one_line(monkeypatch, capsys, tmp_path, name, value, accepted):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})
    assert refused.value.code == 3
    line = capsys.readouterr().err.strip()
    assert "\n" not in line and line.startswith(f"surveyapp will not start: {name}=") and accepted in line


def test_good_values_are_read(monkeypatch, tmp_path):
    for name, value in {"SURVEYAPP_LOG_LEVEL": "debug", "SURVEYAPP_METRICS_ALLOW": "127.0.0.1, 10.0.0.0/8",
                        "SURVEYAPP_PROXY_FIX_X_FOR": "1", "SURVEYAPP_SESSION_COOKIE_SECURE": "yes"}.items():
        monkeypatch.setenv(name, value)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})
    assert app.config["LOG_LEVEL"] == "DEBUG" and app.config["PROXY_FIX_X_FOR"] == 1
    assert app.config["SESSION_COOKIE_SECURE"] is True
