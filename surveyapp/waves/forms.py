"""The wave form (offsets from the session date, answering window, reminders) and the e-mail message form."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp, ValidationError

from surveyapp.forms import StaffForm


class WaveForm(StaffForm):
    name = StringField(_l("Name (e.g. 3 months)"), validators=[DataRequired(), Length(max=80)],
                       filters=[lambda value: value.strip() if isinstance(value, str) else value])
    questionnaire_id = SelectField(_l("Questionnaire"), coerce=int)
    position = IntegerField(_l("Order"), default=0, validators=[InputRequired(), NumberRange(0, 99)])
    offset_months = IntegerField(
        _l("Months after the session"), default=0, validators=[InputRequired(), NumberRange(0, 60)]
    )
    offset_days = IntegerField(
        _l("Days after the session (added to the months)"),
        default=0,
        validators=[InputRequired(), NumberRange(0, 365)],
    )
    window_days = IntegerField(
        _l("Days to answer"), default=21, validators=[InputRequired(), NumberRange(1, 365)]
    )
    reminder_days = StringField(
        _l("Reminders, days after the invitation (e.g. 7, 14)"),
        default="7, 14",
        validators=[
            Regexp(r"^\s*(\d{1,3}\s*(,\s*\d{1,3}\s*)*)?$", message=_l("Whole numbers separated by commas."))
        ],
    )
    max_reminders = IntegerField(
        _l("At most this many reminders"), default=2, validators=[InputRequired(), NumberRange(0, 10)]
    )

    def validate_reminder_days(self, field) -> None:
        """Each reminder a day inside the answering window, after the one before it."""
        if field.errors:
            return
        window, previous = self.window_days.data, 0
        for day in self.days():
            if day == 0:
                raise ValidationError(_l("A reminder cannot be sent on day 0, with the invitation."))
            if day == previous:
                raise ValidationError(_l("Day %(day)d is listed twice.", day=day))
            if day < previous:
                raise ValidationError(
                    _l("Please list the reminder days in increasing order (day %(day)d comes after day "
                       "%(previous)d).", day=day, previous=previous)
                )
            if isinstance(window, int) and day >= window:
                raise ValidationError(
                    _l("A reminder on day %(day)d would come after the answering window of %(window)d days "
                       "has closed. Choose days below %(window)d.", day=day, window=window)
                )
            previous = day

    def validate_max_reminders(self, field) -> None:
        """No more reminders than reminder days: the extra ones would never be sent."""
        if field.errors or self.reminder_days.errors or not isinstance(field.data, int):
            return
        days = len(self.days())
        if field.data > days:
            raise ValidationError(lazy_ngettext(
                "%(num)d reminder day is listed, so at most %(num)d reminder can be sent: list more days or "
                "lower this number.",
                "%(num)d reminder days are listed, so at most %(num)d reminders can be sent: list more days or "
                "lower this number.", days))

    def days(self) -> list[int]:
        return [int(part) for part in (self.reminder_days.data or "").split(",") if part.strip()]

    def values(self) -> dict:
        days = self.days()
        fields = (
            "name",
            "questionnaire_id",
            "position",
            "offset_months",
            "offset_days",
            "window_days",
            "max_reminders",
        )
        return {**{key: self[key].data for key in fields}, "reminder_days": days}


class WaveMessageForm(StaffForm):
    """The wave's own paragraph in the invitation and reminder e-mails, in one language."""

    message = TextAreaField(
        _l("Message in the e-mail (leave empty for none)"), validators=[Length(max=4000)], render_kw={"rows": 5}
    )
