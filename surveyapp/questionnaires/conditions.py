"""Conditions and skip rules checked against their questionnaire, and kept right when codes change.

`surveyapp.logic` knows the language; this module knows what a questionnaire allows in it: only items that
take an answer, only items the respondent has met before (an earlier page, or earlier on the same page), only
option codes the item has, a skip only forward. Every refusal is a DomainError whose message names the item
or page and the position in the text, so a builder can find the mistake. The checks return the text to store
(trimmed: positions in a message count from its first character).

Codes only change before responses exist (questionnaires.service refuses later): `follow_rename` then
rewrites every condition, skip rule and {code} pipe that names the old code; `dependants` says who would lose
an item that is to be deleted.
"""
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError
from surveyapp.logic import Call, Compare, ExpressionError, Literal, Ref, parse, references, rename, walk
from surveyapp.logic.evaluate import DATE, NUMBER
from surveyapp.piping import placeholders
from surveyapp.questionnaires.models import Item, Questionnaire

END = "end"
MAX_SKIPS = 20
ORDERING = frozenset({"<", "<=", ">", ">="})


class ConditionError(DomainError):
    """A condition or skip rule the questionnaire cannot use; `position` in its text (None: the rule as such)."""

    status_code = 422

    def __init__(self, message, position: int | None = None):
        super().__init__(message)
        self.position = position


class DependedOn(DomainError):
    """Deleting the item would leave conditions or pipes naming an item that no longer exists."""

    status_code = 409


def check_item_condition(item: Item, text: str | None) -> str | None:
    """The condition to store for `item` (None for a blank one), or ConditionError."""
    prefix = _l("Condition of “%(item)s”", item=item.code)
    return _checked(text, prefix, item.questionnaire, lambda other: _before(other, item))


def check_page_condition(questionnaire: Questionnaire, number: int, text: str | None) -> str | None:
    """The condition to store for page `number`: it may read the answers of earlier pages only."""
    prefix = _l("Condition of page %(number)s", number=number)
    return _checked(text, prefix, questionnaire, lambda other: other.page < number)


def check_skips(questionnaire: Questionnaire, number: int, skips) -> list[dict]:
    """The skip rules to store for page `number`: each on answers up to this page, each going forward.

    A blank `when` always holds (skip unconditionally); `to` is a later page's number or "end"."""
    if not isinstance(skips, list | tuple) or len(skips) > MAX_SKIPS:
        raise ConditionError(_l("A page has at most %(num)s skip rules.", num=MAX_SKIPS))
    checked = []
    for rule_number, rule in enumerate(skips, start=1):
        prefix = _l("Skip rule %(rule)s of page %(number)s", rule=rule_number, number=number)
        if not isinstance(rule, dict):
            raise ConditionError(_l("%(where)s: a rule needs a condition and a page to go to.", where=prefix))
        when = _checked(rule.get("when"), prefix, questionnaire, lambda other: other.page <= number)
        checked.append({"when": when or "", "to": _target(questionnaire, number, rule.get("to"), prefix)})
    return checked


def follow_rename(questionnaire: Questionnaire, old: str, new: str) -> None:
    """Point every condition, skip rule and {old} pipe of `questionnaire` at item code `new` instead."""
    for item in questionnaire.items:
        if item.condition:
            item.condition = rename(item.condition, old, new)
    for page in questionnaire.pages:
        if page.condition:
            page.condition = rename(page.condition, old, new)
        if any(rule.get("when") for rule in page.skips or ()):
            page.skips = [{**rule, "when": rename(rule.get("when") or "", old, new)} for rule in page.skips]
    pipe = re.compile(r"\{" + re.escape(old) + r"\}")
    for row in _text_rows(questionnaire):
        if pipe.search(row.text):
            row.text = pipe.sub(lambda _match: "{" + new + "}", row.text)


def dependants(questionnaire: Questionnaire, code: str) -> list[str]:
    """What reads item `code`: items (by code) whose condition or wording names it, pages ("page 2")."""
    found = [item.code for item in questionnaire.items if code in _condition_codes(item.condition)
             or any(code in placeholders(row.text) for row in _item_text_rows(item))]
    for page in questionnaire.pages:
        texts = [page.condition, *(rule.get("when") for rule in page.skips or ())]
        piped = any(code in placeholders(row.text) for row in questionnaire.texts if row.key == f"page.{page.number}")
        if piped or any(code in _condition_codes(text) for text in texts):
            found.append(_("page %(number)s", number=page.number))
    if any(code in placeholders(row.text) for row in questionnaire.texts if not row.key.startswith("page.")):
        found.append(_("the questionnaire's texts"))
    return list(dict.fromkeys(found))


def check_deletable(item: Item) -> None:
    """Refuse deleting `item` (and its parts) while anything else reads them."""
    leaving = {item.code, *(part.code for part in item.parts)}
    readers = [reader for code in leaving for reader in dependants(item.questionnaire, code)
               if reader not in leaving]
    if readers:
        raise DependedOn(_l("“%(item)s” cannot be deleted: %(readers)s use its answer. Change them first.",
                            item=item.code, readers=", ".join(dict.fromkeys(readers))))


