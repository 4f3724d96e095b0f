"""SPSS .sav export (pyreadstat) with variable labels and value labels in one language.

Option codes that are integers ("1".."5", "-1") are kept as values; other codes ("m", "f") become 1..k in
option order, the labels say which is which (and the codebook keeps the original codes). A coded "don't know"
is DONT_KNOW_EXPORTED (-9) in any column, labelled and declared user-missing, so SPSS leaves it out of its
statistics as the reports do.

Text values and labels lose their control characters (see ``formats``): SPSS cuts a string at NUL.
"""

from __future__ import annotations

import re
import tempfile

import pandas as pd
import pyreadstat

from surveyapp.datasets.frames import META_COLUMNS, Scope
from surveyapp.datasets.pivot import EXPORTED_DECLINED
from surveyapp.exports.codebook import variables
from surveyapp.exports.formats import clean_column, clean_text
from surveyapp.itemtypes import DONT_KNOW_EXPORTED, Measure

META_LABELS = {
    "response_id": "Response id",
    "lang": "Language of the answers",
    "version": "Questionnaire version",
    "started_at": "Started (UTC)",
    "submitted_at": "Submitted (UTC)",
    "wave": "Wave",
    "panel_code": "Panel code",
    "session": "Training session",
    "site": "Site",
    "imported": "Imported from (file; empty: answered in surveyapp)",
    "flagged": "Flagged as implausible (fast, repeat; empty: not flagged)",
}


def spss_name(name: str, taken: set[str]) -> str:
    """A valid, unique SPSS variable name: letters, digits and _, starting with a letter, at most 64 bytes."""
    cleaned = re.sub(r"[^0-9A-Za-z_]", "_", name)
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "v_" + cleaned
    candidate, n = cleaned[:64], 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{cleaned[:60]}_{n}"
    taken.add(candidate.lower())
    return candidate


# An option code is kept as its number only when SPSS holds it exactly (15 digits); longer ones count as text.
NUMERIC_CODE = re.compile(r"-?\d{1,15}")


def _numeric_codes(codes: list[str]) -> bool:
    return all(NUMERIC_CODE.fullmatch(code) for code in codes)


def _as_numbers(codes: list[str]) -> dict[str, int]:
    """Option codes -> SPSS values: integer codes as themselves, others 1..k in option order; the coded
    "don't know" DONT_KNOW_EXPORTED either way (no option code can be -9: codes start with a letter or digit)."""
    own = [code for code in codes if code != EXPORTED_DECLINED]
    mapping = {c: int(c) for c in own} if _numeric_codes(own) else {c: n + 1 for n, c in enumerate(own)}
    if len(own) < len(codes):
        mapping[EXPORTED_DECLINED] = DONT_KNOW_EXPORTED
    return mapping


def sav_frame(scope: Scope, frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str], dict, dict]:
    """The frame as SPSS wants it, its variable labels, its value labels and its measurement levels."""
    out, labels, value_labels, measures, taken = {}, [], {}, {}, set()
    for column in META_COLUMNS:
        name = spss_name(column, taken)
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
            measures[name] = Measure.SCALE
        else:
            measures[name] = Measure.NOMINAL  # ids, codes and names
            if values.dtype != "int64":
                values = clean_column(values.astype("object").where(values.notna(), ""))
        out[name] = values
        labels.append(META_LABELS[column])
    for variable in variables(scope):
        name = spss_name(variable.name, taken)
        values = frame[variable.name]
        codes = list(variable.values)
        if variable.values and variable.option is None and not variable.item.kind.numeric:
            mapping = _as_numbers(codes)
            values = values.astype("object").map(mapping)
            value_labels[name] = {mapping[c]: clean_text(variable.values[c][lang]) for c in codes}
        elif variable.values:
            value_labels[name] = {
                int(c): clean_text(labels_[lang]) for c, labels_ in variable.values.items() if NUMERIC_CODE.fullmatch(c)
            }
        if variable.values or variable.item.kind.numeric:
            values = pd.to_numeric(values, errors="coerce").astype("float64")
        else:
            values = clean_column(values.astype("object").where(values.notna(), ""))
        out[name] = values
        labels.append(clean_text(variable.question(lang)))
        # an option's 0/1 column is nominal whatever its item is
        measures[name] = variable.item.kind.measure if variable.option is None else Measure.NOMINAL
    return pd.DataFrame(out), labels, value_labels, measures


def sav_file(scope: Scope, frame: pd.DataFrame, lang: str):
    """A temporary .sav file, rewound, for send_file."""
    data, labels, value_labels, measures = sav_frame(scope, frame, lang)
    missing = {name: [DONT_KNOW_EXPORTED] for name, values in value_labels.items() if DONT_KNOW_EXPORTED in values}
    handle = tempfile.NamedTemporaryFile(suffix=".sav")  # noqa: SIM115 - handed to send_file
    pyreadstat.write_sav(data, handle.name, column_labels=labels, variable_value_labels=value_labels,
                         variable_measure={name: str(measure) for name, measure in measures.items()},
                         missing_ranges=missing)
    handle.seek(0)
    return handle
