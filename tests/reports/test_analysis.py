import math

import pandas as pd
import pytest

from surveyapp.reports.analysis import (
    agreement_share,
    breakdown,
    breakdown_shares,
    frequencies,
    make_share,
    multi_frequencies,
    numeric_summary,
    top_box_flags,
    wilson_interval,
)
from surveyapp.reports.comparison import (
    attrition,
    chi2_1_sf,
    matched_comparison,
    mcnemar,
    nonresponse_note,
    unmatched_comparison,
)


def test_wilson_headline_figure():
    low, high = wilson_interval(1289, 1448)
    assert round(1289 / 1448 * 100, 1) == 89.0
    assert round(low * 100, 1) == 87.3
    assert round(high * 100, 1) == 90.5


def test_wilson_at_zero_and_n():
    # Upper bound at k=0 is z^2 / (n + z^2); for n=10: 3.8415 / 13.8415.
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(1.959964**2 / (10 + 1.959964**2))
    assert high == pytest.approx(0.27753, abs=1e-5)
    low, high = wilson_interval(10, 10)
    assert high == 1.0
    assert low == pytest.approx(1 - 0.27753, abs=1e-5)


def test_wilson_small_n():
    # 1 of 4: centre (0.25 + 0.48018) / 1.96037, half-width 1.96 * sqrt(0.106898) / 1.96037.
    low, high = wilson_interval(1, 4)
    assert low == pytest.approx(0.04559, abs=1e-5)
    assert high == pytest.approx(0.69936, abs=1e-5)


def test_wilson_empty_and_invalid():
    assert all(math.isnan(x) for x in wilson_interval(0, 0))
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


def test_frequencies_counts_shares_missing_and_cell_suppression():
    values = pd.Series(["1"] * 3 + ["2"] * 10 + ["3"] * 7 + [None, None, "9"], dtype="string")
    table = frequencies(values, ["1", "2", "3", "4"])
    assert table.n == 20
    assert table.missing == 3  # two NA and one code that is not an option
    rows = table.rows.set_index("code")
    assert rows.loc["2", "count"] == 10
    assert rows.loc["2", "share"] == pytest.approx(0.5)
    assert rows.loc["2", "ci_low"] == pytest.approx(wilson_interval(10, 20)[0])
    assert bool(rows.loc["1", "suppressed"]) and pd.isna(rows.loc["1", "count"])
    assert not bool(rows.loc["4", "suppressed"]) and rows.loc["4", "count"] == 0
    assert str(table.rows["count"].dtype) == "Int64"
    out = table.as_rows({"2": "Agree"})
    assert out[1].label == "Agree" and out[0].count is None and out[0].suppressed


def test_frequencies_whole_item_suppressed_below_min_n():
    table = frequencies(pd.Series([1, 2, 2, 1]), [1, 2])
    assert table.suppressed and table.n is None
    assert table.rows["suppressed"].all()
    assert table.rows["share"].isna().all()
    assert not frequencies(pd.Series([1, 2, 2, 1]), [1, 2], min_n=3, suppress_cells=False).suppressed


def test_frequencies_accepts_float_columns():
    values = pd.Series([1.0, 2.0, 2.0, None, 1.0, 1.0, 2.0])
    table = frequencies(values, [1, 2], suppress_cells=False)
    assert table.rows["count"].tolist() == [3, 3]
    assert table.missing == 1


def test_multi_frequencies_share_of_respondents():
    selected = pd.DataFrame({
        "a": [True] * 6 + [False] * 4 + [None],
        "b": [True] * 8 + [False] * 2 + [None],
    })
    table = multi_frequencies(selected)
    assert table.n == 10 and table.missing == 1
    assert list(table.rows["share"]) == [pytest.approx(0.6), pytest.approx(0.8)]


def test_agreement_top_two_boxes():
    values = pd.Series([5, 4, 4, 3, 2, 1, 5, None, 4, 3], dtype="Int64")
    assert agreement_share(values, points=5).secondary  # 5 of 9: the 4 who did not agree would be told
    share = agreement_share(values, points=5, min_n=1)
    assert (share.k, share.n) == (5, 9)
    assert share.share == pytest.approx(5 / 9)
    assert agreement_share(values, points=5, top=1, min_n=1).k == 2
    flags = top_box_flags(pd.Series([7, 6, 5, None]), points=7)
    assert flags.tolist() == [True, True, False, pd.NA]
    with pytest.raises(ValueError):
        top_box_flags(values, points=5, top=5)


def test_make_share_suppressed_has_no_numbers():
    share = make_share(3, 4)
    assert share.suppressed
    assert (share.k, share.n, share.share, share.ci_low, share.ci_high) == (None,) * 5


