"""Roster import through the staff page: good file, bad rows (nothing imported), wrong file type."""

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.participants.models import Contact, Participant
from surveyapp.waves.models import Invitation
from tests import panel_factories as panel
from tests.conftest import csrf_token


def setup(db, make, auth):
    programme = make.programme()
    manager = make.user(Role.MANAGER, programme)
    session = panel.session(db, programme)
    panel.wave(db, programme, make.questionnaire(programme))
    auth.login(manager.email)
    return programme, session


def upload(client, session, name, data: bytes):
    url = f"/manage/sessions/{session.id}"
    return client.post(
        f"{url}/import",
        data={"csrf_token": csrf_token(client, url), "consent": "y", "roster": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_good_csv_and_xlsx_are_imported_with_codes_and_invitations(db, make, client, auth):
    _, session = setup(db, make, auth)
    csv = "name;email;language;session\nAda;ada@example.org;de;2026-01-10\nBo;bo@example.org;tr;\n"
    done = upload(client, session, "roster.csv", csv.encode("utf-8-sig"))
    assert done.status_code == 302
    book = Workbook()
    book.active.append(["Name", "E-mail", "Language"])
    book.active.append(["Cy", "cy@example.org", "ar"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert upload(client, session, "more.xlsx", buffer.getvalue()).status_code == 302
    assert count(db, Participant) == 3 and count(db, Invitation) == 3
    assert sorted(db.session.scalars(select(Contact.lang))) == ["ar", "de", "tr"]
    page = client.get(f"/manage/sessions/{session.id}").get_data(as_text=True)
    for code in db.session.scalars(select(Participant.panel_code)):
        assert code in page


def test_bad_rows_import_nothing_and_are_reported_row_by_row(db, make, client, auth):
    _, session = setup(db, make, auth)
    csv = (
        "email,language,session\nok@example.org,de,\nnot-an-address,de,\nok@example.org,xx-nope,\n"
        "z@example.org,en,1999-01-01\n"
    )
    page = upload(client, session, "roster.csv", csv.encode())
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    for row in ("<td>3</td>", "<td>4</td>", "<td>5</td>"):
        assert row in html
    assert "<td>2</td>" not in html
    assert count(db, Participant) == 0 and count(db, Contact) == 0


def test_wrong_file_type_is_refused(db, make, client, auth):
    _, session = setup(db, make, auth)
    page = upload(client, session, "roster.pdf", b"%PDF-1.4")
    assert page.status_code == 422 and ".csv or .xlsx" in page.get_data(as_text=True)
    page = upload(client, session, "roster.xlsx", b"not a workbook")
    assert page.status_code == 422
    assert count(db, Participant) == 0


def test_workbook_with_a_damaged_zip_version_field_is_refused_not_a_500(db, make, client, auth):
    _, session = setup(db, make, auth)
    book = Workbook()
    book.active.append(["Name", "E-mail", "Language"])
    book.active.append(["Cy", "cy@example.org", "ar"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6:entry + 8] = (0xFF).to_bytes(2, "little")  # "version needed to extract": zipfile refuses it
    page = upload(client, session, "roster.xlsx", bytes(data))
    assert page.status_code == 422 and ".xlsx" in page.get_data(as_text=True)
    assert count(db, Participant) == 0 and count(db, Contact) == 0


def test_evaluators_see_codes_but_no_contacts(db, make, client, auth):
    programme, session = setup(db, make, auth)
    participant = panel.participant(db, session, "secret@example.org")
    auth.logout()
    evaluator = make.user(Role.EVALUATOR, programme)
    auth.login(evaluator.email)
    page = client.get(f"/manage/sessions/{session.id}").get_data(as_text=True)
    assert participant.panel_code in page and "secret@example.org" not in page
    assert client.get(f"/manage/participants/{participant.id}").status_code == 403
    assert upload(client, session, "roster.csv", b"email,language\na@example.org,de\n").status_code == 403
    status = client.get(f"/manage/programmes/{programme.id}/panel-status.csv").get_data(as_text=True)
    assert participant.panel_code in status and "secret@" not in status


def test_counts_are_shown_with_the_right_plural(db, make, client, auth):
    _, session = setup(db, make, auth)
    done = upload(client, session, "roster.csv", b"email,language\none@example.org,de\n")
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "1 participant imported." in page and "1 participants" not in page
    bad = upload(client, session, "roster.csv", b"email,language\nnot-an-address,de\n")
    assert bad.status_code == 422
    assert "Nothing was imported: 1 row needs correcting." in bad.get_data(as_text=True)
    url = f"/manage/sessions/{session.id}"
    german = client.post(f"{url}/import?ui=de", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, url), "consent": "y",
        "roster": (io.BytesIO(b"email,language\nx,de\n"), "r.csv")})
    assert german.status_code == 422 and "1 Zeilen" not in german.get_data(as_text=True)
