"""The checklist builder (items one a line) and the visit form (its per-item answers are read by the view)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from surveyapp.forms import StaffForm
from surveyapp.mystery.models import CHANNELS
from surveyapp.participants.forms import language_choices

CHANNEL_LABELS = {"web": _l("Website"), "phone": _l("Phone"), "counter": _l("Counter")}
VALUE_LABELS = {"yes": _l("yes"), "no": _l("no"), "na": _l("not applicable")}


def channel_choices(channels=CHANNELS) -> list[SelectChoice]:
    return [SelectChoice(channel, CHANNEL_LABELS[channel]) for channel in channels]


class ChecklistForm(StaffForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    lang = SelectField(_l("Language of the items and the report"))
    channels = SelectMultipleField(_l("Channels"), choices=channel_choices(), default=list(CHANNELS),
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    items = TextAreaField(
        _l("Items, one a line: code | text | yn or 1-5 | points (default 1) | evidence (if a note is required)"),
        validators=[DataRequired(), Length(max=100_000)], render_kw={"rows": 12})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = language_choices()


class VisitForm(StaffForm):
    channel = SelectField(_l("Channel"))
    scenario = StringField(_l("Scenario (what you asked for)"), validators=[DataRequired(), Length(max=200)])
    visited_on = DateField(_l("Date of the visit"), validators=[InputRequired()])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])

    def __init__(self, channels: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = channel_choices(channels)
