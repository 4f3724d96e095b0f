"""Implausibly fast and repeated kiosk submissions: flagged, left out of datasets and reports, shown in the list."""
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import select

from surveyapp.datasets.frames import Filters, questionnaire_scope, response_frame
from surveyapp.indicators.models import Indicator
from surveyapp.indicators.service import programme_results
from surveyapp.kiosk import flags
from surveyapp.reports.service import ReportOptions, build_report
from surveyapp.responses.models import Response
from tests.kiosk.conftest import answers, sign_in

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def ms(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))


def test_timing_believes_the_tablet_clock_within_bounds():
    shown, sent = NOW - timedelta(seconds=42), NOW - timedelta(hours=3)
    assert flags.timing({"shown_ms": ms(sent - timedelta(seconds=42)), "sent_ms": ms(sent)}, NOW) == \
        flags.Timing(sent, 42)
    assert flags.timing({"shown_ms": ms(shown)}, NOW) == flags.Timing(NOW, 42)  # without JavaScript
    future = flags.timing({"shown_ms": ms(NOW), "sent_ms": ms(NOW + timedelta(hours=1))}, NOW)
    assert future.sent == NOW
    assert flags.timing({"shown_ms": "x", "sent_ms": "-5"}, NOW) == flags.Timing(NOW, None)


def test_reasons():
    assert flags.reason(2.9, 2, repeated=False) == "fast"
    assert flags.reason(3.0, 2, repeated=False) is None
    assert flags.reason(0, 0, repeated=False) is None  # nothing answered: nothing to judge


def test_a_repeat_counts_only_when_the_second_submission_is_quick_too():
    """Same answers at the counter are common; same answers in under 3 s per answered item are not."""
    assert flags.reason(5.9, 2, repeated=True) == "repeat"
    assert flags.reason(6.0, 2, repeated=True) is None  # 2 x 3 s: a quick but real respondent
    assert flags.reason(2.9, 2, repeated=True) == "fast"
    assert flags.reason(None, 2, repeated=True) is None  # duration unknown: nothing to judge


def test_fast_and_repeated_submissions_are_flagged_and_left_out(app, kiosk, db, manager, questionnaire):
    start = datetime.now(UTC) - timedelta(minutes=10)

    def send(at: datetime, seconds: float, **given):
        form = answers(kiosk, shown_ms=ms(at - timedelta(seconds=seconds)), sent_ms=ms(at), **given)
        assert kiosk.post("/k/", data=form).status_code == 303

    same = {"handled": "2", "resolved": "no"}
    send(start, 1)  # two answers in a second
    send(start + timedelta(minutes=2), 30, **same)
    send(start + timedelta(minutes=2, seconds=20), 25, **same)  # the same, but a person took 25 s over it
    send(start + timedelta(minutes=2, seconds=50), 5, **same)  # the same again 30 s later, in 5 s: a repeat
    send(start + timedelta(minutes=3, seconds=20, milliseconds=1), 5, **same)  # 30.001 s later: not within 30 s
    send(start + timedelta(minutes=6), 25, **same)
    reasons = db.session.scalars(select(Response.flag_reason).order_by(Response.submitted_at)).all()
    assert reasons == ["fast", None, None, "repeat", None, None]

    scope = questionnaire_scope(questionnaire)
    assert len(response_frame(scope)) == 4
    assert len(response_frame(scope, Filters(flagged=True))) == 6
    with force_locale("en"):
        report = build_report(scope, ReportOptions(lang="en", min_n=1))
        indicator = Indicator(programme_id=questionnaire.programme_id, name="Resolved", item_code="resolved",
                              statistic="share", top_boxes=1, target=0.5, dimension="all", period="year")
        db.session.add(indicator)
        db.session.flush()
        [result] = programme_results(questionnaire.programme, "en", min_n=1)
    assert "2 responses were left out as implausible" in " ".join(report.notes)
    assert report.method[0].n == 4
    assert [cell.n for row in result.rows for cell in row.cells] == [4]  # indicators leave them out too

    staff = sign_in(app.test_client(), manager)
    listing = staff.get(f"/manage/questionnaires/{questionnaire.id}/responses").get_data(as_text=True)
    assert "too fast" in listing and "repeated" in listing
