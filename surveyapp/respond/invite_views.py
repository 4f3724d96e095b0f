"""The personal link /i/<token>: answer page by page, resume on any device, unsubscribe.

The page flow is respond.flow's (entry point respond.invitation.Invitation). Unknown token: 404; closed window:
410; submitted: "already answered". In none of these is anything stored.
"""
from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from surveyapp.errors import DomainError
from surveyapp.extensions import db, limiter
from surveyapp.i18n import choose_language, interface_language_for, text_direction
from surveyapp.participants.service import stop_contact
from surveyapp.respond import flow, pages
from surveyapp.respond import service as respond
from surveyapp.respond.flow import Kind
from surveyapp.respond.invitation import Invitation
from surveyapp.waves import service
from surveyapp.web import http_error

bp = Blueprint("invite", __name__)


def _rate_limit() -> str:
    return current_app.config["TOKEN_RATE_LIMIT"]


def _open(token: str, *, for_answers: bool = True):
    """The invitation, its questionnaire and the respondent's language; HTTP errors for the rest."""
    try:
        invitation = service.find_invitation(token)
        if for_answers and invitation.submitted_at is None:
            service.check_open(invitation)
        questionnaire = respond.load_questionnaire(invitation.wave.questionnaire.slug)
    except DomainError as error:
        raise http_error(error) from None
    contact = invitation.participant.contact
    lang = choose_language(
        questionnaire.languages, questionnaire.default_lang, contact.lang if contact else None
    )
    g.ui_lang = interface_language_for(lang)
    return invitation, questionnaire, lang


def _entry(token: str) -> Invitation:
    invitation, questionnaire, lang = _open(token)
    return Invitation(questionnaire, lang, invitation, token)


def _answered(entry: Invitation):
    lang = entry.lang
    return render_template("waves/answered.html", questionnaire=entry.questionnaire, lang=lang, html_lang=lang,
                           html_dir=text_direction(lang))


@bp.get("/i/<token>")
@limiter.limit(_rate_limit)
def show(token):
    entry = _entry(token)
    outcome = flow.show(entry, request.args.get("page", type=int))
    if outcome.kind is Kind.ALREADY_SUBMITTED:
        return _answered(entry)
    entry.opened()
    db.session.commit()
    return pages.reply(entry, outcome)


@bp.post("/i/<token>")
@limiter.limit(_rate_limit)
def answer(token):
    entry = _entry(token)
    outcome = flow.advance(entry, request.form)
    flow.settle(outcome)
    if outcome.kind is Kind.ALREADY_SUBMITTED:  # submitted now (the rollback re-reads the invitation), or a race
        return (_answered(entry), 409) if entry.closed() else redirect(entry.page_url(outcome.page))
    if outcome.kind is Kind.FINISHED:
        return redirect(url_for("invite.show", token=token))
    return pages.reply(entry, outcome)


class UnsubscribeForm(FlaskForm):
    pass


@bp.route("/i/<token>/unsubscribe", methods=["GET", "POST"])
@limiter.limit(_rate_limit)
def unsubscribe(token):
    invitation, questionnaire, lang = _open(token, for_answers=False)
    form = UnsubscribeForm()
    done = invitation.participant.unsubscribed_at is not None
    if form.validate_on_submit():
        stop_contact(invitation.participant_id)
        db.session.commit()
        done = True
    elif request.method == "POST":
        abort(400)
    return render_template(
        "waves/unsubscribe.html",
        form=form,
        done=done,
        questionnaire=questionnaire,
        lang=lang,
        html_lang=lang,
        html_dir=text_direction(lang),
    )
