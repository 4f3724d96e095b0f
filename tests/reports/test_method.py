"""The method page, the matched comparison's discordant pairs and test, and the non-response note."""

import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from surveyapp.datasets.frames import programme_scope
from surveyapp.reports.service import ReportOptions, build_report, report_pdf
from tests.reports.test_service import pdf_text


def flat(text: str) -> str:
    """PDF text with line breaks inside table cells undone."""
    return re.sub(r"\s+", " ", text)


def report(panel, lang="en"):
    with force_locale(lang):
        return build_report(programme_scope(panel.programme), ReportOptions(lang=lang))


def test_method_rows_per_wave(close_to_panel):
    rows = {row.wave: row for row in report(close_to_panel).method}
    post, later = rows["post-session"], rows["follow-up"]
    assert (post.invited, post.n, post.response_rate) == (1448, 1448, 1.0)
    assert (later.invited, later.n, round(later.response_rate * 100, 1)) == (1448, 330, 22.8)
    assert later.retained == 330 and post.retained is None
    assert post.fielded == "Mar 8, 2025 – Mar 29, 2025"


def test_wave_not_yet_sent_and_cancelled_wave(close_to_panel, db):
    from surveyapp.participants.models import Participant
    from surveyapp.waves.models import Invitation, Wave

    panel = close_to_panel
    panel.follow_wave.cancelled_at = datetime(2025, 11, 25, tzinfo=UTC)
    later = Wave(programme_id=panel.programme.id, name="one year", position=2,
                 questionnaire_id=panel.follow_up.id, offset_months=12)
    db.session.add(later)
    db.session.flush()
    someone = db.session.scalar(select(Participant.id).where(Participant.programme_id == panel.programme.id))
    db.session.add(Invitation(wave_id=later.id, participant_id=someone, token_salt="s",
                              token_hash="unsent", due_at=datetime(2026, 3, 1, tzinfo=UTC),
                              closes_at=datetime(2026, 3, 22, tzinfo=UTC)))
    db.session.commit()
    rows = {row.wave: row for row in report(panel).method}
    assert rows["follow-up"].invited == 1448  # a cancelled wave's invitations were sent all the same
    assert rows["follow-up"].fielded == "Nov 18, 2025 – Nov 25, 2025 (cancelled)"
    assert (rows["one year"].fielded, rows["one year"].invited, rows["one year"].response_rate) == (None, None, None)


def test_wordings_per_wave(close_to_panel):
    wordings = {w.code: [(x.wave, x.text) for x in w.wordings] for w in report(close_to_panel).wordings}
    assert wordings["careful_driving"] == [("post-session", "I will drive more carefully."),
                                           ("follow-up", "I drive more carefully than before the session.")]


def test_matched_comparison_and_nonresponse_note(close_to_panel):
    data = report(close_to_panel)
    careful = next(c for c in data.comparisons if c.label == "I will drive more carefully.")
    # Two questions (“I will …” after the session, “I drive … than before” later): counted, never tested.
    assert careful.matched_n == 330 and (careful.b, careful.c) == (36, 0) and careful.reworded
    assert careful.p_value is None and careful.method is None
    note = next(n for n in data.nonresponse if n.label == "I will drive more carefully.")
    assert (note.respondents.k, note.respondents.n) == (300, 330)
    assert (note.everyone.k, note.everyone.n) == (1289, 1448)


@pytest.fixture
def english_pdf(close_to_panel):
    with force_locale("en"):
        return flat(pdf_text(report_pdf(programme_scope(close_to_panel.programme), ReportOptions(lang="en"))))


def test_pdf_method_page(english_pdf, close_to_panel):
    text = english_pdf
    assert re.search(r"post-session Mar 8, 2025 – Mar 29, 2025 1,448 1,448 100.0%", text)
    assert re.search(r"follow-up Nov 18, 2025 – Dec 9, 2025 1,448 330 22.8% 330", text)
    assert "careful_driving post-session “I will drive more carefully.”" in text
    assert "careful_driving follow-up “I drive more carefully than before the session.”" in text
    assert "Intervals are 95% Wilson score intervals" in text
    assert "exact (binomial) when fewer than 25" in text
    assert "secondary suppression" in text
    assert "0.000" not in text


