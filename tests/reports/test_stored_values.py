"""Stored numbers that are no usable number: left out of the column, counted per item (pure, no database)."""

import numpy as np
import pandas as pd

from surveyapp.datasets.pivot import (
    EXCLUDED,
    MAX_MAGNITUDE,
    ColumnSpec,
    LongAnswers,
    item_columns_frame,
    merge_excluded,
    parse_numbers,
    usable_numbers,
)
from surveyapp.reports.analysis import numeric_summary

SPECS = [
    ColumnSpec("size", "number", True, False, False, True, (), None),
    ColumnSpec("count", "number", True, False, False, False, (), None),
    ColumnSpec("agree", "likert", True, True, False, False, ("1", "2", "3", "4", "5"), None),
    ColumnSpec("why", "text", False, False, False, False, (), None),
]


def frame_of(rows, ids=(1, 2, 3, 4)):
    response_id, spec, value = zip(*rows, strict=True)
    answers = LongAnswers(np.array(response_id), np.array(spec), np.array(value, dtype=object))
    return item_columns_frame(SPECS, answers, pd.Index(ids, name="response_id"))


def test_non_finite_and_absurd_numbers_are_missing_and_counted():
    frame = frame_of([
        (1, 0, "2.5"), (2, 0, "inf"), (3, 0, "-Infinity"), (4, 0, "1e999999"),
        (1, 1, "7"), (2, 1, "9" * 400), (3, 1, "nan"), (4, 1, str(int(MAX_MAGNITUDE))),
        (1, 2, "4"), (2, 2, "1e16"),
        (1, 3, "inf"),  # a text item: "inf" is just text
    ])
    assert frame["size"].tolist() == [2.5, pd.NA, pd.NA, pd.NA]
    assert frame["count"].dtype == "Int64" and frame["count"].tolist() == [7, pd.NA, pd.NA, 10**15]
    assert frame["agree"].tolist()[:2] == [4, pd.NA]
    assert frame["why"].tolist()[0] == "inf"
    assert frame.attrs[EXCLUDED] == {"size": 3, "count": 2, "agree": 1}


def test_nothing_excluded_gives_empty_counts_and_chunks_add_up():
    clean = frame_of([(1, 0, "1"), (2, 1, "-3")])
    assert clean.attrs[EXCLUDED] == {}
    other = frame_of([(1, 0, "nan")])
    assert merge_excluded([clean, other, other]) == {"size": 2}


def test_usable_numbers_keeps_the_boundary():
    values = np.array([MAX_MAGNITUDE, -MAX_MAGNITUDE, np.nextafter(MAX_MAGNITUDE, np.inf), np.inf, np.nan, 0.0])
    assert np.array_equal(usable_numbers(values), [MAX_MAGNITUDE, -MAX_MAGNITUDE, np.nan, np.nan, np.nan, 0.0],
                          equal_nan=True)


def test_statistics_of_a_column_with_excluded_values_are_finite():
    numbers = usable_numbers(parse_numbers(np.array(["20", "inf", "25", "1e400", "-1e308"], dtype=object)))
    summary = numeric_summary(pd.Series(pd.array(numbers, dtype="Float64")), min_n=2)
    assert (summary.n, summary.missing, summary.mean, summary.minimum, summary.maximum) == (2, 3, 22.5, 20, 25)
