"""One cell of an imported file checked as the item's own page would check it, and turned into stored values.

A value of a coded item is matched to an option by its code or its label in any of the questionnaire's
languages (case and spacing ignored; an SPSS value by its value label first); then the item type's own form
field checks it (ranges, decimal places, date limits, text length and pattern, forbidden characters) and its
`to_values` gives what is stored, exactly as for an answer given on the page. A required item left empty in
the file is no problem: earlier data collection may not have asked it of everyone.
"""
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import Form

from surveyapp.i18n import FALLBACK_LANGUAGE
from surveyapp.questionnaires.models import Item

TRUE = {"1", "x", "yes", "true", "ja", "oui", "sí", "si"}
FALSE = {"0", "no", "false", "nein", "non"}
MULTI_SEPARATOR = ";"


def normal(text: str) -> str:
    return " ".join(str(text).split()).casefold()


class _Row(Form):
    """The form each checked field is bound to; it holds no fields of its own."""


@dataclass
class Target:
    """What a column fills: an item's answer, or one option of a multiple choice (a 0/1 column, as exported)."""

    item: Item
    option: str | None = None


class ItemCheck:
    """Checks cells for one item with the item type's own field and validators."""

    def __init__(self, item: Item, languages: list[str]):
        self.item, self.kind = item, item.kind
        lang = item.questionnaire.default_lang
        self.unbound = self.kind.field(item, lang)
        self.form = _Row(meta={"locales": [str(get_locale() or FALLBACK_LANGUAGE)]})
        self.translations = self.form.meta.get_translations(self.form)  # WTForms' own messages in that locale
        self.codes: dict[str, str] = {}
        self.checked: dict[tuple[str, ...], tuple[list[str], str | None]] = {}
        if self.kind.coded:
            self._learn_choices(languages)

    def _learn_choices(self, languages: list[str]) -> None:
        """Codes first, then labels in every language: a label never hides a code."""
        labels: dict[str, str] = {}
        for lang in languages:
            for choice in self.kind.offered(self.item, lang):
                self.codes[normal(choice.code)] = choice.code
                labels.setdefault(normal(choice.label), choice.code)
        for label, code in labels.items():
            self.codes.setdefault(label, code)

    def code_of(self, text: str, label: str | None = None) -> str | None:
        """The option `text` names (by `label`, an SPSS value label, first), or None."""
        if label is not None and normal(label) in self.codes:
            return self.codes[normal(label)]
        return self.codes.get(normal(text))

    def values(self, raw: list[str]) -> list[str]:
        """The stored values of `raw` (already option codes for a coded item); ValueError with the reason.

        A file repeats the same few values (scale points, options) thousands of times: each distinct value is
        checked once, as the check depends on the value alone."""
        data = tuple(raw if self.kind.multi else raw[:1])
        if data not in self.checked:
            self.checked[data] = self._check(data)
        values, reason = self.checked[data]
        if reason is not None:
            raise ValueError(reason)
        return values

    def _check(self, data: tuple[str, ...]) -> tuple[list[str], str | None]:
        field = self.unbound.bind(self.form, "value", translations=self.translations)
        field.process(MultiDict([("value", value) for value in data]))
        if not field.validate(self.form):
            return [], " ".join(str(error) for error in field.errors)
        return self.kind.to_values(field.data), None


def chosen_flag(text: str) -> bool | None:
    """A 0/1 column of one option: True, False, or None when it is neither."""
    value = normal(text)
    if value in TRUE:
        return True
    if value in FALSE or value == "":
        return False
    return None


def split_multi(text: str) -> list[str]:
    return [part.strip() for part in text.split(MULTI_SEPARATOR) if part.strip()]


def unknown_option(check: ItemCheck) -> str:
    codes = ", ".join(dict.fromkeys(check.codes.values()))
    return _("not one of the item's options (%(codes)s), by code or label", codes=codes)
