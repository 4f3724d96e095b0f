"""Managers edit a wave's e-mail message per language; the next e-mails carry it, nothing is re-sent."""

from sqlalchemy import func, select

from surveyapp.accounts.models import Role
from surveyapp.waves.dispatch import dispatch_due
from surveyapp.waves.models import WaveText
from tests.conftest import hidden_fields
from tests.waves.test_invitations import setup_wave


def _post_message(client, wave, lang: str, text: str, **headers):
    page = client.get(f"/manage/waves/{wave.id}/texts").get_data(as_text=True)
    fields = {name: value for name, value in hidden_fields(page).items() if name.startswith(f"{lang}-")}
    return client.post(
        f"/manage/waves/{wave.id}/texts/{lang}", data={**fields, f"{lang}-message": text}, headers=headers
    )


def test_manager_edits_german_text_and_the_german_email_carries_it(db, make, client, auth, smtp):
    programme, _, session, wave, anna, ben = setup_wave(db, make)
    auth.login(make.user(Role.MANAGER, programme).email)
    page = client.get(f"/manage/waves/{wave.id}").get_data(as_text=True)
    assert f"/manage/waves/{wave.id}/texts" in page
    page = client.get(f"/manage/waves/{wave.id}/texts").get_data(as_text=True)
    assert "{place}, {date}" in page and 'name="de-message"' in page and 'name="en-message"' in page
    response = _post_message(client, wave, "de", "Bis bald in {place} – seit {date} ist Zeit vergangen.")
    assert response.status_code == 302
    assert "Bis bald in {place}" in client.get(response.location).get_data(as_text=True)
    assert _post_message(client, wave, "en", "See you in {place}.").status_code == 302
    assert dispatch_due().sent == 2
    german = smtp.to("anna@example.org")[0].get_body(("plain",)).get_content()
    english = smtp.to("ben@example.org")[0].get_body(("plain",)).get_content()
    assert "Bis bald in Fahrschule Graz – seit " in german and f"{session.held_on.year} ist Zeit" in german
    assert "See you in Fahrschule Graz." in english and "Bis bald" not in english
    # a later change reaches no one who already has the invitation
    assert _post_message(client, wave, "de", "Neuer Text").status_code == 302
    assert dispatch_due().sent == 0 and len(smtp.messages) == 2


def test_unknown_placeholder_is_rejected_and_nothing_stored(db, make, client, auth):
    programme, _, _, wave, *_ = setup_wave(db, make)
    auth.login(make.user(Role.MANAGER, programme).email)
    response = _post_message(client, wave, "de", "Hallo {name} aus {place}", **{"Accept-Language": "de"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Unbekannter Platzhalter: {name}" in html and "{place}, {date}" in html
    response = _post_message(client, wave, "en", "Hello {vorname}")
    assert response.status_code == 422 and "Unknown placeholder: {vorname}" in response.get_data(as_text=True)
    assert _post_message(client, wave, "xx", "Hello").status_code in (400, 404)
    assert db.session.scalar(select(func.count()).select_from(WaveText)) == 0


def test_only_managers_of_the_programme_edit_texts(db, make, client, auth):
    programme, _, _, wave, *_ = setup_wave(db, make)
    url = f"/manage/waves/{wave.id}/texts"
    assert client.get(url).status_code == 302 and "/login" in client.get(url).location
    assert client.post(f"{url}/de", data={"de-message": "x"}).status_code in (302, 400)
    for user in (make.user(Role.EVALUATOR, programme), make.user(Role.MANAGER)):
        auth.login(user.email)
        assert client.get(url).status_code == 403
        token = hidden_fields(client.get("/manage/").get_data(as_text=True)).get("csrf_token", "")
        assert client.post(f"{url}/de", data={"de-csrf_token": token, "de-message": "x"}).status_code == 403
        auth.logout()
    manager = make.user(Role.MANAGER, programme)
    auth.login(manager.email)
    assert client.post(f"{url}/de", data={"de-message": "no token"}).status_code == 400  # CSRF
    assert db.session.scalar(select(func.count()).select_from(WaveText)) == 0
