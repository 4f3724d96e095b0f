"""The upload form (a file, a programme, a link name) and the confirmation form of its preview."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from surveyapp.forms import StaffForm

SLUG_HELP = _l("Lower-case letters, digits and hyphens; the public link is /s/ followed by it. Empty: from the "
               "file.")


class UploadForm(StaffForm):
    file = FileField(_l("Questionnaire file: an XLSForm workbook (.xlsx) or a LimeSurvey survey (.lss)"),
                     validators=[FileRequired(message=_l("Please choose a file (.xlsx or .lss)."))])
    programme_id = SelectField(_l("Programme"), coerce=int, validators=[InputRequired()])
    slug = StringField(_l("Link name"), validators=[Optional(), Length(max=80)], description=SLUG_HELP)


class ConfirmForm(StaffForm):
    """What the preview carries: the upload's token (its bytes stay on the server), the programme chosen and
    the link name; every one of them is checked again."""

    token = HiddenField(validators=[DataRequired()])
    programme_id = SelectField(_l("Programme"), coerce=int, validators=[InputRequired()])
    slug = StringField(_l("Link name"), validators=[DataRequired(), Length(max=80)])
    skip_unsupported = BooleanField(_l("Create it without the rows listed as not imported"))


def with_programmes(form, programmes):
    form.programme_id.choices = [SelectChoice(programme.id, programme.name) for programme in programmes]
    return form
