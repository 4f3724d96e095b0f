"""Secondary suppression: no hidden cell can be worked out from the total and the cells shown."""

import re

import numpy as np
import pandas as pd
from flask_babel import force_locale

from surveyapp.accounts.models import Role
from surveyapp.datasets.frames import questionnaire_scope
from surveyapp.reports.analysis import (
    breakdown,
    breakdown_shares,
    frequencies,
    multi_frequencies,
)
from surveyapp.reports.service import ReportOptions, build_report
from surveyapp.suppression import secondary_suppression
from tests.reports import test_service
from tests.reports.test_service import pdf_text

with_diverse = test_service.close_to  # the fixture: 1,448 respondents, 4 of them of gender “d”


def test_lone_hidden_cell_takes_the_next_smallest_with_it():
    extra = secondary_suppression(np.array([3, 40, 12, 9]), np.array([True, False, False, False]), 5)
    assert extra.tolist() == [False, False, False, True]


def test_first_of_equal_cells_is_hidden():
    extra = secondary_suppression(np.array([2, 9, 9]), np.array([True, False, False]), 5)
    assert extra.tolist() == [False, True, False]


def test_empty_cells_are_never_the_second():
    extra = secondary_suppression(np.array([0, 4, 0, 30]), np.array([False, True, False, False]), 5)
    assert extra.tolist() == [False, False, False, True]


def test_two_hidden_cells_or_none_need_nothing_more():
    assert not secondary_suppression(np.array([3, 4, 30]), np.array([True, True, False]), 5).any()
    assert not secondary_suppression(np.array([10, 20]), np.array([False, False]), 5).any()


def test_hidden_cells_adding_up_to_less_than_min_n_take_more_with_them():
    """The tester's case: 0, h, h, 12, 15 with n = 29 left 29 − 27 = 2 for two hidden cells of at least 1 each."""
    extra = secondary_suppression(np.array([0, 1, 1, 12, 15]), np.array([False, True, True, False, False]), 5)
    assert extra.tolist() == [False, False, False, True, False]
    table = frequencies(pd.Series([2, 3] + [4] * 12 + [5] * 15), [1, 2, 3, 4, 5])
    rows = table.rows.set_index("code")
    assert table.n == 29
    assert rows["suppressed"].tolist() == [False, True, True, True, False]
    assert rows["secondary"].tolist() == [False, False, False, True, False]
    assert rows.loc["1", "count"] == 0 and rows.loc["5", "count"] == 15
    assert table.n - rows["count"].sum() == 14  # 1 + 1 + 12: neither hidden cell can be told


def test_remainder_at_the_least_or_most_the_hidden_cells_hold_is_not_enough():
    # 4 + 4 = 8 is the most two cells under 5 can hold: both would be 4.
    assert secondary_suppression(np.array([4, 4, 30, 40]), np.array([True, True, False, False]), 5).tolist() == [
        False, False, True, False]
    # 1 + 5 = 6 is the least one small and one withheld cell hold: hide on.
    assert secondary_suppression(np.array([1, 5, 9, 40]), np.array([True, False, False, False]), 5).tolist() == [
        False, True, True, False]
    # 3 + 4 = 7 could be 3 + 4 or 4 + 3: enough.
    assert not secondary_suppression(np.array([3, 4, 30]), np.array([True, True, False]), 5).any()


def test_all_cells_hidden_when_nothing_else_helps():
    extra = secondary_suppression(np.array([1, 6]), np.array([True, False]), 5)
    assert extra.tolist() == [False, True]


def test_breakdown_groups_hidden_until_the_total_gives_none_away():
    frame = pd.DataFrame({"agree": [True] * 40 + [False] * 1 + [True] * 1 + [True] * 7,
                          "site": ["Wien"] * 40 + ["Graz"] + ["Linz"] + ["Steyr"] * 7})
    shares = dict(breakdown_shares(breakdown(frame, "agree", "site", order=["Wien", "Graz", "Linz", "Steyr", "Wels"])))
    assert shares["Graz"].suppressed and shares["Linz"].suppressed and shares["Wels"].suppressed
    assert shares["Steyr"].secondary and shares["Steyr"].n is None
    assert shares["Wien"].n == 40


