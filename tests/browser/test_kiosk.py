"""The kiosk on a tablet in a real browser (static/js/kiosk.js): the next respondent finds nothing of the previous
one in the page, the browser's storage or its history; an answer given offline is stored exactly once when the
tablet is back online; axe finds no serious violations."""
import pytest
from sqlalchemy import func, select

from surveyapp.db import utcnow
from surveyapp.kiosk import service
from surveyapp.kiosk.demo import SLUG
from surveyapp.kiosk.models import KioskSubmission
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.responses.models import Answer, Response

pytestmark = pytest.mark.browser
TABLET = {"viewport": {"width": 800, "height": 1280}, "is_mobile": True, "has_touch": True}
SECRET = "secret remark of the first respondent"


def open_kiosk(pages, live_server, db, settings: service.Settings):
    """The demo's kiosk questionnaire open in kiosk mode on a tablet (a device made here: the staff side is tested
    through the test client)."""
    questionnaire = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == SLUG))
    _device, token = service.open_device(questionnaire, settings, "4711", None, utcnow())
    db.session.commit()
    page = pages.open("/login", **TABLET)
    page.context.add_cookies([{"name": "kiosk", "value": token, "url": live_server}])
    page.goto("/k/")
    return page


@pytest.fixture
def kiosk(pages, live_server, db):
    """Back to the start 2 s after the thank-you screen."""
    return open_kiosk(pages, live_server, db, service.Settings(idle_seconds=300, restart_seconds=2))


def stored(db, key: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Response).where(Response.key == key))


def answer(page, comment: str) -> str:
    """Answer the demo kiosk questionnaire; the client UUID the page carries."""
    page.locator("input[name=q_handled][value='4']").check()
    page.locator("input[name=q_resolved][value=yes]").check()
    page.locator("textarea[name=q_comment]").fill(comment)
    return page.locator("input[name=rk]").input_value()


def submit(page) -> None:
    page.locator("button.primary[name=nav]").click()


def test_the_next_respondent_finds_nothing_of_the_previous_one(kiosk, pages, db):
    page = kiosk
    pages.assert_accessible(page)
    history = page.evaluate("history.length")
    page.evaluate("localStorage.setItem('left', 'x'); sessionStorage.setItem('left', 'y')")
    key = answer(page, SECRET)
    submit(page)
    page.locator("#kiosk-thanks").wait_for(state="visible")
    pages.assert_accessible(page)
    page.locator("#kiosk-form").wait_for(state="visible")  # after the 2 s pause
    assert stored(db, key) == 1
    assert SECRET not in page.content()
    assert page.locator("textarea[name=q_comment]").input_value() == ""
    assert page.locator("input:checked").count() == 0
    assert page.locator("input[name=rk]").input_value() not in ("", key)
    assert page.evaluate("[localStorage.length, sessionStorage.length, history.length, location.pathname]") == \
        [0, 0, history, "/k/"]


def test_an_answer_given_offline_is_stored_exactly_once_when_back_online(kiosk, db):
    page = kiosk
    page.context.set_offline(True)
    key = answer(page, "given offline")
    submit(page)
    page.locator("#kiosk-thanks [data-offline]").wait_for(state="visible")
    queued = page.evaluate("localStorage.getItem('kiosk-queue')")
    assert key in queued and stored(db, key) == 0
    page.locator("#kiosk-form").wait_for(state="visible")  # the next respondent can start while offline
    assert page.locator("textarea[name=q_comment]").input_value() == ""
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => localStorage.getItem('kiosk-queue') === null")
    assert stored(db, key) == 1
    page.evaluate("q => { localStorage.setItem('kiosk-queue', q); window.dispatchEvent(new Event('online')); }", queued)
    page.wait_for_function("() => localStorage.getItem('kiosk-queue') === null")  # sent again: the same outcome
    assert stored(db, key) == 1
    db.session.expire_all()
    assert db.session.scalar(select(Answer.value).where(Answer.value == "given offline")) == "given offline"


def test_still_there_then_idle_submits_what_was_answered(pages, live_server, db):
    """Timings shortened in the page (kiosk.js reads them when it arms its timers): idle 1 s once answered, the
    prompt waiting 60 s, then 1 s (20 s on a kiosk)."""
    page = open_kiosk(pages, live_server, db, service.Settings(idle_seconds=600, on_idle="submit"))
    key = answer(page, "left half done")
    page.evaluate("() => { Object.assign(document.getElementById('kiosk-form').dataset, {idle: '1', grace: '60'}); "
                  "document.dispatchEvent(new Event('input')); }")
    prompt = page.get_by_role("dialog", name="Still there?")
    prompt.wait_for(state="visible")
    pages.assert_accessible(page)
    page.evaluate("() => { document.getElementById('kiosk-form').dataset.grace = '1'; }")
    page.get_by_role("button", name="Yes, continue").click()
    assert page.locator("textarea[name=q_comment]").input_value() == "left half done"
    page.wait_for_function("key => document.querySelector('input[name=rk]').value !== key", arg=key)
    assert page.locator("textarea[name=q_comment]").input_value() == ""
    page.wait_for_timeout(2500)
    assert prompt.is_hidden()  # a blank page waits for its respondent without asking
    for _ in range(50):
        if stored(db, key):
            break
        page.wait_for_timeout(100)
    assert stored(db, key) == 1
    db.session.expire_all()
    assert db.session.scalar(select(KioskSubmission.idle).join(Response).where(Response.key == key)) is True


def test_a_tablet_reloaded_offline_starts_a_respondent_whose_answer_is_stored_once(kiosk, db):
    """The service worker (/k/sw.js) kept the blank start page: reloaded offline, the kiosk still asks, with a
    fresh client UUID, and queues the answer as before."""
    page = kiosk
    online_key = page.locator("input[name=rk]").input_value()
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("() => caches.match('/k/').then(Boolean)")
    page.context.set_offline(True)
    page.reload()
    key = answer(page, "given after an offline reload")
    assert key != online_key
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    submit(page)
    page.locator("#kiosk-thanks [data-offline]").wait_for(state="visible")
    assert stored(db, key) == 0
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => localStorage.getItem('kiosk-queue') === null")
    assert stored(db, key) == 1
