"""The parser: what it accepts, the tree it builds, and every message it gives, with its position."""
import pytest

from surveyapp.errors import DomainError
from surveyapp.logic import (
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    Call,
    Compare,
    ExpressionError,
    Literal,
    Not,
    Or,
    Ref,
    parse,
    references,
    rename,
    rename_option,
    render,
    to_json,
)


def cmp(code, value, op="=", number=False):
    return Compare(op, Ref(code), Literal(value, number))


@pytest.mark.parametrize(("text", "tree"), [
    ("q1 = 'yes'", cmp("q1", "yes")),
    ('q1 == "yes"', cmp("q1", "yes")),
    ("q1 = ‘yes’", cmp("q1", "yes")),
    ("q1 = „ja“", cmp("q1", "ja")),
    ("q1 = “yes”", cmp("q1", "yes")),
    ("${q1} = 'yes'", cmp("q1", "yes")),
    ("${ 2nd visit } = 1", cmp("2nd visit", "1", number=True)),
    ("age >= 18", cmp("age", "18", ">=", True)),
    ("age ≥ 18", cmp("age", "18", ">=", True)),
    ("age ≤ -1.5", cmp("age", "-1.5", "<=", True)),
    ("age<>3", cmp("age", "3", "!=", True)),
    ("age ≠ 3", cmp("age", "3", "!=", True)),
    ("age != 3", cmp("age", "3", "!=", True)),
    ("age < 3", cmp("age", "3", "<", True)),
    ("age > 3", cmp("age", "3", ">", True)),
    ("a = 1 AND b = 2 Or c = 3", Or((And((cmp("a", "1", number=True), cmp("b", "2", number=True))),
                                     cmp("c", "3", number=True)))),
    ("a = 1 and (b = 2 or c = 3)", And((cmp("a", "1", number=True),
                                        Or((cmp("b", "2", number=True), cmp("c", "3", number=True)))))),
    ("not a = 1", Not(cmp("a", "1", number=True))),
    ("NOT not a = 1", Not(Not(cmp("a", "1", number=True)))),
    ("selected(q, 'a')", Call("selected", (Ref("q"), Literal("a")))),
    ("Selected(q, 1)", Call("selected", (Ref("q"), Literal("1", True)))),
    ("count(q) >= 2", Compare(">=", Call("count", (Ref("q"),)), Literal("2", True))),
    ("answered(q) and empty(r)", And((Call("answered", (Ref("q"),)), Call("empty", (Ref("r"),))))),
    ("(q) = 'a'", cmp("q", "a")),
    ("q1 = q2", Compare("=", Ref("q1"), Ref("q2"))),
    ("count = 1", cmp("count", "1", number=True)),
    ("größe > 1", cmp("größe", "1", ">", True)),
    ("\tq1\n=\u00a0'x' ", cmp("q1", "x")),
])
def test_parses(text, tree):
    assert parse(text) == tree


def test_positions_are_kept_but_not_compared():
    tree = parse("  a = 1 and selected(bb, 'x')")
    assert tree.position == 3
    call = tree.operands[1]
    assert (call.position, call.args[0].position, call.args[1].position) == (13, 22, 26)


def test_references_in_order_and_once():
    assert references(parse("b = 1 and (a = 2 or count(b) > 1 or selected(${c d}, 'x'))")) == ["b", "a", "c d"]


def test_render_is_canonical():
    assert render(parse("A ≥ 1 AND NOT (b <> 'x' OR ${2a} == „y“)")) == "A >= 1 and not (b != 'x' or ${2a} = 'y')"
    assert render(parse("q = \"it's\"")) == "q = \"it's\""
    assert render(parse("${and} = 1")) == "${and} = 1"


def test_json_form():
    assert to_json(parse("q1 = 'yes' and (count(q) > 2 or not selected(q, 'a'))")) == [
        "and", ["cmp", "=", ["ref", "q1"], ["lit", "yes"]],
        ["or", ["cmp", ">", ["call", "count", ["ref", "q"]], ["lit", "2"]],
         ["not", ["call", "selected", ["ref", "q"], ["lit", "a"]]]]]


