"""Decide a condition on a respondent's answers. Total: any answers, any tree from `parse`, never an error.

Every value is a list of strings, as answers are stored: an item's answers (none when unanswered), a literal
as written, count(q) as its decimal digits. Two strings compare
- as numbers when both match NUMBER (ASCII digits, optional sign and decimal point; exact decimals),
- else as dates when both match DATE (YYYY-MM-DD: in that form text order is date order),
- else only for equality: "<", "<=", ">", ">=" between texts are false.
A comparison holds when it holds for some value on the left and some on the right: `q = 'a'` is "a is among
q's answers" for a multiple choice, and nothing compares true with an unanswered item. "!=" is always the
negation of "=" (as in REDCap and Kobo, an unanswered q makes `q != 'a'` true), so `not (q = 'a')` and
`q != 'a'` never differ. `answered(q)` / `empty(q)` test for an answer, `count(q)` counts the answers and
`selected(q, 'a')` is `q = 'a'` (for single and multiple choice alike).
"""
import re
from collections.abc import Mapping
from decimal import Decimal

from surveyapp.logic.nodes import And, Call, Compare, Literal, Not, Or, Ref

NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ORDER = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
          ">=": lambda a, b: a >= b}


def evaluate(node, answers: Mapping) -> bool:
    """True when the condition holds for `answers` (item code -> its stored values)."""
    if isinstance(node, Or):
        return any(evaluate(operand, answers) for operand in node.operands)
    if isinstance(node, And):
        return all(evaluate(operand, answers) for operand in node.operands)
    if isinstance(node, Not):
        return not evaluate(node.operand, answers)
    if isinstance(node, Compare):
        return _compare(node.op, _values(node.left, answers), _values(node.right, answers))
    if isinstance(node, Call):
        return _condition_call(node, answers)
    return False


def _condition_call(node: Call, answers: Mapping) -> bool:
    given = _values(node.args[0], answers)
    if node.name == "answered":
        return bool(given)
    if node.name == "empty":
        return not given
    return _compare("=", given, _values(node.args[1], answers))


def _values(node, answers: Mapping) -> list[str]:
    if isinstance(node, Literal):
        return [node.value]
    if isinstance(node, Ref):
        return answered_values(answers, node.code)
    if isinstance(node, Call) and node.name == "count":
        return [str(len(answered_values(answers, node.args[0].code)))]
    return []


def answered_values(answers: Mapping, code: str) -> list[str]:
    """The item's answers as strings, blank ones left out (no answer); a lone string is one answer, not its
    letters."""
    values = answers.get(code) if isinstance(answers, Mapping) else None
    if values is None:
        return []
    if isinstance(values, str | int | float | Decimal):
        values = [values]
    try:
        values = list(values)
    except TypeError:
        return []
    return [str(value) for value in values if value is not None and str(value).strip()]


def same_value(a: str, b: str) -> bool:
    """Whether `=` holds between two single values ("1" and "1.0" do: both are numbers)."""
    return _holds("=", a, b)


def _compare(op: str, left: list[str], right: list[str]) -> bool:
    if op == "!=":
        return not _compare("=", left, right)
    return any(_holds(op, a, b) for a in left for b in right)


def _holds(op: str, a: str, b: str) -> bool:
    if NUMBER.fullmatch(a) and NUMBER.fullmatch(b):
        a, b = Decimal(a), Decimal(b)
    elif not (DATE.fullmatch(a) and DATE.fullmatch(b)) and op != "=":
        return False
    return a == b if op == "=" else _ORDER[op](a, b)
