"""Participants through the test client: joining by code, voting per kind, re-voting, every refusal of the issue
(404 alike for unknown and closed codes, 409 when not open, 422 with nothing stored, 429 on flooding)."""
import secrets

import pytest
from sqlalchemy import func, select

from surveyapp.polls import join_views, service
from surveyapp.polls.models import Vote
from tests.conftest import csrf_token
from tests.polls.conftest import new_participant


def _votes(db) -> list[dict]:
    db.session.expire_all()
    return [vote.payload for vote in db.session.scalars(select(Vote).order_by(Vote.id))]


def _vote(client, workshop, kind: str, answer):
    token = csrf_token(client, f"/j/{workshop.code}")
    answers = answer if isinstance(answer, list) else [answer]
    return client.post(f"/j/{workshop.code}/{workshop.polls[kind].id}", data={"csrf_token": token, "answer": answers})


@pytest.fixture
def announced(monkeypatch):
    calls = []
    monkeypatch.setattr(join_views.live, "announce", calls.append)
    return calls


def test_join_lists_the_open_polls_and_sets_an_anonymous_http_only_cookie(workshop, participant):
    response = participant.get(f"/j/{workshop.code.lower()}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for poll in workshop.polls.values():
        assert poll.question.replace("'", "&#39;") in html
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("poll_voter=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert 'type="radio"' in html and 'type="checkbox"' in html and "<select" in html and 'name="answer"' in html


def test_unknown_and_closed_codes_get_the_same_404(db, workshop, participant):
    unknown = participant.get("/j/ZZZZZZ")
    assert unknown.status_code == 404
    service.close_session(workshop.session)
    db.session.commit()
    closed = participant.get(f"/j/{workshop.code}")
    assert closed.status_code == 404 and closed.get_data() == unknown.get_data()
    assert participant.get("/j/" + "A" * 500).get_data() == unknown.get_data()


@pytest.mark.parametrize(("kind", "answer", "payload"), [
    ("single", "co_design", {"choice": "co_design"}),
    ("multiple", ["co_design", "co_delivery"], {"choices": ["co_design", "co_delivery"]}),
    ("rating", "4", {"rating": 4}),
    ("ranking", ["co_assessment", "co_design", "co_delivery", "co_commissioning"],
     {"ranking": ["co_assessment", "co_design", "co_delivery", "co_commissioning"]}),
    ("words", "  Vertrauen ", {"word": "vertrauen"}),
])
def test_a_vote_of_each_kind_is_stored_and_announced(db, workshop, participant, announced, kind, answer, payload):
    response = _vote(participant, workshop, kind, answer)
    assert response.status_code == 302 and response.location.endswith(f"#poll-{workshop.polls[kind].id}")
    assert _votes(db) == [payload]
    assert announced == [workshop.polls[kind].id]
    page = participant.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert "You can change your vote while the poll is open." in page and "Change my vote" in page


def test_voting_again_replaces_the_vote(db, workshop, participant):
    _vote(participant, workshop, "single", "co_design")
    _vote(participant, workshop, "single", "co_delivery")
    assert _votes(db) == [{"choice": "co_delivery"}]
    assert 'value="co_delivery" checked' in participant.get(f"/j/{workshop.code}").get_data(as_text=True)
    other = new_participant(participant.application)
    _vote(other, workshop, "single", "co_design")
    counts = {i["key"]: i["count"] for i in service.results(workshop.polls["single"], for_presenter=True)["items"]}
    assert counts == {"co_commissioning": 0, "co_design": 1, "co_delivery": 1, "co_assessment": 0}


@pytest.mark.parametrize(("kind", "answer"), [
    ("single", "not_an_option"), ("single", []), ("multiple", ["co_design", "co_delivery", "co_assessment"]),
    ("multiple", ["co_design", "elsewhere"]), ("rating", "9"),
    ("ranking", ["co_design", "co_design", "co_delivery", "co_assessment"]), ("ranking", ["co_design"]),
    ("words", "   "), ("words", "x" * 41), ("words", "\u200b\u200b"),
])
def test_bad_votes_are_422_with_the_message_and_nothing_stored(db, workshop, participant, announced, kind, answer):
    response = _vote(participant, workshop, kind, answer)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert _votes(db) == [] and announced == []


@pytest.mark.parametrize("state", ["draft", "closed", "revealed"])
def test_a_vote_on_a_poll_not_open_is_409(db, make, workshop, participant, state):
    poll = workshop.polls["single"]
    if state == "draft":
        poll = service.add_poll(workshop.session, "single", "Later", ["Yes", "No"])
    else:
        service.change_state(poll, "close")
        if state == "revealed":
            service.change_state(poll, "reveal")
    db.session.commit()
    token = csrf_token(participant, f"/j/{workshop.code}")
    response = participant.post(f"/j/{workshop.code}/{poll.id}", data={"csrf_token": token, "answer": "yes"})
    assert response.status_code == 409
    assert _votes(db) == []


def test_a_poll_of_another_session_is_404_and_a_vote_needs_the_csrf_token(db, workshop, participant):
    other = service.create_session(workshop.session.programme_id, "Other", "de", None)
    poll = service.add_poll(other, "single", "Other?", ["Yes", "No"])
    service.change_state(poll, "open")
    db.session.commit()
    token = csrf_token(participant, f"/j/{workshop.code}")
    assert participant.post(f"/j/{workshop.code}/{poll.id}", data={"csrf_token": token, "answer": "yes"}
                            ).status_code == 404
    assert participant.post(f"/j/{workshop.code}/{workshop.polls['single'].id}", data={"answer": "co_design"}
                            ).status_code == 400
    assert _votes(db) == []


def test_results_stay_hidden_from_participants_until_revealed(db, workshop, participant):
    poll = workshop.polls["single"]
    _vote(participant, workshop, "single", "co_design")
    assert service.results(poll, for_presenter=False)["items"] == []
    service.change_state(poll, "close")
    db.session.commit()
    page = participant.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert poll.question not in page and 'class="bars"' not in page
    service.change_state(poll, "reveal")
    db.session.commit()
    page = participant.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert 'class="bars"' in page and "1 (100 %)" in page
    assert service.results(poll, for_presenter=False)["votes"] == 1


def test_a_revealed_mean_is_written_in_the_session_language(db, workshop, participant):
    workshop.session.lang = "de"
    db.session.commit()
    _vote(participant, workshop, "rating", "3")
    _vote(new_participant(participant.application), workshop, "rating", "4")
    for step in ("close", "reveal"):
        service.change_state(workshop.polls["rating"], step)
    db.session.commit()
    page = participant.get(f"/j/{workshop.code}").get_data(as_text=True)
    assert "Mittelwert: <strong data-mean>3,5</strong>" in page


def test_revealed_results_json_needs_the_join_code_of_its_session(db, workshop, participant):
    poll = workshop.polls["single"]
    _vote(participant, workshop, "single", "co_design")
    for step in ("close", "reveal"):
        service.change_state(poll, step)
    db.session.commit()
    stranger = new_participant(participant.application)
    assert stranger.get(f"/polls/{poll.id}/results.json").status_code == 404  # counting up ids: nothing
    assert participant.get(f"/polls/{poll.id}/results.json").json["votes"] == 1
    assert stranger.get(f"/j/{workshop.code}").status_code == 200
    assert stranger.get(f"/polls/{poll.id}/results.json").status_code == 200


def test_join_flooding_is_429(app, workshop, participant):
    app.config["POLL_RATE_LIMIT"] = "3 per minute"
    assert [participant.get(f"/j/{workshop.code}").status_code for _ in range(3)] == [200] * 3
    assert participant.get(f"/j/{workshop.code}").status_code == 429


def test_guessing_codes_is_429_even_for_the_right_one(app, db, workshop, participant):
    app.config["TOKEN_RATE_LIMIT"] = "3 per minute"
    assert participant.get(f"/j/{workshop.code}").status_code == 200  # a known code does not count
    assert [participant.get(f"/j/{secrets.token_hex(3)}").status_code for _ in range(3)] == [404] * 3
    assert participant.get(f"/j/{workshop.code}").status_code == 429
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_the_page_reloads_itself_only_while_nothing_is_left_to_vote_on(db, workshop, participant):
    refresh = '<noscript><meta http-equiv="refresh" content="15"></noscript>'
    assert refresh not in participant.get(f"/j/{workshop.code}").get_data(as_text=True)
    for poll in list(workshop.polls.values())[1:]:
        service.change_state(poll, "close")
    db.session.commit()
    _vote(participant, workshop, "single", "co_design")
    assert refresh in participant.get(f"/j/{workshop.code}").get_data(as_text=True)
