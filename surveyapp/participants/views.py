"""Staff pages for sessions and participants (contacts: managers only; evaluators see codes); enrolment."""

import segno
from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from surveyapp.accounts.access import MANAGE, READ, require, staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db, limiter, token_rate_limit
from surveyapp.filenames import safe_filename
from surveyapp.i18n import FALLBACK_LANGUAGE, INTERFACE_LANGUAGES, choose_language, interface_language_for
from surveyapp.participants import handouts, service, signals
from surveyapp.participants.forms import ContactForm, EnrolForm, ParticipantForm, RosterForm, SessionForm
from surveyapp.participants.models import Participant, TrainingSession
from surveyapp.participants.roster import RosterRejected, import_roster
from surveyapp.programmes.models import Programme
from surveyapp.web import http_error, public_url

bp = Blueprint("participants", __name__)


def _get(model, object_id: int):
    row = db.session.get(model, object_id)
    if row is None:
        abort(404)
    return row


@bp.route("/manage/programmes/<int:programme_id>/sessions", methods=["GET", "POST"])
@staff_required
def sessions(programme_id: int):
    programme = _get(Programme, programme_id)
    require(programme.id, MANAGE if request.method == "POST" else READ)  # before validation: evaluators get 403
    form = SessionForm()
    if form.validate_on_submit():
        session = service.create_session(programme.id, form.held_on.data, form.place.data, form.trainer.data)
        db.session.commit()
        return redirect(url_for("participants.session", session_id=session.id))
    return render_template(
        "participants/sessions.html",
        programme=programme,
        form=form,
        sessions=service.programme_sessions(programme.id),
        can_manage=current_user.can(programme.id, *MANAGE),
    )


def enrol_url(session: TrainingSession) -> str:
    return public_url(f"/e/{session.enrol_code}")


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=8)


@bp.get("/manage/sessions/<int:session_id>")
@staff_required
def session(session_id: int):
    session = _get(TrainingSession, session_id)
    require(session.programme_id, READ)
    return _session_page(session, RosterForm())


def _session_page(session: TrainingSession, roster_form, status: int = 200):
    can_manage = current_user.can(session.programme_id, *MANAGE)
    url = enrol_url(session)
    return render_template(
        "participants/session.html",
        session=session,
        can_manage=can_manage,
        add_form=ParticipantForm(),
        roster_form=roster_form,
        enrol_url=url,
        qr=qr_data_uri(url) if can_manage and session.enrolment_open else None,
        handout_languages=INTERFACE_LANGUAGES,
        handout_language=handouts.handout_language(session, str(get_locale())),
    ), status


