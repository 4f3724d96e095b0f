"""Import of earlier answers into a questionnaire (and a wave of its programme): plan first, then all or nothing.

`plan` reads nothing but the questionnaire and what is stored already; it matches columns to item codes, checks
every cell with the item type's own rules (response_import.values) and lists every problem by row, column and
value. `apply` stores a plan without problems in the caller's transaction (flush, never commit): responses
marked as imported (`imported_from`, `import_key`), their answers, participants for panel codes not yet known
(a historical panel: no contact data, so no invitations) and the wave, created without invitations if missing.

Each row has a stable import key: the hash of the wave and the row's own id (a column `id` or `response_id`),
else of the wave, its panel code, its values and how often the same row came before it in the file. Importing
the same file again stores nothing twice: rows whose key is stored already are counted, not stored. surveyapp's
own export (its `response_id` and `imported` columns) is recognised: a row naming a response of this
questionnaire is stored already (answered here or imported before), and its headings need no mapping.
"""
import hashlib
import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from surveyapp.db import utcnow
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.itemtypes import ItemType
from surveyapp.participants.codes import normalise_panel_code
from surveyapp.participants.models import IMPORTED_ENROLMENT, Participant, TrainingSession
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.respond.route import uses_answers, walk
from surveyapp.response_import.reader import Sheet
from surveyapp.response_import.values import ItemCheck, Target, chosen_flag, normal, split_multi, unknown_option
from surveyapp.responses.models import Answer, Response
from surveyapp.textclean import normal_name
from surveyapp.waves.models import Wave

PANEL_CODE, SUBMITTED_AT, ROW_ID, IGNORE = "panel_code", "submitted_at", "id", ""
ROW_IDS = ("id", "response_id")
EXPORT_ID = "response_id"
# columns of surveyapp's own exports that are not answers: read past, so that an export imports as it is
EXPORT_META = ("lang", "version", "started_at", "wave", "session", "site", "imported", "flagged",
               "questionnaire_id")
MAX_SOURCE = 200  # Response.imported_from
MAX_PANEL_CODE = 16  # Participant.panel_code
MAX_WAVE_NAME = 80  # Wave.name
BATCH = 1000


class ImportRefused(DomainError):
    status_code = 422


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s, value '%(value)s': %(reason)s", row=self.row,
                 column=self.column, value=self.value, reason=self.reason)


@dataclass
class PlannedRow:
    number: int
    key: str
    answers: dict[int, list[str]]
    panel_code: str | None
    submitted_at: datetime | None


@dataclass
class ImportPlan:
    questionnaire: Questionnaire
    source: str
    wave_name: str | None
    columns: dict[str, str]  # file column -> what it fills: an item code, code_option, a special, "" (ignored)
    unmatched: list[str]
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already: int = 0  # rows imported before (their key is stored)
    new_participants: int = 0

    @property
    def refused(self) -> bool:
        return bool(self.problems or self.unmatched)

    @property
    def dated(self) -> bool:
        """Whether the file gives submission dates; without, responses are stored as submitted at import."""
        return SUBMITTED_AT in self.columns.values()

    def check_mapping(self, mapping: dict[str, str]) -> None:
        """ImportRefused (naming its `columns`) for a mapping of the same file that cannot be planned."""
        match_columns(self.questionnaire, [*self.columns, *self.unmatched], mapping)


def targets(questionnaire: Questionnaire) -> dict[str, Target | str]:
    """Every name a column may fill, case-folded: item codes, option columns of multiple choices, specials."""
    found: dict[str, Target | str] = {normal(name): name for name in (PANEL_CODE, SUBMITTED_AT)}
    found |= {name: ROW_ID for name in ROW_IDS}
    for item in questionnaire.items:
        if not item.kind.answered:
            continue
        found[normal(item.code)] = Target(item)
        if item.kind.multi:
            for code in item.kind.option_codes(item):
                found.setdefault(normal(f"{item.code}_{code}"), Target(item, code))
    return found


def target_choices(questionnaire: Questionnaire) -> list[str]:
    """What the mapping step offers for a column: item codes (and option columns), then the specials."""
    names = [item.code for item in questionnaire.items if item.kind.answered]
    return [*names, PANEL_CODE, SUBMITTED_AT, ROW_ID]


