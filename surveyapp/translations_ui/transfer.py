"""The translator round trip: texts out as an XLSX workbook or a .po file per language, and back in.

Import reads the file into rows, validates every row against the questionnaire, and only when nothing is
wrong applies all changes (the caller commits once); a rejected file changes nothing. Files are read within
the bounds of `surveyapp.uploads` (size, rows, columns, time); texts are cleaned as the builder cleans them
and held to the builder forms' lengths. Workbook cells that a spreadsheet would run as a formula are written
with an apostrophe in front, which the import takes off again, so a round trip keeps every text.
"""
import io
import re
from dataclasses import dataclass, field
from functools import cache

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from wtforms import TextAreaField
from wtforms.validators import Length

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.itemtypes import REGISTRY
from surveyapp.questionnaires import parts
from surveyapp.questionnaires.conditions import ConditionError, check_pipes
from surveyapp.questionnaires.forms import ItemForm
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.questionnaires.slots import Slot, all_slots, placeholders, slots
from surveyapp.textclean import clean_text
from surveyapp.uploads import DEFAULT_SECONDS, Deadline, Limits, UploadRejected, column_letter, read_xlsx

SHEET = "texts"
KEY_HEADER = "key"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 10_000  # texts per file; a questionnaire of 400 questions with 8 options each has about 5,000
MAX_LANGUAGES = 60
LIMITS = Limits(max_rows=MAX_ROWS, max_columns=1 + MAX_LANGUAGES)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")  # "-1" is data, not a formula: left alone, as in the exports
# The builder forms' limits (surveyapp/questionnaires/forms.py; a test compares them): (length, multi-line).
# An item's wording fields take theirs from the fields themselves (item_limits).
QUESTIONNAIRE_LIMITS = {"title": (300, False), "intro": (5000, True), "thanks": (5000, True)}
PAGE_TITLE_LIMIT = (300, False)
OPTION_LIMIT = (500, False)
LISTED_PROBLEMS = 100
PO_MAX_LINES = 12 * MAX_ROWS  # an exported entry has 4 to 6 lines, a long text a few more
PO_STRING = r'"(?:[^"\\]|\\[\\abfnrtv"])*"'  # the escapes babel's unescape turns back into characters
PO_KEYWORD_LINE = re.compile(r"(?:msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])[ \t]+" + PO_STRING + r"[ \t]*")
PO_CONTINUATION_LINE = re.compile(PO_STRING + r"[ \t]*")


class ImportRejected(DomainError):
    """The file was not imported; `problems` lists what is wrong, row by row."""

    status_code = 422

    def __init__(self, problems: list[str], message=None):
        super().__init__(message or _l("The file was not imported and nothing was changed."))
        self.problems = problems


@dataclass
class Row:
    """One text key with its texts per language; `sheet` and `columns` (lang -> letter) when from a workbook."""

    number: int
    key: str
    texts: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    entry: bool = False  # a .po entry rather than a row
    field: str | None = None  # the reader's name of a side-by-side form's field (no file involved)

    def where(self, lang: str | None = None) -> str:
        """Where a problem is, in the words of the file it came from: sheet, row and column, or .po entry; or
        the form field."""
        if self.field is not None:
            return self.field
        if self.sheet is not None:
            if lang is None:
                return _("Sheet “%(sheet)s”, row %(row)s", sheet=self.sheet, row=self.number)
            return _("Sheet “%(sheet)s”, row %(row)s, column %(column)s (%(lang)s)", sheet=self.sheet,
                     row=self.number, column=self.columns.get(lang, "?"), lang=lang)
        if self.entry:
            return (_("Entry %(row)s", row=self.number) if lang is None
                    else _("Entry %(row)s (%(lang)s)", row=self.number, lang=lang))
        return (_("Row %(row)s", row=self.number) if lang is None
                else _("Row %(row)s (%(lang)s)", row=self.number, lang=lang))


# Export -------------------------------------------------------------------------------------------------


def export_rows(questionnaire: Questionnaire) -> list[Row]:
    """One row per text in use that a translator writes, one text per offered language: the data every format
    renders. A part's wording that follows its composite (see `follows`) is left out: it is translated there."""
    return [Row(number, slot.key, {lang: slot.get(lang) for lang in questionnaire.languages})
            for number, slot in enumerate(translatable(questionnaire), start=2)]


def translatable(questionnaire: Questionnaire) -> list[Slot]:
    return [slot for slot in slots(questionnaire) if follows(slot) is None]


