"""The 0–10 scale: eleven points in one row; reports show its distribution and its mean and median."""
from flask_babel import lazy_gettext as _l

from surveyapp.itemtypes.base import Choice, Measure, ScaleType, Statistic, register


@register
class ZeroToTen(ScaleType):
    code = "scale10"
    label = _l("0–10 scale")
    statistics = (Statistic.DISTRIBUTION, Statistic.MEAN_MEDIAN)
    measure = Measure.SCALE  # its mean is reported, so it is read as an interval scale

    def choices(self, item, lang):
        return [Choice(str(n), str(n)) for n in range(11)]
