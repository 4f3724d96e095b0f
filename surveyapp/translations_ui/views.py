"""Managers' translation pages: side by side view and editing, completeness, export and import."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext

from surveyapp.accounts.access import MANAGE, READ, require, staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.questionnaires.lifecycle import Archived, ensure_not_archived
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.questionnaires.slots import completeness, describe, needed, slots
from surveyapp.translations_ui import service, transfer
from surveyapp.translations_ui.forms import AddLanguageForm

bp = Blueprint("translations", __name__,
               url_prefix="/manage/questionnaires/<int:questionnaire_id>/translations")


def _questionnaire(questionnaire_id: int, roles) -> Questionnaire:
    questionnaire = db.session.get(Questionnaire, questionnaire_id) or abort(404)
    require(questionnaire.programme_id, roles)
    if roles is MANAGE:  # an archived questionnaire, or one of an archived programme, is kept as it was
        try:
            ensure_not_archived(questionnaire)
        except Archived as archived:
            abort(make_response(*_render(questionnaire, [str(archived.message)], 409)))
    return questionnaire


def _pair(questionnaire: Questionnaire) -> tuple[str, str]:
    """Source and target language from the query string, defaulting to the default and the next language."""
    languages = questionnaire.languages
    source = request.values.get("source")
    source = source if source in languages else questionnaire.default_lang
    others = [lang for lang in languages if lang != source] or [source]
    target = request.values.get("target")
    return source, target if target in languages else others[0]


def _render(questionnaire: Questionnaire, problems: list[str] | None = None, status: int = 200,
            language_form: AddLanguageForm | None = None):
    source, target = _pair(questionnaire)
    rows = [(slot, describe(slot), needed(slot, questionnaire.default_lang), transfer.follows(slot))
            for slot in slots(questionnaire)]
    return render_template("translations_ui/overview.html", questionnaire=questionnaire, source=source,
                           target=target, rows=rows, statuses=completeness(questionnaire),
                           problems=problems or [], can_manage=_can_manage(questionnaire),
                           language_form=language_form or AddLanguageForm(questionnaire.languages,
                                                                          formdata=None)), status


def _can_manage(questionnaire: Questionnaire) -> bool:
    from flask_login import current_user

    return current_user.can(questionnaire.programme_id, *MANAGE)


@bp.get("")
@staff_required
def overview(questionnaire_id: int):
    return _render(_questionnaire(questionnaire_id, READ))


@bp.post("")
@staff_required
def save(questionnaire_id: int):
    """Store the target-language texts typed into the side-by-side view (empty fields change nothing)."""
    questionnaire = _questionnaire(questionnaire_id, MANAGE)
    _source, target = _pair(questionnaire)
    rows = [transfer.Row(number, slot.key, {target: request.form.get(f"t.{slot.key}", "").strip()},
                         field=describe(slot))
            for number, slot in enumerate(transfer.translatable(questionnaire), start=1)]
    return _import(questionnaire, lambda: _save_rows(questionnaire, target, rows))


def _save_rows(questionnaire: Questionnaire, target: str, rows: list[transfer.Row]) -> int:
    """Validate and store the form's texts; a refusal speaks of the form (no file was uploaded)."""
    try:
        return transfer.apply(questionnaire, transfer.validate(questionnaire, [target], rows))
    except transfer.ImportRejected as error:
        raise transfer.ImportRejected(error.problems, _("Nothing was saved: please correct the texts named "
                                                        "below.")) from None


@bp.post("/import")
@staff_required
def upload(questionnaire_id: int):
    questionnaire = _questionnaire(questionnaire_id, MANAGE)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _render(questionnaire, [_("Please choose a file to import.")], 422)
    data = upload.read()
    seconds = current_app.config["IMPORT_SECONDS"]
    return _import(questionnaire, lambda: transfer.import_file(questionnaire, upload.filename, data, seconds))


def _import(questionnaire: Questionnaire, run):
    try:
        changed = run()
    except transfer.ImportRejected as error:
        db.session.rollback()
        return _render(questionnaire, [str(error.message), *error.problems], error.status_code)
    except DomainError as error:  # a composite's parts refused to follow: nothing is kept
        db.session.rollback()
        return _render(questionnaire, [str(error.message)], error.status_code)
    db.session.commit()
    flash(ngettext("%(num)d text saved.", "%(num)d texts saved.", changed), "success")
    return redirect(url_for(".overview", questionnaire_id=questionnaire.id, **_pair_args(questionnaire)))


def _pair_args(questionnaire: Questionnaire) -> dict[str, str]:
    source, target = _pair(questionnaire)
    return {"source": source, "target": target}


@bp.post("/languages")
@staff_required
def add_language(questionnaire_id: int):
    """Offer one more language, chosen by name; any language Babel knows, the interface falling back to
    English."""
    questionnaire = _questionnaire(questionnaire_id, MANAGE)
    form = AddLanguageForm(questionnaire.languages)
    if not form.validate():
        return _render(questionnaire, [error for errors in form.errors.values() for error in errors], 422, form)
    try:
        service.add_language(questionnaire, form.lang.data)
    except DomainError as error:
        db.session.rollback()
        return _render(questionnaire, [str(error.message)], error.status_code, form)
    db.session.commit()
    return redirect(url_for(".overview", questionnaire_id=questionnaire.id, target=form.lang.data))


@bp.get("/texts.xlsx")
@staff_required
def export_xlsx(questionnaire_id: int):
    questionnaire = _questionnaire(questionnaire_id, READ)
    return _download(transfer.to_xlsx(questionnaire), transfer.XLSX_TYPE, f"{questionnaire.slug}-texts.xlsx")


@bp.get("/<lang>.po")
@staff_required
def export_po(questionnaire_id: int, lang: str):
    questionnaire = _questionnaire(questionnaire_id, READ)
    if lang not in questionnaire.languages:
        abort(404)
    return _download(transfer.to_po(questionnaire, lang), "text/x-gettext-translation",
                     f"{questionnaire.slug}-{lang}.po")


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(data, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
