"""The demo panel of "Close To": past sessions, the plan post-session / 3 months / 12 months, and participants
at every stage with real-looking attrition. Clearly synthetic; idempotent (an existing plan is the marker).
"""

import random
from datetime import date, timedelta

from sqlalchemy import insert, select, update

from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.participants import service as participants
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Questionnaire, Status, set_text
from surveyapp.responses.models import Answer, Response
from surveyapp.waves import scheduling
from surveyapp.waves.models import Invitation, Wave, WaveText
from surveyapp.waves.service import ensure_invitations, response_key, save_wave

FOLLOW_UP_SLUG = "close-to-follow-up"
AGREE = {"de": ("trifft gar nicht zu", "trifft voll zu"), "en": ("strongly disagree", "strongly agree")}
FOLLOW_UP_TEXTS = {
    "title": {"de": "Close To – wie geht es dir heute?", "en": "Close To – how are things today?"},
    "intro": {
        "de": "Du warst bei der Close-To-Session in der {place|Fahrschule} ({date|vor ein paar Monaten}). "
              "Zwei Minuten, anonym unter einem Code.",
        "en": "You took part in the Close To session at {place|your driving school} ({date|a few months ago}). "
              "Two minutes, stored under a code.",
    },
    "thanks": {"de": "Danke! Fahr vorsichtig.", "en": "Thank you! Drive safely."},
}
FOLLOW_UP_ITEMS = (
    (
        "changed_driving",
        {"de": "Die Session hat verändert, wie ich fahre.", "en": "The session changed how I drive."},
    ),
    (
        "careful_driving",
        {
            "de": "Ich fahre vorsichtiger als vor der Session.",
            "en": "I drive more carefully than before the session.",
        },
    ),
)
FOLLOW_UP_STAGES = {"changed_driving": "long_term", "careful_driving": "long_term", "near_miss": "long_term"}
MESSAGES = {  # the programme's own words in the e-mails, beside the translated standard text
    "de": "Deine Antworten helfen uns, Close To für die nächsten Fahrschüler:innen besser zu machen.",
    "en": "Your answers help us make Close To better for the next learner drivers.",
}
# wave name, offset months, offset days, window days, reminders, who opens / answers of those still in
PLAN = (
    ("post-session", 0, 1, 14, [3, 7], 0.85, 0.80),
    ("3 months", 3, 0, 21, [7, 14], 0.70, 0.62),
    ("12 months", 12, 0, 21, [7, 14], 0.60, 0.55),
)
SESSIONS = (
    (430, "Fahrschule Wien-Mitte"),
    (380, "Fahrschule Graz"),
    (250, "Fahrschule Linz"),
    (120, "Fahrschule Salzburg"),
    (70, "Fahrschule Innsbruck"),
    (5, "Fahrschule Wien-Mitte"),
)
PER_SESSION = 18


def load_panel_demo(seed: int = 11) -> bool:
    """Add the panel to the demo programme once; False when there is no demo programme or it has a plan."""
    from surveyapp.demo import PROGRAMME_CODE, SLUG

    programme = db.session.scalar(select(Programme).where(Programme.code == PROGRAMME_CODE))
    if programme is None or db.session.scalar(select(Wave.id).where(Wave.programme_id == programme.id)):
        return False
    rng = random.Random(seed)
    post = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == SLUG))
    follow_up = _follow_up_questionnaire(programme)
    today = date.today()
    for days_ago, place in SESSIONS:
        session = participants.create_session(
            programme.id, today - timedelta(days=days_ago), place, "Peer team"
        )
        for n in range(PER_SESSION):
            participants.add_participant(
                session,
                email=f"learner{session.id}-{n}@demo.surveyapp.local",
                lang=rng.choice(["de", "de", "de", "en"]),
                consent_source="roster",
                now=utcnow() - timedelta(days=days_ago),
            )
    for position, (name, months, days, window, reminders, _, _) in enumerate(PLAN):
        wave = save_wave(
            programme.id,
            {
                "name": name,
                "position": position,
                "questionnaire_id": (post if position == 0 else follow_up).id,
                "offset_months": months,
                "offset_days": days,
                "window_days": window,
                "reminder_days": reminders,
                "max_reminders": 2,
            },
        )
        for lang, text in MESSAGES.items():
            set_text(wave, WaveText, "message", lang, text)
    ensure_invitations(programme.id)
    _play_history(programme, rng)
    db.session.commit()
    return True


