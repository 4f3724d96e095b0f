"""Files of earlier answers as rows of text: CSV and XLSX (through surveyapp.uploads, within its limits) and
SPSS .sav (pyreadstat), whose value labels come along so that a value can be matched by its label.

Every reader gives a `Sheet`: a header of column names and the data rows with their row numbers in the file, so
that a problem is reported where a person finds it. A file that cannot be read raises UploadRejected (a
DomainError: 422) with a message, never a 500.
"""
import math
import os
import tempfile
from dataclasses import dataclass, field

import pyreadstat
from flask_babel import lazy_gettext as _l

from surveyapp.uploads import Limits, UploadRejected, read_csv, read_xlsx
from surveyapp.uploads import cell_text as uploads_cell_text

MAX_ROWS = 20_000
MAX_COLUMNS = 500
MAX_BYTES = 20 * 1024 * 1024  # an SPSS file is read whole by pyreadstat: bounded before it is opened
LIMITS = Limits(max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, seconds=30.0)
SUFFIXES = (".csv", ".xlsx", ".sav")


@dataclass
class Sheet:
    """The header and the data rows (row number in the file, cells as text) of one file; `labels`: SPSS value
    labels per column name (value as text -> its label)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


def read(filename: str, data: bytes) -> Sheet:
    """The file's rows, chosen by its suffix; UploadRejected for another kind of file or a damaged one."""
    suffix = os.path.splitext(filename.lower())[1]
    if suffix not in SUFFIXES:
        raise UploadRejected(_l("Please upload a CSV file, an Excel workbook (.xlsx) or an SPSS file (.sav)."))
    if len(data) > MAX_BYTES:
        raise UploadRejected(_l("This file is larger than %(size)s MB; please split it.", size=MAX_BYTES // 2**20))
    if suffix == ".sav":
        return read_sav(data)
    table = read_csv(data, LIMITS) if suffix == ".csv" else read_xlsx(data, LIMITS)
    return _sheet(table.rows)


def _sheet(lines: list[tuple[int, list[str]]], labels: dict | None = None) -> Sheet:
    if not lines:
        raise UploadRejected(_l("This file holds no rows."))
    (_number, header), rows = lines[0], lines[1:]
    header = [name.strip() for name in header]
    if not any(header):
        raise UploadRejected(_l("The first row must name the columns."))
    width = len(header)
    return Sheet(header, [(number, (cells + [""] * width)[:width]) for number, cells in rows], labels or {})


def read_sav(data: bytes) -> Sheet:
    """An SPSS file: its variables as columns, values as text (1.0 as 1), value labels kept per column."""
    with tempfile.NamedTemporaryFile(suffix=".sav") as handle:
        handle.write(data)
        handle.flush()
        try:
            frame, meta = pyreadstat.read_sav(handle.name, row_limit=MAX_ROWS + 1)
        except Exception:  # pyreadstat raises its own errors (and others) for anything it cannot parse
            raise UploadRejected(_l("This SPSS file could not be read; it may be damaged. Please save it again "
                                    "as an SPSS data file (.sav).")) from None
    if len(frame) > MAX_ROWS:
        raise UploadRejected(_l("Row %(row)s: at most %(n)s rows (after the header) per file, please.",
                                row=MAX_ROWS + 2, n=MAX_ROWS))
    header = [str(name) for name in frame.columns]
    rows = [[cell_text(value) for value in record] for record in frame.itertuples(index=False, name=None)]
    labels = {name: {cell_text(value): str(label) for value, label in mapping.items()}
              for name, mapping in (meta.variable_value_labels or {}).items()}
    return _sheet([(1, header), *((number, row) for number, row in enumerate(rows, start=2))], labels)


def cell_text(value) -> str:
    """A value as text (uploads.cell_text), SPSS's missing number (NaN) as nothing, surrounding spaces dropped."""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return uploads_cell_text(value).strip()
