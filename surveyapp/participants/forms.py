"""Staff and self-enrolment forms for sessions and participants."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from surveyapp.forms import StaffForm
from surveyapp.i18n import INTERFACE_LANGUAGES, language_name


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, language_name(code)) for code in INTERFACE_LANGUAGES]


class SessionForm(StaffForm):
    held_on = DateField(_l("Date of the session"), validators=[InputRequired()])
    place = StringField(_l("Place (e.g. driving school)"), validators=[DataRequired(), Length(max=200)])
    trainer = StringField(_l("Trainer or peer educator"), validators=[Optional(), Length(max=200)])


class ParticipantForm(StaffForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=40)])
    lang = SelectField(_l("Preferred language"))
    consent = BooleanField(
        _l("The participant has agreed in writing to follow-up e-mails."),
        validators=[DataRequired(message=_l("Consent is needed before adding someone."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = language_choices()


class ContactForm(ParticipantForm):
    consent = None


class RosterForm(StaffForm):
    roster = FileField(_l("Roster file (.csv or .xlsx)"),
                       validators=[FileRequired(message=_l("Please choose a roster file (.csv or .xlsx)."))])
    consent = BooleanField(
        _l("Everyone on this list has agreed in writing to follow-up e-mails."),
        validators=[DataRequired(message=_l("Consent is needed before importing."))],
    )


class EnrolForm(FlaskForm):
    email = EmailField(_l("Your e-mail address"), validators=[DataRequired(), Email(), Length(max=254)])
    lang = SelectField(_l("Language for our e-mails"))
    consent = BooleanField("", validators=[DataRequired(message=_l("Please tick the box to agree."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = language_choices()
