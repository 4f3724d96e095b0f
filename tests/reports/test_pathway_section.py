"""The report's outcome-pathway section on the Close To panel: per stage and wave, never pooled; the warning."""
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.datasets.frames import programme_scope
from surveyapp.demo import PROGRAMME_CODE
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires import service as builder
from surveyapp.reports.service import ReportOptions, build_report, report_pdf
from tests.reports.test_service import pdf_text

LOGIC_MODEL = {"post": {"attention": "output", "careful_driving": "short_term", "age": "short_term"},
               "follow_up": {"careful_driving": "long_term", "changed_driving": "long_term"}}
WARNING = "This pathway has outcome data but no output data"


def _tag(db, panel, stages: dict[str, dict[str, str]], pathway: str | None = None) -> None:
    panel.programme.pathway = pathway
    for questionnaire in (panel.post, panel.follow_up):
        for item in questionnaire.items:
            builder.set_item_stage(item, stages.get(_name(panel, questionnaire), {}).get(item.code))
    db.session.commit()


def _name(panel, questionnaire) -> str:
    return "post" if questionnaire is panel.post else "follow_up"


def _report(panel):
    with force_locale("en"):
        return build_report(programme_scope(panel.programme), ReportOptions(lang="en"), today=date(2026, 1, 15))


def _section(panel) -> str:
    text = pdf_text(report_pdf(programme_scope(panel.programme), ReportOptions(lang="en"), today=date(2026, 1, 15)))
    return text[text.index("Outcome pathway\n"):]


@pytest.fixture
def panel(close_to_panel, db):
    _tag(db, close_to_panel, LOGIC_MODEL)
    return close_to_panel


def test_one_block_per_stage_and_wave_in_pathway_order_each_with_its_waves_items(panel):
    pathway = _report(panel).pathway
    assert pathway.model == "Logic model" and pathway.warnings == []
    blocks = [(stage, wave, [item.code for item in items]) for stage, wave, items in pathway.stages]
    assert blocks == [("Output", "post-session", ["attention"]), ("Output", "follow-up", []),
                      ("Short-term outcome", "post-session", ["careful_driving", "age"]),
                      ("Short-term outcome", "follow-up", []),
                      ("Long-term outcome", "post-session", []),
                      ("Long-term outcome", "follow-up", ["changed_driving", "careful_driving"])]


def test_each_wave_counts_its_own_answers_with_its_own_wording(panel):
    figures = {(wave, item.code): item for _stage, wave, items in _report(panel).pathway.stages for item in items}
    post, later = figures["post-session", "careful_driving"], figures["follow-up", "careful_driving"]
    assert (post.agreement.k, post.n, post.question) == (1289, 1448, "I will drive more carefully.")
    assert (later.agreement.k, later.n) == (264, 330)
    assert later.question == "I drive more carefully than before the session."
    assert figures["follow-up", "changed_driving"].agreement.k == 238
    age = figures["post-session", "age"]
    assert age.agreement is None and age.summary.n == 1448 and age.summary.mean == pytest.approx(20.5, abs=0.1)


def test_the_pdf_prints_the_section_per_stage_and_wave(panel):
    section = _section(panel)
    order = ["Model: Logic model.", "Output", "Wave: post-session", "The session held my attention.",
             "Wave: follow-up", "Not asked in this wave.", "Short-term outcome", "I will drive more carefully.",
             "89%", "Mean 20.5", "Long-term outcome", "The session changed how I drive.", "72%",
             "I drive more carefully than before the session.", "80%"]
    positions = [section.index(text) for text in order]
    assert positions == sorted(positions)
    assert "1,448" in section and "330" in section and "1,778" not in section
    assert WARNING not in section


def test_outcome_items_without_output_items_bring_the_warning(close_to_panel, db):
    _tag(db, close_to_panel, {"follow_up": {"changed_driving": "long_term"}})
    [warning] = _report(close_to_panel).pathway.warnings
    assert warning.startswith(f"{WARNING}: “Long-term outcome” answered, while no item of “Output” has any answer")
    assert WARNING in " ".join(_section(close_to_panel).split())


def test_an_output_stage_nobody_answered_is_no_output_data(close_to_panel, db):
    _tag(db, close_to_panel, {"post": {"careful_driving": "short_term", "comment": "output"}})
    [warning] = _report(close_to_panel).pathway.warnings
    assert "“Short-term outcome” answered" in warning


def test_phineo_labels_and_order(close_to_panel, db):
    _tag(db, close_to_panel, {"post": {"attention": "phineo_3", "careful_driving": "phineo_4"},
                              "follow_up": {"careful_driving": "phineo_5"}}, pathway="phineo")
    pathway = _report(close_to_panel).pathway
    assert pathway.model == "PHINEO impact staircase (Wirkungstreppe)" and pathway.warnings == []
    assert [stage for stage, wave, _items in pathway.stages if wave == "follow-up"] == [
        "3 Target groups accept the offer", "4 Target groups change awareness or skills",
        "5 Target groups change their behaviour"]
    section = " ".join(_section(close_to_panel).split())
    assert "Model: PHINEO impact staircase (Wirkungstreppe)." in section
    assert section.index("4 Target groups change awareness or skills") < section.index(
        "5 Target groups change their behaviour")


def test_no_section_without_a_tagged_item(close_to_panel, db):
    _tag(db, close_to_panel, {})
    assert _report(close_to_panel).pathway is None
    text = pdf_text(report_pdf(programme_scope(close_to_panel.programme), ReportOptions(lang="en")))
    assert "Outcome pathway" not in text


def test_the_web_report_shows_the_section_and_its_warning(client, make, auth, db, close_to_panel):
    _tag(db, close_to_panel, {"post": {"careful_driving": "short_term"}})
    auth.login(make.user(Role.EVALUATOR, close_to_panel.programme).email)
    page = client.get(f"/manage/programmes/{close_to_panel.programme.id}/report").get_data(as_text=True)
    assert "Outcome pathway" in page and "Short-term outcome" in page and WARNING in page
    assert "Wave: follow-up" in page and "Not asked in this wave." in page


def test_the_demo_report_shows_its_pathway(runner, db):
    assert runner.invoke(args=["demo", "--responses", "40"]).exit_code == 0
    programme = db.session.scalar(select(Programme).where(Programme.code == PROGRAMME_CODE))
    with force_locale("en"):
        pathway = build_report(programme_scope(programme), ReportOptions(lang="en")).pathway
    stages = {stage for stage, _wave, items in pathway.stages if items}
    assert stages == {"Output", "Short-term outcome", "Long-term outcome"} and pathway.warnings == []
