"""The panel's programme list (GET /manage/panel) leaves archived programmes out, for site admins and members."""
from datetime import UTC, datetime

import pytest

from surveyapp.accounts.models import Membership, Role
from surveyapp.programmes import service as programmes


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.EVALUATOR])
def test_archived_programmes_are_not_listed_in_the_panel(client, make, auth, db, role):
    active, archived = make.programme(name="Still running"), make.programme(name="Long finished")
    user = make.user(role, None if role is Role.ADMIN else active)
    if role is not Role.ADMIN:
        user.memberships.append(Membership(programme=archived, role=role))
    programmes.archive(archived, datetime.now(UTC))
    db.session.commit()
    auth.login(user.email)
    page = client.get("/manage/panel")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Still running" in text and "Long finished" not in text
    assert f"/manage/programmes/{archived.id}/" not in text
