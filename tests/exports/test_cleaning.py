"""Writers' cleaning of stored text: control characters removed, then formulas neutralised (pure)."""

import pandas as pd
import pytest

from surveyapp.exports.formats import clean_text, csv_chunks, neutralise, neutralise_formulas

FORMULA = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\ufffe"])
def test_control_characters_are_removed_and_hidden_formula_neutralised(control):
    assert clean_text(f"a{control}b") == "ab"
    assert neutralise(f"{control}{FORMULA}") == "'" + FORMULA


def test_tab_and_line_breaks_stay():
    assert clean_text("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert neutralise("line one\nline two") == "line one\nline two"
    assert neutralise(-1) == -1 and neutralise(None) is None and neutralise("-1") == "-1"


def test_frame_cleaning_covers_text_and_categorical_columns_and_leaves_clean_ones_alone():
    frame = pd.DataFrame({
        "text": ["ok", f"\x01{FORMULA}", None],
        "choice": pd.Categorical(["a\x1b", "b", None], categories=["a\x1b", "b"]),
        "plain": ["x", "y", "z"],
        "number": [1, 2, 3],
    })
    out = neutralise_formulas(frame)
    assert out["text"].tolist()[:2] == ["ok", "'" + FORMULA] and pd.isna(out["text"].iloc[2])
    assert out["choice"].tolist()[:2] == ["a", "b"] and pd.isna(out["choice"].iloc[2])
    assert out["plain"] is frame["plain"] or out["plain"].equals(frame["plain"])
    assert out["number"].tolist() == [1, 2, 3]


def test_csv_header_is_cleaned_and_neutralised_too():
    frame = pd.DataFrame({"=bad\x00code": ["v"]})
    text = b"".join(csv_chunks([frame])).decode("utf-8-sig")
    assert text.splitlines()[0] == "'=badcode"
