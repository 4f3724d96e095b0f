"""The translator round trip: texts out as an XLSX workbook or a .po file per language, and back in.

Import reads the file into rows, validates every row against the questionnaire, and only when nothing is
wrong applies all changes (the caller commits once); a rejected file changes nothing.
"""
import io
import zipfile
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.translations_ui.slots import Slot, all_slots, placeholders, slots

SHEET = "texts"
KEY_HEADER = "key"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportRejected(DomainError):
    """The file was not imported; `problems` lists what is wrong, row by row."""

    status_code = 422

    def __init__(self, problems: list[str]):
        super().__init__(_l("The file was not imported and nothing was changed."))
        self.problems = problems


@dataclass
class Row:
    number: int
    key: str
    texts: dict[str, str] = field(default_factory=dict)


# Export -------------------------------------------------------------------------------------------------


def export_rows(questionnaire: Questionnaire) -> list[Row]:
    """One row per text in use, one text per offered language: the data every format renders."""
    return [Row(number, slot.key, {lang: slot.get(lang) for lang in questionnaire.languages})
            for number, slot in enumerate(slots(questionnaire), start=2)]


def to_xlsx(questionnaire: Questionnaire) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([KEY_HEADER, *questionnaire.languages])
    for row in export_rows(questionnaire):
        sheet.append([row.key, *(row.texts[lang] for lang in questionnaire.languages)])
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


def read_upload(filename: str, data: bytes) -> tuple[list[str], list[Row]]:
    """(the languages in the file, its rows), or ImportRejected."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    if name.endswith(".po"):
        lang, rows = read_po_file(data)
        return [lang], rows
    raise ImportRejected([_("Please upload an Excel workbook (.xlsx) or a gettext file (.po).")])


def read_xlsx(data: bytes) -> tuple[list[str], list[Row]]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRejected([_("This file is not an Excel workbook (.xlsx), or it is damaged.")])
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged workbook
        raise ImportRejected([_("This workbook could not be read; it may be damaged.")]) from None
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    lines = [[_cell(value) for value in line] for line in sheet.iter_rows(values_only=True)]
    workbook.close()
    if not lines or not lines[0] or lines[0][0].lower() != KEY_HEADER:
        raise ImportRejected([_("The first column must be headed “key”, as in the exported workbook.")])
    header = lines[0]
    languages = [code for code in header[1:] if code]
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not any(line):
            continue
        texts = {code: (line[index] if index < len(line) else "")
                 for index, code in enumerate(header) if index and code}
        rows.append(Row(number, line[0], texts))
    return languages, rows


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def read_po_file(data: bytes) -> tuple[str, list[Row]]:
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError):
        raise ImportRejected([_("This .po file could not be read; it may be damaged.")]) from None
    if catalog.locale is None:
        raise ImportRejected([_("The .po file does not name its language (its “Language” header).")])
    lang = str(catalog.locale)
    rows = []
    for number, message in enumerate((m for m in catalog if m.id), start=1):
        if message.pluralizable:
            raise ImportRejected([_("Entry %(row)s: plural forms are not used in questionnaire texts.",
                                    row=number)])
        text = "" if message.fuzzy else (message.string or "").strip()
        rows.append(Row(number, message.context or "", {lang: text}))
    return lang, rows


# Validation and applying --------------------------------------------------------------------------------


@dataclass
class Change:
    slot: Slot
    lang: str
    text: str


def validate(questionnaire: Questionnaire, languages: list[str], rows: list[Row]) -> list[Change]:
    """Every change the rows ask for, or ImportRejected listing every problem found."""
    problems = [_("“%(lang)s” is not a language of this questionnaire. Please add the language first.",
                  lang=code) for code in languages if code not in questionnaire.languages]
    by_key = {slot.key: slot for slot in all_slots(questionnaire)}
    seen: set[str] = set()
    changes: list[Change] = []
    for row in rows:
        slot = by_key.get(row.key)
        if slot is None:
            problems.append(_unknown_key(questionnaire, row))
            continue
        if row.key in seen:
            problems.append(_("Row %(row)s: the key “%(key)s” appears twice.", row=row.number, key=row.key))
        seen.add(row.key)
        source = row.texts.get(questionnaire.default_lang) or slot.get(questionnaire.default_lang)
        for lang, text in row.texts.items():
            if not text or lang not in questionnaire.languages:
                continue
            lost = placeholders(source) - placeholders(text)
            if lost:
                problems.append(_("Row %(row)s (%(lang)s): the placeholder %(placeholders)s is missing.",
                                  row=row.number, lang=lang, placeholders=", ".join(sorted(lost))))
            changes.append(Change(slot, lang, text))
    if problems:
        raise ImportRejected(problems)
    return changes


def _unknown_key(questionnaire: Questionnaire, row: Row) -> str:
    parts = row.key.split(".")
    if not row.key:
        return _("Row %(row)s: the key is empty.", row=row.number)
    items = {item.code: item for item in questionnaire.items}
    if parts[0] in ("item", "option") and len(parts) >= 3 and parts[1] not in items:
        return _("Row %(row)s: there is no question with the code “%(code)s”. Codes cannot be changed "
                 "in a translation file.", row=row.number, code=parts[1])
    if parts[0] == "option" and len(parts) == 4 and parts[2] not in {o.code for o in items[parts[1]].options}:
        return _("Row %(row)s: question “%(item)s” has no option with the code “%(code)s”. Codes cannot be "
                 "changed in a translation file.", row=row.number, item=parts[1], code=parts[2])
    return _("Row %(row)s: unknown key “%(key)s”.", row=row.number, key=row.key)


def apply(changes: list[Change]) -> int:
    """Store the validated texts; returns how many texts changed. Flushes; the caller commits."""
    changed = 0
    for change in changes:
        if change.slot.get(change.lang) != change.text:
            change.slot.set(change.lang, change.text)
            changed += 1
    db.session.flush()
    return changed


def import_file(questionnaire: Questionnaire, filename: str, data: bytes) -> int:
    """Read, validate and apply one uploaded file; returns the number of changed texts."""
    languages, rows = read_upload(filename, data)
    return apply(validate(questionnaire, languages, rows))
