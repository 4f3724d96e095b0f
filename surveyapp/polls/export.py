"""A session's results as CSV or XLSX: the rows of service.export_rows, cells a spreadsheet would run as a
formula neutralised by the exports' own rule (a participant's word may start with "=")."""
import io

import pandas as pd
from openpyxl import Workbook

from surveyapp.exports.formats import neutralise, to_csv
from surveyapp.polls.service import EXPORT_HEADER


def csv_bytes(rows: list[tuple]) -> bytes:
    return to_csv(pd.DataFrame(rows, columns=list(EXPORT_HEADER), dtype=object))


def xlsx_bytes(rows: list[tuple]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("results")
    for row in [EXPORT_HEADER, *rows]:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
