"""Indicator pages: managers define indicators (CSRF, checks, one transaction), evaluators read, strangers 403."""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.audit.models import AuditEvent
from surveyapp.indicators.models import Indicator
from tests.conftest import csrf_token

FORM = {"name": "Drives more carefully", "item_code": "careful_driving", "statistic": "share", "top_boxes": "2",
        "target": "85", "direction": "at_least", "dimension": "site", "period": "wave"}


def _new(programme) -> str:
    return f"/manage/programmes/{programme.id}/indicators/new"


def _post(client, url: str, **changes):
    return client.post(url, data=FORM | {"csrf_token": csrf_token(client, url)} | changes)


def _indicators(db) -> list[Indicator]:
    db.session.expire_all()
    return list(db.session.scalars(select(Indicator)))


def test_manager_creates_sees_edits_and_deletes(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    response = _post(client, _new(programme))
    assert response.status_code == 302
    [indicator] = _indicators(db)
    assert (indicator.target, indicator.dimension, indicator.programme_id) == (0.85, "site", programme.id)

    page = client.get(f"/manage/programmes/{programme.id}/indicators").get_data(as_text=True)
    assert "Drives more carefully" in page and "Fahrschule 40" in page
    assert "✓ target met" in page and "✗ target not met" in page  # not by colour alone
    assert "I drive more carefully than before the session." in page  # the follow-up's own wording
    assert "wording changed" in page and "n = 1,448" in page  # the waves' wordings differ: no trend arrow

    edit = f"/manage/indicators/{indicator.id}"
    assert 'name="target" required step="any" type="number" value="85"' in client.get(edit).get_data(as_text=True)
    assert _post(client, edit, target="90", name="Careful").status_code == 302
    assert [(i.name, i.target) for i in _indicators(db)] == [("Careful", 0.9)]

    delete = f"/manage/indicators/{indicator.id}/delete"
    token = csrf_token(client, f"/manage/programmes/{programme.id}/indicators")
    assert client.post(delete, data={"csrf_token": token}).status_code == 302
    assert _indicators(db) == []
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"indicator.create", "indicator.edit", "indicator.delete", "report.indicators"} <= actions


def test_post_without_csrf_is_refused(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    assert client.post(_new(programme), data=FORM).status_code == 400
    assert _indicators(db) == []


@pytest.mark.parametrize(("changes", "message"), [
    ({"target": "150"}, "A share&#39;s target is a percentage from 0 to 100."),
    ({"statistic": "mean"}, "has no mean"),
    ({"item_code": "nope"}, "Not a valid choice"),
    ({"target": "Infinity"}, "Please enter a number"),
    ({"name": ""}, "This field is required."),
])
def test_bad_input_is_a_4xx_with_a_message_and_stores_nothing(close_to_panel, client, auth, make, db, changes,
                                                              message):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    response = _post(client, _new(programme), **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _indicators(db) == []


def test_evaluator_reads_but_cannot_change(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    manager = make.user(Role.MANAGER, programme)
    auth.login(manager.email)
    _post(client, _new(programme))
    [indicator] = _indicators(db)
    auth.logout()
    auth.login(make.user(Role.EVALUATOR, programme).email)
    page = client.get(f"/manage/programmes/{programme.id}/indicators")
    assert page.status_code == 200 and "Drives more carefully" in page.get_data(as_text=True)
    assert "New indicator" not in page.get_data(as_text=True)
    assert client.get(_new(programme)).status_code == 403
    assert client.get(f"/manage/indicators/{indicator.id}").status_code == 403
    token = csrf_token(client, f"/manage/programmes/{programme.id}/indicators")
    assert client.post(f"/manage/indicators/{indicator.id}/delete", data={"csrf_token": token}).status_code == 403
    assert len(_indicators(db)) == 1


def test_another_programmes_manager_is_refused(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    _post(client, _new(programme))
    [indicator] = _indicators(db)
    auth.logout()
    auth.login(make.user(Role.MANAGER, make.programme()).email)
    assert client.get(f"/manage/programmes/{programme.id}/indicators").status_code == 403
    assert client.get(f"/manage/indicators/{indicator.id}").status_code == 403
    assert client.get("/manage/indicators/999999").status_code == 404
    assert client.get("/manage/programmes/999999/indicators").status_code == 404


def test_the_programme_report_links_and_shows_the_indicators(close_to_panel, client, auth, make, db):
    programme = close_to_panel.programme
    auth.login(make.user(Role.MANAGER, programme).email)
    _post(client, _new(programme), dimension="all")
    page = client.get(f"/manage/programmes/{programme.id}/report").get_data(as_text=True)
    assert f'href="/manage/programmes/{programme.id}/indicators"' in page
    assert "Drives more carefully" in page and "✗ target not met" in page
