"""The presenter's live chart: its Server-Sent Events stream and the cached results it falls back to polling.

Neither route is rate limited: a presenter polls every second for a whole workshop. Both serve the aggregate from
`live.AggregateCache`, so a hundred polling clients cost the database at most 4 reads a second per poll.
"""
from flask import Response, abort, current_app, jsonify, request
from flask_login import current_user

from surveyapp.accounts.access import READ, staff_required
from surveyapp.extensions import db
from surveyapp.polls import joined, service
from surveyapp.polls.blueprint import bp, poll
from surveyapp.polls.live import broker_of, stream_events
from surveyapp.polls.models import Poll, State
from surveyapp.web import stream_in_app_context


@bp.get("/polls/<int:poll_id>/stream")
@staff_required
def stream(poll_id: int):
    poll(poll_id)  # staff of the poll's programme
    broker = broker_of(current_app)
    broker.watch()
    events = stream_events(broker.hub, poll_id, lambda: cached_results(poll_id, for_presenter=True))
    return Response(stream_in_app_context(events), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@bp.get("/polls/<int:poll_id>/results.json")
def results_json(poll_id: int):
    """Staff of the poll's programme: always (the presenter's fallback). Participants who joined its session
    (polls.joined): only once revealed, and the same 404 as an unknown poll before, so hidden results, drafts
    and other sessions' polls give nothing away."""
    row = db.session.get(Poll, poll_id) or abort(404)
    for_presenter = current_user.is_authenticated and current_user.can(row.programme_id, *READ)
    if not for_presenter and (row.state != State.REVEALED or row.session.closed_at is not None
                              or not joined.has_joined(row.session_id)):
        abort(404)
    aggregate = cached_results(poll_id, for_presenter=for_presenter) or abort(404)  # deleted meanwhile
    etag = f"{poll_id}-{'presenter' if for_presenter else 'public'}-{aggregate['version']}"
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = jsonify(aggregate)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def cached_results(poll_id: int, *, for_presenter: bool) -> dict | None:
    """The poll's aggregate for this audience from this process's cache; None once the poll is gone."""
    def compute():
        row = db.session.get(Poll, poll_id)
        return None if row is None else service.results(row, for_presenter=for_presenter)

    return broker_of(current_app).cache.get((poll_id, for_presenter), compute)
