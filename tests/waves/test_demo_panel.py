"""`flask demo` gives the demo programme a panel: past sessions, three waves, every stage, attrition; once."""

from sqlalchemy import func, select

from surveyapp.responses.models import Response
from surveyapp.waves.dashboard import figures
from surveyapp.waves.models import Invitation, Wave


def test_demo_panel_has_every_stage_and_is_loaded_once(runner, db):
    assert runner.invoke(args=["demo", "--responses", "0"]).exit_code == 0
    waves = db.session.scalars(select(Wave).order_by(Wave.position)).all()
    assert [wave.name for wave in waves] == ["post-session", "3 months", "12 months"]
    per_wave, _ = figures(waves[0].programme_id)
    submitted = [numbers.submitted for _, numbers, _ in per_wave]
    assert submitted[0] > submitted[1] > submitted[2] > 0  # attrition
    assert all(numbers.planned > numbers.invited for _, numbers, _ in per_wave[1:])  # some still to come
    linked = db.session.scalar(
        select(func.count()).select_from(Response).where(Response.participant_id.is_not(None))
    )
    assert linked == sum(submitted)
    count = db.session.scalar(select(func.count()).select_from(Invitation))
    assert waves[1].text("message", "en").startswith("Your answers help us")
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == count