def match_columns(questionnaire, header: list[str], mapping: dict[str, str] | None) -> tuple[dict, list[str]]:
    """Column -> target name ("" ignored) and the columns left unmatched; DomainError for a mapping to nothing."""
    known, mapping = targets(questionnaire), {name: (code or "").strip() for name, code in (mapping or {}).items()}
    repeated = sorted(name for name, count in Counter(header).items() if name and count > 1)
    if repeated:
        raise ImportRefused(_l("Several columns have the same name: %(names)s.", names=", ".join(repeated)))
    columns, unmatched = {}, []
    for name in header:
        wanted = mapping.get(name, _as_exported(name))
        if name in mapping and wanted == IGNORE:
            columns[name] = IGNORE
        elif normal(wanted) in known:
            columns[name] = wanted
        elif name in mapping:
            raise ImportRefused(_l("Column “%(column)s” cannot be mapped to “%(code)s”: the questionnaire has "
                                   "no such item.", column=name, code=wanted))
        elif not name or normal(wanted) in EXPORT_META:
            columns[name] = IGNORE
        else:
            unmatched.append(name)
    filled = Counter(normal(target) for target in columns.values() if target)
    twice = sorted(name for name, count in filled.items() if count > 1)
    if twice:
        error = ImportRefused(_l("Several columns fill the same item: %(codes)s.", codes=", ".join(twice)))
        error.columns = [name for name, target in columns.items() if target and normal(target) in twice]
        raise error
    return columns, unmatched


def _as_exported(name: str) -> str:
    """A column name as surveyapp's exports mean it: XLSX headings say "submitted_at (UTC)"."""
    return re.sub(r"\s*\(UTC\)$", "", name, flags=re.IGNORECASE) if name else name


def plan(questionnaire: Questionnaire, sheet: Sheet, source: str, mapping: dict[str, str] | None = None,
         wave_name: str | None = None) -> ImportPlan:
    """Check every row of `sheet` against `questionnaire`; nothing is stored (see the module docstring)."""
    wave_name = normal_name(wave_name) if wave_name else None
    if wave_name and len(wave_name) > MAX_WAVE_NAME:
        raise ImportRefused(_l("A wave's name has at most %(n)s characters.", n=MAX_WAVE_NAME))
    wave = _wave(questionnaire, wave_name) if wave_name else None
    columns, unmatched = match_columns(questionnaire, sheet.header, mapping)
    result = ImportPlan(questionnaire, normal_name(source)[:MAX_SOURCE] or "import", wave_name, columns, unmatched)
    reader = _RowReader(questionnaire, sheet, columns)
    seen: Counter = Counter()
    first_with: dict[str, int] = {}
    for number, cells in sheet.rows:
        row = reader.read(number, cells, result.problems)
        if row is None:
            continue
        row_id = reader.row_id(cells)
        row.key = hashlib.sha256(_identity(wave_name, row, row_id, seen).encode()).hexdigest()
        if row.key in first_with:  # only an id column can repeat a key
            result.problems.append(Problem(number, reader.id_column, row_id or "",
                                           _("the id of row %(row)s again", row=first_with[row.key])))
            continue
        first_with[row.key] = number
        result.rows.append(row)
    stored = _stored_keys(questionnaire, [row.key for row in result.rows])
    if _is_an_export(sheet.header):
        stored |= _exported_keys(questionnaire, reader, sheet, result.rows)
    result.already = sum(row.key in stored for row in result.rows)
    result.rows = [row for row in result.rows if row.key not in stored]
    _check_panel(questionnaire, wave, result)
    return result


def _is_an_export(header: list[str]) -> bool:
    """surveyapp's own export: its `response_id` is the id of a response stored here (if this is its database)."""
    names = {normal(name) for name in header}
    return {EXPORT_ID, "imported"} <= names


def _exported_keys(questionnaire: Questionnaire, reader, sheet: Sheet, rows: list[PlannedRow]) -> set[str]:
    """The keys of rows of an export whose `response_id` names a response of this questionnaire: they are
    stored already (answered here, or imported before), never stored twice."""
    index = next(index for index, name in enumerate(sheet.header) if normal(name) == EXPORT_ID)
    cells = dict(sheet.rows)
    by_id = {cells[row.number][index].strip(): row.key for row in rows}
    ids = sorted(int(value) for value in by_id if value.isascii() and value.isdigit() and len(value) < 18)
    found: set[str] = set()
    for start in range(0, len(ids), BATCH):
        found |= {str(id_) for id_ in db.session.scalars(select(Response.id).where(
            Response.questionnaire_id == questionnaire.id, Response.id.in_(ids[start:start + BATCH])))}
    return {by_id[value] for value in found}


def _identity(wave_name, row: PlannedRow, row_id: str | None, seen: Counter) -> str:
    if row_id:
        return json.dumps(["id", wave_name, row_id])
    content = json.dumps([wave_name, row.panel_code, sorted(row.answers.items()),
                          row.submitted_at and row.submitted_at.isoformat()])
    seen[content] += 1  # the same answers twice in a file are two respondents: the n-th keeps its own key
    return json.dumps([content, seen[content]])


