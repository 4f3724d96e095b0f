"""Participants' pages: /j/<code> lists the session's open polls (a vote form each, no JavaScript needed) and
the revealed results; a vote is posted per poll. No account, no address stored: a random `poll_voter` cookie
(HttpOnly, SameSite=Lax) makes one vote per browser and poll, stored only as its hash.

Two rate limits per client address: POLL_RATE_LIMIT on every join and vote (a whole workshop may share one
address behind the venue's router, so it is generous), and TOKEN_RATE_LIMIT on unknown codes only (guessing).
"""
import secrets

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from surveyapp.errors import DomainError
from surveyapp.extensions import db, limiter, token_rate_limit
from surveyapp.i18n import interface_language_for
from surveyapp.polls import joined, live, service
from surveyapp.polls.blueprint import bp
from surveyapp.polls.models import Poll, PollSession, State
from surveyapp.polls.stream_views import cached_results
from surveyapp.web import public_url

COOKIE = "poll_voter"
COOKIE_DAYS = 7
VISIBLE = (State.OPEN, State.REVEALED)


def join_link(session: PollSession) -> str:
    """The address participants type or scan."""
    return public_url(url_for("polls.join", code=session.code))


def poll_rate_limit() -> str:
    return current_app.config["POLL_RATE_LIMIT"]


def _not_found(response) -> bool:
    return response.status_code == 404


def _session(code: str) -> PollSession:
    """The open session of `code`; an unknown and a closed one give the very same 404."""
    session = service.joinable_session(code)
    if session is None:
        abort(404)
    g.ui_lang = interface_language_for(session.lang)
    joined.remember(session.id)
    return session


@bp.get("/j/<code>")
@limiter.limit(poll_rate_limit)
@limiter.limit(token_rate_limit, deduct_when=_not_found)
def join(code: str):
    return _page(_session(code))


@bp.post("/j/<code>/<int:poll_id>")
@limiter.limit(poll_rate_limit)
@limiter.limit(token_rate_limit, deduct_when=_not_found)
def vote(code: str, poll_id: int):
    session = _session(code)
    poll = db.session.get(Poll, poll_id)
    if poll is None or poll.session_id != session.id:
        abort(404)
    if not FlaskForm().validate_on_submit():  # the CSRF token only
        abort(400)
    token = _token()
    try:
        service.cast_vote(poll, service.voter_hash(token), request.form.getlist("answer"))
    except DomainError as error:
        db.session.rollback()
        return _page(session, errors={poll.id: str(error.message)}, token=token, status=error.status_code)
    db.session.commit()
    live.announce(poll.id)
    flash(_("Thank you, your vote is counted."), "success")
    return _with_cookie(redirect(url_for("polls.join", code=session.code, _anchor=f"poll-{poll.id}")), token)


def _token() -> str:
    token = request.cookies.get(COOKIE, "")
    return token if 20 <= len(token) <= 100 else secrets.token_urlsafe(32)


def _page(session: PollSession, *, errors: dict | None = None, token: str | None = None, status: int = 200):
    """The session's open and revealed polls; while none is left to vote on, the page reloads itself (no
    JavaScript) to show the next question or the results once the facilitator gets there."""
    token = token or _token()
    polls = [poll for poll in session.polls if poll.state in VISIBLE]
    votes = service.voted_polls([poll.id for poll in polls], service.voter_hash(token))
    results = {poll.id: cached_results(poll.id, for_presenter=False) for poll in polls
               if poll.state == State.REVEALED}
    page = render_template("polls/join.html", session=session, polls=polls, votes=votes, results=results,
                           errors=errors or {}, posted=request.form.getlist("answer"), State=State,
                           waiting=not any(poll.state == State.OPEN and poll.id not in votes for poll in polls))
    return _with_cookie(current_app.make_response((page, status)), token)


def _with_cookie(response, token: str):
    response.set_cookie(COOKIE, token, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], path="/j/")
    return response
