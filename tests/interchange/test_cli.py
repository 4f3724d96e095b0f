"""`flask questionnaires import` and `export`: the report, exit codes, --dry-run and --skip-unsupported, and
broken files that store nothing."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.questionnaires.models import Item, Questionnaire
from tests.interchange.workbooks import DUPLICATE, NO_SURVEY, NOT_A_WORKBOOK, SHARED, shared


def _count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def programme(make):
    return make.programme(code="field")


def _import(runner, path, *options):
    return runner.invoke(args=["questionnaires", "import", str(path), "--programme", "field", *options])


def test_import_reports_and_creates(runner, db, programme):
    shared("group.xlsx")
    result = _import(runner, SHARED / "group.xlsx", "--slug", "fathers")
    assert result.exit_code == 0, result.output
    assert "xlsform: 2 pages, 3 items, languages en" in result.output
    assert "    age (Number): How old is your father?" in result.output
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == "fathers"))
    assert [item.code for item in questionnaire.items] == ["family_name", "phone_number", "age"]
    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == \
        "questionnaire.import"


def test_dry_run_stores_nothing(runner, db, programme):
    shared("text_and_integer.xlsx")
    result = _import(runner, SHARED / "text_and_integer.xlsx", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was stored." in result.output
    assert _count(db, Questionnaire) == 0 and _count(db, Item) == 0


def test_unsupported_rows_refuse_unless_skipped(runner, db, programme):
    shared("include.xlsx")
    refused = _import(runner, SHARED / "include.xlsx")
    assert refused.exit_code == 1
    assert "not imported: survey, row 3 (name: yes_or_no_question): “include”" in refused.output
    assert "1 row or question cannot be imported, so nothing was created" in refused.output
    assert _count(db, Questionnaire) == 0
    created = _import(runner, SHARED / "include.xlsx", "--skip-unsupported", "--slug", "names")
    assert created.exit_code == 0, created.output
    assert "1 row left out" in created.output and _count(db, Questionnaire) == 1


def test_a_too_long_link_name_is_refused_naming_the_limit(runner, db, programme):
    refused = _import(runner, SHARED / "text_and_integer.xlsx", "--slug", "a" * 300)
    assert refused.exit_code == 1 and "A link name has at most 80 characters." in refused.output
    assert _count(db, Questionnaire) == 0


@pytest.mark.parametrize(("data", "message"), [
    (NOT_A_WORKBOOK, "not an Excel workbook"), (NO_SURVEY, "no “survey” sheet"),
    (DUPLICATE, "survey, row 3 (name: q1): The name “q1” is used twice"),
])
def test_broken_files_are_an_error_and_store_nothing(runner, db, programme, tmp_path, data, message):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(data)
    result = _import(runner, path)
    assert result.exit_code == 1
    assert message in result.output
    assert _count(db, Questionnaire) == 0


def test_an_unknown_programme_or_format_is_an_error(runner, programme, tmp_path):
    path = tmp_path / "form.pdf"
    path.write_bytes(b"%PDF")
    assert "XLSForm workbook (.xlsx)" in _import(runner, path).output
    result = runner.invoke(args=["questionnaires", "import", str(path), "--programme", "nope"])
    assert result.exit_code == 1 and "no programme with the code nope" in result.output


def test_export_writes_a_workbook(runner, make, tmp_path):
    questionnaire = make.questionnaire(slug="to-export", languages=("de", "en"))
    out = tmp_path / "out.xlsx"
    result = runner.invoke(args=["questionnaires", "export", "to-export", "--format", "xlsform", "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO(out.read_bytes()), read_only=True)
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = next(book["survey"].iter_rows(values_only=True))
    assert "label::German (de)" in header and "label::English (en)" in header
    assert len(questionnaire.items) > 0
    missing = runner.invoke(args=["questionnaires", "export", "nope", "--out", str(out)])
    assert missing.exit_code == 1
