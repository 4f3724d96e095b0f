"""Submitted responses as typed pandas frames, read in bounded chunks: the input of reports and exports.

One row per response, one column per item (one 0/1 column per option of a multiple-choice item). Values
are option codes, never labels, unless an export asks for labels. Likert and 0-10 items are Int64, numbers
Int64 or Float64, single choices are categoricals over the option codes, texts are ``str``. Rows are read
by keyset pagination over response ids, so memory depends on the chunk size, not on the number of answers;
no ORM object is built per response or answer. Contact data is never read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from flask_babel import gettext as _
from sqlalchemy import select

from surveyapp.errors import NotFound
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.reports import respondents
from surveyapp.respond.models import Answer, Response

CHUNK = 20_000
META_COLUMNS = ["response_id", "lang", "started_at", "submitted_at", *respondents.RESPONDENT_COLUMNS]


@dataclass(frozen=True)
class Filters:
    """Which submitted responses count: one wave (name or id) and/or submission dates, both ends inclusive."""

    wave: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    timezone: str = "UTC"

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The dates as UTC instants: from the start of ``date_from`` to the end of ``date_to`` locally."""
        zone = ZoneInfo(self.timezone)

        def instant(day: date | None, shift: int) -> datetime | None:
            if day is None:
                return None
            local = datetime.combine(day + timedelta(days=shift), time.min, tzinfo=zone)
            return local.astimezone(ZoneInfo("UTC"))

        return instant(self.date_from, 0), instant(self.date_to, 1)


@dataclass
class Scope:
    """What a report or export covers: one questionnaire, or every questionnaire of a programme."""

    programme: Programme
    questionnaires: list[Questionnaire]
    items: list[Item] = field(init=False)

    def __post_init__(self) -> None:
        # Items are matched across questionnaires (waves) by code; the first questionnaire defines the type.
        seen: dict[str, Item] = {}
        for questionnaire in self.questionnaires:
            for item in questionnaire.items:
                seen.setdefault(item.code, item)
        self.items = list(seen.values())

    @property
    def slug(self) -> str:
        return self.questionnaires[0].slug if len(self.questionnaires) == 1 else self.programme.code

    @property
    def default_lang(self) -> str:
        return self.questionnaires[0].default_lang if self.questionnaires else "en"

    def items_by_code(self) -> dict[str, list[int]]:
        """Every item id behind each column code, over all questionnaires in scope."""
        ids: dict[str, list[int]] = {}
        for questionnaire in self.questionnaires:
            for item in questionnaire.items:
                ids.setdefault(item.code, []).append(item.id)
        return ids


def questionnaire_scope(questionnaire: Questionnaire) -> Scope:
    return Scope(questionnaire.programme, [questionnaire])


def programme_scope(programme: Programme) -> Scope:
    questionnaires = db.session.scalars(
        select(Questionnaire).where(Questionnaire.programme_id == programme.id).order_by(Questionnaire.id)
    ).all()
    return Scope(programme, list(questionnaires))


def resolve_scope(target: str) -> Scope:
    """A questionnaire slug or a programme code (the CLI's QUESTIONNAIRE_OR_PROGRAMME)."""
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == target))
    if questionnaire is not None:
        return questionnaire_scope(questionnaire)
    programme = db.session.scalar(select(Programme).where(Programme.code == target))
    if programme is not None:
        return programme_scope(programme)
    raise NotFound(_("No questionnaire or programme called “%(target)s”.") % {"target": target})


def _conditions(scope: Scope, filters: Filters | None) -> list:
    filters = filters or Filters()
    conditions = [
        Response.questionnaire_id.in_([q.id for q in scope.questionnaires]),
        Response.submitted_at.is_not(None),
    ]
    start, end = filters.bounds()
    if start is not None:
        conditions.append(Response.submitted_at >= start)
    if end is not None:
        conditions.append(Response.submitted_at < end)
    return conditions + respondents.wave_conditions(filters.wave)


