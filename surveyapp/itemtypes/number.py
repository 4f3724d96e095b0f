"""Numbers: whole or with decimals, within an optional range; reports show mean and median.

Respondents may type Eastern Arabic (٠-٩) or Persian (۰-۹) digits and the Arabic decimal separator (٫), and
a decimal comma (12,5) where decimals are allowed: the field turns them into ASCII before anything reads the
value, so the checks and the stored value agree. A value is shown as stored, never rounded, and may have no
more decimal places than the item allows.
"""
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import DecimalField, IntegerField
from wtforms.validators import NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from surveyapp.errors import DomainError
from surveyapp.forms import FiniteNumber
from surveyapp.itemtypes.base import ItemType, Measure, SettingsPart, Statistic, register

MAX_DECIMALS = 6
ARABIC_DECIMAL_SEPARATOR = "\u066b"
_ASCII = str.maketrans({
    **{chr(0x0660 + n): str(n) for n in range(10)},  # Eastern Arabic
    **{chr(0x06F0 + n): str(n) for n in range(10)},  # Persian
    ARABIC_DECIMAL_SEPARATOR: ".",
})


def ascii_digits(text: str) -> str:
    return text.translate(_ASCII)


class AsciiDigits:
    """Field mixin: the raw value in ASCII digits, so FiniteNumber (which reads raw_data) and the field agree."""

    def process_formdata(self, valuelist):
        valuelist = [ascii_digits(value) if isinstance(value, str) else value for value in valuelist or ()]
        self.raw_data = valuelist
        super().process_formdata(valuelist)


class WholeNumberField(AsciiDigits, IntegerField):
    widget = TextInput()  # type="number" takes no Arabic digits in browsers


class DecimalNumberField(AsciiDigits, DecimalField):
    """A decimal typed with a point or one comma (12,5); shown as stored, never rounded (places=None)."""

    widget = TextInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, places=None, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata([_decimal_point(value) for value in valuelist or ()])

    def _value(self):
        """Plain digits, as stored: str() would show 1E-7."""
        if not self.raw_data and isinstance(self.data, Decimal):
            return format(self.data, "f")
        return super()._value()


def _decimal_point(value):
    """One comma is a decimal comma; with a point or a second comma it is a thousands separator: refused."""
    if not isinstance(value, str) or "," not in value:
        return value
    if value.count(",") > 1 or "." in value or ARABIC_DECIMAL_SEPARATOR in value:
        raise ValueError(_("Please enter a number such as 1234.5 or 1234,5 (no thousands separators)."))
    return value.replace(",", ".")


class DecimalPlaces:
    """Refuse more decimal places than the item allows (trailing zeros do not count)."""

    def __init__(self, places: int):
        self.places = places

    def __call__(self, form, field):
        if isinstance(field.data, Decimal) and field.data.is_finite() and field.data != round(field.data, self.places):
            raise ValidationError(_places_text(self.places, error=True))


def _places_text(places: int, *, error: bool) -> str:
    if error:
        return ngettext("Please use at most %(num)d decimal place.", "Please use at most %(num)d decimal places.",
                        places)
    return ngettext("At most %(num)d decimal place.", "At most %(num)d decimal places.", places)


@register
class Number(ItemType):
    code = "number"
    label = _l("Number")
    description = _l("A number, e.g. an age or a count, within limits you set.")
    numeric = True
    statistics = (Statistic.MEAN_MEDIAN,)
    measure = Measure.SCALE
    defaults = {"decimals": 0}
    cosmetic_settings = ("decimals",)  # 12.5 stays 12.5 whatever places are allowed later
    settings_parts = (SettingsPart(_l("Number settings"), {
        "min": IntegerField(_l("Number: minimum"), validators=[Optional()]),  # StaffForm: at most 15 digits
        "max": IntegerField(_l("Number: maximum"), validators=[Optional()]),
        "decimals": IntegerField(_l("Number: decimal places"), default=0,
                                 validators=[Optional(), NumberRange(0, MAX_DECIMALS)]),
    }),)

    def check_settings(self, settings):
        settings = super().check_settings(settings)
        low, high = settings.get("min"), settings.get("max")
        if low is not None and high is not None and low > high:
            raise DomainError(_l("The minimum must not be greater than the maximum."))
        if not 0 <= settings.get("decimals", 0) <= MAX_DECIMALS:
            raise DomainError(_l("A number has from 0 to 6 decimal places."))
        return settings

    def decimals(self, item):
        return bool(self.places(item))

    def places(self, item) -> int:
        """How many decimal places its numbers may have."""
        return int(item.settings.get("decimals") or 0)

    def field(self, item, lang):
        low, high = item.settings.get("min"), item.settings.get("max")
        decimals = self.decimals(item)
        clean, *validators = self.validators(item)
        validators = [clean, FiniteNumber(decimals), *validators]
        if decimals:
            validators.append(DecimalPlaces(self.places(item)))
        if low is not None or high is not None:
            validators.append(NumberRange(min=low, max=high, message=_range_message(low, high)))
        if decimals:
            return DecimalNumberField(item.text("label", lang), validators=validators,
                                      render_kw={"inputmode": "decimal"})
        return WholeNumberField(item.text("label", lang), validators=validators,
                                render_kw={"inputmode": "numeric"})

    def hint(self, item):
        """Its range, then how many decimal places it takes."""
        parts = [_range_text(item.settings.get("min"), item.settings.get("max"))]
        if self.decimals(item):
            parts.append(_places_text(self.places(item), error=False))
        return " ".join(part for part in parts if part) or None

    def to_values(self, data):
        """Plain digits: str(Decimal("0.0000001")) would be "1E-7"."""
        if isinstance(data, Decimal):
            return [format(data, "f")]
        return super().to_values(data)

    def to_form(self, values):
        """A number, not its text: DecimalField cannot format a string (resuming gave a 500). A stored value the
        fields cannot show (Infinity or 1e999999, kept from before they were refused) comes back empty."""
        try:
            number = Decimal(values[0]) if values else None
        except ArithmeticError:
            return None
        return number if number is not None and number.is_finite() and abs(number) < FiniteNumber.LIMIT else None


def _range_text(low, high) -> str | None:
    if low is not None and high is not None:
        return _("A number from %(min)s to %(max)s.", min=low, max=high)
    if low is not None:
        return _("A number of at least %(min)s.", min=low)
    if high is not None:
        return _("A number of at most %(max)s.", max=high)
    return None


def _range_message(low, high):
    if low is not None and high is not None:
        return _l("Please enter a number from %(min)s to %(max)s.")
    if low is not None:
        return _l("Please enter a number of at least %(min)s.")
    return _l("Please enter a number of at most %(max)s.")
