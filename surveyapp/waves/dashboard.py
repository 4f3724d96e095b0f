"""Dashboard figures and the panel status, from invitations only: codes, never contacts."""

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import case, func, select

from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.participants.models import Participant, TrainingSession
from surveyapp.waves.models import Invitation, Wave
from surveyapp.waves.scheduling import aware
from surveyapp.waves.service import programme_waves


@dataclass
class Figures:
    planned: int = 0
    invited: int = 0
    opened: int = 0
    started: int = 0
    submitted: int = 0
    bounced: int = 0
    next_due: object = None

    @property
    def response_rate(self) -> float | None:
        return self.submitted / self.invited if self.invited else None

    def add(self, other: "Figures") -> None:
        for key in ("planned", "invited", "opened", "started", "submitted", "bounced"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        if other.next_due is not None and (self.next_due is None or other.next_due < self.next_due):
            self.next_due = other.next_due


@dataclass
class Attrition:
    """Of the panel members who answered the previous wave and were invited to this one, how many did not
    answer this one. Those not (yet) invited to this wave are not counted, only reported (`not_invited`)."""

    previous: Wave
    answered_before: int  # answered the previous wave and were invited to this one
    lost: int
    final: bool  # the window has closed for all of them and no one is still to be invited (or cancelled)
    not_invited: int = 0  # answered the previous wave, not invited to this one (yet)
    cancelled: bool = False

    @property
    def share(self) -> float | None:
        return self.lost / self.answered_before if self.answered_before else None


def figures(
    programme_id: int, now: datetime | None = None
) -> tuple[list[tuple[Wave, Figures, Attrition | None]], dict]:
    """Per wave (with panel-based attrition from the previous wave) and per (session, wave)."""
    rows = db.session.execute(
        select(
            Invitation.wave_id,
            Participant.session_id,
            func.count(),
            func.sum(case((Invitation.sends > 0, 1), else_=0)),
            func.count(Invitation.opened_at),
            func.count(Invitation.started_at),
            func.count(Invitation.submitted_at),
            func.count(Invitation.bounced_at),
            func.min(Invitation.next_send_at),
        )
        .join(Participant, Participant.id == Invitation.participant_id)
        .where(Participant.programme_id == programme_id)
        .group_by(Invitation.wave_id, Participant.session_id)
    ).all()
    by_session: dict[tuple[int, int], Figures] = {}
    for wave_id, session_id, *numbers in rows:
        by_session[(session_id, wave_id)] = Figures(*(int(n or 0) for n in numbers[:-1]), numbers[-1])
    per_wave, previous = [], None
    panel = _panel(programme_id)
    for wave in programme_waves(programme_id):
        total = Figures()
        for (_, wave_id), numbers in by_session.items():
            if wave_id == wave.id:
                total.add(numbers)
        sent = total.invited > 0
        per_wave.append((wave, total, attrition(panel, previous, wave, now or utcnow()) if sent else None))
        previous = wave
    return per_wave, by_session


@dataclass(frozen=True)
class Place:
    """One participant's invitation to one wave, as attrition needs it."""

    answered: bool
    closes_at: datetime
    invited: bool  # the invitation went out (a message was delivered)
    pending: bool  # not invited yet, but the invitation is still to be sent


def _panel(programme_id: int) -> dict[int, dict[int, Place]]:
    """Per wave: participant -> Place."""
    rows = db.session.execute(
        select(
            Invitation.wave_id,
            Invitation.participant_id,
            Invitation.submitted_at.is_not(None),
            Invitation.closes_at,
            (Invitation.sends > 0) | Invitation.first_sent_at.is_not(None),
            Invitation.next_send_at.is_not(None),
        )
        .join(Participant, Participant.id == Invitation.participant_id)
        .where(Participant.programme_id == programme_id)
    ).all()
    panel: dict[int, dict[int, Place]] = {}
    for wave_id, participant_id, answered, closes_at, invited, pending in rows:
        panel.setdefault(wave_id, {})[participant_id] = Place(
            bool(answered), aware(closes_at), bool(invited), bool(pending) and not invited)
    return panel


def attrition(panel: dict, previous: Wave | None, wave: Wave, now: datetime) -> Attrition | None:
    """None for the first wave or when no one answered the previous one.

    Counted: who answered the previous wave and was invited to this one. Newcomers (invited to this wave
    only) do not count; neither does someone not invited to this wave (not yet, unsubscribed, or the wave was
    cancelled first): they are reported as `not_invited`. Final once every counted window has closed and no
    one is still to be invited; a cancelled wave is final for those it invited.
    """
    if previous is None:
        return None
    before = [person for person, place in panel.get(previous.id, {}).items() if place.answered]
    if not before:
        return None
    this_wave = panel.get(wave.id, {})
    counted = [this_wave[person] for person in before if person in this_wave and this_wave[person].invited]
    waiting = [this_wave[person] for person in before if person in this_wave and this_wave[person].pending]
    kept = sum(1 for place in counted if place.answered)
    cancelled = wave.cancelled_at is not None
    final = cancelled or (not waiting and all(place.closes_at <= now for place in counted))
    return Attrition(previous, len(counted), len(counted) - kept, final, len(before) - len(counted), cancelled)


def status(invitation: dict, cancelled: bool = False) -> str:
    """As the participants screen says it: an unanswered invitation of a cancelled wave is "cancelled"."""
    if invitation["submitted_at"] is not None:
        return "submitted"
    if cancelled:
        return "cancelled"
    for key in ("bounced", "started", "opened"):
        if invitation[f"{key}_at"] is not None:
            return key
    return "invited" if invitation["sends"] else "scheduled"


def panel_status_frame(programme_id: int) -> pd.DataFrame:
    """One row per panel code: session date and place, and each wave's status. No contact data."""
    waves = programme_waves(programme_id)
    people = db.session.execute(
        select(
            Participant.id,
            Participant.panel_code,
            TrainingSession.held_on,
            TrainingSession.place,
            Participant.unsubscribed_at.is_not(None).label("unsubscribed"),
        )
        .join(TrainingSession, TrainingSession.id == Participant.session_id)
        .where(Participant.programme_id == programme_id)
        .order_by(Participant.panel_code)
    ).all()
    invitations = (
        db.session.execute(
            select(
                Invitation.participant_id,
                Invitation.wave_id,
                Invitation.sends,
                Invitation.opened_at,
                Invitation.started_at,
                Invitation.submitted_at,
                Invitation.bounced_at,
            )
            .join(Participant, Participant.id == Invitation.participant_id)
            .where(Participant.programme_id == programme_id)
        )
        .mappings()
        .all()
    )
    cancelled = {wave.id for wave in waves if wave.cancelled_at is not None}
    found = {(row["participant_id"], row["wave_id"]): status(row, row["wave_id"] in cancelled)
             for row in invitations}
    records = []
    for person in people:
        record = {
            "panel_code": person.panel_code,
            "session_date": person.held_on.isoformat(),
            "session_place": person.place,
            "unsubscribed": int(person.unsubscribed),
        }
        for wave in waves:
            record[f"{wave_key(wave)}_status"] = found.get((person.id, wave.id), "none")
        records.append(record)
    columns = [
        "panel_code",
        "session_date",
        "session_place",
        "unsubscribed",
        *(f"{wave_key(wave)}_status" for wave in waves),
    ]
    return pd.DataFrame.from_records(records, columns=columns)


def wave_key(wave: Wave) -> str:
    """A column prefix from the wave's name: "3 months" -> "w_3_months"."""
    import re

    return "w_" + (re.sub(r"\W+", "_", wave.name.lower()).strip("_") or str(wave.id))
