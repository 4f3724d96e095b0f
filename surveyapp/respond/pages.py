"""The respondent's page over HTTP, the same for every entry point: its rendering and the common outcomes.

Each view answers the outcomes that differ between entry points (finished, already submitted, continue later)
itself and hands the rest to `reply`.
"""
import json
from collections.abc import Mapping
from dataclasses import dataclass

from flask import redirect, render_template
from flask_babel import gettext as _
from markupsafe import Markup

from surveyapp.i18n import text_direction
from surveyapp.logic import references, to_json
from surveyapp.piping import answer_texts
from surveyapp.respond import flow, route, service
from surveyapp.respond.flow import EntryPoint, Kind, Outcome
from surveyapp.respond.route import Answers

_MOVED = (Kind.NEXT, Kind.BACK, Kind.ELSEWHERE)


def reply(entry: EntryPoint, outcome: Outcome):
    """A page (200), its errors (422) or the redirect to the next or previous page."""
    if outcome.kind in _MOVED:
        return redirect(entry.page_url(outcome.page))
    form = outcome.form or flow.page_form(entry, outcome.page)
    html = render(entry, form, outcome.page, outcome.answers, show_errors=outcome.kind is not Kind.LANGUAGE,
                  posted=outcome.kind in (Kind.ERRORS, Kind.LANGUAGE))
    return (html, 422) if outcome.kind is Kind.ERRORS else html


def expired(entry: EntryPoint, formdata: Mapping):
    """A page posted with an expired or missing CSRF token (the browser was closed and its session lost): the
    same page again with what was typed, a fresh token in its form and a notice to send it again (400).
    Nothing is stored or checked: the posted key and answers are only shown back."""
    questionnaire = entry.questionnaire
    page = flow.clamp(questionnaire, flow.page_number(formdata))
    form = service.page_form(questionnaire, page, entry.lang, formdata=formdata)
    answers = flow.posted_answers(form, questionnaire, page) if flow.reads_answers(questionnaire) else {}
    notice = _("This page had expired and nothing on it was saved yet. Please check your answers and send it again.")
    return render(entry, form, page, answers, show_errors=False, posted=True, notice=notice), 400


@dataclass(frozen=True)
class Place:
    """Where a page is on the respondent's way: "page `number` of `total`", whether Back and Next lead on."""

    number: int
    total: int
    back: bool  # a page of the way comes before it
    last: bool  # its button submits (the way ends after it, as far as the answers known tell)


def place(way: route.Walk, page: int) -> Place:
    """Progress counts the pages of the way (a page off it, e.g. posted after a change, counts as one) and the
    later ones an answer on this page may still bring on (route.Walk.may_follow): with one, it is not last."""
    before, maybe = sum(number < page for number in way.way), way.may_follow(page)
    last = way.next_page(page) is route.END and not maybe
    return Place(before + 1, len(way.way) + (page not in way.way) + len(maybe), before > 0, last)


def render(entry: EntryPoint, form, page: int, answers: Answers | None = None, *, show_errors: bool = True,
           posted: bool = False, notice: str | None = None) -> str:
    """The page; one rendered for a POST carries its own GET address, which respond.js puts in the browser's
    history in place of the POST (Back then never asks to send the form again)."""
    questionnaire, lang = entry.questionnaire, entry.lang
    way = route.walk(questionnaire, answers or {})
    shown = way.shown(page, judged=False)
    fields = dict(service.page_items(form, questionnaire, page))
    items = [(item, fields.get(item), [(part, fields.get(part)) for part in shown if part.parent is item])
             for item in shown if item.parent is None]
    return render_template(
        entry.template, questionnaire=questionnaire, form=form, page=page, lang=lang, items=items,
        fields=[(item, fields[item]) for item in shown if fields.get(item) is not None],
        place=place(way, page), show_errors=show_errors, preview=entry.preview,
        continue_later=entry.continue_later, action=entry.action_url(),
        own_url=entry.page_url(page, lang=lang) if posted else None, html_lang=lang, html_dir=text_direction(lang),
        piping=_piping(entry, way.answers), conditions=conditions(shown, way.answers), notice=notice,
        **entry.page_context(),
    )


def _piping(entry: EntryPoint, answers: Answers) -> Mapping[str, str] | None:
    """The invitation's facts and, where texts pipe answers, each item's answer (an item's code names it)."""
    if not flow.reads_answers(entry.questionnaire):
        return entry.piping
    return {**(entry.piping or {}), **answer_texts(entry.questionnaire.items, answers, entry.lang)}


def conditions(shown: list, answers: Answers) -> dict[int, Markup]:
    """The attributes static/logic.js decides by, for each shown item whose condition reads its own page:
    `data-condition` (the tree, logic.to_json) and `data-known` (the answers it reads from other pages)."""
    attributes = {}
    for item in shown:
        own_page = route.same_page_codes(item)
        if not own_page:
            continue
        tree = route.parsed(item.condition)
        known = {code: list(answers.get(code) or ()) for code in references(tree) if code not in own_page}
        attributes[item.id] = Markup(' data-condition="{}" data-known="{}"').format(
            json.dumps(to_json(tree), ensure_ascii=False), json.dumps(known, ensure_ascii=False))
    return attributes
