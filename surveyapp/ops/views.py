"""/healthz, /readyz and /metrics: for load balancers and monitoring, never rate limited, no personal data."""
from flask import Blueprint, abort, current_app, jsonify, request

from surveyapp.extensions import limiter
from surveyapp.ops import health, metrics

bp = Blueprint("ops", __name__)


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
        return _status({"status": "unavailable", "reason": problem}, 503)
    return _status({"status": "ok"})


@bp.get("/metrics")
@limiter.exempt
def metrics_page():
    """Prometheus text format, only to the addresses in METRICS_ALLOW; anyone else sees no such page."""
    if not metrics.allowed(request.remote_addr, current_app.config["METRICS_ALLOW"]):
        abort(404)
    return metrics.exposition(), 200, {"Content-Type": metrics.CONTENT_TYPE}
