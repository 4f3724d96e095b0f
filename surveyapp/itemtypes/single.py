"""Single choice: one of the manager's options; "other, please specify" and a coded "don't know" may follow
them (itemtypes.extras)."""
from flask_babel import lazy_gettext as _l

from surveyapp.itemtypes.base import ChoiceType, register
from surveyapp.itemtypes.extras import DONT_KNOW_PART, OTHER_PART, check_other, with_other


@register
class SingleChoice(ChoiceType):
    code = "single"
    label = _l("Single choice")
    description = _l("One answer from a list of options (radio buttons).")
    has_options = True
    declinable = True
    settings_parts = (OTHER_PART, DONT_KNOW_PART)

    def choices(self, item, lang):
        return with_other(item, super().choices(item, lang), lang)

    def check_group(self, item, values):
        return check_other(item, values)
