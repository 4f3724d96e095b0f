"""Submitted responses as typed pandas frames, read in bounded chunks: the input of reports and exports.

One row per response, one column per item (one 0/1 column per option of a multiple-choice item). Values
are option codes, never labels, unless an export asks for labels. Likert and 0-10 items are Int64, numbers
Int64 or Float64, single choices are categoricals over the option codes, texts are ``str``. Rows are read
by keyset pagination over response ids, so memory depends on the chunk size, not on the number of answers;
no ORM object is built per response or answer. Contact data is never read.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import MAXYEAR, date, datetime, time, timedelta
from functools import cached_property
from operator import itemgetter
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from flask_babel import gettext as _
from sqlalchemy import func, select

from surveyapp.datasets import respondents
from surveyapp.datasets.pivot import (
    DECLINED,
    EXCLUDED,
    EXPORTED_DECLINED,
    ColumnSpec,
    LongAnswers,
    item_columns_frame,
    merge_declined,
    merge_excluded,
)
from surveyapp.datasets.versions import History, Key
from surveyapp.errors import NotFound
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.responses.models import Answer, Response

CHUNK = 20_000
# version: the questionnaire version the answers were given on (datasets.versions says what it asked)
META_COLUMNS = ["response_id", "lang", "version", "started_at", "submitted_at", *respondents.RESPONDENT_COLUMNS]


@dataclass(frozen=True)
class Filters:
    """Which submitted responses count: one wave (name or id) and/or submission dates, both ends inclusive;
    responses flagged as implausible (too fast, repeated: kiosk.flags) only with `flagged`."""

    wave: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    timezone: str = "UTC"
    flagged: bool = False

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The dates as UTC instants: from the start of ``date_from`` to the end of ``date_to`` locally.

        A date at the edge of the calendar (9999-12-31, 0001-01-01) whose instant lies outside it bounds
        nothing on its open side (no end after the last day, no start before the first) and excludes
        everything on the other (a start after the last day).
        """
        zone, utc = ZoneInfo(self.timezone), ZoneInfo("UTC")

        def instant(day: date | None, shift: int) -> datetime | None:
            if day is None:
                return None
            try:
                local = datetime.combine(day + timedelta(days=shift), time.min, tzinfo=zone)
                return local.astimezone(utc)
            except OverflowError:
                if day.year < MAXYEAR // 2:
                    return None if not shift else datetime.min.replace(tzinfo=utc)
                return None if shift else datetime.max.replace(tzinfo=utc)

        return instant(self.date_from, 0), instant(self.date_to, 1)


@dataclass
class Scope:
    """What a report or export covers: one questionnaire, or every questionnaire of a programme."""

    programme: Programme
    questionnaires: list[Questionnaire]
    items: list[Item] = field(init=False)

    def __post_init__(self) -> None:
        self.items = self.items_of()

    def items_of(self, questionnaire_ids: Collection[int] | None = None) -> list[Item]:
        """The items of the questionnaires given (default: all in scope), matched by code across them (waves);
        the first questionnaire asking a code defines its type and wording."""
        seen: dict[str, Item] = {}
        for questionnaire in self.questionnaires:
            if questionnaire_ids is None or questionnaire.id in questionnaire_ids:
                for item in questionnaire.items:
                    seen.setdefault(item.code, item)
        return list(seen.values())

    @cached_property
    def history(self) -> History:
        """What each item meant on every version kept (its option codes over all of them)."""
        return History.of_scope(self)

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


def _conditions(scope: Scope, filters: Filters | None, flagged: bool | None = None) -> list:
    """Who counts; `flagged` True or False asks for the flagged or the unflagged ones whatever the filters say."""
    filters = filters or Filters()
    conditions = [
        Response.questionnaire_id.in_([q.id for q in scope.questionnaires]),
        Response.submitted_at.is_not(None),
    ]
    if flagged is not None or not filters.flagged:
        conditions.append(Response.flagged_at.is_not(None) if flagged else Response.flagged_at.is_(None))
    start, end = filters.bounds()
    if start is not None:
        conditions.append(Response.submitted_at >= start)
    if end is not None:
        conditions.append(Response.submitted_at < end)
    return conditions + respondents.wave_conditions(filters.wave)


