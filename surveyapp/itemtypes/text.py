"""Short text: one line of up to 500 characters; reports count the answers (and may list them).

A manager may bound its length and ask for a format (a pattern, see itemtypes.rules).
"""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from surveyapp.itemtypes.base import ItemType, register
from surveyapp.itemtypes.rules import (
    LENGTH_PART,
    PATTERN_PART,
    Pattern,
    TextLength,
    check_pattern,
    check_range,
    length_text,
)
from surveyapp.textclean import normalise_newlines


@register
class ShortText(ItemType):
    code = "text"
    label = _l("Short text")
    description = _l("A short free-text answer on one line.")
    max_length = 500
    settings_parts = (LENGTH_PART, PATTERN_PART)

    def check_settings(self, settings):
        settings = super().check_settings(settings)
        check_range(settings, "min_length", "max_length", self.max_length)
        if "pattern" in settings:
            settings["pattern"] = check_pattern(settings["pattern"])
            if settings["pattern"] is None:
                del settings["pattern"]
        return settings

    def bounds(self, item) -> tuple[int | None, int | None]:
        """The length the manager asks for (None: no bound of theirs)."""
        return item.settings.get("min_length"), item.settings.get("max_length")

    def rules(self, item, lang: str) -> list:
        """Its manager's rules as validators: the length asked for, the pattern (with its message in `lang`)."""
        low, high = self.bounds(item)
        rules = [TextLength(low, high)] if low or high else []
        if item.settings.get("pattern"):
            rules.append(Pattern(item.settings["pattern"], item.text("invalid", lang)))
        return rules

    def field(self, item, lang):
        validators = [*self.validators(item), Length(max=self.max_length), *self.rules(item, lang)]
        return StringField(item.text("label", lang), validators=validators, filters=[newlines],
                           render_kw={"maxlength": item.settings.get("max_length") or self.max_length})

    def hint(self, item):
        return length_text(*self.bounds(item), error=False)

    def to_values(self, data):
        return super().to_values((data or "").strip())


def newlines(value):
    """Browsers send a textarea's line breaks as \\r\\n: store \\n (and count it as one character)."""
    return normalise_newlines(value) if isinstance(value, str) else value
