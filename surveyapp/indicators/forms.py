"""The indicator form: which item and figure, the target (a percentage for a share), grouping and period."""

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from surveyapp.forms import StaffForm
from surveyapp.indicators.models import Indicator


class IndicatorForm(StaffForm):
    name = StringField(_l("Name (e.g. Drives more carefully)"), validators=[DataRequired(), Length(max=200)])
    item_code = SelectField(_l("Item"))
    statistic = SelectField(_l("Figure"), choices=[
        SelectChoice("share", _l("Share agreeing (top boxes) or answering yes")),
        SelectChoice("mean", _l("Mean (number or 0–10 item)"))])
    top_boxes = IntegerField(_l("Top boxes counted as agreeing (for a share of a scale)"), default=2,
                             validators=[InputRequired(), NumberRange(1, 10)])
    target = DecimalField(_l("Target: a percentage for a share, a value on the item's scale for a mean"),
                          validators=[InputRequired()])
    direction = SelectField(_l("The target is met"), choices=[
        SelectChoice("at_least", _l("at or above it")),
        SelectChoice("at_most", _l("at or below it"))])
    dimension = SelectField(_l("Show per"), choices=[
        SelectChoice("site", _l("Site (provider)")),
        SelectChoice("session", _l("Session")),
        SelectChoice("all", _l("All respondents together"))])
    period = SelectField(_l("Period"), choices=[
        SelectChoice("wave", _l("Wave")),
        SelectChoice("quarter", _l("Quarter (submission date)")),
        SelectChoice("year", _l("Year (submission date)"))])

    def show(self, indicator: Indicator) -> None:
        """Fill the form from a stored indicator: a share's target as a percentage."""
        self.process(obj=indicator)
        if indicator.statistic == "share":
            self.target.data = round(indicator.target * 100, 6)

    def values(self) -> dict:
        fields = ("name", "item_code", "statistic", "top_boxes", "direction", "dimension", "period")
        target = float(self.target.data)
        return {**{key: self[key].data for key in fields},
                "target": target / 100 if self.statistic.data == "share" else target}


class DeleteForm(StaffForm):
    """Nothing but the CSRF token."""
