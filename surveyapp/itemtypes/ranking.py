"""Ranking: order k of n options; each option is a part (a `rank` item) holding the rank it was given."""
from flask_babel import lazy_gettext as _l

from surveyapp.itemtypes.base import ItemType, register


@register
class Ranking(ItemType):
    code = "ranking"
    label = _l("Ranking")
    description = _l("Put options in order of preference.")
    widget = "ranking"
    answered = False
    composite = True

    def field(self, item, lang):
        return None
