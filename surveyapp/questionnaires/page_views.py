"""Builder views for pages: add, edit (title, display condition, skip rules), move up/down, delete when empty."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from surveyapp.accounts.access import staff_required
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.questionnaires import pages
from surveyapp.questionnaires.blueprint import bp, claim_edit, edit_language, managed_questionnaire, refused
from surveyapp.questionnaires.forms import SPARE_RULES, page_data, page_form

STEPS = {"up": -1, "down": 1}
PAGE_URL = "/questionnaires/<int:questionnaire_id>/pages/<int:page_number>"


def _back_to_pages(questionnaire, lang=None):
    return redirect(url_for("questionnaires.edit", questionnaire_id=questionnaire.id, lang=lang, _anchor="pages"))


@bp.post("/questionnaires/<int:questionnaire_id>/pages")
@staff_required
def add_page(questionnaire_id: int):
    questionnaire = managed_questionnaire(questionnaire_id)
    number = questionnaire.page_numbers[-1] + 1
    return _change(questionnaire, lambda: pages.add_page(questionnaire),
                   _("Page %(number)s added: choose it as the page of new or existing items.", number=number))


@bp.route(PAGE_URL, methods=["GET", "POST"])
@staff_required
def edit_page(questionnaire_id: int, page_number: int):
    questionnaire = _managed_page(questionnaire_id, page_number)
    lang = edit_language(questionnaire)
    page = questionnaire.page(page_number)
    rules = len(page.skips if page else []) + SPARE_RULES
    targets = [(number, title) for number, title in pages.page_titles(questionnaire, lang) if number > page_number]
    posted = request.method == "POST"  # a posted form alone: a rule row left empty is no rule
    form = page_form(targets, rules, formdata=request.form if posted else None,
                     data=None if posted else page_data(questionnaire, page_number, lang))
    status = 200
    if posted:
        status = 422
        if form.validate():
            try:
                claim_edit(questionnaire)
                pages.set_title(questionnaire, page_number, lang, form.title.data)
                pages.set_logic(questionnaire, page_number, form.condition.data, form.skips())
                db.session.commit()
            except DomainError as error:
                _rule_field(form, error)
                status = refused(form, error)
            else:
                flash(_("Page %(number)s saved.", number=page_number))
                return _back_to_pages(questionnaire, lang)
    return render_template("questionnaires/page_edit.html", questionnaire=questionnaire, number=page_number,
                           lang=lang, form=form, items=questionnaire.items_on(page_number)), status


@bp.post(PAGE_URL + "/move")
@staff_required
def move_page(questionnaire_id: int, page_number: int):
    questionnaire = _managed_page(questionnaire_id, page_number)
    step = STEPS.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    return _change(questionnaire, lambda: pages.move_page(questionnaire, page_number, step),
                   _("Page %(number)s moved.", number=page_number))


@bp.post(PAGE_URL + "/delete")
@staff_required
def delete_page(questionnaire_id: int, page_number: int):
    questionnaire = _managed_page(questionnaire_id, page_number)
    return _change(questionnaire, lambda: pages.delete_page(questionnaire, page_number),
                   _("Page %(number)s deleted.", number=page_number))


def _rule_field(form, error: DomainError) -> None:
    """A refused skip rule (`error.field`: its index among the filled rules) is the "if" field of its row."""
    rule = getattr(error, "field", None)
    if isinstance(rule, int):
        rows = [index for index, (when, _to) in enumerate(form.rule_rows()) if when]
        error.field = f"when_{rows[rule]}"


def _managed_page(questionnaire_id: int, page_number: int):
    """The questionnaire, when it has this page (else 404: the address names nothing)."""
    questionnaire = managed_questionnaire(questionnaire_id)
    if page_number not in questionnaire.page_numbers:
        abort(404)
    return questionnaire


def _change(questionnaire, change, done: str):
    """A button's change (it posts only a CSRF token and a direction): done and back to the pages, or refused
    (422, 409) on a page saying why."""
    form = FlaskForm()
    if not form.validate():
        abort(400)
    try:
        claim_edit(questionnaire, checked=False)
        change()
        db.session.commit()
    except DomainError as error:
        status = refused(form, error)
        return render_template("questionnaires/page_refused.html", questionnaire=questionnaire,
                               form=form), status
    flash(done)
    return _back_to_pages(questionnaire)
