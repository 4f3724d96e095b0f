"""Multiple choice: any of the manager's options; exported as one 0/1 column per option.

The manager may bound how many are ticked, name one option that excludes the others ("none of these") and
add "other, please specify" (itemtypes.extras).
"""
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from surveyapp.errors import DomainError
from surveyapp.itemtypes.base import (
    CleanValue,
    Column,
    ItemType,
    OptionCodeField,
    SettingsPart,
    Statistic,
    register,
)
from surveyapp.itemtypes.extras import OTHER_PART, check_other, with_other
from surveyapp.itemtypes.rules import CHOICES_PART, ChoiceCount, check_range, count_text

EXCLUSIVE_PART = SettingsPart(_l("“None of these”"), {
    "exclusive": OptionCodeField(_l("Multiple choice: the option that excludes all others"),
                                 description=_l("E.g. an option “None of these”: it cannot be ticked together "
                                                "with other options.")),
})


class Exclusive:
    """Refuse the exclusive option ticked together with any other."""

    def __init__(self, code: str, label: str):
        self.code = code
        self.message = _l("“%(option)s” cannot be chosen together with other answers.", option=label)

    def __call__(self, form, field):
        chosen = field.data or ()
        if self.code in chosen and len(chosen) > 1:
            raise ValidationError(str(self.message))


@register
class MultipleChoice(ItemType):
    code = "multiple"
    label = _l("Multiple choice")
    description = _l("Any number of answers from a list of options (check boxes).")
    widget = "checks"
    first_input = "-0"
    has_options = True
    multi = True
    coded = True
    statistics = (Statistic.DISTRIBUTION,)
    chart = "bar"
    settings_parts = (CHOICES_PART, EXCLUSIVE_PART, OTHER_PART)

    def check_settings(self, settings):
        settings = super().check_settings(settings)
        check_range(settings, "min_choices", "max_choices")
        if not (settings.get("exclusive") or "").strip():
            settings.pop("exclusive", None)
        return settings

    def check_item(self, item):
        exclusive = item.settings.get("exclusive")
        if exclusive and exclusive not in [option.code for option in item.options]:
            raise DomainError(_l("The option that excludes the others must be one of the item's options: "
                                 "%(code)s is not.", code=exclusive))

    def exclusive(self, item) -> str | None:
        """The option that excludes the others, if the item still has it."""
        code = item.settings.get("exclusive")
        return code if code and any(option.code == code for option in item.options) else None

    def validators(self, item) -> list:
        """No Optional(): it looks at the first value only and clears every error, so ["", "anything"] was
        stored as it came. Blank values are dropped instead (a filter), and each one left must be an option."""
        return [CleanValue(), InputRequired(message=_l("Please answer this question."))] if item.required \
            else [CleanValue()]

    def rules(self, item, lang: str) -> list:
        """The manager's rules: the exclusive option alone, how many may be ticked."""
        rules = []
        exclusive = self.exclusive(item)
        if exclusive:
            label = next(choice.label for choice in self.choices(item, lang) if choice.code == exclusive)
            rules.append(Exclusive(exclusive, label))
        low, high = item.settings.get("min_choices"), item.settings.get("max_choices")
        if low or high:
            rules.append(ChoiceCount(low, high, exclusive))
        return rules

    def field(self, item, lang):
        choices = [SelectChoice(c.code, c.label) for c in self.offered(item, lang)]
        return SelectMultipleField(
            item.text("label", lang), choices=choices, validators=[*self.validators(item), *self.rules(item, lang)],
            filters=[_no_blanks], widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        )

    def hint(self, item):
        return count_text(item.settings.get("min_choices"), item.settings.get("max_choices"), error=False)

    def choices(self, item, lang):
        return with_other(item, super().choices(item, lang), lang)

    def check_group(self, item, values):
        return check_other(item, values)

    def to_values(self, data):
        return list(dict.fromkeys(data or []))

    def to_form(self, values):
        return list(values)

    def columns(self, item, codes=None):
        codes = self.option_codes(item) if codes is None else codes
        return [Column(f"{item.code}_{option}", option) for option in codes]


def _no_blanks(values):
    return [value for value in values if not isinstance(value, str) or value.strip()] if values else values
