"""Staff pages for a questionnaire's responses: the paged list and deleting one (managers and admins)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from surveyapp.accounts.access import staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.questionnaires.blueprint import managed_questionnaire
from surveyapp.respond import admin
from surveyapp.web import http_error

bp = Blueprint("responses", __name__, url_prefix="/manage")


@bp.get("/questionnaires/<int:questionnaire_id>/responses")
@staff_required
def index(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    page = request.args.get("page", 1, type=int)
    listing = admin.list_responses(questionnaire, page)
    return render_template("respond/responses.html", questionnaire=questionnaire, listing=listing, form=FlaskForm())


@bp.route("/questionnaires/<int:questionnaire_id>/responses/<int:response_id>/delete", methods=["GET", "POST"])
@staff_required
def delete(questionnaire_id: int, response_id: int):
    """GET asks for confirmation, showing the answers (an audited read); POST (with CSRF) deletes."""
    questionnaire = managed_questionnaire(questionnaire_id)
    form = FlaskForm()
    try:
        response = admin.get_response(questionnaire, response_id)
        if form.validate_on_submit():
            admin.delete_response(questionnaire, response_id)
            db.session.commit()
            flash(_("Response %(id)s and its answers were deleted.", id=response_id))
            return redirect(url_for("responses.index", questionnaire_id=questionnaire.id))
    except DomainError as error:
        db.session.rollback()
        raise http_error(error) from error
    return render_template("respond/confirm_delete_response.html", questionnaire=questionnaire,
                           response=response, answers=admin.response_answers(response), form=form)
