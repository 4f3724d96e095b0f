"""Staff pages: panels per programme, the wave plan, the dashboard, the panel status export (codes only)."""

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, format_percent
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from surveyapp.accounts.access import MANAGE, READ, require, staff_required, visible_programme_ids
from surveyapp.errors import DomainError
from surveyapp.exports import formats
from surveyapp.extensions import db
from surveyapp.filenames import safe_filename
from surveyapp.participants.service import programme_sessions
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.waves import dashboard, service
from surveyapp.waves.forms import WaveForm, WaveMessageForm
from surveyapp.waves.models import Wave
from surveyapp.web import http_error

bp = Blueprint("waves", __name__, url_prefix="/manage")


@bp.context_processor
def _formatters() -> dict:
    return {"format_percent": format_percent, "format_datetime": format_datetime, "format_date": format_date}


def _programme(programme_id: int, roles=READ) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        abort(404)
    require(programme.id, roles)
    return programme


@bp.get("/panel")
@staff_required
def programmes():
    """The panel's programme list: archived programmes (programmes.archive) are out of the day's work."""
    query = select(Programme).where(Programme.archived_at.is_(None)).order_by(Programme.name)
    visible = visible_programme_ids()
    if visible is not None:
        query = query.where(Programme.id.in_(visible))
    found = db.session.scalars(query).all()
    manageable = {p.id for p in found if current_user.can(p.id, *MANAGE)}  # the outcome pathway: managers only
    return render_template("waves/programmes.html", programmes=found, manageable=manageable)


def _wave_form(programme: Programme, wave: Wave | None = None) -> WaveForm:
    form = WaveForm(obj=wave)
    if wave is not None and not form.is_submitted():
        form.reminder_days.data = ", ".join(str(day) for day in wave.reminder_days)
    questionnaires = db.session.scalars(
        select(Questionnaire).where(Questionnaire.programme_id == programme.id).order_by(Questionnaire.id)
    )
    form.questionnaire_id.choices = [
        SelectChoice(q.id, q.text("title", q.default_lang) or q.slug) for q in questionnaires
    ]
    return form


@bp.route("/programmes/<int:programme_id>/waves", methods=["GET", "POST"])
@staff_required
def plan(programme_id: int):
    programme = _programme(programme_id, MANAGE if request.method == "POST" else READ)  # evaluators: 403
    form = _wave_form(programme)
    status = _form_status(form)
    if form.validate_on_submit():
        status = _save(programme, form)
        if status is None:
            return redirect(url_for("waves.plan", programme_id=programme.id))
    per_wave, by_session = dashboard.figures(programme.id)
    return render_template(
        "waves/plan.html",
        programme=programme,
        form=form,
        per_wave=per_wave,
        by_session=by_session,
        sessions=programme_sessions(programme.id),
        can_manage=current_user.can(programme.id, *MANAGE),
    ), status


def _form_status(form: WaveForm) -> int:
    """422 for a refused wave form (the page shows why), 200 for the page itself."""
    return 422 if form.is_submitted() else 200


def _save(programme: Programme, form: WaveForm, wave: Wave | None = None) -> int | None:
    """None when saved; else the refusal's status, its message on the form (nothing is written)."""
    try:
        service.save_wave(programme.id, form.values(), wave)
    except DomainError as error:
        db.session.rollback()
        target = form.name.errors if isinstance(error, service.WaveNameTaken) else form.form_errors
        target.append(str(error.message))
        return error.status_code
    db.session.commit()
    return None


@bp.route("/waves/<int:wave_id>", methods=["GET", "POST"])
@staff_required
def edit(wave_id: int):
    wave = db.session.get(Wave, wave_id) or abort(404)
    programme = _programme(wave.programme_id, MANAGE)
    form = _wave_form(programme, wave)
    status = _form_status(form)
    if form.validate_on_submit():
        status = _save(programme, form, wave)
        if status is None:
            return redirect(url_for("waves.plan", programme_id=programme.id))
    elif form.is_submitted() and wave.cancelled_at is not None:  # refused whatever was typed
        form.form_errors.append(_("The wave “%(name)s” was cancelled and can no longer be changed.", name=wave.name))
        status = 409
    return render_template("waves/edit.html", programme=programme, wave=wave, form=form), status


@bp.route("/waves/<int:wave_id>/delete", methods=["GET", "POST"])
@staff_required
def delete(wave_id: int):
    """GET asks for confirmation; POST (with CSRF) deletes a wave that has sent nothing, else 409."""
    wave = db.session.get(Wave, wave_id) or abort(404)
    return _after_confirmation(wave, service.delete_wave, _("The wave “%(name)s” was deleted.", name=wave.name))


@bp.route("/waves/<int:wave_id>/cancel", methods=["GET", "POST"])
@staff_required
def cancel(wave_id: int):
    """GET asks for confirmation; POST (with CSRF) stops all further mail of a wave that has sent some."""
    wave = db.session.get(Wave, wave_id) or abort(404)
    done = _("The wave “%(name)s” was cancelled: nothing more is sent for it.", name=wave.name)
    return _after_confirmation(wave, service.cancel_wave, done)


def _after_confirmation(wave: Wave, action, done: str):
    """The confirmation page, and on its POST the action in one transaction; a refusal re-shows the page."""
    programme = _programme(wave.programme_id, MANAGE)
    form, status, deleting = FlaskForm(), 200, action is service.delete_wave
    if form.validate_on_submit():
        try:
            action(wave)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
            status = error.status_code
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("waves.plan", programme_id=programme.id))
    page = render_template("waves/confirm.html", programme=programme, wave=wave, form=form, deleting=deleting,
                           sent=service.has_sent(wave))
    return page, status


@bp.get("/waves/<int:wave_id>/texts")
@staff_required
def texts(wave_id: int):
    wave = db.session.get(Wave, wave_id) or abort(404)
    return _texts_page(_programme(wave.programme_id, MANAGE), wave)


@bp.post("/waves/<int:wave_id>/texts/<lang>")
@staff_required
def save_text(wave_id: int, lang: str):
    """Save the e-mail message in one language; nothing already sent is sent again."""
    wave = db.session.get(Wave, wave_id) or abort(404)
    programme = _programme(wave.programme_id, MANAGE)
    if lang not in wave.questionnaire.languages:
        abort(404)
    form = WaveMessageForm(prefix=lang)
    if not form.validate_on_submit():
        return _texts_page(programme, wave, {lang: form}), 422
    try:
        service.set_wave_message(wave, lang, form.message.data)
    except DomainError as error:
        db.session.rollback()
        raise http_error(error) from None
    db.session.commit()
    flash(_("The e-mail text is saved. Only e-mails still to be sent use it."), "success")
    return redirect(url_for("waves.texts", wave_id=wave.id))


def _texts_page(programme: Programme, wave: Wave, submitted: dict | None = None) -> str:
    stored = {(row.key, row.lang): row.text for row in wave.texts}
    forms = {
        lang: WaveMessageForm(prefix=lang, formdata=None, message=stored.get(("message", lang), ""))
        for lang in wave.questionnaire.languages
    }
    forms.update(submitted or {})
    return render_template(
        "waves/texts.html", programme=programme, wave=wave, forms=forms, placeholders=service.placeholder_list()
    )


@bp.get("/programmes/<int:programme_id>/panel-status.csv")
@staff_required
def panel_status(programme_id: int):
    programme = _programme(programme_id)
    frame = dashboard.panel_status_frame(programme.id)
    name = safe_filename(f"{programme.code}-panel-status-{date.today().isoformat()}", "csv")
    return Response(
        formats.to_csv(frame),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
