"""Property-based: any roster file (bytes, CSV text, workbook cells) gives 302 or 422, never a 500, never a
partial import: either every row is in or none is."""
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from surveyapp.accounts.models import Role
from surveyapp.participants.models import Contact
from tests import panel_factories as panel
from tests.conftest import csrf_token
from tests.participants.test_roster import count
from tests.security import upload_files as files

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
cell_text = st.text(max_size=40).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text))
email = st.one_of(st.emails().map(lambda address: address[:250]), cell_text)
language = st.one_of(st.sampled_from(["de", "en", "tr", "ar", "pt_BR", "xx", "", "de-AT"]), cell_text)
rows = st.lists(st.tuples(cell_text, email, language), min_size=1, max_size=6)

GOOD = files.workbook([["name", "email", "language"], ["Ada", "ada@example.org", "de"]])  # fixed bytes


@pytest.fixture
def post(db, make, auth):
    programme = make.programme()
    session = panel.session(db, programme)
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/sessions/{session.id}"
    token = csrf_token(auth.client, url)

    def upload(name: str, data: bytes):
        before = count(db, Contact)
        response = auth.client.post(f"{url}/import", content_type="multipart/form-data", data={
            "csrf_token": token, "consent": "y", "roster": (io.BytesIO(data), name)})
        assert response.status_code in (302, 422), response.get_data(as_text=True)[:3000]
        return response.status_code, count(db, Contact) - before

    return upload


@SETTINGS
@given(data=st.binary(max_size=3000), name=st.sampled_from(["roster.csv", "roster.xlsx"]))
def test_arbitrary_bytes(post, data, name):
    status, added = post(name, data)
    assert added == 0 or status == 302


@SETTINGS
@given(rows=rows, delimiter=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig"]))
def test_arbitrary_csv_cells(post, rows, delimiter, encoding):
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    lines = [delimiter.join(["name", "email", "language"])]
    lines += [delimiter.join(quoted(cell) for cell in row) for row in rows]
    status, added = post("roster.csv", "\r\n".join(lines).encode(encoding, errors="surrogatepass"))
    filled = [row for row in rows if any(cell.strip() for cell in row)]
    assert added == (len(filled) if status == 302 else 0)


@SETTINGS
@given(rows=rows)
def test_arbitrary_workbook_cells(post, rows):
    status, added = post("roster.xlsx", files.workbook([["name", "email", "language"], *map(list, rows)]))
    filled = [row for row in rows if any(cell.strip() for cell in row)]
    assert added == (len(filled) if status == 302 else 0)


@SETTINGS
@given(st.data())
def test_damaged_workbooks(post, data):
    good = bytearray(GOOD)  # the same bytes every run: hypothesis replays positions
    for _flip in range(data.draw(st.integers(1, 8))):
        good[data.draw(st.integers(0, len(good) - 1))] = data.draw(st.integers(0, 255))
    status, added = post("roster.xlsx", bytes(good))
    assert added == (1 if status == 302 else 0)
