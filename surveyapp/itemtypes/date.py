"""Dates, within optional limits (the earliest and the latest date allowed, stored as ISO dates).

The limits are shown as a hint before anyone errs, checked on the server, and given to the browser's date
picker as its min and max.
"""
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import DateInput

from surveyapp.errors import DomainError
from surveyapp.itemtypes.base import ItemType, SettingsPart, register

LIMITS = ("earliest", "latest")


class DateLimits:
    """Refuse a date before the earliest or after the latest one (either may be None)."""

    def __init__(self, earliest: date | None, latest: date | None):
        self.earliest, self.latest = earliest, latest

    def __call__(self, form, field):
        day = field.data
        if day is None:
            return
        if (self.earliest and day < self.earliest) or (self.latest and day > self.latest):
            raise ValidationError(_limits_text(self.earliest, self.latest, error=True))


def _limits_text(earliest: date | None, latest: date | None, *, error: bool) -> str:
    """The rule in words, in the current interface language; `error` asks for it ("Please enter ...")."""
    shown = {"earliest": earliest and format_date(earliest), "latest": latest and format_date(latest)}
    if earliest and latest:
        text = (_("Please enter a date from %(earliest)s to %(latest)s.", **shown) if error
                else _("A date from %(earliest)s to %(latest)s.", **shown))
    elif earliest:
        text = (_("Please enter a date on or after %(earliest)s.", **shown) if error
                else _("A date on or after %(earliest)s.", **shown))
    else:
        text = (_("Please enter a date on or before %(latest)s.", **shown) if error
                else _("A date on or before %(latest)s.", **shown))
    return text


def _iso(value) -> str | None:
    """A limit as stored: an ISO date, from a date or from its ISO text."""
    if value is None or isinstance(value, date):
        return value and value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise DomainError(_l("Please give dates as YYYY-MM-DD.")) from None


@register
class DateItem(ItemType):
    code = "date"
    label = _l("Date")
    description = _l("A date, within limits you set.")
    settings_parts = (SettingsPart(_l("Date settings"), {
        "earliest": DateField(_l("Date: earliest allowed"), validators=[Optional()]),
        "latest": DateField(_l("Date: latest allowed"), validators=[Optional()]),
    }),)

    def limits(self, item) -> tuple[date | None, date | None]:
        return tuple(date.fromisoformat(item.settings[key]) if item.settings.get(key) else None for key in LIMITS)

    def check_settings(self, settings):
        settings = super().check_settings(settings)
        settings.update({key: _iso(settings[key]) for key in LIMITS if key in settings})
        earliest, latest = settings.get("earliest"), settings.get("latest")
        if earliest and latest and earliest > latest:
            raise DomainError(_l("The earliest date must not be after the latest date."))
        return settings

    def settings_data(self, settings):
        return {key: date.fromisoformat(settings[key]) for key in LIMITS if settings.get(key)}

    def field(self, item, lang):
        earliest, latest = self.limits(item)
        validators = self.validators(item)
        bounds = {}
        if earliest or latest:
            validators.append(DateLimits(earliest, latest))
            bounds = {key: day.isoformat() for key, day in (("min", earliest), ("max", latest)) if day}
        return DateField(item.text("label", lang), validators=validators, widget=DateInput(), render_kw=bounds)

    def hint(self, item):
        earliest, latest = self.limits(item)
        return _limits_text(earliest, latest, error=False) if earliest or latest else None

    def to_values(self, data):
        return [data.isoformat()] if isinstance(data, date) else []

    def to_form(self, values):
        return date.fromisoformat(values[0]) if values else None
