"""Scoring and agreement on textbook numbers: no database, no app."""
import pytest

from surveyapp.mystery.scoring import Scored, agreement, cohen_kappa, fraction, score


def table(both_yes: int, yes_no: int, no_yes: int, both_no: int) -> list[tuple[str, str]]:
    """Two raters' pairs from a 2 × 2 table (first rater's value first)."""
    return ([("yes", "yes")] * both_yes + [("yes", "no")] * yes_no + [("no", "yes")] * no_yes
            + [("no", "no")] * both_no)


@pytest.mark.parametrize(("kind", "value", "earned"), [
    ("yes_no_na", "yes", 1.0), ("yes_no_na", "no", 0.0), ("yes_no_na", "na", None),
    ("rating_1_5", "1", 0.0), ("rating_1_5", "3", 0.5), ("rating_1_5", "4", 0.75), ("rating_1_5", "5", 1.0),
])
def test_each_value_earns_its_share_of_the_points(kind, value, earned):
    assert fraction(kind, value) == earned


def test_score_is_points_over_the_applicable_maximum():
    # yes on 2 points, no on 1, n/a on 5 (left out), rating 4 on 2 points: (2 + 0 + 1.5) / (2 + 1 + 2)
    result = score([Scored(2, 1.0), Scored(1, 0.0), Scored(5, None), Scored(2, 0.75)])
    assert (result.earned, result.maximum, result.answers) == (3.5, 5, 3)
    assert result.share == pytest.approx(0.7)


def test_nothing_applicable_has_no_score():
    assert score([Scored(3, None)]).share is None
    assert score([]).share is None


@pytest.mark.parametrize(("counts", "kappa"), [
    ((20, 5, 10, 15), 0.4),  # Wikipedia, "Cohen's kappa", simple example: p_o 0.7, p_e 0.5
    ((45, 15, 25, 15), 0.1304),  # the same p_o 0.6 …
    ((25, 35, 5, 35), 0.2593),  # … and a different kappa: its marginals are unbalanced
])
def test_kappa_matches_the_textbook(counts, kappa):
    assert cohen_kappa(table(*counts)) == pytest.approx(kappa, abs=5e-5)


def test_kappa_of_perfect_and_of_chance_agreement():
    assert cohen_kappa(table(10, 0, 0, 10)) == pytest.approx(1.0)
    assert cohen_kappa(table(5, 5, 5, 5)) == pytest.approx(0.0)


def test_kappa_on_more_categories_and_na():
    # a 3 × 3 table by hand: p_o = 7/10; both raters 5 yes, 3 no, 2 n/a, so p_e = .25 + .09 + .04 = .38
    pairs = ([("yes", "yes")] * 4 + [("no", "no")] * 2 + [("na", "na")] * 1
             + [("yes", "no")] * 1 + [("no", "na")] * 1 + [("na", "yes")] * 1)
    assert cohen_kappa(pairs) == pytest.approx((0.7 - 0.38) / 0.62)


def test_one_category_only_leaves_kappa_undefined_but_agreement_known():
    result = agreement([("yes", "yes")] * 6)
    assert (result.n, result.agreeing, result.share, result.kappa) == (6, 6, 1.0, None)
    assert result.single_category


def test_no_pairs_have_no_agreement():
    result = agreement([])
    assert (result.n, result.share, result.kappa, result.single_category) == (0, None, None, False)
