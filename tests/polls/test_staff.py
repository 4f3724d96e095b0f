"""Staff through the test client: sessions and the poll builder, open/close/reveal, the presenter page, word
moderation and the export (no voter tokens or hashes; formulas neutralised)."""
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.polls import service
from surveyapp.polls.models import Poll, PollSession, Vote
from tests.conftest import csrf_token


@pytest.fixture
def manager(make, workshop, auth):
    user = make.user(Role.MANAGER, workshop.session.programme)
    auth.login(user.email)
    return user


def _post(client, url: str, data: dict, page: str = "/manage/polls"):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def test_a_manager_creates_a_session_and_builds_polls(db, client, manager, workshop):
    response = _post(client, "/manage/polls", {"programme": workshop.session.programme_id, "title": "Kick-off",
                                               "lang": "de"})
    session = db.session.scalar(select(PollSession).where(PollSession.title == "Kick-off"))
    assert response.status_code == 302 and response.location.endswith(f"/manage/poll-sessions/{session.id}")
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTWXYZ2-9]{6}", session.code)
    url = f"/manage/poll-sessions/{session.id}/polls"
    response = _post(client, url, {"kind": "multiple", "question": "Which?", "options": "Yes\n\nNo\nMaybe",
                                   "max_choices": "2"})
    assert response.status_code == 302
    poll = db.session.scalar(select(Poll).where(Poll.session_id == session.id))
    assert ([o.code for o in poll.options], poll.max_choices, poll.state) == (["yes", "no", "maybe"], 2, "draft")
    for options, max_choices in (("Only one", ""), ("A\na", ""), ("A\nB", "3")):
        refused = _post(client, url, {"kind": "single" if max_choices == "" else "multiple", "question": "Q",
                                      "options": options, "max_choices": max_choices})
        assert refused.status_code == 422 and 'class="error"' in refused.get_data(as_text=True)
    assert len(db.session.scalars(select(Poll).where(Poll.session_id == session.id)).all()) == 1


def test_bidi_overrides_are_dropped_from_staff_texts(db, client, manager, workshop):
    url = f"/manage/poll-sessions/{workshop.session.id}/polls"
    response = _post(client, url, {"kind": "single", "question": "Is it \u202eevil\u202c?",
                                   "options": "\u202elive\n\u2066good\u2069"})
    assert response.status_code == 302
    poll = db.session.scalars(select(Poll).where(Poll.session_id == workshop.session.id)
                              .order_by(Poll.position.desc())).first()
    assert (poll.question, [o.label for o in poll.options]) == ("Is it evil?", ["live", "good"])


def test_state_buttons_move_a_poll_and_refuse_a_wrong_step(db, client, manager, workshop):
    poll = service.add_poll(workshop.session, "single", "Later", ["Yes", "No"])
    db.session.commit()
    page = f"/manage/poll-sessions/{workshop.session.id}"
    assert _post(client, f"/manage/polls/{poll.id}/state", {"action": "reveal"}, page).status_code == 409
    for action, state in (("open", "open"), ("close", "closed"), ("open", "open"), ("close", "closed"),
                          ("reveal", "revealed")):
        assert _post(client, f"/manage/polls/{poll.id}/state", {"action": action}, page).status_code == 302
        db.session.expire_all()
        assert db.session.get(Poll, poll.id).state == state
    assert _post(client, f"/manage/polls/{poll.id}/state", {"action": "open"}, page).status_code == 409


def test_the_presenter_page_shows_qr_code_and_the_live_chart(db, client, manager, workshop):
    poll = workshop.polls["single"]
    service.cast_vote(poll, service.voter_hash("t" * 30), ["co_design"])
    db.session.commit()
    html = client.get(f"/manage/polls/{poll.id}/present").get_data(as_text=True)
    assert f'data-poll="{poll.id}"' in html and f'data-stream="/polls/{poll.id}/stream"' in html
    assert f'data-results="/polls/{poll.id}/results.json"' in html
    assert "<svg" in html and f">{workshop.code}<" in html and f"http://localhost/j/{workshop.code}" in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "<strong data-votes>1</strong>" in html and "1 (100 %)" in html


def test_hiding_a_word_takes_it_out_of_the_results_and_the_export(db, client, manager, workshop):
    poll = workshop.polls["words"]
    for n, word in enumerate(["trust", "trust", "=HYPERLINK(1)", "rude"]):
        service.cast_vote(poll, service.voter_hash(f"token-{n}-" + "x" * 20), [word])
    db.session.commit()
    url = f"/manage/polls/{poll.id}/words"
    assert "rude" in client.get(url).get_data(as_text=True)
    assert _post(client, url, {"word": "rude", "hidden": "y"}, url).status_code == 302
    assert [i["key"] for i in service.results(poll, for_presenter=True)["items"]] == ["trust", "=hyperlink(1)"]
    assert _post(client, url, {"word": "rude"}, url).status_code == 302  # shown again
    assert len(service.results(poll, for_presenter=True)["items"]) == 3
    _post(client, url, {"word": "rude", "hidden": "y"}, url)

    tokens = [vote.voter for vote in db.session.scalars(select(Vote))]
    csv = client.get(f"/manage/poll-sessions/{workshop.session.id}/results.csv")
    text = csv.get_data().decode("utf-8-sig")
    assert csv.status_code == 200 and "attachment" in csv.headers["Content-Disposition"]
    assert "'=hyperlink(1)" in text and "rude" not in text and "trust" in text
    xlsx = client.get(f"/manage/poll-sessions/{workshop.session.id}/results.xlsx")
    cells = [str(c) for row in load_workbook(io.BytesIO(xlsx.get_data())).active.iter_rows(values_only=True)
             for c in row]
    assert "'=hyperlink(1)" in cells and "Co-design" in cells
    for secret in [*tokens, "token-0-"]:
        assert secret not in text and secret not in " ".join(cells)


def test_closing_the_session_closes_its_polls(db, client, manager, workshop):
    page = f"/manage/poll-sessions/{workshop.session.id}"
    assert _post(client, f"{page}/close", {}, page).status_code == 302
    db.session.expire_all()
    assert {poll.state for poll in db.session.get(PollSession, workshop.session.id).polls} == {"closed"}
    assert client.get(f"/j/{workshop.code}").status_code == 404


def test_no_table_of_polls_has_a_place_for_an_address(db):
    columns = [column.name for table in db.metadata.sorted_tables if table.name.startswith("poll")
               for column in table.columns]
    assert "voter" in columns
    assert not [name for name in columns if "ip" in name.split("_") or "address" in name or "agent" in name]
