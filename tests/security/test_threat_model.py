"""docs/security.md cannot rot: every test it names (tests/...py::test_name) exists, and every hostile-suite file
is named in it at least once."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")}


def test_the_document_names_tests():
    assert len(REFERENCE.findall(DOC.read_text(encoding="utf-8"))) >= 60


def test_every_named_test_exists():
    missing = [f"{path}::{name}" for path, name in REFERENCE.findall(DOC.read_text(encoding="utf-8"))
               if not (ROOT / path).is_file() or name not in _tests_in(ROOT / path)]
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"


def test_every_hostile_suite_file_is_in_the_threat_model():
    named = {path for path, _ in REFERENCE.findall(DOC.read_text(encoding="utf-8"))}
    files = {f"tests/security/{path.name}" for path in (ROOT / "tests" / "security").glob("test_*.py")}
    assert not files - named - {"tests/security/test_threat_model.py"}, sorted(files - named)
