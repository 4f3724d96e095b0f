"""Scores print rounded half up, in the locale's digits and percent sign."""
import pytest

from surveyapp.mystery.figures import Figures, half_up


@pytest.mark.parametrize(("value", "digits", "rounded"), [
    (62.5, 0, 63), (61.5, 0, 62), (0.285, 2, 0.29), (0.125, 2, 0.13), (-0.125, 2, -0.13), (71.4, 0, 71)])
def test_half_up(value, digits, rounded):
    assert half_up(value, digits) == rounded


def test_figures_in_english_and_german():
    assert Figures("en").percent(0.625) == "63%" and Figures("en").percent(None) == "–"
    assert Figures("de").percent(0.625) == "63\u00a0%" and Figures("de").decimal(0.125, 2) == "0,13"
