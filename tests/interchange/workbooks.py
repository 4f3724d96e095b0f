"""The real XLSForm workbooks of ../shared/xlsform (pyxform's test suite, read there, never copied), and small
broken workbooks made on the spot."""
import io
import os
from pathlib import Path

import pytest
from openpyxl import Workbook

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "xlsform"


def shared(name: str) -> bytes:
    """A workbook of ../shared/xlsform; the test is skipped where ../shared is absent, except on CI."""
    path = SHARED / name
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing on CI")
        pytest.skip("../shared/xlsform is not beside this clone")
    return path.read_bytes()


def workbook(**sheets: list[list]) -> bytes:
    """A workbook with the given sheets (name -> rows, the header first)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


NO_SURVEY = workbook(choices=[["list_name", "name", "label"], ["yn", "yes", "Yes"]])
DUPLICATE = workbook(survey=[["type", "name", "label"], ["text", "q1", "One"], ["integer", "q1", "Again"]])
NOT_A_WORKBOOK = b"type,name,label\ntext,q1,One\n"
