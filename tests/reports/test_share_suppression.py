"""A share is withheld when its numerator or its complement holds somebody but fewer than min_n (the
complementary rule): “3 of 8 agreed” names 3 people as surely as a cell of 3 would, and “6 of 8” names 2."""
import io
import re

import pytest
from pypdf import PdfReader

from surveyapp.accounts.models import Role
from surveyapp.suppression import gives_away
from tests.reports.seed import seed_responses

LIKERT = ("agree", "likert", True, 1, {"points": 5}, [])


def _report(client, make, auth, agreeing: int, n: int) -> tuple[str, str]:
    """The web report and the PDF's text of a 5-point item that `agreeing` of `n` answered with 5, the rest 1."""
    questionnaire = make.questionnaire(items=[LIKERT])
    seed_responses(questionnaire, [{"agree": 5}] * agreeing + [{"agree": 1}] * (n - agreeing))
    auth.login(make.user(Role.EVALUATOR, questionnaire.programme).email)
    html = client.get(f"/manage/questionnaires/{questionnaire.id}/report?ui=en&lang=en").get_data(as_text=True)
    pdf = client.get(f"/manage/questionnaires/{questionnaire.id}/report.pdf?ui=en&lang=en").data
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    return re.sub(r"\s+", " ", html), text


@pytest.mark.parametrize("agreeing", [3, 6])
def test_a_share_that_tells_a_small_cell_is_withheld(client, make, auth, agreeing):
    html, text = _report(client, make, auth, agreeing, 8)
    assert "Agreement (top boxes): withheld" in text
    assert "Agreement (top boxes): withheld" in html
    assert re.search(r"Key figures with-? ?held agree \(en\)", text)  # the key figure too (hyphenated, big)
    for share in ("38 %", "38%", "75 %", "75%"):
        assert f"Agreement (top boxes): {share}" not in text and f"Agreement (top boxes): {share}" not in html


def test_a_share_of_ten_in_twenty_is_shown(client, make, auth):
    html, text = _report(client, make, auth, 10, 20)
    assert re.search(r"Agreement \(top boxes\): 50 ?%", text)
    assert re.search(r"Agreement \(top boxes\): 50 ?%", html)
    assert "Agreement (top boxes): withheld" not in text and "Key figures 50% agree (en)" in text


def test_the_rule():
    assert gives_away(3, 8, 5) and gives_away(6, 8, 5)
    assert not gives_away(10, 20, 5) and not gives_away(0, 8, 5) and not gives_away(8, 8, 5)
