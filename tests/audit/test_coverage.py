"""Fail closed: every staff endpoint that changes state, and every download, has an audit action name.

Rules are read from the app, so a new staff route fails here until registry.py names it.
"""
import pytest

from surveyapp import create_app
from surveyapp.audit.registry import CHANGES, PUBLIC, READS, SAFE_METHODS, action_for, is_staff_path

DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".sav", ".pdf", ".po", ".json")


def _rules():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "collect"})
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


RULES = _rules()
CHANGING = sorted({(rule.endpoint, rule.rule) for rule in RULES if rule.methods - SAFE_METHODS})


@pytest.mark.parametrize(("endpoint", "path"), CHANGING)
def test_every_state_changing_endpoint_is_audited_or_public(endpoint, path):
    if endpoint in PUBLIC:
        assert not is_staff_path(path), f"{endpoint} is listed as public but lives under a staff URL"
    else:
        assert is_staff_path(path), f"{endpoint} ({path}) changes state outside the staff URLs"
        assert endpoint in CHANGES, f"{endpoint} ({path}) has no audit action in surveyapp/audit/registry.py"


@pytest.mark.parametrize("rule", [r for r in RULES if r.rule.endswith(DOWNLOAD_SUFFIXES)], ids=lambda r: r.endpoint)
def test_every_download_and_report_is_audited(rule):
    assert rule.endpoint in READS, f"{rule.endpoint} ({rule.rule}) is a download without an audit action"


def test_registry_names_only_existing_endpoints():
    endpoints = {rule.endpoint for rule in RULES}
    assert set(CHANGES) <= endpoints and set(READS) <= endpoints and PUBLIC <= endpoints


def test_an_unnamed_staff_change_is_still_recorded_under_its_endpoint():
    assert action_for("someone.new_view", "POST", "/manage/new") == "someone.new_view"
    assert action_for("someone.new_view", "GET", "/manage/new") is None
    assert action_for("respond.answer", "POST", "/s/x") is None
