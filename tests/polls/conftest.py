"""A workshop with one open poll of each kind, and a participant's client with an address of its own."""
import itertools
from dataclasses import dataclass

import pytest

from surveyapp.polls import service
from surveyapp.polls.models import Kind, Poll, PollSession

COS = ["Co-commissioning", "Co-design", "Co-delivery", "Co-assessment"]
_address = itertools.count(1)


@dataclass
class Workshop:
    session: PollSession
    polls: dict[str, Poll]

    @property
    def code(self) -> str:
        return self.session.code


@pytest.fixture
def workshop(db, make) -> Workshop:
    programme = make.programme()
    session = service.create_session(programme.id, "Workshop", "en", None)
    polls = {
        Kind.SINGLE: service.add_poll(session, Kind.SINGLE, "Which Co first?", COS),
        Kind.MULTIPLE: service.add_poll(session, Kind.MULTIPLE, "Which two Co's?", COS, max_choices=2),
        Kind.RATING: service.add_poll(session, Kind.RATING, "How good?", [], scale=5),
        Kind.RANKING: service.add_poll(session, Kind.RANKING, "Rank them", COS),
        Kind.WORDS: service.add_poll(session, Kind.WORDS, "One word", []),
    }
    for poll in polls.values():
        service.change_state(poll, "open")
    db.session.commit()
    return Workshop(session, {str(kind): poll for kind, poll in polls.items()})


@pytest.fixture
def participant(app):
    """A phone of its own: its own cookies and client address (the limiter's counts outlive one app)."""
    return new_participant(app)


def new_participant(app):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"203.0.113.{next(_address) % 250 + 1}"
    return client
