"""Live poll updates: coalescing (fake clock), the aggregate cache, in-process and Redis pub/sub, the SSE stream
and the ETag of the polling fallback."""
import itertools
import json
import os
import random
import threading
import time

import pytest

from surveyapp import create_app
from surveyapp.polls import live
from surveyapp.polls.live import AggregateCache, Coalescer, Hub, announce, broker_of, redis_url, stream_events

REDIS = "redis://127.0.0.1:6379/0"


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_burst_of_500_votes_makes_at_most_4_pushes_a_second_and_the_last_within_250_ms():
    coalescer, pushes = Coalescer(), []
    votes = [1000.0 + i * 0.003 for i in range(500)]  # 500 votes in 1.5 s
    clock = 1000.0
    for at in votes:
        while (wait := coalescer.wait_time(clock)) is not None and clock + wait <= at:
            clock += wait  # the publisher wakes when the next push is due
            pushes += [clock for _ in coalescer.due(clock)]
        clock = at
        coalescer.mark(7)
        pushes += [clock for _ in coalescer.due(clock)]
    while (wait := coalescer.wait_time(clock)) is not None:
        clock += wait
        pushes += [clock for _ in coalescer.due(clock)]

    assert all(later - earlier >= 0.25 - 1e-9 for earlier, later in itertools.pairwise(pushes))
    assert len(pushes) <= 1.5 / 0.25 + 1
    assert pushes[0] == votes[0]  # the first vote of a quiet poll goes out at once
    assert 0 <= pushes[-1] - votes[-1] <= 0.25


def test_polls_are_coalesced_apart():
    coalescer = Coalescer()
    coalescer.mark(1)
    assert coalescer.due(0.0) == [1]
    coalescer.mark(1)
    coalescer.mark(2)
    assert coalescer.due(0.1) == [2]
    assert coalescer.wait_time(0.1) == pytest.approx(0.15)
    assert coalescer.due(0.25) == [1]
    assert coalescer.wait_time(0.25) is None


def test_the_cache_computes_at_most_4_times_a_second_and_never_serves_an_announced_change():
    clock, computed = FakeClock(), []
    cache = AggregateCache(clock=clock, sleep=clock.sleep)

    def compute():
        computed.append(clock())
        return {"version": len(computed)}

    assert cache.get((7, True), compute) == {"version": 1}
    assert cache.get((7, True), compute) == {"version": 1}  # unchanged: no query
    cache.invalidate(7)
    clock.sleep(0.1)
    assert cache.get((7, True), compute) == {"version": 2}  # waited out the interval, then read the change
    assert computed[1] - computed[0] == pytest.approx(0.25)
    clock.sleep(1.0)
    assert cache.get((7, True), compute) == {"version": 3}  # old enough: another process may have voted
    cache.invalidate(8)
    assert cache.get((7, True), compute) == {"version": 3}


def test_in_process_announce_wakes_a_waiting_stream(app):
    broker = broker_of(app)
    seen = broker.hub.generation(5)
    woke = []
    waiter = threading.Thread(target=lambda: woke.append(broker.hub.wait(5, seen, 5.0)))
    waiter.start()
    time.sleep(0.05)
    announce(5)
    waiter.join(2)
    assert woke == [seen + 1]
    assert broker.redis is None  # the test configuration has no Redis: in-process only


def test_redis_url_defaults_to_the_rate_limiter_storage_only_when_that_is_redis():
    assert redis_url({"RATELIMIT_STORAGE_URI": "memory://"}) is None
    assert redis_url({"RATELIMIT_STORAGE_URI": REDIS}) == REDIS
    assert redis_url({"LIVE_REDIS_URL": "redis://other:6379/2", "RATELIMIT_STORAGE_URI": REDIS}) == \
        "redis://other:6379/2"


def _stream(hub, versions, **options):
    """Run stream_events in a thread; returns the list its chunks land in (with arrival times)."""
    chunks = []

    def run():
        for chunk in stream_events(hub, 9, lambda: {"version": versions[-1], "votes": versions[-1]}, **options):
            chunks.append((time.monotonic(), chunk))

    thread = threading.Thread(target=run)
    thread.start()
    return chunks, thread


def test_the_stream_coalesces_a_burst_sends_the_last_vote_and_keeps_alive():
    hub, versions = Hub(), [0]
    chunks, thread = _stream(hub, versions, lifetime=2.0, heartbeat=0.4)
    time.sleep(0.05)
    started = time.monotonic()
    while time.monotonic() < started + 0.6:  # a burst of votes for 0.6 s (about 200 on an idle machine)
        versions.append(versions[-1] + 1)
        hub.bump(9)
        time.sleep(0.003)
    last_vote = time.monotonic()
    thread.join(3)

    assert chunks[0][1] == "retry: 1000\n\n"
    events = [(at, json.loads(chunk.split("data: ")[1])) for at, chunk in chunks if chunk.startswith("id: ")]
    assert events[0][1]["votes"] == 0
    burst = [at for at, _ in events if at >= started]
    assert len(burst) <= (last_vote - started) / 0.25 + 2
    assert all(later - earlier >= 0.24 for earlier, later in itertools.pairwise(burst))
    final_at, final = events[-1]
    assert final["votes"] == versions[-1] and final_at - last_vote <= 0.25 + 0.1  # 0.1: thread scheduling
    assert any(chunk == ": heartbeat\n\n" for _, chunk in chunks)
    assert not thread.is_alive()  # ended after its lifetime: the client reconnects


def test_the_stream_ends_when_the_poll_is_gone():
    chunks = list(stream_events(Hub(), 9, lambda: None, lifetime=5))
    assert chunks == ["retry: 1000\n\n"]


