"""/metrics: Prometheus text, business figures from the database, only to the configured addresses."""
import os
import time
from datetime import date, timedelta

from sqlalchemy import select, update

from surveyapp import create_app
from surveyapp.db import utcnow
from surveyapp.extensions import db as _db
from surveyapp.ops.metrics import REDIS_KEY, allowed
from surveyapp.waves.models import Invitation
from surveyapp.waves.service import ensure_invitations
from tests import panel_factories as panel
from tests.reports.seed import seed_responses


def figures(text: str) -> dict[str, str]:
    return dict(line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))


def test_metrics_from_the_database_and_per_status(db, make, client):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=[("ok", "yesno", False, 1, {}, [])])
    panel.many_participants(db, panel.session(db, programme, date.today() - timedelta(days=1)), 4)
    panel.wave(db, programme, questionnaire, reminder_days=(), max_reminders=0)
    ensure_invitations(programme.id)
    seed_responses(questionnaire, [{"ok": "yes"}, {"ok": "no"}])
    ids = db.session.scalars(select(Invitation.id).order_by(Invitation.id)).all()
    an_hour_ago = utcnow() - timedelta(hours=1)
    db.session.execute(update(Invitation).values(next_send_at=an_hour_ago))
    db.session.execute(update(Invitation).where(Invitation.id == ids[0])
                       .values(bounced_at=utcnow(), next_send_at=None, first_sent_at=utcnow()))
    db.session.commit()
    client.get("/no-such-page")
    response = client.get("/metrics")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "Set-Cookie" not in response.headers
    seen = figures(response.get_data(as_text=True))
    assert seen["surveyapp_respondents_submitted"] == "2"
    assert seen["surveyapp_invitations_due"] == "3" and seen["surveyapp_invitations_sent"] == "1"
    assert seen["surveyapp_invitations_failed"] == "1"
    assert 3590 < float(seen["surveyapp_dispatch_lag_seconds"]) < 3700
    assert int(seen[f'surveyapp_http_requests_total{{status="404",worker="{os.getpid()}"}}']) >= 1  # no Redis
    assert "# TYPE surveyapp_http_requests_total counter" in response.get_data(as_text=True)


def test_nothing_due_means_no_lag(client):
    seen = figures(client.get("/metrics").get_data(as_text=True))
    assert seen["surveyapp_dispatch_lag_seconds"] == "0.000" and seen["surveyapp_invitations_due"] == "0"


def test_other_addresses_see_no_such_page(app, client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 404
    app.config["METRICS_ALLOW"] = "10.0.0.0/8, 192.0.2.1"
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 is no longer listed


def test_allowed_addresses():
    assert allowed("::1", "127.0.0.1,::1") and allowed("127.0.0.1", "127.0.0.1,::1")
    assert not allowed("127.0.0.2", "127.0.0.1") and not allowed(None, "127.0.0.1")
    assert not allowed("not an address", "0.0.0.0/0") and allowed("2001:db8::5", "2001:db8::/32")


REDIS = "redis://127.0.0.1:6379/12"


def test_with_redis_every_worker_reports_the_same_request_totals(app):
    import redis

    from tests.ops.test_gunicorn import redis_or_skip

    redis_or_skip(REDIS)
    config = {"TESTING": True, "SECRET_KEY": "x", "RATELIMIT_STORAGE_URI": REDIS,
              "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    workers = [create_app(config), create_app(config)]  # two processes' apps, one Redis

    def not_found() -> int:
        with workers[0].app_context():
            text = workers[0].test_client().get("/metrics").get_data(as_text=True)
            _db.session.remove()
        assert "worker=" not in text
        return int(figures(text).get('surveyapp_http_requests_total{status="404"}', 0))

    before = not_found()
    for worker in (workers[0], workers[1], workers[1]):
        worker.test_client().get("/no-such-page")
    after = not_found()
    for worker in workers:
        with worker.app_context():
            _db.engine.dispose()
    assert after - before >= 3  # others' runs may share the Redis database: never fewer
    assert int(redis.Redis.from_url(REDIS).hget(REDIS_KEY, "404")) >= 3


def test_metrics_without_a_database_is_a_plain_503(app):
    down = create_app({"TESTING": True, "SECRET_KEY": "x",
                       "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody:secret@127.0.0.1:1/none"})
    with down.app_context():
        response = down.test_client().get("/metrics")
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and response.mimetype == "text/plain" and response.headers["Retry-After"]
    assert text.startswith("# database unavailable") and text.count("\n") == 1 and "secret" not in text


def test_a_redis_outage_costs_one_attempt_per_pause_and_no_failed_request(app, monkeypatch, caplog):
    from surveyapp.ops import metrics

    counts = metrics.RedisCounts("redis://127.0.0.1:1/0")  # nothing listens on port 1
    attempts = []
    monkeypatch.setattr(counts.client, "hincrby", lambda *args: attempts.append(args) or counts.client.ping())
    for _ in range(3):
        counts.add(200)
    assert len(attempts) == 1 and caplog.text.count("requests not counted: redis unreachable") == 1
    counts.paused_until = time.monotonic() - 1  # the pause is over: the next request tries again
    counts.add(200)
    assert len(attempts) == 2 and caplog.text.count("requests not counted") == 1  # logged once per outage
