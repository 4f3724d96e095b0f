"""Staff builder: list, create and edit questionnaires, open and close them (the preview is respond's).

Thin HTTP layer over service.py.

Item and option views live in item_views.py on the same blueprint.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from surveyapp.accounts.access import staff_required, visible_programme_ids
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import (
    item_views,  # noqa: F401  (registers the item and option routes)
    lifecycle,
    lifecycle_views,  # noqa: F401  (registers duplicate, schedule, close, archive and delete)
    page_views,  # noqa: F401  (registers the page routes)
    pathway_views,  # noqa: F401  (registers the programme's outcome-pathway page)
    service,
    share_views,  # noqa: F401  (registers the sharing page, its QR code and poster)
)
from surveyapp.questionnaires.blueprint import (
    bp,
    claim_edit,
    edit_language,
    get_questionnaire,
    managed_programmes,
    managed_questionnaire,
    refused,
)
from surveyapp.questionnaires.forms import STATUS_LABELS, CreateForm, SettingsForm, texts_form
from surveyapp.questionnaires.models import Questionnaire, Status

__all__ = ["bp", "get_questionnaire"]

STATUS_ACTIONS = {"open": Status.OPEN, "close": Status.CLOSED, "reopen": Status.OPEN}


@bp.get("/")
@staff_required
def index():
    query = select(Questionnaire).join(Programme).order_by(Programme.name, Questionnaire.id)
    visible = visible_programme_ids()
    if visible is not None:
        query = query.where(Questionnaire.programme_id.in_(visible))
    questionnaires = db.session.scalars(query).all()
    groups: dict[Programme, list[Questionnaire]] = {}
    archived = [questionnaire for questionnaire in questionnaires if lifecycle.archived(questionnaire)]
    for questionnaire in questionnaires:
        if questionnaire not in archived:
            groups.setdefault(questionnaire.programme, []).append(questionnaire)
    return render_template("questionnaires/index.html", questionnaires=questionnaires, groups=groups,
                           archived=archived, can_create=bool(managed_programmes()), status_labels=STATUS_LABELS)


@bp.route("/questionnaires/new", methods=["GET", "POST"])
@staff_required
def create():
    programmes = managed_programmes()
    if not programmes:
        abort(403)
    form = CreateForm()
    form.programme_id.choices = [SelectChoice(p.id, p.name) for p in programmes]
    status = 200
    if form.validate_on_submit():
        try:
            questionnaire = service.create_questionnaire(
                form.programme_id.data, form.slug.data.strip(), form.default_lang.data.strip(),
                form.offered, form.title.data)
            db.session.commit()
        except DomainError as error:
            status = refused(form, error)
        else:
            flash(_("Questionnaire created. Now add its items."))
            return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id))
    elif form.is_submitted():
        status = 422
    return render_template("questionnaires/create.html", form=form), status


@bp.get("/questionnaires/<int:questionnaire_id>")
@staff_required
def edit(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    return _edit_page(questionnaire, edit_language(questionnaire))


def _edit_page(questionnaire, lang, *, settings=None, texts=None, status=200):
    settings = settings or SettingsForm(formdata=None, data={
        "slug": questionnaire.slug, "default_lang": questionnaire.default_lang,
        "languages": questionnaire.languages})
    texts = texts or texts_form(questionnaire.page_numbers, formdata=None,
                                data=_texts_data(questionnaire, lang))
    return render_template(
        "questionnaires/edit.html", questionnaire=questionnaire, lang=lang, settings=settings, texts=texts,
        locked=service.has_responses(questionnaire), responses=service.response_count(questionnaire),
        status_labels=STATUS_LABELS,
    ), status


def _texts_data(questionnaire, lang) -> dict:
    data = {key: _own(questionnaire, key, lang) for key in ("title", "intro", "thanks")}
    for number in questionnaire.page_numbers:
        data[f"page_{number}"] = _own(questionnaire, f"page.{number}", lang)
    return data


def _own(questionnaire, key, lang) -> str:
    """The text stored in exactly this language (no fallback), so a missing translation shows as empty."""
    return next((row.text for row in questionnaire.texts if row.key == key and row.lang == lang), "")


@bp.post("/questionnaires/<int:questionnaire_id>/settings")
@staff_required
def settings(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    form = SettingsForm()
    if not form.validate():
        return _edit_page(questionnaire, questionnaire.default_lang, settings=form, status=422)
    try:
        claim_edit(questionnaire)
        service.update_settings(questionnaire, form.slug.data.strip(), form.default_lang.data.strip(),
                                form.offered)
        db.session.commit()
    except DomainError as error:
        status = refused(form, error)
        return _edit_page(questionnaire, questionnaire.default_lang, settings=form, status=status)
    flash(_("Settings saved."))
    return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id))


@bp.post("/questionnaires/<int:questionnaire_id>/texts")
@staff_required
def texts(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    lang = edit_language(questionnaire)
    form = texts_form(questionnaire.page_numbers)
    if lang == questionnaire.default_lang and not (form.title.data or "").strip():
        form.title.errors = [_("The title in the default language is required.")]
        return _edit_page(questionnaire, lang, texts=form, status=422)
    if not form.validate():
        return _edit_page(questionnaire, lang, texts=form, status=422)
    values = {key: form[key].data for key in ("title", "intro", "thanks")}
    values.update({f"page.{n}": form[f"page_{n}"].data for n in questionnaire.page_numbers})
    try:
        claim_edit(questionnaire)
        service.set_questionnaire_texts(questionnaire, lang, values)
        db.session.commit()
    except DomainError as error:
        return _edit_page(questionnaire, lang, texts=form, status=refused(form, error))
    flash(_("Texts saved."))
    return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id, lang=lang))


@bp.post("/questionnaires/<int:questionnaire_id>/status")
@staff_required
def status(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    form = FlaskForm()  # only its CSRF token is used
    target = STATUS_ACTIONS.get(request.form.get("action", ""))
    if target is None or not form.validate():
        abort(400)
    try:
        claim_edit(questionnaire, checked=False)
        service.set_status(questionnaire, target)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _edit_page(questionnaire, questionnaire.default_lang, status=422)
    flash(_("The questionnaire is now %(status)s.", status=STATUS_LABELS[target]))
    return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id))
