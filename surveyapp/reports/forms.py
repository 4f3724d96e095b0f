"""The report options (language, wave, dates, open answers, pooling waves), read from the query string."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Form, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import DateInput

from surveyapp.datasets.frames import Filters
from surveyapp.i18n import INTERFACE_LANGUAGES, language_name
from surveyapp.reports.service import ReportOptions


class ReportOptionsForm(Form):
    lang = SelectField(_l("Report language"))
    wave = SelectField(_l("Wave"), default="")
    date_from = DateField(_l("Submitted from"), validators=[Optional()], widget=DateInput())
    date_to = DateField(_l("Submitted until"), validators=[Optional()], widget=DateInput())
    open_answers = BooleanField(_l("Include open answers"))
    pool_waves = BooleanField(_l("Also show all waves pooled"))

    def __init__(self, formdata, waves: list[str], default_lang: str):
        super().__init__(formdata)
        self.lang.choices = [SelectChoice(code, language_name(code)) for code in INTERFACE_LANGUAGES]
        if not self.lang.data:
            self.lang.data = default_lang if default_lang in INTERFACE_LANGUAGES else "en"
        self.wave.choices = [SelectChoice("", _l("All waves")), *(SelectChoice(w, w) for w in waves)]

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def options(self) -> ReportOptions:
        config = current_app.config
        filters = Filters(
            wave=self.wave.data or None,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            timezone=config["BABEL_DEFAULT_TIMEZONE"],
        )
        return ReportOptions(
            lang=self.lang.data,
            filters=filters,
            include_open_answers=self.open_answers.data,
            pool_waves=self.pool_waves.data,
            min_n=config["SUPPRESSION_MIN_N"],
        )
