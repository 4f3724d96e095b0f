"""The translations page's form: one more language, chosen by its name from the builder's list of languages."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from surveyapp.forms import StaffForm
from surveyapp.questionnaires.forms import language_choices


def _code(value: str | None) -> str:
    """A code as stored: "pt-BR" (a script's post) is "pt_BR"."""
    return (value or "").strip().replace("-", "_")


class AddLanguageForm(StaffForm):
    """The languages not yet offered, by name (stored as codes). A script may post any other code: the builder's
    settings check refuses an unknown one with its own message."""

    lang = SelectField(_l("Add a language"), validate_choice=False, filters=[_code],
                       validators=[InputRequired(message=_l("Please choose a language from the list."))])

    def __init__(self, offered: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = [SelectChoice("", "–"),
                             *(choice for choice in language_choices() if choice.value not in offered)]
