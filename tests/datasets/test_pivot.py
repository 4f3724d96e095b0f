"""The one-pass pivot of long answers into typed item columns (pure, no database)."""

import numpy as np
import pandas as pd

from surveyapp.datasets.pivot import ColumnSpec, LongAnswers, item_columns_frame, parse_numbers

SPECS = [
    ColumnSpec("agree", "likert", True, True, False, False, ("1", "2", "3", "4", "5"), None),
    ColumnSpec("size", "number", True, False, False, True, (), None),
    ColumnSpec("pick", "single", False, True, False, False, ("a", "b"), None),
    ColumnSpec("why", "text", False, False, False, False, (), None),
    ColumnSpec("many", "multi", False, True, True, False, ("x", "y"), None),
]


def pivot(rows, specs=SPECS, ids=(10, 11, 12)):
    response_id, spec, value = zip(*rows, strict=True) if rows else ((), (), ())
    answers = LongAnswers(
        np.array(response_id, dtype=np.int64), np.array(spec, dtype=np.int64), np.array(value, dtype=object)
    )
    return item_columns_frame(specs, answers, pd.Index(ids, name="response_id"))


def test_typed_columns_with_gaps_duplicates_and_strangers():
    frame = pivot(
        [
            (10, 0, "4"),
            (10, 0, "5"),  # answered twice: the answer read last counts
            (11, 0, "x"),  # not a number: missing
            (10, 1, "2.5"),
            (12, 1, "3"),
            (10, 2, "b"),
            (11, 2, "z"),  # not an option: missing
            (12, 3, "=1+1"),
            (10, 4, "x"),
            (10, 4, "y"),
            (11, 4, "q"),  # answered with an unknown option: 0, not missing
            (99, 0, "1"),  # another chunk's response
            (10, -1, "1"),  # an item outside the scope
        ]
    )
    assert list(frame.columns) == ["agree", "size", "pick", "why", "many_x", "many_y"]
    assert frame["agree"].dtype == "Int64" and frame["agree"].tolist() == [5, pd.NA, pd.NA]
    assert frame["size"].dtype == "Float64" and frame["size"].tolist() == [2.5, pd.NA, 3.0]
    assert list(frame["pick"].cat.categories) == ["a", "b"]
    assert frame["pick"].tolist()[0] == "b" and frame["pick"].isna().tolist() == [False, True, True]
    assert frame["why"].isna().tolist() == [True, True, False] and frame["why"].iloc[2] == "=1+1"
    assert frame["many_x"].dtype == "Int8"
    assert frame["many_x"].tolist() == [1, 0, pd.NA] and frame["many_y"].tolist() == [1, 0, pd.NA]


def test_no_answers_gives_empty_typed_columns():
    frame = pivot([])
    assert frame["agree"].dtype == "Int64" and frame["agree"].isna().all()
    assert frame["many_x"].isna().all() and len(frame) == 3


def test_labels_instead_of_codes():
    spec = ColumnSpec("pick", "single", False, True, False, False, ("a", "b"), {"a": "Apple", "b": "Pear"})
    frame = pivot([(10, 0, "a"), (12, 0, "b")], specs=[spec])
    assert frame["pick"].tolist()[0] == "Apple" and frame["pick"].tolist()[2] == "Pear"
    assert frame["pick"].isna().tolist() == [False, True, False]


def test_numbers_parse_like_to_numeric():
    texts = ["4", "007", "-3", "2.5", " 8", "1e3", "x", "", "٣", "12345678901234567890", "inf"]
    values = np.array(texts, dtype=object)
    expected = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype="float64")
    np.testing.assert_array_equal(parse_numbers(values), expected)
    plain = np.array(["1", "22", "333"], dtype=object)
    np.testing.assert_array_equal(parse_numbers(plain), [1.0, 22.0, 333.0])
