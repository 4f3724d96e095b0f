"""Validation rules a manager sets on an item: a text's length and pattern, how many choices may be ticked.

Each rule is a settings part (the builder shows it for the types that take it), a check of the settings when
saved, a WTForms validator on the respondent's page and a hint shown before anyone errs. Messages are in the
interface language, which follows the page's language; a pattern's message may be worded per language by
the manager (item text "invalid").

A pattern is a regular expression the whole answer must match. Python's `re` backtracks, so a pattern is
refused unless it is small and cannot blow up: at most MAX_PATTERN characters, no backreferences or
lookarounds, no repeated group that itself repeats or offers alternatives, at most MAX_VARIABLE_REPEATS
repeats of variable length (three make at most 500³ steps on the longest short text).
"""
import re
from re import _parser as sre_parse  # its tree is what the safety check reads

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from surveyapp.errors import DomainError
from surveyapp.itemtypes.base import SettingsPart

MAX_PATTERN = 200
MAX_VARIABLE_REPEATS = 3
MATCHED_UP_TO = 500  # longer answers are refused by their length anyway, never matched

LENGTH_PART = SettingsPart(_l("Answer length"), {
    "min_length": IntegerField(_l("Text: at least this many characters"), validators=[Optional(), NumberRange(1)]),
    "max_length": IntegerField(_l("Text: at most this many characters"), validators=[Optional(), NumberRange(1)]),
})

PATTERN_PART = SettingsPart(_l("Answer format"), {
    "pattern": StringField(_l("Text: pattern the answer must match (a regular expression)"),
                           validators=[Optional(), Length(max=MAX_PATTERN)],
                           description=_l("For experts, e.g. [0-9]{4} for a four-digit postcode. The whole "
                                          "answer must match.")),
    "invalid": StringField(_l("Message when the answer does not match (empty: “Please use the format "
                              "asked for.”)"), validators=[Optional(), Length(max=300)]),
}, text_keys=("invalid",))

CHOICES_PART = SettingsPart(_l("Number of answers"), {
    "min_choices": IntegerField(_l("Multiple choice: at least this many answers"),
                                validators=[Optional(), NumberRange(1, 100)]),
    "max_choices": IntegerField(_l("Multiple choice: at most this many answers"),
                                validators=[Optional(), NumberRange(1, 100)]),
})


def check_range(settings: dict, low_key: str, high_key: str, most: int | None = None) -> None:
    """Refuse a lower bound above the upper one, a bound below 1 or (`most`) above what the type allows."""
    low, high = settings.get(low_key), settings.get(high_key)
    for value in (low, high):
        if value is not None and (not isinstance(value, int) or value < 1 or (most and value > most)):
            raise DomainError(_l("Please give a whole number from 1 to %(most)s.", most=most or 100))
    if low is not None and high is not None and low > high:
        raise DomainError(_l("The minimum must not be greater than the maximum."))


# --- text length ---
class TextLength:
    """Refuse a text shorter or longer than the item allows (a blank answer is the required check's)."""

    def __init__(self, low: int | None, high: int | None):
        self.low, self.high = low, high

    def __call__(self, form, field):
        text = field.data or ""
        if text and ((self.low and len(text) < self.low) or (self.high and len(text) > self.high)):
            raise ValidationError(length_text(self.low, self.high, error=True))


def length_text(low: int | None, high: int | None, *, error: bool) -> str | None:
    if low and high:
        return (_("Please write from %(min)s to %(max)s characters.", min=low, max=high) if error
                else _("From %(min)s to %(max)s characters.", min=low, max=high))
    if low:
        return (ngettext("Please write at least %(num)d character.", "Please write at least %(num)d characters.",
                         low) if error else
                ngettext("At least %(num)d character.", "At least %(num)d characters.", low))
    if high:
        return (ngettext("Please write at most %(num)d character.", "Please write at most %(num)d characters.",
                         high) if error else
                ngettext("Up to %(num)d character.", "Up to %(num)d characters.", high))
    return None


