"""The respondent page's weight budget, measured from outside over HTTP by bench/page_weight.py."""
import importlib.util
from pathlib import Path

import pytest

BUDGET_BYTES = 15 * 1024
BUDGET_REQUESTS = 3
_spec = importlib.util.spec_from_file_location(
    "page_weight", Path(__file__).resolve().parents[2] / "bench" / "page_weight.py")
page_weight = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(page_weight)


@pytest.mark.parametrize("query", ["?lang=de", "?lang=ar"])
def test_demo_survey_first_visit_within_budget(live_server, query):
    initial, css_refs, external, _skipped = page_weight.measure(f"{live_server}/s/close-to{query}")
    rows = initial + css_refs
    assert all(row["status"] == 200 for row in rows)
    assert all(row["enc"] == "gzip" for row in rows), "HTML and CSS are sent compressed"
    assert not external, "nothing from other origins"
    assert len(rows) <= BUDGET_REQUESTS
    assert sum(row["transferred"] for row in rows) <= BUDGET_BYTES
