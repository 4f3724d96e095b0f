"""A choice item's options typed or pasted one per line: "code = label", or only the label.

The syntax is strict, so nothing typed is silently read as something else: a line with "=" is a code (an
option code: a-z, 0-9, _) before its first "=" and a label after it, both required ("x = a = b" labels x
"a = b"); a line without "=" is a label, whose code is suggested from it.

Matching keeps what answers hold: a line naming an existing code, or an existing option's label in the language
being edited, is that option (reworded, reordered), so its code and its answers stay. Replacing the list deletes
the options not listed, unless a condition compares their item with them; once responses exist that, like any
added option, makes a new version (versions.py), as deleting an option one by one does. Flushes, never commits.
"""
import re

from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.questionnaires import parts, service
from surveyapp.questionnaires.codes import suggest_code
from surveyapp.questionnaires.conditions import check_option_deletable, check_pipes
from surveyapp.questionnaires.models import Item, Option, OptionText, set_text
from surveyapp.questionnaires.versions import keeping_meaning
from surveyapp.textclean import clean_text

CODE = re.compile(r"[a-z0-9][a-z0-9_]{0,63}")
MAX_OPTIONS = 200


def parse_lines(text: str) -> list[tuple[str | None, str]]:
    """"1 = Never\\nOften" -> [("1", "Never"), (None, "Often")]; blank lines dropped, a malformed one refused
    naming its number."""
    entries = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = clean_text(line)
        if line:
            entries.append(_entry(number, line))
    if not entries:
        raise DomainError(_l("Please enter at least one option, one per line."))
    if len(entries) > MAX_OPTIONS:
        raise DomainError(_l("An item has at most %(num)s options.", num=MAX_OPTIONS))
    return entries


def _entry(number: int, line: str) -> tuple[str | None, str]:
    """(code, label) of one non-blank line; (None, label) without "="."""
    if "=" not in line:
        return None, line
    code, label = (side.strip() for side in line.split("=", 1))
    if not code or not label:
        raise DomainError(_l("Line %(number)s (“%(line)s”): write an option code before “=” and its label "
                             "after it, or only the label.", number=number, line=line))
    if not CODE.fullmatch(code):
        raise DomainError(_l("Line %(number)s: “%(code)s” is not an option code: use lower-case letters a–z, "
                             "digits and _ (a label containing “=” needs its code first: “code = label”).",
                             number=number, code=code))
    return code, label


def set_options(item: Item, text: str, lang: str, *, replace: bool) -> None:
    """Add the listed options after the existing ones, or (`replace`) make them the item's options in order."""
    entries = parse_lines(text)
    with keeping_meaning(item.questionnaire, "options replaced" if replace else "options added"):
        listed = _match(item, entries, lang)
        if replace:  # appended options are last already
            for option in [option for option in item.options if option not in listed]:
                check_option_deletable(option)  # no condition may compare its item with it
                item.options.remove(option)
            _renumber(item, listed)
        parts.follow(item)  # a ranking ranks its options
        db.session.flush()


def _match(item: Item, entries: list[tuple[str | None, str]], lang: str) -> list[Option]:
    """The option each line stands for, existing (its label set to the line's) or appended; a line naming the
    same option as an earlier one (its code, or its label in any letter case) is refused, adding or replacing."""
    by_code = {option.code: option for option in item.options}
    by_label = {option.label(lang).casefold(): option for option in item.options}
    taken = set(by_code)
    listed: list[Option] = []
    for code, label in entries:
        option = by_code.get(code) if code else by_label.get(label.casefold())
        if option is None:
            code = code or suggest_code(label, taken, fallback=str(len(taken) + 1), letter_first=False)
            option = service.new_option(item, code, {})
            taken.add(code)
            by_code[code], by_label[label.casefold()] = option, option  # a later line repeating it is refused
        elif option in listed:
            raise DomainError(_l("The option %(code)s is listed twice.", code=option.code))
        check_pipes(option, "label", lang, label)
        set_text(option, OptionText, "label", lang, label)
        listed.append(option)
    return listed


def _renumber(item: Item, order: list[Option]) -> None:
    for position, option in enumerate(order, start=1):
        option.position = position
    item.options.sort(key=lambda option: option.position)
