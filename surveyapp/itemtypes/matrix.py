"""Matrix: several rows sharing one scale; each row is a part (an item of the scale's type) answered,
exported and reported as an item of its own. The matrix itself holds the question and the shared scale."""
from flask_babel import lazy_gettext as _l

from surveyapp.itemtypes.base import ItemType, register


@register
class Matrix(ItemType):
    code = "matrix"
    label = _l("Matrix (rows sharing one scale)")
    description = _l("Several statements rated on one shared scale, shown as a grid (stacked on a phone).")
    widget = "matrix"
    answered = False
    composite = True

    def field(self, item, lang):
        return None
