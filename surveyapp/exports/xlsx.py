"""XLSX export: the data sheet written row by row (openpyxl write-only mode), a "codebook" sheet and, when an
item changed between questionnaire versions, a "versions" sheet."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

import pandas as pd
from openpyxl import Workbook

from surveyapp.datasets.frames import Scope
from surveyapp.datasets.versions import History
from surveyapp.exports.codebook import codebook_rows, languages
from surveyapp.exports.formats import neutralise
from surveyapp.exports.versions import SHEET, version_rows


def _cell(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        # Excel has no time zones: write UTC wall time (the header says so).
        return (
            value.tz_convert("UTC").tz_localize(None).to_pydatetime()
            if value.tzinfo
            else value.to_pydatetime()
        )
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return neutralise(value)


def write_xlsx(scope: Scope, frames: Iterable[pd.DataFrame], columns: list[str], target) -> None:
    """Write the data and the codebook to ``target`` (a path or a binary file)."""
    book = Workbook(write_only=True)
    data = book.create_sheet("data")
    data.append([neutralise(f"{c} (UTC)" if c in ("started_at", "submitted_at") else c) for c in columns])
    for frame in frames:
        block = frame.astype("object").where(frame.notna(), None)
        for row in block.itertuples(index=False, name=None):
            data.append([_cell(v) for v in row])
    codebook = book.create_sheet("codebook")
    header, rows = codebook_rows(scope)
    codebook.append(header)
    for row in rows:
        codebook.append([neutralise(v) for v in row])
    _versions_sheet(book, scope)
    book.save(target)


def _versions_sheet(book: Workbook, scope: Scope) -> None:
    """Each changed item as each version asked it; no sheet when no item changed."""
    header, rows = version_rows(History.of_scope(scope), languages(scope))
    if rows:
        sheet = book.create_sheet(SHEET)
        for row in [header, *rows]:
            sheet.append([neutralise(v) for v in row])


def xlsx_file(scope: Scope, frames: Iterable[pd.DataFrame], columns: list[str]):
    """A temporary file holding the workbook, rewound; memory stays at one chunk of rows."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - handed to send_file, which closes it
    write_xlsx(scope, frames, columns, handle)
    handle.seek(0)
    return handle
