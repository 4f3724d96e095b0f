"""List the questionnaire templates and build a draft questionnaire from one (see the package docstring).

`create_from` flushes, never commits: the view or CLI command owns the transaction, so a refused template
(a taken link name, an unknown language) leaves nothing behind once the caller rolls back.
"""
import itertools
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.i18n import FALLBACK_LANGUAGE
from surveyapp.programmes import pathways
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import pages as page_service
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Item, Questionnaire

LIBRARY = Path(__file__).resolve().parent / "library"
QUESTIONNAIRE_TEXTS = ("intro", "thanks")


class UnknownStarter(DomainError):
    status_code = 404


@dataclass(frozen=True)
class Starter:
    """One template as read from its file; `data` follows the format in the package docstring."""

    key: str
    data: dict

    @property
    def languages(self) -> list[str]:
        return list(self.data["languages"])

    @property
    def pages(self) -> list[dict]:
        return self.data["pages"]

    def title(self, lang: str) -> str:
        return self._pick(self.data["title"], lang)

    def description(self, lang: str) -> str:
        return self._pick(self.data["description"], lang)

    def _pick(self, texts: dict[str, str], lang: str) -> str:
        """In `lang` if the template has it, else English, else its default language."""
        return pick(texts, lang, self.languages[:1])


@cache
def library() -> tuple[Starter, ...]:
    """Every template of the library, in its list order (read once: the files ship with the package)."""
    starters = [Starter(path.stem, json.loads(path.read_text(encoding="utf-8")))
                for path in LIBRARY.glob("*.json")]
    return tuple(sorted(starters, key=lambda starter: (starter.data.get("order", 99), starter.key)))


def find(key: str) -> Starter:
    starter = next((starter for starter in library() if starter.key == key), None)
    if starter is None:
        raise UnknownStarter(_l("There is no template of this name."))
    return starter


def listing(lang: str | None = None) -> list[tuple[str, str, str]]:
    """(key, title, description) of every template in `lang` (default: the interface language)."""
    lang = lang or str(get_locale() or FALLBACK_LANGUAGE)
    return [(starter.key, starter.title(lang), starter.description(lang)) for starter in library()]


def languages() -> list[str]:
    """Every language some template is written in, in the templates' order."""
    return list(dict.fromkeys(lang for starter in library() for lang in starter.languages))


def suggest_slug(key: str) -> str:
    """The template's key as a link name, numbered when taken ("youth-survey-2"): one thing less to invent."""
    base = key.replace("_", "-")
    taken = set(db.session.scalars(select(Questionnaire.slug).where(Questionnaire.slug.startswith(base))))
    candidates = itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2)))
    return next(slug for slug in candidates if slug not in taken)


def create_from(starter_key: str, programme: Programme, slug: str, languages: list[str],
                default_lang: str | None = None) -> Questionnaire:
    """A draft questionnaire of `programme` from the template, in `languages` (default: the first)."""
    starter = find(starter_key)
    return build(starter.data, programme, slug, _chosen_languages(starter, languages, default_lang))


def build(data: dict, programme: Programme, slug: str, languages: list[str],
          default_lang: str | None = None) -> Questionnaire:
    """A draft questionnaire of `programme` from `data` in the starter format (a template, or a file read by
    surveyapp.interchange), through the builder's own checks; texts in languages `data` lacks are left out."""
    languages = list(dict.fromkeys([default_lang, *languages] if default_lang else languages))
    default = languages[0]
    questionnaire = builder.create_questionnaire(programme.id, slug, default, languages,
                                                 pick(data["title"], default, languages))
    for lang in languages:
        builder.set_questionnaire_texts(questionnaire, lang, _questionnaire_texts(data, lang, languages))
    for number, page in enumerate(data["pages"], start=1):
        for spec in page["items"]:
            _add_item(questionnaire, spec, number, languages)
    for number, page in enumerate(data["pages"], start=1):
        if page.get("condition") or page.get("skips"):
            page_service.set_logic(questionnaire, number, page.get("condition"), page.get("skips", []))
    return questionnaire


def pick(texts: dict[str, str], lang: str, languages: list[str]) -> str:
    """In `lang` if given, else English, else the first of `languages` given, else empty."""
    for candidate in (lang, FALLBACK_LANGUAGE, *languages):
        if candidate in texts:
            return texts[candidate]
    return ""


def _chosen_languages(starter: Starter, languages: list[str], default_lang: str | None) -> list[str]:
    """The chosen languages with the default first; each must be one the template is written in."""
    chosen = list(dict.fromkeys([default_lang, *languages] if default_lang else languages))
    if not chosen:
        raise DomainError(_l("Choose at least one language."))
    missing = [lang for lang in chosen if lang not in starter.languages]
    if missing:
        raise DomainError(_l("This template is written in %(offered)s only, not in %(missing)s.",
                             offered=", ".join(starter.languages), missing=", ".join(missing)))
    return chosen


def _questionnaire_texts(data: dict, lang: str, languages: list[str]) -> dict[str, str]:
    texts = {"title": data["title"].get(lang) or pick(data["title"], lang, languages)}
    texts |= {key: data.get("texts", {}).get(key, {}).get(lang) for key in QUESTIONNAIRE_TEXTS}
    texts |= {f"page.{number}": page.get("title", {}).get(lang) for number, page in enumerate(data["pages"], start=1)}
    return texts


def _add_item(questionnaire: Questionnaire, spec: dict, page: int, languages: list[str]) -> Item:
    """Add one item as the builder does; a matrix lists its rows as the builder's text area does."""
    rows = spec.get("rows", [])
    settings = dict(spec.get("settings", {}))
    if rows:
        settings["rows"] = "\n".join(f"{row['code']} = {row['label'][languages[0]]}" for row in rows)
    item = builder.add_item(
        questionnaire, spec["code"], spec["type"], required=spec.get("required", False), page=page,
        settings=settings, texts=_in_languages(spec.get("texts", {}), languages),
        options=[(option["code"], _labels(option, languages)) for option in spec.get("options", [])],
    )
    for part, row in zip(item.parts if rows else [], rows, strict=True):  # a ranking derives its parts
        for lang, label in _labels(row, languages).items():
            builder.set_item_texts(part, lang, {"label": label})
        if row.get("condition"):
            builder.set_item_condition(part, row["condition"])
    if spec.get("condition"):
        builder.set_item_condition(item, spec["condition"])
    stage = spec.get("stage", {}).get(questionnaire.programme.pathway or pathways.DEFAULT)
    if stage:
        builder.set_item_stage(item, stage)
    return item


def _in_languages(texts: dict[str, dict[str, str]], languages: list[str]) -> dict[str, dict[str, str]]:
    """{key: {lang: text}} -> {lang: {key: text}} for the chosen languages, as the builder stores texts."""
    return {lang: {key: by_lang[lang] for key, by_lang in texts.items() if lang in by_lang} for lang in languages}


def _labels(entry: dict, languages: list[str]) -> dict[str, str]:
    return {lang: entry["label"][lang] for lang in languages if lang in entry["label"]}
