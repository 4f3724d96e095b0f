"""/metrics in Prometheus text format, written by hand (a dozen lines; no client library needed).

Request counts are kept per process: with several workers each scrape reads the worker that answered, so read
them as a sample (rates), not a total. What operators act on, respondents and invitations, is counted in the
database on every scrape and is the same whichever worker answers.
"""
import ipaddress
import threading
from collections import Counter
from datetime import datetime

from flask import Flask
from sqlalchemy import func, select

from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.responses.models import Response
from surveyapp.waves.models import Invitation, SendAttempt
from surveyapp.waves.scheduling import aware

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_requests: Counter = Counter()
_lock = threading.Lock()


def init_app(app: Flask) -> None:
    app.after_request(_count)


def _count(response):
    with _lock:
        _requests[response.status_code] += 1
    return response


def allowed(address: str | None, allow: str) -> bool:
    """Whether `address` is in the comma list `allow` of addresses and networks (CIDR)."""
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for entry in filter(None, (part.strip() for part in allow.split(","))):
        if client in ipaddress.ip_network(entry, strict=False):
            return True
    return False


def _due(now: datetime):
    return (Invitation.next_send_at <= now, Invitation.closes_at > now, Invitation.submitted_at.is_(None),
            Invitation.bounced_at.is_(None))


def business_figures(now: datetime) -> dict[str, tuple[str, str, float]]:
    """{metric: (type, help, value)} read from the database: the same whichever process is asked."""
    count = func.count()
    due, oldest = db.session.execute(
        select(count, func.min(Invitation.next_send_at)).where(*_due(now))).one()
    lag = max(0.0, (now - aware(oldest)).total_seconds()) if oldest else 0.0
    return {
        "surveyapp_respondents_submitted": ("gauge", "Responses submitted.", db.session.scalar(
            select(count).select_from(Response).where(Response.submitted_at.is_not(None)))),
        "surveyapp_invitations_due": ("gauge", "Invitations and reminders due and not yet sent.", due),
        "surveyapp_invitations_sent": ("gauge", "Invitations sent at least once.", db.session.scalar(
            select(count).select_from(Invitation).where(Invitation.first_sent_at.is_not(None)))),
        "surveyapp_invitations_failed": ("gauge", "Invitations given up on (bounced or too many failures).",
                                         db.session.scalar(select(count).select_from(Invitation)
                                                           .where(Invitation.bounced_at.is_not(None)))),
        "surveyapp_send_attempts_failed": ("gauge", "Send attempts that failed (retried later or bounced).",
                                           db.session.scalar(select(count).select_from(SendAttempt)
                                                             .where(SendAttempt.error.is_not(None)))),
        "surveyapp_dispatch_lag_seconds": ("gauge", "Seconds since the oldest due, unsent message was due.", lag),
    }


def exposition(now: datetime | None = None) -> str:
    lines = ["# HELP surveyapp_http_requests_total Requests answered by this process, by status.",
             "# TYPE surveyapp_http_requests_total counter"]
    with _lock:
        counts = sorted(_requests.items())
    lines += [f'surveyapp_http_requests_total{{status="{status}"}} {n}' for status, n in counts]
    for name, (kind, text, value) in business_figures(now or utcnow()).items():
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}", f"{name} {_number(value)}"]
    db.session.commit()  # end the read transaction: a scrape holds no snapshot open
    return "\n".join(lines) + "\n"


def _number(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(int(value or 0))
