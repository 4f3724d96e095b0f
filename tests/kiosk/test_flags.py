"""Implausibly fast and repeated kiosk submissions: flagged, left out of datasets and reports, shown in the list."""
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import select

from surveyapp.datasets.frames import Filters, questionnaire_scope, response_frame
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
    assert flags.reason(None, 2, repeated=True) == "repeat"
    assert flags.reason(0, 0, repeated=False) is None  # nothing answered: nothing to judge


def test_fast_and_repeated_submissions_are_flagged_and_left_out(app, kiosk, db, manager, questionnaire):
    start = datetime.now(UTC) - timedelta(minutes=10)

    def send(at: datetime, seconds: float, **given):
        form = answers(kiosk, shown_ms=ms(at - timedelta(seconds=seconds)), sent_ms=ms(at), **given)
        assert kiosk.post("/k/", data=form).status_code == 303

    send(start, 1)  # two answers in a second
    send(start + timedelta(minutes=2), 30, handled="2", resolved="no")
    send(start + timedelta(minutes=2, seconds=20), 25, handled="2", resolved="no")  # the same again at once
    send(start + timedelta(minutes=5), 25, handled="2", resolved="no")  # the same, but minutes later
    reasons = db.session.scalars(select(Response.flag_reason).order_by(Response.submitted_at)).all()
    assert reasons == ["fast", None, "repeat", None]

    scope = questionnaire_scope(questionnaire)
    assert len(response_frame(scope)) == 2
    assert len(response_frame(scope, Filters(flagged=True))) == 4
    with force_locale("en"):
        report = build_report(scope, ReportOptions(lang="en", min_n=1))
    assert "2 responses were left out as implausible" in " ".join(report.notes)
    assert report.method[0].n == 2

    staff = sign_in(app.test_client(), manager)
    listing = staff.get(f"/manage/questionnaires/{questionnaire.id}/responses").get_data(as_text=True)
    assert "too fast" in listing and "repeated" in listing
