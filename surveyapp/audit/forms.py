"""The admin view's filter form (a GET form: no CSRF token, nothing changes)."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from surveyapp.audit.queries import Filters
from surveyapp.forms import StaffForm


class FilterForm(StaffForm):
    class Meta:
        csrf = False

    actor = StringField(_l("Who (e-mail or part of it)"), validators=[Optional(), Length(max=254)])
    action = StringField(_l("Action (or its beginning, e.g. export.)"), validators=[Optional(), Length(max=64)])
    target = StringField(_l("Target (e.g. questionnaire:12)"), validators=[Optional(), Length(max=120)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    page = IntegerField(_l("Page"), default=1, validators=[Optional(), NumberRange(1, 1_000_000)])

    def filters(self) -> Filters:
        return Filters(actor=(self.actor.data or "").strip(), action=(self.action.data or "").strip(),
                       target=(self.target.data or "").strip(), since=self.since.data, until=self.until.data)

    def query_args(self, **changes) -> dict:
        """The current filters as URL arguments (for the pager and the CSV link)."""
        args = {name: field._value() for name, field in self._fields.items() if field._value()}
        args.update(changes)
        return args
