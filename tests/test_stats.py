"""The shared interval estimates (surveyapp.stats): Wilson for shares, t for means."""
import math

import pytest

from surveyapp.stats import mean_interval, t_quantile, wilson_interval


@pytest.mark.parametrize(("df", "exact"), [(1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (9, 2.262),
                                            (29, 2.045), (100, 1.984), (10_000, 1.960)])
def test_t_quantile_matches_the_table(df, exact):
    assert t_quantile(df) == pytest.approx(exact, abs=0.001)


def test_mean_interval_is_symmetric_with_t():
    low, high = mean_interval(4.0, 1.0, 10)
    assert (low + high) / 2 == pytest.approx(4.0)
    assert high - 4.0 == pytest.approx(2.262 / math.sqrt(10), abs=1e-3)
    assert all(math.isnan(x) for x in mean_interval(4.0, math.nan, 1))


def test_wilson_lives_here_and_in_the_report_analysis():
    from surveyapp.reports.analysis import wilson_interval as reexported

    assert reexported is wilson_interval
    assert wilson_interval(1289, 1448) == pytest.approx((0.8731, 0.9049), abs=1e-3)
