"""The builder's upload: file -> preview (what will be created, what will not) -> confirm; the bytes wait on
the server under a token of the uploader's; refusals are 4xx and store nothing; the XLSForm download."""
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from surveyapp.accounts.models import Role, User
from surveyapp.errors import DomainError
from surveyapp.interchange import store
from surveyapp.questionnaires import service as questionnaires_service
from surveyapp.questionnaires.models import Questionnaire
from tests.conftest import csrf_token, hidden_fields
from tests.interchange.workbooks import DUPLICATE, NO_SURVEY, NOT_A_WORKBOOK, shared

UPLOAD = "/manage/questionnaires/import"
CONFIRM = "/manage/questionnaires/import/confirm"


def _counts(db) -> dict[str, int]:
    db.session.expire_all()
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables if table.name != "audit_events"}


@pytest.fixture
def manager(make, auth, app, tmp_path):
    app.config["IMPORT_FOLDER"] = str(tmp_path / "imports")
    programme = make.programme(name="Field work")
    auth.login(make.user(Role.MANAGER, programme).email)
    return programme


def _upload(client, programme, data: bytes, filename="form.xlsx", slug=""):
    return client.post(UPLOAD, data={"csrf_token": csrf_token(client, UPLOAD), "programme_id": programme.id,
                                     "slug": slug, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data", headers={"Accept-Language": "en"})


def _confirm(client, preview, **changes):
    fields = hidden_fields(preview.get_data(as_text=True))
    slug = re.search(r'name="slug"[^>]*value="([^"]*)"', preview.get_data(as_text=True)).group(1)
    programme = re.search(r'<option selected value="(\d+)"', preview.get_data(as_text=True)).group(1)
    return client.post(CONFIRM, data={**fields, "slug": slug, "programme_id": programme, **changes},
                       headers={"Accept-Language": "en"})


def test_upload_preview_confirm_creates_the_questionnaire(client, db, manager):
    before = _counts(db)
    preview = _upload(client, manager, shared("group.xlsx"), "Fathers.xlsx")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Will be created as a draft: 2 pages, 3 items, in en." in html
    assert "<code>age</code>" in html and "How old is your father?" in html
    assert _counts(db) == before  # the preview stores nothing
    done = _confirm(client, preview)
    assert done.status_code == 302
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == "fathers"))
    assert done.headers["Location"].endswith(f"/manage/questionnaires/{questionnaire.id}")
    assert [item.code for item in questionnaire.items] == ["family_name", "phone_number", "age"]
    assert _confirm(client, preview).status_code == 410  # the upload is used up


def test_rows_that_do_not_map_are_listed_and_need_skipping(client, db, manager):
    preview = _upload(client, manager, shared("loop.xlsx"))
    html = preview.get_data(as_text=True)
    assert "survey, row 3 (name: loop_toilet_types)" in html and "Repeats are not supported" in html
    before = _counts(db)
    refused = _confirm(client, preview)
    assert refused.status_code == 422 and "nothing was created" in refused.get_data(as_text=True)
    assert _counts(db) == before
    assert _confirm(client, preview, skip_unsupported="y").status_code == 302


@pytest.mark.parametrize(("data", "filename", "message"), [
    (NOT_A_WORKBOOK, "form.xlsx", "not an Excel workbook"), (NO_SURVEY, "form.xlsx", "no “survey” sheet"),
    (b"%PDF-1.4", "form.pdf", "XLSForm workbook (.xlsx)"),
])
def test_broken_files_are_422_and_store_nothing(client, db, manager, data, filename, message):
    before = _counts(db)
    response = _upload(client, manager, data, filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _counts(db) == before


def test_duplicate_names_cannot_be_confirmed(client, db, manager):
    preview = _upload(client, manager, DUPLICATE)
    assert "The name “q1” is used twice (first in row 2)." in preview.get_data(as_text=True)
    before = _counts(db)
    assert _confirm(client, preview).status_code == 422
    assert _counts(db) == before


def test_a_taken_link_name_is_refused_on_the_preview_and_on_confirming(client, db, make, manager):
    make.questionnaire(manager, slug="fathers")
    preview = _upload(client, manager, shared("group.xlsx"), slug="fathers")
    assert "This link name is already taken." in preview.get_data(as_text=True)
    before = _counts(db)
    assert _confirm(client, preview).status_code == 422
    assert _counts(db) == before


def test_a_second_confirmation_at_once_creates_nothing_and_a_refused_one_can_be_sent_again(client, db, make,
                                                                                          manager):
    preview = _upload(client, manager, shared("group.xlsx"), slug="fathers")
    token = hidden_fields(preview.get_data(as_text=True))["token"]
    store.claim(token, db.session.scalar(select(User.id)))  # the first click, still creating
    before = _counts(db)
    assert _confirm(client, preview).status_code == 410
    assert _counts(db) == before
    store.release(token)  # the first click refused (a taken link name): the form may be sent again
    make.questionnaire(manager, slug="fathers")
    assert _confirm(client, preview).status_code == 422
    assert _confirm(client, preview, slug="fathers-2").status_code == 302


def test_a_link_name_taken_meanwhile_is_the_builders_message_not_a_500(db, make, manager, monkeypatch):
    make.questionnaire(manager, slug="fathers")
    db.session.commit()
    monkeypatch.setattr(questionnaires_service, "_check_slug", lambda slug: None)  # checked before it was taken
    with pytest.raises(DomainError, match="This link name is already taken."):
        questionnaires_service.create_questionnaire(manager.id, "fathers", "en", ["en"], "Fathers")


def test_another_users_token_is_unknown(client, db, make, auth, manager):
    preview = _upload(client, manager, shared("group.xlsx"))
    auth.logout()
    auth.login(make.user(Role.MANAGER, manager).email)
    assert _confirm(client, preview).status_code == 410


def test_evaluators_may_not_import(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.EVALUATOR, programme).email)
    assert client.get(UPLOAD).status_code == 403


def test_the_builder_offers_the_xlsform_download(client, make, manager):
    questionnaire = make.questionnaire(manager, slug="download-me")
    page = client.get(f"/manage/questionnaires/{questionnaire.id}").get_data(as_text=True)
    assert f"/manage/questionnaires/{questionnaire.id}/xlsform" in page
    response = client.get(f"/manage/questionnaires/{questionnaire.id}/xlsform")
    assert response.status_code == 200
    assert 'filename="download-me-xlsform.xlsx"' in response.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.data), read_only=True).sheetnames == ["survey", "choices", "settings"]


def test_another_programmes_questionnaire_is_not_exported(client, make, manager):
    other = make.questionnaire(make.programme())
    assert client.get(f"/manage/questionnaires/{other.id}/xlsform").status_code == 403
