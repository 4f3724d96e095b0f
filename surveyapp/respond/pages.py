"""The respondent's page over HTTP, the same for every entry point: its rendering and the common outcomes.

Each view answers the outcomes that differ between entry points (finished, already submitted, continue later)
itself and hands the rest to `reply`.
"""
from flask import redirect, render_template

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


def render(entry: EntryPoint, form, page: int, *, show_errors: bool = True, posted: bool = False) -> str:
    """The page; one rendered for a POST carries its own GET address, which respond.js puts in the browser's
    history in place of the POST (Back then never asks to send the form again)."""
    questionnaire, lang = entry.questionnaire, entry.lang
    return render_template(
        "respond/page.html", questionnaire=questionnaire, form=form, page=page, pages=questionnaire.page_numbers,
        lang=lang, items=service.page_items(form, questionnaire, page), show_errors=show_errors,
        preview=entry.preview, continue_later=entry.continue_later, action=entry.action_url(),
        own_url=entry.page_url(page, lang=lang) if posted else None,
        html_lang=lang, html_dir=text_direction(lang), piping=entry.piping,
    )
