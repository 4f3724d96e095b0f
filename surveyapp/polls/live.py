"""Live updates of a poll's aggregate to presenters (Server-Sent Events), coalesced to at most 4 pushes a second.

announce() is all a vote, a moderation or a state change pays: it drops this process's cached aggregate of the poll
and wakes the streams waiting on it (through Redis when `LIVE_REDIS_URL` is set, so every app process hears it;
otherwise in this process only). Nothing is computed in the voter's request: a stream recomputes the aggregate
through `AggregateCache` (at most 4 times a second per poll and process, whoever asks) and sends it at most every
`PUSH_INTERVAL`, the last change always within one interval. Streams also re-read the cached aggregate every second
(`RECHECK_SECONDS`), so a lost Redis message, or several processes without Redis, delay an update instead of
losing it.
"""
import json
import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Flask, current_app

PUSH_INTERVAL = 0.25  # at most 4 pushes a second per poll
CACHE_MAX_AGE = 1.0  # another process's vote (no Redis) shows after at most this long
RECHECK_SECONDS = 1.0
CHANNEL_PREFIX = "surveyapp:poll:"
EXTENSION = "polls_live"
log = logging.getLogger(__name__)
_CREATE_LOCK = threading.Lock()


def announce(poll_id: int) -> None:
    """Tell the presenters of a poll that its aggregate changed; call after the change is committed."""
    broker_of(current_app).announce(poll_id)


def broker_of(app: Flask) -> "Broker":
    """This process's broker of `app`, made on first use."""
    with _CREATE_LOCK:
        broker = app.extensions.get(EXTENSION)
        if broker is None:
            broker = app.extensions[EXTENSION] = Broker(redis_url(app.config))
        return broker


def redis_url(config) -> str | None:
    """LIVE_REDIS_URL, or the rate limiter's storage when that is Redis (the workers share it anyway)."""
    url = config.get("LIVE_REDIS_URL") or config.get("RATELIMIT_STORAGE_URI") or ""
    return url if url.startswith(("redis://", "rediss://", "unix://")) else None


class Coalescer:
    """Which changed keys may be pushed now: each at most once per `interval`, a change never left waiting longer.

    Pure: the caller passes the time, so a test drives it with a fake clock.
    """

    def __init__(self, interval: float = PUSH_INTERVAL):
        self.interval = interval
        self._dirty: set[Hashable] = set()
        self._last: dict[Hashable, float] = {}

    def mark(self, key: Hashable) -> None:
        self._dirty.add(key)

    def due(self, now: float) -> list:
        """The dirty keys whose last push is at least one interval ago; they count as pushed at `now`."""
        ready = [key for key in self._dirty if now - self._last.get(key, float("-inf")) >= self.interval]
        self._dirty.difference_update(ready)
        self._last = {key: at for key, at in self._last.items() if now - at < self.interval}
        self._last.update(dict.fromkeys(ready, now))
        return ready

    def wait_time(self, now: float) -> float | None:
        """Seconds until the next dirty key is due; None when nothing waits."""
        if not self._dirty:
            return None
        due_at = min(self._last.get(key, float("-inf")) + self.interval for key in self._dirty)
        return max(0.0, due_at - now)


class Hub:
    """In-process fan-out: a change counter per poll that waiting streams watch."""

    def __init__(self):
        self._changed = threading.Condition()
        self._generation: dict[int, int] = {}

    def bump(self, poll_id: int) -> None:
        with self._changed:
            self._generation[poll_id] = self._generation.get(poll_id, 0) + 1
            self._changed.notify_all()

    def generation(self, poll_id: int) -> int:
        with self._changed:
            return self._generation.get(poll_id, 0)

    def wait(self, poll_id: int, seen: int, timeout: float) -> int:
        """The poll's generation once it differs from `seen`, or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._generation.get(poll_id, 0) != seen, timeout)
            return self._generation.get(poll_id, 0)


@dataclass
class _Entry:
    computed_at: float
    value: object
    stale: bool = False


class AggregateCache:
    """A poll's aggregate per audience, recomputed at most once per `interval` however many ask.

    A stale entry (announced) younger than `interval` makes the caller wait out the rest of the interval rather
    than return old figures: the last vote must show. Entries also expire after `max_age` (other processes'
    votes when there is no Redis).
    """

    def __init__(self, interval: float = PUSH_INTERVAL, max_age: float = CACHE_MAX_AGE,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.interval, self.max_age, self.clock, self.sleep = interval, max_age, clock, sleep
        self._entries: dict[tuple, _Entry] = {}
        self._locks: dict[tuple, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: tuple, compute: Callable[[], object]):
        """The cached value of `key` (`(poll_id, audience)`), computed by `compute` when missing or out of date."""
        with self._lock_of(key):
            entry = self._entries.get(key)
            now = self.clock()
            if entry and not entry.stale and now - entry.computed_at < self.max_age:
                return entry.value
            if entry and now - entry.computed_at < self.interval:
                self.sleep(entry.computed_at + self.interval - now)
            fresh = _Entry(self.clock(), None)
            with self._guard:
                self._entries[key] = fresh  # an announce during compute() marks this one stale
            fresh.value = compute()
            return fresh.value

    def invalidate(self, poll_id: int) -> None:
        with self._guard:
            for key, entry in self._entries.items():
                if key[0] == poll_id:
                    entry.stale = True

    def _lock_of(self, key: tuple) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())


class Broker:
    """One per app and process: the aggregate cache, the hub, and the Redis link when configured."""

    def __init__(self, redis_url: str | None = None):
        self.cache = AggregateCache()
        self.hub = Hub()
        self.redis = RedisLink(redis_url, self._heard) if redis_url else None

    def announce(self, poll_id: int) -> None:
        self.cache.invalidate(poll_id)
        if self.redis:
            self.redis.publish(poll_id)
        else:
            self.hub.bump(poll_id)

    def watch(self) -> None:
        """Make sure this process hears other processes' announcements (before a stream waits)."""
        if self.redis:
            self.redis.listen()

    def close(self) -> None:
        if self.redis:
            self.redis.close()

    def _heard(self, poll_id: int) -> None:
        self.cache.invalidate(poll_id)
        self.hub.bump(poll_id)