class _RowReader:
    """Reads one row into a PlannedRow, adding each problem to the list it is given."""

    def __init__(self, questionnaire: Questionnaire, sheet: Sheet, columns: dict[str, str]):
        known = targets(questionnaire)
        self.sheet = sheet
        self.filled = [(index, name, known[normal(columns[name])]) for index, name in enumerate(sheet.header)
                       if columns.get(name)]
        self.checks = {target.item.id: ItemCheck(target.item, questionnaire.languages)
                       for _index, _name, target in self.filled if isinstance(target, Target)}
        self.column_of = {target.item.code: name for _index, name, target in self.filled
                          if isinstance(target, Target)}
        self.groups = [item for item in questionnaire.items if _checks_a_group(item)
                       and ({item.code, *(part.code for part in item.parts)} & set(self.column_of))]
        # required items the file has a column for (earlier rounds may not have asked the others at all)
        self.required = [item for item in questionnaire.items
                         if item.required and item.kind.answered and item.code in self.column_of]
        self.questionnaire, self.logic = questionnaire, uses_answers(questionnaire)

    @property
    def id_column(self) -> str:
        return next((name for _index, name, target in self.filled if target == ROW_ID), ROW_ID)

    def row_id(self, cells: list[str]) -> str | None:
        return next((cells[index].strip() for index, _name, target in self.filled
                     if target == ROW_ID and cells[index].strip()), None)

    def read(self, number: int, cells: list[str], problems: list[Problem]) -> PlannedRow | None:
        before = len(problems)
        row = PlannedRow(number, "", {}, None, None)
        raw: dict[int, tuple[str, str, list[str]]] = {}
        for index, name, target in self.filled:
            text = cells[index].strip()
            if isinstance(target, Target):
                codes = self._codes(target, name, text, number, problems)
                if codes:
                    raw.setdefault(target.item.id, (name, text, []))[2].extend(codes)
            elif target == PANEL_CODE and text:
                row.panel_code = self._panel_code(name, text, number, problems)
            elif target == SUBMITTED_AT and text:
                row.submitted_at = self._moment(name, text, number, problems)
            elif target == SUBMITTED_AT:  # stored "now", it would stretch the wave's fielding period
                problems.append(Problem(number, name, "", _("no submission date")))
        for item_id, (name, text, codes) in raw.items():
            try:
                row.answers[item_id] = self.checks[item_id].values(codes)
            except ValueError as error:
                problems.append(Problem(number, name, text, str(error)))
        if len(problems) == before and self.groups:
            self._check_groups(row, raw, problems)
        if len(problems) == before:
            self._check_required(row, problems)
        return row if len(problems) == before else None

    def _check_required(self, row: PlannedRow, problems: list[Problem]) -> None:
        """A row answers something, and every required item it was shown, as the respondent's page demands."""
        if not row.answers:
            problems.append(Problem(row.number, "", "", _("this row answers no question")))
            return
        values = {self.checks[item_id].item.code: answers for item_id, answers in row.answers.items()}
        hidden = walk(self.questionnaire, values).hidden if self.logic else frozenset()
        for item in self.required:
            if item.id not in hidden and not row.answers.get(item.id):
                problems.append(Problem(row.number, self.column_of[item.code], "",
                                        _("“%(code)s” is required but not answered", code=item.code)))

    def _check_groups(self, row: PlannedRow, raw: dict, problems: list[Problem]) -> None:
        """A composite's parts together (ranks given once each, "other" written out), as its page checks
        them; only where the row answers some of it: earlier rounds may not have asked it at all."""
        values = {self.checks[item_id].item.code: answers for item_id, answers in row.answers.items()}
        texts = {self.checks[item_id].item.code: text for item_id, (_name, text, _codes) in raw.items()}
        for item in self.groups:
            if not any(values.get(code) for code in (item.code, *(part.code for part in item.parts))):
                continue
            for code, message in item.kind.check_group(item, values):
                problems.append(Problem(row.number, self.column_of.get(code, code), texts.get(code, ""), message))

    def _codes(self, target: Target, name: str, text: str, number: int, problems: list[Problem]) -> list[str]:
        """The values a cell gives its item: option codes of a coded item, else the text as it is."""
        check = self.checks[target.item.id]
        if target.option is not None:
            chosen = chosen_flag(text)
            if chosen is None:
                problems.append(Problem(number, name, text, _("please use 1 (chosen) or 0 (not chosen)")))
            return [target.option] if chosen else []
        if not text:
            return []
        if not check.kind.coded:
            return [text]
        labels = self.sheet.labels.get(name, {})
        parts = split_multi(text) if check.kind.multi else [text]
        codes = [check.code_of(part, labels.get(part)) for part in parts]
        if None in codes:
            problems.append(Problem(number, name, text, unknown_option(check)))
            return []
        return codes

    @staticmethod
    def _panel_code(name: str, text: str, number: int, problems: list[Problem]) -> str | None:
        code = normalise_panel_code(text)
        if len(code) > MAX_PANEL_CODE:
            problems.append(Problem(number, name, text, _("a panel code has at most %(n)s characters",
                                                          n=MAX_PANEL_CODE)))
            return None
        return code

    @staticmethod
    def _moment(name: str, text: str, number: int, problems: list[Problem]) -> datetime | None:
        try:
            moment = datetime.fromisoformat(text.replace("T", " ").strip())
        except ValueError:
            problems.append(Problem(number, name, text, _("please give a date as YYYY-MM-DD, with a time if "
                                                          "known (YYYY-MM-DD HH:MM)")))
            return None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if moment > utcnow():
            problems.append(Problem(number, name, text, _("this date lies in the future")))
            return None
        return moment


