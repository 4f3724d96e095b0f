"""Opening is refused, naming what to fix, for a choice item without options and for an empty page (a gap)."""
import pytest
from sqlalchemy import select

from surveyapp.accounts.models import Role
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Questionnaire, Status
from surveyapp.questionnaires.opening import NotReady
from tests.questionnaires.builder import Builder

NO_OPTIONS = [("colour", "single", True, 1, {}, []), ("tools", "multiple", False, 1, {}, ["bike"])]
GAP = [("agree", "likert", True, 1, {"points": 5}, []), ("age", "number", False, 3, {}, [])]


@pytest.mark.parametrize(("items", "message"), [
    (NO_OPTIONS, "Item colour has no options: add at least one."),
    ([("tools", "multiple", False, 1, {}, [])], "Item tools has no options"),
    (GAP, "Page 2 has no items: move an item onto it or renumber the pages after it."),
    ([("age", "number", False, 2, {}, [])], "Page 1 has no items"),
])
def test_opening_is_refused_with_the_reason(make, db, items, message):
    questionnaire = make.questionnaire(items=items, status=Status.DRAFT)
    with pytest.raises(NotReady) as refused:
        builder.set_status(questionnaire, Status.OPEN)
    assert str(refused.value).startswith("The questionnaire cannot open yet.")
    assert message in str(refused.value)
    db.session.rollback()
    assert db.session.get(Questionnaire, questionnaire.id).status is Status.DRAFT


def test_every_problem_is_named_up_to_five_then_counted(make, db):
    items = [(f"c{n}", "single", False, 1, {}, []) for n in range(6)] + [("last", "text", False, 3, {}, [])]
    questionnaire = make.questionnaire(items=items, status=Status.DRAFT)
    with pytest.raises(NotReady) as refused:
        builder.set_status(questionnaire, Status.OPEN)
    text = str(refused.value)
    assert "Item c4 has no options" in text and "c5" not in text and "(2 more problems.)" in text


def test_contiguous_pages_with_options_open(make, db):
    questionnaire = make.questionnaire(items=[*NO_OPTIONS[1:], ("age", "number", False, 2, {}, [])],
                                       status=Status.DRAFT)
    builder.set_status(questionnaire, Status.OPEN)
    assert questionnaire.status is Status.OPEN


def test_closing_a_questionnaire_is_never_refused(make, db):
    questionnaire = make.questionnaire(items=GAP, status=Status.DRAFT)
    builder.set_status(questionnaire, Status.CLOSED)
    assert questionnaire.status is Status.CLOSED


def test_the_builder_shows_the_reason_with_422_and_keeps_the_draft(client, make, auth, db):
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=GAP, status=Status.DRAFT)
    auth.login(make.user(Role.MANAGER, programme).email)
    refused = Builder(client).post(f"/manage/questionnaires/{questionnaire.id}/status", {"action": "open"})
    assert refused.status_code == 422
    assert "Page 2 has no items" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Questionnaire.status).where(Questionnaire.id == questionnaire.id)) \
        is Status.DRAFT