def test_numeric_summary():
    summary = numeric_summary(pd.Series([0, 10, 5, 5, 7, None]))
    assert (summary.n, summary.missing) == (5, 1)
    assert summary.mean == pytest.approx(5.4)
    assert summary.median == 5
    assert summary.sd == pytest.approx(math.sqrt(((0 - 5.4) ** 2 + 4.6**2 + 0.16 * 2 + 1.6**2) / 4))
    assert (summary.minimum, summary.maximum) == (0, 10)
    assert numeric_summary(pd.Series([1, 2])).suppressed


def test_breakdown_suppresses_small_groups():
    frame = pd.DataFrame({
        "agree": [True] * 5 + [False] * 5 + [True, True, False, True] + [True] * 3 + [False] * 3 + [None],
        "gender": ["f"] * 10 + ["d"] * 4 + ["x"] * 6 + ["f"],
    })
    table = breakdown(frame, "agree", "gender", order=["f", "m", "d", "x"]).set_index("group")
    assert table.loc["f", "n"] == 10 and table.loc["f", "k"] == 5
    assert table.loc["f", "ci_high"] == pytest.approx(wilson_interval(5, 10)[1])
    assert bool(table.loc["d", "suppressed"]) and pd.isna(table.loc["d", "n"])
    assert bool(table.loc["m", "suppressed"]) and not bool(table.loc["m", "secondary"])
    # d alone would be total minus f and x: the smaller of them goes too.
    assert bool(table.loc["x", "secondary"]) and pd.isna(table.loc["x", "n"])
    shares = dict(breakdown_shares(table.reset_index()))
    assert shares["d"].suppressed and shares["d"].n is None
    assert shares["f"].share == pytest.approx(0.5)


def test_mcnemar_exact_small_counts():
    # Wikipedia example: b=6, c=16 -> 2 * sum_{i<=6} C(22, i) / 2**22 = 0.0525
    result = mcnemar(6, 16)
    assert result.method == "exact"
    assert result.p_value == pytest.approx(2 * sum(math.comb(22, i) for i in range(7)) / 2**22)
    assert result.p_value == pytest.approx(0.05248, abs=1e-5)
    assert mcnemar(0, 0).p_value == 1.0
    assert mcnemar(5, 5).p_value == 1.0


def test_mcnemar_chi_square_with_continuity():
    # (|30-12| - 1)^2 / 42 = 289/42 = 6.881; chi2(1) survival 0.00871
    result = mcnemar(30, 12)
    assert result.method == "chi2-cc"
    assert result.statistic == pytest.approx(289 / 42)
    assert result.p_value == pytest.approx(0.008711, abs=1e-5)
    assert chi2_1_sf(3.841459) == pytest.approx(0.05, abs=1e-6)


def test_matched_comparison_uses_pairs_only():
    before = pd.DataFrame({"panel_code": list("abcdefgh") + ["x"],
                           "agree": [True, True, True, False, False, False, True, None, True]})
    after = pd.DataFrame({"panel_code": list("abcdefgh") + ["y"],
                          "agree": [True, False, True, True, True, True, True, True, False]})
    result = matched_comparison(before, after, "agree", wave_before="T1", wave_after="T2")
    # pairs with valid answers in both waves: a..g (h is missing before, x and y unmatched)
    assert result.matched_n == 7
    assert (result.b, result.c) == (1, 3)
    assert result.share_before == pytest.approx(4 / 7)
    assert result.share_after == pytest.approx(6 / 7)
    assert result.change == pytest.approx(2 / 7)
    assert result.p_value == pytest.approx(2 * (1 + 4) / 16)
    assert result.method == "exact"
    small = matched_comparison(before.head(3), after.head(3), "agree")
    assert small.suppressed and small.matched_n is None and small.p_value is None


def test_matched_comparison_rejects_duplicate_codes():
    frame = pd.DataFrame({"panel_code": ["a", "a"], "agree": [True, False]})
    with pytest.raises(ValueError, match="duplicates"):
        matched_comparison(frame, frame, "agree")


def test_unmatched_comparison_and_attrition():
    before = pd.DataFrame({"agree": [True] * 6 + [False] * 5})
    after = pd.DataFrame({"agree": [True, False, True]})
    result = unmatched_comparison(before, after, "agree")
    assert result.before.share == pytest.approx(6 / 11)
    assert result.after.suppressed
    table = attrition({"T1": pd.Series(list("abcd")), "T2": pd.Series(list("abz")), "T3": pd.Series(["a"])})
    assert table["n"].tolist() == [4, 3, 1]
    assert table["retained"].tolist() == [4, 2, 1]
    assert table["retention"].tolist() == [1.0, 0.5, 0.25]


def test_nonresponse_note_sets_stayers_beside_everyone():
    before = pd.DataFrame({"panel_code": [f"p{n}" for n in range(20)] + [None],
                           "agree": [True] * 12 + [False] * 8 + [True]})
    stayers = pd.Series(["p0", "p1", "p2", "p3", "p4", "p15", "new", None])
    note = nonresponse_note(before, stayers, "agree", label="careful", wave_before="T1", wave_after="T2")
    assert note.respondents.secondary  # 5 of 6 would tell the one who did not agree
    note = nonresponse_note(before, stayers, "agree", min_n=1)
    assert (note.respondents.k, note.respondents.n) == (5, 6)  # "new" did not answer T1
    assert (note.everyone.k, note.everyone.n) == (13, 21)  # everyone, with or without a panel code
    assert nonresponse_note(before, stayers.head(3), "agree").respondents.suppressed


