"""Same-page display conditions in a real browser on a 360 px phone: static/logic.js shows an item as soon as
its condition holds and hides (and disables) it again; without JavaScript the item is simply there."""
import pytest
from sqlalchemy import select

from surveyapp.logic import evaluate, parse
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.responses.models import Answer

pytestmark = pytest.mark.browser

ITEMS = [
    ("drove", "yesno", True, 1, {}, []),
    ("km", "number", False, 1, {"min": 0, "max": 2000, "decimals": 1}, []),
    ("why", "text", True, 1, {}, []),
]
PHONE_360 = {"viewport": {"width": 360, "height": 740}}
SUBMIT = "button.primary[name=nav][value=submit]"


@pytest.fixture
def survey(live_server, make, db):
    questionnaire = make.questionnaire(slug="logic", languages=("en", "de"), items=ITEMS)
    conditions = {"km": "drove = 'yes'", "why": "drove = 'no' or km > 500.5"}
    for item in questionnaire.items:
        item.condition = conditions.get(item.code)
    db.session.commit()
    return f"/s/{questionnaire.slug}"


def questionnaire_id(db) -> int:
    return db.session.scalar(select(Questionnaire.id).where(Questionnaire.slug == "logic"))


def shown(page, code: str) -> bool:
    return page.locator(f"#q_{code}").is_visible()


def test_an_item_appears_when_its_condition_holds(pages, survey, db):
    page = pages.open(f"{survey}?lang=de", phone=True, **PHONE_360)
    assert not shown(page, "km") and not shown(page, "why")
    assert page.locator("#q_why").is_disabled()
    page.locator("label[for=q_drove-0]").click()  # yes: the distance is asked
    assert shown(page, "km") and not shown(page, "why")
    page.locator("#q_km").fill("600,5")  # a decimal comma, compared as 600.5 > 500.5
    assert shown(page, "why")
    page.locator("#q_km").fill("500.5")
    assert not shown(page, "why")
    page.locator("label[for=q_drove-1]").click()  # no: the distance goes, the reason is asked
    assert not shown(page, "km") and shown(page, "why") and page.locator("#q_km").is_disabled()
    pages.assert_accessible(page)
    page.locator("#q_why").fill("Kein Auto")
    page.locator(SUBMIT).click()
    page.wait_for_url("**/thanks")
    db.session.expire_all()
    stored = dict(db.session.execute(select(Item.code, Answer.value).join(Item, Answer.item_id == Item.id)
                                     .where(Item.questionnaire_id == questionnaire_id(db))).all())
    assert stored == {"drove": "no", "why": "Kein Auto"}  # the hidden distance was not sent


def test_without_javascript_every_item_is_there(pages, survey):
    page = pages.open(f"{survey}?lang=en", phone=True, javascript=False, **PHONE_360)
    assert shown(page, "km") and shown(page, "why")


# The script decides as surveyapp.logic.evaluate does: each condition below on the same answers, in both.
CONDITIONS = [
    "a = 'x'", "a != 'x'", "count(a) >= 2", "count(a) = 0", "selected(a, 'y') and not selected(a, 'z')",
    "n > 10", "n = 10.50", "n <= -1", "n >= 0.5 or n < -100", "d >= '2024-01-01'", "d < t", "t = 'abc'",
    "t < 'b'", "empty(t) or answered(d)", "(a = 'x' or n < 5) and not empty(n)", "t != 'abc' and t != ''",
]
ANSWERS = [
    {},
    {"a": ["x"], "n": "10.5", "d": "2024-01-01", "t": "abc"},
    {"a": ["y", "z"], "n": "-3,25", "d": "2023-12-31", "t": "2024-06-01"},
    {"a": ["x", "y"], "n": "0.5", "t": "  "},
    {"n": "-100", "t": "b"},
]


@pytest.fixture
def every_condition(live_server, make, db):
    items = [("a", "multiple", False, 1, {}, ["x", "y", "z"]), ("n", "number", False, 1, {"decimals": 2}, []),
             ("d", "date", False, 1, {}, []), ("t", "text", False, 1, {}, [])]
    items += [(f"c{number}", "text", False, 1, {}, []) for number in range(len(CONDITIONS))]
    questionnaire = make.questionnaire(slug="conditions", languages=("en",), items=items)
    for item in questionnaire.items:
        if item.code.startswith("c"):
            item.condition = CONDITIONS[int(item.code[1:])]
    db.session.commit()
    return f"/s/{questionnaire.slug}"


def as_stored(answers: dict) -> dict:
    """What the server would hold: a number's comma as a point, blank texts as no answer."""
    stored = {code: value if isinstance(value, list) else [value.replace(",", ".")] for code, value in answers.items()}
    return {code: [value for value in values if value.strip()] for code, values in stored.items()}


def test_the_script_decides_as_the_server_does(pages, every_condition):
    page = pages.open(every_condition, **PHONE_360)
    for answers in ANSWERS:
        for option in ("x", "y", "z"):
            page.locator(f"input[name=q_a][value={option}]").set_checked(option in answers.get("a", []))
        for code in ("n", "d", "t"):
            page.locator(f"#q_{code}").fill(answers.get(code, ""))
        expected = [evaluate(parse(text), as_stored(answers)) for text in CONDITIONS]
        assert [shown(page, f"c{number}") for number in range(len(CONDITIONS))] == expected, answers
