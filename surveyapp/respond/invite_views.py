"""The personal link /i/<token>: answer page by page, resume on any device, unsubscribe.

The page flow is respond.flow's (entry point respond.invitation.Invitation). Unknown token: 404; closed window:
410; submitted: "already answered". In none of these is anything stored. /i/<token>/unsubscribe/one-click is
the letters' List-Unsubscribe address (RFC 8058 one-click unsubscribe).
"""
from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from surveyapp.errors import DomainError
from surveyapp.extensions import csrf, db, limiter, token_rate_limit
from surveyapp.i18n import INTERFACE_LANGUAGES, choose_language, interface_language_for, text_direction
from surveyapp.participants.service import stop_contact
from surveyapp.respond import flow, pages
from surveyapp.respond import service as respond
from surveyapp.respond.flow import Kind
from surveyapp.respond.invitation import Invitation
from surveyapp.waves import service
from surveyapp.web import http_error, render_error

bp = Blueprint("invite", __name__)


def _open(token: str, *, for_answers: bool = True):
    """The invitation and its questionnaire; HTTP errors for the rest."""
    try:
        invitation = service.find_invitation(token)
    except DomainError as error:
        raise http_error(error) from None
    try:
        if for_answers and invitation.submitted_at is None:
            service.check_open(invitation)
        questionnaire = respond.load_questionnaire(invitation.wave.questionnaire.slug)
    except DomainError as error:  # closed: said in the participant's own language (shipped), as the link's pages
        _own_language(invitation.wave.questionnaire, invitation)
        refresh()  # the error's message asked for the locale already: ask again
        raise http_error(error) from None
    return invitation, questionnaire


def _language(questionnaire, invitation, kept: str | None = None) -> str:
    """The language switch, the form's address (it carries the page's language), `kept` (the one the response
    was last saved in, on any device), the contact's, Accept-Language, the default: the first one offered."""
    contact = invitation.participant.contact
    lang = choose_language(questionnaire.languages, questionnaire.default_lang,
                           kept if kept in questionnaire.languages else contact.lang if contact else None)
    g.ui_lang = interface_language_for(lang)
    return lang


def _own_language(questionnaire, invitation) -> str:
    """For the link's own pages (unsubscribe), not the questionnaire's: the contact's language when we ship it,
    even if the questionnaire is not offered in it; else as the questionnaire pages choose (`_language`)."""
    contact = invitation.participant.contact
    own = contact.lang.split("_")[0] if contact and contact.lang else None
    if own not in INTERFACE_LANGUAGES:
        return _language(questionnaire, invitation)
    g.ui_lang = own
    refresh()  # a message may have asked for the locale already
    return own


def _entry(token: str) -> Invitation:
    invitation, questionnaire = _open(token)
    return Invitation(questionnaire, _language(questionnaire, invitation), invitation, token)


def _kept_entry(token: str) -> Invitation:
    """The entry for a GET: the response looked up once, for its language and its answers."""
    invitation, questionnaire = _open(token)
    response = respond.find_response(service.response_key(invitation), questionnaire)
    lang = _language(questionnaire, invitation, response.lang if response else None)
    return Invitation(questionnaire, lang, invitation, token, response=response)


def _answered(entry: Invitation):
    lang = entry.lang
    return render_template("waves/answered.html", questionnaire=entry.questionnaire, lang=lang, html_lang=lang,
                           html_dir=text_direction(lang))


@bp.get("/i/<token>")
@limiter.limit(token_rate_limit)
def show(token):
    entry = _kept_entry(token)
    outcome = flow.show(entry, request.args.get("page", type=int))
    if outcome.kind is Kind.ALREADY_SUBMITTED:
        return _answered(entry)
    entry.opened()
    db.session.commit()
    return pages.reply(entry, outcome)


@bp.post("/i/<token>")
@limiter.limit(token_rate_limit)
def answer(token):
    entry = _entry(token)
    outcome = flow.advance(entry, request.form)
    flow.settle(outcome)
    if outcome.kind is Kind.ALREADY_SUBMITTED:  # submitted now (the rollback re-reads the invitation), or a race
        return (_answered(entry), 409) if entry.closed() else redirect(entry.page_url(outcome.page))
    if outcome.kind is Kind.FINISHED:
        return redirect(url_for("invite.show", token=token))
    return pages.reply(entry, outcome)


@bp.errorhandler(CSRFError)
def _expired(_error):
    """A form posted after its session was lost: the page again as typed, in the survey's language, to be sent
    again (pages.expired; the unsubscribe page with a fresh form); nothing is stored."""
    token = request.view_args["token"]
    try:
        if request.endpoint != "invite.unsubscribe":
            return pages.expired(_entry(token), request.form)
        invitation, questionnaire = _open(token, for_answers=False)
        _own_language(questionnaire, invitation)
        notice = _("This page had expired. Please send it again.")
        return _unsubscribe_page(invitation, questionnaire, UnsubscribeForm(formdata=None), notice=notice,
                                 done=invitation.participant.unsubscribed_at is not None), 400
    except HTTPException as error:  # raised in an error handler, it would become a 500
        return render_error(400, getattr(error, "survey_message", None))  # a refused form: 400 whatever else


class UnsubscribeForm(FlaskForm):
    pass


@bp.route("/i/<token>/unsubscribe", methods=["GET", "POST"])
@limiter.limit(token_rate_limit)
def unsubscribe(token):
    invitation, questionnaire = _open(token, for_answers=False)
    form = UnsubscribeForm()
    done = invitation.participant.unsubscribed_at is not None
    if form.validate_on_submit():
        _stop(invitation)
        done = True
    elif request.method == "POST":
        abort(400)
    return _unsubscribe_page(invitation, questionnaire, form, done=done)


@bp.route("/i/<token>/unsubscribe/one-click", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(token_rate_limit)
def unsubscribe_one_click(token):
    """RFC 8058: the address in an invitation's List-Unsubscribe header, POSTed by the mail provider.

    Its body is ``List-Unsubscribe=One-Click`` and carries no CSRF token; the secret token in the address is
    the only credential here (no session is involved), so the CSRF check is left out for that body only:
    any other POST is refused with 400 and changes nothing. A GET (someone opening the address) shows the
    usual page, which asks first.
    """
    invitation, questionnaire = _open(token, for_answers=False)
    if request.method == "GET":
        return redirect(url_for("invite.unsubscribe", token=token))
    if request.form.get("List-Unsubscribe") != "One-Click":
        _own_language(questionnaire, invitation)
        return render_error(400, _("This address only accepts the one-click unsubscribe of an e-mail program."))
    _stop(invitation)
    return _unsubscribe_page(invitation, questionnaire, UnsubscribeForm(formdata=None), done=True)


def _stop(invitation) -> None:
    """Unsubscribe the invitation's participant (once: again is a no-op) and commit."""
    if invitation.participant.unsubscribed_at is None:
        stop_contact(invitation.participant_id)
        db.session.commit()


def _unsubscribe_page(invitation, questionnaire, form, *, done: bool = False, notice: str | None = None) -> str:
    lang = _own_language(questionnaire, invitation)
    return render_template(
        "waves/unsubscribe.html",
        form=form,
        done=done,
        notice=notice,
        questionnaire=questionnaire,
        lang=lang,
        html_lang=lang,
        html_dir=text_direction(lang),
    )