def _checks_a_group(item) -> bool:
    return type(item.kind).check_group is not ItemType.check_group


def _wave(questionnaire: Questionnaire, name: str) -> Wave | None:
    """The programme's wave of that name (case and spacing ignored), None if it is still to be created; a wave
    that asks another questionnaire is refused."""
    for wave in db.session.scalars(select(Wave).where(Wave.programme_id == questionnaire.programme_id)):
        if normal(wave.name) == normal(name):
            if wave.questionnaire_id != questionnaire.id:
                raise ImportRefused(_l("The wave “%(wave)s” asks another questionnaire; responses to this one "
                                       "cannot be added to it.", wave=wave.name))
            return wave
    return None


def _check_panel(questionnaire: Questionnaire, wave: Wave | None, result: ImportPlan) -> None:
    """Panel codes of another programme are refused; one response per panel code in a wave, and (without a
    wave) to the questionnaire outside any wave: a corrected file imported again adds nobody's second."""
    column = next((name for name, target in result.columns.items() if target == PANEL_CODE), PANEL_CODE)
    codes = {row.panel_code for row in result.rows if row.panel_code}
    known = _participants_of(codes)
    result.new_participants = len(codes - set(known))
    answered = set() if result.wave_name and wave is None else _answered(questionnaire, wave, codes)
    counted: Counter = Counter()
    for row in result.rows:
        code = row.panel_code
        if code is None:
            continue
        counted[code] += 1
        if code in known and known[code][1] != questionnaire.programme_id:
            reason = _("this panel code belongs to another programme")
        elif counted[code] > 1:
            reason = _("this panel code has a row above already: one response per wave")
        elif code in answered and wave is None:
            reason = _("this participant has a response to this questionnaire already")
        elif code in answered:
            reason = _("this participant has a response in this wave already")
        else:
            continue
        result.problems.append(Problem(row.number, column, code, reason))


def _participants_of(codes) -> dict[str, tuple[int, int]]:
    """Panel code -> (participant id, programme id) of the codes known already."""
    found: dict[str, tuple[int, int]] = {}
    listed = sorted(codes)
    for start in range(0, len(listed), BATCH):
        rows = db.session.execute(select(Participant.panel_code, Participant.id, Participant.programme_id)
                                  .where(Participant.panel_code.in_(listed[start:start + BATCH])))
        found |= {code: (id_, programme_id) for code, id_, programme_id in rows}
    return found


def _answered(questionnaire: Questionnaire, wave: Wave | None, codes: set[str]) -> set[str]:
    """The codes with a response in the wave, or (without one) to the questionnaire outside any wave."""
    query = select(Participant.panel_code).join(Response, Response.participant_id == Participant.id)
    if wave is None:
        query = query.where(Response.questionnaire_id == questionnaire.id, Response.wave_id.is_(None))
    else:
        query = query.where(Response.wave_id == wave.id)
    return set(db.session.scalars(query)) & codes


def _stored_keys(questionnaire: Questionnaire, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), BATCH):
        found |= set(db.session.scalars(select(Response.import_key).where(
            Response.questionnaire_id == questionnaire.id, Response.import_key.in_(keys[start:start + BATCH]))))
    return found


@dataclass(frozen=True)
class Imported:
    responses: int
    already: int
    participants: int
    wave: str | None


