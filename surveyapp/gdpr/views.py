"""Data-protection pages for the programme's managers: erasure, subject-access export, contact retention."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from surveyapp.accounts.access import MANAGE, require, staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.gdpr import service
from surveyapp.gdpr.forms import EraseForm, RetentionForm
from surveyapp.gdpr.subject_access import subject_access
from surveyapp.participants.models import Participant
from surveyapp.programmes.models import Programme
from surveyapp.web import http_error

bp = Blueprint("gdpr", __name__, url_prefix="/manage")


def _managed(model, object_id: int, programme_id=lambda row: row.programme_id):
    row = db.session.get(model, object_id)
    if row is None:
        abort(404)
    require(programme_id(row), MANAGE)
    return row


@bp.route("/participants/<int:participant_id>/erase", methods=["GET", "POST"])
@staff_required
def erase(participant_id: int):
    participant = _managed(Participant, participant_id)
    form = EraseForm()
    if form.validate_on_submit():
        service.erase(participant, with_answers=form.with_answers.data)
        db.session.commit()
        flash(_("The data of %(code)s has been erased.", code=participant.panel_code), "success")
        return redirect(url_for("participants.session", session_id=participant.session_id))
    if form.is_submitted():
        abort(400)  # only the CSRF token can fail here
    return render_template("gdpr/erase.html", participant=participant, form=form)


@bp.get("/participants/<int:participant_id>/subject-access.json")
@staff_required
def export(participant_id: int):
    participant = _managed(Participant, participant_id)
    data = subject_access(participant)
    db.session.commit()  # the audit record of this read
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="subject-access-{participant.panel_code}.json"'},
    )


@bp.route("/programmes/<int:programme_id>/data-protection", methods=["GET", "POST"])
@staff_required
def retention(programme_id: int):
    programme = _managed(Programme, programme_id, lambda row: row.id)
    form = RetentionForm(obj=programme)
    if form.validate_on_submit():
        try:
            service.set_retention(programme, form.contact_retention_months.data)
        except DomainError as error:
            raise http_error(error) from None
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("gdpr.retention", programme_id=programme.id))
    status = 422 if form.is_submitted() else 200
    due = len(service.due_for_purge(programme)) if programme.contact_retention_months else 0
    return render_template("gdpr/retention.html", programme=programme, form=form, due=due), status
