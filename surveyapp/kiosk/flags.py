"""When a kiosk submission was given, how long it took, and whether it is implausible (flagged).

Times come from the tablet's own clock: the page carries `shown_ms` (when the blank form was shown; the server
stamps it, kiosk.js restamps it when the page is shown or reset) and kiosk.js adds `sent_ms` when the respondent
sends it. A submission queued offline thus keeps the time it was given, not the time it reached the server, and
the duration never mixes two clocks. A sent time outside [now - MAX_AGE, now + SKEW] is not believed (server now).

Flagged, and left out of reports by default (datasets.frames.Filters):
- "fast": answered in under FAST_SECONDS_PER_ANSWER seconds per answered item;
- "repeat": the same device sent the very same answers within REPEAT_SECONDS before AND this submission took
  under REPEAT_SECONDS_PER_ANSWER per answered item (twice the "fast" bar). Same answers alone are no sign: on a
  short questionnaire the next person at the counter may well answer as the last one did, but not in a few
  seconds. Without a known duration nothing is flagged. (A submission sent twice, e.g. from the offline queue,
  is no repeat: its client UUID stores it once.)
"""
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from surveyapp.extensions import db
from surveyapp.kiosk.models import KioskSubmission
from surveyapp.responses.models import Answer, Response

FAST_SECONDS_PER_ANSWER = 1.5
REPEAT_SECONDS = 30
REPEAT_SECONDS_PER_ANSWER = 2 * FAST_SECONDS_PER_ANSWER
MAX_AGE = timedelta(days=30)  # an offline queue older than this is not believed to have its own times
SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Timing:
    """When a submission was sent (tablet clock, or the server's) and how many seconds it took (None: unknown)."""

    sent: datetime
    seconds: float | None


def _millis(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 10**14 else None


def timing(formdata: Mapping, now: datetime) -> Timing:
    """The submission's timing from its `shown_ms` and `sent_ms` fields (see the module docstring)."""
    shown, sent = _millis(formdata.get("shown_ms")), _millis(formdata.get("sent_ms"))
    now_ms = int(now.timestamp() * 1000)
    sent_at = now
    if sent is not None:
        claimed = datetime.fromtimestamp(sent / 1000, tz=now.tzinfo)
        sent_at = claimed if now - MAX_AGE <= claimed <= now + SKEW else now
    end = sent if sent is not None else now_ms
    seconds = (end - shown) / 1000 if shown is not None and end >= shown else None
    return Timing(sent_at, seconds)


def reason(seconds: float | None, answered: int, repeated: bool) -> str | None:
    """Why a submission is implausible, or None (see the module docstring)."""
    if seconds is None or not answered:
        return None
    if seconds < FAST_SECONDS_PER_ANSWER * answered:
        return "fast"
    return "repeat" if repeated and seconds < REPEAT_SECONDS_PER_ANSWER * answered else None


def record(device_id: int, response_id: int, answers: dict[int, list[str]], when: Timing, *, idle: bool) -> None:
    """Note the kiosk submission, date the response by the tablet's clock and flag it if implausible."""
    answered = sum(1 for values in answers.values() if values)
    why = reason(when.seconds, answered, _repeats(device_id, answers, when.sent))
    db.session.add(KioskSubmission(response_id=response_id, device_id=device_id, idle=idle,
                                   seconds=None if when.seconds is None else int(when.seconds)))
    started = when.sent - timedelta(seconds=when.seconds or 0)
    db.session.execute(update(Response).where(Response.id == response_id).values(
        started_at=started, flagged_at=when.sent if why else None, flag_reason=why))
    db.session.flush()


def _repeats(device_id: int, answers: dict[int, list[str]], sent: datetime) -> bool:
    """Whether the device's last submission within REPEAT_SECONDS before `sent` holds exactly `answers`."""
    previous = db.session.scalar(
        select(Response.id).join(KioskSubmission, KioskSubmission.response_id == Response.id)
        .where(KioskSubmission.device_id == device_id,
               Response.submitted_at.between(sent - timedelta(seconds=REPEAT_SECONDS), sent))
        .order_by(Response.submitted_at.desc()).limit(1))
    if previous is None:
        return False
    given: dict[int, list[str]] = {}
    for item_id, value in db.session.execute(select(Answer.item_id, Answer.value)
                                             .where(Answer.response_id == previous).order_by(Answer.id)):
        given.setdefault(item_id, []).append(value)
    return given == {item_id: list(values) for item_id, values in answers.items() if values}
