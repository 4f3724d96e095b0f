"""Renderers of the export frames. Cells that a spreadsheet would run as a formula are neutralised."""

import re
from collections.abc import Iterable, Iterator

import pandas as pd

FORMULA_START = re.compile(r"^[=+\-@\t\r]")
# A plain number such as "-1" (a "don't know" code) is data, not a formula: leave it alone.
PLAIN_NUMBER = r"^[+-]?\d+(\.\d+)?$"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells starting with = + - @ (or tab/CR) with an apostrophe; numbers stay numbers."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype("str").where(values.notna())
        elif not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        text = values.astype("str")
        mask = values.notna() & text.str.match(FORMULA_START.pattern) & ~text.str.match(PLAIN_NUMBER)
        if mask.any():
            values = values.astype("object")
            values[mask] = "'" + text[mask]
            frame[column] = values
    return frame


def neutralise(value):
    """The single-cell version, for row-wise writers (XLSX)."""
    if isinstance(value, str) and FORMULA_START.match(value) and not re.match(PLAIN_NUMBER, value):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel shows umlauts; timestamps in ISO 8601."""
    return b"".join(csv_chunks([frame]))


def csv_chunks(frames: Iterable[pd.DataFrame], columns: list[str] | None = None) -> Iterator[bytes]:
    """Stream CSV: the header (with a BOM) once, then one block per frame; memory is one chunk."""
    header_done = False
    for frame in frames:
        yield (
            neutralise_formulas(frame)
            .to_csv(index=False, header=not header_done, date_format=DATE_FORMAT)
            .encode("utf-8-sig" if not header_done else "utf-8")
        )
        header_done = True
    if not header_done and columns is not None:
        yield pd.DataFrame(columns=columns).to_csv(index=False).encode("utf-8-sig")


def safe_filename(stem: str, extension: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "export"
    return f"{cleaned[:60]}.{extension}"
