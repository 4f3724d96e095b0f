"""The builder blueprint and the lookups every builder view starts with: load a row, check the role."""
from flask import Blueprint, abort, request
from flask_login import current_user
from sqlalchemy import select

from surveyapp.accounts.access import MANAGE, require
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import service
from surveyapp.questionnaires.models import Item, Option, Questionnaire

bp = Blueprint("questionnaires", __name__, url_prefix="/manage")


def get_questionnaire(questionnaire_id: int) -> Questionnaire:
    questionnaire = db.session.get(Questionnaire, questionnaire_id)
    if questionnaire is None:
        abort(404)
    return questionnaire


def managed_questionnaire(questionnaire_id: int) -> Questionnaire:
    questionnaire = get_questionnaire(questionnaire_id)
    require(questionnaire.programme_id, MANAGE)
    return questionnaire


def managed_programmes() -> list[Programme]:
    """The active programmes the current user may build in (all for site admins; for members, those where
    `require(..., MANAGE)` lets them: a programme's managers and its admins), by name; archived ones are not
    offered."""
    query = select(Programme).where(Programme.archived_at.is_(None)).order_by(Programme.name)
    if not current_user.is_admin:
        ids = [m.programme_id for m in current_user.memberships if current_user.can(m.programme_id, *MANAGE)]
        query = query.where(Programme.id.in_(ids))
    return list(db.session.scalars(query))


def managed_item(item_id: int) -> Item:
    item = db.session.get(Item, item_id) or abort(404)
    require(item.questionnaire.programme_id, MANAGE)
    return item


def managed_option(option_id: int) -> Option:
    option = db.session.get(Option, option_id) or abort(404)
    require(option.item.questionnaire.programme_id, MANAGE)
    return option


def edit_language(questionnaire: Questionnaire) -> str:
    """The language whose texts are being edited (?lang=), defaulting to the questionnaire's default."""
    lang = request.args.get("lang")
    return lang if lang in questionnaire.languages else questionnaire.default_lang


def claim_edit(questionnaire: Questionnaire, *, checked: bool = True) -> None:
    """Count this save; with `checked`, only if the form's hidden edit_version is still the current one
    (else EditConflict, 409). Up/down and status buttons are not checked: they change nothing typed."""
    service.claim_edit(questionnaire, request.form.get("edit_version") if checked else None)


def refused(form, error: DomainError) -> int:
    """Undo the half-done change, put the message on the form; the error's own status (409 when locked,
    archived, saved meanwhile or still read by others), 422 for a plain DomainError (the form's input)."""
    db.session.rollback()
    form.form_errors.append(str(error.message))
    field = getattr(error, "field", None)  # the input it is about (service.about_field): marked there too
    if isinstance(field, str) and field in form:
        form[field].errors = [*form[field].errors, str(error.message)]
    return 422 if error.status_code == DomainError.status_code else error.status_code
