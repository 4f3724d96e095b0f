"""A checklist's results as plain rows: per visit, channel, scenario, channel × scenario section and item, with
the agreement of two shoppers per section. The page, the PDF and the CSV all render these.

Shoppers appear as “shopper 1, 2, …” numbered by their first visit: the report is about the service, not them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from surveyapp.mystery.models import CHANNELS, Checklist, ChecklistItem, Visit
from surveyapp.mystery.scoring import Agreement, Score, Scored, agreement, fraction, score


@dataclass(frozen=True)
class ItemResult:
    item: ChecklistItem
    score: Score
    not_applicable: int


@dataclass(frozen=True)
class Evidence:
    code: str
    shopper: int
    value: str
    note: str


@dataclass(frozen=True)
class VisitResult:
    visit: Visit
    shopper: int
    score: Score


@dataclass
class Section:
    """One channel and scenario: its score, its items, the two shoppers' agreement, the evidence notes."""

    channel: str
    scenario: str
    visits: list[VisitResult] = field(default_factory=list)
    score: Score | None = None
    items: list[ItemResult] = field(default_factory=list)
    agreement: Agreement | None = None
    compared: tuple[int, int] | None = None  # the shoppers whose first visits the agreement compares
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Results:
    checklist: Checklist
    overall: Score
    visits: list[VisitResult]
    channels: list[tuple[str, Score]]
    scenarios: list[tuple[str, Score]]
    items: list[ItemResult]
    sections: list[Section]


def _scored(visits: list[Visit]) -> list[Scored]:
    return [Scored(answer.item.points, fraction(answer.item.kind, answer.value))
            for visit in visits for answer in visit.answers]


def _ordered(checklist: Checklist) -> list[Visit]:
    return sorted(checklist.visits, key=lambda visit: (_aware(visit.visited_at), visit.id))


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: compare them all as naive UTC."""
    return moment.replace(tzinfo=None)


def build_results(checklist: Checklist) -> Results:
    visits = _ordered(checklist)
    numbers: dict[int, int] = {}
    for visit in visits:
        numbers.setdefault(visit.shopper_id, len(numbers) + 1)
    rows = [VisitResult(visit, numbers[visit.shopper_id], score(_scored([visit]))) for visit in visits]
    by_channel, by_scenario, by_section = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in rows:
        by_channel[row.visit.channel].append(row.visit)
        by_scenario[row.visit.scenario].append(row.visit)
        by_section[(row.visit.channel, row.visit.scenario)].append(row)
    order = sorted(by_section, key=lambda key: (CHANNELS.index(key[0]), key[1].casefold()))
    return Results(
        checklist=checklist,
        overall=score(_scored(visits)),
        visits=rows,
        channels=[(channel, score(_scored(by_channel[channel]))) for channel in CHANNELS if channel in by_channel],
        scenarios=[(name, score(_scored(by_scenario[name]))) for name in sorted(by_scenario, key=str.casefold)],
        items=_item_results(checklist, visits),
        sections=[_section(checklist, channel, scenario, by_section[(channel, scenario)])
                  for channel, scenario in order],
    )


def _item_results(checklist: Checklist, visits: list[Visit]) -> list[ItemResult]:
    values = defaultdict(list)
    for visit in visits:
        for answer in visit.answers:
            values[answer.item_id].append(answer.value)
    return [ItemResult(item, score(Scored(item.points, fraction(item.kind, value)) for value in values[item.id]),
                       values[item.id].count("na")) for item in checklist.items]


def _section(checklist: Checklist, channel: str, scenario: str, rows: list[VisitResult]) -> Section:
    visits = [row.visit for row in rows]
    section = Section(channel, scenario, rows, score(_scored(visits)), _item_results(checklist, visits))
    first = {}
    for row in rows:
        first.setdefault(row.shopper, row.visit)
    if len(first) >= 2:
        (one, a), (two, b) = list(first.items())[:2]
        section.compared = (one, two)
        section.agreement = agreement(_pairs(a, b))
    section.evidence = [Evidence(answer.item.code, row.shopper, answer.value, answer.evidence)
                        for row in rows for answer in row.visit.answers if answer.evidence]
    return section


def _pairs(a: Visit, b: Visit) -> list[tuple[str, str]]:
    """The two visits' values on each item both answered."""
    theirs = {answer.item_id: answer.value for answer in b.answers}
    return [(answer.value, theirs[answer.item_id]) for answer in a.answers if answer.item_id in theirs]
