"""Benchmark (not a test): CSV export and PDF report for 10,000 / 100,000 responses x 20 items.

The survey has the peer kit's shape: 8 Likert, 4 single choice, 4 integer, 2 short text, 2 long text.

    .venv/bin/python bench/exports.py seed --responses 100000 --db /tmp/bench-exports-100k.sqlite
    /usr/bin/time -v .venv/bin/python bench/exports.py csv --db /tmp/bench-exports-100k.sqlite
    /usr/bin/time -v .venv/bin/python bench/exports.py pdf --db /tmp/bench-exports-100k.sqlite

``--db`` also takes a PostgreSQL URL (postgresql+psycopg://...). Each step prints its own wall time;
/usr/bin/time adds the process's wall time and peak RSS (start-up and imports included).
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from surveyapp import create_app  # noqa: E402
from surveyapp.extensions import db  # noqa: E402

SLUG = "bench-exports"
SCRATCH = Path(tempfile.gettempdir())
OPTIONS = ["a", "b", "c", "d"]


def app_for(url: str):
    if "://" not in url:
        url = "sqlite:///" + url
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})


def build(programme_id: int):
    from surveyapp.questionnaires import service as builder

    questionnaire = builder.create_questionnaire(programme_id, SLUG, "de", ["de", "en"], "Bench")
    texts = lambda code: {lang: {"label": f"{code} ({lang})"} for lang in ("de", "en")}  # noqa: E731
    for n in range(8):
        builder.add_item(questionnaire, f"likert{n}", "likert", settings={"points": 5}, texts=texts(f"likert{n}"))
    for n in range(4):
        builder.add_item(questionnaire, f"select{n}", "single", texts=texts(f"select{n}"),
                         options=[(o, {"de": f"{o}-de", "en": f"{o}-en"}) for o in OPTIONS])
    for n in range(4):
        builder.add_item(questionnaire, f"number{n}", "number", texts=texts(f"number{n}"))
    for n in range(2):
        builder.add_item(questionnaire, f"short{n}", "text", texts=texts(f"short{n}"))
    for n in range(2):
        builder.add_item(questionnaire, f"long{n}", "longtext", texts=texts(f"long{n}"))
    return questionnaire


def seed(responses: int) -> None:
    from flask_migrate import upgrade

    from surveyapp.programmes.models import Programme
    from surveyapp.responses.models import Answer, Response

    upgrade()
    programme = Programme(code="bench", name="Bench programme")
    db.session.add(programme)
    db.session.flush()
    questionnaire = build(programme.id)
    db.session.commit()
    items = [(item.id, item.type) for item in questionnaire.items]
    rng = random.Random(1)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    batch = 5000
    for first in range(0, responses, batch):
        count = min(batch, responses - first)
        db.session.execute(insert(Response), [
            {"questionnaire_id": questionnaire.id, "key": f"bench-{first + n}", "lang": rng.choice(["de", "en"]),
             "page": 1, "started_at": start + timedelta(minutes=first + n),
             "submitted_at": start + timedelta(minutes=first + n + 3)} for n in range(count)])
        ids = db.session.scalars(select(Response.id).where(Response.questionnaire_id == questionnaire.id)
                                 .order_by(Response.id.desc()).limit(count)).all()
        rows = []
        for response_id in ids:
            for item_id, kind in items:
                rows.append({"response_id": response_id, "item_id": item_id, "value": _value(kind, rng)})
        db.session.execute(insert(Answer), rows)
        db.session.commit()
        print(f"seeded {first + count:,}", file=sys.stderr)


def _value(kind: str, rng: random.Random) -> str:
    if kind == "likert":
        return str(rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 8, 35, 52])[0])
    if kind == "single":
        return rng.choice(OPTIONS)
    if kind == "number":
        return str(rng.randint(16, 80))
    if kind == "text":
        return rng.choice(["ok", "=1+1", "Grüße", "fine, thanks"])
    return "A longer answer about the session, with commas, \"quotes\" and umlauts: äöü. " * rng.randint(1, 3)


def scope():
    from surveyapp.datasets.frames import questionnaire_scope
    from surveyapp.questionnaires.models import Questionnaire

    return questionnaire_scope(db.session.scalar(select(Questionnaire).where(Questionnaire.slug == SLUG)))


def export_csv(out: Path) -> None:
    """Exactly what the CSV view streams."""
    from surveyapp.exports.dataset import export_columns, iter_wide
    from surveyapp.exports.formats import csv_chunks

    target = scope()
    with out.open("wb") as handle:
        for chunk in csv_chunks(iter_wide(target), export_columns(target)):
            handle.write(chunk)


def export_pdf(out: Path, lang: str) -> None:
    from surveyapp.reports.service import ReportOptions, report_pdf

    out.write_bytes(report_pdf(scope(), ReportOptions(lang=lang)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["seed", "csv", "pdf", "xlsx"])
    parser.add_argument("--db", required=True, help="SQLite file or database URL")
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    app = app_for(args.db)
    with app.app_context():
        began = time.perf_counter()
        if args.step == "seed":
            seed(args.responses)
        elif args.step == "csv":
            export_csv(args.out or SCRATCH / "bench-exports.csv")
        elif args.step == "xlsx":
            from surveyapp.exports.dataset import export_columns, iter_wide
            from surveyapp.exports.xlsx import write_xlsx

            target = scope()
            write_xlsx(target, iter_wide(target), export_columns(target), args.out or SCRATCH / "bench.xlsx")
        else:
            export_pdf(args.out or SCRATCH / "bench-exports.pdf", args.lang)
        print(f"{args.step}: {time.perf_counter() - began:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
