"""Public respondent pages: /s/<slug>. Server-rendered, no JavaScript needed."""
from flask import Blueprint, g, redirect, render_template, request, session, url_for
from jinja2 import pass_context

from surveyapp.errors import DomainError
from surveyapp.extensions import db, limiter
from surveyapp.i18n import choose_language, interface_language_for, text_direction
from surveyapp.piping import pipe
from surveyapp.respond import blank, service
from surveyapp.respond.service import AlreadySubmitted
from surveyapp.web import http_error

bp = Blueprint("respond", __name__)


@limiter.request_filter
def _not_limited() -> bool:
    """Anonymous survey pages are never rate limited (a class on one school network shares one address);
    filtering here also spares them the limiter's per-request lookups (~4 % of a respondent's cycle)."""
    return request.blueprint == "respond"


def _open(slug: str):
    try:
        return service.load_questionnaire(slug)
    except DomainError as error:
        raise http_error(error) from None


def _language(questionnaire) -> str:
    lang = choose_language(questionnaire.languages, questionnaire.default_lang, session.get("resp_lang"))
    _remember("resp_lang", lang)
    g.ui_lang = interface_language_for(lang)
    return lang


def _remember(name: str, value: str) -> None:
    """Write to the session only on a change: an unchanged session is not signed and sent again."""
    if session.get(name) != value:
        session[name] = value


def _session_key(questionnaire) -> str:
    return f"rk{questionnaire.id}"


@bp.get("/s/<slug>")
def show(slug):
    questionnaire = _open(slug)
    lang = _language(questionnaire)
    response = service.find_response(session.get(_session_key(questionnaire)), questionnaire)
    if response is None or response.submitted_at is not None:
        key = session[_session_key(questionnaire)] = service.new_response_key()
        return blank.page(questionnaire, 1, lang, key,
                          lambda: _render_form(questionnaire, 1, lang, {"rk": key}))
    page = min(max(request.args.get("page", response.page, type=int), 1), questionnaire.page_numbers[-1])
    data = {**service.stored_form_data(response, questionnaire), "rk": response.key}
    return _render_form(questionnaire, page, lang, data)


def _render_form(questionnaire, page, lang, data):
    form = service.page_form(questionnaire, page, lang, formdata=None, data={**data, "page": page})
    return render_page(questionnaire, form, page, lang)


@bp.post("/s/<slug>")
def answer(slug):
    questionnaire = _open(slug)
    lang = _language(questionnaire)
    page = min(max(request.form.get("page", 1, type=int), 1), questionnaire.page_numbers[-1])
    form = service.page_form(questionnaire, page, lang)
    try:
        key = service.checked_key(form.rk.data)
    except DomainError as error:
        raise http_error(error) from None
    if "lang" in request.form:  # language switch: show the same answers again, in the new language
        return render_page(questionnaire, form, page, lang, show_errors=False)
    if request.form.get("nav") == "back":
        return redirect(url_for("respond.show", slug=slug, page=max(page - 1, 1)))
    if not form.validate():
        return render_page(questionnaire, form, page, lang), 422
    final = page == questionnaire.page_numbers[-1]
    try:
        service.save_page(questionnaire, key, page, lang, service.collect_answers(form, questionnaire, page),
                          final=final)
        db.session.commit()
    except AlreadySubmitted:
        db.session.rollback()
        return _after_conflict(questionnaire, key)
    _remember(_session_key(questionnaire), key)
    if final:
        return redirect(url_for("respond.thanks", slug=slug))
    return redirect(url_for("respond.show", slug=slug, page=page + 1))


def _after_conflict(questionnaire, key):
    response = service.find_response(key, questionnaire)
    if response is not None and response.submitted_at is not None:
        return redirect(url_for("respond.thanks", slug=questionnaire.slug))
    return redirect(url_for("respond.show", slug=questionnaire.slug))


@bp.get("/s/<slug>/thanks")
def thanks(slug):
    questionnaire = _open(slug)
    lang = _language(questionnaire)
    return render_template("respond/thanks.html", questionnaire=questionnaire, lang=lang,
                           html_lang=lang, html_dir=text_direction(lang))


def render_page(questionnaire, form, page, lang, *, show_errors=True, preview=False, action=None, piping=None):
    pages = questionnaire.page_numbers
    return render_template(
        "respond/page.html", questionnaire=questionnaire, form=form, page=page, pages=pages, lang=lang,
        items=service.page_items(form, questionnaire, page), show_errors=show_errors, preview=preview,
        action=action or url_for("respond.answer", slug=questionnaire.slug),
        html_lang=lang, html_dir=text_direction(lang), piping=piping,
    )


@bp.app_template_filter("piped")
@pass_context
def _piped(context, text: str) -> str:
    """Questionnaire texts with the respondent's session facts filled in (invitations only)."""
    return pipe(text, context.get("piping"))
