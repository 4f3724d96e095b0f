"""Yes / no: two fixed options whose labels are interface strings, so they follow the reader's language."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.itemtypes.base import Choice, ChoiceType, Statistic, in_language, register
from surveyapp.itemtypes.extras import DONT_KNOW_PART

YES, NO = "yes", "no"


@register
class YesNo(ChoiceType):
    code = "yesno"
    label = _l("Yes / no")
    description = _l("Yes or no.")
    statistics = (Statistic.DISTRIBUTION, Statistic.YES_SHARE)
    declinable = True
    settings_parts = (DONT_KNOW_PART,)

    def choices(self, item, lang):
        """In `lang`, whoever asks: a German export says "Ja" even when a French-speaking manager downloads it."""
        with in_language(lang):
            return [Choice(YES, _("Yes")), Choice(NO, _("No"))]

    def option_codes(self, item):
        return [YES, NO]

    def share_codes(self, item, top):
        return [YES]
