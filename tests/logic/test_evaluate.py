"""The evaluator: how numbers, dates, texts, several answers and no answer compare."""
import pytest

from surveyapp.logic import evaluate, parse

ANSWERS = {
    "age": ["42"],
    "score": ["7.5"],
    "when": ["2026-03-01"],
    "yes": ["yes"],
    "services": ["library", "parks"],
    "none": [],
    "blank": ["", " \n"],
    "code": ["010"],
}


@pytest.mark.parametrize(("text", "expected"), [
    ("age = 42", True),
    ("age = 42.0", True),  # numbers compare as numbers
    ("age = '42'", True),  # whatever the quotes: both sides are numbers
    ("code = 10", True),
    ("code = '010'", True),
    ("age > 9", True),  # not as texts ('42' < '9')
    ("age >= 42 and age <= 42", True),
    ("age < 42 or age > 42", False),
    ("score > 7.49", True),
    ("score ≥ -1", True),
    ("when < '2026-03-02'", True),
    ("when > '2025-12-31'", True),
    ("when = '2026-03-01'", True),
    ("yes = 'yes'", True),
    ("yes = 'Yes'", False),  # option codes are exact
    ("yes > 'a'", False),  # texts have no order
    ("yes <= 'yes'", False),
    ("yes != 'no'", True),
    ("services = 'parks'", True),  # membership
    ("services = 'buses'", False),
    ("services != 'library'", False),
    ("services != 'buses'", True),
    ("selected(services, 'library')", True),
    ("selected(yes, 'yes')", True),  # single choice too
    ("selected(services, 'buses')", False),
    ("count(services) = 2", True),
    ("count(none) = 0", True),
    ("count(blank) = 0", True),  # an empty string is no answer
    ("count(missing) < 1", True),
    ("answered(age) and empty(none) and empty(blank) and empty(missing)", True),
    ("answered(none)", False),
    # nothing compares true with an unanswered item, but != is not =
    ("none = ''", False),
    ("none < 1 or none > 1 or none = 1", False),
    ("missing = 'a'", False),
    ("missing != 'a'", True),
    ("not (missing = 'a')", True),
    ("age = age", True),
    ("services = yes", False),
    ("services = services", True),
    ("not age = 42", False),
    ("age = 1 or age = 42 and yes = 'yes'", True),
    ("(age = 1 or age = 42) and yes = 'no'", False),
])
def test_evaluates(text, expected):
    assert evaluate(parse(text), ANSWERS) is expected


@pytest.mark.parametrize("answers", [
    {},
    {"q": "a"},  # a lone string is one answer, not its letters
    {"q": ("a",)},
    {"q": [None, "a"]},
    {"q": 1},
    {"q": object()},
    None,
])
def test_odd_answers_do_not_raise(answers):
    assert evaluate(parse("q = 'a' or count(q) > 5"), answers) in (True, False)


def test_a_lone_string_is_one_answer():
    assert evaluate(parse("count(q) = 1 and q = 'abc'"), {"q": "abc"})
