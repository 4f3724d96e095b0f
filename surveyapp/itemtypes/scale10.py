"""The 0–10 scale: eleven points in one row; reports show its distribution and its mean and median."""
from flask_babel import lazy_gettext as _l

from surveyapp.itemtypes.base import SCALE_ENDS, Choice, Measure, ScaleType, Statistic, register
from surveyapp.itemtypes.extras import DONT_KNOW_PART


@register
class ZeroToTen(ScaleType):
    code = "scale10"
    label = _l("0–10 scale")
    description = _l("A rating from 0 to 10, e.g. how likely someone is to recommend a service.")
    statistics = (Statistic.DISTRIBUTION, Statistic.MEAN_MEDIAN)
    measure = Measure.SCALE  # its mean is reported, so it is read as an interval scale
    declinable = True
    settings_parts = (SCALE_ENDS, DONT_KNOW_PART)

    def choices(self, item, lang):
        return [Choice(str(n), str(n)) for n in range(11)]
