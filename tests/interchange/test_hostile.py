"""Damaged and hostile workbooks: copies of a rich export with cells replaced at random by what a careless or
hostile author might write. Each gives a Draft or a DomainError, and creating it (rows left out) a questionnaire
or a DomainError: never another exception, so never a 500."""
import io
import os
import random

from openpyxl import load_workbook

from surveyapp.errors import DomainError
from surveyapp.interchange import service, xlsform
from surveyapp.starters import service as starters
from tests.interchange.test_round_trip import RICH

MUTANTS = int(os.environ.get("INTERCHANGE_MUTANTS", "24"))  # more for a longer search: INTERCHANGE_MUTANTS=500
JUNK = ["", "begin group", "end group", "begin repeat", "select_one nowhere", "select_one colour or_other", "rank",
        "range", "integer", "${age} > ", "selected(${tools}, 'x')", "not(", "'", '{"type": ["x"]}',
        '{"type": "number", "settings": {"min": "a", "max": 1}}', '{"type": "likert", "settings": {"points": 6}}',
        '{"skips": [{"when": "x", "to": true}]}', '{"type": "matrix", "settings": []}', "regex(., '(a+)+$')",
        ". >= 5 and . <= 1", "string-length(.) <= -1", "count-selected(.) >= 999999999999", "yes", "true()",
        "${", "${name}${name}", "=1+1", "x" * 5000, "Ünïcødé", "page_1", "age", "q-1", "\u202e", "0"]


def _mutants(data: bytes, count: int, seed: int):
    rng = random.Random(seed)
    for _round in range(count):
        book = load_workbook(io.BytesIO(data))
        for _cell in range(rng.randint(1, 6)):
            sheet = book[rng.choice(["survey", "survey", "choices", "settings"])]
            cell = sheet.cell(row=rng.randint(1, sheet.max_row), column=rng.randint(1, sheet.max_column))
            cell.value = rng.choice(JUNK)
            cell.data_type = "s"
        buffer = io.BytesIO()
        book.save(buffer)
        yield buffer.getvalue()


def test_mutated_workbooks_give_a_draft_or_a_domain_error(app, db, make):
    programme = make.programme()
    exported = service.export_xlsform(starters.build(RICH, programme, "rich", ["en", "de"]))
    db.session.commit()
    read = created = 0
    for number, data in enumerate(_mutants(exported, MUTANTS, seed=15)):
        try:
            draft = xlsform.read(data)
        except DomainError:
            continue
        read += 1
        if number % 4:
            continue
        try:
            service.create(draft, programme, f"mutant-{number}", skip_unsupported=True)
            created += 1
        except DomainError:
            pass
        finally:
            db.session.rollback()
    assert read > MUTANTS // 2 and created > MUTANTS // 12
