"""Staff pages of kiosk mode (managers): open a questionnaire in kiosk mode on this browser, end a kiosk.

Opening ends the staff login on this browser (the respondent must never reach staff pages) and gives it the
kiosk cookie; it is then a kiosk until someone leaves with the PIN or ends it here from another browser.
"""
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from surveyapp.accounts.access import staff_required
from surveyapp.db import utcnow
from surveyapp.errors import DomainError, NotFound
from surveyapp.extensions import db
from surveyapp.kiosk import service
from surveyapp.kiosk.forms import EndKioskForm, OpenKioskForm
from surveyapp.kiosk.views import COOKIE
from surveyapp.questionnaires.blueprint import managed_questionnaire
from surveyapp.web import http_error

bp = Blueprint("kiosk_admin", __name__, url_prefix="/manage")
COOKIE_AGE = timedelta(days=365)  # a kiosk tablet stays one across browser restarts


@bp.route("/questionnaires/<int:questionnaire_id>/kiosk", methods=["GET", "POST"])
@staff_required
def open_kiosk(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    form = OpenKioskForm()
    refusal = _refusal(questionnaire)
    if refusal is None and form.validate_on_submit():
        settings = service.Settings(form.idle_seconds.data, form.on_idle.data, form.restart_seconds.data)
        _device, token = service.open_device(questionnaire, settings, form.pin.data, current_user, utcnow())
        db.session.commit()  # recorded in the audit trail while the staff member is still logged in
        logout_user()
        session.clear()
        return _with_cookie(redirect(url_for("kiosk.start")), token)
    status = 409 if refusal and request.method == "POST" else 422 if form.errors else 200
    return render_template("kiosk/open.html", questionnaire=questionnaire, form=form, refusal=refusal,
                           devices=service.active_devices(questionnaire), end_form=EndKioskForm()), status


@bp.post("/questionnaires/<int:questionnaire_id>/kiosk/end")
@staff_required
def end_kiosk(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    form = EndKioskForm()
    device = service.end_device(questionnaire, form.device_id.data, utcnow()) if form.validate_on_submit() else None
    if device is None:
        raise http_error(NotFound(_("This kiosk does not exist or has ended already.")))
    db.session.commit()
    flash(_("The kiosk was ended: the tablet shows that kiosk mode has ended."))
    return redirect(url_for("kiosk_admin.open_kiosk", questionnaire_id=questionnaire.id))


def _refusal(questionnaire) -> str | None:
    try:
        service.check_servable(questionnaire)
    except DomainError as error:
        return str(error.message)
    return None


def _with_cookie(response, token: str):
    response.set_cookie(COOKIE, token, max_age=int(COOKIE_AGE.total_seconds()), path="/",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")
    return response
