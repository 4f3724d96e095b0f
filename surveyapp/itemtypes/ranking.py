"""Ranking: order k of n options; each option is a part (a `rank` item) holding the rank it was given.

The ranks are checked together (`check_group`): each rank at most once, from 1 without gaps, at most k of
them. A required ranking needs at least one rank; with `rank_exactly` a respondent who ranks at all ranks
exactly k (and a required ranking needs exactly k). Exports give one column per option holding its rank.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField, IntegerField
from wtforms.validators import NumberRange, Optional

from surveyapp.errors import DomainError
from surveyapp.itemtypes.base import ItemType, PartShape, SettingsPart, Statistic, register


@register
class Ranking(ItemType):
    code = "ranking"
    label = _l("Ranking")
    description = _l("Put options in order of preference.")
    widget = "ranking"
    has_options = True  # the options to rank; each gets a part
    answered = False
    composite = True
    statistics = (Statistic.RANKING,)
    settings_parts = (SettingsPart(_l("Ranking settings"), {
        "rank_at_most": IntegerField(_l("Ranking: rank at most this many options"),
                                     validators=[Optional(), NumberRange(1, 100)],
                                     description=_l("Empty: every option may be ranked.")),
        "rank_exactly": BooleanField(_l("Ranking: whoever ranks must rank exactly that many")),
    }),)

    def check_settings(self, settings):
        settings = super().check_settings(settings)
        if not settings.get("rank_exactly"):
            settings.pop("rank_exactly", None)  # False is the default: stored as absent
        return settings

    def check_item(self, item):
        """k beyond the options is a mistake (the hint would promise more than can be ranked); checked once the
        item has options."""
        most, options = item.settings.get("rank_at_most"), len(item.options)
        if most and options and int(most) > options:
            raise DomainError(ngettext("“Rank at most” is %(most)s, but the ranking has only %(num)d option.",
                                       "“Rank at most” is %(most)s, but the ranking has only %(num)d options.",
                                       options, most=most))

    def field(self, item, lang):
        return None

    def most(self, item) -> int:
        """k: how many options may be ranked (every option when not set, or set beyond them)."""
        options = len(item.options)
        return min(int(item.settings.get("rank_at_most") or options), options)

    def hint(self, item):
        most = self.most(item)
        if item.settings.get("rank_exactly"):
            return ngettext("Rank exactly %(num)d option: 1 for your first choice.",
                            "Rank exactly %(num)d options: 1 for your first choice.", most)
        if most < len(item.options):
            return ngettext("Rank up to %(num)d option: 1 for your first choice.",
                            "Rank up to %(num)d options: 1 for your first choice.", most)
        return _("Rank the options: 1 for your first choice, then 2 and so on.")

    def derived_parts(self, item):
        return [(option.code, {text.lang: text.text for text in option.texts if text.key == "label"})
                for option in item.options]

    def part_shape(self, item):
        return PartShape("rank", {"ranks": self.most(item)}, {}, [])

    def check_group(self, item, values):
        """`values`: the page's values by item code. The message goes to the first option's field (its select),
        so the error summary can link to it."""
        ranks = [_rank(values[part.code][0]) for part in item.parts if values.get(part.code)]
        message = _problem(ranks, self.most(item), item.required, bool(item.settings.get("rank_exactly")))
        return [(item.parts[0].code if item.parts else item.code, message)] if message else []


def _rank(value: str) -> int:
    return int(value) if str(value).isdecimal() else 0


def _problem(ranks: list[int], most: int, required: bool, exactly: bool) -> str | None:
    if len(set(ranks)) < len(ranks):
        return _("Please give each rank only once.")
    if sorted(ranks) != list(range(1, len(ranks) + 1)):
        return _("Please rank from 1 without gaps.")
    if len(ranks) > most:
        return ngettext("Please rank at most %(num)d option.", "Please rank at most %(num)d options.", most)
    if exactly and (ranks or required) and len(ranks) != most:
        return ngettext("Please rank exactly %(num)d option.", "Please rank exactly %(num)d options.", most)
    if required and not ranks:
        return _("Please rank at least one option.")
    return None