def _follow_up_questionnaire(programme: Programme) -> Questionnaire:
    questionnaire = builder.create_questionnaire(
        programme.id, FOLLOW_UP_SLUG, "de", ["de", "en"], FOLLOW_UP_TEXTS["title"]["de"]
    )
    for key, by_lang in FOLLOW_UP_TEXTS.items():
        for lang, text in by_lang.items():
            builder.set_questionnaire_texts(questionnaire, lang, {key: text})
    for code, labels in FOLLOW_UP_ITEMS:
        texts = {
            lang: {"label": labels[lang], "low": AGREE[lang][0], "high": AGREE[lang][1]} for lang in labels
        }
        builder.add_item(
            questionnaire, code, "likert", required=True, page=1, settings={"points": 5}, texts=texts
        )
    builder.add_item(
        questionnaire,
        "near_miss",
        "yesno",
        page=1,
        texts={
            "de": {"label": "Hattest du seit der Session eine gefährliche Situation im Verkehr?"},
            "en": {"label": "Have you had a dangerous situation on the road since the session?"},
        },
    )
    for item in questionnaire.items:
        builder.set_item_stage(item, FOLLOW_UP_STAGES.get(item.code))
    builder.set_status(questionnaire, Status.OPEN)
    return questionnaire


def _play_history(programme: Programme, rng: random.Random) -> None:
    """What would have happened so far: sent, opened, answered (fewer each wave), a few bounces."""
    now = utcnow()
    waves = list(
        db.session.scalars(select(Wave).where(Wave.programme_id == programme.id).order_by(Wave.position))
    )
    still_in: dict[int, bool] = {}
    for wave, (_, _, _, _, _, opens, answers) in zip(waves, PLAN, strict=True):
        items = {item.code: item for item in wave.questionnaire.items}
        for invitation in db.session.scalars(select(Invitation).where(Invitation.wave_id == wave.id)):
            due = scheduling.aware(invitation.due_at)
            if due > now:
                continue
            engaged = still_in.get(invitation.participant_id, True) or rng.random() < 0.35
            values = {
                "sends": 1 + rng.choice([0, 0, 1, 2]),
                "first_sent_at": due,
                "last_sent_at": due,
                "next_send_at": None,
            }
            if rng.random() < 0.02:
                values |= {"bounced_at": due, "sends": 0, "first_sent_at": None, "last_sent_at": None}
            elif engaged and rng.random() < opens:
                values["opened_at"] = due + timedelta(hours=rng.randint(1, 72))
                if rng.random() < answers:
                    values |= {"started_at": values["opened_at"], "submitted_at": values["opened_at"]}
                    _answer(invitation, wave, items, values["opened_at"], rng)
                elif rng.random() < 0.3:
                    values["started_at"] = values["opened_at"]
            still_in[invitation.participant_id] = "submitted_at" in values
            if "submitted_at" not in values and scheduling.aware(invitation.closes_at) > now:
                values["next_send_at"] = now  # still open: the next dispatch sends a reminder
            db.session.execute(
                update(Invitation)
                .where(Invitation.id == invitation.id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )


def _answer(invitation, wave, items, when, rng) -> None:
    lang = rng.choice(["de", "de", "en"])
    response_id = db.session.execute(
        insert(Response)
        .values(
            questionnaire_id=wave.questionnaire_id,
            key=response_key(invitation),
            lang=lang,
            page=2,
            started_at=when,
            submitted_at=when + timedelta(minutes=rng.randint(1, 5)),
            participant_id=invitation.participant_id,
            wave_id=wave.id,
            invitation_id=invitation.id,
        )
        .returning(Response.id)
    ).scalar_one()
    values = {
        code: str(rng.choices([1, 2, 3, 4, 5], weights=[3, 5, 12, 35, 45])[0])
        for code, item in items.items()
        if item.type == "likert"
    }
    if "near_miss" in items:
        values["near_miss"] = rng.choice(["no", "no", "no", "yes"])
    if "age" in items:
        values |= {"age": str(rng.randint(17, 24)), "gender": rng.choice(["m", "f", "d", "na"])}
    if "driving_school" in items:
        values["driving_school"] = rng.choice([o.code for o in items["driving_school"].options])
    db.session.execute(
        insert(Answer),
        [
            {"response_id": response_id, "item_id": items[code].id, "value": value}
            for code, value in values.items()
        ],
    )
