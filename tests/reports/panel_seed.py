"""A Close To-sized two-wave panel for programme-report tests, in a few bulk inserts.

40 training sessions (1,448 learners), a post-session wave on the demo questionnaire and a follow-up wave
3–12 months later on a second questionnaire. Both ask ``careful_driving``, each in its own words (“I will drive
more carefully.” after the session, “I drive more carefully than before the session.” later); the follow-up
also asks ``changed_driving``. Every learner answered after the session (1,289 of 1,448 agree: 89 %); 330
answered the follow-up: 300 of them had agreed after the session (91 %), 238 say the session changed how they
drive (72 %), 264 agree they drive more carefully (80 %).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from surveyapp.demo import build_questionnaire
from surveyapp.participants.models import Consent, Contact, Participant, TrainingSession
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Questionnaire, Status
from surveyapp.waves.models import Invitation, Wave
from tests.reports.seed import seed_responses

SESSION_SIZES = [38] * 4 + [36] * 36  # 40 sessions, 1,448 learners
POST_WORDING = {"de": "Ich werde vorsichtiger fahren.", "en": "I will drive more carefully."}
FOLLOW_WORDING = {"de": "Ich fahre vorsichtiger als vor der Session.",
                  "en": "I drive more carefully than before the session."}
CHANGED_WORDING = {"de": "Die Session hat verändert, wie ich fahre.", "en": "The session changed how I drive."}
POST_SUBMITTED = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
FOLLOW_SUBMITTED = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
AGREE_POST, FOLLOWERS, AGREE_FOLLOWERS_POST, CHANGED, CAREFUL_LATER = 1289, 330, 300, 238, 264


@dataclass
class Panel:
    programme: Programme
    post: Questionnaire
    follow_up: Questionnaire
    post_wave: Wave
    follow_wave: Wave
    sessions: list[TrainingSession]


def _follow_up_questionnaire(programme: Programme) -> Questionnaire:
    questionnaire = builder.create_questionnaire(programme.id, f"{programme.code}-follow-up", "de", ["de", "en"],
                                                 "Close To – wie geht es dir heute?")
    builder.set_questionnaire_texts(questionnaire, "en", {"title": "Close To – how are things today?"})
    for code, wording in (("changed_driving", CHANGED_WORDING), ("careful_driving", FOLLOW_WORDING)):
        builder.add_item(questionnaire, code, "likert", required=True, page=1, settings={"points": 5},
                         texts={lang: {"label": text} for lang, text in wording.items()})
    builder.set_status(questionnaire, Status.OPEN)
    return questionnaire


def _sessions(db, programme: Programme) -> list[TrainingSession]:
    rows = [{"programme_id": programme.id, "held_on": date(2025, 3, 1) + timedelta(days=n % 9),
             "place": f"Fahrschule {n + 1:02d}", "trainer": "Peer", "enrol_code": f"{programme.code}-s{n}"}
            for n in range(len(SESSION_SIZES))]
    db.session.execute(insert(TrainingSession), rows)
    return list(db.session.scalars(select(TrainingSession).where(TrainingSession.programme_id == programme.id)
                                   .order_by(TrainingSession.id)))


def _participants(db, programme: Programme, sessions: list[TrainingSession]) -> list[int]:
    members = [session.id for session, size in zip(sessions, SESSION_SIZES, strict=True) for _ in range(size)]
    rows = [{"programme_id": programme.id, "session_id": session_id, "panel_code": f"P{programme.id:03d}{n:05d}"}
            for n, session_id in enumerate(members)]
    db.session.execute(insert(Participant), rows)
    ids = list(db.session.scalars(select(Participant.id).where(Participant.programme_id == programme.id)
                                  .order_by(Participant.id)))
    db.session.execute(insert(Contact), [{"participant_id": i, "email": f"p{i}@example.org", "lang": "de"}
                                         for i in ids])
    db.session.execute(insert(Consent), [{"participant_id": i, "text_version": "2026-01", "source": "roster"}
                                         for i in ids])
    return ids


def _wave(db, programme, questionnaire, name, position, months) -> Wave:
    wave = Wave(programme_id=programme.id, name=name, position=position, questionnaire_id=questionnaire.id,
                offset_months=months, window_days=21, reminder_days=[7], max_reminders=1)
    db.session.add(wave)
    db.session.flush()
    return wave


def _invite(db, wave: Wave, ids: list[int], sent: datetime, answered: set[int]) -> None:
    db.session.execute(insert(Invitation), [
        {"wave_id": wave.id, "participant_id": i, "token_salt": "s", "token_hash": f"w{wave.id}-{i}",
         "due_at": sent, "closes_at": sent + timedelta(days=21), "sends": 1, "first_sent_at": sent,
         "last_sent_at": sent, "submitted_at": sent + timedelta(days=2) if i in answered else None}
        for i in ids])


def seed_close_to_panel(db, programme: Programme) -> Panel:
    """The panel described above, committed; the follow-up went to every learner, 330 answered."""
    post = build_questionnaire(programme)
    follow_up = _follow_up_questionnaire(programme)
    db.session.flush()
    sessions = _sessions(db, programme)
    ids = _participants(db, programme, sessions)
    post_wave = _wave(db, programme, post, "post-session", 0, 0)
    follow_wave = _wave(db, programme, follow_up, "follow-up", 1, 6)
    # Every fourth learner up to 330 answers the follow-up; the first 300 of them agreed after the session.
    followers = ids[::4][:FOLLOWERS]
    agreed_post = set(followers[:AGREE_FOLLOWERS_POST])
    others = [i for i in ids if i not in set(followers)]
    agreed_post |= set(others[:AGREE_POST - AGREE_FOLLOWERS_POST])
    _invite(db, post_wave, ids, POST_SUBMITTED - timedelta(days=2), set(ids))
    _invite(db, follow_wave, ids, FOLLOW_SUBMITTED - timedelta(days=2), set(followers))
    db.session.commit()
    schools = ["wien", "graz", "linz"]
    post_rows = [{"attention": 5, "risk_aware": 4, "careful_driving": 5 if i in agreed_post else 2,
                  "remember_story": 4, "age": 17 + n % 8, "gender": "f" if n % 2 else "m",
                  "driving_school": schools[n % 3]} for n, i in enumerate(ids)]
    seed_responses(post, post_rows, submitted_at=POST_SUBMITTED,
                   extra=[{"wave_id": post_wave.id, "participant_id": i} for i in ids])
    follow_rows = [{"changed_driving": 4 if n < CHANGED else 2, "careful_driving": 5 if n < CAREFUL_LATER else 3}
                   for n in range(FOLLOWERS)]
    seed_responses(follow_up, follow_rows, submitted_at=FOLLOW_SUBMITTED,
                   extra=[{"wave_id": follow_wave.id, "participant_id": i} for i in followers])
    return Panel(programme, post, follow_up, post_wave, follow_wave, sessions)
