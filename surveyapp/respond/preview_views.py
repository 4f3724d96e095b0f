"""The builder's preview of the respondent's pages: the one page flow (respond.flow) with nothing stored.

Staff who may read the questionnaire see it in any state (draft, open or closed), in any of its languages.
"""
from flask import Blueprint, flash, g, redirect, request, session
from flask_babel import gettext as _

from surveyapp.accounts.access import READ, require, staff_required
from surveyapp.i18n import interface_language_for
from surveyapp.questionnaires.blueprint import get_questionnaire
from surveyapp.respond import flow, pages
from surveyapp.respond.entries import Preview
from surveyapp.respond.flow import Kind

bp = Blueprint("respond_preview", __name__, url_prefix="/manage")


def _entry(questionnaire_id: int) -> Preview:
    questionnaire = get_questionnaire(questionnaire_id)
    require(questionnaire.programme_id, READ)
    lang = request.form.get("lang") or request.args.get("lang")
    lang = lang if lang in questionnaire.languages else questionnaire.default_lang
    g.ui_lang = interface_language_for(lang)
    return Preview(questionnaire, lang, session)


@bp.get("/questionnaires/<int:questionnaire_id>/preview")
@staff_required
def show(questionnaire_id: int):
    entry = _entry(questionnaire_id)
    return pages.reply(entry, flow.show(entry, request.args.get("page", type=int)))


@bp.post("/questionnaires/<int:questionnaire_id>/preview")
@staff_required
def answer(questionnaire_id: int):
    """Turn the preview's pages; their answers are checked, kept only in the session, never stored."""
    entry = _entry(questionnaire_id)
    outcome = flow.advance(entry, request.form)
    if outcome.kind is Kind.FINISHED:
        flash(_("Preview finished: the answers were valid. Nothing was stored."))
        return redirect(entry.page_url(1))
    return pages.reply(entry, outcome)