ERRORS = [
    ("", "An expression cannot be empty.", 1),
    ("   ", "An expression cannot be empty.", 1),
    ("q1 = 1)", "Unexpected “)” at position 7.", 7),
    ("q1 = 'yes' q2", "Unexpected “q2” at position 12.", 12),
    ("q1 = 1 and", "The expression ends too early: something is missing at position 11.", 11),
    ("(q1 = 1", "Missing “)” at position 8.", 8),
    ("count(q1 > 1", "Missing “)” at position 13.", 13),
    ("q1 # 2", "Unexpected character “#” at position 4.", 4),
    ("q1 = 'yes", "The text starting with ' at position 6 has no closing quotation mark.", 6),
    ("${q1 = 1", "Missing “}” after “${” at position 1.", 1),
    ("${ } = 1", "“${}” at position 1 needs an item code between the braces, e.g. ${q1}.", 1),
    ("2nd = 1", "“2nd” at position 1: write an item code that starts with a digit as ${2nd}.", 1),
    ("alter = 1e999", "“1e999” at position 9 is not a valid number here: write it with digits and at most one "
                      "decimal point, e.g. 1500 or 2.5 (no exponent).", 9),
    ("a > -2.5E+3 or b", "“-2.5E+3” at position 5 is not a valid number here: write it with digits and at most "
                         "one decimal point, e.g. 1500 or 2.5 (no exponent).", 5),
    ("selectd(q, 'a')", "Unknown function “selectd” at position 1. Use selected, count, answered or empty.", 1),
    ("a = 1 or selected(q)",
     "“selected” at position 10 takes an item and an option code, e.g. selected(q1, 'yes').", 10),
    ("selected('a', q)", "“selected” at position 1 takes an item and an option code, e.g. selected(q1, 'yes').", 1),
    ("count(q, r) > 1", "“count” at position 1 takes one item, e.g. count(q1).", 1),
    ("answered()", "“answered” at position 1 takes one item, e.g. answered(q1).", 1),
    ("empty(1)", "“empty” at position 1 takes one item, e.g. empty(q1).", 1),
    ("q1", "“q1” at position 1 is a value, not a condition: compare it, e.g. q1 = 'yes', or use answered(q1).", 1),
    ("a = 1 and ${b c}",
     "“${b c}” at position 11 is a value, not a condition: compare it, e.g. q1 = 'yes', or use answered(q1).", 11),
    ("not 'x'",
     "“'x'” at position 5 is a value, not a condition: compare it, e.g. q1 = 'yes', or use answered(q1).", 5),
    ("count(q)", "“count(q)” at position 1 is a value, not a condition: compare it, e.g. q1 = 'yes', "
                 "or use answered(q1).", 1),
    ("answered(q) = 1",
     "A condition cannot be compared (position 1): compare an item, a number, a text or count(…).", 1),
    ("a = (b = 1)",
     "A condition cannot be compared (position 6): compare an item, a number, a text or count(…).", 6),
    ("a = 1 = 2", "Unexpected “=” at position 7.", 7),
    ("x" * 30 + " or a = 1", "“" + "x" * 19 + "…” at position 1 is a value, not a condition: compare it, "
                        "e.g. q1 = 'yes', or use answered(q1).", 1),
    ("(" * (MAX_DEPTH + 1) + "a = 1" + ")" * (MAX_DEPTH + 1),
     f"Too many nested parentheses, functions or “not” at position {MAX_DEPTH + 1} (at most {MAX_DEPTH}).",
     MAX_DEPTH + 1),
    ("not " * (MAX_DEPTH + 1) + "a = 1",
     f"Too many nested parentheses, functions or “not” at position {4 * MAX_DEPTH + 1} (at most {MAX_DEPTH}).",
     4 * MAX_DEPTH + 1),
    ("a" * (MAX_LENGTH + 1),
     f"An expression can have at most {MAX_LENGTH} characters; this one is longer (position {MAX_LENGTH + 1}).",
     MAX_LENGTH + 1),
]


@pytest.mark.parametrize(("text", "message", "position"), ERRORS)
def test_error_messages(text, message, position):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert (str(caught.value.message), caught.value.position) == (message, position)
    assert isinstance(caught.value, DomainError) and caught.value.status_code == 422


def test_nesting_up_to_the_limit_parses():
    assert parse("(" * MAX_DEPTH + "a = 1" + ")" * MAX_DEPTH) == cmp("a", "1", number=True)


def test_not_a_string_is_empty():
    with pytest.raises(ExpressionError):
        parse(None)


@pytest.mark.parametrize(("text", "expected"), [
    ("${q} = 1 and  q=2 or selected(q, 'q')", "${r s} = 1 and  ${r s}=2 or selected(${r s}, 'q')"),
    ("q≠'a' OR qq = 1", "rs≠'a' OR qq = 1"),
    ("q = ", "q = "),  # does not parse: left alone
])
def test_rename_keeps_the_text_as_written(text, expected):
    assert rename(text, "q", "r s" if "${" in text else "rs") == expected


@pytest.mark.parametrize(("text", "new", "expected"), [
    ("q = 'a' or selected(q, „a“) or 'a' != q or r = 'a' or q = 'b'", "c",
     "q = 'c' or selected(q, „c“) or 'c' != q or r = 'a' or q = 'b'"),
    ("q = 1 or q > 1", "01", "q = 01 or q > 1"),  # an ordering names no option
    ("q = 1.0", "one", "q = 'one'"),
    ("q = 'a'", "it's", "q = \"it's\""),
])
def test_rename_option_only_where_the_item_is_compared_with_it(text, new, expected):
    old = "1" if "1" in text else "a"
    assert rename_option(text, "q", old, new) == expected
