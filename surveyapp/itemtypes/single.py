"""Single choice: one of the manager's options."""
from flask_babel import lazy_gettext as _l

from surveyapp.itemtypes.base import ChoiceType, register


@register
class SingleChoice(ChoiceType):
    code = "single"
    label = _l("Single choice")
    has_options = True
