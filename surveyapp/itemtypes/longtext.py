"""Long text: several lines of up to 5000 characters, in a text area; its length may be bounded."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from surveyapp.itemtypes.base import register
from surveyapp.itemtypes.rules import LENGTH_PART
from surveyapp.itemtypes.text import ShortText, newlines


@register
class LongText(ShortText):
    code = "longtext"
    label = _l("Long text")
    description = _l("A longer free-text answer, e.g. a comment or a suggestion.")
    max_length = 5000
    settings_parts = (LENGTH_PART,)  # no pattern: several lines are no format

    def field(self, item, lang):
        validators = [*self.validators(item), Length(max=self.max_length), *self.rules(item, lang)]
        return TextAreaField(item.text("label", lang), validators=validators, filters=[newlines],
                             render_kw={"rows": 4})
