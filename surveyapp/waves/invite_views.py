"""The personal link /i/<token>: answer page by page, resume on any device, unsubscribe.

Unknown token: 404; closed window: 410; submitted: "already answered". In none of these is anything stored.
"""

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_wtf import FlaskForm

from surveyapp.errors import DomainError
from surveyapp.extensions import db, limiter
from surveyapp.i18n import choose_language, interface_language_for, text_direction
from surveyapp.participants.service import stop_contact
from surveyapp.respond import service as respond
from surveyapp.respond.service import AlreadySubmitted
from surveyapp.respond.views import render_page
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


def _piping(invitation) -> dict[str, str]:
    session = invitation.participant.session
    return {"place": session.place, "date": format_date(session.held_on, "long")}


def _answered(questionnaire, lang):
    return render_template(
        "waves/answered.html",
        questionnaire=questionnaire,
        lang=lang,
        html_lang=lang,
        html_dir=text_direction(lang),
    )


@bp.get("/i/<token>")
@limiter.limit(_rate_limit)
def show(token):
    invitation, questionnaire, lang = _open(token)
    if invitation.submitted_at is not None:
        return _answered(questionnaire, lang)
    service.mark(invitation, "opened")
    db.session.commit()
    response = respond.find_response(service.response_key(invitation), questionnaire)
    data, page = {}, 1
    if response is not None:
        data = respond.stored_form_data(response, questionnaire)
        page = request.args.get("page", response.page, type=int)
    page = min(max(page, 1), questionnaire.page_numbers[-1])
    form = respond.page_form(questionnaire, page, lang, data={**data, "rk": "-", "page": page})
    return render_page(
        questionnaire,
        form,
        page,
        lang,
        action=url_for("invite.answer", token=token),
        piping=_piping(invitation),
    )


@bp.post("/i/<token>")
@limiter.limit(_rate_limit)
def answer(token):
    invitation, questionnaire, lang = _open(token)
    if invitation.submitted_at is not None:
        return _answered(questionnaire, lang), 409
    page = min(max(request.form.get("page", 1, type=int), 1), questionnaire.page_numbers[-1])
    form = respond.page_form(questionnaire, page, lang)
    render = {"action": url_for("invite.answer", token=token), "piping": _piping(invitation)}
    if "lang" in request.form:
        return render_page(questionnaire, form, page, lang, show_errors=False, **render)
    if request.form.get("nav") == "back":
        return redirect(url_for("invite.show", token=token, page=max(page - 1, 1)))
    if not form.validate():
        return render_page(questionnaire, form, page, lang, **render), 422
    final = page == questionnaire.page_numbers[-1]
    links = {
        "participant_id": invitation.participant_id,
        "wave_id": invitation.wave_id,
        "invitation_id": invitation.id,
    }
    try:  # the key comes from the invitation, never from the form: any device resumes the same response
        respond.save_page(
            questionnaire,
            service.response_key(invitation),
            page,
            lang,
            respond.collect_answers(form, questionnaire, page),
            final=final,
            links=links,
        )
        service.mark(invitation, "started")
        if final:
            service.mark(invitation, "submitted")
        db.session.commit()
    except AlreadySubmitted:
        db.session.rollback()
        return redirect(url_for("invite.show", token=token))
    if final:
        return redirect(url_for("invite.show", token=token))
    return redirect(url_for("invite.show", token=token, page=page + 1))


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
