"""Public respondent pages: /s/<slug>. Server-rendered; a small script only tidies the history after errors.

The page flow is respond.flow's (entry point respond.entries.Public); this module maps its outcomes to HTTP and
keeps the respondent's key and language between requests (respond.resume, the session).
"""
from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_wtf.csrf import CSRFError
from jinja2 import pass_context
from markupsafe import Markup

from surveyapp.errors import DomainError, Gone, NotFound
from surveyapp.extensions import limiter, token_rate_limit
from surveyapp.i18n import choose_language, interface_language_for, text_direction
from surveyapp.piping import pipe_html
from surveyapp.questionnaires.models import Status
from surveyapp.respond import blank, cache, flow, pages, resume, service
from surveyapp.respond.entries import Public
from surveyapp.respond.flow import Kind
from surveyapp.web import http_error, render_error

bp = Blueprint("respond", __name__)


@limiter.request_filter
def _not_limited() -> bool:
    """Anonymous survey pages are never rate limited (a class on one school network shares one address);
    filtering here also spares them the limiter's per-request lookups (~4 % of a respondent's cycle). The
    continue-later link is limited like the personal links: its token is what a guesser would try."""
    return request.blueprint == "respond" and request.endpoint != "respond.resume_link"


def _open(slug: str):
    try:
        return service.load_questionnaire(slug)
    except DomainError as error:
        if isinstance(error, Gone | service.NotYetOpen):
            _speak_survey_language(slug)
        raise http_error(error) from None


def _speak_survey_language(slug: str) -> None:
    """Let an error page of a survey known to exist (closed, not open yet, rate limited) speak the respondent's
    language of it: the one chosen (session, resume cookie), else what the survey page would show. A draft's stays
    as is."""
    found = cache.questionnaire_by_slug(slug)
    if found is not None and found[1] is not Status.DRAFT:
        _language(found[0], resume.from_cookie(found[0])[1])
        refresh()  # the error's message may have asked for the locale already: ask again


@bp.errorhandler(429)
def _too_many(_error):
    _speak_survey_language(request.view_args["slug"])
    return render_error(429)


def _language(questionnaire, kept: str | None = None) -> str:
    """?lang=, the language chosen in this browser session, `kept` (the resume cookie's), Accept-Language, the
    questionnaire's default: the first one offered."""
    lang = choose_language(questionnaire.languages, questionnaire.default_lang, session.get("resp_lang") or kept)
    _remember_language(lang)
    g.ui_lang = interface_language_for(lang)
    return lang


def _remember_language(lang: str) -> None:
    """Write to the session only on a change: an unchanged session is not signed and sent again."""
    if session.get("resp_lang") != lang:
        session["resp_lang"] = lang


@bp.get("/s/<slug>")
def show(slug):
    questionnaire = _open(slug)
    key, lang = (None, None) if "new" in request.args else resume.from_cookie(questionnaire)
    entry = Public(questionnaire, _language(questionnaire, lang), key)
    outcome = flow.show(entry, request.args.get("page", type=int))
    if outcome.kind is Kind.ALREADY_SUBMITTED:  # e.g. the browser's Back after the thank-you page
        return redirect(url_for("respond.thanks", slug=slug))
    if outcome.kind is Kind.NEW:
        return blank.page(questionnaire, outcome.page, entry.lang, entry.form_key(),
                          lambda: pages.reply(entry, outcome))
    return pages.reply(entry, outcome)


_STORED = {Kind.NEXT, Kind.FINISHED, Kind.LATER}  # outcomes after which the response exists


@bp.post("/s/<slug>")
def answer(slug):
    questionnaire = _open(slug)
    entry = Public(questionnaire, _language(questionnaire))
    try:
        outcome = flow.advance(entry, request.form)
    except DomainError as error:
        raise http_error(error) from None
    flow.settle(outcome)
    if outcome.kind is Kind.ALREADY_SUBMITTED:
        return _after_conflict(entry)
    if outcome.kind is Kind.FINISHED:
        reply = redirect(url_for("respond.thanks", slug=slug))
    elif outcome.kind is Kind.LATER:
        reply = redirect(url_for("respond.later", slug=slug))
    else:
        reply = pages.reply(entry, outcome)
    if outcome.kind in _STORED:
        resume.remember(reply, questionnaire, entry.key, entry.lang)
    return reply


@bp.errorhandler(CSRFError)
def _expired(_error):
    """A page posted after its session was lost (a browser restart keeps only the resume cookie): shown again
    as typed, in the survey's language, to be sent again (pages.expired); nothing is stored."""
    try:
        questionnaire = service.load_questionnaire(request.view_args["slug"])
    except DomainError as error:  # raised in an error handler, an HTTP error would become a 500
        return render_error(400, str(error.message))  # a refused form is a 400 whatever else is wrong
    entry = Public(questionnaire, _language(questionnaire, resume.from_cookie(questionnaire)[1]))
    return pages.expired(entry, request.form)


def _after_conflict(entry: Public):
    response = service.find_response(entry.key, entry.questionnaire)
    if response is not None and response.submitted_at is not None:
        return redirect(url_for("respond.thanks", slug=entry.questionnaire.slug))
    return redirect(url_for("respond.show", slug=entry.questionnaire.slug))


@bp.get("/s/<slug>/thanks")
def thanks(slug):
    questionnaire = _open(slug)
    lang = _language(questionnaire)
    return render_template("respond/thanks.html", questionnaire=questionnaire, lang=lang,
                           html_lang=lang, html_dir=text_direction(lang))


@bp.get("/s/<slug>/later")
def later(slug):
    """The personal link to continue this browser's response elsewhere (after "Continue later")."""
    questionnaire = _open(slug)
    key, kept_lang = resume.from_cookie(questionnaire)
    lang = _language(questionnaire, kept_lang)
    response = service.find_response(key, questionnaire)
    if response is None or response.submitted_at is not None:
        return redirect(url_for("respond.show", slug=slug))
    link = url_for("respond.resume_link", slug=slug, token=resume.link_token(questionnaire, key), _external=True)
    return render_template("respond/later.html", questionnaire=questionnaire, lang=lang, link=link,
                           back=url_for("respond.show", slug=slug, page=response.page),
                           html_lang=lang, html_dir=text_direction(lang))


@bp.get("/s/<slug>/resume/<token>")
@limiter.limit(token_rate_limit)
def resume_link(slug, token):
    """Continue a response on this device: keep its key in the resume cookie, then show where it stopped."""
    questionnaire = _open(slug)
    key = resume.link_key(questionnaire, token)
    response = service.find_response(key, questionnaire) if key else None
    if response is None:
        raise http_error(NotFound(_l("This link is not valid. Please check that you copied all of it.")))
    reply = redirect(url_for("respond.show", slug=slug))
    resume.remember(reply, questionnaire, key, response.lang)
    return reply


@bp.app_template_filter("piped")
@pass_context
def _piped(context, text: str) -> Markup:
    """Questionnaire texts with earlier answers and session facts filled in, each isolated (piping.pipe_html)."""
    return pipe_html(text, context.get("piping"))
