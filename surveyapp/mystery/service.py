"""Build checklists and record visits: each write validates everything first, so a refusal stores nothing.

Services flush, never commit: the view owns the transaction.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.mystery.models import CHANNELS, VALUES, Checklist, ChecklistItem, Visit, VisitAnswer

KIND_WORDS = {"yn": "yes_no_na", "yes/no": "yes_no_na", "yes_no_na": "yes_no_na",
              "1-5": "rating_1_5", "1–5": "rating_1_5", "rating": "rating_1_5", "rating_1_5": "rating_1_5"}
CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
MAX_POINTS = 100
MAX_ITEMS = 200
MAX_NOTE = 2000
MAX_SCENARIO = 200


class Invalid(DomainError):
    status_code = 422


class Locked(DomainError):
    status_code = 409


@dataclass(frozen=True)
class ItemSpec:
    code: str
    text: str
    kind: str
    points: int
    evidence_required: bool


def parse_items(text: str) -> list[ItemSpec]:
    """One item a line: `code | text | kind (yn or 1-5) | points (default 1) | evidence (optional)`.

    Every line is checked; the error names each bad line."""
    specs, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            spec = _parse_line(line)
            if isinstance(spec, str):
                problems.append(_("Line %(number)s: %(problem)s", number=number, problem=spec))
            else:
                specs.append(spec)
    codes = [spec.code.casefold() for spec in specs]
    if len(set(codes)) != len(codes):
        problems.append(_("Each item needs a code of its own."))
    if not specs and not problems:
        problems.append(_("Add at least one item."))
    if len(specs) > MAX_ITEMS:
        problems.append(_("At most %(count)s items.", count=MAX_ITEMS))
    if problems:
        raise Invalid(" ".join(problems))
    return specs


def _parse_line(line: str) -> ItemSpec | str:
    """The item of one line, or what is wrong with it."""
    parts = [part.strip() for part in line.split("|")]
    if len(parts) < 3 or len(parts) > 5:
        return _("write code | text | kind, then optionally points and “evidence”.")
    code, text, kind = parts[:3]
    points = parts[3] if len(parts) > 3 and parts[3] else "1"
    evidence = parts[4].casefold() if len(parts) > 4 else ""
    if not CODE.fullmatch(code):
        return _("the code must start with a letter and hold only letters, digits and _ (at most 40).")
    if not text or len(text) > 1000:
        return _("the item text must hold 1 to 1,000 characters.")
    if kind.casefold() not in KIND_WORDS:
        return _("the kind must be “yn” (yes / no / not applicable) or “1-5” (a rating).")
    if not points.isdigit() or not 1 <= int(points) <= MAX_POINTS:
        return _("points must be a whole number from 1 to %(most)s.", most=MAX_POINTS)
    if evidence not in ("", "evidence", _("evidence").casefold()):
        return _("the fifth column may only say “evidence”.")
    return ItemSpec(code, text, KIND_WORDS[kind.casefold()], int(points), bool(evidence))


def items_as_text(checklist: Checklist) -> str:
    """The items in the builder's one-line format, to edit them again."""
    kinds = {"yes_no_na": "yn", "rating_1_5": "1-5"}
    return "\n".join(" | ".join([item.code, item.text, kinds[item.kind], str(item.points)]
                                + (["evidence"] if item.evidence_required else []))
                     for item in checklist.items)


def _channels(channels: list[str]) -> str:
    chosen = [channel for channel in CHANNELS if channel in channels]
    if not chosen or len(chosen) != len(set(channels)):
        raise Invalid(_("Choose at least one channel: web, phone or counter."))
    return ",".join(chosen)


def create_checklist(programme_id: int, title: str, lang: str, channels: list[str], items: str) -> Checklist:
    checklist = Checklist(programme_id=programme_id, title=title, lang=lang, channels=_channels(channels))
    _set_items(checklist, parse_items(items))
    db.session.add(checklist)
    db.session.flush()
    return checklist


def update_checklist(checklist: Checklist, title: str, channels: list[str], items: str) -> None:
    """Title and channels always; the items only while no visit was recorded (their scores would change)."""
    specs = parse_items(items)
    offered = _channels(channels)
    if checklist.visits and [_spec(item) for item in checklist.items] != specs:
        raise Locked(_("Visits were recorded with these items: they can no longer be changed."))
    used = {visit.channel for visit in checklist.visits}
    if not used <= set(offered.split(",")):
        raise Locked(_("Visits were recorded on a channel you removed: keep it."))
    checklist.title, checklist.channels = title, offered
    if not checklist.visits:
        checklist.items.clear()
        db.session.flush()  # the old codes go before the new rows may reuse them
        _set_items(checklist, specs)
    db.session.flush()


def _spec(item: ChecklistItem) -> ItemSpec:
    return ItemSpec(item.code, item.text, item.kind, item.points, item.evidence_required)


def _set_items(checklist: Checklist, specs: list[ItemSpec]) -> None:
    checklist.items = [ChecklistItem(position=position, code=spec.code, text=spec.text, kind=spec.kind,
                                     points=spec.points, evidence_required=spec.evidence_required)
                       for position, spec in enumerate(specs, start=1)]


@dataclass(frozen=True)
class VisitInput:
    """What a shopper recorded: values and evidence notes by item id (as the form posts them)."""

    channel: str
    scenario: str
    visited_at: datetime
    notes: str
    values: dict[int, str]
    evidence: dict[int, str]


def record_visit(checklist: Checklist, shopper_id: int, entry: VisitInput) -> Visit:
    """Store a visit with an answer to every item, or refuse with every problem named and store nothing."""
    problems = _visit_problems(checklist, entry)
    if problems:
        raise Invalid(" ".join(problems))
    visit = Visit(checklist_id=checklist.id, shopper_id=shopper_id, channel=entry.channel,
                  scenario=" ".join(entry.scenario.split()), visited_at=entry.visited_at, notes=entry.notes,
                  answers=[VisitAnswer(item_id=item.id, value=entry.values[item.id],
                                       evidence=entry.evidence.get(item.id, "").strip())
                           for item in checklist.items])
    db.session.add(visit)
    db.session.flush()
    return visit


def latest_visit_day() -> date:
    """Today somewhere on earth (UTC+14): a visit on a later day has not happened yet."""
    return (datetime.now(UTC) + timedelta(hours=14)).date()


def _visit_problems(checklist: Checklist, entry: VisitInput) -> list[str]:
    problems = []
    if entry.visited_at.date() > latest_visit_day():
        problems.append(_("The date of the visit cannot be in the future."))
    if entry.channel not in checklist.channel_list:
        problems.append(_("Choose one of this checklist's channels."))
    if not entry.scenario.strip() or len(entry.scenario) > MAX_SCENARIO:
        problems.append(_("Describe the scenario in 1 to %(most)s characters.", most=MAX_SCENARIO))
    if len(entry.notes) > MAX_NOTE or any(len(note) > MAX_NOTE for note in entry.evidence.values()):
        problems.append(_("A note may hold at most %(most)s characters.", most=MAX_NOTE))
    for item in checklist.items:
        value = entry.values.get(item.id)
        if value not in VALUES[item.kind]:
            problems.append(_("%(code)s: choose one of the answers.", code=item.code))
        elif item.evidence_required and value != "na" and not entry.evidence.get(item.id, "").strip():
            problems.append(_("%(code)s: an evidence note is required.", code=item.code))
    return problems


def programme_checklists(programme_id: int) -> list[Checklist]:
    return list(db.session.scalars(select(Checklist).where(Checklist.programme_id == programme_id)
                                   .order_by(Checklist.created_at, Checklist.id)))
