"""Builder views for items and their options: add, edit wording per language, reorder, delete."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms.validators import Optional

from surveyapp.accounts.access import staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.itemtypes import REGISTRY
from surveyapp.itemtypes.base import OptionCodeField
from surveyapp.questionnaires import option_lines, service
from surveyapp.questionnaires.blueprint import (
    bp,
    claim_edit,
    edit_language,
    managed_item,
    managed_option,
    managed_questionnaire,
    refused,
)
from surveyapp.questionnaires.codes import suggest_code
from surveyapp.questionnaires.forms import (
    OptionLinesForm,
    item_data,
    item_form,
    offered_types,
    option_form,
    option_labels,
)
from surveyapp.questionnaires.pages import page_titles

STEPS = {"up": -1, "down": 1}


def _back_to_items(questionnaire):
    return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id, _anchor="items"))


def _back_to_item(item, lang=None):
    return redirect(url_for("questionnaires.edit_item", item_id=item.id, lang=lang, _anchor="options"))


@bp.route("/questionnaires/<int:questionnaire_id>/items/new", methods=["GET", "POST"])
@staff_required
def add_item(questionnaire_id: int):
    """Two steps, no script needed: the list of types, then the form of the chosen type (?type=)."""
    questionnaire = managed_questionnaire(questionnaire_id)
    kind = REGISTRY.get(request.values.get("type", ""))
    if kind is None or kind.part_only:
        unknown = "type" in request.values
        return render_template("questionnaires/item_type.html", questionnaire=questionnaire,
                               types=offered_types(), unknown=unknown), 422 if unknown else 200
    lang = questionnaire.default_lang
    data = {"type": kind.code, "page": str(questionnaire.page_numbers[-1])} if request.method == "GET" else None
    form = item_form(kind, new=True, data=data, pathway=questionnaire.programme.pathway,
                     pages=page_titles(questionnaire, lang))
    _options_chosen_later(form)
    status = 422 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            claim_edit(questionnaire)
            item = _create_item(questionnaire, kind, form)
            db.session.commit()
        except DomainError as error:
            status = refused(form, error)
        else:
            flash(_("Item %(code)s added.", code=item.code))
            return _back_to_item(item) if item.kind.needs_options(item) and not item.options else _back_to_items(
                questionnaire)
    return render_template("questionnaires/item_new.html", questionnaire=questionnaire, form=form, kind=kind,
                           lang=lang), status


def _options_chosen_later(form) -> None:
    """A new item has no options yet, so a setting naming one of them ("none of these") waits for them."""
    for field in form:
        if isinstance(field, OptionCodeField):
            field.render_kw = {"disabled": True}
            field.description = _("Save the item with its options first; then choose the option that excludes "
                                  "the others here.")


def _create_item(questionnaire, kind, form):
    """The item as the form describes it; its code suggested from the question when left empty."""
    lang = questionnaire.default_lang
    code = (form.code.data or "").strip() or suggest_code(form.label.data, {i.code for i in questionnaire.items})
    item = service.add_item(questionnaire, code, kind.code, required=form.required.data,
                            page=form.page_number(questionnaire.page_numbers), settings=form.settings_for(kind),
                            texts={lang: form.texts(kind)})
    service.set_item_condition(item, form.condition.data)
    if "options" in form and (form.options.data or "").strip():
        option_lines.set_options(item, form.options.data, lang, replace=False)
        kind.check_item(item)  # settings naming its options (a ranking's k) are checked now that it has them
    service.set_item_stage(item, form.stage.data)
    return item


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@staff_required
def edit_item(item_id: int):
    item = managed_item(item_id)
    questionnaire = item.questionnaire
    lang = edit_language(questionnaire)
    locked = service.has_responses(questionnaire)
    if request.method == "GET":
        return _item_page(item, lang, _edit_form(item, lang, locked, formdata=None, data=item_data(item, lang)),
                          locked)
    form = _edit_form(item, lang, locked)
    form.type.data = item.type
    if not form.validate():
        return _item_page(item, lang, form, locked, status=422)
    version = questionnaire.version
    try:
        claim_edit(questionnaire)
        page = item.parent.page if item.parent else form.page_number(questionnaire.page_numbers)
        service.update_item(item, code=(form.code.data or item.code).strip(), required=form.required.data,
                            page=page, settings=form.settings_for(item.kind), lang=lang)
        service.set_item_texts(item, lang, form.texts(item.kind))
        service.set_item_condition(item, form.condition.data)
        if form.stage.raw_data:  # a client that posts no stage keeps the item's
            service.set_item_stage(item, form.stage.data)
        db.session.commit()
    except DomainError as error:
        status = refused(form, error)
        return _item_page(item, lang, form, locked, status=status)
    flash(_("Item %(code)s saved.", code=item.code))
    _flash_new_version(questionnaire, version)
    return redirect(url_for("questionnaires.edit_item", item_id=item.id, lang=lang))


def _edit_form(item, lang, locked, **kwargs):
    """The item's form; a part stays on its composite's page, so its page is not chosen."""
    form = item_form(item.kind, locked=locked, type_fixed=True, pathway=item.questionnaire.programme.pathway,
                     pages=page_titles(item.questionnaire, lang), **kwargs)
    form.offer_options([(option.code, option.label(lang)) for option in item.options])
    if item.parent is not None:
        form.page.render_kw = {"disabled": True}
        form.page.validators = [Optional()]
        form.page.data = str(item.parent.page)
    return form


def _flash_new_version(questionnaire, version: int) -> None:
    if questionnaire.version != version:
        flash(_("This change makes version %(number)s of the questionnaire. Answers given before keep their "
                "own scale in exports and reports.", number=questionnaire.version))


def _item_page(item, lang, form, locked, *, new_option=None, option_lines_form=None, status=200):
    languages = item.questionnaire.languages
    new_option = new_option or option_form(languages, formdata=None)
    option_lines_form = option_lines_form or OptionLinesForm(formdata=None)
    return render_template("questionnaires/item_edit.html", item=item, questionnaire=item.questionnaire,
                           lang=lang, form=form, locked=locked, new_option=new_option,
                           option_lines=option_lines_form), status


@bp.post("/items/<int:item_id>/move")
@staff_required
def move_item(item_id: int):
    item = managed_item(item_id)
    return _move(service.move_item, item, item.questionnaire, _back_to_items(item.questionnaire))


def _move(move, row, questionnaire, back):
    """Up/down buttons: one swap with the neighbour, then back to the list; refused (422, 409) on a page saying
    why, nothing moved."""
    form = FlaskForm()
    step = STEPS.get(request.form.get("direction", ""))
    if not form.validate() or step is None:
        abort(400)
    try:
        claim_edit(questionnaire, checked=False)
        move(row, step)
        db.session.commit()
    except DomainError as error:
        status = refused(form, error)
        return render_template("questionnaires/page_refused.html", questionnaire=questionnaire, form=form,
                               anchor="items"), status
    return back


@bp.route("/items/<int:item_id>/delete", methods=["GET", "POST"])
@staff_required
def delete_item(item_id: int):
    item = managed_item(item_id)
    questionnaire = item.questionnaire
    return _delete_after_confirmation(
        lambda: service.delete_item(item), _("Item %(code)s deleted.", code=item.code),
        lambda: _back_to_items(questionnaire), questionnaire=questionnaire,
        what=_("item %(code)s", code=item.code), label=item.text("label", questionnaire.default_lang),
        cancel=url_for("questionnaires.edit_item", item_id=item.id))


def _delete_after_confirmation(delete, done_message, back, *, versioned=False, **page):
    """GET shows the confirmation page; its POST deletes. Once responses exist an item's deletion is refused
    (409); an option's (`versioned`) makes a new version, which the page says beforehand."""
    form = FlaskForm()
    status = 200
    questionnaire = page["questionnaire"]
    version = questionnaire.version
    if form.validate_on_submit():
        try:
            claim_edit(questionnaire)
            delete()
            db.session.commit()
        except DomainError as error:
            status = refused(form, error)
        else:
            flash(done_message)
            _flash_new_version(questionnaire, version)
            return back()
    answered = service.has_responses(questionnaire)
    return render_template("questionnaires/confirm_delete.html", form=form, locked=answered and not versioned,
                           new_version=answered and versioned, **page), status