def flagged_left_out(scope: Scope, filters: Filters | None) -> int:
    """How many responses the filters would count but for their flag (0 when flagged ones are included)."""
    if filters is not None and filters.flagged:
        return 0
    conditions = _conditions(scope, filters, flagged=True)
    return db.session.scalar(select(func.count()).select_from(Response).where(*conditions))


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
        Response.questionnaire_version.label("version"),
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
            # ISO8601: values written by other tools may lack the fraction the app writes (mixed formats)
            meta[column] = pd.to_datetime(meta[column], utc=True, format="ISO8601")
        meta["lang"] = meta["lang"].astype("str")
        yield respondents.tidy(meta)
        if len(meta) < chunk:
            return


def column_spec(item: Item, history: History, labels_lang: str | None = None,
                keep_declined: bool = False) -> ColumnSpec:
    """Its columns over every version: an option only an earlier version offered keeps its answers.

    `keep_declined` (exports): a coded "don't know" stays in the column as its export code (see ``pivot``)."""
    kind = item.kind
    labels = None
    declines = declines_on_any_version(item, history)
    if labels_lang and kind.coded and not kind.numeric:  # numbers (scale points) stay numbers
        labels = history.value_labels(item, labels_lang)
        if declines:
            labels[EXPORTED_DECLINED] = kind.dont_know_label(item, labels_lang)
    return ColumnSpec(
        item.code,
        item.type,
        kind.numeric,
        kind.coded,
        kind.multi,
        kind.decimals(item),
        tuple(history.option_codes(item)) if kind.coded else (),
        labels,
        declines,
        keep_declined,
    )


def declines_on_any_version(item: Item, history: History) -> bool:
    """Whether `item` offers a coded "don't know", or did on an earlier version (its answers keep it)."""
    asked = [item, *(segment.item for segment in history.segments.get(item.code) or [])]
    return any(asked_as.kind.dont_know(asked_as) for asked_as in asked)


def answer_codes(scope: Scope) -> dict[int, str]:
    """Item id -> column code, over every questionnaire in scope."""
    return {item_id: code for code, ids in scope.items_by_code().items() for item_id in ids}


def answer_arrays(ids: pd.Series, questionnaire_ids: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(response_id, item_id, value) arrays of the answers of one chunk's responses, in id order.

    Bounded by the chunk's response id range on both tables (so the primary key and the answers'
    response index serve it) and by the questionnaires in scope: responses of other questionnaires that
    fall into the range, when several surveys run at once, are never read. No item filter: with one,
    SQLite walks the item index and reads every answer of each item once per chunk. Columns are taken
    from the driver's tuples straight into typed arrays (int64, int64, object).
    """
    first, last = int(ids.iloc[0]), int(ids.iloc[-1])
    statement = (
        select(Answer.response_id, Answer.item_id, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.response_id.between(first, last),
            Response.id.between(first, last),
            Response.questionnaire_id.in_(questionnaire_ids),
        )
    )
    result = db.session.connection().execute(statement)
    rows = result.cursor.fetchall()
    result.close()
    count = len(rows)
    return (
        np.fromiter(map(itemgetter(0), rows), dtype=np.int64, count=count),
        np.fromiter(map(itemgetter(1), rows), dtype=np.int64, count=count),
        np.fromiter(map(itemgetter(2), rows), dtype=object, count=count),
    )


def read_answers(ids: pd.Series, code_of: dict[int, str], questionnaire_ids: list[int]) -> pd.DataFrame:
    """The answers (response_id, item_id, value, code) of one chunk's responses, raw values as stored."""
    response_id, item_id, value = answer_arrays(ids, questionnaire_ids)
    answers = pd.DataFrame({"response_id": response_id, "item_id": item_id, "value": value})
    answers["code"] = answers["item_id"].map(code_of)
    return answers[answers["code"].notna()]


def iter_frames(
    scope: Scope, filters: Filters | None = None, labels_lang: str | None = None, chunk: int = CHUNK,
    keep_declined: bool = False,
) -> Iterator[pd.DataFrame]:
    """Wide typed frames of submitted responses, ``chunk`` responses at a time, in response id order;
    `keep_declined` for exports (see ``column_spec``)."""
    specs = [column_spec(item, scope.history, labels_lang, keep_declined) for item in scope.items]
    questionnaire_ids = [q.id for q in scope.questionnaires]
    frames = _frames(iter_meta(scope, filters, chunk), specs, answer_codes(scope), questionnaire_ids)
    unoffered = _unoffered(scope)
    return (_blank_unoffered(frame, unoffered) for frame in frames) if unoffered else frames


