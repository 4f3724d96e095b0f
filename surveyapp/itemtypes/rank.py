"""The rank one option of a ranking was given (1 = first); a part of a `ranking` item."""
from flask_babel import lazy_gettext as _l

from surveyapp.itemtypes.base import ItemType, Measure, Statistic, register


@register
class Rank(ItemType):
    code = "rank"
    label = _l("Rank of an option")
    description = _l("The rank given to one option of a ranking.")
    part_only = True
    numeric = True
    measure = Measure.ORDINAL
    statistics = (Statistic.MEAN_MEDIAN,)
