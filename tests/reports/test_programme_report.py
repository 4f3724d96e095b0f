"""The programme report is per wave: each wave's respondents, items and wording; pooled only when asked for."""

import re

import pytest
from flask_babel import force_locale

from surveyapp.accounts.models import Role
from surveyapp.datasets.frames import programme_scope, questionnaire_scope
from surveyapp.reports.service import ReportOptions, build_report, report_pdf
from tests.reports.panel_seed import CHANGED_WORDING, FOLLOW_WORDING, POST_WORDING, SESSION_SIZES
from tests.reports.seed import seed_responses
from tests.reports.test_service import pdf_text

POST_ONLY = {"attention", "risk_aware", "remember_story", "age", "gender", "driving_school", "comment"}


def _report(scope, lang="en", **options):
    with force_locale(lang):
        return build_report(scope, ReportOptions(lang=lang, **options))


def _flat(text: str) -> str:
    """The PDF's text with every run of whitespace as one space (wrapped lines joined)."""
    return " ".join(text.split())


def _section(part, code):
    [section] = [section for section in part.items if section.code == code]
    return section


def test_each_wave_is_its_own_part_with_its_own_items_and_wording(close_to_panel):
    report = _report(programme_scope(close_to_panel.programme))
    post, follow = report.parts
    assert (post.title, post.n, follow.title, follow.n) == ("post-session", 1448, "follow-up", 330)
    assert {section.code for section in follow.items} == {"changed_driving", "careful_driving"}
    assert POST_ONLY <= {section.code for section in post.items}
    assert _section(post, "careful_driving").question == POST_WORDING["en"]
    assert _section(follow, "careful_driving").question == FOLLOW_WORDING["en"]
    assert [(w.wave, w.text) for w in _section(post, "careful_driving").other_wordings] == [
        ("follow-up", FOLLOW_WORDING["en"])]
    assert [(w.wave, w.text) for w in _section(follow, "careful_driving").other_wordings] == [
        ("post-session", POST_WORDING["en"])]
    assert _section(follow, "careful_driving").n == 330 and _section(post, "careful_driving").n == 1448
    assert post.not_asked == [CHANGED_WORDING["en"]]
    assert len(follow.not_asked) == len(POST_ONLY) and not any(section.suppressed for section in follow.items)


def test_key_figures_are_per_wave_in_that_wave_s_words(close_to_panel):
    post, follow = _report(programme_scope(close_to_panel.programme)).parts
    before = next(f for f in post.key_figures if f.label == POST_WORDING["en"])
    after = next(f for f in follow.key_figures if f.label == FOLLOW_WORDING["en"])
    assert (before.result.k, before.result.n) == (1289, 1448)
    assert (after.result.k, after.result.n) == (264, 330)
    assert [f.label for f in follow.key_figures] == [CHANGED_WORDING["en"], FOLLOW_WORDING["en"]]


def test_breakdowns_are_per_wave_and_a_session_never_counts_more_than_its_learners(close_to_panel):
    parts = _report(programme_scope(close_to_panel.programme)).parts
    for part in parts:
        sessions = [table for table in part.breakdowns if table.dimension == "Session"]
        assert sessions, part.title
        counts = [row.result.n for table in sessions for row in table.rows if row.result.n is not None]
        assert max(counts) <= max(SESSION_SIZES)
        assert all(row.result.n <= part.n for table in part.breakdowns for row in table.rows if row.result.n)
    post_sessions = next(t for t in parts[0].breakdowns if t.dimension == "Session")
    assert sorted(row.result.n for row in post_sessions.rows) == sorted(SESSION_SIZES)
    assert not any(t.dimension == "Wave" for part in parts for t in part.breakdowns)


@pytest.mark.parametrize("lang, thousands", [("en", "1,448"), ("de", "1.448")])
def test_the_pdf_shows_each_wave_apart_and_no_pooled_table(close_to_panel, lang, thousands):
    text = _flat(pdf_text(report_pdf(programme_scope(close_to_panel.programme), ReportOptions(lang=lang))))
    pooled = "1,778" if lang == "en" else "1.778"
    assert pooled not in text and "1778" not in text
    assert thousands in text and "330" in text
    assert POST_WORDING[lang] in text and FOLLOW_WORDING[lang] in text and CHANGED_WORDING[lang] in text
    for figure in re.findall(r"n = ([\d.,]+)", text):  # every n printed is one wave's, never both together
        assert int(re.sub(r"[.,]", "", figure)) <= 1448


