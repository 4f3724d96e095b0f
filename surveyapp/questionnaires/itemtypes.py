"""The item-type registry: each type owns its form field, its validation, how it stores and exports values.

Views and exports only talk to `ItemType`; adding a type is adding a subclass here.

Every answer passes `CleanValue` first (no control characters, surrogates or noncharacters, in any type), and
numbers pass `FiniteNumber` (digits only: no Infinity, NaN, exponents or 400-digit values), so that nothing a
respondent sends can be stored that breaks a report or an export. Every entry point (/s/, /i/, the builder's
preview) builds its page forms from here, so all of them check the same way.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from surveyapp.forms import FiniteNumber
from surveyapp.textclean import forbidden_character, normalise_newlines

REGISTRY: dict[str, "ItemType"] = {}


def register(cls):
    REGISTRY[cls.code] = cls()
    return cls


def item_type(code: str) -> "ItemType":
    return REGISTRY[code]


def type_choices() -> list[tuple[str, str]]:
    return [(code, kind.label) for code, kind in REGISTRY.items()]


class CleanValue:
    """Refuse a value holding a character no export can carry (see surveyapp.textclean), whatever the type."""

    message = _l("This answer contains a character that is not allowed (a control character). Please remove it.")

    def __call__(self, form, field):
        if any(isinstance(value, str) and forbidden_character(value) for value in field.raw_data or ()):
            field.errors.clear()  # "not a valid choice/date" would only confuse: this is the one problem
            raise StopValidation(self.message)


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


class ItemType:
    """Base: a free value stored as one string."""

    code = ""
    label = _l("Item")
    widget = "input"  # which template macro renders it
    has_options = False  # options are edited by the manager
    numeric = False  # exported as a number
    multi = False  # several stored values, one export column per option
    coded = False  # stores option codes that have labels
    settings_keys: tuple[str, ...] = ()

    def validators(self, item) -> list:
        presence = InputRequired(message=_l("Please answer this question.")) if item.required else Optional()
        return [CleanValue(), presence]

    def field(self, item, lang: str):
        return StringField(item.text("label", lang), validators=self.validators(item))

    def choices(self, item, lang: str) -> list[Choice]:
        return [Choice(option.code, option.label(lang)) for option in item.options]

    def to_values(self, data) -> list[str]:
        """Form data -> stored strings (empty list when unanswered)."""
        if data is None or data == "":
            return []
        return [str(data)]

    def to_form(self, values: list[str]):
        """Stored strings -> form data, for resuming and language switches."""
        return values[0] if values else None

    def option_codes(self, item) -> list[str]:
        return [choice.code for choice in self.choices(item, item.questionnaire.default_lang)]


class _ChoiceType(ItemType):
    widget = "choice"
    coded = True

    def field(self, item, lang):
        choices = [SelectChoice(c.code, c.label) for c in self.choices(item, lang)]
        return RadioField(item.text("label", lang), choices=choices, validators=self.validators(item))


@register
class SingleChoice(_ChoiceType):
    code = "single"
    label = _l("Single choice")
    has_options = True


@register
class MultipleChoice(ItemType):
    code = "multiple"
    label = _l("Multiple choice")
    widget = "checks"
    has_options = True
    multi = True
    coded = True

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


@register
class Likert(_ChoiceType):
    code = "likert"
    label = _l("Likert scale")
    widget = "scale"
    numeric = True
    settings_keys = ("points",)

    def choices(self, item, lang):
        points = int(item.settings.get("points", 5))
        return [Choice(str(n), str(n)) for n in range(1, points + 1)]


@register
class ZeroToTen(_ChoiceType):
    code = "scale10"
    label = _l("0–10 scale")
    widget = "scale"
    numeric = True

    def choices(self, item, lang):
        return [Choice(str(n), str(n)) for n in range(11)]


@register
class YesNo(_ChoiceType):
    code = "yesno"
    label = _l("Yes / no")

    def choices(self, item, lang):
        return [Choice("yes", _("Yes")), Choice("no", _("No"))]


@register
class Number(ItemType):
    code = "number"
    label = _l("Number")
    numeric = True
    settings_keys = ("min", "max", "decimals")

    def field(self, item, lang):
        low, high = item.settings.get("min"), item.settings.get("max")
        decimals = bool(item.settings.get("decimals"))
        clean, *validators = self.validators(item)
        validators = [clean, FiniteNumber(decimals), *validators]
        if low is not None or high is not None:
            validators.append(NumberRange(min=low, max=high, message=_range_message(low, high)))
        if decimals:
            return DecimalField(item.text("label", lang), validators=validators,
                                render_kw={"inputmode": "decimal"})
        return IntegerField(item.text("label", lang), validators=validators,
                            render_kw={"inputmode": "numeric", "pattern": "-?[0-9]*"})

    def to_values(self, data):
        """Plain digits: str(Decimal("0.0000001")) would be "1E-7"."""
        if isinstance(data, Decimal):
            return [format(data, "f")]
        return super().to_values(data)

    def to_form(self, values):
        """A number, not its text: DecimalField cannot format a string (resuming gave a 500). A stored value the
        fields cannot show (Infinity or 1e999999, kept from before they were refused) comes back empty."""
        try:
            number = Decimal(values[0]) if values else None
        except ArithmeticError:
            return None
        return number if number is not None and number.is_finite() and abs(number) < FiniteNumber.LIMIT else None


def _range_message(low, high):
    if low is not None and high is not None:
        return _l("Please enter a number from %(min)s to %(max)s.")
    if low is not None:
        return _l("Please enter a number of at least %(min)s.")
    return _l("Please enter a number of at most %(max)s.")


@register
class ShortText(ItemType):
    code = "text"
    label = _l("Short text")
    max_length = 500

    def field(self, item, lang):
        validators = [*self.validators(item), Length(max=self.max_length)]
        return StringField(item.text("label", lang), validators=validators, filters=[_newlines],
                           render_kw={"maxlength": self.max_length})

    def to_values(self, data):
        return super().to_values((data or "").strip())


@register
class LongText(ShortText):
    code = "longtext"
    label = _l("Long text")
    widget = "textarea"
    max_length = 5000

    def field(self, item, lang):
        validators = [*self.validators(item), Length(max=self.max_length)]
        return TextAreaField(item.text("label", lang), validators=validators, filters=[_newlines],
                             render_kw={"rows": 4})


def _no_blanks(values):
    return [value for value in values if not isinstance(value, str) or value.strip()] if values else values


def _newlines(value):
    """Browsers send a textarea's line breaks as \\r\\n: store \\n (and count it as one character)."""
    return normalise_newlines(value) if isinstance(value, str) else value


@register
class DateItem(ItemType):
    code = "date"
    label = _l("Date")

    def field(self, item, lang):
        from wtforms.widgets import DateInput

        return DateField(item.text("label", lang), validators=self.validators(item), widget=DateInput())

    def to_values(self, data):
        return [data.isoformat()] if isinstance(data, date) else []

    def to_form(self, values):
        return date.fromisoformat(values[0]) if values else None
