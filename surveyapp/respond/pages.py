"""The respondent's page over HTTP, the same for every entry point: its rendering and the common outcomes.

Each view answers the outcomes that differ between entry points (finished, already submitted, continue later)
itself and hands the rest to `reply`.
"""
from collections.abc import Mapping

from flask import redirect, render_template
from flask_babel import gettext as _

from surveyapp.i18n import text_direction
from surveyapp.respond import flow, service
from surveyapp.respond.flow import EntryPoint, Kind, Outcome


def reply(entry: EntryPoint, outcome: Outcome):
    """A page (200), its errors (422) or the redirect to the next or previous page."""
    if outcome.kind in (Kind.NEXT, Kind.BACK):
        return redirect(entry.page_url(outcome.page))
    form = outcome.form or flow.page_form(entry, outcome.page)
    html = render(entry, form, outcome.page, show_errors=outcome.kind is not Kind.LANGUAGE,
                  posted=outcome.kind in (Kind.ERRORS, Kind.LANGUAGE))
    return (html, 422) if outcome.kind is Kind.ERRORS else html


def expired(entry: EntryPoint, formdata: Mapping):
    """A page posted with an expired or missing CSRF token (the browser was closed and its session lost): the
    same page again with what was typed, a fresh token in its form and a notice to send it again (400).
    Nothing is stored or checked: the posted key and answers are only shown back."""
    page = flow.clamp(entry.questionnaire, flow.page_number(formdata))
    form = service.page_form(entry.questionnaire, page, entry.lang, formdata=formdata)
    notice = _("This page had expired and nothing on it was saved yet. Please check your answers and send it again.")
    return render(entry, form, page, show_errors=False, posted=True, notice=notice), 400


def render(entry: EntryPoint, form, page: int, *, show_errors: bool = True, posted: bool = False,
           notice: str | None = None) -> str:
    """The page; one rendered for a POST carries its own GET address, which respond.js puts in the browser's
    history in place of the POST (Back then never asks to send the form again)."""
    questionnaire, lang = entry.questionnaire, entry.lang
    return render_template(
        "respond/page.html", questionnaire=questionnaire, form=form, page=page, pages=questionnaire.page_numbers,
        lang=lang, items=service.page_items(form, questionnaire, page), show_errors=show_errors,
        preview=entry.preview, continue_later=entry.continue_later, action=entry.action_url(),
        own_url=entry.page_url(page, lang=lang) if posted else None,
        html_lang=lang, html_dir=text_direction(lang), piping=entry.piping, notice=notice,
    )
