"""The report PDF's indicator section (reports.pdf_indicators), parsed back with pypdf on the Close To panel."""
from datetime import date

from surveyapp.datasets.frames import programme_scope
from surveyapp.indicators import service
from surveyapp.reports.service import ReportOptions, report_pdf
from tests.reports.test_service import pdf_text

CAREFUL = {"name": "Drives more carefully", "item_code": "careful_driving", "statistic": "share", "top_boxes": 2,
           "target": 0.85, "direction": "at_least", "dimension": "site", "period": "wave"}


def _pdf(panel, db, lang: str = "en", **changes) -> str:
    service.save_indicator(panel.programme, CAREFUL | changes)
    db.session.commit()
    return pdf_text(report_pdf(programme_scope(panel.programme), ReportOptions(lang=lang), today=date(2026, 1, 15)))


def test_careful_driving_per_site_and_wave_against_85_percent(close_to_panel, db):
    text = _pdf(close_to_panel, db)
    section = text[text.index("Indicators\n"):]
    assert "Drives more carefully" in section and "Target: ≥ 85%" in section
    assert "Asked in post-session as: “I will drive more carefully.”" in section
    assert "Asked in follow-up as: “I drive more carefully than before the session.”" in section
    flat = " ".join(section.split())
    # Everyone, per wave: 89 % after the session (met), 80 % at follow-up (not met; asked in other words, so
    # no trend arrow across the waves, #13).
    assert "89% (87.3–90.5) · n = 1,448 · ✓ target met" in flat
    assert "80% (75.4–84.0) · n = 330 · ✗ target not met · wording changed" in flat and "↓" not in flat
    assert "Fahrschule 01" in flat and "Fahrschule 40" in flat and "n < 5" in flat


def test_a_target_with_a_decimal_and_a_value_near_it_print_so_the_mark_agrees(close_to_panel, db):
    """89.02 % against “at least 89.1 %”: not “89 %” and “≥ 89 %” beside “target not met” (#13)."""
    text = _pdf(close_to_panel, db, target=0.891, dimension="all")
    flat = " ".join(text[text.index("Indicators\n"):].split())
    assert "Target: ≥ 89.1%" in flat and "89.0% (87.3–90.5) · n = 1,448 · ✗ target not met" in flat


def test_mean_indicator_in_german(close_to_panel, db):
    text = _pdf(close_to_panel, db, lang="de", item_code="age", statistic="mean", target=20.0,
                direction="at_most", dimension="all", period="year", name="Alter")
    flat = " ".join(text[text.index("Alter"):].split())
    assert "≤ 20 " in flat + " " and "20,50 (20,38–20,62)" in flat and "n = 1.448" in flat


def test_a_wave_that_did_not_ask_the_item_says_so(close_to_panel, db):
    text = _pdf(close_to_panel, db, item_code="age", statistic="mean", target=20.0, dimension="all", name="Age")
    flat = " ".join(text[text.index("Age"):].split())
    assert "post-session follow-up" in flat and "not asked" in flat


def test_no_indicators_no_section(close_to_panel):
    text = pdf_text(report_pdf(programme_scope(close_to_panel.programme), ReportOptions(), today=date(2026, 1, 15)))
    assert "Indicators\n" not in text


def test_a_long_unbroken_name_is_hyphenated_within_the_page(close_to_panel, db):
    """A 200-character name with no space: broken into page-wide lines, none a lone hyphen (#13)."""
    name = "Drivesmorecarefully" * 10 + "x" * 10
    text = _pdf(close_to_panel, db, name=name, dimension="all")
    section = text[text.index("Indicators\n"):]
    lines = section[section.index(name[:30]):].splitlines()[:4]
    joined = "".join(line.removesuffix("-") for line in lines[:3])
    assert joined == name and all(len(line) < 90 and line.strip() not in {"-", "‐"} for line in lines)
