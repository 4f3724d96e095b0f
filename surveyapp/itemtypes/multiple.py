"""Multiple choice: any of the manager's options; exported as one 0/1 column per option."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from surveyapp.itemtypes.base import CleanValue, Column, ItemType, Statistic, register


@register
class MultipleChoice(ItemType):
    code = "multiple"
    label = _l("Multiple choice")
    widget = "checks"
    first_input = "-0"
    has_options = True
    multi = True
    coded = True
    statistics = (Statistic.DISTRIBUTION,)
    chart = "bar"

    def validators(self, item) -> list:
        """No Optional(): it looks at the first value only and clears every error, so ["", "anything"] was
        stored as it came. Blank values are dropped instead (a filter), and each one left must be an option."""
        return [CleanValue(), InputRequired(message=_l("Please answer this question."))] if item.required \
            else [CleanValue()]

    def field(self, item, lang):
        choices = [SelectChoice(c.code, c.label) for c in self.choices(item, lang)]
        return SelectMultipleField(
            item.text("label", lang), choices=choices, validators=self.validators(item), filters=[_no_blanks],
            widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        )

    def to_values(self, data):
        return list(dict.fromkeys(data or []))

    def to_form(self, values):
        return list(values)

    def columns(self, item, codes=None):
        codes = self.option_codes(item) if codes is None else codes
        return [Column(f"{item.code}_{option}", option) for option in codes]


def _no_blanks(values):
    return [value for value in values if not isinstance(value, str) or value.strip()] if values else values
