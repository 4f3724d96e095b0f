"""Rows for the follow-up tests: a session with participants and a wave plan."""

from datetime import date

from surveyapp.participants import service as participants
from surveyapp.waves import service as waves


def session(db, programme, held_on=date(2026, 1, 10), place="Fahrschule Graz"):
    row = participants.create_session(programme.id, held_on, place, "Peer A")
    db.session.commit()
    return row


def participant(db, session_row, email="learner@example.org", lang="de"):
    row = participants.add_participant(session_row, email=email, lang=lang, consent_source="manual")
    db.session.commit()
    return row


def wave(
    db,
    programme,
    questionnaire,
    name="3 months",
    *,
    offset_days=0,
    offset_months=0,
    window_days=30,
    reminder_days=(7, 14),
    max_reminders=2,
    position=0,
    now=None,
):
    values = {
        "name": name,
        "position": position,
        "questionnaire_id": questionnaire.id,
        "offset_days": offset_days,
        "offset_months": offset_months,
        "window_days": window_days,
        "reminder_days": list(reminder_days),
        "max_reminders": max_reminders,
    }
    row = waves.save_wave(programme.id, values, now=now)
    db.session.commit()
    return row


def many_participants(db, session_row, count: int, lang: str = "en") -> None:
    """`count` consenting participants in a few bulk inserts (for the dispatch load tests)."""
    from sqlalchemy import insert, select

    from surveyapp.participants.models import Consent, Contact, Participant

    start = db.session.scalar(select(Participant.id).order_by(Participant.id.desc()).limit(1)) or 0
    ids = list(range(start + 1, start + count + 1))
    db.session.execute(
        insert(Participant),
        [
            {
                "id": i,
                "programme_id": session_row.programme_id,
                "session_id": session_row.id,
                "panel_code": f"T{i:07d}",
            }
            for i in ids
        ],
    )
    db.session.execute(
        insert(Contact), [{"participant_id": i, "email": f"p{i}@example.org", "lang": lang} for i in ids]
    )
    db.session.execute(
        insert(Consent), [{"participant_id": i, "text_version": "t", "source": "roster"} for i in ids]
    )
    db.session.commit()