# --- pattern ---
def check_pattern(pattern: str | None) -> str | None:
    """The pattern as stored (None when blank); DomainError naming what is wrong with it."""
    if pattern is None or not pattern.strip():
        return None
    if len(pattern) > MAX_PATTERN:
        raise DomainError(_l("A pattern has at most %(num)s characters.", num=MAX_PATTERN))
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as error:
        raise DomainError(_l("This pattern is no valid regular expression: %(problem)s.",
                             problem=str(getattr(error, "msg", error)))) from None
    _check_safe(tree)
    return pattern


_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT}
_REFUSED = {sre_parse.GROUPREF, sre_parse.GROUPREF_EXISTS, sre_parse.ASSERT, sre_parse.ASSERT_NOT}


def _check_safe(tree) -> None:
    variable = _walk(tree, repeated=False)
    if variable > MAX_VARIABLE_REPEATS:
        raise DomainError(_l("This pattern is too complex: please use at most %(num)s repeats such as + or *.",
                             num=MAX_VARIABLE_REPEATS))


def _walk(tree, *, repeated: bool) -> int:
    """The number of variable repeats in `tree`; DomainError for what could make matching take forever."""
    count = 0
    for op, argument in tree:
        if op in _REFUSED:
            raise DomainError(_l("This pattern uses a backreference or a lookaround, which are not allowed."))
        if op in _REPEATS:
            low, high, body = argument
            if repeated and low != high:
                raise DomainError(_l("This pattern is too complex: a repeated group may not repeat inside."))
            inner = repeated or _compound(body)
            count += (low != high) + _walk(body, repeated=inner)
        elif op is sre_parse.BRANCH:
            if repeated:
                raise DomainError(_l("This pattern is too complex: a repeated group may not offer "
                                     "alternatives; use a character class such as [ab] instead."))
            count += sum(_walk(branch, repeated=False) for branch in argument[1])
        elif op is sre_parse.SUBPATTERN:
            count += _walk(argument[-1], repeated=repeated)
        elif op is sre_parse.ATOMIC_GROUP:
            count += _walk(argument, repeated=repeated)
    return count


def _compound(body) -> bool:
    """Whether a repeat's body is more than one character (a group): one that repeats or branches inside is
    what backtracks exponentially."""
    return len(body) != 1 or body[0][0] in (sre_parse.SUBPATTERN, sre_parse.BRANCH)


class Pattern:
    """Refuse a non-empty answer that does not wholly match `pattern`; `message` is the item's own wording in
    the page's language, else the default (lazy: in the interface language)."""

    def __init__(self, pattern: str, message: str | None):
        self.pattern = re.compile(pattern)
        self.message = message or _l("Please use the format asked for.")

    def __call__(self, form, field):
        text = field.data or ""
        if text and len(text) <= MATCHED_UP_TO and not self.pattern.fullmatch(text):
            raise ValidationError(str(self.message))


# --- how many choices ---
class ChoiceCount:
    """Refuse fewer or more ticked options than the item allows; `alone` (an exclusive option, ticked on its
    own) is a whole answer whatever the minimum. Nothing ticked is the required check's."""

    def __init__(self, low: int | None, high: int | None, alone: str | None = None):
        self.low, self.high, self.alone = low, high, alone

    def __call__(self, form, field):
        chosen = list(field.data or ())
        if not chosen or (self.alone and chosen == [self.alone]):
            return
        if (self.low and len(chosen) < self.low) or (self.high and len(chosen) > self.high):
            raise ValidationError(count_text(self.low if len(chosen) < (self.low or 0) else None,
                                             self.high if len(chosen) > (self.high or len(chosen)) else None,
                                             error=True))


def count_text(low: int | None, high: int | None, *, error: bool) -> str | None:
    if error:
        if low:
            return ngettext("Please choose at least %(num)d answer.", "Please choose at least %(num)d answers.", low)
        return ngettext("Please choose at most %(num)d answer.", "Please choose at most %(num)d answers.", high)
    if low and high:
        return _("Choose from %(min)s to %(max)s.", min=low, max=high)
    if low:
        return ngettext("Choose at least %(num)d.", "Choose at least %(num)d.", low)
    if high:
        return ngettext("Choose up to %(num)d.", "Choose up to %(num)d.", high)
    return None
