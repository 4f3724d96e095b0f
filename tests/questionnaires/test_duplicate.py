"""Duplicating a questionnaire: a deep, draft copy that opens and is answered on its own."""
from sqlalchemy import func, select

from surveyapp.accounts.models import Membership, Role
from surveyapp.programmes.pathways import stages
from surveyapp.questionnaires import copying
from surveyapp.questionnaires.models import Item, ItemText, Page, Questionnaire, Status
from surveyapp.responses.models import Response
from tests.conftest import hidden_fields
from tests.questionnaires.builder import Builder, id_from
from tests.reports.seed import seed_responses


def _rich(make, db, programme):
    """An answered questionnaire with every kind of thing a copy must carry: texts in two languages, options,
    a part, a display condition, a stage, a page row with a condition and skips, two pages."""
    questionnaire = make.questionnaire(programme, pages=2)
    colour = next(item for item in questionnaire.items if item.code == "colour")
    other = Item(code="colour_other", type="text", page=colour.page, position=colour.position, parent=colour,
                 condition="colour = 'red'", texts=[ItemText(key="label", lang="de", text="Andere"),
                                                     ItemText(key="label", lang="en", text="Other")])
    questionnaire.items.append(other)
    colour.stage = stages(programme.pathway)[0].code
    questionnaire.pages.append(Page(number=2, condition="answered(agree)",
                                    skips=[{"when": "ok = 'yes'", "to": "end"}]))
    db.session.commit()
    seed_responses(questionnaire, [{"colour": "red", "agree": "4"}])
    return questionnaire


def structure(questionnaire: Questionnaire) -> dict:
    """Everything the copy must repeat, without ids."""
    def texts(rows):
        return sorted((row.key, row.lang, row.text) for row in rows)

    return {
        "langs": (questionnaire.default_lang, questionnaire.languages), "texts": texts(questionnaire.texts),
        "pages": [(p.number, p.condition, p.skips) for p in questionnaire.pages],
        "items": [(i.code, i.type, i.required, i.page, i.position, i.settings, i.stage, i.condition,
                   i.parent.code if i.parent else None, texts(i.texts),
                   [(o.code, o.position, texts(o.texts)) for o in i.options]) for i in questionnaire.items],
    }


def test_duplicate_copies_everything_but_responses(make, db):
    programme = make.programme()
    original = _rich(make, db, programme)
    before = structure(original)
    twin = copying.duplicate(original, programme, "next-year")
    db.session.commit()
    db.session.expire_all()
    original, twin = db.session.get(Questionnaire, original.id), db.session.get(Questionnaire, twin.id)
    assert structure(twin) == structure(original) == before
    assert twin.status is Status.DRAFT and twin.version == 1 and twin.slug == "next-year"
    other = next(item for item in twin.items if item.code == "colour_other")
    assert other.parent.questionnaire_id == twin.id  # the part points at the copy's parent, not the original's
    assert {item.id for item in twin.items}.isdisjoint({item.id for item in original.items})
    assert db.session.scalar(select(func.count()).where(Response.questionnaire_id == twin.id)) == 0


def test_duplicate_through_the_builder_into_another_programme_then_answer_it(app, client, make, auth, db):
    home, other = make.programme(name="Home"), make.programme(name="Other")
    original = _rich(make, db, home)
    manager = make.user(Role.MANAGER, home)
    manager.memberships.append(Membership(programme_id=other.id, role=Role.MANAGER))
    db.session.commit()
    auth.login(manager.email)
    form = client.get(f"/manage/questionnaires/{original.id}/duplicate").get_data(as_text=True)
    assert f'value="{original.slug}-copy"' in form
    b = Builder(client)
    made = b.post(f"/manage/questionnaires/{original.id}/duplicate",
                  {"slug": "copy-2027", "programme_id": other.id})
    assert made.status_code == 302
    twin = db.session.get(Questionnaire, id_from(made.location, "questionnaires"))
    assert twin.programme_id == other.id
    assert b.post(f"/manage/questionnaires/{twin.id}/status", {"action": "open"}).status_code == 302

    respondent = app.test_client()
    page = respondent.get("/s/copy-2027")
    assert page.status_code == 200
    hidden = hidden_fields(page.get_data(as_text=True))
    respondent.post("/s/copy-2027", data={**hidden, "q_agree": "2", "q_colour": "green", "nav": "next"})
    counts = dict(db.session.execute(select(Response.questionnaire_id, func.count()).group_by(
        Response.questionnaire_id)).all())
    assert counts == {original.id: 1, twin.id: 1}


def test_duplicate_refuses_a_taken_slug_and_a_programme_not_managed(client, make, auth, db):
    programme, foreign = make.programme(), make.programme(name="Foreign")
    original = make.questionnaire(programme)
    auth.login(make.user(Role.MANAGER, programme).email)
    b = Builder(client)
    url = f"/manage/questionnaires/{original.id}/duplicate"
    before = db.session.scalar(select(func.count()).select_from(Questionnaire))
    taken = b.post(url, {"slug": original.slug, "programme_id": programme.id})
    assert taken.status_code == 422 and "already taken" in taken.get_data(as_text=True)
    assert b.post(url, {"slug": "fresh-slug", "programme_id": foreign.id}).status_code == 422
    assert b.post(url, {"slug": "Bad Slug!", "programme_id": programme.id}).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == before


def test_duplicate_without_a_csrf_token_changes_nothing(client, make, auth, db):
    programme = make.programme()
    original = make.questionnaire(programme)
    auth.login(make.user(Role.MANAGER, programme).email)
    refused = client.post(f"/manage/questionnaires/{original.id}/duplicate",
                          data={"slug": "no-token", "programme_id": programme.id})
    assert refused.status_code in (400, 422)
    assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == 1
