"""The per-process structure cache of respondent pages: fast, and never stale after a change or a close."""
from contextlib import contextmanager

from sqlalchemy import event, func, select

from surveyapp.extensions import db as _db
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Questionnaire, Status
from surveyapp.responses.models import Answer
from tests.conftest import hidden_fields

ITEMS = [
    ("agree", "likert", True, 1, {"points": 5}, []),
    ("colour", "single", True, 1, {}, ["red", "green"]),
    ("age", "number", True, 1, {"min": 15, "max": 99}, []),
]
GOOD = {"q_agree": "4", "q_colour": "green", "q_age": "19", "nav": "submit"}


@contextmanager
def count_queries():
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(_db.engine, "before_cursor_execute", record)


def stamp(db, questionnaire_id):
    return db.session.scalar(select(Questionnaire.structure_stamp).where(
        Questionnaire.id == questionnaire_id))


def test_a_warm_respondent_cycle_reads_one_structure_row_per_request(client, make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    url = f"/s/{questionnaire.slug}"
    client.application.test_client().get(url)  # warm this process's cache
    with count_queries() as get_queries:
        page = client.get(url)
    data = {**hidden_fields(page.get_data(as_text=True)), **GOOD}
    with count_queries() as post_queries:
        done = client.post(url, data=data)
    assert done.status_code == 302 and done.location.endswith("/thanks")
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 3
    # GET: the structure row; POST: the structure row, the new response (INSERT ... ON CONFLICT), its answers
    assert sum("questionnaires" in s for s in get_queries) == 1 and len(get_queries) == 1, get_queries
    assert sum("questionnaires" in s for s in post_queries) == 1 and len(post_queries) == 3, post_queries
    assert not any("items" in s.split("FROM")[-1] for s in get_queries + post_queries)


def test_a_changed_wording_shows_at_the_next_request(client, make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    assert "agree (en)" in client.get(f"/s/{questionnaire.slug}").get_data(as_text=True)
    before = stamp(db, questionnaire.id)
    builder.set_item_texts(questionnaire.items[0], "en", {"label": "Reworded statement"})
    db.session.commit()
    assert stamp(db, questionnaire.id) != before
    html = client.application.test_client().get(f"/s/{questionnaire.slug}").get_data(as_text=True)
    assert "Reworded statement" in html and "agree (en)" not in html


def test_option_label_and_new_item_change_the_stamp(make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    stamps = [stamp(db, questionnaire.id)]
    builder.update_option(questionnaire.items[1].options[0], "red", {"en": "Crimson"})
    db.session.commit()
    stamps.append(stamp(db, questionnaire.id))
    builder.add_item(questionnaire, "later", "text", texts={"en": {"label": "Later"}})
    db.session.commit()
    stamps.append(stamp(db, questionnaire.id))
    builder.set_questionnaire_texts(questionnaire, "en", {"title": "New title"})
    db.session.commit()
    stamps.append(stamp(db, questionnaire.id))
    assert len(set(stamps)) == 4


def test_closing_takes_effect_at_once_even_when_cached(client, make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    page = client.get(f"/s/{questionnaire.slug}")
    assert page.status_code == 200
    builder.set_status(questionnaire, Status.CLOSED)
    db.session.commit()
    data = {**hidden_fields(page.get_data(as_text=True)), **GOOD}
    late = client.post(f"/s/{questionnaire.slug}", data=data)
    assert late.status_code == 410
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_submissions_do_not_change_the_stamp(client, make, db):
    questionnaire = make.questionnaire(items=ITEMS, languages=("en",))
    before = stamp(db, questionnaire.id)
    page = client.get(f"/s/{questionnaire.slug}")
    client.post(f"/s/{questionnaire.slug}", data={**hidden_fields(page.get_data(as_text=True)), **GOOD})
    assert stamp(db, questionnaire.id) == before
