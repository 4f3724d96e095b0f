"""Responses as a DataFrame: one row per submitted response, one column per item (per option for multi-choice).

Every export format renders this frame; nothing here knows about files or HTTP.
"""
import pandas as pd
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.respond.models import Answer, Response

META_COLUMNS = ["response_id", "lang", "started_at", "submitted_at"]


def multi_column(item: Item, option_code: str) -> str:
    return f"{item.code}_{option_code}"


def item_columns(item: Item) -> list[str]:
    if item.kind.multi:
        return [multi_column(item, code) for code in item.kind.option_codes(item)]
    return [item.code]


def response_frame(questionnaire: Questionnaire, labels_lang: str | None = None) -> pd.DataFrame:
    """Wide frame of submitted responses; option codes by default, labels in `labels_lang` if given."""
    meta = _read(
        select(Response.id.label("response_id"), Response.lang, Response.started_at, Response.submitted_at)
        .where(Response.questionnaire_id == questionnaire.id, Response.submitted_at.is_not(None))
        .order_by(Response.id)
    ).set_index("response_id", drop=False)
    long = _read(
        select(Answer.response_id, Answer.item_id, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.questionnaire_id == questionnaire.id, Response.submitted_at.is_not(None))
    )
    parts = [meta[META_COLUMNS], *(_item_series(item, long, meta.index, labels_lang) for item in questionnaire.items)]
    return pd.concat(parts, axis=1).reset_index(drop=True)


def _read(statement) -> pd.DataFrame:
    result = db.session.execute(statement)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _item_series(item: Item, long: pd.DataFrame, index: pd.Index, labels_lang: str | None) -> pd.DataFrame:
    values = long.loc[long["item_id"] == item.id, ["response_id", "value"]]
    if item.kind.multi:
        return _indicator_columns(item, values, index)
    series = values.drop_duplicates("response_id", keep="last").set_index("response_id")["value"]
    series = series.reindex(index)
    if labels_lang and item.kind.coded and not item.kind.numeric:
        labels = {c.code: c.label for c in item.kind.choices(item, labels_lang)}
        series = series.map(labels).astype(object)
    elif item.kind.numeric:
        series = pd.to_numeric(series, errors="coerce")
        series = series.astype("Float64" if item.settings.get("decimals") else "Int64")
    return series.rename(item.code).to_frame()


def _indicator_columns(item: Item, values: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """One 0/1 column per option; respondents who skipped the item stay empty rather than 0."""
    codes = item.kind.option_codes(item)
    chosen = pd.crosstab(values["response_id"], values["value"]).clip(upper=1)
    frame = chosen.reindex(index=index, columns=codes, fill_value=0).astype("Int64")
    answered = index.isin(values["response_id"].unique())
    frame.loc[~answered, :] = pd.NA
    frame.columns = [multi_column(item, code) for code in codes]
    return frame
