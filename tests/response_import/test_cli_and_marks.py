"""The CLI's report and exit codes, and imported responses marked in exports (CSV column, SPSS label)."""
import pyreadstat
import pytest
from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.responses.models import Response

FILE = "id;agree;Farbe;age\n1;5;red;30\n2;4;Blue-de;41\n"


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def invoke(runner, path, slug, *options):
    return runner.invoke(args=["responses", "import", str(path), "--questionnaire", slug, *options])


def test_unmatched_columns_and_bad_values_refuse_with_a_report(db, make, runner, tmp_path):
    questionnaire = make.questionnaire()
    path = tmp_path / "earlier.csv"
    path.write_text(FILE)
    unmapped = invoke(runner, path, questionnaire.slug)
    assert unmapped.exit_code != 0 and "Columns matching no item: Farbe" in unmapped.output
    path.write_text(FILE.replace("Blue-de", "x"))
    bad = invoke(runner, path, questionnaire.slug, "--map", "Farbe=colour")
    assert bad.exit_code != 0 and "row 3, column Farbe, value 'x': not one of the item's options" in bad.output
    assert "Nothing was imported." in bad.output and count(db) == 0


def test_dry_run_stores_nothing_then_the_import_stores_all(db, make, runner, tmp_path):
    questionnaire = make.questionnaire()
    path = tmp_path / "earlier.csv"
    path.write_text(FILE)
    dry = invoke(runner, path, questionnaire.slug, "--map", "Farbe=colour", "--dry-run")
    assert dry.exit_code == 0 and "2 rows to import" in dry.output and count(db) == 0
    done = invoke(runner, path, questionnaire.slug, "--map", "Farbe=colour")
    assert done.exit_code == 0 and "Imported 2 responses." in done.output and count(db) == 2
    assert invoke(runner, path, "nope").exit_code != 0


def test_exports_mark_imported_responses(db, make, runner, auth, tmp_path):
    questionnaire = make.questionnaire()
    path = tmp_path / "earlier.csv"
    path.write_text(FILE)
    assert invoke(runner, path, questionnaire.slug, "--map", "Farbe=colour").exit_code == 0
    auth.login(make.user(Role.EVALUATOR, questionnaire.programme).email)
    csv = auth.client.get(f"/manage/questionnaires/{questionnaire.id}/export.csv").get_data(as_text=True)
    header, *rows = csv.strip().splitlines()
    assert "imported" in header.split(",") and all(row.count("earlier.csv") == 1 for row in rows)
    sav = auth.client.get(f"/manage/questionnaires/{questionnaire.id}/export.sav")
    sav_path = tmp_path / "export.sav"
    sav_path.write_bytes(sav.data)
    frame, meta = pyreadstat.read_sav(str(sav_path))
    assert list(frame["imported"]) == ["earlier.csv", "earlier.csv"]
    assert meta.column_names_to_labels["imported"].startswith("Imported from")


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "sav"])
def test_an_export_imports_into_its_own_questionnaire_as_stored_already(db, make, runner, auth, tmp_path, suffix):
    """Its `response_id` names responses stored here (imported ones too): counted, never stored twice; its
    headings ("submitted_at (UTC)" in XLSX) need no mapping."""
    questionnaire = make.questionnaire()
    path = tmp_path / "earlier.csv"
    path.write_text(FILE)
    assert invoke(runner, path, questionnaire.slug, "--map", "Farbe=colour").exit_code == 0
    auth.login(make.user(Role.EVALUATOR, questionnaire.programme).email)
    exported = tmp_path / f"exp.{suffix}"
    with auth.client.get(f"/manage/questionnaires/{questionnaire.id}/export.{suffix}") as response:
        exported.write_bytes(response.data)
    again = invoke(runner, exported, questionnaire.slug)
    assert again.exit_code == 0, again.output
    assert "Imported 0 responses" in again.output and count(db) == 2
    other = make.questionnaire()
    elsewhere = invoke(runner, exported, other.slug, "--dry-run")
    assert "2 rows to import" in elsewhere.output
