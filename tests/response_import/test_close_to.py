"""A Close To-sized panel's earlier answers imported through the CLI into two waves of one programme: 1,448
post-session rows (CSV) and 330 follow-up rows (SPSS, with value labels) sharing panel codes. The programme
report then compares the waves on the matched panel codes, as for answers given in surveyapp, and its method
page says which responses were imported from which file.

The numbers follow tests/reports/panel_seed.py: 1,289 of 1,448 agree after the session (89 %); of the 330 who
answered the follow-up, 300 had agreed after the session (91 %), 238 say the session changed how they drive
(72 %) and 264 drive more carefully (80 %).
"""
import csv
import time

import pandas as pd
import pyreadstat
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from surveyapp.datasets.frames import programme_scope
from surveyapp.demo import build_questionnaire
from surveyapp.reports.service import ReportOptions, report_pdf
from surveyapp.responses.models import Response
from surveyapp.waves.models import Invitation, Wave
from tests.reports.panel_seed import _follow_up_questionnaire
from tests.reports.test_service import pdf_text

LEARNERS, AGREE_POST, FOLLOWERS, AGREE_FOLLOWERS_POST, CHANGED, CAREFUL_LATER = 1448, 1289, 330, 300, 238, 264
SCHOOLS = ["wien", "Fahrschule Graz", "LINZ"]  # codes and labels, as earlier spreadsheets hold them


def write_post_session(path) -> None:
    """1,448 rows × 10 columns; every fourth learner (the first 330) answers the follow-up later."""
    followers = set(range(0, 4 * FOLLOWERS, 4))
    agreeing = set(sorted(followers)[:AGREE_FOLLOWERS_POST])
    agreeing |= set(sorted(set(range(LEARNERS)) - followers)[:AGREE_POST - AGREE_FOLLOWERS_POST])
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["id", "panel_code", "submitted_at", "attention", "risk_aware", "careful_driving",
                      "remember_story", "age", "Geschlecht", "driving_school"])
        for n in range(LEARNERS):
            out.writerow([f"post-{n}", f"ct{n:05d}", f"2025-03-{10 + n % 5} 12:00", 5, 4,
                          5 if n in agreeing else 2, 4, 17 + n % 8, "weiblich" if n % 2 else "m", SCHOOLS[n % 3]])


def write_follow_up(path) -> None:
    """330 rows; SPSS value labels name the scale points as the old questionnaire did."""
    codes = [f"CT{n:05d}" for n in range(0, 4 * FOLLOWERS, 4)]
    frame = pd.DataFrame({
        "panel_code": codes,
        "submitted_at": ["2025-11-20"] * FOLLOWERS,
        "changed_driving": [4.0 if n < CHANGED else 2.0 for n in range(FOLLOWERS)],
        "careful_driving": [5.0 if n < CAREFUL_LATER else 3.0 for n in range(FOLLOWERS)],
    })
    labels = {1.0: "1", 2.0: "2", 3.0: "3", 4.0: "4", 5.0: "5"}
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"changed_driving": labels,
                                                                  "careful_driving": labels})


def run_import(runner, path, slug: str, wave: str):
    return runner.invoke(args=["responses", "import", str(path), "--questionnaire", slug, "--wave", wave,
                               "--map", "Geschlecht=gender"])


@pytest.fixture
def imported(make, db, runner, tmp_path):
    programme = make.programme(code="closeto", name="Close To")
    post, follow_up = build_questionnaire(programme), _follow_up_questionnaire(programme)
    db.session.commit()
    write_post_session(tmp_path / "post-session.csv")
    write_follow_up(tmp_path / "follow-up.sav")
    # the later wave first: the report orders waves by when they were fielded, not by when they were created
    second = run_import(runner, tmp_path / "follow-up.sav", follow_up.slug, "follow-up")
    started = time.perf_counter()
    first = run_import(runner, tmp_path / "post-session.csv", post.slug, "post-session")
    seconds = time.perf_counter() - started
    assert (first.exit_code, second.exit_code) == (0, 0), first.output + second.output
    db.session.expire_all()
    return programme, seconds, first.output, tmp_path, post


def test_the_panel_imports_fast_into_two_waves_and_the_report_compares_them(imported, db, runner):
    programme, seconds, output, tmp_path, post = imported
    assert "1448 rows to import, 0 already imported, 1118 new panel codes, 0 problems." in output  # 330 known
    if db.engine.dialect.name == "sqlite":  # the target; PostgreSQL takes about twice as long here (a server)
        assert seconds < 5, f"importing 1,448 rows × 10 columns took {seconds:.1f} s"
    print(f"import of 1,448 rows × 10 columns: {seconds:.2f} s")
    waves = {wave.name: wave for wave in db.session.scalars(select(Wave))}
    assert list(waves) == ["follow-up", "post-session"]  # created in this order
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    per_wave = dict(db.session.execute(select(Response.wave_id, func.count()).group_by(Response.wave_id)).all())
    assert per_wave == {waves["post-session"].id: 1448, waves["follow-up"].id: 330}

    again = run_import(runner, tmp_path / "post-session.csv", post.slug, "post-session")
    assert again.exit_code == 0 and "0 rows to import, 1448 already imported" in again.output
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1778

    with force_locale("en"):
        text = " ".join(pdf_text(report_pdf(programme_scope(programme), ReportOptions(lang="en"))).split())
    assert ("I will drive more carefully. In follow-up: “I drive more carefully than before the session.” "
            "330 91% 80% – 36 0 not tested: the waves asked this in different words –") in text
    assert ("“I will drive more carefully.”: of those who answered follow-up (n = 330), 91% agreed in "
            "post-session, against 89% of all post-session respondents (n = 1,448).") in text
    # imported waves sent no invitations: fielded when their answers were submitted, no response rate
    assert "post-session Mar 10, 2025 – Mar 14, 2025 – 1,448 – – follow-up Nov 20, 2025" in text
    assert "1,448 responses were imported from earlier data collection (file post-session.csv)." in text
    assert "330 responses were imported from earlier data collection (file follow-up.sav)." in text
