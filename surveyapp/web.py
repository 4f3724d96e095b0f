"""Cross-cutting HTTP concerns: security headers, error pages, template helpers, hashed static URLs."""
import gc
import gzip
import hashlib
import traceback
import zlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, default_exceptions
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from surveyapp.i18n import language_name, quoted, text_direction, ui_language_name

COMPRESSIBLE = frozenset({"text/html", "text/css", "text/javascript", "application/javascript", "text/csv",
                          "application/json", "image/svg+xml", "text/plain"})
COMPRESS_MIN_BYTES = 500  # below this, gzip's header costs more than it saves
STATIC_MAX_AGE = "public, max-age=31536000, immutable"
RETRY_AFTER_SECONDS = 30  # database outages: a lock or a failover is usually over by then

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)

ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("This page does not exist. Please check the link.")),
    405: (_l("Not allowed"), _l("This action is not allowed here.")),
    410: (_l("No longer available"), _l("This survey is closed. Thank you for your interest.")),
    413: (_l("Too large"), _l("The file you sent is too large.")),
    422: (_l("Please check your answers"), _l("Some answers could not be accepted.")),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Please try again later.")),
    503: (_l("Temporarily unavailable"), _l("The service is briefly unavailable and nothing was saved. "
                                            "Please wait a moment and send your answers again.")),
}


class RowId(IntegerConverter):
    """`<int:...>` in routes: ids fit a 64-bit signed column, so a longer number is a 404, not an overflow in the
    database driver (a 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)



def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_nul)  # first, before any other hook
    app.after_request(_security_headers)
    app.after_request(_compress)  # after_request functions run in reverse: compression runs first
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(PoolTimeout, _database_error)
    app.jinja_env.globals.update(static_url=static_url, language_name=language_name, page_dir=page_dir,
                                ui_language_name=ui_language_name,
                                get_locale=get_locale, text_dir=text_direction)
    app.jinja_env.filters["quoted"] = quoted  # the language's quotation marks, as in the PDF
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.session_interface = _SessionInterface()
    _trust_proxies(app)
    if not app.testing:
        _freeze_startup_objects()


def _freeze_startup_objects() -> None:
    """Keep the objects of start-up (modules, the app, pandas, reportlab...: ~170,000) out of garbage collection.

    They live as long as the process, yet every full collection walked them all again: about 0.3 ms per
    respondent on average, some 7 % of a respondent's GET + POST. Not in tests, which build many apps in one
    process and need the old ones collected.
    """
    gc.freeze()


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, its signing serializer built once per set of keys instead of twice per
    request (open and save); the same keys, salt, digest and format, so cookies are exactly as before."""

    _built: tuple[tuple, object] | None = None

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        built = self._built
        if built is None or built[0] != keys:
            built = self._built = (keys, super().get_signing_serializer(app))
        return built[1]


def _trust_proxies(app: Flask) -> None:
    """Behind PROXY_FIX_X_FOR trusted proxies, the client's address (rate limits) comes from X-Forwarded-For."""
    hops = {name: int(app.config.get(f"PROXY_FIX_{name.upper()}") or 0) for name in ("x_for", "x_proto", "x_host")}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)


def _refuse_nul():
    """A NUL in the path, a query or form value or name, or an upload's file name -> 400 before any view.

    PostgreSQL text cannot hold NUL (the driver raises: a 500), and no form needs it. Uploaded files' contents
    are not form values: the importers read them as bytes and check them themselves.
    """
    try:  # raw non-UTF-8 bytes in the query (not %-escaped) made werkzeug's request.args raise: a 500
        request.query_string.decode()
    except UnicodeDecodeError:
        from flask_babel import gettext as _

        request.query_string = b""  # the locale selector and the error page read request.args too
        return render_error(400, _("The address contained characters that are not allowed. Please check the link."))
    texts = [request.path, *(text for pair in request.args.items(multi=True) for text in pair)]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        texts += [text for pair in request.form.items(multi=True) for text in pair]
        texts += [f"{name}{upload.filename or ''}" for name, upload in request.files.items(multi=True)]
    if any("\x00" in text for text in texts):
        from flask_babel import gettext as _

        return render_error(400, _("The request contained a character that is not allowed (NUL). "
                                   "Please remove it and try again."))
    return None


def _security_headers(response):
    headers = response.headers
    present = {name.lower() for name, _ in headers.items()}  # one pass; setdefault scanned them per header
    for name, value in SECURITY_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    if request.endpoint == "static":
        if request.args.get("v") and response.status_code in (200, 304):  # content-hashed URL: never changes
            headers["Cache-Control"] = STATIC_MAX_AGE
    elif "cache-control" not in present:
        headers["Cache-Control"] = "no-store"
    return response