def _checked(text, prefix, questionnaire: Questionnaire, earlier) -> str | None:
    """Parse `text` and check what it reads; `earlier(item)` says whether an item may be read."""
    text = (text or "").strip() if isinstance(text, str | None) else ""
    if not text:
        return None
    try:
        tree = parse(text)
        _check_tree(tree, questionnaire, earlier)
    except ExpressionError as error:
        raise ConditionError(_l("%(where)s: %(problem)s", where=prefix, problem=error.message),
                             error.position) from error
    return text


def _check_tree(tree, questionnaire: Questionnaire, earlier) -> None:
    items = {item.code: item for item in questionnaire.items}
    for node in walk(tree):  # every item first: the checks of comparisons below look their items up
        if isinstance(node, Ref):
            _check_reference(node, items.get(node.code), earlier)
    for node in walk(tree):
        if isinstance(node, Compare):
            _check_comparison(node, items)
        elif isinstance(node, Call) and node.name == "selected":
            _check_selected(node, items[node.args[0].code])


def _check_reference(ref: Ref, item: Item | None, earlier) -> None:
    code, position = ref.code, ref.position
    if item is None:
        raise ExpressionError(_l("unknown item “%(code)s” at position %(position)s.", code=code,
                                 position=position), position)
    if item.kind.composite:
        parts = ", ".join(part.code for part in item.parts[:3]) or "…"
        raise ExpressionError(_l("“%(code)s” at position %(position)s has no answer of its own: use its parts "
                                 "(%(parts)s).", code=code, position=position, parts=parts), position)
    if not item.kind.answered:
        raise ExpressionError(_l("“%(code)s” at position %(position)s is a text to read and takes no answer.",
                                 code=code, position=position), position)
    if not earlier(item):
        raise ExpressionError(_l("“%(code)s” at position %(position)s is not asked before this (page "
                                 "%(page)s): only earlier answers can be used.", code=code, position=position,
                                 page=item.page), position)


def _check_comparison(node: Compare, items: dict[str, Item]) -> None:
    for value, other in ((node.right, node.left), (node.left, node.right)):
        if not isinstance(value, Literal):
            continue
        if node.op in ORDERING and not (NUMBER.fullmatch(value.value) or DATE.fullmatch(value.value)):
            raise ExpressionError(_l("“%(op)s” at position %(position)s compares numbers or dates, and "
                                     "“%(value)s” is neither.", op=node.op, position=value.position,
                                     value=value.value), value.position)
        if node.op not in ORDERING and isinstance(other, Ref):
            _check_option(items[other.code], value)


def _check_selected(node: Call, item: Item) -> None:
    if not item.kind.coded:
        raise ExpressionError(_l("“selected” at position %(position)s needs an item with options, and "
                                 "“%(code)s” has none: compare it instead, e.g. %(code)s = 'text'.",
                                 position=node.position, code=item.code), node.position)
    _check_option(item, node.args[1])


def _check_option(item: Item, value: Literal) -> None:
    """A coded item only ever holds its option codes: comparing with anything else is a typing mistake."""
    if not item.kind.coded:
        return
    codes = item.kind.option_codes(item)
    if not any(_same_code(value.value, code) for code in codes):
        raise ExpressionError(_l("“%(value)s” at position %(position)s is not an option code of “%(code)s” "
                                 "(its codes: %(codes)s).", value=value.value, position=value.position,
                                 code=item.code, codes=", ".join(codes)), value.position)


def _same_code(value: str, code: str) -> bool:
    """Equal as the evaluator compares: `q = 1` matches the code "1" (and "01": both are numbers)."""
    if NUMBER.fullmatch(value) and NUMBER.fullmatch(code):
        return Decimal(value) == Decimal(code)
    return value == code


def _target(questionnaire: Questionnaire, number: int, to, prefix) -> int | str:
    if isinstance(to, str) and to.strip().isascii() and to.strip().isdigit():
        to = int(to)
    if to == END:
        return END
    if isinstance(to, int) and not isinstance(to, bool) and to > number and to in questionnaire.page_numbers:
        return to
    raise ConditionError(_l("%(where)s: go to a later page or to the end (not “%(to)s”).", where=prefix,
                            to=str(to)[:20]))


def _condition_codes(text: str | None) -> list[str]:
    if not text or not text.strip():
        return []
    try:
        return references(parse(text))
    except ExpressionError:
        return []


def _item_text_rows(item: Item) -> Iterator:
    yield from item.texts
    for option in item.options:
        yield from option.texts


def _text_rows(questionnaire: Questionnaire) -> Iterable:
    yield from questionnaire.texts
    for item in questionnaire.items:
        yield from _item_text_rows(item)


def _before(other: Item, item: Item) -> bool:
    """Whether the respondent meets `other` before `item`: an earlier page, or earlier on the same page."""
    return other is not item and (other.page, other.position or 0) < (item.page, item.position or 0)