@pytest.fixture
def redis_apps(_schema):
    """Two app instances (as two gunicorn workers would be) sharing the real Redis."""
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable at 127.0.0.1:6379")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": _schema, "SECRET_KEY": "test", "LIVE_REDIS_URL": REDIS}
    apps = [create_app(config), create_app(config)]
    yield apps
    for app in apps:
        broker_of(app).close()


def test_redis_carries_an_announcement_to_the_other_process_and_drops_its_cache(redis_apps):
    voter_app, presenter_app = redis_apps
    poll_id = random.randrange(10**8, 10**9)  # other test runs may share this Redis
    presenter = broker_of(presenter_app)
    presenter.watch()
    presenter.cache.get((poll_id, True), lambda: {"version": "old"})
    seen = presenter.hub.generation(poll_id)

    with voter_app.app_context():
        announce(poll_id)

    assert presenter.hub.wait(poll_id, seen, 3.0) != seen
    assert presenter.cache.get((poll_id, True), lambda: {"version": "new"}) == {"version": "new"}


def test_redis_messages_of_a_burst_are_coalesced(redis_apps):
    import redis

    voter_app, _ = redis_apps
    poll_id = random.randrange(10**8, 10**9)
    subscriber = redis.Redis.from_url(REDIS).pubsub(ignore_subscribe_messages=True)
    subscriber.subscribe(f"{live.CHANNEL_PREFIX}{poll_id}")
    subscriber.get_message(timeout=1.0)
    started = time.monotonic()
    with voter_app.app_context():
        for _ in range(500):
            announce(poll_id)
            time.sleep(0.001)
    last_announce = time.monotonic()
    heard = []
    while time.monotonic() < last_announce + 0.6:
        if subscriber.get_message(timeout=0.1):
            heard.append(time.monotonic())
    subscriber.close()

    assert 1 <= len(heard) <= (last_announce - started) / 0.25 + 2
    assert heard[-1] - last_announce <= 0.25 + 0.1  # 0.1: thread scheduling


@pytest.fixture
def workshop(make, db):
    """An open single-choice poll in a programme, and a manager of that programme."""
    from surveyapp.polls import service

    programme = make.programme()
    manager = make.user(programme=programme)
    session = service.create_session(programme.id, "Workshop", "en", manager.id)
    poll = service.add_poll(session, "single", "Which Co first?", ["Co-design", "Co-delivery"])
    service.change_state(poll, "open")
    db.session.commit()
    return {"poll": poll.id, "code": session.code, "manager": manager.email, "codes": [o.code for o in poll.options]}


def _vote(client, workshop, answer: str):
    from tests.conftest import csrf_token

    token = csrf_token(client, f"/j/{workshop['code']}")
    return client.post(f"/j/{workshop['code']}/{workshop['poll']}", data={"answer": answer, "csrf_token": token})


def _events(response):
    """The streamed body's SSE events as they arrive, parsed: {"id": ..., "data": {...}} or the comment."""
    for chunk in response.response:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        fields = dict(line.split(": ", 1) for line in text.strip().splitlines() if ": " in line)
        yield {"id": fields["id"], "data": json.loads(fields["data"])} if "data" in fields else text


def test_the_presenter_stream_sends_the_aggregate_and_then_each_vote(app, client, auth, workshop):
    auth.login(workshop["manager"])
    response = client.get(f"/polls/{workshop['poll']}/stream", buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache"
    events = _events(response)
    assert next(events) == "retry: 1000\n\n"
    first = next(events)
    assert first["data"]["votes"] == 0 and first["id"] == str(first["data"]["version"])

    assert _vote(app.test_client(), workshop, workshop["codes"][0]).status_code == 302
    voted_at = time.monotonic()
    second = next(events)
    response.close()

    assert time.monotonic() - voted_at < 1.0
    assert second["data"]["votes"] == 1
    assert [item["count"] for item in second["data"]["items"]] == [1, 0]
    assert "voter" not in json.dumps(second["data"])


def test_the_stream_is_for_the_programme_staff_only(client, auth, make, workshop):
    assert client.get(f"/polls/{workshop['poll']}/stream").status_code == 302  # to the login
    auth.login(make.user().email)  # a manager of another programme
    assert client.get(f"/polls/{workshop['poll']}/stream").status_code == 403
    assert client.get(f"/polls/{workshop['poll']}/results.json").status_code == 404


def test_results_json_answers_304_until_the_aggregate_changes(app, client, auth, workshop):
    auth.login(workshop["manager"])
    url = f"/polls/{workshop['poll']}/results.json"
    first = client.get(url)
    assert first.status_code == 200 and first.json["votes"] == 0
    etag = first.headers["ETag"]
    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.headers["ETag"] == etag and unchanged.data == b""

    _vote(app.test_client(), workshop, workshop["codes"][1])
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json["votes"] == 1 and changed.headers["ETag"] != etag


def test_participants_get_results_json_only_once_revealed(app, client, auth, workshop):
    url = f"/polls/{workshop['poll']}/results.json"
    _vote(client, workshop, workshop["codes"][0])
    assert client.get(url).status_code == 404  # open: hidden (avoids group-think), like an unknown poll
    staff = app.test_client()
    from tests.conftest import Auth, csrf_token

    Auth(staff).login(workshop["manager"])
    for action in ("close", "reveal"):
        token = csrf_token(staff, f"/manage/polls/{workshop['poll']}/present")
        staff.post(f"/manage/polls/{workshop['poll']}/state", data={"action": action, "csrf_token": token})
    revealed = client.get(url)
    assert revealed.status_code == 200
    assert revealed.json["state"] == "revealed" and revealed.json["votes"] == 1
    assert client.get("/polls/999999/results.json").status_code == 404
