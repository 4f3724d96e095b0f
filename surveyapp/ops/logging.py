"""One structured line per request and per dispatch batch, as JSON or key=value (LOG_FORMAT), at LOG_LEVEL.

A request line names the route template (`/i/<token>`), never the path it was called with: paths carry
invitation and continue-later tokens. No query string, form value, user, e-mail address or answer is ever
logged; records of other modules keep to that too (web.py logs errors by class and code location).
"""
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")  # a proxy's id is kept only if it cannot carry much else
STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
log = logging.getLogger("surveyapp.requests")


class _Stderr(logging.StreamHandler):
    """Writes to the sys.stderr of the moment (a test runner swaps it), like logging's last resort."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


class LineFormatter(logging.Formatter):
    """A record as one line: time, level, logger, message, then the fields passed as `extra`."""

    def __init__(self, style: str):
        super().__init__()
        self.json = style == "json"

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            **{key: value for key, value in vars(record).items() if key not in STANDARD},
        }
        if record.exc_info:  # class and frames only would be better; the message is the raiser's choice
            fields["exc"] = self.formatException(record.exc_info)
        if self.json:
            return json.dumps(fields, default=str, ensure_ascii=False)
        return " ".join(f"{key}={_value(value)}" for key, value in fields.items())


class _RequestId(logging.Filter):
    """Every record written during a request carries its id: an error line is found from the id a user quotes
    off the error page, or from the request's own line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id") and has_request_context() and g.get("request_id"):
            record.request_id = g.request_id
        return True


def _value(value) -> str:
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if not text or re.search(r'[\s="]', text) else text


def configure(level: str, style: str) -> None:
    """Send surveyapp's loggers through one handler of that format (once per process; a new app re-sets it)."""
    root = logging.getLogger("surveyapp")
    handler = next((h for h in root.handlers if isinstance(h, _Stderr)), None)
    if handler is None:
        handler = _Stderr()
        handler.addFilter(_RequestId())
        root.addHandler(handler)
    handler.setFormatter(LineFormatter(style))
    root.setLevel(level.upper())
    # the development server's own access line quotes the raw request line: tokens in paths
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoAccessLines) for f in werkzeug.filters):
        werkzeug.addFilter(_NoAccessLines())


class _NoAccessLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return '"%s" %s %s' not in str(record.msg)  # werkzeug's WSGIRequestHandler.log_request


def init_app(app: Flask) -> None:
    configure(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    app.before_request_funcs.setdefault(None, []).insert(0, _start)  # first: the duration covers every hook
    app.after_request(_finish)


def _start() -> None:
    g.request_started = time.perf_counter()
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def _finish(response):
    started = g.get("request_started")
    request_id = g.get("request_id") or uuid.uuid4().hex  # a request refused before the hooks ran
    response.headers["X-Request-ID"] = request_id
    log.info("request", extra={
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else "-",
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "request_id": request_id,
    })
    return response
