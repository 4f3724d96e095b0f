"""save_page: one INSERT for a new response, the claim for an existing one, nothing twice, no foreign keys."""
import pytest
from sqlalchemy import func, select

from surveyapp.respond import service
from surveyapp.respond.service import AlreadySubmitted
from surveyapp.responses.models import Answer, Response

ITEMS = [
    ("agree", "likert", True, 1, {"points": 5}, []),
    ("tools", "multiple", False, 1, {}, ["bike", "car", "bus"]),
    ("age", "number", True, 2, {}, []),
]


def stored(db):
    return sorted(db.session.execute(select(Response.key, Response.page, Answer.value).join(Answer)).all())


def test_a_page_saved_again_replaces_its_answers_and_a_submitted_response_takes_nothing(make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    agree, tools, age = (item.id for item in questionnaire.items)
    first = service.save_page(questionnaire, "k1", 1, "en", {agree: ["4"], tools: ["bike", "car"]},
                              final=False)
    again = service.save_page(questionnaire, "k1", 1, "en", {agree: ["2"], tools: ["bus"]}, final=False)
    db.session.commit()
    assert first == again and stored(db) == [("k1", 2, "2"), ("k1", 2, "bus")]
    service.save_page(questionnaire, "k1", 2, "en", {age: ["30"]}, final=True)
    db.session.commit()
    with pytest.raises(AlreadySubmitted):
        service.save_page(questionnaire, "k1", 2, "en", {age: ["31"]}, final=True)
    db.session.rollback()
    assert stored(db) == [("k1", 2, "2"), ("k1", 2, "30"), ("k1", 2, "bus")]


def test_a_key_of_another_questionnaire_is_refused(make, db):
    one = make.questionnaire(items=ITEMS, languages=("en",))
    other = make.questionnaire(items=ITEMS, languages=("en",))
    service.save_page(one, "shared", 1, "en", {one.items[0].id: ["4"]}, final=False)
    db.session.commit()
    with pytest.raises(AlreadySubmitted):
        service.save_page(other, "shared", 1, "en", {other.items[0].id: ["1"]}, final=False)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 1
    assert db.session.scalar(select(Response.questionnaire_id)) == one.id