def _unoffered(scope: Scope) -> dict[str, list[Key]]:
    """Multiple-choice column -> the versions that did not offer its option (an option added or deleted)."""
    return {f"{item.code}_{code}": sorted(keys) for item in scope.items if item.kind.multi
            for code, keys in scope.history.not_offering(item).items()}


def _blank_unoffered(frame: pd.DataFrame, unoffered: dict[str, list[Key]]) -> pd.DataFrame:
    """An option the respondent's version did not offer is blank in its 0/1 column: not chosen is no 0."""
    pairs = pd.MultiIndex.from_arrays([frame["questionnaire_id"].astype("int64"), frame["version"].astype("int64")])
    for column, keys in unoffered.items():
        frame.loc[pairs.isin(keys), column] = pd.NA
    return frame


def _frames(
    metas: Iterator[pd.DataFrame], specs: list[ColumnSpec], code_of: dict[int, str], questionnaire_ids: list[int]
) -> Iterator[pd.DataFrame]:
    position = {spec.code: n for n, spec in enumerate(specs)}
    item_ids = pd.Index(list(code_of), dtype="int64")
    spec_of_item = np.array([position.get(code, -1) for code in code_of.values()] + [-1], dtype=np.int64)
    for meta in metas:
        ids = meta["response_id"]
        response_id, item_id, value = answer_arrays(ids, questionnaire_ids)
        # get_indexer gives -1 for items outside the scope, which picks the trailing -1 of spec_of_item.
        answers = LongAnswers(response_id, spec_of_item[item_ids.get_indexer(item_id)], value)
        index = pd.Index(ids, name="response_id")
        items = item_columns_frame(specs, answers, index)
        frame = pd.concat([meta.set_index(index), items], axis=1).reset_index(drop=True)
        frame.attrs[EXCLUDED] = items.attrs[EXCLUDED]
        frame.attrs[DECLINED] = items.attrs[DECLINED]
        yield frame


def response_frame(
    scope: Scope, filters: Filters | None = None, labels_lang: str | None = None, keep_declined: bool = False
) -> pd.DataFrame:
    """All submitted responses in scope as one frame (see ``iter_frames``).

    ``attrs["excluded"]`` counts the numeric values left out as unusable, per item code; ``attrs["declined"]``
    lists the responses that answered an item with its coded "don't know" (see ``pivot``).
    """
    frames = list(iter_frames(scope, filters, labels_lang, keep_declined=keep_declined))
    if not frames:
        return _empty_frame(scope, labels_lang)
    excluded, declined = merge_excluded(frames), merge_declined(frames)
    frame = pd.concat(frames, ignore_index=True)
    frame.attrs[EXCLUDED], frame.attrs[DECLINED] = excluded, declined
    return frame


def _empty_frame(scope: Scope, labels_lang: str | None) -> pd.DataFrame:
    index = pd.Index([], dtype="int64", name="response_id")
    meta = pd.DataFrame(
        {
            "response_id": pd.Series([], dtype="int64"),
            "questionnaire_id": [],
            "lang": pd.Series([], dtype="str"),
            "version": pd.Series([], dtype="int64"),
            "started_at": pd.Series([], dtype="datetime64[ns, UTC]"),
            "submitted_at": pd.Series([], dtype="datetime64[ns, UTC]"),
            **{c: pd.Series([], dtype="str") for c in respondents.RESPONDENT_COLUMNS},
            "wave_position": pd.Series([], dtype="Int64"),
        },
        index=index,
    )
    none = np.zeros(0, dtype=np.int64)
    specs = [column_spec(item, scope.history, labels_lang) for item in scope.items]
    items = item_columns_frame(specs, LongAnswers(none, none, np.zeros(0, dtype=object)), index)
    return pd.concat([meta, items], axis=1).reset_index(drop=True)


def item_columns(scope: Scope, item: Item) -> list[str]:
    """Its column names over every version of the scope (see ``column_spec``)."""
    return [column.name for column in scope.history.columns(item)]
