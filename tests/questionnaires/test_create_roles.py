"""Who may create questionnaires in a programme: its managers and its admins (admin-role members, not only site
admins); evaluators and members of other programmes may not."""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import Questionnaire
from tests.questionnaires.builder import Builder


def _member(make, db, programme, role):
    user = make.user(Role.MANAGER, programme)
    user.memberships[0].role = role
    db.session.commit()
    return user


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER])
def test_programme_admins_and_managers_create_questionnaires_in_their_programme(client, make, auth, db, role):
    programme, other = make.programme(name="Close To"), make.programme(name="Elsewhere")
    make.programme(name="Archived").archived_at = db.func.now()
    db.session.commit()
    auth.login(_member(make, db, programme, role).email)
    page = client.get("/manage/questionnaires/new")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Close To" in text and "Elsewhere" not in text and "Archived" not in text
    assert Builder(client).create(programme.id, slug="admins-own").status_code == 302
    assert db.session.scalar(select(Questionnaire.programme_id).where(Questionnaire.slug == "admins-own")) \
        == programme.id
    assert Builder(client).create(other.id, slug="not-theirs").status_code == 422
    assert db.session.scalar(select(Questionnaire).where(Questionnaire.slug == "not-theirs")) is None


def test_an_evaluator_creates_none(client, make, auth, db):
    auth.login(_member(make, db, make.programme(), Role.EVALUATOR).email)
    assert client.get("/manage/questionnaires/new").status_code == 403
