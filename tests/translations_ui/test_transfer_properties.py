"""Property-based and unit checks of the translation import: any workbook or .po file gives 302 or 422, never a
500, never a partial import; formula neutralisation round-trips; the limits are the builder forms' limits."""
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wtforms import TextAreaField
from wtforms.validators import Length

from surveyapp.accounts.models import Role
from surveyapp.itemtypes import REGISTRY
from surveyapp.questionnaires import forms
from surveyapp.textclean import clean_text
from surveyapp.translations_ui import transfer
from tests.conftest import csrf_token
from tests.security import upload_files as files
from tests.translations_ui.test_transfer import ITEMS, all_texts

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
KEYS = ["questionnaire.title", "questionnaire.intro", "item.colour.label", "item.age.help",
        "option.colour.red.label", "option.colour.green.label", "item.age.label"]
cell_text = st.text(max_size=60).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text))
long_text = st.one_of(cell_text, st.integers(250, 2100).map(lambda n: "x" * n))

GOOD = files.workbook([["key", "de", "en"], ["item.age.label", "Alter", "Age"]], "texts")  # fixed bytes


@pytest.fixture
def post(make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, languages=("de", "en"), items=ITEMS)
    auth.login(make.user(Role.MANAGER, programme).email)
    url = f"/manage/questionnaires/{questionnaire.id}/translations"
    token = csrf_token(auth.client, url)

    def upload(name: str, data: bytes):
        before = all_texts(db)
        response = auth.client.post(f"{url}/import", content_type="multipart/form-data", data={
            "csrf_token": token, "file": (io.BytesIO(data), name)})
        assert response.status_code in (302, 422), response.get_data(as_text=True)[:3000]
        db.session.expire_all()
        if response.status_code == 422:
            assert all_texts(db) == before
        return response.status_code, {(key, lang): text for key, lang, text in all_texts(db)}

    upload.questionnaire = questionnaire
    return upload


@SETTINGS
@given(rows=st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), cell_text), long_text, long_text), max_size=8))
def test_arbitrary_workbook_cells(post, rows):
    status, _texts = post("texts.xlsx", files.workbook([["key", "de", "en"], *map(list, rows)], "texts"))
    if status != 302:
        return
    slots = {slot.key: slot for slot in transfer.all_slots(post.questionnaire)}
    for key, *cells in rows:  # a 302 applied every row: each non-empty text is stored, cleaned
        if not key.strip():
            continue
        slot = slots[key.strip()]
        _limit, multiline = transfer.text_limit(slot)
        for lang, cell in zip(("de", "en"), cells, strict=True):
            expected = clean_text(transfer.unneutralise(cell.strip()), multiline=multiline).strip()
            if expected:
                assert slot.get(lang) == expected


@SETTINGS
@given(data=st.binary(max_size=3000), name=st.sampled_from(["texts.xlsx", "en.po"]))
def test_arbitrary_bytes(post, data, name):
    post(name, data)


@SETTINGS
@given(st.data())
def test_damaged_workbooks(post, data):
    good = bytearray(GOOD)  # the same bytes every run: hypothesis replays positions
    for _flip in range(data.draw(st.integers(1, 8))):
        good[data.draw(st.integers(0, len(good) - 1))] = data.draw(st.integers(0, 255))
    post("texts.xlsx", bytes(good))


@SETTINGS
@given(entries=st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=20)), long_text), max_size=6),
       language=st.sampled_from(["en", "de", "fr", "xx", ""]))
def test_arbitrary_po_entries(post, entries, language):
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    lines = ['msgid ""', 'msgstr ""', quoted(f"Language: {language}\n"), quoted("Content-Type: text/plain; "
                                                                                "charset=UTF-8\n"), ""]
    for number, (key, text) in enumerate(entries):
        lines += [f"msgctxt {quoted(key)}", f"msgid {quoted(f'source {number}')}", f"msgstr {quoted(text)}", ""]
    post("en.po", "\n".join(lines).encode("utf-8", errors="surrogatepass"))


@given(st.text(max_size=30))
def test_neutralising_round_trips_and_leaves_no_formula(text):
    text = clean_text(text, multiline=True)
    cell = transfer.neutralise(text)
    assert transfer.unneutralise(cell) == text
    assert not cell.startswith(("=", "@", "\t", "\r")) and (
        not cell.startswith(("-", "+")) or transfer.PLAIN_NUMBER.fullmatch(cell))  # "+0", "-1": numbers, no formula


def _max_length(unbound_field) -> int:
    return next(v.max for v in unbound_field.kwargs["validators"] if isinstance(v, Length))


def test_limits_are_the_builder_forms_limits(app):
    with app.test_request_context():
        page_form = forms.texts_form([1])
        option_form = forms.option_form(["de"])
        assert {name: page_form[name].validators for name in ("title", "intro", "thanks")}
        for name, (limit, _multiline) in transfer.QUESTIONNAIRE_LIMITS.items():
            assert next(v.max for v in page_form[name].validators if isinstance(v, Length)) == limit
        assert next(v.max for v in page_form["page_1"].validators if isinstance(v, Length)) == \
            transfer.PAGE_TITLE_LIMIT[0]
        assert next(v.max for v in option_form["label_de"].validators if isinstance(v, Length)) == \
            transfer.OPTION_LIMIT[0]
    wording = {name: getattr(forms.ItemForm, name) for name in forms.ItemForm.TEXT_KEYS}
    wording |= {name: field for kind in REGISTRY.values() for name, field in kind.settings_fields.items()
                if name in kind.text_keys}  # a Likert scale's end labels, "don't know" are on its settings form
    assert set(transfer.item_limits()) == set(wording) >= {"label", "help", "low", "high", "dk", "other_label",
                                                            "invalid"}
    for name, (limit, multiline) in transfer.item_limits().items():
        assert _max_length(wording[name]) == limit
        assert multiline == (wording[name].field_class is TextAreaField)
    assert transfer.item_limits()["label"] == (2000, True) and transfer.item_limits()["dk"] == (200, False)
