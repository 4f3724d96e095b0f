"""Renderers of the response frame. Cells that a spreadsheet would run as a formula are neutralised."""
import re

import pandas as pd

FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells starting with = + - @ (or tab/CR) with an apostrophe; numbers stay numbers."""
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_object_dtype(frame[column]) or pd.api.types.is_string_dtype(frame[column]):
            text = frame[column]
            mask = text.map(lambda v: isinstance(v, str) and bool(FORMULA_START.match(v)))
            frame.loc[mask, column] = "'" + text[mask]
    return frame


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel shows umlauts; timestamps in ISO 8601."""
    return neutralise_formulas(frame).to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S%z").encode("utf-8-sig")


def safe_filename(stem: str, extension: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "export"
    return f"{cleaned[:60]}.{extension}"
