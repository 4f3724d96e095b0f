"""The sheets of an XLSForm workbook as rows of named cells, read within uploads' limits.

Each sheet is read by `uploads.read_xlsx` (the zip directory checked before anything is unpacked, rows
streamed and capped, a deadline for the whole workbook), so an XLSForm is held to the rules of every other
upload, except that a formula cell (`=TRUE()` in `required`) reads as the value its spreadsheet last
calculated: the reader notes it, and reports a formula without one as a problem of its row. Nothing is
evaluated. Sheet names are matched in any case; other sheets are not read.
"""
import io
import re
import warnings
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from surveyapp.interchange.xlsform_columns import Column, columns
from surveyapp.uploads import Deadline, Limits, UploadRejected, check_archive, read_xlsx

SHEETS = ("survey", "choices", "settings")
LIMITS = Limits(max_rows=3000, max_columns=300, seconds=10.0)


@dataclass
class Row:
    sheet: str
    number: int  # the spreadsheet's row number
    cells: dict[str, list[tuple[str | None, str]]]  # column key -> [(language or None, text)]

    def value(self, key: str) -> str:
        """The first non-empty cell of column `key` (any language), stripped."""
        return next((text.strip() for _lang, text in self.cells.get(key, ()) if text.strip()), "")

    def texts(self, key: str, default: str) -> dict[str, str]:
        """{language: text} of text column `key`; a column without a language is in `default`."""
        found = {}
        for lang, text in self.cells.get(key, ()):
            if text.strip():
                found.setdefault(lang or default, text.strip())
        return found

    @property
    def name(self) -> str:
        return self.value("name")

    @property
    def type(self) -> str:
        """The type in lower case with single spaces: "select_one  Colors" -> "select_one colors"."""
        return re.sub(r"\s+", " ", self.value("type")).lower()

    @property
    def type_as_written(self) -> str:
        return re.sub(r"\s+", " ", self.value("type"))


@dataclass
class Sheet:
    name: str
    columns: list[Column]
    unknown: list[str]  # headings whose language is unknown
    rows: list[Row] = field(default_factory=list)
    formulas: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, cached value or "")


def read_sheets(data: bytes) -> dict[str, Sheet]:
    """The survey, choices and settings sheets found (keyed in lower case)."""
    check_archive(data, LIMITS)
    names = _sheet_names(data)
    deadline = Deadline(LIMITS.seconds)
    sheets = {}
    for name in names:
        if name.strip().lower() in SHEETS and name.strip().lower() not in sheets:
            sheets[name.strip().lower()] = _sheet(read_xlsx(data, LIMITS, name, deadline, cached_formulas=True))
    return sheets


def _sheet_names(data: bytes) -> list[str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True)
            names = list(workbook.sheetnames)
            workbook.close()
    except Exception:  # openpyxl, zipfile and defusedxml raise many kinds of error for a damaged file
        raise UploadRejected(_l("This workbook could not be read; it may be damaged. Please save it again as "
                                "an Excel workbook (.xlsx).")) from None
    return names


def _sheet(table) -> Sheet:
    if not table.rows:
        return Sheet(table.sheet, [], [])
    header_number, header = table.rows[0]
    found, unknown = columns(header)
    sheet = Sheet(table.sheet, found, unknown, formulas=table.formulas)
    for number, cells in table.rows[1:]:
        named: dict[str, list] = {}
        for column in found:
            if column.index < len(cells) and cells[column.index].strip():
                named.setdefault(column.key, []).append((column.lang, cells[column.index]))
        if named:
            sheet.rows.append(Row(table.sheet, number, named))
    return sheet
