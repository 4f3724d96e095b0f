"""Counts in the GDPR command output take the singular or plural form (ngettext), never "1 responses"."""
from types import SimpleNamespace

import pytest

from surveyapp.gdpr.cli import _purge_line


@pytest.mark.parametrize(("count", "months", "dry_run", "expected"), [
    (1, 1, True, "P1: would remove the contact data of 1 participant (retention 1 month)"),
    (2, 6, True, "P1: would remove the contact data of 2 participants (retention 6 months)"),
    (1, 12, False, "P1: removed the contact data of 1 participant (retention 12 months)"),
    (0, 1, False, "P1: removed the contact data of 0 participants (retention 1 month)"),
])
def test_purge_line_uses_singular_and_plural(app, count, months, dry_run, expected):
    line = SimpleNamespace(programme_code="P1", participant_ids=list(range(count)), months=months)
    with app.app_context():
        assert _purge_line(line, dry_run) == expected
