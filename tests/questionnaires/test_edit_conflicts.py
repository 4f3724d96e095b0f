"""Two staff saving the same questionnaire: the second save, made on a page shown before the first, gets a 409
and changes nothing (optimistic locking: questionnaires.edit_version, carried in every builder form)."""
import threading

import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires.models import Item, Questionnaire
from tests.conftest import PASSWORD, Auth, hidden_fields
from tests.questionnaires.builder import item_fields

CONFLICT = "Someone else saved this questionnaire while you were editing it"
ITEMS = [("colour", "single", True, 1, {}, ["red", "green"]), ("age", "number", False, 1, {"min": 1}, [])]


@pytest.fixture
def two_managers(app, make):
    """Two browsers of two managers of the same programme, and their questionnaire."""
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=ITEMS)
    clients = []
    for _ in range(2):
        client = app.test_client()
        Auth(client).login(make.user(Role.MANAGER, programme).email, PASSWORD)
        clients.append(client)
    return questionnaire, clients


def form_on(client, url: str) -> dict:
    """The hidden fields of a builder page (CSRF token, edit_version) as the browser holds them."""
    return hidden_fields(client.get(url).get_data(as_text=True))


def version(db, questionnaire_id: int) -> int:
    db.session.expire_all()
    return db.session.scalar(select(Questionnaire.edit_version).where(Questionnaire.id == questionnaire_id))


def test_second_save_of_the_texts_gets_409_and_keeps_the_first(db, two_managers):
    questionnaire, (anna, ben) = two_managers
    qid, page = questionnaire.id, f"/manage/questionnaires/{questionnaire.id}?lang=en"
    url = f"/manage/questionnaires/{qid}/texts?lang=en"
    seen_by_anna, seen_by_ben = form_on(anna, page), form_on(ben, page)
    assert seen_by_anna["edit_version"] == seen_by_ben["edit_version"] == str(version(db, qid))

    assert anna.post(url, data={**seen_by_anna, "title": "Anna's title"}).status_code == 302
    late = ben.post(url, data={**seen_by_ben, "title": "Ben's title"})
    assert late.status_code == 409 and CONFLICT in late.get_data(as_text=True)
    assert 'value="Ben&#39;s title"' in late.get_data(as_text=True)  # his text is still on his screen
    db.session.expire_all()
    assert db.session.get(Questionnaire, qid).text("title", "en") == "Anna's title"

    again = ben.post(url, data={**late_fields(late), "title": "Ben's title"})  # still the stale version
    assert again.status_code == 409
    assert ben.post(url, data={**form_on(ben, page), "title": "Ben's title"}).status_code == 302  # after reload
    db.session.expire_all()
    assert db.session.get(Questionnaire, qid).text("title", "en") == "Ben's title"


def late_fields(response) -> dict:
    return hidden_fields(response.get_data(as_text=True))


def test_item_edit_settings_and_delete_on_a_stale_page_get_409(db, two_managers):
    questionnaire, (anna, ben) = two_managers
    qid = questionnaire.id
    colour, age = db.session.scalars(select(Item).where(Item.questionnaire_id == qid).order_by(Item.id)).all()
    item_url, delete_url = f"/manage/items/{colour.id}", f"/manage/items/{age.id}/delete"
    stale_item, stale_delete = form_on(ben, item_url), form_on(ben, delete_url)
    stale_settings = form_on(ben, f"/manage/questionnaires/{qid}")

    fields = item_fields(colour, label="Anna's wording")
    assert anna.post(item_url, data={**form_on(anna, item_url), **fields}).status_code == 302

    assert ben.post(item_url, data={**stale_item, **item_fields(colour, label="Ben")}).status_code == 409
    assert ben.post(delete_url, data=stale_delete).status_code == 409
    settings = {**stale_settings, "slug": "bens-link", "default_lang": "de", "languages": "de, en"}
    assert ben.post(f"/manage/questionnaires/{qid}/settings", data=settings).status_code == 409
    db.session.expire_all()
    assert db.session.get(Item, age.id) is not None
    assert db.session.get(Questionnaire, qid).slug != "bens-link"
    assert db.session.get(Item, colour.id).text("label", "de") == "Anna's wording"


def test_every_save_counts_and_a_form_without_a_version_is_not_compared(db, two_managers):
    questionnaire, (anna, _ben) = two_managers
    qid, first = questionnaire.id, version(db, questionnaire.id)
    fields = form_on(anna, f"/manage/questionnaires/{qid}")
    assert anna.post(f"/manage/questionnaires/{qid}/texts?lang=de", data={**fields, "title": "Eins"}).status_code == 302
    assert version(db, qid) == first + 1
    token = {"csrf_token": fields["csrf_token"]}
    assert anna.post(f"/manage/questionnaires/{qid}/status", data={**token, "action": "close"}).status_code == 302
    assert version(db, qid) == first + 2  # buttons count too, without comparing
    scripted = anna.post(f"/manage/questionnaires/{qid}/texts?lang=de", data={**token, "title": "Zwei"})
    assert scripted.status_code == 302 and version(db, qid) == first + 3


def test_two_saves_at_the_same_moment_one_wins_one_gets_409(db, two_managers):
    questionnaire, clients = two_managers
    qid = questionnaire.id
    url = f"/manage/questionnaires/{qid}/texts?lang=en"
    forms = [form_on(client, f"/manage/questionnaires/{qid}?lang=en") for client in clients]
    start, statuses = threading.Barrier(2, timeout=60), {}

    def save(index):
        start.wait()
        statuses[index] = clients[index].post(url, data={**forms[index], "title": f"title {index}"}).status_code

    threads = [threading.Thread(target=save, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses.values()) == [302, 409]
    winner = next(index for index, status in statuses.items() if status == 302)
    db.session.expire_all()
    assert db.session.get(Questionnaire, qid).text("title", "en") == f"title {winner}"
