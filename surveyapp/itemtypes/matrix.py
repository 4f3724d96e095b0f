"""Matrix: several rows sharing one scale; each row is a part (an item of the scale's type) answered,
exported and reported as an item of its own. The matrix itself holds the question and the shared scale."""
from flask_babel import lazy_gettext as _l

from surveyapp.itemtypes.base import ItemType, register


@register
class Matrix(ItemType):
    code = "matrix"
    label = _l("Matrix (rows sharing one scale)")
    widget = "matrix"
    answered = False
    composite = True

    def field(self, item, lang):
        return None
