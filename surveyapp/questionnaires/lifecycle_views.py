"""Builder views for a questionnaire's life: duplicate, schedule, confirm closing, archive, delete.

Thin HTTP layer over lifecycle.py and copying.py; registered on the builder blueprint by views.py.
"""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from surveyapp.accounts.access import staff_required
from surveyapp.db import utcnow
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.forms import require_csrf_token
from surveyapp.questionnaires import copying, lifecycle
from surveyapp.questionnaires.blueprint import (
    bp,
    claim_edit,
    managed_programmes,
    managed_questionnaire,
    refused,
)
from surveyapp.questionnaires.lifecycle import aware
from surveyapp.questionnaires.models import Questionnaire, Status

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
YEARS = (2000, 2100)  # a survey's dates; beyond datetime's range the time-zone shift would overflow (a 500)


def _sane_year(_form, field) -> None:
    if field.data is not None and not YEARS[0] <= field.data.year <= YEARS[1]:
        raise ValidationError(_l("Please enter a date between the years %(first)s and %(last)s.",
                                 first=YEARS[0], last=YEARS[1]))


class DuplicateForm(FlaskForm):
    slug = StringField(_l("Link name of the copy"), validators=[InputRequired(), Length(max=80)],
                       description=_l("Lower-case letters, digits and hyphens; the copy's address is /s/<link name>."))
    programme_id = SelectField(_l("Programme"), coerce=int, validate_choice=False)  # checked by the view


NOT_A_TARGET = _l("Choose a programme you manage that is not archived: an archived programme takes no new "
                  "questionnaires.")


class ScheduleForm(FlaskForm):
    opens_at = DateTimeLocalField(_l("Opens on"), format=LOCAL_FORMAT, validators=[Optional(), _sane_year],
                                  description=_l("Empty: as soon as it is open."))
    closes_at = DateTimeLocalField(_l("Closes on"), format=LOCAL_FORMAT, validators=[Optional(), _sane_year],
                                   description=_l("Empty: until it is closed by hand."))


def _title(questionnaire: Questionnaire) -> str:
    return questionnaire.text("title", questionnaire.default_lang)


def _to_edit(questionnaire: Questionnaire):
    return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id))


@bp.route("/questionnaires/<int:questionnaire_id>/duplicate", methods=["GET", "POST"])
@staff_required
def duplicate(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    programmes = managed_programmes()
    form = DuplicateForm(data={"slug": copying.suggested_slug(questionnaire),
                               "programme_id": questionnaire.programme_id})
    form.programme_id.choices = [SelectChoice(p.id, p.name) for p in programmes]
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        target = next((p for p in programmes if p.id == form.programme_id.data), None)
        try:
            if target is None:  # archived (or not this manager's) since the form was shown, or a forged post
                raise DomainError(NOT_A_TARGET)
            twin = copying.duplicate(questionnaire, target, form.slug.data.strip())
            db.session.commit()
        except DomainError as error:
            status = refused(form, error)
        else:
            flash(_("Copy made: a draft. Check its texts and dates, then open it."))
            return _to_edit(twin)
    return render_template("questionnaires/duplicate.html", questionnaire=questionnaire, form=form,
                           title=_title(questionnaire)), status


@bp.route("/questionnaires/<int:questionnaire_id>/schedule", methods=["GET", "POST"])
@staff_required
def schedule(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    form = ScheduleForm(data={"opens_at": _local(questionnaire.opens_at),
                              "closes_at": _local(questionnaire.closes_at)})
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            claim_edit(questionnaire)
            lifecycle.set_schedule(questionnaire, _utc(form.opens_at.data), _utc(form.closes_at.data))
            db.session.commit()
        except DomainError as error:
            status = refused(form, error)
        else:
            flash(_("Dates saved."))
            return _to_edit(questionnaire)
    return render_template("questionnaires/schedule.html", questionnaire=questionnaire, form=form,
                           title=_title(questionnaire),
                           timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"]), status


def _local(moment):
    """A stored UTC moment as the wall-clock time the form shows (the app's time zone), naive."""
    return None if moment is None else to_user_timezone(aware(moment)).replace(tzinfo=None)


def _utc(local):
    """The form's wall-clock time (the app's time zone) as an aware UTC moment."""
    return None if local is None else aware(to_utc(local))


@bp.get("/questionnaires/<int:questionnaire_id>/close")
@staff_required
def confirm_close(questionnaire_id: int):
    """Closing turns respondents away at once: said here, and the form posts to the status view."""
    questionnaire = managed_questionnaire(questionnaire_id)
    if questionnaire.status is not Status.OPEN:
        return _to_edit(questionnaire)
    return render_template("questionnaires/confirm_close.html", questionnaire=questionnaire,
                           title=_title(questionnaire))


@bp.post("/questionnaires/<int:questionnaire_id>/archive")
@staff_required
def archive(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    require_csrf_token()
    lifecycle.archive(questionnaire, utcnow())
    db.session.commit()
    flash(_("Questionnaire archived. Its responses stay in reports and exports."))
    return redirect(url_for("questionnaires.index", _anchor="archived"))


@bp.post("/questionnaires/<int:questionnaire_id>/unarchive")
@staff_required
def unarchive(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    require_csrf_token()
    lifecycle.unarchive(questionnaire)
    db.session.commit()
    flash(_("Questionnaire back on the list."))
    return _to_edit(questionnaire)


@bp.route("/questionnaires/<int:questionnaire_id>/delete", methods=["GET", "POST"])
@staff_required
def delete(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    form = FlaskForm()  # only its CSRF token
    if form.is_submitted():
        require_csrf_token()
    refusal, status = None, 200
    if not lifecycle.deletable(questionnaire):
        refusal, status = lifecycle.DELETE_REFUSED, 409 if form.is_submitted() else 200
    elif form.is_submitted():
        try:
            lifecycle.delete(questionnaire)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            refusal, status = error.message, error.status_code
        else:
            flash(_("Questionnaire deleted."))
            return redirect(url_for("questionnaires.index"))
    return render_template("questionnaires/confirm_delete.html", questionnaire=questionnaire, form=form,
                           what=_("the questionnaire"), label=_title(questionnaire), refusal=refusal,
                           cancel=url_for("questionnaires.edit", questionnaire_id=questionnaire.id)), status
