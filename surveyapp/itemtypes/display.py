"""Text block: a display-only text (an introduction, an explanation between questions); takes no answer."""
from flask_babel import lazy_gettext as _l

from surveyapp.itemtypes.base import ItemType, register


@register
class Display(ItemType):
    code = "display"
    label = _l("Text block (no answer)")
    description = _l("Text shown between questions, e.g. an explanation; takes no answer.")
    widget = "display"
    answered = False

    def field(self, item, lang):
        return None
