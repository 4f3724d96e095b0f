"""The managers' upload over HTTP: upload → mapping step → preview with the row report → confirm → done."""
import io
import re

from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.participants.models import TrainingSession
from surveyapp.responses.models import Response
from tests.conftest import csrf_token

FILE = "Alter;colour;Notiz\n20;Blue-en;x\n31;GREEN-de;y\n"


def upload(auth, questionnaire, data: str, name="earlier.csv", wave=""):
    url = f"/manage/questionnaires/{questionnaire.id}/import"
    token = csrf_token(auth.client, url)
    return auth.client.post(url, data={"csrf_token": token, "wave": wave,
                                       "answers": (io.BytesIO(data.encode()), name)},
                            content_type="multipart/form-data")


def responses(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def test_upload_mapping_preview_and_confirm(db, make, auth):
    questionnaire = make.questionnaire()
    auth.login(make.user(Role.MANAGER, questionnaire.programme).email)
    link = auth.client.get(f"/manage/questionnaires/{questionnaire.id}/responses").get_data(as_text=True)
    assert f"/manage/questionnaires/{questionnaire.id}/import" in link
    uploaded = upload(auth, questionnaire, FILE, wave="earlier round")
    assert uploaded.status_code == 302
    mapping_url = uploaded.headers["Location"]
    page = auth.client.get(mapping_url).get_data(as_text=True)
    assert '<label for="column_0">Alter</label>' in page and '<label for="column_1">Notiz</label>' in page
    assert "column_2" not in page  # "colour" matched an item by itself
    assert re.search(r'<option value="age">age</option>', page)
    posted = auth.client.post(mapping_url, data={"csrf_token": csrf_token(auth.client, mapping_url),
                                                 "column_0": "age", "column_1": ""})
    assert posted.status_code == 302 and posted.headers["Location"].endswith("/preview")
    preview = auth.client.get(posted.headers["Location"])
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "2 rows to import" in text and "Ignored columns: Notiz" in text
    assert "no submitted_at column: the responses are stored as submitted now" in text
    assert responses(db) == 0  # nothing before the confirmation
    confirm_url = re.search(r'action="([^"]+/confirm)"', text).group(1)
    done = auth.client.post(confirm_url, data={"csrf_token": csrf_token(auth.client, posted.headers["Location"])})
    assert done.status_code == 200 and "2 responses imported from earlier.csv" in done.get_data(as_text=True)
    assert responses(db) == 2
    again = auth.client.post(confirm_url, data={"csrf_token": csrf_token(auth.client, mapping_url.rsplit("/", 1)[0])})
    assert again.status_code == 410 and responses(db) == 2  # the staged file is gone once imported


def test_two_columns_mapped_to_one_item_are_refused_on_the_mapping_step_and_not_stored(db, make, auth):
    questionnaire = make.questionnaire()
    auth.login(make.user(Role.MANAGER, questionnaire.programme).email)
    mapping_url = upload(auth, questionnaire, FILE).headers["Location"]
    token = csrf_token(auth.client, mapping_url)
    refused = auth.client.post(mapping_url, data={"csrf_token": token, "column_0": "age", "column_1": "age"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and text.count("Several columns fill the same item: age.") == 2
    assert 'id="column_0-error"' in text and 'id="column_1-error"' in text
    assert auth.client.get(mapping_url).status_code == 200  # the stored plan is unchanged
    colour = auth.client.post(mapping_url, data={"csrf_token": token, "column_0": "colour", "column_1": ""})
    assert colour.status_code == 422 and 'id="column_0-error"' in colour.get_data(as_text=True)
    done = auth.client.post(mapping_url, data={"csrf_token": token, "column_0": "age", "column_1": ""})
    assert done.status_code == 302 and auth.client.get(done.headers["Location"]).status_code == 200


def test_a_bad_value_shows_the_row_report_and_nothing_can_be_confirmed(db, make, auth):
    questionnaire = make.questionnaire()
    auth.login(make.user(Role.MANAGER, questionnaire.programme).email)
    uploaded = upload(auth, questionnaire, "age;colour\n20;purple\n<b>x</b>;red\n")
    preview_url = uploaded.headers["Location"]  # no unmatched columns: the mapping step passes on
    preview = auth.client.get(preview_url, follow_redirects=True)
    text = preview.get_data(as_text=True)
    assert "2 problems" in text and "<td>purple</td>" in text and "&lt;b&gt;x&lt;/b&gt;" in text
    assert "/confirm" not in text
    confirm_url = preview.request.path.replace("/preview", "/confirm")
    refused = auth.client.post(confirm_url, data={"csrf_token": csrf_token(auth.client, preview.request.path)})
    assert refused.status_code == 422 and responses(db) == 0


def test_a_broken_file_is_refused_on_upload(make, auth):
    questionnaire = make.questionnaire()
    auth.login(make.user(Role.MANAGER, questionnaire.programme).email)
    refused = upload(auth, questionnaire, "not a workbook", name="earlier.xlsx")
    assert refused.status_code == 422 and "not an Excel workbook" in refused.get_data(as_text=True)


def test_evaluators_and_other_managers_cannot_import_or_see_an_upload(make, auth, client, app):
    questionnaire = make.questionnaire()
    auth.login(make.user(Role.MANAGER, questionnaire.programme).email)
    mapping_url = upload(auth, questionnaire, FILE).headers["Location"]
    auth.logout()
    auth.login(make.user(Role.EVALUATOR, questionnaire.programme).email)
    assert client.get(f"/manage/questionnaires/{questionnaire.id}/import").status_code == 403
    auth.logout()
    auth.login(make.user(Role.MANAGER, questionnaire.programme).email)  # a colleague: not their upload
    assert client.get(mapping_url).status_code == 410


def test_the_session_of_an_imported_panel_takes_no_enrolment(db, make, auth):
    questionnaire = make.questionnaire()
    auth.login(make.user(Role.MANAGER, questionnaire.programme).email)
    url = upload(auth, questionnaire, "panel_code;agree;colour;age\nHIST-0001;5;red;30\n").headers["Location"]
    confirm_url = url + "/confirm"
    token = csrf_token(auth.client, url + "/preview")
    assert auth.client.post(confirm_url, data={"csrf_token": token}).status_code == 200
    session = db.session.scalar(select(TrainingSession))
    assert session.place == "Imported data" and session.enrol_code.startswith("imported-")
    page = auth.client.get(f"/manage/sessions/{session.id}").get_data(as_text=True)
    assert f"/e/{session.enrol_code}" not in page and "nobody enrols in it" in page
    assert auth.client.get(f"/manage/sessions/{session.id}/handout.pdf").status_code == 404
    assert auth.client.get(f"/e/{session.enrol_code}").status_code == 404
