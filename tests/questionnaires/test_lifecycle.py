"""Archive, unarchive, delete and close with confirmation, through the builder's pages."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import Item, Questionnaire, Status
from tests import panel_factories as panel
from tests.questionnaires.builder import Builder
from tests.reports.seed import seed_responses


@pytest.fixture
def manager(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.MANAGER, programme).email)
    return programme


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_delete_without_responses_after_confirmation(client, db, make, manager):
    questionnaire = make.questionnaire(manager, status=Status.DRAFT)
    confirm = client.get(f"/manage/questionnaires/{questionnaire.id}/delete")
    assert confirm.status_code == 200 and "This cannot be undone" in confirm.get_data(as_text=True)
    deleted = Builder(client).post(f"/manage/questionnaires/{questionnaire.id}/delete")
    assert deleted.status_code == 302
    assert _count(db, Questionnaire) == 0 and _count(db, Item) == 0


def test_delete_with_responses_is_refused_and_points_to_archive(client, db, make, manager):
    questionnaire = make.questionnaire(manager)
    seed_responses(questionnaire, [{"colour": "red"}])
    page = client.get(f"/manage/questionnaires/{questionnaire.id}/delete").get_data(as_text=True)
    assert "archive it instead" in page and f"/manage/questionnaires/{questionnaire.id}/archive" in page
    refused = Builder(client).post(f"/manage/questionnaires/{questionnaire.id}/delete")
    assert refused.status_code == 409 and "archive it instead" in refused.get_data(as_text=True)
    assert _count(db, Questionnaire) == 1


def test_delete_of_a_questionnaire_a_wave_uses_is_refused(client, db, make, manager):
    questionnaire = make.questionnaire(manager)
    panel.wave(db, manager, questionnaire)
    db.session.commit()
    refused = Builder(client).post(f"/manage/questionnaires/{questionnaire.id}/delete")
    assert refused.status_code == 409 and "wave" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert _count(db, Questionnaire) == 1 and _count(db, Item) == len(questionnaire.items)


def test_archive_hides_closes_and_freezes_until_unarchived(app, client, db, make, manager):
    questionnaire = make.questionnaire(manager)
    seed_responses(questionnaire, [{"colour": "red"}])
    b = Builder(client)
    assert b.post(f"/manage/questionnaires/{questionnaire.id}/archive").status_code == 302
    db.session.expire_all()
    assert questionnaire.archived_at is not None and questionnaire.status is Status.CLOSED
    listing = client.get("/manage/").get_data(as_text=True)
    active, _, archived = listing.partition('id="archived"')
    assert f"/manage/questionnaires/{questionnaire.id}/unarchive" in archived
    assert f"/manage/questionnaires/{questionnaire.id}/share" not in active
    assert app.test_client().get(f"/s/{questionnaire.slug}").status_code == 410

    version = questionnaire.edit_version
    settings = b.post(f"/manage/questionnaires/{questionnaire.id}/settings",
                      {"slug": "renamed", "default_lang": "de", "languages": "de, en", "edit_version": version})
    assert settings.status_code == 409 and "archived" in settings.get_data(as_text=True)
    assert b.post(f"/manage/questionnaires/{questionnaire.id}/status", {"action": "reopen"}).status_code == 422
    language = b.post(f"/manage/questionnaires/{questionnaire.id}/translations/languages", {"lang": "fr"})
    assert language.status_code == 409 and "archived" in language.get_data(as_text=True)
    db.session.expire_all()
    assert questionnaire.slug != "renamed" and questionnaire.status is Status.CLOSED
    assert questionnaire.languages == ["de", "en"]

    assert b.post(f"/manage/questionnaires/{questionnaire.id}/unarchive").status_code == 302
    assert b.post(f"/manage/questionnaires/{questionnaire.id}/status", {"action": "reopen"}).status_code == 302
    assert app.test_client().get(f"/s/{questionnaire.slug}").status_code == 200


def test_closing_asks_for_confirmation_first(app, client, db, make, manager):
    questionnaire = make.questionnaire(manager)
    edit = client.get(f"/manage/questionnaires/{questionnaire.id}").get_data(as_text=True)
    confirm_url = f"/manage/questionnaires/{questionnaire.id}/close"
    assert f'href="{confirm_url}"' in edit and 'value="close"' not in edit  # a link, not the closing form
    confirm = client.get(confirm_url)
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and 'name="action" value="close"' in page and "turned away" in page
    db.session.expire_all()
    assert questionnaire.status is Status.OPEN  # showing the question changes nothing
    closed = Builder(client).post(f"/manage/questionnaires/{questionnaire.id}/status", {"action": "close"})
    assert closed.status_code == 302
    assert app.test_client().get(f"/s/{questionnaire.slug}").status_code == 410
    assert client.get(confirm_url).status_code == 302  # nothing to confirm once closed


@pytest.mark.parametrize("path", ["archive", "unarchive", "delete", "duplicate", "schedule"])
def test_posts_without_a_csrf_token_change_nothing(client, db, make, manager, path):
    questionnaire = make.questionnaire(manager, status=Status.DRAFT)
    response = client.post(f"/manage/questionnaires/{questionnaire.id}/{path}",
                           data={"slug": "other-slug", "programme_id": manager.id, "opens_at": "2030-01-01T10:00"})
    assert response.status_code in (400, 422)
    db.session.expire_all()
    assert _count(db, Questionnaire) == 1
    assert questionnaire.archived_at is None and questionnaire.opens_at is None


@pytest.mark.parametrize("path", ["share", "share/qr.png", "share/poster.pdf", "duplicate", "schedule", "close",
                                  "delete"])
def test_other_programmes_managers_and_evaluators_are_refused(client, db, make, auth, path):
    own, other = make.programme(), make.programme()
    questionnaire = make.questionnaire(other)
    auth.login(make.user(Role.MANAGER, own).email)
    assert client.get(f"/manage/questionnaires/{questionnaire.id}/{path}").status_code == 403
    auth.logout()
    auth.login(make.user(Role.EVALUATOR, other).email)
    assert client.get(f"/manage/questionnaires/{questionnaire.id}/{path}").status_code == 403


def test_an_archived_programmes_questionnaires_behave_as_archived(app, client, db, make, manager):
    from surveyapp.programmes import service as programmes

    questionnaire = make.questionnaire(manager)
    respondent = app.test_client()
    assert respondent.get(f"/s/{questionnaire.slug}").status_code == 200  # its structure is cached now
    b = Builder(client)
    version = questionnaire.edit_version
    programmes.archive(manager, datetime.now(UTC))
    db.session.commit()

    assert respondent.get(f"/s/{questionnaire.slug}").status_code == 410  # read at every request, not cached
    listing = client.get("/manage/").get_data(as_text=True)
    active, _, archived = listing.partition('id="archived"')
    assert f"/manage/questionnaires/{questionnaire.id}\"" in archived and "programme archived" in archived
    assert f"/manage/questionnaires/{questionnaire.id}" not in active
    assert f"/manage/questionnaires/{questionnaire.id}/unarchive" not in archived  # the programme is unarchived
    edit = client.get(f"/manage/questionnaires/{questionnaire.id}").get_data(as_text=True)
    assert "Its programme is archived" in edit

    settings = b.post(f"/manage/questionnaires/{questionnaire.id}/settings",
                      {"slug": "renamed", "default_lang": "de", "languages": "de, en", "edit_version": version})
    assert settings.status_code == 409 and "programme is archived" in settings.get_data(as_text=True)
    added = b.post(f"/manage/questionnaires/{questionnaire.id}/items/new",
                   {"code": "extra", "type": "text", "page": 1, "label": "Extra", "edit_version": version})
    assert added.status_code == 409
    dates = b.post(f"/manage/questionnaires/{questionnaire.id}/schedule",
                   {"opens_at": "2030-01-01T10:00", "closes_at": "", "edit_version": version})
    assert dates.status_code == 409
    db.session.expire_all()
    assert questionnaire.slug != "renamed" and questionnaire.opens_at is None
    assert "extra" not in [item.code for item in questionnaire.items]

    programmes.unarchive(manager)
    db.session.commit()
    assert respondent.get(f"/s/{questionnaire.slug}").status_code == 200


def test_duplicates_go_only_into_programmes_not_archived(client, db, make, auth):
    from surveyapp.programmes import service as programmes

    questionnaire = make.questionnaire(make.programme())
    shelved = make.programme(name="Shelved programme")
    programmes.archive(shelved, datetime.now(UTC))
    db.session.commit()
    auth.login(make.user(Role.ADMIN).email)  # may build in every programme
    form = client.get(f"/manage/questionnaires/{questionnaire.id}/duplicate").get_data(as_text=True)
    assert "Shelved programme" not in form
    posted = Builder(client).post(f"/manage/questionnaires/{questionnaire.id}/duplicate",
                                  {"slug": "into-the-shelf", "programme_id": shelved.id})
    html = posted.get_data(as_text=True)
    assert posted.status_code == 422 and "an archived programme takes no new questionnaires" in html
    assert _count(db, Questionnaire) == 1
