"""`flask demo` sets up the four Co's workshop once, open for votes, and prints its join link."""
from sqlalchemy import func, select

from surveyapp.polls.demo import DEMO_CODE
from surveyapp.polls.models import Poll, PollSession


def test_the_demo_prints_the_workshop_link_and_the_poll_takes_votes(runner, db, client):
    first = runner.invoke(args=["demo", "--responses", "0"])
    assert first.exit_code == 0, first.output
    assert f"http://localhost/j/{DEMO_CODE}" in first.output
    again = runner.invoke(args=["demo", "--responses", "0"])
    assert f"/j/{DEMO_CODE}" in again.output
    assert db.session.scalar(select(func.count()).select_from(PollSession)) == 1
    session = db.session.scalar(select(PollSession))
    assert [(poll.kind, poll.state) for poll in session.polls] == [
        ("single", "open"), ("ranking", "draft"), ("words", "draft")]
    page = client.get(f"/j/{DEMO_CODE}").get_data(as_text=True)
    assert "four Co&#39;s" in page and "Co-assessment" in page
    assert db.session.scalar(select(func.count()).select_from(Poll)) == 3