def apply(result: ImportPlan, now: datetime | None = None) -> Imported:
    """Store a plan without problems in the current transaction (the caller commits); ImportRefused otherwise."""
    if result.refused:
        raise ImportRefused(_l("Nothing was imported: the file has problems (see the report)."))
    try:
        return _store(result, now or utcnow())
    except IntegrityError:  # the same rows or panel codes stored at this moment by another import
        raise ImportRefused(_l("These rows were being imported at the same time; nothing was imported. Please "
                               "check the responses and try again.")) from None


def _store(result: ImportPlan, now: datetime) -> Imported:
    questionnaire = result.questionnaire
    wave = _ensure_wave(questionnaire, result.wave_name) if result.wave_name and result.rows else None
    participants = _participants(questionnaire, result, now)
    page = questionnaire.page_numbers[-1]
    responses = [{
        "questionnaire_id": questionnaire.id, "key": secrets.token_urlsafe(24), "lang": questionnaire.default_lang,
        "page": page, "started_at": row.submitted_at or now, "submitted_at": row.submitted_at or now,
        "questionnaire_version": questionnaire.version, "participant_id": participants.get(row.panel_code),
        "wave_id": wave.id if wave else None, "imported_from": result.source, "import_key": row.key,
    } for row in result.rows]
    ids = _insert_returning(Response, responses, "import_key")
    _insert_answers([(ids[row.key], item_id, value)
                     for row in result.rows for item_id, values in row.answers.items() for value in values])
    return Imported(len(responses), result.already, result.new_participants, wave.name if wave else None)


# PostgreSQL: one statement with three arrays per batch; psycopg sends an executemany row by row
_ANSWERS_UNNEST = text("INSERT INTO answers (response_id, item_id, value) SELECT * FROM unnest("
                       "CAST(:responses AS integer[]), CAST(:items AS integer[]), CAST(:values AS text[]))")


def _insert_answers(answers: list[tuple[int, int, str]]) -> None:
    postgres = db.session.connection().dialect.name == "postgresql"
    for start in range(0, len(answers), 10 * BATCH):
        batch = answers[start:start + 10 * BATCH]
        if postgres:
            responses, items, values = (list(column) for column in zip(*batch, strict=True))
            db.session.execute(_ANSWERS_UNNEST, {"responses": responses, "items": items, "values": values})
        else:
            db.session.execute(insert(Answer.__table__), [{"response_id": response_id, "item_id": item_id,
                                                           "value": value} for response_id, item_id, value in batch])


def _insert_returning(model, rows: list[dict], key: str) -> dict:
    """Insert `rows` in batches (one statement each); `key` value -> new id."""
    table, ids = model.__table__, {}
    for start in range(0, len(rows), BATCH):
        statement = insert(table).returning(table.c.id, table.c[key])
        ids |= {value: id_ for id_, value in db.session.execute(statement, rows[start:start + BATCH])}
    return ids


def _ensure_wave(questionnaire: Questionnaire, name: str) -> Wave:
    """The wave, created without invitations if missing: its answers were collected elsewhere."""
    wave = _wave(questionnaire, name)
    if wave is None:
        last = db.session.scalar(select(func.max(Wave.position)).where(Wave.programme_id == questionnaire.programme_id))
        wave = Wave(programme_id=questionnaire.programme_id, name=name, position=(last or 0) + 1,
                    questionnaire_id=questionnaire.id, reminder_days=[], max_reminders=0)
        db.session.add(wave)
        db.session.flush()
    return wave


def _participants(questionnaire: Questionnaire, result: ImportPlan, now: datetime) -> dict[str, int]:
    """Panel code -> participant id; codes not yet known become participants of one session standing for the
    import (held on the earliest date in the file), without contact data or consent: nobody is contacted. Its
    place (the "site" of exports and reports) is "Imported data", and its enrolment is closed (IMPORTED_ENROLMENT)."""
    codes = sorted({row.panel_code for row in result.rows if row.panel_code})
    known = {code: ids[0] for code, ids in _participants_of(codes).items()}
    missing = [code for code in codes if code not in known]
    if missing:
        dates = [row.submitted_at.date() for row in result.rows if row.submitted_at]
        session = TrainingSession(programme_id=questionnaire.programme_id, held_on=min(dates, default=date.today()),
                                  place=_("Imported data"), enrol_code=IMPORTED_ENROLMENT + secrets.token_urlsafe(9),
                                  created_at=now)
        db.session.add(session)
        db.session.flush()
        rows = [{"programme_id": questionnaire.programme_id, "session_id": session.id, "panel_code": code,
                 "created_at": now} for code in missing]
        known |= _insert_returning(Participant, rows, "panel_code")
    return known
