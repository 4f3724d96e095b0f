"""Secondary suppression: no hidden cell can be worked out from the total and the cells shown."""

import numpy as np
import pandas as pd

from surveyapp.reports.analysis import (
    breakdown,
    breakdown_shares,
    frequencies,
    multi_frequencies,
    secondary_suppression,
)


def test_lone_hidden_cell_takes_the_next_smallest_with_it():
    extra = secondary_suppression(np.array([3, 40, 12, 9]), np.array([True, False, False, False]))
    assert extra.tolist() == [False, False, False, True]


def test_first_of_equal_cells_is_hidden():
    extra = secondary_suppression(np.array([2, 9, 9]), np.array([True, False, False]))
    assert extra.tolist() == [False, True, False]


def test_empty_cells_are_never_the_second():
    extra = secondary_suppression(np.array([0, 4, 0, 30]), np.array([False, True, False, False]))
    assert extra.tolist() == [False, False, False, True]


def test_two_hidden_cells_or_none_need_nothing_more():
    assert not secondary_suppression(np.array([3, 4, 30]), np.array([True, True, False])).any()
    assert not secondary_suppression(np.array([10, 20]), np.array([False, False])).any()


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
