"""The rank one option of a ranking was given (1 = first); a part of a `ranking` item.

Its setting `ranks` (copied from its ranking by questionnaires.parts) is how many ranks may be given, so a
rank item is understood without its ranking (exports, earlier versions). Shown as one select per option in
the ranking's widget ("–" for not ranked): keyboard operable without any script.
"""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from surveyapp.itemtypes.base import Choice, CleanValue, ItemType, Measure, Statistic, register

NOT_RANKED = "–"


@register
class Rank(ItemType):
    code = "rank"
    label = _l("Rank of an option")
    description = _l("The rank given to one option of a ranking.")
    part_only = True
    numeric = True
    measure = Measure.ORDINAL
    statistics = (Statistic.MEAN_MEDIAN,)
    reported_alone = False  # its ranking's table shows it

    def ranks(self, item) -> int:
        return int(item.settings.get("ranks") or 1)

    def choices(self, item, lang):
        return [Choice(str(n), str(n)) for n in range(1, self.ranks(item) + 1)]

    def validators(self, item):
        return [CleanValue(), Optional()]  # whether to rank is the ranking's question (check_group)

    def field(self, item, lang):
        choices = [SelectChoice("", NOT_RANKED)] + [SelectChoice(c.code, c.label) for c in self.choices(item, lang)]
        return SelectField(item.text("label", lang), choices=choices, validators=self.validators(item))
