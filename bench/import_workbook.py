"""Translation workbook import: wall time and peak memory of one import, in a fresh process (not a test).

    .venv/bin/python bench/import_workbook.py wide --rows 8000     # each row also has a cell in column XFD
    .venv/bin/python bench/import_workbook.py legit --items 400    # the export of a big questionnaire, translated

Works on a throwaway SQLite database in a temporary folder. "wide" is the shape of the finding in #11 (a
147 KB workbook took 41.5 s and 620 MB): read-only openpyxl pads every row to the widest cell, so one cell in
column XFD per row made every row 16,384 cells. Peak memory is the process's maximum resident set size.
"""
import argparse
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LANGUAGES = ("de", "en", "fr", "it", "tr", "uk")


def workbook(variant: str, rows: int, exported: bytes) -> bytes:
    from openpyxl import Workbook, load_workbook

    if variant == "legit":
        book = load_workbook(io.BytesIO(exported))
        for line in book.active.iter_rows(min_row=2):
            for cell in line[2:]:
                cell.value = f"Ü {line[1].value}" * 3
    else:
        book = Workbook()
        book.active.title = "texts"
        book.active.append(["key", *LANGUAGES])
        for number in range(2, rows + 2):
            book.active.cell(number, 1, "item.q1.label")
            book.active.cell(number, 16384, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("variant", choices=["legit", "wide"])
    parser.add_argument("--rows", type=int, default=8000)
    parser.add_argument("--items", type=int, default=60)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from surveyapp import create_app
    from surveyapp.extensions import db
    from surveyapp.translations_ui import transfer
    from tests import factories

    folder = tempfile.mkdtemp(prefix="bench-import-")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                      "SECRET_KEY": "bench", "SERVER_NAME": None})
    with app.app_context():
        upgrade()
        items = [(f"q{i}", "single", False, 1, {}, [f"o{j}" for j in range(8)]) for i in range(args.items)]
        questionnaire = factories.Factories(db).questionnaire(languages=LANGUAGES, items=items)
        with app.test_request_context():
            data = workbook(args.variant, args.rows, transfer.to_xlsx(questionnaire))
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.perf_counter()
            try:
                outcome = f"{transfer.import_file(questionnaire, 'texts.xlsx', data, seconds=3600)} texts changed"
            except transfer.ImportRejected as rejected:
                outcome = f"refused: {rejected.problems[0]}"
            elapsed = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            db.session.rollback()
    print(f"{args.variant}: {len(data) / 1024:.0f} KB, {elapsed:.2f} s, peak RSS {peak / 1024:.0f} MB "
          f"(+{(peak - before) / 1024:.0f} MB during the import) -> {outcome}")


if __name__ == "__main__":
    main()
