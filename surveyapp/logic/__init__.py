"""The logic language of display conditions and skip rules: parsed into a tree, never eval'd.

    q1 = 'yes' and (age >= 18 or not answered(age))
    selected(services, 'library') or count(services) > 2
    ${2nd_visit} ≠ 'no'

Items are named by their code (bare, or as ${code} for any code); numbers (`3`, `-1.5`) and texts ('a',
"a", ‘a’, “a”, „a“) are literals, texts mostly option codes. Comparisons `= == != ≠ <> < <= ≤ > >= ≥`;
`and`, `or`, `not` in any case; parentheses; the functions selected(q, 'code'), count(q), answered(q) and
empty(q). How values compare (numbers, dates, texts, several answers, no answer) is in `evaluate`'s
docstring.

API: `parse(text) -> Node` (or ExpressionError, a DomainError with a translated `.message` and a 1-based
`.position`; never any other exception), `evaluate(node, answers) -> bool` (never raises),
`references(node)`, `rename(text, old, new)` (an item code), `rename_option(text, item, old, new)`,
`render(node)` (canonical text) and `to_json(node)`.

JSON form (`to_json`), for the respondent page's script, which must decide exactly as `evaluate` does:
    ["or", c1, c2, ...]        ["and", c1, c2, ...]        ["not", c]
    ["cmp", op, v1, v2]        op: "=", "!=", "<", "<=", ">", ">=" (every spelling arrives as one of these)
    ["call", "selected", ["ref", code], ["lit", text]]      ["call", "answered" | "empty", ["ref", code]]
    ["call", "count", ["ref", code]] (a value: the number of answers, as a decimal string)
    ["ref", code] (a value: the item's answers)             ["lit", text] (a value: numbers as written, e.g. "3")
Literals are always JSON strings: whether a value is a number is decided when comparing, by evaluate.NUMBER.
"""
from surveyapp.logic.errors import ExpressionError
from surveyapp.logic.evaluate import evaluate
from surveyapp.logic.nodes import (
    And,
    Call,
    Compare,
    Literal,
    Node,
    Not,
    Or,
    Ref,
    is_condition,
    option_literals,
    references,
    render,
    to_json,
    walk,
)
from surveyapp.logic.parser import MAX_DEPTH, MAX_LENGTH, parse
from surveyapp.logic.rename import rename, rename_option

__all__ = ["And", "Call", "Compare", "ExpressionError", "Literal", "MAX_DEPTH", "MAX_LENGTH", "Node", "Not",
           "Or", "Ref", "evaluate", "is_condition", "option_literals", "parse", "references", "rename",
           "rename_option", "render", "to_json", "walk"]
