"""Indicators computed per group and period against their targets (indicators.service), on a real database."""
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from surveyapp.datasets.frames import programme_scope, questionnaire_scope, response_frame
from surveyapp.errors import DomainError
from surveyapp.indicators import service
from surveyapp.indicators.models import Indicator
from surveyapp.indicators.results import FLAT, MET, NO_DATA, NOT_MET, UP
from surveyapp.stats import mean_interval, wilson_interval
from tests.reports.panel_seed import AGREE_POST, CAREFUL_LATER, FOLLOW_WORDING, FOLLOWERS, POST_WORDING
from tests.reports.seed import seed_responses

LIKERT = ("agree", "likert", True, 1, {"points": 5}, [])


def _values(**changes) -> dict:
    values = {"name": "Drives more carefully", "item_code": "careful_driving", "statistic": "share",
              "top_boxes": 2, "target": 0.85, "direction": "at_least", "dimension": "site", "period": "wave"}
    return values | changes


def _results(programme, db, min_n: int = 5, **changes):
    service.save_indicator(programme, _values(**changes))
    db.session.commit()
    with force_locale("en"):
        return service.programme_results(programme, "en", min_n)


def test_share_per_site_and_wave_against_its_target(close_to_panel, db):
    [result] = _results(close_to_panel.programme, db)
    assert result.periods == ["post-session", "follow-up"]
    assert len(result.rows) == 40 and result.dimension == "Site"
    post, follow = result.total.cells
    assert (post.n, post.value) == (1448, pytest.approx(AGREE_POST / 1448))
    assert (post.ci_low, post.ci_high) == pytest.approx(wilson_interval(AGREE_POST, 1448))
    assert post.status == MET and post.trend is None  # 89 % >= 85 %
    assert (follow.n, follow.value, follow.status) == (FOLLOWERS, pytest.approx(CAREFUL_LATER / FOLLOWERS), NOT_MET)
    # The follow-up asked in other words: no trend across the change of wording (#13), it is said instead.
    assert follow.trend is None and follow.change is None and follow.wording_changed
    # Each wave asked in its own words; never one wording for both.
    assert result.wordings == [("post-session", POST_WORDING["en"]), ("follow-up", FOLLOW_WORDING["en"])]


def test_site_cells_add_up_and_small_cells_are_suppressed_with_their_complement(close_to_panel, db):
    [result] = _results(close_to_panel.programme, db)
    post = [row.cells[0] for row in result.rows]
    assert sum(cell.n for cell in post) == 1448 and {cell.n for cell in post} == {36, 38}
    follow = [row.cells[1] for row in result.rows]
    # One site had 4 follow-up answers: hidden, and so is the smallest site shown, else 330 minus the rest tells.
    hidden = [cell for cell in follow if cell.suppressed]
    assert len(hidden) == 2 and all(cell.n is None and cell.value is None for cell in hidden)
    assert all(cell.status == NO_DATA for cell in hidden)
    shown = [cell for cell in follow if cell.n]
    assert sum(cell.n for cell in shown) == FOLLOWERS - 4 - min(cell.n for cell in shown)
    # Sites nobody of the follow-up came from: no answers, which is not "suppressed".
    empty = [cell for cell in follow if cell.n is None and not cell.suppressed]
    assert empty and all(cell.status == NO_DATA and cell.trend is None for cell in empty)
    assert result.not_asked == []


def test_mean_with_t_interval_per_quarter(close_to_panel, db):
    [result] = _results(close_to_panel.programme, db, item_code="age", statistic="mean", target=20.0,
                        direction="at_most", dimension="all", period="quarter")
    assert result.periods == ["Q1 2025", "Q4 2025"] and result.total is None
    [row] = result.rows
    q1, q4 = row.cells
    ages = [17 + n % 8 for n in range(1448)]
    mean = sum(ages) / len(ages)
    sd = (sum((a - mean) ** 2 for a in ages) / (len(ages) - 1)) ** 0.5
    assert (q1.n, q1.value) == (1448, pytest.approx(mean))
    assert (q1.ci_low, q1.ci_high) == pytest.approx(mean_interval(mean, sd, 1448))
    assert q1.status == NOT_MET  # 20.5 is above "at most 20"
    assert q4.status == NO_DATA and not q4.suppressed
    assert result.not_asked == ["Q4 2025"]  # the follow-up did not ask the age: not "n < 5", not "no answers"


def test_year_periods_trend_and_flat(make, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=[LIKERT])
    for year, agreeing in ((2024, 30), (2025, 30), (2026, 45)):  # 45 of 50: the 5 others are enough to show
        rows = [{"agree": 5 if n < agreeing else 1} for n in range(50)]
        seed_responses(questionnaire, rows, submitted_at=datetime(year, 5, 1, tzinfo=UTC))
    [result] = _results(programme, db, item_code="agree", dimension="all", period="year", target=0.7)
    assert result.periods == ["2024", "2025", "2026"]
    cells = result.rows[0].cells
    assert [cell.value for cell in cells] == pytest.approx([0.6, 0.6, 0.9])
    assert [cell.trend for cell in cells] == [None, FLAT, UP]
    assert [cell.status for cell in cells] == [NOT_MET, NOT_MET, MET]


