"""The service without HTTP: join codes, the results' version, the same browser voting twice at once."""
import re

from sqlalchemy import select

from surveyapp.polls import service
from surveyapp.polls.models import Vote


def test_join_codes_avoid_look_alikes_and_are_read_as_typed(db, workshop):
    codes = {service.new_join_code() for _ in range(200)}
    assert all(re.fullmatch(r"[A-HJKMNP-TW-Z2-9]{6}", code) for code in codes)
    assert not any(set(code) & set("0O1IL") for code in codes)
    assert service.joinable_session(f" {workshop.code[:3].lower()} {workshop.code[3:]}") == workshop.session
    assert service.joinable_session("") is None


def test_the_version_changes_exactly_when_the_aggregate_does(db, workshop):
    poll = workshop.polls["words"]
    first = service.results(poll, for_presenter=True)
    assert service.results(poll, for_presenter=True)["version"] == first["version"]
    service.cast_vote(poll, service.voter_hash("a" * 30), ["trust"])
    second = service.results(poll, for_presenter=True)
    assert second["version"] != first["version"]
    service.cast_vote(poll, service.voter_hash("a" * 30), ["trust"])  # the same vote again: no change
    assert service.results(poll, for_presenter=True)["version"] == second["version"]
    service.set_word_hidden(poll, "TRUST", True)
    hidden = service.results(poll, for_presenter=True)
    assert hidden["items"] == [] and hidden["votes"] == 1 and hidden["version"] != second["version"]
    assert service.voter_hash("a" * 30) not in str(hidden)


def test_the_same_browser_voting_twice_at_once_keeps_one_vote(db, workshop, monkeypatch):
    """The second of two simultaneous first votes finds no row, then hits the unique key: it updates the first."""
    poll, voter = workshop.polls["single"], service.voter_hash("b" * 30)
    db.session.add(Vote(poll_id=poll.id, voter=voter, payload={"choice": "co_design"}))
    db.session.flush()
    found = iter([None])
    real = service._find_vote
    monkeypatch.setattr(service, "_find_vote", lambda *args: next(found, None) or real(*args))
    service.cast_vote(poll, voter, ["co_delivery"])
    db.session.commit()
    assert [v.payload for v in db.session.scalars(select(Vote))] == [{"choice": "co_delivery"}]
