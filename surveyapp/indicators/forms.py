"""The indicator form: which item and figure, the target (a percentage for a share), grouping and period."""

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from surveyapp.forms import FiniteNumber, StaffForm
from surveyapp.indicators.models import Indicator

PLAIN_DECIMAL = re.compile(r"[+-]?\d+([.,]\d+)?")  # 70.5 or 70,5: no grouping


class LocaleDecimalField(DecimalField):
    """A decimal typed with a point or the UI locale's decimal comma: "70,5" is 70.5 in German as in English."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip()
        self.data = None
        if PLAIN_DECIMAL.fullmatch(text) and "," not in text:
            self.data = Decimal(text)
            return
        try:
            self.data = parse_decimal(text, locale=get_locale() or "en", strict=True)
        except (InvalidOperation, NumberFormatError, ValueError):
            if not PLAIN_DECIMAL.fullmatch(text):  # "70,5" where a comma groups thousands: still a decimal comma
                raise ValueError(self.gettext("Not a valid decimal value.")) from None
            self.data = Decimal(text.replace(",", "."))
        if self.data.is_finite() and abs(self.data) < FiniteNumber.LIMIT:
            self.raw_data = [format(self.data, "f")]  # what FiniteNumber checks: digits and a point

    def _value(self):
        """The stored target as entered, no places added or lost: 85, 80.9, 80.125 (a number input's point)."""
        if self.raw_data or self.data is None:
            return super()._value()
        return format(Decimal(str(self.data)).normalize(), "f")


class IndicatorForm(StaffForm):
    name = StringField(_l("Name (e.g. Drives more carefully)"), validators=[DataRequired(), Length(max=200)])
    item_code = SelectField(_l("Item"))
    statistic = SelectField(_l("Figure"), choices=[
        SelectChoice("share", _l("Share agreeing (top boxes) or answering yes")),
        SelectChoice("mean", _l("Mean (number or 0–10 item)"))])
    top_boxes = IntegerField(_l("Top boxes counted as agreeing (for a share of a scale)"), default=2,
                             validators=[InputRequired(), NumberRange(1, 10)])
    target = LocaleDecimalField(_l("Target: a percentage for a share, a value on the item's scale for a mean"),
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
