"""Roster files as spreadsheets really write them: CSV dialects and encodings, XLSX dates; where problems are."""
import datetime

import pytest
from sqlalchemy import select

from surveyapp.participants.models import Contact
from surveyapp.uploads import Limits, read_csv
from tests.participants.test_roster import count, setup, upload
from tests.security import upload_files as files

ADA = 'Müller, Ada "the Countess"'


@pytest.mark.parametrize(("body", "encoding"), [
    ('name,email,language\n"Müller, Ada ""the Countess""",ada@example.org,de\nBo,bo@example.org,tr\n', "utf-8"),
    ('name;email;language\n"Müller, Ada ""the Countess""";ada@example.org;de\nBo;bo@example.org;tr\n',
     "utf-8-sig"),
    ('name\temail\tlanguage\r\n"Müller, Ada ""the Countess"""\tada@example.org\tde\r\nBo\tbo@example.org\ttr\r\n',
     "utf-8"),
    ('name;email;language\r\n"Müller, Ada ""the Countess""";ada@example.org;de\r\nBo;bo@example.org;tr\r\n',
     "cp1252"),
], ids=["comma-utf8", "semicolon-excel-bom", "tab-crlf", "semicolon-cp1252"])
def test_excel_dialects_keep_quoted_text_intact(db, make, client, auth, body, encoding):
    _, session = setup(db, make, auth)
    response = upload(client, session, "roster.csv", body.encode(encoding))
    assert response.status_code == 302, response.get_data(as_text=True)
    names = sorted(db.session.scalars(select(Contact.name)))
    assert names == ["Bo", ADA]


def test_doubled_quotes_are_one_quote(app):
    table = read_csv(b'name,email\n"A ""quoted"" name, with comma",a@example.org\n', Limits(10, 5))
    assert table.rows[1][1] == ['A "quoted" name, with comma', "a@example.org"]


def test_a_line_break_inside_quotes_stays_in_the_cell(app):
    table = read_csv(b'name;email\n"two\nlines";a@example.org\nnext;b@example.org\n', Limits(10, 5))
    assert [row for _number, row in table.rows] == [["name", "email"], ["two\nlines", "a@example.org"],
                                                     ["next", "b@example.org"]]
    assert [number for number, _row in table.rows] == [1, 2, 3]


def test_a_single_column_file_is_read(app):
    table = read_csv(b"email\na@example.org\n", Limits(10, 5))
    assert table.rows[1][1] == ["a@example.org"]


def test_xlsx_dates_match_sessions(db, make, client, auth):
    _, session = setup(db, make, auth)
    data = files.workbook([["email", "language", "session"], ["d@example.org", "de", session.held_on],
                           ["e@example.org", "de", datetime.datetime.combine(session.held_on, datetime.time())]])
    assert upload(client, session, "roster.xlsx", data).status_code == 302
    assert count(db, Contact) == 2


def test_problems_name_row_and_column(db, make, client, auth):
    _, session = setup(db, make, auth)
    data = files.workbook([["Language", "E-mail"], ["de", "ok@example.org"], ["xx-nope", "not-an-address"]],
                          "Teilnehmende")
    html = upload(client, session, "roster.xlsx", data).get_data(as_text=True)
    assert "Sheet: Teilnehmende" in html and "<td>3</td>" in html
    assert "Column B (E-mail): “not-an-address” is not a valid e-mail address." in html
    assert "Column A (Language): Unknown language code “xx-nope”" in html
    assert count(db, Contact) == 0


def test_a_corrupt_workbook_that_used_to_give_500_gives_422(db, make, client, auth):
    _, session = setup(db, make, auth)
    response = upload(client, session, "roster.xlsx", files.truncated(files.workbook([["email", "language"]])))
    assert response.status_code == 422
    assert "not an Excel workbook (.xlsx), or it is damaged" in response.get_data(as_text=True)
