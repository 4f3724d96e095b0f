"""Forms of the members section of a programme's page."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from surveyapp.accounts.models import Role
from surveyapp.forms import StaffForm

ROLE_LABELS = {
    Role.MANAGER: _l("Manager (builds questionnaires, runs the panel)"),
    Role.EVALUATOR: _l("Evaluator (reads reports and exports)"),
    Role.ADMIN: _l("Admin (also manages the members)"),
}


def _role_field():
    return SelectField(_l("Role"), default=Role.MANAGER.value,
                       choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()])


class RoleForm(StaffForm):
    role = _role_field()

    def chosen(self) -> Role:
        return Role(self.role.data)


class AddMemberForm(RoleForm):
    email = StringField(_l("E-mail address of an existing staff account"), validators=[DataRequired()])
