"""Hostile uploads against both importers (roster, translation workbook): each refused with a clear 4xx,
nothing stored, nothing of the file's contact data in the logs."""
import io
import time

import pytest
from openpyxl import load_workbook

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import ItemText, OptionText, set_text
from tests import panel_factories as panel
from tests.conftest import csrf_token
from tests.security import upload_files as files

EMAIL = "hostile.roster@example.org"
ROSTER_ROWS = [["name", "email", "language"], ["Ada", EMAIL, "de"]]
TEXT_ROWS = [["key", "de", "en"], ["item.age.label", "Alter", "Age"]]
ITEMS = [("colour", "single", True, 1, {}, ["red", "green"]),
         ("age", "number", True, 1, {"min": 15, "max": 99}, [])]


@pytest.fixture
def roster(db, make, auth):
    """Upload a roster file as a logged-in manager: roster(name, data) -> response."""
    programme = make.programme()
    manager = make.user(Role.MANAGER, programme)
    session = panel.session(db, programme)
    auth.login(manager.email)
    url = f"/manage/sessions/{session.id}"
    token = csrf_token(auth.client, url)  # now: reading the session page is itself an audited event

    def upload(name: str, data: bytes):
        return auth.client.post(f"{url}/import", content_type="multipart/form-data", data={
            "csrf_token": token, "consent": "y", "roster": (io.BytesIO(data), name)})

    upload.url, upload.token = url, token

    return upload


@pytest.fixture
def texts(db, make, auth):
    """Upload a translation file as a logged-in manager: texts(name, data) -> response; .questionnaire."""
    programme = make.programme()
    questionnaire = make.questionnaire(programme, languages=("de", "en"), items=ITEMS)
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/questionnaires/{questionnaire.id}/translations"
    token = csrf_token(auth.client, url)

    def upload(name: str, data: bytes):
        return auth.client.post(f"{url}/import", content_type="multipart/form-data", data={
            "csrf_token": token, "file": (io.BytesIO(data), name)})

    upload.questionnaire, upload.url, upload.token = questionnaire, url, token
    return upload


def refused(response, row_counts, before, logs, status=422, text=None):
    html = response.get_data(as_text=True)
    assert response.status_code == status, html[:2000]
    if text:
        assert text in html
    assert row_counts() == before
    logs.assert_clean(EMAIL)
    return html


# Oversized bodies ----------------------------------------------------------------------------------------


def multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body built by hand: the test client would spool a large one to a temporary file it never
    closes when the server refuses the body unread (a ResourceWarning, an error under filterwarnings)."""
    boundary = "surveyapp-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_oversized_roster_upload_gets_a_translated_413(client, roster, row_counts, logs):
    before = row_counts()
    csv = b"name,email,language\n" + b"Ada,a@example.org,de\n" * (4 * 1024 * 1024 // 20)
    body, content_type = multipart({"csrf_token": roster.token, "consent": "y"}, "roster", "roster.csv", csv)
    response = client.post(f"{roster.url}/import", data=body, content_type=content_type)
    refused(response, row_counts, before, logs, 413, "The file you sent is too large.")


def test_oversized_translation_upload_gets_a_translated_413_in_german(texts, row_counts, logs, client):
    before = row_counts()
    body, content_type = multipart({"csrf_token": texts.token}, "file", "texts.xlsx", b"x" * (4 * 1024 * 1024 + 1))
    response = client.post(f"{texts.url}/import?ui=de", data=body, content_type=content_type)
    refused(response, row_counts, before, logs, 413, "Die gesendete Datei ist zu groß.")


# Too many rows, too wide, too slow -----------------------------------------------------------------------


def test_roster_csv_with_too_many_rows_stops_at_the_cap(roster, row_counts, logs):
    before = row_counts()
    body = "email,language\n" + "".join(f"p{i}@example.org,de\n" for i in range(5001))
    refused(roster("roster.csv", body.encode()), row_counts, before, logs,
            text="Row 5002: at most 5000 rows (after the header) per file, please.")


def test_roster_xlsx_with_too_many_rows_names_sheet_and_row(roster, row_counts, logs):
    before = row_counts()
    data = files.workbook([["email", "language"], *([f"p{i}@example.org", "de"] for i in range(5001))], "Liste")
    refused(roster("roster.xlsx", data), row_counts, before, logs,
            text="Sheet “Liste”, row 5002: at most 5000 rows (after the header) per file, please.")


def test_translation_workbook_with_too_many_rows_is_refused(texts, row_counts, logs):
    before = row_counts()
    data = files.workbook([["key", "de"], *([f"item.x{i}.label", "x"] for i in range(10_001))], "texts")
    refused(texts("texts.xlsx", data), row_counts, before, logs,
            text="Sheet “texts”, row 10002: at most 10000 rows (after the header) per file, please.")


def test_roster_with_too_many_columns_is_refused(roster, row_counts, logs):
    before = row_counts()
    data = files.workbook([["email", "language", *(f"c{i}" for i in range(30))], [EMAIL, "de", *"x" * 30]])
    refused(roster("roster.xlsx", data), row_counts, before, logs,
            text="Sheet “Sheet”, row 1, column AA: at most 26 columns are read.")


def test_rows_16384_columns_wide_are_read_narrow_and_quickly(texts, row_counts, logs):
    """The finding: a 141 KB workbook of such rows took 277 s and 2.4 GB (rows padded to column XFD)."""
    before = row_counts()
    data = files.wide_rows(TEXT_ROWS, 3000, "texts")
    started = time.process_time()  # CPU, not wall time: the bound must hold on a loaded machine
    refused(texts("texts.xlsx", data), row_counts, before, logs, text="there is no question with the code “none”")
    assert time.process_time() - started < 8


def test_a_spoofed_sheet_size_is_ignored(texts, row_counts, logs):
    """<dimension ref="A1:XFD1048576"/>: read-only openpyxl pads every row to the declared 16,384 columns."""
    data = files.spoofed_dimension([["key", "de", "en"], ["item.age.label", "Wie alt?", "How old?"]], "texts")
    started = time.process_time()
    response = texts("texts.xlsx", data)
    assert response.status_code == 302 and time.process_time() - started < 5
    logs.assert_clean(EMAIL)


def test_roster_import_past_its_time_budget_stores_nothing(app, roster, row_counts, logs):
    before = row_counts()
    app.config["IMPORT_SECONDS"] = 0.0
    refused(roster("roster.csv", b"email,language\na@example.org,de\n"), row_counts, before, logs,
            text="Reading the file took longer than 0 seconds")


def test_translation_import_past_its_time_budget_changes_nothing(app, texts, row_counts, logs):
    before = row_counts()
    app.config["IMPORT_SECONDS"] = 0.0
    refused(texts("texts.xlsx", files.workbook(TEXT_ROWS, "texts")), row_counts, before, logs,
            text="Reading the file took longer than 0 seconds")


# Zip and XML bombs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("megabytes", [30, 5], ids=["uncompressed-total", "compression-ratio"])
def test_roster_zip_bomb_is_refused_before_unpacking(roster, row_counts, logs, megabytes):
    before = row_counts()
    refused(roster("roster.xlsx", files.zip_bomb(ROSTER_ROWS, megabytes=megabytes)), row_counts, before, logs,
            text="This workbook unpacks to far more data than a spreadsheet of this size holds")


def test_translation_zip_bomb_is_refused_before_unpacking(texts, row_counts, logs):
    before = row_counts()
    refused(texts("texts.xlsx", files.zip_bomb(TEXT_ROWS, "texts")), row_counts, before, logs,
            text="This workbook unpacks to far more data than a spreadsheet of this size holds")


def test_roster_billion_laughs_is_refused(roster, row_counts, logs):
    before = row_counts()
    refused(roster("roster.xlsx", files.billion_laughs(ROSTER_ROWS)), row_counts, before, logs,
            text="This workbook contains XML entity or DTD declarations")


def test_translation_billion_laughs_is_refused(texts, row_counts, logs):
    before = row_counts()
    refused(texts("texts.xlsx", files.billion_laughs(TEXT_ROWS, "texts")), row_counts, before, logs,
            text="This workbook contains XML entity or DTD declarations")


def test_openpyxl_parses_with_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


# Corrupt and wrong files ---------------------------------------------------------------------------------

CORRUPT = {
    "random-bytes": ("upload.xlsx", bytes(range(256)) * 8),
    "renamed-pdf": ("upload.xlsx", files.PDF),
    "truncated-zip": ("upload.xlsx", files.truncated(files.workbook(ROSTER_ROWS))),
    "old-xls-renamed": ("upload.xlsx", files.OLE2_XLS),
    "empty-zip": ("upload.xlsx", files.rewrite(files.workbook(ROSTER_ROWS), {
        name: None for name in ("xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml")})),
}


@pytest.mark.parametrize("name,data", CORRUPT.values(), ids=CORRUPT.keys())
def test_corrupt_roster_workbook_is_422_not_500(roster, row_counts, logs, name, data):
    before = row_counts()
    html = refused(roster(name.replace("upload", "roster"), data), row_counts, before, logs)
    assert "Roster not imported" in html


@pytest.mark.parametrize("name,data", CORRUPT.values(), ids=CORRUPT.keys())
def test_corrupt_translation_workbook_is_422_not_500(texts, row_counts, logs, name, data):
    before = row_counts()
    html = refused(texts(name.replace("upload", "texts"), data), row_counts, before, logs)
    assert "nothing was changed" in html


def test_old_xls_extension_is_refused_with_a_hint(roster, row_counts, logs):
    before = row_counts()
    refused(roster("roster.xls", files.OLE2_XLS), row_counts, before, logs, text="Please upload a .csv or .xlsx file.")


@pytest.mark.parametrize("data", [b"e\x00m\x00a\x00i\x00l\x00", b"\x81\x8d\x8f\x90\x9d" * 10],
                         ids=["utf-16", "not-text"])
def test_binary_roster_csv_is_refused(roster, row_counts, logs, data):
    before = row_counts()
    refused(roster("roster.csv", data), row_counts, before, logs, text="This file is not a CSV text file.")


@pytest.mark.parametrize("data", [b'msgid "a"\nmsgstr "b"\nmsgid', b"\xff\xfe\x00garbage", b'msgctxt "x"\n' * 3,
                                  b'msgid ""\nmsgstr "Language: xx_YY_ZZ_QQ\\n"\n'],
                         ids=["truncated", "binary", "context-only", "bad-language"])
def test_corrupt_po_file_is_422(texts, row_counts, logs, data):
    before = row_counts()
    refused(texts("texts.po", data), row_counts, before, logs)


# Formulas in the export; texts in the import -------------------------------------------------------------

FORMULA = "=cmd|' /C calc'!A0"


def test_translation_export_writes_no_formula_and_the_round_trip_keeps_the_text(texts, client, db):
    questionnaire = texts.questionnaire
    colour, age = (next(item for item in questionnaire.items if item.code == code) for code in ("colour", "age"))
    red, green = colour.options
    wanted = {(red, "de"): FORMULA, (red, "en"): "'=already quoted", (green, "de"): "-2+3", (green, "en"): "-1",
              (age, "de"): "+SUM(1)", (age, "en"): "@A1"}
    for (owner, lang), text in wanted.items():
        set_text(owner, ItemText if owner is age else OptionText, "label", lang, text)
    db.session.commit()
    exported = client.get(f"{texts.url}/texts.xlsx")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert {f"'{FORMULA}", "''=already quoted", "'-2+3", "-1", "'+SUM(1)", "'@A1"} <= values
    assert not any(value.startswith(("=", "+", "@", "\t", "\r")) for value in values)
    assert texts("texts.xlsx", exported.data).status_code == 302  # the workbook back as it was
    db.session.expire_all()
    for (owner, lang), text in wanted.items():
        assert next(t.text for t in owner.texts if t.key == "label" and t.lang == lang) == text


def test_over_long_text_in_the_workbook_is_refused_by_sheet_row_and_column(texts, row_counts, logs):
    before = row_counts()
    rows = [["key", "de", "en"], ["option.colour.red.label", "rot", "r" * 501]]
    refused(texts("texts.xlsx", files.workbook(rows, "texts")), row_counts, before, logs,
            text="Sheet “texts”, row 2, column C (en): at most 500 characters, please (this text has 501).")


def test_over_long_text_in_a_po_file_is_refused(texts, client, row_counts, logs):
    exported = client.get(f"{texts.url}/en.po").get_data(as_text=True)
    data = exported.replace('msgstr "Title en"', 'msgstr "' + "T" * 301 + '"')
    before = row_counts()
    refused(texts("en.po", data.encode()), row_counts, before, logs,
            text="at most 300 characters, please (this text has 301).")


def test_over_long_name_in_the_roster_is_refused_by_row_and_column(roster, row_counts, logs):
    before = row_counts()
    data = files.workbook([["name", "email", "language"], ["N" * 201, EMAIL, "de"]])
    refused(roster("roster.xlsx", data), row_counts, before, logs,
            text="Column A (name): The name is longer than 200 characters.")


def test_control_characters_in_imported_texts_are_stripped(texts, client, db, logs):
    """The side-by-side form goes through the same validation as the files (XLSX cannot even hold them)."""
    token = csrf_token(client, texts.url)
    response = client.post(f"{texts.url}?source=de&target=en", data={
        "csrf_token": token, "t.item.age.label": "A\x01g\x1be\u2028?", "t.option.colour.red.label": "r\x01e\nd"})
    assert response.status_code == 302
    db.session.expire_all()
    colour, age = (next(item for item in texts.questionnaire.items if item.code == code) for code in ("colour", "age"))
    assert next(t.text for t in age.texts if t.key == "label" and t.lang == "en") == "Age\u2028?"
    assert next(t.text for t in colour.options[0].texts if t.lang == "en") == "re d"
    logs.assert_clean(EMAIL)


@pytest.mark.parametrize("data", [b'"\n' * 8000, b',"' * 8000], ids=["quote-newline", "comma-quote"])
def test_csv_crafted_against_the_dialect_sniffer_is_read_quickly(roster, row_counts, logs, data):
    """csv.Sniffer took 27 s (quote-newline) and 6 s (comma-quote) on 16 KB of these: it is not used."""
    before = row_counts()
    started = time.process_time()  # CPU, not wall time: the bound must hold on a loaded machine
    refused(roster("roster.csv", data), row_counts, before, logs)
    assert time.process_time() - started < 5


def test_po_file_of_many_comment_lines_is_refused_unparsed(texts, client, row_counts, logs):
    before = row_counts()
    body, content_type = multipart({"csrf_token": texts.token}, "file", "en.po", b"#, fuzzy\n" * 400_000)
    started = time.process_time()
    response = client.post(f"{texts.url}/import", data=body, content_type=content_type)
    refused(response, row_counts, before, logs, text="At most 10000 texts per file, please.")
    assert time.process_time() - started < 5


# Follow-ups of the outside check: damaged .po, formula cells, refused forms, honest caps ----------------

PO_HEADER = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
PO_GOOD = (PO_HEADER + 'msgctxt "option.colour.red.label"\nmsgid "red"\nmsgstr "GUT"\n\n'
           'msgctxt "item.age.label"\nmsgid "Age"\n')
PO_DAMAGED = {  # (what follows PO_GOOD, the line named): the good entry above must not be saved either
    "unclosed-at-end": ('msgstr "truncated', 12),
    "unclosed-then-newline": ('msgstr "bad\n', 12),
    "unclosed-continuation": ('msgstr ""\n"Al\n', 13),
    "unknown-escape": ('msgstr "A\\x41"\n', 12),
    "text-after-string": ('msgstr "Alter" x\n', 12),
    "stray-line": ('Alter\nmsgstr "Alter"\n', 12),
    "continuation-after-blank": ('msgstr "Al"\n\n"ter"\n', 14),
    "keyword-without-string": ('msgstr\n', 12),
}


@pytest.mark.parametrize("tail,line", PO_DAMAGED.values(), ids=PO_DAMAGED.keys())
def test_damaged_po_file_is_refused_naming_the_line(texts, db, row_counts, logs, tail, line):
    """babel read `msgstr "truncated` as "truncate" and `msgstr "bad` + newline as "ba": 302, 1 text saved."""
    before = row_counts()
    refused(texts("de.po", (PO_GOOD + tail).encode()), row_counts, before, logs,
            text=f"Line {line} of the .po file is damaged")
    red = next(item for item in texts.questionnaire.items if item.code == "colour").options[0]
    assert "GUT" not in {text.text for text in red.texts}


def test_good_po_file_with_escapes_and_continuations_is_imported(texts, db, logs):
    data = PO_GOOD + 'msgstr ""\n"Wie \\"alt\\"\\t"\n  "bist du?"  \r\n\n#~ msgid "old"\n#~ msgstr "alt"\n'
    assert texts("de.po", data.encode()).status_code == 302
    age = next(item for item in texts.questionnaire.items if item.code == "age")
    db.session.expire_all()
    assert next(t.text for t in age.texts if t.key == "label" and t.lang == "de") == 'Wie "alt"\tbist du?'


def test_formula_in_a_roster_cell_is_refused_naming_sheet_row_and_column(roster, row_counts, logs):
    """openpyxl writes no cached value: the name "=1+1" was read as "" and imported as an empty name."""
    before = row_counts()
    data = files.workbook([["name", "email", "language"], ["Ada", "ada@example.org", "de"], ["=1+1", EMAIL, "de"]],
                          "Liste")
    refused(roster("roster.xlsx", data), row_counts, before, logs,
            text="Sheet “Liste”, row 3, column A holds a formula, not text: type the text, or prefix it with an "
                 "apostrophe.")


def test_formula_with_a_cached_value_in_a_translation_cell_is_refused(texts, row_counts, logs):
    """As Excel and LibreOffice save it: <f>1+1</f><v>2</v>; the cached 2 is not taken for the text either."""
    data = files.rewrite(files.workbook([*TEXT_ROWS, ["item.colour.label", "Farbe", "PLACEHOLDER"]], "texts"),
                         sub=("xl/worksheets/sheet1.xml", r'<c r="C3" t="inlineStr"><is><t>PLACEHOLDER</t></is></c>',
                              '<c r="C3"><f>1+1</f><v>2</v></c>'))
    before = row_counts()
    refused(texts("texts.xlsx", data), row_counts, before, logs,
            text="Sheet “texts”, row 3, column C holds a formula, not text")


def test_formula_without_a_cached_value_in_a_translation_cell_is_refused(texts, row_counts, logs):
    """The finding: "=1+1" gave "0 texts saved" and no explanation."""
    before = row_counts()
    data = files.workbook([["key", "de", "en"], ["item.age.label", "=1+1", "Age"]], "texts")
    refused(texts("texts.xlsx", data), row_counts, before, logs,
            text="Sheet “texts”, row 2, column B holds a formula, not text")


@pytest.mark.parametrize("fields", [{"consent": "y"}, {}], ids=["no-file", "no-file-no-consent"])
def test_roster_form_without_a_file_is_422_with_the_form(client, roster, row_counts, logs, fields):
    before = row_counts()
    response = client.post(f"{roster.url}/import", data={"csrf_token": roster.token, **fields},
                           content_type="multipart/form-data")
    html = refused(response, row_counts, before, logs, text="Please choose a roster file (.csv or .xlsx).")
    assert 'name="roster"' in html and "has-error" in html


def test_roster_without_the_consent_box_is_422_with_the_form(client, roster, row_counts, logs):
    before = row_counts()
    response = client.post(f"{roster.url}/import", content_type="multipart/form-data", data={
        "csrf_token": roster.token, "roster": (io.BytesIO(b"email,language\n" + EMAIL.encode() + b",de\n"), "r.csv")})
    html = refused(response, row_counts, before, logs, text="Consent is needed before importing.")
    assert 'name="consent"' in html


def test_genuine_workbook_too_large_unpacked_gets_its_own_message(texts, client, row_counts, logs):
    """250,000 plain rows: 3.3 MB packed, 35 MB unpacked; not a bomb, and not called one."""
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>item.x{n}.label</t></is></c>'
                   f'<c r="B{n}" t="inlineStr"><is><t>Text {n}</t></is></c></row>' for n in range(2, 250_002))
    data = files.rewrite(files.workbook([["key", "de"]], "texts"), sub=("xl/worksheets/sheet1.xml", "</row>",
                                                                        "</row>" + rows))
    assert len(data) < 3.5 * 1024 * 1024
    before = row_counts()
    body, content_type = multipart({"csrf_token": texts.token}, "file", "texts.xlsx", data)  # no spooled file
    response = client.post(f"{texts.url}/import", data=body, content_type=content_type)
    html = refused(response, row_counts, before, logs, text="This workbook unpacks to 35 MB of data; at most 25 MB")
    assert "At most 10000 rows (after the header) per file, please" in html
    assert "far more data than a spreadsheet" not in html