def follows(slot: Slot) -> Item | None:
    """The composite whose wording `slot` copies, else None.

    A part is worded by its own slot only when its composite lists its parts (a matrix's rows, `part_keys`);
    any other part takes its wording from its composite (questionnaires.parts): a ranking's rank is labelled
    with its option, an "other, please specify" text with the choice's wording.
    """
    owner = slot.owner
    if isinstance(owner, Item) and owner.parent is not None and not owner.parent.kind.part_keys:
        return owner.parent
    return None


def to_xlsx(questionnaire: Questionnaire) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([KEY_HEADER, *questionnaire.languages])
    for row in export_rows(questionnaire):
        sheet.append([row.key, *(neutralise(row.texts[lang]) for lang in questionnaire.languages)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 32
    for column in range(2, len(questionnaire.languages) + 2):
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = 48
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def needs_apostrophe(text: str) -> bool:
    """True for a text a spreadsheet would run as a formula, and for one that already looks neutralised."""
    bare = text.lstrip("'")
    return bare.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(bare)


def neutralise(text: str) -> str:
    """The text as a workbook cell: no characters XML cannot hold, and an apostrophe before a formula."""
    text = clean_text(text, multiline=True)
    return "'" + text if needs_apostrophe(text) else text


def unneutralise(text: str) -> str:
    """Undo `neutralise` on a cell read back; any other text stays exactly as it is."""
    return text[1:] if text.startswith("'") and needs_apostrophe(text[1:]) else text


def to_po(questionnaire: Questionnaire, lang: str) -> bytes:
    """A bilingual .po file: msgid is the default-language text, msgctxt the stable key."""
    catalog = Catalog(locale=lang, project=f"surveyapp questionnaire {questionnaire.slug}",
                      fuzzy=False, charset="utf-8")
    for row in export_rows(questionnaire):
        source = row.texts[questionnaire.default_lang] or row.key
        catalog.add(source, row.texts[lang], context=row.key)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False)
    return buffer.getvalue()


# Reading ------------------------------------------------------------------------------------------------


def read_upload(filename: str, data: bytes, deadline: Deadline | None = None) -> tuple[list[str], list[Row]]:
    """(the languages in the file, its rows), or ImportRejected."""
    name = (filename or "").lower()
    deadline = deadline or Deadline(DEFAULT_SECONDS)
    try:
        if name.endswith(".xlsx"):
            return read_xlsx_texts(data, deadline)
        if name.endswith(".po"):
            lang, rows = read_po_file(data)
            return [lang], rows
    except UploadRejected as error:
        raise ImportRejected([str(error.message)]) from None
    raise ImportRejected([_("Please upload an Excel workbook (.xlsx) or a gettext file (.po).")])


def read_xlsx_texts(data: bytes, deadline: Deadline) -> tuple[list[str], list[Row]]:
    table = read_xlsx(data, LIMITS, sheet=SHEET, deadline=deadline)
    if not table.rows or table.rows[0][1][0].strip().lower() != KEY_HEADER:
        raise ImportRejected([_("The first column must be headed “key”, as in the exported workbook.")])
    header = [code.strip() for code in table.rows[0][1]]
    languages = [code for code in header[1:] if code]
    columns = {code: column_letter(index) for index, code in enumerate(header) if index and code}
    rows = []
    for number, line in table.rows[1:]:
        texts = {code: unneutralise(line[index].strip()) if index < len(line) else ""
                 for index, code in enumerate(header) if index and code}
        rows.append(Row(number, line[0].strip(), texts, sheet=table.sheet, columns=columns))
    return languages, rows


def read_po_file(data: bytes) -> tuple[str, list[Row]]:
    if data.count(b"\n") > PO_MAX_LINES:  # babel's parser cannot be stopped half-way: bound its input first
        raise ImportRejected([_("At most %(n)s texts per file, please.", n=MAX_ROWS)])
    check_po_syntax(data)
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
        lang = None if catalog.locale is None else str(catalog.locale)
        messages = [message for message in catalog if message.id]
    except Exception:  # babel raises many kinds of error (syntax, encoding, unknown locale) for a damaged file
        raise ImportRejected([_("This .po file could not be read; it may be damaged.")]) from None
    if lang is None:
        raise ImportRejected([_("The .po file does not name its language (its “Language” header).")])
    if len(messages) > MAX_ROWS:
        raise ImportRejected([_("At most %(n)s texts per file, please.", n=MAX_ROWS)])
    rows = []
    for number, message in enumerate(messages, start=1):
        if message.pluralizable:
            raise ImportRejected([_("Entry %(row)s: plural forms are not used in questionnaire texts.",
                                    row=number)])
        text = "" if message.fuzzy else (message.string or "").strip()
        rows.append(Row(number, str(message.context or ""), {lang: text}, entry=True))
    return lang, rows


def check_po_syntax(data: bytes) -> None:
    """ImportRejected naming the first line that is not a comment, a blank line or a complete quoted string.

    babel's read_po is lenient: it takes `msgstr "cut` as the text `cu` (the last character is dropped as if it
    were the closing quote), so a damaged file would be imported with its texts cut short. Every keyword line
    and continuation line must hold one complete C string with only the escapes babel reads back; a
    continuation line must follow a keyword or continuation line. Checked on the bytes read as Latin-1: quotes
    and backslashes are ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte character.
    """
    text = data.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    in_entry = False
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip(" \t\r")  # not str.strip(): U+0085 and U+00A0 are bytes of UTF-8 characters here
        if not line or line.startswith("#"):
            in_entry = False
        elif PO_KEYWORD_LINE.fullmatch(line) or (in_entry and PO_CONTINUATION_LINE.fullmatch(line)):
            in_entry = True
        else:
            raise ImportRejected([_("Line %(line)s of the .po file is damaged: every text must be complete and "
                                    "in double quotes (write \\\" for a quote and \\n for a line break within "
                                    "a text).", line=number)])


# Validation and applying --------------------------------------------------------------------------------


@dataclass
class Change:
    slot: Slot
    lang: str
    text: str


def validate(questionnaire: Questionnaire, languages: list[str], rows: list[Row],
             deadline: Deadline | None = None) -> list[Change]:
    """Every change the rows ask for, with texts cleaned, or ImportRejected listing the problems found."""
    deadline = deadline or Deadline(DEFAULT_SECONDS)
    problems = Problems()
    for code in languages:
        if code not in questionnaire.languages and problems.listing():
            problems.add(_("“%(lang)s” is not a language of this questionnaire. Please add the language "
                           "first.", lang=code))
    by_key = {slot.key: slot for slot in all_slots(questionnaire)}
    items = {item.code: item for item in questionnaire.items}
    seen: set[str] = set()
    changes: list[Change] = []
    for row in rows:
        _check(deadline)
        slot = by_key.get(row.key)
        if slot is None:
            if problems.listing():
                problems.add(_unknown_key(items, row))
            continue
        if row.key in seen and problems.listing():
            problems.add(_("%(where)s: the key “%(key)s” appears twice.", where=row.where(), key=row.key))
        seen.add(row.key)
        if follows(slot) is None:
            changes += _row_changes(questionnaire, slot, row, problems)
        else:
            _check_unchanged(slot, row, problems)
    problems.raise_any()
    return changes


def _row_changes(questionnaire: Questionnaire, slot: Slot, row: Row, problems: "Problems") -> list[Change]:
    limit, multiline = text_limit(slot)
    source = row.texts.get(questionnaire.default_lang) or slot.get(questionnaire.default_lang)
    changes = []
    for lang, text in row.texts.items():
        text = clean_text(text, multiline=multiline).strip()
        if not text or lang not in questionnaire.languages:
            continue
        if len(text) > limit and problems.listing():
            problems.add(_("%(where)s: at most %(max)s characters, please (this text has %(length)s).",
                           where=row.where(lang), max=limit, length=len(text)))
        lost = placeholders(source) - placeholders(text)
        if lost and problems.listing():
            problems.add(_("%(where)s: the placeholder %(placeholders)s is missing.", where=row.where(lang),
                           placeholders=", ".join(sorted(lost))))
        _check_pipes(slot, row, lang, text, problems)
        changes.append(Change(slot, lang, text))
    return changes


def _check_pipes(slot: Slot, row: Row, lang: str, text: str, problems: "Problems") -> None:
    """A translation pipes only what the builder lets a text pipe: earlier answers and invitation facts."""
    try:
        check_pipes(slot.owner, slot.name, lang, text)
    except ConditionError as error:
        if problems.listing():
            problems.add(_("%(where)s: %(problem)s", where=row.where(lang), problem=error.message))


def _check_unchanged(slot: Slot, row: Row, problems: "Problems") -> None:
    """A part's wording that follows its composite may come back as it is (an older export), not changed."""
    _limit, multiline = text_limit(slot)
    for lang, text in row.texts.items():
        text = clean_text(text, multiline=multiline).strip()
        if text and text != slot.get(lang) and problems.listing():
            problems.add(_("%(where)s: this text follows question “%(code)s” and changes with it; please "
                           "translate that question's texts instead.", where=row.where(lang),
                           code=follows(slot).code))


class Problems:
    """The first LISTED_PROBLEMS messages and how many there are in all.

    Call `listing()` for every problem (it counts) and make the message only when it says yes: a hostile file
    may hold 10,000 problems, and translating each message costs time the import budget does not have.
    """

    def __init__(self):
        self.listed: list[str] = []
        self.count = 0

    def listing(self) -> bool:
        self.count += 1
        return self.count <= LISTED_PROBLEMS

    def add(self, message: str) -> None:
        self.listed.append(message)

    def raise_any(self) -> None:
        if self.count > LISTED_PROBLEMS:
            self.listed.append(ngettext("… and %(num)d more problem.", "… and %(num)d more problems.",
                                        self.count - LISTED_PROBLEMS))
        if self.count:
            raise ImportRejected(self.listed)


def _check(deadline: Deadline) -> None:
    try:
        deadline.check()
    except UploadRejected as error:
        raise ImportRejected([str(error.message)]) from None


def text_limit(slot: Slot) -> tuple[int, bool]:
    """(the most characters, whether line breaks are kept) for a slot, as in the builder's forms."""
    kind = slot.key.split(".")[0]
    if kind == "questionnaire":
        return PAGE_TITLE_LIMIT if slot.name.startswith("page.") else QUESTIONNAIRE_LIMITS[slot.name]
    if kind == "item":
        limits = item_limits()
        return limits.get(slot.name) or min(limits.values())  # a key no form has: the strictest limit
    return OPTION_LIMIT


@cache
def item_limits() -> dict[str, tuple[int, bool]]:
    """(length, multi-line) of every item wording field, read off the fields the builder edits them with: the
    item form's question and help text, and each type's wording fields (a scale's end labels, the wording of
    "don't know" and of "other", a format's message). Wording keys are unique over all types."""
    fields = {name: getattr(ItemForm, name) for name in ItemForm.TEXT_KEYS}
    for kind in REGISTRY.values():
        fields |= {name: kind.settings_fields[name] for name in kind.text_keys}
    return {name: field_limit(unbound) for name, unbound in fields.items()}


def field_limit(unbound) -> tuple[int, bool]:
    """(its Length maximum, whether it is a text area) of an unbound WTForms field."""
    validators = unbound.kwargs.get("validators") or ()
    most = min((validator.max for validator in validators if isinstance(validator, Length) and validator.max > 0),
               default=OPTION_LIMIT[0])
    return most, issubclass(unbound.field_class, TextAreaField)


def _unknown_key(items: dict, row: Row) -> str:
    parts = row.key.split(".")
    if not row.key:
        return _("%(where)s: the key is empty.", where=row.where())
    if parts[0] in ("item", "option") and len(parts) >= 3 and parts[1] not in items:
        return _("%(where)s: there is no question with the code “%(code)s”. Codes cannot be changed "
                 "in a translation file.", where=row.where(), code=parts[1])
    if parts[0] == "option" and len(parts) == 4 and parts[2] not in {o.code for o in items[parts[1]].options}:
        return _("%(where)s: question “%(item)s” has no option with the code “%(code)s”. Codes cannot be "
                 "changed in a translation file.", where=row.where(), item=parts[1], code=parts[2])
    return _("%(where)s: unknown key “%(key)s”.", where=row.where(), key=row.key)


def apply(questionnaire: Questionnaire, changes: list[Change]) -> int:
    """Store the validated texts, then let every composite's parts follow its wording (a ranking's options, a
    matrix's end labels and options, the wording of "other"), as the builder does when it saves a text; returns
    how many texts changed. Flushes; the caller commits (or rolls back on a DomainError)."""
    changed = 0
    for change in changes:
        if change.slot.get(change.lang) != change.text:
            change.slot.set(change.lang, change.text)
            changed += 1
    follow_parts(questionnaire)
    db.session.flush()
    return changed


def follow_parts(questionnaire: Questionnaire) -> None:
    """Copy each composite's wording to its parts in every offered language (a language added since gets it)."""
    for item in [item for item in questionnaire.items if item.parent is None]:
        parts.follow(item)


def import_file(questionnaire: Questionnaire, filename: str, data: bytes, seconds: float = DEFAULT_SECONDS) -> int:
    """Read, validate and apply one uploaded file within `seconds`; returns the number of changed texts."""
    deadline = Deadline(seconds)
    languages, rows = read_upload(filename, data, deadline)
    return apply(questionnaire, validate(questionnaire, languages, rows, deadline))