@bp.post("/items/<int:item_id>/options")
@staff_required
def add_option(item_id: int):
    item = managed_item(item_id)
    languages = item.questionnaire.languages
    form = option_form(languages)
    locked = service.has_responses(item.questionnaire)
    status, version = 422, item.questionnaire.version
    if form.validate():
        try:
            claim_edit(item.questionnaire)
            service.add_option(item, form.code.data.strip(), option_labels(form, languages))
            db.session.commit()
        except DomainError as error:
            status = refused(form, error)
        else:
            flash(_("Option %(code)s added.", code=form.code.data.strip()))
            _flash_new_version(item.questionnaire, version)
            return _back_to_item(item)
    lang = item.questionnaire.default_lang
    shown = _edit_form(item, lang, locked, formdata=None, data=item_data(item, lang))
    return _item_page(item, lang, shown, locked, new_option=form, status=status)


@bp.post("/items/<int:item_id>/options/bulk")
@staff_required
def option_list(item_id: int):
    """Options typed or pasted one per line (in the language being edited), added or replacing the list."""
    item = managed_item(item_id)
    if not item.kind.has_options:
        abort(404)
    questionnaire = item.questionnaire
    lang = edit_language(questionnaire)
    form = OptionLinesForm()
    status, version = 422, questionnaire.version
    if form.validate():
        try:
            claim_edit(questionnaire)
            option_lines.set_options(item, form.lines.data, lang, replace=form.mode.data == "replace")
            db.session.commit()
        except DomainError as error:
            status = refused(form, error)
        else:
            flash(_("Options saved."))
            _flash_new_version(questionnaire, version)
            return _back_to_item(item, lang)
    locked = service.has_responses(questionnaire)
    shown = _edit_form(item, lang, locked, formdata=None, data=item_data(item, lang))
    return _item_page(item, lang, shown, locked, option_lines_form=form, status=status)


