"""Managers' import of earlier answers: upload → mapping step → preview with the row report → confirm → done.

The file stays on the server between the steps (response_import.staging); every step plans again from it.
"""
from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from surveyapp.accounts.access import staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.questionnaires.blueprint import managed_questionnaire
from surveyapp.response_import import reader, service, staging
from surveyapp.response_import.forms import UploadForm, chosen_mapping, mapping_form
from surveyapp.web import http_error

bp = Blueprint("response_import", __name__, url_prefix="/manage/questionnaires/<int:questionnaire_id>/import")
SHOWN_PROBLEMS = 200


@bp.route("", methods=["GET", "POST"])
@staff_required
def upload(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    form = UploadForm()
    if form.validate_on_submit():
        file, data = form.answers.data, form.answers.data.read()
        try:
            reader.read(file.filename or "", data)  # refuse an unreadable file now, not a step later
        except DomainError as error:
            form.answers.errors.append(str(error.message))
            return render_template("response_import/upload.html", questionnaire=questionnaire, form=form), 422
        staged = staging.stage(current_app.instance_path, questionnaire.id, current_user.id, file.filename or "",
                               data, form.wave.data or None)
        return redirect(url_for(".mapping", questionnaire_id=questionnaire.id, upload_token=staged.token))
    status = 422 if form.errors else 200
    return render_template("response_import/upload.html", questionnaire=questionnaire, form=form), status


def _planned(questionnaire, token: str):
    """The staged file and its plan under the mapping chosen so far; 4xx for a refused mapping or file."""
    try:
        staged, data = staging.load(current_app.instance_path, token, questionnaire.id, current_user.id)
        result = service.plan(questionnaire, reader.read(staged.filename, data), staged.filename, staged.mapping,
                              staged.wave)
    except DomainError as error:
        raise http_error(error) from None
    return staged, result


@bp.route("/<upload_token>", methods=["GET", "POST"])
@staff_required
def mapping(questionnaire_id: int, upload_token: str):
    questionnaire = managed_questionnaire(questionnaire_id)
    staged, result = _planned(questionnaire, upload_token)
    columns = result.unmatched or [name for name in staged.mapping if name in result.columns]
    if not columns:
        return redirect(url_for(".preview", questionnaire_id=questionnaire.id, upload_token=upload_token))
    form = mapping_form(columns, service.target_choices(questionnaire))
    if not form.is_submitted():
        for number, column in enumerate(columns):
            form[f"column_{number}"].data = staged.mapping.get(column, "")
    chosen = {**staged.mapping, **chosen_mapping(form, columns)}
    if form.validate_on_submit() and _mapped(form, columns, result, chosen):
        staged.mapping = chosen
        staging.save(current_app.instance_path, staged)
        return redirect(url_for(".preview", questionnaire_id=questionnaire.id, upload_token=upload_token))
    return render_template("response_import/mapping.html", questionnaire=questionnaire, form=form,
                           staged=staged), 422 if form.errors else 200


def _mapped(form, columns: list[str], result, mapping: dict[str, str]) -> bool:
    """Whether the chosen mapping can be planned; else its message on the selects at fault (never stored)."""
    try:
        result.check_mapping(mapping)
    except service.ImportRefused as error:
        at_fault = set(getattr(error, "columns", ())) & set(columns) or set(columns)
        for number, column in enumerate(columns):
            if column in at_fault:
                form[f"column_{number}"].errors.append(str(error.message))
        return False
    return True


@bp.get("/<upload_token>/preview")
@staff_required
def preview(questionnaire_id: int, upload_token: str):
    questionnaire = managed_questionnaire(questionnaire_id)
    staged, result = _planned(questionnaire, upload_token)
    return _preview(questionnaire, staged, result)


def _preview(questionnaire, staged, result, status: int = 200):
    return render_template("response_import/preview.html", questionnaire=questionnaire, staged=staged,
                           result=result, problems=result.problems[:SHOWN_PROBLEMS], form=FlaskForm()), status


@bp.post("/<upload_token>/confirm")
@staff_required
def confirm(questionnaire_id: int, upload_token: str):
    questionnaire = managed_questionnaire(questionnaire_id)
    if not FlaskForm().validate_on_submit():  # the CSRF token only
        abort(400)
    staged, result = _planned(questionnaire, upload_token)
    if result.refused:
        return _preview(questionnaire, staged, result, 422)
    try:
        done = service.apply(result)
    except DomainError as error:
        db.session.rollback()
        raise http_error(error) from None
    db.session.commit()
    staging.discard(current_app.instance_path, upload_token)
    return render_template("response_import/done.html", questionnaire=questionnaire, staged=staged, done=done)
