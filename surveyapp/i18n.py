"""Locale selection and language facts shared by the staff and respondent sides."""
import re
from contextlib import nullcontext
from datetime import date, datetime
from pathlib import Path

from babel import Locale, UnknownLocaleError
from flask import g, has_request_context, request, session
from flask_babel import force_locale, get_locale

INTERFACE_LANGUAGES = ("de", "en", "fr", "it", "tr", "uk", "ar")
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv"})
FALLBACK_LANGUAGE = "en"
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
_BIDI_MARKS = re.compile("[\u061c\u200e\u200f]")


def is_rtl(lang: str) -> bool:
    return lang.split("_")[0] in RTL_LANGUAGES


def text_direction(lang: str) -> str:
    return "rtl" if is_rtl(lang) else "ltr"


def language_name(lang: str) -> str:
    """The language's own name ("Deutsch", "العربية"), for language switches."""
    try:
        return Locale.parse(lang).get_display_name(lang).capitalize()
    except (ValueError, UnknownLocaleError):
        return lang


def ui_language_name(lang: str) -> str:
    """The language's name in the interface language ("Englisch" on a German page), for staff pages' text."""
    from flask_babel import get_locale

    try:
        return Locale.parse(lang).get_display_name(get_locale() or "en")
    except (ValueError, UnknownLocaleError):
        return lang


def is_known_language(lang: str) -> bool:
    try:
        Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return False
    return True


def interface_language_for(lang: str) -> str:
    """Content may be in any language; the interface falls back to English where we ship no catalogue."""
    base = lang.split("_")[0]
    return base if base in INTERFACE_LANGUAGES else FALLBACK_LANGUAGE


def choose_language(offered: list[str], default: str, remembered: str | None) -> str:
    """The language switch (a form's `lang`), ?lang=, the earlier choice, Accept-Language, the default.

    The switch comes first: a page's form may post to an address that carries the language it was shown in."""
    asked = request.form.get("lang") or request.args.get("lang")
    if asked in offered:
        return asked
    if remembered in offered:
        return remembered
    return request.accept_languages.best_match(offered) or default


def select_locale() -> str:
    """Flask-Babel selector: a view may pin g.ui_lang (respondent pages); staff pick theirs."""
    if not has_request_context():  # CLI commands and services run outside a request
        return FALLBACK_LANGUAGE
    pinned = g.get("ui_lang")
    if pinned:
        return pinned
    asked = request.args.get("ui")
    if asked in INTERFACE_LANGUAGES:
        session["ui_lang"] = asked
        return asked
    if session.get("ui_lang") in INTERFACE_LANGUAGES:
        return session["ui_lang"]
    return request.accept_languages.best_match(INTERFACE_LANGUAGES) or FALLBACK_LANGUAGE


def missing_catalogues(translations: Path) -> list[str]:
    """Interface languages without a compiled catalogue, or whose catalogue is older than its .po file."""
    missing = []
    for lang in INTERFACE_LANGUAGES:
        po = translations / lang / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or (po.exists() and mo.stat().st_mtime < po.stat().st_mtime):
            missing.append(lang)
    return missing


def check_catalogues(app, translations: Path) -> None:
    """Like SecureDrop: say at start-up when a language would silently fall back to English."""
    missing = missing_catalogues(translations)
    if missing:
        app.logger.warning("no compiled (or an outdated) catalogue for %s: run `make translations` "
                           "or `flask translate compile`", ", ".join(missing))


def in_language(lang: str):
    """Translate interface strings (yes, no, "version 2") in `lang`: the export's or report's language, not the
    staff member's. A context manager; nothing to switch when the request's locale is that language already."""
    wanted = interface_language_for(lang)
    return nullcontext() if str(get_locale()) == wanted else force_locale(wanted)


def isolate(text: str, ltr: bool = False) -> str:
    """``text`` as a bidi isolate: left to right (LRI) or in its own first letter's direction (FSI), so a date
    range or a Latin title inside Arabic text keeps its order (the PDF's pdftext.visual and browsers honour it)."""
    return f"{LRI if ltr else FSI}{text}{PDI}"


def quoted(text: str, _=None, isolated: bool | None = None) -> str:
    """``text`` in the language's quotation marks (“…”, „…“, « … »), from the catalogue (``_``: the report's
    gettext, Flask-Babel's by default); isolated in a right-to-left language (by default: the current locale)."""
    if _ is None:
        from flask_babel import gettext as _
    if isolated is None:
        isolated = has_request_context() and is_rtl(str(get_locale()))
    # Translators: quotation marks around a quoted title, question or answer, in your language's style: German
    # „%(text)s“, French « %(text)s », Arabic ”%(text)s“ or «%(text)s».
    return _("“%(text)s”") % {"text": isolate(text) if isolated else text}


def date_range(first: date | datetime, last: date | datetime, lang: str) -> str:
    """“27/09/2025 – 10/12/2026”: both dates in one pattern (the locale's medium date, its bidi marks dropped),
    in a right-to-left language as one left-to-right run, so every row of a table reads the same way."""
    from babel.dates import format_date

    def one(day: date | datetime) -> str:
        return _BIDI_MARKS.sub("", format_date(day, "medium", locale=lang))

    text = f"{one(first)} – {one(last)}"
    return isolate(text, ltr=True) if is_rtl(lang) else text
