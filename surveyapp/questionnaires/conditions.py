"""Conditions and skip rules checked against their questionnaire, and kept right when codes change.

`surveyapp.logic` knows the language; this module knows what a questionnaire allows in it: only items that
take an answer, only items the respondent has met before (an earlier page, or earlier on the same page), only
option codes the item has, a skip only forward. Every refusal is a DomainError whose message names the item
or page and the position in the text, so a builder can find the mistake. The checks return the text to store
(trimmed: positions in a message count from its first character).

Texts pipe answers in by `{code}` (surveyapp.piping): `check_pipes` holds them to the same rule, an earlier
answered item (or an invitation's fact), so a typo or a later item is refused rather than shown blank.

Codes only change before responses exist (questionnaires.service refuses later): `follow_rename` then
rewrites every condition, skip rule and {code} pipe that names the old code; `dependants` says who would lose
an item that is to be deleted.
"""
import re
from collections.abc import Iterable, Iterator

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError
from surveyapp.logic import (
    Call,
    Compare,
    ExpressionError,
    Literal,
    Ref,
    option_literals,
    parse,
    references,
    rename,
    rename_option,
    walk,
)
from surveyapp.logic.evaluate import DATE, NUMBER, same_value
from surveyapp.piping import FACTS, PLACEHOLDER, placeholders
from surveyapp.questionnaires.models import Item, Option, Questionnaire
from surveyapp.questionnaires.slots import ITEM_NAMES

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


def check_pipes(owner: Item | Option | Questionnaire, key: str, lang: str, text: str | None,
                codes: set[str] | None = None) -> None:
    """Refuse a `{code}` in text `key` of `owner` (in `lang`) that names neither an answered item the
    respondent meets before the text nor one of piping.FACTS. Titles and thank-you texts are not piped.
    With `codes`, only the placeholders naming one of them are checked."""
    reader = _pipe_reader(owner, key, lang)
    if reader is None or "{" not in (text or ""):
        return
    where, questionnaire, earlier = reader
    items = {item.code: item for item in questionnaire.items}
    for match in PLACEHOLDER.finditer(text):
        code, position = match.group(1), match.start() + 1
        if code in FACTS or (codes is not None and code not in codes):
            continue
        try:
            if code not in items:
                raise ExpressionError(_l("“%(pipe)s” at position %(position)s names no item: use the code of an "
                                         "earlier question, {place} or {date}.", pipe=match.group(0),
                                         position=position), position)
            _check_reference(Ref(code, position), items[code], earlier)
        except ExpressionError as error:
            raise ConditionError(_l("%(where)s: %(problem)s", where=where, problem=error.message),
                                 position) from error


def check_all_pipes(questionnaire: Questionnaire) -> None:
    """Check every piped text again, after pages moved."""
    for owner, row in _owned_text_rows(questionnaire):
        check_pipes(owner, row.key, row.lang, row.text)


def _pipe_reader(owner, key: str, lang: str):
    """(how a message names the text, its questionnaire, which items it may pipe) or None: not piped."""
    if isinstance(owner, Option):
        item = owner.item
        return (_l("Option “%(option)s” of “%(item)s” (%(lang)s)", option=owner.code, item=item.code, lang=lang),
                item.questionnaire, lambda other: _before(other, item))
    if isinstance(owner, Item):
        return (_l("“%(item)s”, %(text)s (%(lang)s)", item=owner.code, text=ITEM_NAMES.get(key, key), lang=lang),
                owner.questionnaire, lambda other: _before(other, owner))
    if key == "intro":  # shown on the first page
        return _l("Introduction (%(lang)s)", lang=lang), owner, lambda other: False
    number = key.removeprefix("page.")
    if key.startswith("page.") and number.isdigit():
        return (_l("Title of page %(number)s (%(lang)s)", number=number, lang=lang), owner,
                lambda other: other.page < int(number))
    return None


