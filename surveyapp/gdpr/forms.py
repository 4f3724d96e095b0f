"""Forms of the data-protection pages: erasure confirmation and the programme's retention rule."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField
from wtforms.validators import Optional, ValidationError

from surveyapp.forms import StaffForm
from surveyapp.programmes.service import MAX_RETENTION_MONTHS

MONTHS_MESSAGE = _l("Please enter a number of months between 1 and %(max)d, or nothing.", max=MAX_RETENTION_MONTHS)


def _months(_form, field) -> None:
    """A plain range check (StaffForm's FiniteNumber already refuses what is not a number of at most 15 digits)."""
    if field.data is not None and not 1 <= field.data <= MAX_RETENTION_MONTHS:
        raise ValidationError(MONTHS_MESSAGE)


class EraseForm(StaffForm):
    with_answers = BooleanField(_l("Also delete their answers"))


class RetentionForm(StaffForm):
    contact_retention_months = IntegerField(
        _l("Delete contact data this many months after the participant's last answering window closed"),
        description=_l("Leave empty to keep contact data until a participant withdraws or is erased."),
        validators=[Optional(), _months],
    )
