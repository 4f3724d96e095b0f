"""Likert scale: 5 or 7 numbered points with worded ends; reports show the agreement share (top boxes)."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from surveyapp.errors import DomainError
from surveyapp.itemtypes.base import SCALE_ENDS, Choice, ScaleType, SettingsPart, Statistic, register
from surveyapp.itemtypes.extras import DONT_KNOW_PART

POINTS = (5, 7)


@register
class Likert(ScaleType):
    code = "likert"
    label = _l("Likert scale")
    description = _l("Agreement on a 5- or 7-point scale with labelled ends.")
    statistics = (Statistic.DISTRIBUTION, Statistic.AGREEMENT)
    chart = "stacked"
    declinable = True
    defaults = {"points": POINTS[0]}
    settings_parts = (SettingsPart(_l("Likert scale settings"), {
        "points": SelectField(_l("Likert: number of points"), coerce=int, default=POINTS[0],
                              choices=[SelectChoice(n, str(n)) for n in POINTS]),
    }), SCALE_ENDS, DONT_KNOW_PART)

    def check_settings(self, settings):
        settings = super().check_settings(settings)
        if "points" in settings and settings["points"] not in POINTS:
            raise DomainError(_l("A Likert scale has 5 or 7 points."))
        return settings

    def points(self, item) -> int:
        return int(item.settings.get("points", self.defaults["points"]))

    def choices(self, item, lang):
        return [Choice(str(n), str(n)) for n in range(1, self.points(item) + 1)]

    def share_codes(self, item, top):
        """The top `top` points ("agree" and "strongly agree" for 2 of 5); at least one point is left out."""
        codes = self.option_codes(item)
        if not 0 < top < len(codes):
            raise ValueError(f"top boxes must be from 1 to {len(codes) - 1}, got {top}")
        return codes[-top:]
