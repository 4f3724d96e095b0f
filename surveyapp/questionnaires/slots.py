"""Every translatable text of a questionnaire as a slot with a stable, language-independent key (the translation
screens and workbooks edit them; opening a questionnaire checks that every offered language fills them).

Keys name codes, never positions or database ids, so a workbook stays valid while items are reordered:
``questionnaire.title``, ``questionnaire.page.2``, ``item.<code>.label``, ``option.<item>.<code>.label``.
"""
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from surveyapp.errors import DomainError
from surveyapp.questionnaires.models import ItemText, OptionText, Questionnaire, QuestionnaireText, set_text

QUESTIONNAIRE_KEYS = ("title", "intro", "thanks")
ITEM_KEYS = ("label", "help", "low", "high", "dk", "other_label", "invalid")
# Wordings with built-in words (the app's catalogues translate "Don't know" and "Other"): left empty in the default
# language, they are not the questionnaire's to translate.
BUILT_IN_WORDINGS = ("dk", "other_label")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{[\w.]+\}")
LISTED_MISSING = 12


class IncompleteTranslation(DomainError):
    status_code = 409


@dataclass(frozen=True, eq=False)
class Slot:
    key: str
    owner: object
    model: type
    name: str
    required: bool
    offered: bool = False  # listed even while empty: a wording field of its item's type (a scale's end labels)

    def get(self, lang: str) -> str:
        """The text in exactly this language (no fallback to the default language)."""
        return next((row.text for row in self.owner.texts if row.key == self.name and row.lang == lang), "")

    def set(self, lang: str, value: str) -> None:
        set_text(self.owner, self.model, self.name, lang, value)

    def used(self) -> bool:
        return any(row.key == self.name for row in self.owner.texts)


@dataclass
class LanguageStatus:
    lang: str
    total: int
    missing: list[Slot]

    @property
    def done(self) -> int:
        return self.total - len(self.missing)

    @property
    def ratio(self) -> float:
        return self.done / self.total if self.total else 1.0


def all_slots(questionnaire: Questionnaire) -> list[Slot]:
    """Every slot a text may be stored in, in questionnaire order."""
    slots = [Slot(f"questionnaire.{name}", questionnaire, QuestionnaireText, name, name == "title")
             for name in QUESTIONNAIRE_KEYS]
    slots += [Slot(f"questionnaire.page.{page}", questionnaire, QuestionnaireText, f"page.{page}", False)
              for page in questionnaire.page_numbers]
    for item in questionnaire.items:
        if item.parent_id is not None:  # a part's scale and options are its composite's, translated there
            slots.append(Slot(f"item.{item.code}.label", item, ItemText, "label", True))
            continue
        slots += [Slot(f"item.{item.code}.{name}", item, ItemText, name, name == "label",
                       name in item.kind.wording_keys(item)) for name in ITEM_KEYS]
        slots += [Slot(f"option.{item.code}.{option.code}.label", option, OptionText, "label", True)
                  for option in item.options]
    return slots


def slots(questionnaire: Questionnaire) -> list[Slot]:
    """The slots in use: the always-needed ones, those its item's type offers, any that holds a text; a wording
    with built-in words only when the default language has its own."""
    return [slot for slot in all_slots(questionnaire) if listed(slot, questionnaire.default_lang)]


def listed(slot: Slot, default_lang: str) -> bool:
    if slot.model is ItemText and slot.name in BUILT_IN_WORDINGS:
        return bool(slot.get(default_lang))
    return slot.required or slot.offered or slot.used()


def needed(slot: Slot, default_lang: str) -> bool:
    """A text is needed in every language when it is always needed or the default language has it."""
    return slot.required or bool(slot.get(default_lang))


def completeness(questionnaire: Questionnaire) -> list[LanguageStatus]:
    wanted = [slot for slot in slots(questionnaire) if needed(slot, questionnaire.default_lang)]
    return [LanguageStatus(lang, len(wanted), [slot for slot in wanted if not slot.get(lang)])
            for lang in questionnaire.languages]


def check_complete(questionnaire: Questionnaire) -> None:
    """The publishing gate: refuse while an offered language lacks a text; the message names the texts."""
    gaps = [status for status in completeness(questionnaire) if status.missing]
    if not gaps:
        return
    parts = []
    for status in gaps:
        keys = [slot.key for slot in status.missing]
        shown = ", ".join(keys[:LISTED_MISSING]) + (" …" if len(keys) > LISTED_MISSING else "")
        parts.append(ngettext("%(lang)s: %(num)d text missing (%(keys)s)",
                              "%(lang)s: %(num)d texts missing (%(keys)s)",
                              len(keys), lang=status.lang, keys=shown))
    raise IncompleteTranslation(_("The questionnaire cannot be opened until every offered language is "
                                  "complete. %(details)s.", details="; ".join(parts)))


def placeholders(text: str) -> set[str]:
    """%(name)s and {piping} placeholders, which a translation must keep."""
    return set(PLACEHOLDER.findall(text or ""))


def describe(slot: Slot) -> str:
    """A reader's name for a slot, shown beside its key."""
    kind, _sep, rest = slot.key.partition(".")
    if kind == "questionnaire":
        if rest.startswith("page."):
            return _("Title of page %(page)s", page=rest.removeprefix("page."))
        return str(QUESTIONNAIRE_NAMES[rest])
    if kind == "item":
        code, _sep, name = rest.rpartition(".")
        return _("Question %(code)s: %(part)s", code=code, part=ITEM_NAMES[name])
    item_code, option_code, _name = rest.split(".")
    return _("Question %(code)s: option %(option)s", code=item_code, option=option_code)


QUESTIONNAIRE_NAMES = {"title": _l("Title"), "intro": _l("Introduction"), "thanks": _l("Thank-you text")}
ITEM_NAMES = {"label": _l("question"), "help": _l("help text"), "low": _l("label of the lowest point"),
              "high": _l("label of the highest point"), "dk": _l("wording of “don’t know”"),
              "other_label": _l("wording of “other”"), "invalid": _l("message when the format is not met")}
