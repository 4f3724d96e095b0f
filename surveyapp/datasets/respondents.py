"""Who answered: wave, panel code, training session and site of each response, for breakdowns and the panel.

Reads the participants/waves tables (pseudonymous panel codes only; `Contact` is never joined). A response
given through the public link has no participant or wave; its columns stay empty.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, or_, select

from surveyapp.extensions import db
from surveyapp.participants.models import Participant, TrainingSession
from surveyapp.responses.models import Response
from surveyapp.waves.models import Invitation, Wave

RESPONDENT_COLUMNS = ["wave", "panel_code", "session", "site", "imported", "flagged"]


def meta_columns() -> tuple[list, list]:
    """Labelled columns and the outer joins that bring them to a select over ``Response``."""
    columns = [
        Wave.name.label("wave"),
        Wave.position.label("wave_position"),
        Participant.panel_code,
        TrainingSession.held_on.label("session_date"),
        TrainingSession.place.label("site"),
        Response.imported_from.label("imported"),  # the source file of a response imported from earlier data
        Response.flag_reason.label("flagged"),  # why a kiosk submission is implausible (kiosk.flags)
    ]
    joins = [
        lambda s: s.outerjoin(Wave, Wave.id == Response.wave_id),
        lambda s: s.outerjoin(Participant, Participant.id == Response.participant_id),
        lambda s: s.outerjoin(TrainingSession, TrainingSession.id == Participant.session_id),
    ]
    return columns, joins


def tidy(meta: pd.DataFrame) -> pd.DataFrame:
    """Typed respondent columns; the session is named by its date and place."""
    for column in ("wave", "panel_code", "site", "imported", "flagged"):
        meta[column] = meta[column].astype("str").where(meta[column].notna())
    held = pd.to_datetime(meta.pop("session_date")).dt.strftime("%Y-%m-%d")
    meta["session"] = (held + " " + meta["site"]).where(held.notna())
    meta["wave_position"] = meta["wave_position"].astype("Int64")
    return meta


def wave_conditions(wave: str | None) -> list:
    """Restrict responses to one wave, given by name or id."""
    if not wave:
        return []
    match = Wave.name == wave
    if wave.isdigit():
        match = or_(match, Wave.id == int(wave))
    return [Response.wave_id.in_(select(Wave.id).where(match))]


def waves_of(programme_id: int) -> list[Wave]:
    return list(
        db.session.scalars(
            select(Wave).where(Wave.programme_id == programme_id).order_by(Wave.position, Wave.id)
        )
    )


def invited_per_wave(programme_id: int) -> dict[str, int]:
    """Invitations per wave name (the denominator of the response rate)."""
    rows = db.session.execute(
        select(Wave.name, func.count(Invitation.id))
        .join(Invitation, Invitation.wave_id == Wave.id)
        .where(Wave.programme_id == programme_id)
        .group_by(Wave.name)
    )
    return {name: int(count) for name, count in rows}
