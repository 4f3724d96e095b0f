"""XLSForm expressions to and from surveyapp's logic language (surveyapp.logic) and validation settings.

`relevant` is close to the logic language already: `${q} = 'x'`, `selected(${q}, 'x')`, and / or / not( … ),
comparisons. What differs: `count-selected(${q})` is count(q); `${q} != ''` means "answered" in XLSForm but
"not the empty text" in the logic language (true when unanswered), so it becomes answered(q) (and `= ''`
empty(q)). Anything else the parser refuses (arithmetic, today(), if(), string functions) is untranslatable.

A constraint maps only in the shapes a setting can hold: `. >= a and . <= b` (a number's range or a date's
limits), `string-length(.) <= n` (a text's length), `regex(., 'p')` (a pattern) and `count-selected(.) <= n`
(how many choices). The export writes exactly these shapes, so a round trip gives the same settings.
"""
import re

from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError
from surveyapp.itemtypes.rules import check_pattern
from surveyapp.logic import Call, Compare, ExpressionError, Literal, Not, Or, Ref, parse, render
from surveyapp.logic.nodes import And


class Untranslatable(Exception):
    """An expression or constraint with no equivalent here; `reason` says why (lazy, translated)."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


# --- relevant -> logic language -----------------------------------------------------------------------------
def to_condition(text: str, codes: dict[str, str], options: dict[str, dict[str, str]]) -> str:
    """The condition of an XLSForm `relevant`; `codes` maps each earlier name to its item code, `options` each
    item code to {choice name: option code}. Untranslatable for what does not map."""
    source = re.sub(r"count-selected\s*\(", "count(", text.strip())
    try:
        tree = parse(source)
    except ExpressionError as error:
        raise Untranslatable(_l("“%(expression)s” cannot be expressed in surveyapp's condition language: "
                                "%(problem)s", expression=text, problem=error.message)) from None
    return render(_convert(tree, codes, options, text))


def _convert(node, codes, options, text):
    if isinstance(node, (And, Or)):
        return type(node)(tuple(_convert(operand, codes, options, text) for operand in node.operands))
    if isinstance(node, Not):
        return Not(_convert(node.operand, codes, options, text))
    if isinstance(node, Compare) and node.op in ("=", "!=") and _is_blank(node.right) and isinstance(node.left,
                                                                                                     Ref):
        return Call("empty" if node.op == "=" else "answered", (_ref(node.left, codes, text),))
    if isinstance(node, Compare):
        left, right = _ref_or_value(node.left, codes, text), _ref_or_value(node.right, codes, text)
        return Compare(node.op, _option(left, right, options), _option(right, left, options))
    if isinstance(node, Call):
        args = tuple(_ref_or_value(arg, codes, text) for arg in node.args)
        if node.name == "selected":
            args = (args[0], _option(args[1], args[0], options))
        return Call(node.name, args)
    return node


def _is_blank(node) -> bool:
    return isinstance(node, Literal) and not node.number and node.value == ""


def _ref_or_value(node, codes, text):
    return _ref(node, codes, text) if isinstance(node, Ref) else node


def _ref(node: Ref, codes: dict[str, str], text: str) -> Ref:
    if node.code == ".":
        raise Untranslatable(_l("“%(expression)s” refers to the question itself (“.”).", expression=text))
    if node.code not in codes:
        raise Untranslatable(_l("“%(expression)s” refers to “%(name)s”, which is not an earlier question that "
                                "is imported.", expression=text, name=node.code))
    return Ref(codes[node.code])


def _option(value, other, options):
    """A choice name compared with a choice item becomes its option code (codes may have been normalised)."""
    if isinstance(value, Literal) and not value.number and isinstance(other, Ref):
        renamed = options.get(other.code, {}).get(value.value)
        if renamed is not None:
            return Literal(renamed)
    return value


# --- logic language -> relevant -----------------------------------------------------------------------------
def to_relevant(condition: str) -> str:
    """The XLSForm `relevant` of a stored condition (which always parses: the builder checked it)."""
    return _xpath(parse(condition))


def _xpath(node) -> str:
    if isinstance(node, Ref):
        return "${" + node.code + "}"
    if isinstance(node, Literal):
        return node.value if node.number else "'" + node.value.replace("'", "’") + "'"
    if isinstance(node, Call):
        target = _xpath(node.args[0])
        if node.name == "selected":
            return f"selected({target}, {_xpath(node.args[1])})"
        if node.name == "count":
            return f"count-selected({target})"
        return f"{target} {'!=' if node.name == 'answered' else '='} ''"
    if isinstance(node, Compare):
        return f"{_xpath(node.left)} {node.op} {_xpath(node.right)}"
    if isinstance(node, Not):
        return f"not({_xpath(node.operand)})"
    word = " or " if isinstance(node, Or) else " and "
    return word.join(f"({_xpath(operand)})" if isinstance(operand, (And, Or)) else _xpath(operand)
                     for operand in node.operands)


# --- constraint <-> settings --------------------------------------------------------------------------------
_NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
_BOUND = re.compile(rf"^\.\s*(>=|>|<=|<)\s*({_NUMBER})$")
_LENGTH = re.compile(rf"^string-length\(\s*\.\s*\)\s*(>=|>|<=|<)\s*({_NUMBER})$")
_COUNT = re.compile(rf"^count-selected\(\s*\.\s*\)\s*(>=|>|<=|<)\s*({_NUMBER})$")
_DATE = re.compile(r"^\.\s*(>=|<=)\s*(?:date\(\s*)?'([0-9]{4}-[0-9]{2}-[0-9]{2})'\s*\)?$")
_REGEX = re.compile(r"^regex\(\s*\.\s*,\s*(['\"])(.*)\1\s*\)$", re.DOTALL)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
# type -> (pattern of one bound, lower setting, upper setting)
BOUNDS = {"number": (_BOUND, "min", "max"), "text": (_LENGTH, "min_length", "max_length"),
          "longtext": (_LENGTH, "min_length", "max_length"), "multiple": (_COUNT, "min_choices", "max_choices")}


def constraint_settings(type_code: str, constraint: str) -> dict:
    """The settings a constraint means for an item of `type_code`; Untranslatable if it has no equivalent."""
    settings = {}
    for part in _AND.split(constraint.strip()):
        settings.update(_one_rule(type_code, part.strip()))
    return settings


def _one_rule(type_code: str, rule: str) -> dict:
    if type_code == "text" and (found := _REGEX.match(rule)):
        pattern = found.group(2).removeprefix("^").removesuffix("$")
        try:  # the builder's own check, so a pattern it would refuse is a problem of this row, not of the file
            check_pattern(pattern)
        except DomainError as error:
            raise Untranslatable(error.message) from None
        return {"pattern": pattern}
    if type_code == "date" and (found := _DATE.match(rule)):
        return {"earliest" if found.group(1) == ">=" else "latest": found.group(2)}
    shape = BOUNDS.get(type_code)
    found = shape and shape[0].match(rule)
    if not found or "." in found.group(2):
        raise Untranslatable(_l("The constraint “%(rule)s” cannot be expressed as a setting of this question "
                                "(a range, a length, a pattern or a number of answers).", rule=rule))
    operator, value = found.group(1), int(found.group(2))
    if operator in (">", ">="):
        return {shape[1]: value + (operator == ">")}
    return {shape[2]: value - (operator == "<")}


def to_constraint(type_code: str, settings: dict) -> str:
    """The XLSForm constraint of an item's validation settings ("" when it has none)."""
    rules = []
    if settings.get("pattern"):
        rules.append("regex(., '^" + settings["pattern"].replace("'", "\\x27") + "$')")
    if type_code == "date":
        rules += [f". {op} date('{settings[key]}')" for key, op in (("earliest", ">="), ("latest", "<="))
                  if settings.get(key)]
    shape = BOUNDS.get(type_code)
    if shape:
        subject = {"number": ".", "multiple": "count-selected(.)"}.get(type_code, "string-length(.)")
        rules += [f"{subject} {op} {settings[key]}" for key, op in ((shape[1], ">="), (shape[2], "<="))
                  if settings.get(key) is not None]
    return " and ".join(rules)