def test_waves_compare_only_items_both_asked():
    from surveyapp.reports.groups import comparisons, nonresponse

    frame = pd.DataFrame({"wave": ["T1"] * 6 + ["T2"] * 6, "panel_code": list("abcdef") * 2})
    flags = pd.DataFrame({"both": [True, False] * 6, "first_only": [True] * 6 + [None] * 6}, dtype="boolean")
    labels = {"both": "Asked twice", "first_only": "Asked once"}
    matched, unmatched = comparisons(frame, flags, labels, ["T1", "T2"], 5)
    assert [c.label for c in matched] == [u.label for u in unmatched] == ["Asked twice"]
    assert matched[0].matched_n == 6 and (matched[0].b, matched[0].c) == (0, 0)
    assert [n.label for n in nonresponse(frame, flags, labels, ["T1", "T2"], 5)] == ["Asked twice"]
    assert comparisons(frame, flags, labels, ["T1"], 5) == ([], [])


def test_each_later_wave_is_compared_with_the_first_and_the_one_before():
    """post → 3 months asked in other words: counts, no test; 3 months → 12 months asked alike: tested (#13)."""
    from surveyapp.reports.groups import comparisons, nonresponse, wave_pairs

    assert wave_pairs(["a"]) == []
    assert wave_pairs(["a", "b"]) == [("a", "b")]
    assert wave_pairs(["a", "b", "c", "d"]) == [("a", "b"), ("a", "c"), ("b", "c"), ("a", "d"), ("c", "d")]
    codes = [f"p{n}" for n in range(30)]
    frame = pd.DataFrame({"wave": ["post"] * 30 + ["3m"] * 30 + ["12m"] * 30, "panel_code": codes * 3})
    careful = [True] * 20 + [False] * 10 + [True] * 18 + [False] * 12 + [True] * 10 + [False] * 20
    flags = pd.DataFrame({"careful": careful}, dtype="boolean")
    wordings = {"careful": {"post": "I will drive more carefully.",
                            "3m": "I drive more carefully than before the session.",
                            "12m": "I drive more carefully than before the session."}}
    matched, unmatched = comparisons(frame, flags, {"careful": "Careful"}, ["post", "3m", "12m"], 5, wordings)
    assert [(c.wave_before, c.wave_after) for c in matched] == [("post", "3m"), ("post", "12m"), ("3m", "12m")]
    assert [(u.wave_before, u.wave_after) for u in unmatched] == [(c.wave_before, c.wave_after) for c in matched]
    post_3m, post_12m, later = matched
    assert post_3m.reworded and post_3m.p_value is None and post_3m.method is None
    assert (post_3m.matched_n, post_3m.b, post_3m.c) == (30, 2, 0)
    assert post_12m.reworded and post_12m.p_value is None
    assert not later.reworded and later.method == "exact" and (later.b, later.c) == (8, 0)
    assert later.p_value == pytest.approx(2 / 2**8)
    notes = nonresponse(frame, flags, {"careful": "Careful"}, ["post", "3m", "12m"], 5)
    assert [(n.wave_before, n.wave_after) for n in notes] == [("post", "3m"), ("post", "12m"), ("3m", "12m")]
    # Without wordings (or alike) every pair is tested.
    assert all(c.method for c in comparisons(frame, flags, {"careful": "Careful"}, ["post", "3m", "12m"], 5)[0])


def test_each_pair_is_labelled_with_its_earlier_waves_words():
    """3 months → 12 months is labelled as 3 months asked it, not with the post-session words (#13)."""
    from surveyapp.reports.groups import comparisons, nonresponse

    codes = [f"p{n}" for n in range(30)]
    frame = pd.DataFrame({"wave": ["post"] * 30 + ["3m"] * 30 + ["12m"] * 30, "panel_code": codes * 3})
    flags = pd.DataFrame({"careful": [True, False] * 45}, dtype="boolean")
    words = {"careful": {"post": "I will drive more carefully.",
                         "3m": "I drive more carefully than before the session.",
                         "12m": "I drive more carefully than before the session."}}
    waves = ["post", "3m", "12m"]
    matched, unmatched = comparisons(frame, flags, {"careful": "I will drive more carefully."}, waves, 5, words,
                                     words)
    expected = ["I will drive more carefully.", "I will drive more carefully.",
                "I drive more carefully than before the session."]
    assert [c.label for c in matched] == expected and [u.label for u in unmatched] == expected
    notes = nonresponse(frame, flags, {"careful": "I will drive more carefully."}, waves, 5, words)
    assert [n.label for n in notes] == expected
