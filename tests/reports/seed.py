"""Bulk seeding of submitted responses for report and export tests (no ORM object per answer)."""

import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from surveyapp.extensions import db
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.responses.models import Answer, Response

_batch = itertools.count(1)
SUBMITTED = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def seed_responses(
    questionnaire: Questionnaire,
    rows: list[dict],
    *,
    lang: str = "de",
    submitted_at: datetime = SUBMITTED,
    extra: list[dict] | None = None,
) -> list[int]:
    """Insert one submitted response per dict of item code -> value (a list for multiple choice).

    ``extra`` gives per-row Response columns (wave_id, participant_id, lang, submitted_at).
    """
    batch = next(_batch)
    items = {item.code: item.id for item in questionnaire.items}
    responses = []
    for n in range(len(rows)):
        row = {
            "questionnaire_id": questionnaire.id,
            "key": f"seed-{batch}-{n}",
            "lang": lang,
            "page": 1,
            "started_at": submitted_at - timedelta(minutes=5),
            "submitted_at": submitted_at,
        }
        responses.append(row | (extra[n] if extra else {}))
    db.session.execute(insert(Response), responses)
    ids = dict(
        db.session.execute(
            select(Response.key, Response.id).where(Response.key.like(f"seed-{batch}-%"))
        ).all()
    )
    answers = []
    for n, values in enumerate(rows):
        response_id = ids[f"seed-{batch}-{n}"]
        for code, value in values.items():
            for one in value if isinstance(value, list) else [value]:
                answers.append({"response_id": response_id, "item_id": items[code], "value": str(one)})
    if answers:
        db.session.execute(insert(Answer), answers)
    db.session.commit()
    return [ids[f"seed-{batch}-{n}"] for n in range(len(rows))]
