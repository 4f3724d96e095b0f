"""Choices a manager adds to a list with one tick: a coded "don't know" and "other, please specify".

"Don't know / prefer not to say" (setting `dont_know`, types with `declinable`) is a last choice stored as the
reserved code DONT_KNOW (base): an answer, yet no position on the scale, so reports count it apart and exports
carry it as a user-missing number. "Other, please specify" (setting `other`, single and multiple choice) is a
last choice coded OTHER that counts as any option does; what the respondent writes is a part of the item
(questionnaires.parts makes it: a short text item shown only while "other" is chosen), so it is answered,
exported and reported as an item of its own.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from surveyapp.itemtypes.base import Choice, SettingsPart, in_language

OTHER = "other"  # the code of the "other" choice

DONT_KNOW_PART = SettingsPart(_l("“Don’t know” answer"), {
    "dont_know": BooleanField(_l("Offer “Don't know / prefer not to say” as the last answer"),
                              description=_l("Counted apart in reports, left out of shares and means; "
                                             "exports give it the code -9.")),
    "dk": StringField(_l("Its wording (empty: “Don't know / prefer not to say”)"),
                      validators=[Optional(), Length(max=200)]),
}, text_keys=("dk",))

OTHER_PART = SettingsPart(_l("“Other, please specify”"), {
    "other": BooleanField(_l("Offer “Other” with a text box as the last option"),
                          description=_l("What is written there is exported and reported as an item of its own.")),
    "other_label": StringField(_l("Its wording (empty: “Other, please specify”)"),
                               validators=[Optional(), Length(max=200)]),
}, text_keys=("other_label",))

def offers_other(item) -> bool:
    return bool(item.settings.get("other"))


def other_label(item, lang: str) -> str:
    """The "other" choice's wording in `lang`: the item's own (text "other_label"), else the default."""
    with in_language(lang):
        return item.text("other_label", lang) or _("Other, please specify")


def with_other(item, choices: list[Choice], lang: str) -> list[Choice]:
    """`choices`, then "other" when the item offers it."""
    return [*choices, Choice(OTHER, other_label(item, lang))] if offers_other(item) else choices


def other_suffix(item) -> str:
    """The code suffix of its "other" text part: `colour_other`; a multiple choice's `tools_other` is already
    the 0/1 column of its "other" choice, so its text is `tools_other_text`."""
    return "other_text" if item.kind.multi else OTHER


def other_code(item) -> str:
    return f"{item.code}_{other_suffix(item)}"


def check_other(item, values) -> list[tuple[str, str]]:
    """"Other" chosen with nothing written in its text box: the box is flagged. (Text written without
    choosing "other" is never kept: the box is shown only while "other" is chosen.)"""
    if not offers_other(item) or OTHER not in (values.get(item.code) or ()):
        return []
    part_code = other_code(item)
    if any((value or "").strip() for value in values.get(part_code) or ()):
        return []
    return [(part_code, _("Please say what “other” is."))]
