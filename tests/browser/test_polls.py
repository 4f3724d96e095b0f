"""The demo's live workshop poll in a real browser: a presenter on the projector and three phones.

A vote shows on the presenter's chart within a second without a reload (SSE); revealing shows the results to
the phones; a presenter without EventSource polls results.json, one without JavaScript follows through the meta
refresh; axe on the join, vote and presenter pages.
"""
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.demo import LOGINS
from surveyapp.polls.demo import DEMO_CODE, FOUR_COS, load_poll_demo
from surveyapp.polls.models import Poll, PollSession
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

MANAGER = next((email, password) for email, password, role in LOGINS if role is Role.MANAGER)
VOTES = "#live-chart [data-votes]"


def _four_cos_poll(db) -> int:
    """The demo workshop's open single-choice poll (loaded beside the demo, as `flask demo` does)."""
    load_poll_demo()
    return db.session.scalar(select(Poll.id).join(PollSession).where(PollSession.code == DEMO_CODE,
                                                                      Poll.position == 1))


def _vote(phone, option: str) -> None:
    phone.get_by_label(option, exact=True).check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Vote").click()


def test_votes_reach_the_presenter_live_and_reveal_reaches_the_phones(pages, db):
    poll_id = _four_cos_poll(db)
    presenter = pages.open("/")
    login(presenter, *MANAGER)
    presenter.goto(f"/manage/polls/{poll_id}/present")
    expect(presenter.locator("#live-chart")).to_have_attribute("data-live", "stream")
    expect(presenter.locator(VOTES)).to_have_text("0")
    pages.assert_accessible(presenter)
    presenter.evaluate("window.sameDocument = true")

    phones = [pages.open(f"/j/{DEMO_CODE}", phone=True) for _ in range(3)]
    pages.assert_accessible(phones[0])  # the join page with the vote form
    for count, (phone, option) in enumerate(zip(phones, FOUR_COS[1:], strict=False), start=1):
        _vote(phone, option)
        voted = time.monotonic()
        presenter.wait_for_function("n => document.querySelector('#live-chart [data-votes]').textContent == n",
                                    arg=count, timeout=1000)
        assert time.monotonic() - voted < 1.0, f"vote {count} took too long to reach the presenter"
    # After voting: the thank-you and "change my vote". axe's meta-refresh rule is critical (WCAG 2.2.1, a page
    # reloading itself on a timer): join.html's refresh while waiting must not reach browsers with JavaScript.
    pages.assert_accessible(phones[0])
    assert presenter.evaluate("window.sameDocument") is True  # updated in place, never reloaded
    expect(presenter.locator("#live-chart li[data-key] .bar-figure").first).to_have_text("0 (0 %)")
    expect(presenter.locator("#live-chart li[data-key] .bar-figure").nth(1)).to_have_text("1 (33 %)")

    assert phones[0].locator(".poll-results").count() == 0  # hidden until revealed (no group-think)
    presenter.get_by_role("button", name="Close voting").click()
    presenter.get_by_role("button", name="Reveal results to participants").click()
    expect(presenter.locator("#live-chart")).to_have_attribute("data-live", "stream")
    for phone in phones:
        phone.reload()
        expect(phone.locator(".poll-results [data-votes]")).to_have_text("3")


def test_presenters_without_event_source_poll_and_without_javascript_refresh(pages, db):
    poll_id = _four_cos_poll(db)
    polling = pages.open("/")
    polling.add_init_script("delete window.EventSource")  # an old browser, or a proxy that breaks streams
    login(polling, *MANAGER)
    polling.goto(f"/manage/polls/{poll_id}/present")
    expect(polling.locator("#live-chart")).to_have_attribute("data-live", "polling")
    static = pages.open("/", javascript=False)
    login(static, *MANAGER)
    static.goto(f"/manage/polls/{poll_id}/present")
    expect(static.locator(VOTES)).to_have_text("0")

    _vote(pages.open(f"/j/{DEMO_CODE}", phone=True), FOUR_COS[0])

    expect(polling.locator(VOTES)).to_have_text("1", timeout=2000)  # results.json every second (ETag)
    expect(static.locator(VOTES)).to_have_text("1", timeout=6000)  # the page refreshes itself every 3 s
    expect(static.locator("#live-chart li[data-key] .bar-figure").first).to_have_text("1 (100 %)")