def test_frequency_table_hides_the_next_smallest_option():
    values = pd.Series([1] * 3 + [2] * 10 + [3] * 7 + [4] * 30)
    table = frequencies(values, [1, 2, 3, 4, 5])
    rows = table.rows.set_index("code")
    assert table.n == 50
    assert rows["suppressed"].tolist() == [True, False, True, False, False]
    assert rows["secondary"].tolist() == [False, False, True, False, False]
    assert pd.isna(rows.loc["3", "count"]) and pd.isna(rows.loc["3", "share"])
    # n minus the cells shown leaves 10 for two hidden cells: neither can be told.
    assert table.n - rows["count"].sum() == 10
    out = table.as_rows()
    assert out[2].secondary and out[2].count is None and not out[0].secondary


def test_frequency_table_with_two_small_cells_hides_nothing_more():
    table = frequencies(pd.Series([1] * 3 + [2] * 2 + [3] * 20), [1, 2, 3])
    assert not table.rows["secondary"].any()
    assert table.rows["suppressed"].tolist() == [True, True, False]


def test_multiple_choice_cells_overlap_so_none_is_hidden_twice():
    block = pd.DataFrame({"a": [True] * 3 + [False] * 17, "b": [True] * 20})
    table = multi_frequencies(block)
    assert table.rows["suppressed"].tolist() == [True, False]
    assert not table.rows["secondary"].any()


def test_breakdown_hides_the_next_smallest_group():
    frame = pd.DataFrame({"agree": [True] * 60 + [False] * 3 + [True] * 12,
                          "site": ["Wien"] * 60 + ["Graz"] * 3 + ["Linz"] * 12})
    shares = dict(breakdown_shares(breakdown(frame, "agree", "site")))
    assert shares["Graz"].suppressed and not shares["Graz"].secondary
    assert shares["Linz"].suppressed and shares["Linz"].secondary and shares["Linz"].n is None
    assert shares["Wien"].n == 60 and not shares["Wien"].suppressed


def test_report_hides_a_second_group_and_says_so(with_diverse):
    """1,448 respondents, 4 of gender “d”: too few to show, and the total would give them away."""
    from surveyapp.reports.model import NumberFormat
    from surveyapp.reports.pdf import render_pdf

    with force_locale("en"):
        report = build_report(questionnaire_scope(with_diverse), ReportOptions(lang="en"))
        text = re.sub(r"\s+", " ", pdf_text(render_pdf(report, numbers=NumberFormat.babel("en"))))
    gender = next(t for p in report.parts for t in p.breakdowns if t.dimension == "Gender")
    rows = {row.group: row.result for row in gender.rows}
    assert rows["diverse"].suppressed and not rows["diverse"].secondary
    assert [group for group, share in rows.items() if share.secondary] == ["male"]  # 722 each: the first goes
    assert rows["female"].n == 722
    assert re.search(r"male withheld female 89% diverse n < 5", text)  # the chart
    assert re.search(r"male withheld – – female 722 88.9% 86.4–91.0 diverse n < 5 – –", text)
    assert "male n < 5" not in text
    assert "(secondary suppression), until the hidden figures together hold at least 5 respondents" in text


def test_web_page_marks_the_second_group(client, make, auth, with_diverse):
    auth.login(make.user(Role.EVALUATOR, programme=with_diverse.programme).email)
    html = client.get(f"/manage/questionnaires/{with_diverse.id}/report?ui=en").get_data(as_text=True)
    assert re.search(r"<td>male</td><td><span class=\"suppressed\">withheld</span></td>", html)
    assert re.search(r"<td>diverse</td><td><span class=\"suppressed\">n &lt; 5</span></td>", html)