@bp.get("/manage/sessions/<int:session_id>/handout.pdf")
@staff_required
def handout(session_id: int):
    """The printable A4 handout with the enrolment QR code, in ?lang= or the programme's language."""
    session = _get(TrainingSession, session_id)
    require(session.programme_id, MANAGE)  # the enrolment link: managers only, as on the session page
    if not session.enrolment_open:
        abort(404)
    asked = request.args.get("lang")
    lang = asked if asked in INTERFACE_LANGUAGES else handouts.handout_language(session, str(get_locale()))
    name = safe_filename(f"handout-{session.held_on.isoformat()}-{lang}", "pdf")
    return Response(handouts.handout_pdf(session, enrol_url(session), lang), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


def _managed_session(session_id: int, form_class):
    session = _get(TrainingSession, session_id)
    require(session.programme_id, MANAGE)
    return session, form_class()


def _back_with_errors(session: TrainingSession, form):
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")
    return redirect(url_for("participants.session", session_id=session.id))


@bp.post("/manage/sessions/<int:session_id>/participants")
@staff_required
def add(session_id: int):
    session, form = _managed_session(session_id, ParticipantForm)
    if not form.validate_on_submit():
        return _back_with_errors(session, form)
    try:
        participant = service.add_participant(
            session,
            email=form.email.data,
            lang=form.lang.data,
            name=form.name.data,
            phone=form.phone.data,
            consent_source="manual",
        )
    except DomainError as error:
        db.session.rollback()
        raise http_error(error) from None
    signals.joined.send(session.programme_id)
    db.session.commit()
    flash(_("Participant %(code)s added.", code=participant.panel_code), "success")
    return redirect(url_for("participants.session", session_id=session.id))


@bp.post("/manage/sessions/<int:session_id>/import")
@staff_required
def roster(session_id: int):
    session, form = _managed_session(session_id, RosterForm)
    if not form.validate_on_submit():  # no file, or consent not confirmed: the form again, with its errors
        return _session_page(session, form, 422)
    upload = form.roster.data
    try:
        added = import_roster(session, upload.filename or "", upload.read(), current_app.config["IMPORT_SECONDS"])
    except RosterRejected as rejected:
        db.session.rollback()
        return render_template(
            "participants/roster_report.html",
            session=session,
            message=rejected.message,
            problems=rejected.problems,
            sheet=rejected.sheet,
        ), 422
    signals.joined.send(session.programme_id)
    db.session.commit()
    flash(ngettext("%(num)d participant imported.", "%(num)d participants imported.", len(added)), "success")
    return redirect(url_for("participants.session", session_id=session.id))


@bp.route("/manage/participants/<int:participant_id>", methods=["GET", "POST"])
@staff_required
def edit(participant_id: int):
    participant = _get(Participant, participant_id)
    require(participant.programme_id, MANAGE)  # contact details: managers of the programme only
    if participant.erased_at is not None:  # a tombstone: nothing left to edit
        page = render_template("participants/edit.html", participant=participant, form=None)
        return page, 200 if request.method == "GET" else 409
    contact = participant.contact
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            service.update_contact(
                participant,
                name=form.name.data,
                email=form.email.data,
                phone=form.phone.data,
                lang=form.lang.data,
            )
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, service.DuplicateEmail):
                form.email.errors.append(str(error.message))
            else:
                flash(str(error.message), "error")
            return render_template("participants/edit.html", participant=participant, form=form), error.status_code
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("participants.session", session_id=participant.session_id))
    return render_template("participants/edit.html", participant=participant, form=form)


@bp.post("/manage/participants/<int:participant_id>/withdraw")
@staff_required
def withdraw(participant_id: int):
    participant = _get(Participant, participant_id)
    require(participant.programme_id, MANAGE)
    if not FlaskForm().validate_on_submit():  # the CSRF token only
        abort(400)
    service.stop_contact(participant.id)
    db.session.commit()
    flash(
        _(
            "Consent withdrawn: %(code)s will not be contacted again; name, e-mail and phone have been removed.",
            code=participant.panel_code,
        ),
        "success",
    )
    return redirect(url_for("participants.session", session_id=participant.session_id))


@bp.route("/e/<code>", methods=["GET", "POST"])
@limiter.limit(token_rate_limit)
def enrol(code: str):
    session = service.find_session_by_enrol_code(code)
    if session is None:
        abort(404)
    g.ui_lang = interface_language_for(choose_language(list(INTERFACE_LANGUAGES), FALLBACK_LANGUAGE, None))
    form = EnrolForm(lang=g.ui_lang)
    if form.validate_on_submit():
        # Enrolled twice with the same address: the first enrolment stands, and the page is the same either way,
        # so the link does not tell anyone whether an address is known.
        if not service.email_taken(session.programme_id, form.email.data):
            service.add_participant(session, email=form.email.data, lang=form.lang.data, consent_source="self")
            signals.joined.send(session.programme_id)
            db.session.commit()
        return render_template("participants/enrolled.html", session=session)
    return render_template(
        "participants/enrol.html", session=session, form=form, consent_text=service.CONSENT_TEXT
    ), 200 if request.method == "GET" else 422
