"""The exclusive option of a multiple choice in a real browser: ticking "none" unticks the others, ticking
another unticks "none" (static/exclusive.js); the server still refuses both together without it."""
import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(live_server, make, db):
    questionnaire = make.questionnaire(slug="none-of-these", languages=("en",), items=[
        ("x", "multiple", False, 1, {"exclusive": "none"}, ["red", "green", "none"])])
    db.session.commit()
    return f"/s/{questionnaire.slug}"


def test_none_unticks_the_others_and_another_unticks_none(pages, survey):
    page = pages.open(survey)
    boxes = {code: page.locator(f"input[name=q_x][value={code}]") for code in ("red", "green", "none")}
    boxes["red"].check()
    boxes["green"].check()
    boxes["none"].check()
    assert [box.is_checked() for box in boxes.values()] == [False, False, True]
    boxes["green"].check()
    assert [box.is_checked() for box in boxes.values()] == [False, True, False]
