"""The demo's live poll: a co-production workshop asking which of the four Co's an organisation must strengthen,
open for votes, with a ranking and a word cloud as drafts. Idempotent: found by its fixed join code."""
from sqlalchemy import select

from surveyapp.accounts.service import find_user
from surveyapp.extensions import db
from surveyapp.polls import service
from surveyapp.polls.models import Kind, PollSession
from surveyapp.programmes.models import Programme

DEMO_CODE = "WKSP26"  # fixed, so the printed link stays the same from one `make run` to the next
FOUR_COS = ["Co-commissioning", "Co-design", "Co-delivery", "Co-assessment"]
MANAGER = "manager@demo.surveyapp.local"


def load_poll_demo(programme_code: str = "closeto") -> str | None:
    """Create the workshop once in the demo programme and return its join code (None without the programme)."""
    if db.session.scalar(select(PollSession.id).where(PollSession.code == DEMO_CODE)):
        return DEMO_CODE
    programme = db.session.scalar(select(Programme).where(Programme.code == programme_code))
    if programme is None:
        return None
    manager = find_user(MANAGER)
    session = PollSession(programme_id=programme.id, title="Co-production workshop", lang="en", code=DEMO_CODE,
                          created_by_id=manager.id if manager else None)
    db.session.add(session)
    db.session.flush()
    four_cos = service.add_poll(session, Kind.SINGLE, "Which of the four Co's must your organisation strengthen "
                                "first?", FOUR_COS)
    service.add_poll(session, Kind.RANKING, "Rank the four Co's: where should we start?", FOUR_COS)
    service.add_poll(session, Kind.WORDS, "Co-production in one word:", [])
    service.change_state(four_cos, "open")
    db.session.commit()
    return DEMO_CODE