class RedisLink:
    """Publishes announcements on `surveyapp:poll:<id>` (coalesced per poll) and hears every process's.

    Redis being down never fails a vote: publishing errors are logged, and streams fall back to re-reading the
    cached aggregate every second.
    """

    def __init__(self, url: str, heard: Callable[[int], None]):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self.heard = heard
        self._coalescer = Coalescer()
        self._pending = threading.Condition()
        self._publisher: threading.Thread | None = None
        self._listener: threading.Thread | None = None
        self._listening = threading.Event()
        self._closed = threading.Event()

    def publish(self, poll_id: int) -> None:
        """Mark the poll changed; the publisher thread sends it at most every PUSH_INTERVAL."""
        with self._pending:
            self._coalescer.mark(poll_id)
            if self._publisher is None:
                self._publisher = threading.Thread(target=self._publish_loop, name="polls-live-publisher",
                                                   daemon=True)
                self._publisher.start()
            self._pending.notify()

    def listen(self, timeout: float = 2.0) -> None:
        """Start the subscriber thread once; wait (briefly) until it is subscribed."""
        with self._pending:
            if self._listener is None:
                self._listener = threading.Thread(target=self._listen_loop, name="polls-live-listener",
                                                  daemon=True)
                self._listener.start()
        self._listening.wait(timeout)

    def close(self) -> None:
        self._closed.set()
        with self._pending:
            self._pending.notify()
        for thread in (self._publisher, self._listener):
            if thread is not None:
                thread.join(5)
        self.client.close()

    def _publish_loop(self) -> None:
        while not self._closed.is_set():
            with self._pending:
                due = self._coalescer.due(time.monotonic())
                if not due:
                    wait = self._coalescer.wait_time(time.monotonic())
                    self._pending.wait(30 if wait is None else wait)
                    continue
            for poll_id in due:
                try:
                    self.client.publish(f"{CHANNEL_PREFIX}{poll_id}", str(poll_id))
                except Exception:  # noqa: BLE001 - Redis down: streams still re-read every second
                    log.warning("poll %s: live update not published (Redis unavailable)", poll_id)

    def _listen_loop(self) -> None:
        while not self._closed.is_set():
            try:
                self._subscribed()
            except Exception:  # noqa: BLE001 - reconnect after a pause; streams re-read meanwhile
                self._listening.clear()
                log.warning("live poll updates: Redis subscription lost, retrying")
                self._closed.wait(1.0)

    def _subscribed(self) -> None:
        pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.psubscribe(f"{CHANNEL_PREFIX}*")
            pubsub.get_message(timeout=1.0)  # the subscription's confirmation
            self._listening.set()
            while not self._closed.is_set():
                message = pubsub.get_message(timeout=1.0)
                if message and message["type"] == "pmessage":
                    self.heard(int(message["channel"].decode().removeprefix(CHANNEL_PREFIX)))
        finally:
            pubsub.close()


STREAM_SECONDS = 60.0  # then the stream ends and EventSource reconnects: no thread is held for good
HEARTBEAT_SECONDS = 15.0  # a comment line keeps proxies from closing an idle stream
RETRY_MILLISECONDS = 1000


def stream_events(hub: Hub, poll_id: int, read: Callable[[], dict | None], *, lifetime: float = STREAM_SECONDS,
                  heartbeat: float = HEARTBEAT_SECONDS, clock: Callable[[], float] = time.monotonic,
                  sleep: Callable[[float], None] = time.sleep):
    """Server-Sent Events of one poll's aggregate: `read()` (cached) on every change, at most once per
    PUSH_INTERVAL and sent only when its version moved; a heartbeat comment when quiet; ends after `lifetime`
    seconds or when the poll is gone (read() is None)."""
    started = last_write = clock()
    seen = hub.generation(poll_id)
    last_push, sent_version = float("-inf"), object()
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    while (remaining := started + lifetime - clock()) > 0:
        if last_push > float("-inf"):
            generation = hub.wait(poll_id, seen, max(0.0, min(RECHECK_SECONDS, remaining,
                                                               last_write + heartbeat - clock())))
            if generation != seen and (pause := last_push + PUSH_INTERVAL - clock()) > 0:
                sleep(pause)  # coalesce: further votes in the pause ride along with this push
            seen = hub.generation(poll_id)
        aggregate = read()
        if aggregate is None:
            return
        if aggregate["version"] != sent_version:
            sent_version, last_push = aggregate["version"], clock()
            last_write = last_push
            yield sse_event(aggregate)
        elif clock() - last_write >= heartbeat:
            last_write = clock()
            yield ": heartbeat\n\n"


def sse_event(aggregate: dict) -> str:
    return f"id: {aggregate['version']}\ndata: {json.dumps(aggregate, separators=(',', ':'))}\n\n"
