"""Short text: one line of up to 500 characters; reports count the answers (and may list them)."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from surveyapp.itemtypes.base import ItemType, register
from surveyapp.textclean import normalise_newlines


@register
class ShortText(ItemType):
    code = "text"
    label = _l("Short text")
    max_length = 500

    def field(self, item, lang):
        validators = [*self.validators(item), Length(max=self.max_length)]
        return StringField(item.text("label", lang), validators=validators, filters=[newlines],
                           render_kw={"maxlength": self.max_length})

    def to_values(self, data):
        return super().to_values((data or "").strip())


def newlines(value):
    """Browsers send a textarea's line breaks as \\r\\n: store \\n (and count it as one character)."""
    return normalise_newlines(value) if isinstance(value, str) else value
