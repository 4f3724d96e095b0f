"""`flask demo` loads the Close To programme once, prints logins and the link, and is idempotent."""
from sqlalchemy import func, select

from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.responses.models import Response


def test_demo_is_idempotent(runner, db):
    first = runner.invoke(args=["demo", "--responses", "40"])
    assert first.exit_code == 0, first.output
    assert "/s/close-to" in first.output
    for role in ("admin", "manager", "evaluator"):
        assert f"{role}@demo.surveyapp.local" in first.output
    counts = _counts(db)
    assert counts[0] == 1 and counts[2] >= 40
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already present" in second.output
    assert _counts(db) == counts


def test_demo_survey_answerable(runner, client):
    runner.invoke(args=["demo", "--responses", "0"])
    page = client.get("/s/close-to?lang=de")
    assert page.status_code == 200
    assert "Ich werde vorsichtiger fahren." in page.get_data(as_text=True)


def _counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Programme, Questionnaire, Response))


def test_demo_refused_in_production_unless_forced(app, runner, db):
    app.config["ENV"] = "production"
    refused = runner.invoke(args=["demo", "--responses", "0"])
    assert refused.exit_code != 0 and "refusing to load the demo" in refused.output
    assert db.session.scalar(select(Programme.id)) is None