@bp.route("/options/<int:option_id>", methods=["GET", "POST"])
@staff_required
def edit_option(option_id: int):
    option = managed_option(option_id)
    questionnaire = option.item.questionnaire
    locked = service.has_responses(questionnaire)
    data = {"code": option.code, **{f"label_{row.lang}": row.text for row in option.texts}}
    form = option_form(questionnaire.languages, locked=locked,
                       formdata=None if request.method == "GET" else request.form, data=data)
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.validate():
        try:
            claim_edit(questionnaire)
            service.update_option(option, (form.code.data or option.code).strip(),
                                  option_labels(form, questionnaire.languages))
            db.session.commit()
        except DomainError as error:
            status = refused(form, error)
        else:
            flash(_("Option %(code)s saved.", code=option.code))
            return _back_to_item(option.item)
    return render_template("questionnaires/option_edit.html", option=option, item=option.item,
                           questionnaire=questionnaire, form=form, locked=locked), status


@bp.post("/options/<int:option_id>/move")
@staff_required
def move_option(option_id: int):
    option = managed_option(option_id)
    return _move(service.move_option, option, option.item.questionnaire, _back_to_item(option.item))


@bp.route("/options/<int:option_id>/delete", methods=["GET", "POST"])
@staff_required
def delete_option(option_id: int):
    option = managed_option(option_id)
    item = option.item
    return _delete_after_confirmation(
        lambda: service.delete_option(option), _("Option %(code)s deleted.", code=option.code),
        lambda: _back_to_item(item), versioned=True, questionnaire=item.questionnaire,
        what=_("option %(code)s", code=option.code), label=option.label(item.questionnaire.default_lang),
        cancel=url_for("questionnaires.edit_item", item_id=item.id))
