"""The kiosk on the tablet: /k/. One questionnaire, a fresh respondent after each thank-you screen or idle timeout.

A browser holding the kiosk cookie reaches nothing else (every other address leads back to /k/) until staff
leave kiosk mode with the PIN. Every kiosk page is `Cache-Control: no-store`, and no address carries a response
key. The page flow is respond.flow's (entry point kiosk.entry.Kiosk); kiosk.js adds the idle prompt, the reset
without reloading and the offline queue; its service worker (/k/sw.js) keeps the blank start page for offline.
"""
from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, generate_csrf

from surveyapp.audit.service import record
from surveyapp.db import utcnow
from surveyapp.errors import DomainError
from surveyapp.extensions import db, limiter, token_rate_limit
from surveyapp.i18n import choose_language, interface_language_for, text_direction
from surveyapp.kiosk import flags, service
from surveyapp.kiosk.entry import Kiosk
from surveyapp.kiosk.forms import LeaveForm
from surveyapp.respond import flow, pages
from surveyapp.respond import service as respond_service
from surveyapp.respond.flow import Kind

bp = Blueprint("kiosk", __name__, url_prefix="/k")
COOKIE = "kiosk"
_DONE = {Kind.FINISHED, Kind.ALREADY_SUBMITTED, Kind.NEW}  # the respondent is through: thank them


class Ended(Exception):
    """This browser's kiosk cookie names no active device (ended from the staff side, or forged)."""


@bp.before_app_request
def _stay_in_kiosk():
    """A browser in kiosk mode reaches nothing but the kiosk: no staff page, no login, no other survey."""
    if COOKIE in request.cookies and request.blueprint != "kiosk" and request.endpoint != "static":
        return redirect(url_for("kiosk.start"))
    return None


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _device():
    device = service.device_for(request.cookies.get(COOKIE))
    if device is None:
        raise Ended
    return device


def _serving(device):
    """The device's questionnaire, if it can be answered now and on one page; else a notice (DomainError)."""
    questionnaire = respond_service.load_questionnaire(device.questionnaire.slug)
    service.check_one_page(questionnaire)
    return questionnaire


def _language(questionnaire, shown_in: str | None = None) -> str:
    """The language switch, the page's own language (`kl`), the tablet's languages, the default."""
    lang = choose_language(questionnaire.languages, questionnaire.default_lang, shown_in)
    g.ui_lang = interface_language_for(lang)
    return lang


def _entry(device, **kwargs) -> Kiosk:
    questionnaire = _serving(device)
    return Kiosk(questionnaire, _language(questionnaire, request.form.get("kl")), device, utcnow(), **kwargs)


@bp.get("/")
def start():
    entry = _entry(_device())
    return pages.reply(entry, flow.show(entry))


@bp.post("/")
def answer():
    """A respondent's page, sent by the form or by kiosk.js (live or from its offline queue, `queued`). A queued
    page that fails its checks is submitted as it is: nobody is there any more to correct it."""
    device = _device()
    entry = _entry(device, when=flags.timing(request.form, utcnow()))
    outcome = flow.advance(entry, request.form)
    if outcome.kind is Kind.ERRORS and request.form.get("queued"):
        outcome = flow.submit_partly(entry, request.form)
    flow.settle(outcome)
    if outcome.kind in _DONE:  # thanked in the language answered in
        return redirect(url_for("kiosk.thanks", lang=entry.lang), 303)
    return pages.reply(entry, outcome)


@bp.route("/idle", methods=["GET", "POST"])
def idle():
    """Nobody answered "Still there?": submit what was given (the device's setting) or discard it, then start
    anew. Without JavaScript a meta refresh GETs this; nothing was sent, so nothing is kept."""
    device = _device()
    if request.method == "POST" and device.on_idle == "submit":
        entry = _entry(device, when=flags.timing(request.form, utcnow()), idle=True)
        flow.settle(flow.submit_partly(entry, request.form))
    return redirect(url_for("kiosk.start"), 303)


@bp.get("/thanks")
def thanks():
    device = _device()
    questionnaire = _serving(device)
    lang = _language(questionnaire)
    return render_template("kiosk/thanks.html", questionnaire=questionnaire, device=device, lang=lang,
                           html_lang=lang, html_dir=text_direction(lang))


@bp.get("/token")
def token():
    """A fresh CSRF token for kiosk.js, before it sends what it queued offline (a queued page's own token may
    have expired); answering at all tells it the server is reachable."""
    _device()
    return jsonify(csrf_token=generate_csrf())


@bp.get("/sw.js")
def worker():
    """The service worker (static/js/kiosk-sw.js), served from /k/ so that its scope is the kiosk's: a tablet
    reloaded or restarted offline still shows the blank start page. Nothing in it is secret: no device needed."""
    return current_app.send_static_file("js/kiosk-sw.js")


@bp.route("/leave", methods=["GET", "POST"])
@limiter.limit(token_rate_limit, methods=["POST"])
def leave():
    device = _device()
    form = LeaveForm()
    status = 200
    if form.validate_on_submit():
        outcome = service.leave(device, form.pin.data, utcnow())
        if outcome is service.Leaving.LEFT:
            record("kiosk.leave", target=f"kiosk_device:{device.id}", actor="kiosk PIN",
                   detail={"questionnaire_id": device.questionnaire_id})
        elif outcome is service.Leaving.LOCKED:
            record("kiosk.pin_locked", target=f"kiosk_device:{device.id}", actor="kiosk PIN", outcome="refused")
        db.session.commit()
        if outcome is service.Leaving.LEFT:
            return _forget(redirect(url_for("accounts.login")))
        status = 429 if outcome is service.Leaving.LOCKED else 403
        form.pin.errors = [_message(outcome, device)]
    return render_template("kiosk/leave.html", form=form), status


def _message(outcome: "service.Leaving", device) -> str:
    if outcome is service.Leaving.LOCKED:
        return _("Too many wrong PINs. Leaving kiosk mode is locked for a while; staff can also end this kiosk "
                 "from the questionnaire's kiosk page.")
    return _("Wrong PIN. %(tries)s tries left.", tries=service.tries_left(device))


def _forget(response):
    response.delete_cookie(COOKIE, path="/", secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                           samesite="Lax")
    return response


@bp.errorhandler(Ended)
def _ended(_error):
    return _forget(current_app.make_response((render_template("kiosk/ended.html"), 404)))


@bp.errorhandler(DomainError)
def _refused(error: DomainError):
    """A refused page or a questionnaire the kiosk cannot serve now: said on the kiosk, which tries again later."""
    db.session.rollback()
    return _notice(str(error.message), error.status_code)


@bp.errorhandler(CSRFError)
def _expired(_error):
    return _notice(_("This page had expired and nothing on it was saved. Please start again."), 400)


def _notice(message: str, status: int):
    return render_template("kiosk/notice.html", message=message, restart=30), status
