"""/metrics in Prometheus text format, written by hand (a dozen lines; no client library needed).

Every figure must be the same whichever worker answers the scrape: a per-process counter read through a
different worker each time looks to Prometheus like a counter reset on every other scrape, and rate() then
overstates. So request counts live in Redis when the app has one (one HINCRBY per request, a total over all
workers); without Redis they are per process and labelled with its pid, a series per worker that
sum(rate(...)) adds up. What operators act on, respondents and invitations, is counted in the database.
"""
import ipaddress
import logging
import os
import threading
import time
from collections import Counter
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.outages import describe
from surveyapp.responses.models import Response
from surveyapp.waves.models import Invitation, SendAttempt
from surveyapp.waves.scheduling import aware

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
REDIS_KEY = "surveyapp:metrics:http_requests_total"  # a hash: status -> count
REDIS_TIMEOUT = 0.5  # seconds a request may wait to be counted; a lost count beats a slow page
REDIS_PAUSE = 5.0  # seconds without counting after a failure: an outage slows one request in that time, not all
log = logging.getLogger(__name__)


class Unavailable(Exception):
    """The database or Redis did not answer; the message is the short reason, without addresses or secrets."""


class ProcessCounts:
    """This process's requests by status; labelled with its pid, so each worker is a series of its own."""

    shared = False

    def __init__(self):
        self.counts: Counter = Counter()
        self.lock = threading.Lock()

    def add(self, status: int) -> None:
        with self.lock:
            self.counts[status] += 1

    def read(self) -> dict[str, int]:
        with self.lock:
            return {f'status="{status}",worker="{os.getpid()}"': n for status, n in sorted(self.counts.items())}


class RedisCounts:
    """Requests by status over every worker, in one Redis hash: survives worker restarts, one series."""

    shared = True

    def __init__(self, url: str):
        import redis

        self.errors = redis.RedisError
        self.client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
        self.paused_until = 0.0  # after a failure: the monotonic time to try Redis again

    def add(self, status: int) -> None:
        if time.monotonic() < self.paused_until:
            return
        try:
            self.client.hincrby(REDIS_KEY, str(status), 1)
        except self.errors as error:
            if not self.paused_until:  # once per outage, not once per request
                log.warning("requests not counted: redis unreachable (%s)", type(error).__name__)
            self.paused_until = time.monotonic() + REDIS_PAUSE
        else:
            self.paused_until = 0.0

    def read(self) -> dict[str, int]:
        """Unavailable without Redis: no counts rather than counts that look like a reset."""
        try:
            counts = {int(status): int(n) for status, n in self.client.hgetall(REDIS_KEY).items()}
        except self.errors as error:
            raise Unavailable(f"redis unreachable ({type(error).__name__})") from None
        return {f'status="{status}"': n for status, n in sorted(counts.items())}


def init_app(app: Flask) -> None:
    url = next((url for url in (app.config.get("RATELIMIT_STORAGE_URI"), app.config.get("LIVE_REDIS_URL"))
                if url and url.startswith(("redis://", "rediss://"))), None)
    app.extensions["ops_request_counts"] = RedisCounts(url) if url else ProcessCounts()
    app.after_request(_count)


def request_counts(app: Flask) -> ProcessCounts | RedisCounts:
    return app.extensions["ops_request_counts"]


def _count(response):
    request_counts(current_app).add(response.status_code)
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
    """Raises Unavailable when the database or Redis is down: the view answers 503."""
    try:
        figures = business_figures(now or utcnow())
    except SQLAlchemyError as error:
        _rollback()
        raise Unavailable(f"database unavailable ({describe(error)})") from None
    counts = request_counts(current_app)
    lines = ["# HELP surveyapp_http_requests_total Requests answered, by status "
             f"({'all workers' if counts.shared else 'per worker process: sum(rate(...)) adds them'}).",
             "# TYPE surveyapp_http_requests_total counter"]
    lines += [f"surveyapp_http_requests_total{{{labels}}} {n}" for labels, n in counts.read().items()]
    for name, (kind, text, value) in figures.items():
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}", f"{name} {_number(value)}"]
    db.session.commit()  # end the read transaction: a scrape holds no snapshot open
    return "\n".join(lines) + "\n"


def _rollback() -> None:
    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection is gone; the pool discards it on return
        log.warning("rollback after a failed scrape failed")


def _number(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(int(value or 0))