def test_suppressed_below_min_n(make, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=[LIKERT])
    seed_responses(questionnaire, [{"agree": 5}] * 4)
    [result] = _results(programme, db, item_code="agree", dimension="all")
    assert result.periods == ["without a wave"]  # answers through the public link
    [cell] = result.rows[0].cells
    assert cell.suppressed and cell.n is None and cell.value is None and cell.status == NO_DATA
    [result] = service.programme_results(programme, "en", 4)
    assert result.rows[0].cells[0].n == 4


def test_rows_filtered_by_a_report_are_what_counts(close_to_panel, db):
    service.save_indicator(close_to_panel.programme, _values(dimension="all"))
    scope = programme_scope(close_to_panel.programme)
    frame = response_frame(scope)
    with force_locale("en"):
        [result] = service.report_results(scope, frame[frame["wave"] == "follow-up"], "en", 5)
    assert result.periods == ["follow-up"] and result.rows[0].cells[0].n == FOLLOWERS



def test_a_questionnaire_report_shows_only_indicators_on_its_items(close_to_panel, db):
    service.save_indicator(close_to_panel.programme, _values(item_code="age", statistic="mean", target=20.0,
                                                             name="Age"))
    service.save_indicator(close_to_panel.programme, _values())
    follow_up = questionnaire_scope(close_to_panel.follow_up)
    with force_locale("en"):
        results = service.report_results(follow_up, response_frame(follow_up), "en", 5)
    assert [result.item_code for result in results] == ["careful_driving"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"item_code": "nope"}, "No questionnaire of this programme has an item"),
    ({"statistic": "mean"}, "has no mean"),
    ({"item_code": "age"}, "does not report a share"),
    ({"target": 1.2}, "percentage from 0 to 100"),
    ({"top_boxes": 5}, "too few answer options"),
    ({"dimension": "gender"}, "from the lists"),
])
def test_an_indicator_is_checked_against_its_item(close_to_panel, db, changes, message):
    with force_locale("en"), pytest.raises(DomainError, match=message):
        service.save_indicator(close_to_panel.programme, _values(**changes))
    db.session.rollback()
    assert db.session.query(Indicator).count() == 0


def test_edit_and_delete(close_to_panel, db):
    indicator = service.save_indicator(close_to_panel.programme, _values())
    service.save_indicator(close_to_panel.programme, _values(target=0.9, name="Careful"), indicator)
    assert [(i.name, i.target) for i in service.programme_indicators(close_to_panel.programme.id)] == [("Careful", 0.9)]
    service.delete_indicator(indicator)
    assert service.programme_indicators(close_to_panel.programme.id) == []


def test_names_differing_only_in_whitespace_are_one_name_stored_normalised(close_to_panel, db):
    programme = close_to_panel.programme
    indicator = service.save_indicator(programme, _values(name="  3\u00a0months \t careful "))
    assert indicator.name == "3 months careful"
    for name in ("3 months careful", "3\u00a0months\u2003careful", "3  MONTHS careful"):
        with pytest.raises(DomainError):
            service.save_indicator(programme, _values(name=name))
    assert [i.name for i in service.programme_indicators(programme.id)] == ["3 months careful"]


def test_per_session_n_never_exceeds_the_session(close_to_panel, db):
    [result] = _results(close_to_panel.programme, db, dimension="session")
    assert result.dimension == "Session" and len(result.rows) == 40
    assert result.rows[0].group == "2025-03-01 Fahrschule 01"
    assert max(row.cells[0].n for row in result.rows) == 38 and result.total.cells[0].n == 1448



def test_small_groups_adding_up_to_less_than_min_n_take_the_next_smallest_with_them(app):
    """Sites of 12, 1, 1 and 15 and the total 29: 29 − 12 − 15 = 2 would tell both small ones; the 12 go too,
    by the reports' rule (#13)."""
    import pandas as pd

    indicator = Indicator(**_values(target=0.5))
    sizes = {"Graz": 12, "Linz": 1, "Steyr": 1, "Wien": 15}
    answered = pd.DataFrame({"value": [True] * 29, "period": ["w1"] * 29,
                             "group": [site for site, n in sizes.items() for _ in range(n)]})
    periods = [("w1", "w1")]
    with force_locale("en"):
        cells = {site: service._cells(indicator, answered[answered["group"] == site], periods, 5)
                 for site in sizes}
        service._hide_complement(cells, periods, answered, 5)
    assert [cells[site][0].n for site in sizes] == [None, None, None, 15]
    assert all(cells[site][0].suppressed and cells[site][0].value is None for site in ("Graz", "Linz", "Steyr"))
