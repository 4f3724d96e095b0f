"""Report filters that match no response, or dates at the calendar's edge: a plain statement, never a 500; the
method page names only the questionnaires of the waves in the report; a pooled part counts as missing only the
respondents who were asked the item."""

from datetime import date
from html import unescape

import pytest
from flask_babel import force_locale

from surveyapp.accounts.models import Role
from surveyapp.datasets.frames import Filters, programme_scope, response_frame
from surveyapp.indicators import service as indicators
from surveyapp.questionnaires import service as builder
from surveyapp.reports.service import ReportOptions, build_report
from tests.reports.test_programme_report import _flat, _section
from tests.reports.test_service import pdf_text

NOBODY = "Nobody: no responses to"
NO_PART = "No responses: nobody submitted an answer that matches this report's wave and dates."
POST_TITLE = "Close To – feedback after the session"
FOLLOW_TITLE = "Close To – how are things today?"


@pytest.fixture
def tagged(db, close_to_panel):
    """The panel with single-choice, number and scale items on the pathway and an indicator per grouping."""
    stages = {"attention": "output", "gender": "output", "age": "short_term", "careful_driving": "short_term",
              "changed_driving": "long_term"}
    for questionnaire in (close_to_panel.post, close_to_panel.follow_up):
        for item in questionnaire.items:
            builder.set_item_stage(item, stages.get(item.code))
    for n, (dimension, period) in enumerate((("site", "wave"), ("session", "quarter"), ("all", "year"))):
        indicators.save_indicator(close_to_panel.programme, {
            "name": f"Careful {n}", "item_code": "careful_driving", "statistic": "share", "top_boxes": 2,
            "target": 0.8, "direction": "at_least", "dimension": dimension, "period": period})
    db.session.commit()
    return close_to_panel


def _login(auth, make, panel):
    auth.login(make.user(Role.EVALUATOR, programme=panel.programme).email)


@pytest.mark.parametrize("query", ["date_from=2026-11-30", "date_to=2025-01-01",
                                   "wave=follow-up&date_to=2025-06-01"])
def test_a_filter_matching_no_response_says_so_on_the_page_and_in_the_pdf(client, make, auth, tagged, query):
    _login(auth, make, tagged)
    for base in (f"/manage/programmes/{tagged.programme.id}/report",
                 f"/manage/questionnaires/{tagged.post.id}/report"):
        page = client.get(f"{base}?ui=en&{query}")
        assert page.status_code == 200, base
        html = unescape(page.get_data(as_text=True))
        assert NOBODY in html and NO_PART in html and "Outcome pathway" in html
        pdf = client.get(f"{base}.pdf?ui=en&lang=en&pool_waves=y&open_answers=y&{query}")
        assert pdf.status_code == 200, base
        assert NOBODY in _flat(pdf_text(pdf.data))


def test_an_empty_frame_gives_every_section(tagged):
    scope = programme_scope(tagged.programme)
    with force_locale("en"):
        report = build_report(scope, ReportOptions(lang="en", filters=Filters(date_from=date(2026, 11, 30)),
                                                   pool_waves=True, include_open_answers=True))
    [part] = report.parts
    assert (part.title, part.n, part.note) == ("All respondents", 0, NO_PART)
    assert report.population.startswith(NOBODY) and POST_TITLE in report.population
    assert report.pathway is not None and report.pathway.warnings == []
    assert [result.name for result in report.indicators] == ["Careful 0", "Careful 1", "Careful 2"]


def test_a_programme_without_questionnaires_says_nobody_was_asked(client, make, auth):
    programme = make.programme()
    auth.login(make.user(Role.EVALUATOR, programme=programme).email)
    html = unescape(client.get(f"/manage/programmes/{programme.id}/report?ui=en").get_data(as_text=True))
    assert "the programme has no questionnaire yet, so there are no responses" in html
    assert "Everyone who submitted ;" not in html and NO_PART in html and "Questionnaire “”" not in html
    text = _flat(pdf_text(client.get(f"/manage/programmes/{programme.id}/report.pdf?lang=en").data))
    assert "no questionnaire yet" in text and NO_PART in text and "Questionnaire “”" not in text


@pytest.mark.parametrize("query, n", [("date_to=9999-12-31", 1778), ("date_from=0001-01-01", 1778),
                                      ("date_from=9999-12-31", 0), ("date_from=0001-01-01&date_to=9999-12-31", 1778)])
def test_dates_at_the_calendar_s_edge_filter_as_dates(client, make, auth, close_to_panel, query, n):
    _login(auth, make, close_to_panel)
    base = f"/manage/programmes/{close_to_panel.programme.id}/report"
    page = client.get(f"{base}?ui=en&{query}")
    assert page.status_code == 200
    assert (NOBODY in page.get_data(as_text=True)) == (n == 0)
    assert client.get(f"{base}.pdf?ui=en&lang=en&{query}").status_code == 200
    questionnaire = client.get(f"/manage/questionnaires/{close_to_panel.post.id}/report.pdf?lang=en&{query}")
    assert questionnaire.status_code == 200


@pytest.mark.parametrize("zone", ["UTC", "Europe/Vienna", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_filter_bounds_at_the_calendar_s_edge(close_to_panel, zone):
    scope = programme_scope(close_to_panel.programme)
    edges = {(date.min, None): 1778, (None, date.max): 1778, (date.min, date.max): 1778, (date.max, None): 0,
             (None, date.min): 0}
    for (start, end), n in edges.items():
        filters = Filters(date_from=start, date_to=end, timezone=zone)
        assert len(response_frame(scope, filters)) == n, (zone, start, end)


def test_a_wave_filter_names_only_that_wave_s_questionnaire(close_to_panel):
    scope = programme_scope(close_to_panel.programme)
    with force_locale("en"):
        follow = build_report(scope, ReportOptions(lang="en", filters=Filters(wave="follow-up")))
        both = build_report(scope, ReportOptions(lang="en"))
    assert FOLLOW_TITLE in follow.population and POST_TITLE not in follow.population
    assert FOLLOW_TITLE in both.population and POST_TITLE in both.population


def test_pooled_missing_counts_only_those_asked(close_to_panel):
    with force_locale("en"):
        report = build_report(programme_scope(close_to_panel.programme), ReportOptions(lang="en", pool_waves=True))
    post, follow, pooled = report.parts
    # attention: asked after the session only (1,448 answered, all required); changed_driving: follow-up only
    assert (_section(pooled, "attention").n, _section(pooled, "attention").missing) == (1448, 0)
    assert (_section(pooled, "changed_driving").n, _section(pooled, "changed_driving").missing) == (330, 0)
    assert (_section(pooled, "careful_driving").n, _section(pooled, "careful_driving").missing) == (1778, 0)
    assert _section(pooled, "attention").n == _section(post, "attention").n
    assert _section(pooled, "changed_driving").n == _section(follow, "changed_driving").n
