"""Kiosk mode through the test client: opening it, the kiosk's pages, answers stored once, idle, leaving."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from surveyapp.audit.models import AuditEvent
from surveyapp.kiosk.models import KioskDevice, KioskSubmission
from surveyapp.responses.models import Answer, Response
from tests.conftest import csrf_token
from tests.kiosk.conftest import PIN, answers, device, hrefs, open_kiosk, page, sign_in


def count(db, model=Response) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_opening_ends_the_staff_login_and_the_browser_reaches_nothing_but_the_kiosk(kiosk, db, manager, questionnaire):
    for staff_page in ("/manage/", "/login", "/manage/questionnaires/1/responses", "/s/anything"):
        reply = kiosk.get(staff_page)
        assert reply.status_code == 302 and reply.location.endswith("/k/"), staff_page
    kiosk.delete_cookie("kiosk", path="/")
    assert "/login" in kiosk.get("/manage/").location  # the staff login itself is gone too
    assert device(db).created_by is not None
    opened = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "kiosk.open"))
    assert opened.actor == manager.email and opened.target == f"questionnaire:{questionnaire.id}"


def test_the_kiosk_page_keeps_nothing_and_links_nowhere(kiosk):
    reply = kiosk.get("/k/")
    html = reply.get_data(as_text=True)
    assert reply.headers["Cache-Control"] == "no-store"
    assert 'autocomplete="off"' in html and 'id="kiosk-form"' in html
    assert '<noscript><meta http-equiv="refresh" content="90;url=/k/idle">' in html
    assert [href for href in hrefs(html) if not href.startswith(("/k/", "/static/", "#", "data:"))] == []
    assert "Privacy:" in html and "Continue later" not in html
    thanks = kiosk.get("/k/thanks")
    assert thanks.headers["Cache-Control"] == "no-store"
    assert 'http-equiv="refresh" content="8;url=/k/"' in thanks.get_data(as_text=True)


def test_the_service_worker_is_served_with_the_kiosk_scope(kiosk):
    """Served from /k/ (so its scope covers the kiosk) to any browser: it holds nothing secret."""
    html = kiosk.get("/k/").get_data(as_text=True)
    assert 'data-worker="/k/sw.js"' in html
    for client in (kiosk, kiosk.application.test_client()):
        with client.get("/k/sw.js") as reply:
            assert reply.status_code == 200 and reply.mimetype == "text/javascript"
            assert "caches.open(CACHE)" in reply.get_data(as_text=True)


def test_every_blank_page_is_a_new_respondent(kiosk):
    assert page(kiosk)[1]["rk"] != page(kiosk)[1]["rk"]


def test_a_client_uuid_posted_twice_is_stored_once(kiosk, db):
    form = answers(kiosk, comment="the first")
    first = kiosk.post("/k/", data=form)
    again = kiosk.post("/k/", data={**form, "comment": "the second", "csrf_token": csrf_token(kiosk, "/k/")})
    assert first.status_code == again.status_code == 303 and again.location.endswith("/k/thanks?lang=en")
    response = db.session.scalar(select(Response))
    assert count(db) == 1 and response.key == form["rk"] and response.submitted_at is not None
    assert db.session.scalar(select(Answer.value).where(Answer.value.like("the %"))) == "the first"
    assert db.session.scalar(select(KioskSubmission.device_id)) == device(db).id


def test_a_form_the_kiosk_never_issued_is_refused(kiosk, db):
    reply = kiosk.post("/k/", data=answers(kiosk, rk="not-a-uuid"))
    assert reply.status_code == 400 and count(db) == 0


def test_a_missing_answer_is_asked_for_unless_nobody_is_there_to_give_it(kiosk, db):
    reply = kiosk.post("/k/", data=answers(kiosk, resolved=""))
    assert reply.status_code == 422 and count(db) == 0
    assert reply.headers["Cache-Control"] == "no-store"
    queued = kiosk.post("/k/", data=answers(kiosk, resolved="", queued="1"))
    assert queued.status_code == 303 and count(db) == 1  # sent from the offline queue: kept as it is
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


def test_idle_discards_or_submits_by_setting(kiosk, db):
    reply = kiosk.post("/k/idle", data=answers(kiosk))
    assert reply.status_code == 303 and reply.location.endswith("/k/") and count(db) == 0
    device(db).on_idle = "submit"
    db.session.commit()
    kiosk.post("/k/idle", data=answers(kiosk, resolved=""))
    assert count(db) == 1 and db.session.scalar(select(KioskSubmission.idle)) is True
    assert kiosk.post("/k/idle", data=answers(kiosk, handled="", resolved="")).status_code == 303
    assert count(db) == 1  # nothing answered: nothing to keep
    assert kiosk.get("/k/idle").location.endswith("/k/")  # without JavaScript: nothing was sent


def test_an_answer_given_offline_keeps_the_time_it_was_given(kiosk, db):
    given = datetime.now(UTC) - timedelta(hours=2)
    sent_ms = int(given.timestamp() * 1000)
    kiosk.post("/k/", data=answers(kiosk, shown_ms=str(sent_ms - 40_000), sent_ms=str(sent_ms), queued="1"))
    response = db.session.scalar(select(Response))
    submitted = response.submitted_at.replace(tzinfo=UTC)
    assert abs(submitted - given) < timedelta(seconds=1) and response.flagged_at is None
    assert db.session.scalar(select(KioskSubmission.seconds)) == 40


def test_leaving_needs_the_pin_and_too_many_wrong_ones_lock_it(kiosk, db):
    def leave(pin):
        return kiosk.post("/k/leave", data={"pin": pin, "csrf_token": csrf_token(kiosk, "/k/leave")})

    wrong = leave("0000")
    assert wrong.status_code == 403 and "4 tries left" in wrong.get_data(as_text=True)
    for _ in range(3):
        leave("1234")
    assert leave("9999").status_code == 429
    assert leave(PIN).status_code == 429  # locked: even the right PIN waits
    assert device(db).ended_at is None and kiosk.get("/manage/").location.endswith("/k/")
    device(db).locked_until = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    left = leave(PIN)
    assert left.status_code == 302 and left.location.endswith("/login")
    assert device(db).ended_at is not None
    assert "/login" in kiosk.get("/manage/").location
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("kiosk.%"))).all()
    assert sorted(actions) == ["kiosk.leave", "kiosk.open", "kiosk.pin_locked", "kiosk.pin_locked"]


def test_staff_end_a_kiosk_from_elsewhere(app, kiosk, db, manager, questionnaire):
    staff = app.test_client()
    sign_in(staff, manager)
    url = f"/manage/questionnaires/{questionnaire.id}/kiosk"
    assert "End this kiosk" in staff.get(url).get_data(as_text=True)
    ended = staff.post(url + "/end", data={"device_id": device(db).id, "csrf_token": csrf_token(staff, url)})
    assert ended.status_code == 302
    gone = kiosk.get("/k/")
    assert gone.status_code == 404 and "Kiosk mode has ended" in gone.get_data(as_text=True)
    assert 'kiosk=;' in gone.headers["Set-Cookie"]
    again = staff.post(url + "/end", data={"device_id": device(db).id, "csrf_token": csrf_token(staff, url)})
    assert again.status_code == 404


def test_a_questionnaire_of_more_pages_is_refused(client, db, make, manager):
    two_pages = make.questionnaire(manager.memberships[0].programme, pages=2)
    sign_in(client, manager)
    shown = client.get(f"/manage/questionnaires/{two_pages.id}/kiosk").get_data(as_text=True)
    assert "answered on one page" in shown
    reply = open_kiosk(client, two_pages)
    assert reply.status_code == 409 and count(db, KioskDevice) == 0
    assert "kiosk" not in reply.headers.get("Set-Cookie", "")


def test_a_short_pin_is_refused(client, db, manager, questionnaire):
    sign_in(client, manager)
    reply = open_kiosk(client, questionnaire, pin="12")
    assert reply.status_code == 422 and count(db, KioskDevice) == 0