def test_pdf_comparison_names_pairs_test_and_self_selection(english_pdf, close_to_panel):
    careful = next(c for c in report(close_to_panel).comparisons if c.label == "I will drive more carefully.")
    text = english_pdf
    assert (careful.b, careful.c) == (36, 0)  # 300 agreed after the session, 264 later: none came round
    row = ("I will drive more carefully. In follow-up: “I drive more carefully than before the session.” "
           "330 91% 80% – 36 0 not tested: the waves asked this in different words –")
    assert row in text
    assert "McNemar χ²" not in text and "−10.9 pp" not in text
    assert "Where the two waves asked an item in different words" in text
    assert ("“I will drive more carefully.”: of those who answered follow-up (n = 330), 91% agreed in "
            "post-session, against 89% of all post-session respondents (n = 1,448).") in text
    # Items only one wave asked are not compared (and never shown as "n < 5" there).
    assert "“The session held my attention.”: of those" not in text
    assert not re.search(r"The session held my attention\. n < 5", text)


def test_german_pdf_numbers_and_wordings(close_to_panel):
    with force_locale("de"):
        text = flat(pdf_text(report_pdf(programme_scope(close_to_panel.programme), ReportOptions(lang="de"))))
    assert re.search(r"post-session \d\d?\.\d\d\.\d{4} – \d\d?\.\d\d\.\d{4} 1\.448 1\.448 100,0 %", text)
    assert "1.448 330 22,8 % 330" in text
    assert "„Ich werde vorsichtiger fahren.“" in text  # German quotation marks, from the catalogue
    assert "„Ich fahre vorsichtiger als vor der Session.“" in text and "“Ich" not in text
    assert "0,000" not in text and "< 0,001" not in text  # the waves' two questions are not tested
    assert re.search(r"91 %.*89 %", text)


def test_web_page_shows_method_pairs_and_self_selection(client, make, auth, close_to_panel):
    from surveyapp.accounts.models import Role

    programme = close_to_panel.programme
    auth.login(make.user(Role.EVALUATOR, programme=programme).email)
    html = flat(client.get(f"/manage/programmes/{programme.id}/report?ui=en").get_data(as_text=True))
    assert re.search(r"<td>follow-up</td><td>Nov 18, 2025 – Dec 9, 2025</td><td>1,448</td><td>330</td>"
                     r"<td>22.8%</td>", html)
    assert "<td>“I drive more carefully than before the session.”</td>" in html
    assert "<td>36</td><td>0</td><td>not tested: the waves asked this in different words</td><td>–</td>" in html
    assert "McNemar χ²" not in html.split("Wave comparison", 1)[1].split("Who answered", 1)[0]
    assert "In follow-up: “I drive more carefully than before the session.”</span></td><td>post-session" in html
    assert ("“I will drive more carefully.”: of those who answered follow-up (n = 330), 91% agreed in "
            "post-session, against 89% of all post-session respondents (n = 1,448).") in html
    assert "secondary suppression" in html and "0.000" not in html


def test_filters_narrow_the_method_page(close_to_panel):
    from datetime import date

    from surveyapp.datasets.frames import Filters

    scope = programme_scope(close_to_panel.programme)
    with force_locale("en"):
        one = build_report(scope, ReportOptions(lang="en", filters=Filters(wave="follow-up")))
        dated = build_report(scope, ReportOptions(lang="en", filters=Filters(date_from=date(2025, 11, 1))))
    assert [(row.wave, row.n) for row in one.method] == [("follow-up", 330)]
    assert {(w.code, x.wave) for w in one.wordings for x in w.wordings} == {
        ("careful_driving", "follow-up"), ("changed_driving", "follow-up")}
    assert dated.computation[0] == ("Only responses submitted from Nov 1, 2025 to … are counted; "
                                    "response rates are of these.")
    assert not one.computation[0].startswith("Only responses")


def test_exact_test_named_and_p_never_zero():
    from surveyapp.reports.model import MatchedComparison, ReportData
    from surveyapp.reports.pdf import render_pdf

    rows = [MatchedComparison("Small change", "T1", "T2", 40, 0.5, 0.6, 0.1, 2, 6, 0.2891, "exact"),
            MatchedComparison("Big change", "T1", "T2", 40, 0.1, 0.9, 0.8, 0, 32, 0.00000002, "chi2-cc")]
    report = ReportData("Report", "Programme", "2025", ["T1", "T2"], "Everyone", method=[], parts=[],
                        comparisons=rows)
    text = flat(pdf_text(render_pdf(report)))
    assert "Small change 40 50% 60% +10.0 pp 2 6 McNemar exact (binomial) 0.289" in text
    assert "Big change 40 10% 90% +80.0 pp 0 32 McNemar χ² with continuity correction < 0.001" in text
    assert "0.000" not in text
