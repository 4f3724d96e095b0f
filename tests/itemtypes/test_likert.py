"""Likert: 5 or 7 points, worded ends in the value labels, the top boxes counted by its agreement share."""
import pytest

from surveyapp.errors import DomainError
from surveyapp.itemtypes import item_type
from tests.itemtypes.examples import questionnaire_with


def test_a_likert_scale_has_5_or_7_points():
    likert = item_type("likert")
    assert likert.check_settings({"points": 7, "low": None}) == {"points": 7}
    with pytest.raises(DomainError, match="A Likert scale has 5 or 7 points."):
        likert.check_settings({"points": 6})


def test_value_labels_carry_the_worded_ends_in_each_language(make, db):
    questionnaire = questionnaire_with(make, "likert", settings={"points": 7})
    item = questionnaire.items[0]
    item.texts.clear()
    db.session.flush()
    from surveyapp.questionnaires import service

    service.set_item_texts(item, "de", {"label": "Frage", "low": "gar nicht", "high": "völlig"})
    labels = item.kind.value_labels(item, "de")
    assert list(labels) == [str(n) for n in range(1, 8)]
    assert (labels["1"], labels["4"], labels["7"]) == ("1 – gar nicht", "4", "7 – völlig")


def test_the_agreement_share_counts_the_top_boxes(make):
    item = questionnaire_with(make, "likert", settings={"points": 5}).items[0]
    assert item.kind.share_codes(item, 2) == ["4", "5"]
    with pytest.raises(ValueError, match="top boxes"):
        item.kind.share_codes(item, 5)
