"""The upload form and the mapping step's form (one select per column that matches no item)."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from surveyapp.forms import StaffForm


class UploadForm(StaffForm):
    answers = FileField(_l("File of earlier answers (.csv, .xlsx or .sav)"),
                     validators=[FileRequired(message=_l("Please choose a file (.csv, .xlsx or .sav)."))])
    wave = StringField(_l("Wave (optional)"), validators=[Optional(), Length(max=80)],
                       description=_l("The responses join this wave of the programme; a wave that does not exist "
                                      "yet is created, without invitations."))


def mapping_form(columns: list[str], targets: list[str]) -> StaffForm:
    """A form with one select per column: an item code, or ignore the column (the default)."""

    class MappingForm(StaffForm):
        pass

    choices = [SelectChoice("", _l("Ignore this column")), *(SelectChoice(code, code) for code in targets)]
    for number, column in enumerate(columns):
        setattr(MappingForm, f"column_{number}", SelectField(column, choices=choices, default=""))
    return MappingForm()


def chosen_mapping(form, columns: list[str]) -> dict[str, str]:
    return {column: form[f"column_{number}"].data or "" for number, column in enumerate(columns)}
