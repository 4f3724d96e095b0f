"""A respondent's way through a questionnaire: which items and pages are shown, given the answers known so far.

`answers` map item codes to their values as stored (Answer.value strings): the response's kept answers plus,
after a POST, the page's posted ones. Item and page conditions and skip rules are in the logic language
(surveyapp.logic); a blank condition always holds.

Two ways of judging an item whose condition reads an item on its own page:
- open (`judged=False`, for drawing a page and for planning the way ahead): it is shown, since the respondent
  may still give the answer that shows it (without JavaScript nothing hides it; with it, static/logic.js does);
- judged (`judged=True`, after a POST): the condition decides, on what was posted.
Everything else is decided the same either way. Pure domain: no HTTP, no database.
"""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from surveyapp.logic import ExpressionError, Node, evaluate, parse, references
from surveyapp.piping import placeholders
from surveyapp.questionnaires.models import Item, Questionnaire

Answers = Mapping[str, Sequence[str]]
END = None  # Walk.next_page after the last page of the way: the response is submitted


@lru_cache(maxsize=4096)
def parsed(text: str) -> Node | None:
    """The tree of a condition (parsed once per process: trees are immutable); None for a broken one."""
    try:
        return parse(text)
    except ExpressionError:
        return None


def holds(text: str | None, answers: Answers) -> bool:
    """A blank condition holds; so does one that no longer parses (checked when saved: rather shown than lost)."""
    if not text or not text.strip():
        return True
    node = parsed(text)
    return node is None or evaluate(node, answers)


def same_page_codes(item: Item) -> set[str]:
    """The codes of items on the item's own page that its condition reads."""
    node = parsed(item.condition) if item.condition and item.condition.strip() else None
    if node is None:
        return set()
    on_page = {other.code for other in item.questionnaire.items_on(item.page) if other.id != item.id}
    return on_page.intersection(references(node))


def item_shown(item: Item, answers: Answers, *, judged: bool) -> bool:
    """Its condition holds (open: or it reads its own page), and so does its parent's, for a part."""
    if item.parent is not None and not item_shown(item.parent, answers, judged=judged):
        return False
    if not judged and same_page_codes(item):
        return True
    return holds(item.condition, answers)


def applies(questionnaire: Questionnaire, page: int, answers: Answers) -> bool:
    """The page's own condition holds and something on it is shown (an empty page is skipped)."""
    settings = questionnaire.page(page)
    if settings is not None and not holds(settings.condition, answers):
        return False
    return any(item_shown(item, answers, judged=False) for item in questionnaire.items_on(page))


def skip_target(questionnaire: Questionnaire, page: int, answers: Answers) -> int | str | None:
    """Where the first skip rule of `page` that holds leads: a later page number or "end"; None: no rule does.
    A rule leading back is passed over (the checks refuse one; followed, it would loop)."""
    settings = questionnaire.page(page)
    for rule in (settings.skips or []) if settings is not None else []:
        if not isinstance(rule, Mapping) or not holds(rule.get("when"), answers):
            continue
        target = rule.get("to")
        if target == "end" or (isinstance(target, int) and not isinstance(target, bool) and target > page):
            return target
    return None


@dataclass(frozen=True)
class Walk:
    """The respondent's way through the questionnaire on the answers known: the pages on it (`way`), the items
    not shown (`hidden`, judged: off the way, or their condition fails) and the answers as they count
    (`answers`: without those of hidden items, so nothing hidden shows or skips anything)."""

    questionnaire: Questionnaire
    way: tuple[int, ...]
    hidden: frozenset[int]
    answers: Mapping[str, Sequence[str]]

    def shown(self, page: int, *, judged: bool) -> list[Item]:
        """The items of `page` that are shown, parts included, in page order (see the module docstring)."""
        items = self.questionnaire.items_on(page)
        if judged:
            return [item for item in items if item.id not in self.hidden]
        return [item for item in items if item_shown(item, self.answers, judged=False)]

    def hidden_answered(self) -> list[Item]:
        """The hidden items that take answers: what was kept of them must go."""
        return [item for item in self.questionnaire.items if item.kind.answered and item.id in self.hidden]

    def next_page(self, page: int) -> int | None:
        """The page of the way after `page`; END when there is none (`page` submits)."""
        return next((number for number in self.way if number > page), END)

    def may_follow(self, page: int) -> tuple[int, ...]:
        """Later pages off the way that an answer on `page` could still bring on: their condition or one of
        their items' reads `page`, or a skip rule of `page` does and they apply on the answers known. While the
        respondent is on `page` its answers are not final, so its button must not submit before they are."""
        codes = {item.code for item in self.questionnaire.items_on(page)}
        later = [number for number in self.questionnaire.page_numbers if number > page and number not in self.way]
        settings = self.questionnaire.page(page)
        skips = (settings.skips or []) if settings is not None else []
        skipping = any(codes & _reads(rule.get("when")) for rule in skips if isinstance(rule, Mapping))
        return tuple(number for number in later if codes & _page_reads(self.questionnaire, number)
                     or (skipping and applies(self.questionnaire, number, self.answers)))

    def previous_page(self, page: int) -> int:
        """Back from `page`: the page of the way before it (the way's first page for the first)."""
        return max((number for number in self.way if number < page), default=self.way[0])

    def nearest(self, page: int) -> int:
        """`page` if it is on the way, else the next page of the way after it, else the way's last."""
        return next((number for number in self.way if number >= page), self.way[-1])


def _reads(text: str | None) -> set[str]:
    """The item codes a condition reads (none for a blank or broken one)."""
    node = parsed(text) if text and text.strip() else None
    return set(references(node)) if node is not None else set()


def _page_reads(questionnaire: Questionnaire, page: int) -> set[str]:
    """The codes read by the page's condition and its items' conditions: what decides whether it applies."""
    settings = questionnaire.page(page)
    codes = _reads(settings.condition) if settings is not None else set()
    return codes.union(*(_reads(item.condition) for item in questionnaire.items_on(page)))


def walk(questionnaire: Questionnaire, answers: Answers) -> Walk:
    """Follow the way page by page: a page is on it when it applies and the page before leads to it (its first
    skip rule that holds, else simply the next page); the items of each page are judged on the answers of the
    items shown before them. The way is never empty: the first page stands in for none."""
    known = dict(answers)
    way, hidden = [], set()
    at_least, ended = questionnaire.page_numbers[0], False
    for number in questionnaire.page_numbers:
        on_way = not ended and number >= at_least and applies(questionnaire, number, known)
        for item in questionnaire.items_on(number):
            if not (on_way and item_shown(item, known, judged=True)):
                hidden.add(item.id)
                known.pop(item.code, None)
        if on_way:
            way.append(number)
            target = skip_target(questionnaire, number, known)
            ended = target == "end"
            at_least = target if isinstance(target, int) else number + 1
    return Walk(questionnaire, tuple(way or questionnaire.page_numbers[:1]), frozenset(hidden), known)


def uses_answers(questionnaire: Questionnaire) -> bool:
    """Whether any condition, skip rule or text reads answers. Without, nothing is hidden, the way is fixed and
    no answer is piped: a page needs no kept answers to be decided or drawn."""
    if any(item.condition for item in questionnaire.items) or any(
            page.condition or page.skips for page in questionnaire.pages):
        return True
    codes = {item.code for item in questionnaire.items}
    texts = [*questionnaire.texts, *(row for item in questionnaire.items for row in item.texts),
             *(row for item in questionnaire.items for option in item.options for row in option.texts)]
    return any(codes.intersection(placeholders(row.text)) for row in texts)
