"""Forms of the programme screens: a new programme, its name, and the archive confirmation."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from surveyapp.forms import StaffForm
from surveyapp.programmes.pathways import DEFAULT, PATHWAYS


class NameForm(StaffForm):
    name = StringField(_l("Name"), validators=[DataRequired()])


class CreateForm(NameForm):
    code = StringField(_l("Code (2 to 40 letters A–Z, digits, '-' or '_'; it cannot be changed later)"),
                       validators=[DataRequired()])
    pathway = SelectField(_l("Outcome pathway"), default=DEFAULT,
                          choices=[SelectChoice(code, label) for code, (label, _stages) in PATHWAYS.items()])
    contact_retention_months = IntegerField(
        _l("Delete participants' contact data this many months after their last answering window closed "
           "(empty: keep it until they withdraw or are erased)"), validators=[Optional()])

    def values(self) -> dict:
        return {"pathway": self.pathway.data, "retention_months": self.contact_retention_months.data}


class ArchiveForm(StaffForm):
    confirm = BooleanField(_l("Yes, archive this programme"), validators=[DataRequired()])