def check_readers(item: Item) -> None:
    """Check again the conditions, skip rules and piped texts that read `item` or its parts, after it moved:
    each must still read only what comes before it (its own condition is checked when it is saved), and so
    must its own texts."""
    moved = {item.code, *(part.code for part in item.parts)}
    questionnaire = item.questionnaire
    for other in questionnaire.items:
        if moved.intersection(_condition_codes(other.condition)):
            check_item_condition(other, other.condition)
    for page in questionnaire.pages:
        if moved.intersection(_condition_codes(page.condition)):
            check_page_condition(questionnaire, page.number, page.condition)
        if any(moved.intersection(_condition_codes(rule.get("when"))) for rule in page.skips or ()):
            check_skips(questionnaire, page.number, page.skips)
    for owner, row in _owned_text_rows(questionnaire):
        own = (owner.item if isinstance(owner, Option) else owner) in (item, *item.parts)
        if own or moved.intersection(placeholders(row.text)):  # elsewhere: only what pipes the moved items
            check_pipes(owner, row.key, row.lang, row.text, None if own else moved)


def follow_rename(questionnaire: Questionnaire, old: str, new: str) -> None:
    """Point every condition, skip rule and {old} pipe of `questionnaire` at item code `new` instead."""
    _rewrite(questionnaire, lambda text: rename(text, old, new))
    pipe = re.compile(r"\{" + re.escape(old) + r"\}")
    for row in _text_rows(questionnaire):
        if pipe.search(row.text):
            row.text = pipe.sub(lambda _match: "{" + new + "}", row.text)


def follow_option_rename(item: Item, old: str, new: str) -> None:
    """Write option code `new` where conditions and skip rules compare `item` (or a matrix row sharing its
    options) with its option `old`."""
    for member in (item, *item.parts):
        _rewrite(item.questionnaire, lambda text, code=member.code: rename_option(text, code, old, new))


def dependants(questionnaire: Questionnaire, code: str) -> list[str]:
    """What reads item `code`: items (by code) whose condition or wording names it, pages ("page 2")."""
    return [reader for reader, codes in _readings(questionnaire) if code in codes]


def option_dependants(item: Item, code: str) -> list[str]:
    """What compares `item` with its option `code`: items (by code) and pages, by their conditions."""
    readers = []
    for reader, text in _logic_texts(item.questionnaire):
        tree = _tree(text)
        if tree and any(same_value(literal.value, code) for literal in option_literals(tree, item.code)):
            readers.append(reader)
    return list(dict.fromkeys(readers))


def check_deletable(item: Item) -> None:
    """Refuse deleting `item` (and its parts) while anything else reads them."""
    leaving = [item.code, *(part.code for part in item.parts)]
    readers = [reader for code in leaving for reader in dependants(item.questionnaire, code)
               if reader not in leaving]
    _refuse_while_read(item.code, readers)


def check_option_deletable(option) -> None:
    """Refuse deleting an option while a condition compares its item (or a matrix row sharing its options)
    with it: the condition would silently never hold."""
    item = option.item
    _refuse_while_read(option.code, [reader for member in (item, *item.parts)
                                     for reader in option_dependants(member, option.code)])


def _refuse_while_read(code: str, readers: list[str]) -> None:
    if readers:
        raise DependedOn(_l("“%(code)s” cannot be deleted: it is used by %(readers)s. Change them first.",
                            code=code, readers=", ".join(dict.fromkeys(readers))))


def _rewrite(questionnaire: Questionnaire, change) -> None:
    """Apply `change` (text -> text) to every condition and skip rule, assigning only what it changes."""
    for item in questionnaire.items:
        if item.condition and change(item.condition) != item.condition:
            item.condition = change(item.condition)
    for page in questionnaire.pages:
        if page.condition and change(page.condition) != page.condition:
            page.condition = change(page.condition)
        skips = [{**rule, "when": change(rule["when"])} if rule.get("when") else rule for rule in page.skips or ()]
        if skips != list(page.skips or ()):
            page.skips = skips


def _logic_texts(questionnaire: Questionnaire) -> Iterator[tuple[str, str]]:
    """(who, condition text) of every item condition, page condition and skip rule."""
    for item in questionnaire.items:
        if item.condition:
            yield item.code, item.condition
    for page in questionnaire.pages:
        for text in (page.condition, *(rule.get("when") for rule in page.skips or ())):
            if text:
                yield _("page %(number)s", number=page.number), text