def _compress(response):
    """Gzip text responses when the client accepts it (respondents are often on slow mobile data).

    Done here rather than with flask-compress: a dozen lines, no extra dependency. A reverse proxy that
    compresses itself sees Content-Encoding set and leaves the body alone.
    """
    if (response.status_code in (204, 206, 304) or "Content-Encoding" in response.headers
            or response.mimetype not in COMPRESSIBLE or "gzip" not in request.accept_encodings):
        return response
    response.headers.add("Vary", "Accept-Encoding")
    if response.is_streamed and not response.direct_passthrough:
        return _compress_stream(response)
    response.direct_passthrough = False  # static files arrive as a file wrapper: read it (they are small)
    body = response.get_data()
    if len(body) < COMPRESS_MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:  # the compressed bytes differ from the original, so the validator turns weak
        response.set_etag(etag, weak=True)
    return response


def _compress_stream(response):
    """A generated body (the streamed CSV export) stays streamed: gzip it chunk by chunk."""
    original, chunks = response.response, response.iter_encoded()

    def gzipped():
        compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: gzip framing
        try:
            for chunk in chunks:
                if data := compressor.compress(chunk):
                    yield data
            yield compressor.flush()
        finally:
            if hasattr(original, "close"):
                original.close()

    response.response = gzipped()
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Content-Length", None)
    return response


def http_error(error) -> HTTPException:
    """Turn a DomainError into the HTTP exception of its status, keeping its translated message."""
    exception = default_exceptions[error.status_code]()
    exception.survey_message = str(error.message)
    exception.survey_title = getattr(error, "title", None)  # a heading of its own, e.g. "not open yet"
    return exception


def render_error(code: int, message: str | None = None, title: str | None = None):
    default_title, default_message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template("error.html", code=code, title=title or default_title,
                           message=message or default_message), code


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    return render_error(error.code, getattr(error, "survey_message", None), getattr(error, "survey_title", None))


def _csrf_error(_error: CSRFError):
    from flask_babel import gettext as _

    return render_error(400, _("Your form has expired. Please reload the page and try again."))


def _unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return _http_error(error)
    # Neither the exception's text nor the request's data: a database error quotes the failing row (contact
    # e-mails, answers) and a URL may carry an invitation token. The classes and the code's frames suffice.
    frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
    current_app.logger.error("unhandled error %s in %s %s\n%s", _error_classes(error), request.method,
                             request.endpoint, frames)
    from surveyapp.extensions import db

    db.session.rollback()
    return render_error(500)


class StreamAborted(RuntimeError):
    """A streamed body failed after its headers were sent; the server cuts the connection (no clean end)."""


def stream_in_app_context(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Run a streamed body (CSV exports) in one short app context per chunk: the server pulls it after the view's
    context has ended, possibly from another thread.

    An error half-way cannot become an error page any more (the status is sent). It is logged like any unexpected
    error (classes and frames, never its text: it may quote answers) and re-raised without its text, so the
    server drops the connection and the client sees an incomplete download, never a short file that looks whole.
    """
    return _pulled(current_app._get_current_object(), chunks)  # the app now: the generator runs later


def _pulled(app: Flask, chunks: Iterator[bytes]) -> Iterator[bytes]:
    while True:
        with app.app_context():
            try:
                chunk = next(chunks, None)
            except Exception as error:  # noqa: BLE001 - logged without its text, then the transfer is cut
                frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
                app.logger.error("streamed body failed: %s\n%s", _error_classes(error), frames)
                raise StreamAborted(type(error).__name__) from None
        if chunk is None:
            return
        yield chunk


def _database_error(error: Exception):
    """Database unavailable (lost, locked, disk full): roll back, 503 with Retry-After; anything else is a 500.

    Logged by driver error class and code only: the statement and its values (answers, e-mail addresses) are
    never written to the log.
    """
    from surveyapp.outages import database_unavailable, describe

    if not database_unavailable(error):
        return _unexpected_error(error)
    current_app.logger.error("database unavailable (%s) during %s %s", describe(error), request.method,
                             request.url_rule.rule if request.url_rule else "?")
    _rollback()
    if "_login_user" not in g:  # Flask-Login's context processor would query the database for the page
        g._login_user = current_app.login_manager.anonymous_user()
    body, code = render_error(503)
    return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _rollback() -> None:
    from surveyapp.extensions import db

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool discards it on return
        current_app.logger.warning("rollback after a database outage failed")


def _error_classes(error: BaseException) -> str:
    """The exception's class and those of its causes, e.g. "IntegrityError <- CheckViolation"."""
    names = []
    while error is not None and len(names) < 5:
        names.append(type(error).__name__)
        error = error.__cause__ or error.__context__
    return " <- ".join(names)


def page_dir() -> str:
    return text_direction(str(get_locale() or "en"))


@cache
def _static_hash(path: str) -> str:
    full = Path(current_app.static_folder) / path
    return hashlib.sha256(full.read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    """Content-hashed static URL, so files can be cached for a year."""
    return url_for("static", filename=filename, v=_static_hash(filename))


def public_url(path: str) -> str:
    """`path` on the public address: SURVEYAPP_PUBLIC_BASE_URL when set, else the address this request came by
    (so a share link or enrolment QR code works on whatever host staff use). Outside a request with no setting
    the result is relative; code sending mail checks the setting first (waves.letters)."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not base and has_request_context():
        base = request.host_url.rstrip("/")
    return base + path
