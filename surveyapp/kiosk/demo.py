"""The demo's kiosk questionnaire: "How was your complaint handled?" on a shared tablet at a service counter.

One page (kiosk mode serves one-page questionnaires), German and English, with a few clearly synthetic kiosk
responses, some of them flagged as too fast, so that the report's method note shows what was left out.
"""
import random
from datetime import timedelta

from sqlalchemy import insert, select

from surveyapp.db import utcnow
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Questionnaire, Status
from surveyapp.responses.models import Answer, Response

SLUG = "complaint-kiosk"
TEXTS = {
    "title": {"de": "Wie wurde Ihre Beschwerde behandelt?", "en": "How was your complaint handled?"},
    "intro": {"de": "Drei kurze Fragen, anonym. Danke, dass Sie sich Zeit nehmen!",
              "en": "Three short questions, anonymous. Thank you for taking the time!"},
    "thanks": {"de": "Danke! Ihre Antworten helfen uns, besser zu werden.",
               "en": "Thank you! Your answers help us improve."},
}
ITEMS = (
    ("handled", "likert", True, {"points": 5},
     {"de": {"label": "Wie zufrieden sind Sie damit, wie Ihre Beschwerde behandelt wurde?",
             "low": "gar nicht zufrieden", "high": "sehr zufrieden"},
      "en": {"label": "How satisfied are you with how your complaint was handled?",
             "low": "not at all satisfied", "high": "very satisfied"}}),
    ("resolved", "yesno", True, {},
     {"de": {"label": "Wurde Ihr Anliegen gelöst?"}, "en": {"label": "Was your issue resolved?"}}),
    ("comment", "longtext", False, {},
     {"de": {"label": "Möchten Sie uns noch etwas sagen?"},
      "en": {"label": "Is there anything else you would like to tell us?"}}),
)


def load_kiosk_demo(programme: Programme, responses: int = 40, seed: int = 16) -> Questionnaire | None:
    """Add the kiosk questionnaire to the demo programme (once; None when it exists). The caller commits."""
    if db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == SLUG)):
        return None
    questionnaire = builder.create_questionnaire(programme.id, SLUG, "de", ["de", "en"], TEXTS["title"]["de"])
    for key, by_lang in TEXTS.items():
        for lang, text in by_lang.items():
            builder.set_questionnaire_texts(questionnaire, lang, {key: text})
    for code, type_code, required, settings, texts in ITEMS:
        builder.add_item(questionnaire, code, type_code, required=required, page=1, settings=settings, texts=texts)
    builder.set_status(questionnaire, Status.OPEN)
    _add_responses(questionnaire, responses, random.Random(seed))
    db.session.flush()
    return questionnaire


def kiosk_path() -> str:
    """Where a manager opens the demo's kiosk questionnaire in kiosk mode."""
    questionnaire_id = db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == SLUG))
    return f"/manage/questionnaires/{questionnaire_id}/kiosk"


def _add_responses(questionnaire: Questionnaire, count: int, rng: random.Random) -> None:
    """Synthetic kiosk answers; every tenth given in 2 seconds and flagged "fast"."""
    items = {item.code: item for item in questionnaire.items}
    now = utcnow()
    for n in range(count):
        fast = n % 10 == 9
        started = now - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 480))
        submitted = started + timedelta(seconds=2 if fast else rng.randint(20, 90))
        response_id = db.session.execute(insert(Response).values(
            questionnaire_id=questionnaire.id, key=f"demo-kiosk-{n}", lang=rng.choice(["de", "de", "en"]), page=1,
            started_at=started, submitted_at=submitted, flagged_at=submitted if fast else None,
            flag_reason="fast" if fast else None,
        ).returning(Response.id)).scalar_one()
        values = {"handled": str(rng.choices([1, 2, 3, 4, 5], weights=[8, 10, 20, 35, 27])[0]),
                  "resolved": rng.choice(["yes", "yes", "no"])}
        if n % 8 == 0:
            values["comment"] = f"(synthetic demo answer {n})"
        db.session.execute(insert(Answer), [
            {"response_id": response_id, "item_id": items[code].id, "value": value} for code, value in values.items()
        ])