def test_the_follow_up_part_in_the_pdf_does_not_list_unasked_items_as_suppressed(close_to_panel):
    with force_locale("en"):
        pdf = report_pdf(programme_scope(close_to_panel.programme), ReportOptions(lang="en"))
    pages = [_flat(page) for page in pdf_text(pdf).split("\n") if page]
    text = " ".join(pages)
    start = text.index("follow-up Questionnaire")
    follow = text[start:text.index("Breakdowns", start)]
    assert "respondents: 330" in follow and "n < 5" not in follow
    assert "Not asked in this wave:" in follow
    assert f"In post-session: “{POST_WORDING['en']}”" in follow
    assert "All waves pooled" not in text


def test_pooling_only_when_asked_and_labelled(close_to_panel):
    scope = programme_scope(close_to_panel.programme)
    assert [part.title for part in _report(scope).parts] == ["post-session", "follow-up"]
    report = _report(scope, pool_waves=True)
    assert [part.title for part in report.parts] == ["post-session", "follow-up", "All waves pooled"]
    pooled = report.parts[-1]
    assert pooled.n == 1778 and "counts once in each" in pooled.note and pooled.not_asked == []
    assert _section(pooled, "careful_driving").n == 1778
    text = _flat(pdf_text(report_pdf(scope, ReportOptions(lang="en", pool_waves=True))))
    assert "All waves pooled" in text and "1,778" in text and "counts once in each" in text


def test_a_questionnaire_report_is_per_wave_too_with_the_public_link_apart(close_to_panel):
    seed_responses(close_to_panel.post, [{"careful_driving": 5, "attention": 4}] * 6)
    report = _report(questionnaire_scope(close_to_panel.post))
    assert [(part.title, part.n) for part in report.parts] == [
        ("post-session", 1448), ("Without a wave (public link)", 6)]
    public = report.parts[1]
    assert _section(public, "careful_driving").n == 6 and _section(public, "gender").suppressed
    assert public.not_asked == [] and _section(public, "careful_driving").other_wordings == []


def test_the_report_page_shows_the_same(client, make, auth, close_to_panel):
    programme = close_to_panel.programme
    auth.login(make.user(Role.EVALUATOR, programme=programme).email)
    url = f"/manage/programmes/{programme.id}/report?ui=en"
    html = client.get(url).get_data(as_text=True)
    assert "1,778" not in html and "1,448" in html and "respondents: 330" in html
    assert POST_WORDING["en"] in html and FOLLOW_WORDING["en"] in html
    assert "Not asked in this wave:" in html and "All waves pooled" not in html
    pooled = client.get(url + "&pool_waves=y").get_data(as_text=True)
    assert "All waves pooled" in pooled and "1,778" in pooled
    pdf = client.get(f"/manage/programmes/{programme.id}/report.pdf?ui=en&lang=de&pool_waves=y")
    assert pdf.status_code == 200 and "1.778" in _flat(pdf_text(pdf.data))


def test_the_cli_pools_waves_only_with_its_option(runner, close_to_panel, tmp_path):
    out = tmp_path / "report.pdf"
    code = close_to_panel.programme.code
    assert runner.invoke(args=["report", code, "--out", str(out)]).exit_code == 0
    assert "All waves pooled" not in _flat(pdf_text(out.read_bytes()))
    assert runner.invoke(args=["report", code, "--out", str(out), "--pool-waves"]).exit_code == 0
    assert "All waves pooled" in _flat(pdf_text(out.read_bytes()))


def test_a_report_without_responses_has_one_empty_part(make):
    questionnaire = make.questionnaire(items=[("agree", "likert", True, 1, {"points": 5}, [])])
    [part] = _report(questionnaire_scope(questionnaire)).parts
    assert (part.title, part.n, part.not_asked) == ("All respondents", 0, [])
    assert [(section.code, section.suppressed) for section in part.items] == [("agree", True)]
    assert part.key_figures[0].result.suppressed