def _read(statement) -> pd.DataFrame:
    """Run a Core select and build the frame from the driver's plain tuples.

    Skipping SQLAlchemy's per-row Row objects (and the ORM) makes reading 100,000 x 20 answers several
    times faster; the columns read here are ints, strings and timestamps that pandas converts itself.
    """
    result = db.session.connection().execute(statement)
    columns = list(result.keys())
    rows = result.cursor.fetchall()
    result.close()
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=False)


def iter_meta(scope: Scope, filters: Filters | None, chunk: int = CHUNK) -> Iterator[pd.DataFrame]:
    """Response metadata (plus wave, panel code, session and site when known), ``chunk`` rows at a time.

    Everything taken from the ORM is read before the first chunk, so a streamed response may run the
    generator after the view has returned.
    """
    columns, joins = respondents.meta_columns()
    statement = select(
        Response.id.label("response_id"),
        Response.questionnaire_id,
        Response.lang,
        Response.started_at,
        Response.submitted_at,
        *columns,
    )
    for join in joins:
        statement = join(statement)
    statement = statement.where(*_conditions(scope, filters)).order_by(Response.id).limit(chunk)
    return _meta_chunks(statement, chunk)


def _meta_chunks(statement, chunk: int) -> Iterator[pd.DataFrame]:
    last = 0
    while True:
        meta = _read(statement.where(Response.id > last))
        if meta.empty:
            return
        last = int(meta["response_id"].iloc[-1])
        meta["response_id"] = meta["response_id"].astype("int64")
        for column in ("started_at", "submitted_at"):
            meta[column] = pd.to_datetime(meta[column], utc=True)
        meta["lang"] = meta["lang"].astype("str")
        yield respondents.tidy(meta)
        if len(meta) < chunk:
            return


@dataclass(frozen=True)
class ColumnSpec:
    """What building an item's column(s) needs, taken from the ORM once: code, type and option codes."""

    code: str
    type: str
    numeric: bool
    coded: bool
    multi: bool
    decimals: bool
    options: tuple[str, ...]
    labels: dict[str, str] | None  # option code -> label when an export asks for labels

    @property
    def columns(self) -> list[str]:
        return [f"{self.code}_{option}" for option in self.options] if self.multi else [self.code]


def column_spec(item: Item, labels_lang: str | None = None) -> ColumnSpec:
    kind = item.kind
    labels = None
    if labels_lang and kind.coded and not kind.numeric:
        labels = {c.code: c.label for c in kind.choices(item, labels_lang)}
    return ColumnSpec(
        item.code,
        item.type,
        kind.numeric,
        kind.coded,
        kind.multi,
        bool(item.type == "number" and item.settings.get("decimals")),
        tuple(kind.option_codes(item)) if kind.coded else (),
        labels,
    )


def answer_codes(scope: Scope) -> dict[int, str]:
    """Item id -> column code, over every questionnaire in scope."""
    return {item_id: code for code, ids in scope.items_by_code().items() for item_id in ids}


def read_answers(ids: pd.Series, code_of: dict[int, str]) -> pd.DataFrame:
    """The answers (response_id, item_id, value, code) of the response id range of one chunk.

    Filtered on the response id only: with an item filter too, SQLite walks the item index and reads
    every answer of each item once per chunk. Answers of other questionnaires in the range drop out here.
    """
    answers = _read(
        select(Answer.response_id, Answer.item_id, Answer.value).where(
            Answer.response_id.between(int(ids.iloc[0]), int(ids.iloc[-1]))
        )
    )
    answers["code"] = answers["item_id"].map(code_of)
    return answers[answers["code"].notna()]


def iter_frames(
    scope: Scope, filters: Filters | None = None, labels_lang: str | None = None, chunk: int = CHUNK
) -> Iterator[pd.DataFrame]:
    """Wide typed frames of submitted responses, ``chunk`` responses at a time, in response id order."""
    specs = [column_spec(item, labels_lang) for item in scope.items]
    return _frames(iter_meta(scope, filters, chunk), specs, answer_codes(scope))


