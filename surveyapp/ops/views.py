"""/healthz, /readyz and /metrics: for load balancers and monitoring, never rate limited, no personal data."""
from flask import Blueprint, abort, current_app, jsonify, request

from surveyapp.extensions import limiter
from surveyapp.ops import health, metrics

bp = Blueprint("ops", __name__)
RETRY_AFTER = "5"  # seconds: a load balancer or Prometheus asks again soon, a restart or failover may be over


def _status(body: dict, code: int = 200):
    version = current_app.config.get("HEALTH_VERSION")  # only what an operator chose to show
    if version:
        body["version"] = version
    response = jsonify(body)
    response.status_code = code
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """The process answers; nothing else is checked (a database outage must not get workers restarted)."""
    return _status({"status": "ok"})


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Ready for traffic: the database answers at the newest migration and Redis (when configured) answers."""
    problem = health.readiness_problem(current_app)
    if problem:
        response = _status({"status": "unavailable", "reason": problem}, 503)
        response.headers["Retry-After"] = RETRY_AFTER
        return response
    return _status({"status": "ok"})


@bp.get("/metrics")
@limiter.exempt
def metrics_page():
    """Prometheus text format, only to the addresses in METRICS_ALLOW; anyone else sees no such page.

    Database or Redis down: a one-line 503 in plain text (a failed scrape, `up` 0), not the HTML error page.
    """
    if not metrics.allowed(request.remote_addr, current_app.config["METRICS_ALLOW"]):
        abort(404)
    try:
        return metrics.exposition(), 200, {"Content-Type": metrics.CONTENT_TYPE}
    except metrics.Unavailable as down:
        return f"# {down}\n", 503, {"Content-Type": metrics.CONTENT_TYPE, "Retry-After": RETRY_AFTER}
