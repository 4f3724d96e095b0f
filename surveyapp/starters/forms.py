"""The "start from a template" form: which template, for which programme, under which link, in which languages."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from surveyapp.forms import StaffForm
from surveyapp.questionnaires.forms import LanguagesField, language_label


class StartForm(StaffForm):
    starter = SelectField(_l("Template"), validators=[InputRequired()])
    programme_id = SelectField(_l("Programme"), coerce=int, validators=[InputRequired()])
    slug = StringField(_l("Link name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("Lower-case letters, digits and hyphens; "
                                      "the public link is /s/ followed by it."))
    default_lang = SelectField(_l("Default language"), validators=[InputRequired()])
    # Any posted code reaches the service, which names the languages the template is written in.
    languages = LanguagesField(_l("Languages offered"),
                               description=_l("The template's texts are copied in these languages."))


def start_form(starters: list[tuple[str, str]], programmes: list[tuple[int, str]], languages: list[str],
               chosen: str | None = None, slug: str | None = None) -> StartForm:
    """The form with its choices; `chosen` preselects a template (the list page's link), every language ticked."""
    form = StartForm(data={"starter": chosen, "slug": slug, "default_lang": languages[0], "languages": languages})
    form.starter.choices = [SelectChoice(key, title) for key, title in starters]
    form.programme_id.choices = [SelectChoice(pid, name) for pid, name in programmes]
    by_name = [SelectChoice(code, language_label(code)) for code in languages]
    form.default_lang.choices = by_name
    form.languages.choices = by_name
    return form
