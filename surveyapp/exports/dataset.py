"""The export tables: wide (one row per response), long (one row per answer) and panel (one row per code).

Built on ``datasets.frames``: typed frames read in bounded chunks. Columns are codes and values, with the
respondent's wave and pseudonymous panel code; contact data is never read. Evaluators get every submitted
response: those flagged as implausible (kiosk.flags), which reports and indicators leave out, too, with the
reason in their `flagged` column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pandas as pd

from surveyapp.datasets.frames import (
    META_COLUMNS,
    Filters,
    Scope,
    answer_codes,
    declines_on_any_version,
    item_columns,
    iter_frames,
    iter_meta,
    read_answers,
)
from surveyapp.datasets.pivot import EXPORTED_DECLINED
from surveyapp.itemtypes import DONT_KNOW

__all__ = ["META_COLUMNS", "everyone", "export_columns", "iter_wide", "iter_long", "panel_frame"]

LONG_COLUMNS = ["response_id", "version", "wave", "panel_code", "submitted_at", "item", "value"]


def everyone(filters: Filters | None = None) -> Filters:
    """The filters with flagged responses included (see the module docstring)."""
    return replace(filters or Filters(), flagged=True)


def export_columns(scope: Scope) -> list[str]:
    return [*META_COLUMNS, *(column for item in scope.items for column in item_columns(scope, item))]


def iter_wide(
    scope: Scope, filters: Filters | None = None, labels_lang: str | None = None
) -> Iterator[pd.DataFrame]:
    """One row per submitted response in chunks, only the exported columns; a coded "don't know" as its export
    code (itemtypes.DONT_KNOW_EXPORTED)."""
    columns = export_columns(scope)
    return (frame[columns] for frame in iter_frames(scope, everyone(filters), labels_lang, keep_declined=True))


def iter_long(scope: Scope, filters: Filters | None = None) -> Iterator[pd.DataFrame]:
    """One row per stored answer (a multiple choice gives one row per chosen option), in chunks; a coded
    "don't know" as its export code, as in the wide table."""
    code_of = answer_codes(scope)
    position = {item.code: n for n, item in enumerate(scope.items)}
    questionnaire_ids = [q.id for q in scope.questionnaires]
    declining = {item.code for item in scope.items if declines_on_any_version(item, scope.history)}
    return _long_chunks(iter_meta(scope, everyone(filters)), code_of, position, questionnaire_ids, declining)


def _long_chunks(
    metas, code_of: dict[int, str], position: dict[str, int], questionnaire_ids: list[int], declining: set[str]
) -> Iterator[pd.DataFrame]:
    for meta in metas:
        answers = read_answers(meta["response_id"], code_of, questionnaire_ids).rename(columns={"code": "item"})
        answers.loc[answers["item"].isin(declining) & (answers["value"] == DONT_KNOW), "value"] = EXPORTED_DECLINED
        answers["order"] = answers["item"].map(position)
        joined = meta[LONG_COLUMNS[:5]].merge(answers, on="response_id")
        yield joined.sort_values(["response_id", "order"], kind="stable")[LONG_COLUMNS]


def _prefix(wave: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", wave).strip("_").lower() or "wave"


def panel_frame(frame: pd.DataFrame, waves: list[str], value_columns: list[str]) -> pd.DataFrame:
    """One row per panel code; each wave's answers side by side with the wave's name as column prefix.

    Responses without a panel code (public link) cannot be linked and are left out.
    """
    coded = frame.dropna(subset=["panel_code", "wave"])
    base = coded.drop_duplicates("panel_code", keep="first").set_index("panel_code")[["session", "site"]]
    parts = [base]
    for wave in waves:
        part = coded[coded["wave"] == wave].drop_duplicates("panel_code", keep="last").set_index("panel_code")
        part = part[["submitted_at", "lang", "version", *value_columns]]
        parts.append(part.add_prefix(f"{_prefix(wave)}_"))
    panel = pd.concat(parts, axis=1)
    panel.index.name = "panel_code"
    return panel.sort_index().reset_index()
