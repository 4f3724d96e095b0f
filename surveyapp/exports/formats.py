"""Renderers of the export frames. Cells that a spreadsheet would run as a formula are neutralised.

Every text cell is cleaned first: control characters other than tab, line feed and carriage return (and
the XML non-characters U+FFFE/U+FFFF) are removed. XLSX cannot hold them at all (one such answer or label
made every XLSX export of its questionnaire fail), and a control character in front of ``=`` must not hide
a formula from the check that follows. They can still be stored by an older version or straight in the
database; nothing is lost that a reader could see.
"""

import re
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

FORMULA_START = re.compile(r"^[=+\-@\t\r]")
FORMULA_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")
# A plain number such as "-1" (a "don't know" code) is data, not a formula: leave it alone.
PLAIN_NUMBER = r"^[+-]?\d+(\.\d+)?$"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]"
CONTROL = re.compile(CONTROL_CHARACTERS)


def clean_text(value: str) -> str:
    """``value`` without the characters no spreadsheet (or XML) can hold; tab and line breaks stay."""
    return CONTROL.sub("", value)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells starting with = + - @ (or tab/CR) with an apostrophe; numbers stay numbers.

    Only text and categorical columns are looked at; a categorical is checked through its categories
    (a handful of option codes), not cell by cell, and the full pattern runs only on the few text cells
    whose first character is suspicious.
    """
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            categories = pd.Series(values.cat.categories.astype("str"))
            if _formula_mask(categories).any() or _control_mask(categories).any():
                changed[column] = _neutralised(clean_column(values.astype("str").where(values.notna())))
        elif pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            neutral = _neutralised(clean_column(values))
            if neutral is not values:
                changed[column] = neutral
    return frame.assign(**changed) if changed else frame


def _control_mask(values: pd.Series) -> pd.Series:
    try:
        return values.str.contains(CONTROL_CHARACTERS, regex=True, na=False).astype(bool)
    except AttributeError:  # no text in the column at all (e.g. object column of numbers)
        return pd.Series(False, index=values.index)


def clean_column(values: pd.Series) -> pd.Series:
    """``values`` itself when no cell holds a control character, else an object copy without them."""
    mask = _control_mask(values)
    if not mask.any():
        return values
    values = values.astype("object")
    values[mask] = values[mask].map(clean_text)
    return values


def _formula_mask(values: pd.Series) -> pd.Series:
    text = values.astype("str")
    suspicious = values.notna() & text.str.startswith(FORMULA_CHARACTERS).fillna(False).astype(bool)
    if suspicious.any():
        suspicious[suspicious] = ~text[suspicious].str.match(PLAIN_NUMBER)
    return suspicious


def _neutralised(values: pd.Series) -> pd.Series:
    """``values`` itself when no cell needs the apostrophe, else an object copy with the prefixed cells."""
    mask = _formula_mask(values)
    if not mask.any():
        return values
    values = values.astype("object")
    values[mask] = "'" + values[mask].astype("str")
    return values


def neutralise(value):
    """The single-cell version, for row-wise writers (XLSX): cleaned, then a formula prefixed."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if FORMULA_START.match(value) and not re.match(PLAIN_NUMBER, value):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel shows umlauts; timestamps in ISO 8601."""
    return b"".join(csv_chunks([frame]))


def csv_chunks(frames: Iterable[pd.DataFrame], columns: list[str] | None = None) -> Iterator[bytes]:
    """Stream CSV: the header (with a BOM) once, then one block per frame; memory is one chunk."""
    header_done = False
    for frame in frames:
        frame = frame.rename(columns=neutralise)  # item codes are text stored like any other
        yield (
            _timestamps_as_text(neutralise_formulas(frame))
            # CRLF rows (RFC 4180): the csv module quotes only fields holding a character of the line
            # terminator, so with "\n" a bare CR stayed unquoted and a spreadsheet began a new row at it,
            # where "\r=1+1" became a live "=1+1".
            .to_csv(index=False, header=not header_done, date_format=DATE_FORMAT, lineterminator="\r\n")
            .encode("utf-8-sig" if not header_done else "utf-8")
        )
        header_done = True
    if not header_done and columns is not None:
        yield pd.DataFrame(columns=[neutralise(c) for c in columns]).to_csv(index=False, lineterminator="\r\n").encode(
            "utf-8-sig")


def _timestamps_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """UTC timestamp columns as DATE_FORMAT text, formatted by numpy in one pass per column.

    ``to_csv(date_format=...)`` calls strftime cell by cell, which cost more than the rest of the CSV.
    Other time zones are left to ``to_csv``.
    """
    texts = {}
    for column in frame.columns:
        dtype = frame[column].dtype
        if isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC":
            values = frame[column]
            seconds = values.dt.tz_convert(None).to_numpy().astype("datetime64[s]")
            text = np.char.add(np.datetime_as_string(seconds, unit="s"), "+0000")
            texts[column] = pd.Series(text, index=frame.index, dtype=object).where(values.notna())
    return frame.assign(**texts) if texts else frame
