"""A new respondent's page: rendered once per structure, language and page; then only hidden values change.

Rendering the items through the macros of respond/_item.html was about 70 % of a respondent's GET. A blank
page (no answers, no errors, no piping, no preview) differs between new respondents only in two hidden values:
the CSRF token and the response key. So the first new respondent's page is rendered in full, as any other, and
kept, cut at those two values, with the cached structure (respond.cache: a changed wording, option or item
gives a new stamp and so a new rendering); the next new respondents get the same bytes with their own values.
Pages with anything personal in them (stored answers, errors, piped session facts, flashed messages) are never
taken from here. Logic keeps a blank page the same for everyone: with no answers yet, its conditions and skips
are decided on none (respond.route) and every piped answer is empty (a `{code}` pipe is ""); only the personal
link pipes session facts, and it never comes here (`respond.views.show` for new respondents of /s/ only).
"""
from collections.abc import Callable

from flask import session, url_for
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from surveyapp.respond import cache


def page(questionnaire, page_number: int, lang: str, key: str, render: Callable[[], str]) -> str:
    """The blank page `render()` would give for the response `key` (in this request's CSRF token)."""
    if "_flashes" in session:  # a flashed message is this visitor's own: render it in their page
        return render()
    token = generate_csrf()  # the token `render()` would put in (one per request: flask_wtf keeps it in g)
    action = url_for("respond.answer", slug=questionnaire.slug)
    cache_key = ("blank", page_number, lang, str(get_locale()), action)
    rendered = []

    def build():
        rendered.append(render())
        return _cut(rendered[0], token, key)

    parts = cache.derived(questionnaire, cache_key, build)
    if rendered:
        return rendered[0]
    if parts is None:  # this page could not be cut safely: render it every time
        return render()
    head, middle, tail = parts
    return f"{head}{escape(token)}{middle}{escape(key)}{tail}"


def _cut(html: str, token: str, key: str) -> tuple[str, str, str] | None:
    """`html` without the token and the key: three parts; None unless each occurs once, in this order."""
    token, key = str(escape(token)), str(escape(key))
    if html.count(token) != 1 or html.count(key) != 1:
        return None
    at_token, at_key = html.index(token), html.index(key)
    if at_token + len(token) > at_key:
        return None
    return html[:at_token], html[at_token + len(token):at_key], html[at_key + len(key):]