def _readings(questionnaire: Questionnaire) -> Iterator[tuple[str, set[str]]]:
    """(who, the item codes it reads) for each item, each page and the questionnaire's own texts."""
    conditions: dict[str, set[str]] = {}
    for reader, text in _logic_texts(questionnaire):
        conditions.setdefault(reader, set()).update(_condition_codes(text))
    for item in questionnaire.items:
        yield item.code, conditions.get(item.code, set()) | _piped(_item_text_rows(item))
    for number in questionnaire.page_numbers:
        reader = _("page %(number)s", number=number)
        titles = (row for row in questionnaire.texts if row.key == f"page.{number}")
        yield reader, conditions.get(reader, set()) | _piped(titles)
    yield _("the questionnaire's texts"), _piped(row for row in questionnaire.texts
                                                 if not row.key.startswith("page."))


def _checked(text, prefix, questionnaire: Questionnaire, earlier) -> str | None:
    """Parse `text` and check what it reads; `earlier(item)` says whether an item may be read.

    Anything but a text (a number in posted JSON) is checked as the text it shows, so it is refused as what
    it is ("5" is a value, not a condition) rather than taken for a blank condition that always holds."""
    text = ("" if text is None else str(text)).strip()
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
        elif isinstance(node, Call) and node.name == "count":
            _check_count(node, items[node.args[0].code])


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


def _check_count(node: Call, item: Item) -> None:
    """count() counts the options chosen: any other item has one answer or none (use answered/empty)."""
    if not item.kind.multi:
        raise ExpressionError(_l("“count” at position %(position)s counts the options chosen in a multiple "
                                 "choice, and “%(code)s” is not one: use answered(%(code)s) or compare it.",
                                 position=node.position, code=item.code), node.position)


def _check_option(item: Item, value: Literal) -> None:
    """A coded item only ever holds its option codes: comparing with anything else is a typing mistake."""
    if not item.kind.coded:
        return
    codes = [choice.code for choice in item.kind.offered(item, item.questionnaire.default_lang)]  # "dk" too
    if not any(same_value(value.value, code) for code in codes):
        raise ExpressionError(_l("“%(value)s” at position %(position)s is not an option code of “%(code)s” "
                                 "(its codes: %(codes)s).", value=value.value, position=value.position,
                                 code=item.code, codes=", ".join(codes)), value.position)


def _target(questionnaire: Questionnaire, number: int, to, prefix) -> int | str:
    if isinstance(to, str) and to.strip().isascii() and to.strip().isdigit():
        to = int(to)
    if to == END:
        return END
    if isinstance(to, int) and not isinstance(to, bool) and to > number and to in questionnaire.page_numbers:
        return to
    raise ConditionError(_l("%(where)s: go to a later page or to the end (not “%(to)s”).", where=prefix,
                            to=str(to)[:20]))


def _tree(text: str | None):
    """The tree of a stored condition; None for a blank or broken one (it reads nothing reliably)."""
    try:
        return parse(text) if text and text.strip() else None
    except ExpressionError:
        return None


def _condition_codes(text: str | None) -> list[str]:
    tree = _tree(text)
    return references(tree) if tree else []


def _piped(rows: Iterable) -> set[str]:
    return {code for row in rows for code in placeholders(row.text)}


def _item_text_rows(item: Item) -> Iterator:
    yield from item.texts
    for option in item.options:
        yield from option.texts


def _owned_text_rows(questionnaire: Questionnaire) -> Iterator[tuple[object, object]]:
    """(owner, text row) of every text: the questionnaire's, each item's, each option's."""
    yield from ((questionnaire, row) for row in questionnaire.texts)
    for item in questionnaire.items:
        yield from ((item, row) for row in item.texts)
        yield from ((option, row) for option in item.options for row in option.texts)


def _text_rows(questionnaire: Questionnaire) -> Iterable:
    yield from questionnaire.texts
    for item in questionnaire.items:
        yield from _item_text_rows(item)


def _before(other: Item, item: Item) -> bool:
    """Whether the respondent meets `other` before `item`: an earlier page, or earlier on the same page."""
    return other is not item and (other.page, other.position or 0) < (item.page, item.position or 0)
