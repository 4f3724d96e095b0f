"""Staff pages: upload a questionnaire file, see what will be created and what will not, confirm; download a
questionnaire as XLSForm. Thin: reading, creating and exporting are service.py's; the upload waits between
the two steps in store.py, on the server."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from surveyapp.accounts.access import staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.filenames import safe_filename
from surveyapp.interchange import service, store
from surveyapp.interchange.forms import ConfirmForm, UploadForm, with_programmes
from surveyapp.questionnaires.blueprint import managed_programmes, managed_questionnaire, refused
from surveyapp.web import http_error

bp = Blueprint("interchange", __name__, url_prefix="/manage")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programmes():
    programmes = managed_programmes()
    if not programmes:
        abort(403)
    return programmes


@bp.route("/questionnaires/import", methods=["GET", "POST"])
@staff_required
def upload():
    programmes = _programmes()
    form = with_programmes(UploadForm(), programmes)
    if not form.validate_on_submit():
        return render_template("interchange/upload.html", form=form), 422 if form.is_submitted() else 200
    file = form.file.data
    try:
        data = file.read()
        draft = service.read(file.filename, data)
    except DomainError as error:
        status = refused(form, error)
        return render_template("interchange/upload.html", form=form), status
    confirm = with_programmes(ConfirmForm(formdata=None, data={
        "token": store.keep(data, file.filename or "", current_user.id), "programme_id": form.programme_id.data,
        "slug": (form.slug.data or "").strip() or service.suggest_slug(draft, file.filename)}), programmes)
    programme = next(programme for programme in programmes if programme.id == form.programme_id.data)
    return _preview(draft, confirm, file.filename, check=service.check(draft, programme, confirm.slug.data))


@bp.post("/questionnaires/import/confirm")
@staff_required
def confirm():
    programmes = _programmes()
    form = with_programmes(ConfirmForm(), programmes)
    if not form.validate_on_submit():
        abort(422)
    programme = next(programme for programme in programmes if programme.id == form.programme_id.data)
    try:  # taken first, so a second confirmation at once (a double click) creates nothing
        filename, data = store.claim(form.token.data, current_user.id)
        draft = service.read(filename, data)
    except DomainError as error:
        raise http_error(error) from None
    try:
        questionnaire = service.create(draft, programme, form.slug.data.strip(),
                                       skip_unsupported=form.skip_unsupported.data)
        db.session.commit()
    except DomainError as error:
        store.release(form.token.data)
        return _preview(draft, form, filename, status=refused(form, error))
    store.discard(form.token.data)
    flash(_("Questionnaire imported as a draft. Check its texts and logic, then open it."))
    return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id))


def _preview(draft, form, filename: str, *, check: str | None = None, status: int = 200):
    return render_template("interchange/preview.html", draft=draft, form=form, filename=filename, check=check,
                           pages=service.summary(draft)), status


@bp.get("/questionnaires/<int:questionnaire_id>/xlsform")
@staff_required
def export(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    data = service.export_xlsform(questionnaire)
    name = safe_filename(f"{questionnaire.slug}-xlsform", "xlsx")
    return data, 200, {"Content-Type": XLSX, "Content-Disposition": f'attachment; filename="{name}"'}
