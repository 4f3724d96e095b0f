"""Staff forms of live polls: a session, a poll (the simple builder) and a word's moderation."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from surveyapp.forms import StaffForm
from surveyapp.participants.forms import language_choices
from surveyapp.polls.models import Kind
from surveyapp.polls.service import MAX_SCALE

KIND_LABELS = {Kind.SINGLE: _l("Single choice"), Kind.MULTIPLE: _l("Multiple choice"), Kind.RATING: _l("Rating"),
               Kind.RANKING: _l("Ranking"), Kind.WORDS: _l("Word cloud")}


class SessionForm(StaffForm):
    programme = SelectField(_l("Programme"), coerce=int)
    title = StringField(_l("Title (e.g. workshop and date)"), validators=[DataRequired(), Length(max=200)])
    lang = SelectField(_l("Language of the participants' pages"))

    def __init__(self, programmes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme.choices = [SelectChoice(programme.id, programme.name) for programme in programmes]
        self.lang.choices = language_choices()


class PollForm(StaffForm):
    kind = SelectField(_l("Kind"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()])
    question = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)])
    options = TextAreaField(_l("Options, one per line (choice and ranking polls)"),
                            validators=[Optional(), Length(max=5000)])
    max_choices = IntegerField(_l("At most this many choices (multiple choice; empty: any number)"),
                               validators=[Optional(), NumberRange(min=1, max=20)])
    scale = IntegerField(_l("Rating from 1 to (rating; empty: 5)"),
                         validators=[Optional(), NumberRange(min=2, max=MAX_SCALE)])


class ModerationForm(StaffForm):
    word = HiddenField(validators=[DataRequired(), Length(max=200)])
    hidden = BooleanField(_l("Hidden"))

