"""Create the benchmark questionnaire (the peer kit's survey shape) in a scratch database; print it as JSON.

Usage:  DATABASE_URL=... python bench/setup_survey.py [--slug bench] [--count]
  (after `flask db upgrade` on that database)

Shape, exactly as ../shared/peer/create_survey.py: 20 required items on one page: 8 Likert (5-point),
4 single select (5 options), 4 integer, 2 short text, 2 long text.
Idempotent: an existing questionnaire with the slug is reused (and opened).
Prints one JSON line: {"slug", "path", "id", "body"}, where body is a complete valid answer, urlencoded,
without the hidden fields (wrk_cycle.lua takes csrf_token, rk and page from each page it fetches).
--count prints "responses answers" (submitted responses of the questionnaire, their answer rows) instead.
"""
import argparse
import json
import sys
from urllib.parse import urlencode

from sqlalchemy import func, select

from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Questionnaire, Status
from surveyapp.responses.models import Answer, Response

PROGRAMME = "bench"
LONG_TEXT = "A longer free-text comment, with punctuation; and accents: cafe. " * 2  # as the peer's load.py
ITEMS = (
    [(f"likert{i}", "likert", f"Likert statement {i}: the service met my expectations ({i})", "3")
     for i in range(1, 9)]
    + [(f"select{i}", "single", f"Select question {i}: which option fits best?", "b") for i in range(1, 5)]
    + [(f"integer{i}", "number", f"Integer question {i}: how many times?", "7") for i in range(1, 5)]
    + [(f"short{i}", "text", f"Short text question {i}", "short answer") for i in range(1, 3)]
    + [(f"long{i}", "longtext", f"Long text question {i}: any comments?", LONG_TEXT) for i in range(1, 3)]
)
OPTIONS = [(code, {"en": f"Option {code.upper()}"}) for code in "abcde"]


def ensure_questionnaire(slug: str) -> Questionnaire:
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))
    if questionnaire is None:
        programme = db.session.scalar(select(Programme).where(Programme.code == PROGRAMME))
        if programme is None:
            programme = Programme(code=PROGRAMME, name="Benchmark")
            db.session.add(programme)
            db.session.flush()
        questionnaire = builder.create_questionnaire(programme.id, slug, "en", ["en"], "Benchmark survey")
        for code, type_code, label, _ in ITEMS:
            builder.add_item(
                questionnaire, code, type_code, required=True, page=1,
                settings={"points": 5} if type_code == "likert" else {},
                texts={"en": {"label": label}}, options=OPTIONS if type_code == "single" else None,
            )
    if questionnaire.status is not Status.OPEN:
        builder.set_status(questionnaire, Status.OPEN)
    db.session.commit()
    return questionnaire


def counts(questionnaire: Questionnaire) -> tuple[int, int]:
    submitted = (Response.questionnaire_id == questionnaire.id) & Response.submitted_at.is_not(None)
    responses = db.session.scalar(select(func.count()).select_from(Response).where(submitted))
    answers = db.session.scalar(select(func.count()).select_from(Answer).join(Response).where(submitted))
    return responses, answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="bench")
    parser.add_argument("--count", action="store_true")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        questionnaire = ensure_questionnaire(args.slug)
        if args.count:
            print(*counts(questionnaire))
            return 0
        body = urlencode([(f"q_{code}", value) for code, _, _, value in ITEMS] + [("nav", "submit")])
        print(json.dumps({"slug": questionnaire.slug, "path": f"/s/{questionnaire.slug}",
                          "id": questionnaire.id, "body": body}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
