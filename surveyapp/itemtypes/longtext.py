"""Long text: several lines of up to 5000 characters, in a text area."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from surveyapp.itemtypes.base import register
from surveyapp.itemtypes.text import ShortText, newlines


@register
class LongText(ShortText):
    code = "longtext"
    label = _l("Long text")
    max_length = 5000

    def field(self, item, lang):
        validators = [*self.validators(item), Length(max=self.max_length)]
        return TextAreaField(item.text("label", lang), validators=validators, filters=[newlines],
                             render_kw={"rows": 4})