def _frames(
    metas: Iterator[pd.DataFrame], specs: list[ColumnSpec], code_of: dict[int, str]
) -> Iterator[pd.DataFrame]:
    for meta in metas:
        ids = meta["response_id"]
        answers = read_answers(ids, code_of)
        by_code = dict(tuple(answers.groupby("code", sort=False))) if not answers.empty else {}
        index = pd.Index(ids, name="response_id")
        parts = [meta.set_index(index)]
        parts += [item_frame(spec, by_code.get(spec.code, answers.iloc[0:0]), index) for spec in specs]
        yield pd.concat(parts, axis=1).reset_index(drop=True)


def response_frame(
    scope: Scope, filters: Filters | None = None, labels_lang: str | None = None
) -> pd.DataFrame:
    """All submitted responses in scope as one frame (see ``iter_frames``)."""
    frames = list(iter_frames(scope, filters, labels_lang))
    if frames:
        return pd.concat(frames, ignore_index=True)
    return _empty_frame(scope, labels_lang)


def _empty_frame(scope: Scope, labels_lang: str | None) -> pd.DataFrame:
    index = pd.Index([], dtype="int64", name="response_id")
    empty = pd.DataFrame({"response_id": pd.Series([], dtype="int64"), "item_id": [], "value": []})
    meta = pd.DataFrame(
        {
            "response_id": pd.Series([], dtype="int64"),
            "questionnaire_id": [],
            "lang": pd.Series([], dtype="str"),
            "started_at": pd.Series([], dtype="datetime64[ns, UTC]"),
            "submitted_at": pd.Series([], dtype="datetime64[ns, UTC]"),
            **{c: pd.Series([], dtype="str") for c in respondents.RESPONDENT_COLUMNS},
            "wave_position": pd.Series([], dtype="Int64"),
        },
        index=index,
    )
    parts = [meta, *(item_frame(column_spec(item, labels_lang), empty, index) for item in scope.items)]
    return pd.concat(parts, axis=1).reset_index(drop=True)


def multi_column(item: Item, option_code: str) -> str:
    return f"{item.code}_{option_code}"


def item_columns(item: Item) -> list[str]:
    return column_spec(item).columns


def item_frame(spec: ColumnSpec, answers: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """The column(s) of one item for the responses in ``index`` from its long answers (response_id, value)."""
    if spec.multi:
        return _indicator_columns(spec, answers, index)
    series = answers.drop_duplicates("response_id", keep="last").set_index("response_id")["value"]
    series = series.reindex(index)
    if spec.numeric:
        numbers = pd.to_numeric(series, errors="coerce").astype("Float64")
        if not spec.decimals and (numbers.dropna() % 1 == 0).all():
            numbers = numbers.astype("Int64")
        return numbers.rename(spec.code).to_frame()
    if spec.coded:
        if spec.labels is not None:
            return series.map(spec.labels).astype("str").where(series.notna()).rename(spec.code).to_frame()
        return pd.Series(
            pd.Categorical(series, categories=spec.options), index=index, name=spec.code
        ).to_frame()
    return series.astype("str").where(series.notna()).rename(spec.code).to_frame()


def _indicator_columns(spec: ColumnSpec, answers: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """One 0/1 column per option; respondents who skipped the item stay empty rather than 0."""
    codes = list(spec.options)
    chosen = answers[answers["value"].isin(codes)]
    rows = index.get_indexer(chosen["response_id"])
    cols = pd.Index(codes).get_indexer(chosen["value"])
    keep = rows >= 0
    matrix = np.zeros((len(index), len(codes)), dtype="int8")
    matrix[rows[keep], cols[keep]] = 1
    frame = pd.DataFrame(matrix, index=index, columns=spec.columns).astype("Int8")
    answered = index.isin(answers["response_id"].unique())
    frame.loc[~answered, :] = pd.NA
    return frame
