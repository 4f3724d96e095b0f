from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Regexp

from surveyapp.forms import StaffForm

PIN = Regexp(r"^[0-9]{4,12}$", message=_l("The PIN is 4 to 12 digits."))


class OpenKioskForm(StaffForm):
    """Kiosk mode for one questionnaire on this browser (see kiosk.service.Settings)."""

    idle_seconds = IntegerField(_l("Idle timeout (seconds)"), default=90,
                                validators=[InputRequired(), NumberRange(30, 3600)],
                                description=_l("After this long without a touch, the tablet asks “Still there?”."))
    on_idle = RadioField(_l("When nobody answers “Still there?”"), default="discard",
                         choices=[SelectChoice("discard", _l("Discard the answers given so far")),
                                  SelectChoice("submit", _l("Submit the answers given so far"))])
    restart_seconds = IntegerField(_l("Back to the start after the thank-you screen (seconds)"), default=8,
                                   validators=[InputRequired(), NumberRange(3, 120)])
    pin = PasswordField(_l("Staff PIN to leave kiosk mode"), validators=[DataRequired(), PIN],
                        render_kw={"autocomplete": "off", "inputmode": "numeric"})


class EndKioskForm(FlaskForm):
    device_id = IntegerField(validators=[InputRequired(), NumberRange(1, 2**63 - 1)])


class LeaveForm(FlaskForm):
    pin = PasswordField(_l("Staff PIN"), validators=[DataRequired()],
                        render_kw={"autocomplete": "off", "inputmode": "numeric"})
