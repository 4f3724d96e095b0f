"""Which poll sessions this browser joined, kept in the signed Flask session (the one holding its CSRF token).

results.json serves a revealed poll to participants only of its own session: without this, anyone could read
every revealed poll of every open session by counting up its id, without the join code.
"""
from flask import session as browser

KEY = "poll_sessions"
REMEMBERED = 20  # the latest sessions joined; a browser in more workshops than that re-joins by its code


def remember(poll_session_id: int) -> None:
    joined = [sid for sid in browser.get(KEY, []) if sid != poll_session_id]
    browser[KEY] = [*joined, poll_session_id][-REMEMBERED:]


def has_joined(poll_session_id: int) -> bool:
    return poll_session_id in browser.get(KEY, [])
