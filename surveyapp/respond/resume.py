"""Where a public respondent's response key waits between visits: a signed cookie and a personal link.

The cookie (one per survey, path /s/<slug>) outlives the browser session for RESPONDENT_RESUME_DAYS (0: it ends
with the browser session). It is not the Flask session, which ends with the browser and is shared with staff
pages. The "continue later" link carries the same key, signed for this survey under another salt, so that it
works on any device; whoever holds it can continue the response, which holds no personal data but its answers.
Both are refused (None) when their signature does not match: nothing is looked up for them.
"""
from flask import current_app, request, url_for
from itsdangerous import BadSignature, Signer

from surveyapp.questionnaires.models import Questionnaire

COOKIE = "resume"


def _signer(questionnaire: Questionnaire, use: str) -> Signer:
    return Signer(current_app.secret_key, salt=f"surveyapp.respond.{use}.{questionnaire.id}")


def _unsigned(signer: Signer, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return signer.unsign(value).decode()
    except (BadSignature, UnicodeDecodeError):
        return None


def from_cookie(questionnaire: Questionnaire) -> tuple[str | None, str | None]:
    """The response key this browser keeps for `questionnaire` and the language it was answered in, if any."""
    kept = _unsigned(_signer(questionnaire, "cookie"), request.cookies.get(COOKIE))
    key, _, lang = (kept or "").partition(".")
    return key or None, lang or None


def remember(response, questionnaire: Questionnaire, key: str, lang: str) -> None:
    """Keep `key` and `lang` in the resume cookie of `response` (an HTTP response): a reopened browser has lost
    the session, and with it the language chosen, but not this cookie."""
    days = current_app.config["RESPONDENT_RESUME_DAYS"]
    response.set_cookie(
        COOKIE, _signer(questionnaire, "cookie").sign(f"{key}.{lang}").decode(),
        max_age=days * 86400 if days else None,
        path=url_for("respond.show", slug=questionnaire.slug), secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True, samesite="Lax")


def link_token(questionnaire: Questionnaire, key: str) -> str:
    return _signer(questionnaire, "link").sign(key).decode()


def link_key(questionnaire: Questionnaire, token: str) -> str | None:
    return _unsigned(_signer(questionnaire, "link"), token)
