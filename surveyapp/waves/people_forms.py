"""Forms of the participants screen: its filters (a GET form) and the corrected address."""

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from surveyapp.forms import StaffForm
from surveyapp.waves.people import STATUS_LABELS, Filters


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class PeopleFilterForm(StaffForm):
    class Meta:
        csrf = False

    wave = SelectField(_l("Wave"), coerce=_optional_id, validators=[Optional()])
    not_answered = SelectField(_l("Answer in this wave"), validators=[Optional()], choices=[
        SelectChoice("", _l("Any")),
        SelectChoice("open", _l("Not yet answered (can still answer)")),
        SelectChoice("closed", _l("Did not answer (window closed)")),
    ])
    status = SelectField(_l("Status in this wave"), validators=[Optional()])
    session = SelectField(_l("Session"), coerce=_optional_id, validators=[Optional()])
    # no upper bound: a page past the last one shows the last page
    page = IntegerField(_l("Page"), default=1, validators=[
        Optional(), NumberRange(min=1, message=_l("The page number must be a whole number from 1 on."))])

    def __init__(self, formdata, waves, sessions):
        super().__init__(formdata)
        self.wave.choices = [SelectChoice("", _l("Any wave"))] + [SelectChoice(w.id, w.name) for w in waves]
        self.status.choices = [SelectChoice("", _l("Any status"))] + [
            SelectChoice(code, label) for code, label in STATUS_LABELS.items()
        ]
        self.session.choices = [SelectChoice("", _l("All sessions"))] + [
            SelectChoice(s.id, f"{format_date(s.held_on)}, {s.place}") for s in sessions
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        messages = {  # WTForms' own words ("Invalid Choice: could not coerce.") say nothing to a manager
            self.wave: _l("Please choose a wave from the list."),
            self.session: _l("Please choose a session from the list."),
            self.page: _l("The page number must be a whole number from 1 on."),
        }
        for field, message in messages.items():
            if field.process_errors:
                field.errors = [message]
        if valid and (self.status.data or self.not_answered.data) and not self.wave.data:
            self.wave.errors.append(_l("Please choose the wave whose status you are looking for."))
            return False
        return valid

    def filters(self) -> Filters:
        return Filters(
            wave_id=self.wave.data,
            session_id=self.session.data,
            status=self.status.data or None,
            not_answered=self.not_answered.data or None,
            page=self.page.data or 1,
        )

    def query_args(self, **changes) -> dict:
        """The current filters as URL arguments (for the pager)."""
        args = {
            "wave": self.wave.data,
            "session": self.session.data,
            "status": self.status.data,
            "not_answered": self.not_answered.data,
        }
        return {name: value for name, value in args.items() if value} | changes


class AddressForm(StaffForm):
    email = EmailField(_l("Corrected e-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
