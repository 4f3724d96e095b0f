"""LimeSurvey relevance equations (ExpressionScript) translated into the logic language, where they fit.

Supported: `and or not && || !`, comparisons (`== != < <= > >=` and `eq ne lt le gt ge`), parentheses,
`is_empty(q)`, a question's value (`q`, `q.NAOK`, `q.value`, SGQA names such as `123X4X56`), a multiple
choice's option (`q_sq == "Y"`), `count(that.q)` of a multiple choice, `q == ""`. Answer codes are rewritten
to the imported option codes (`Y` of a yes/no question is `yes`). Everything else (arithmetic, other
functions, assignments, `.shown`, …) raises Untranslatable with the reason; the caller reports the equation.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from surveyapp import logic
from surveyapp.logic import And, Call, Compare, Literal, Not, Or, Ref

ALWAYS = frozenset({"", "1", "true"})
_TOKEN = re.compile(r"""\s*(?:
    (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
   |(?P<name>[0-9]+X[0-9]+X[0-9]+\w*(?:\.\w+)?|[A-Za-z_]\w*(?:\.\w+)*)
   |(?P<number>[0-9]+(?:\.[0-9]+)?)
   |(?P<op>==|!=|<=|>=|&&|\|\||[<>!(),=+\-*/])
)""", re.VERBOSE)
_WORDS = {"and": "&&", "or": "||", "not": "!", "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">",
          "ge": ">="}
_COMPARE = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_FLIPPED = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_SUFFIXES = ("NAOK", "value", "code")
YES = "Y"


class Untranslatable(Exception):
    """An equation (or a part of it) with no equivalent in the logic language; `reason` says which part."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


@dataclass(frozen=True)
class Target:
    """What a name in an equation stands for in the questionnaire being built."""

    code: str  # the item's code
    values: dict[str, str] | None = None  # a coded item: LimeSurvey answer code -> option code
    choice: str | None = None  # a multiple choice's option (`q_sq`): its option code
    multi: bool = False  # a multiple choice itself


Resolve = Callable[[str], Target]  # a LimeSurvey name -> its target, or Untranslatable


def translate(equation: str | None, resolve: Resolve) -> str | None:
    """The condition in the logic language; None when the equation always holds."""
    text = (equation or "").strip()
    if text.lower() in ALWAYS:
        return None
    if len(text) > logic.MAX_LENGTH:
        raise Untranslatable(_l("it is longer than %(num)s characters.", num=logic.MAX_LENGTH))
    try:
        node = _Converter(resolve).condition(_Parser(_tokens(text)).parse())
    except RecursionError:
        raise Untranslatable(_l("it is nested too deeply.")) from None
    rendered = logic.render(node)
    try:
        logic.parse(rendered)
    except logic.ExpressionError as error:
        raise Untranslatable(error.message) from None
    return rendered


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, index = [], 0
    while index < len(text):
        if text[index:].strip() == "":
            break
        match = _TOKEN.match(text, index)
        if not match or match.end() == index:
            raise Untranslatable(_l("“%(text)s” is not understood.", text=text[index:index + 20].strip()))
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "name" and value.lower() in _WORDS:
            kind, value = "op", _WORDS[value.lower()]
        tokens.append((kind, value))
        index = match.end()
    tokens.append(("end", ""))
    return tokens


class _Parser:
    """ExpressionScript's precedence: ! binds tightest, then comparisons, then &&, then ||."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.index = tokens, 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.index]

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, value: str) -> bool:
        return self.peek() == ("op", value)

    def parse(self):
        tree = self.either()
        if self.peek()[0] != "end":
            raise Untranslatable(_l("“%(text)s” is not supported here.", text=self.peek()[1]))
        return tree

    def either(self):
        parts = [self.both()]
        while self.at("||"):
            self.take()
            parts.append(self.both())
        return ("or", parts) if len(parts) > 1 else parts[0]

    def both(self):
        parts = [self.negation()]
        while self.at("&&"):
            self.take()
            parts.append(self.negation())
        return ("and", parts) if len(parts) > 1 else parts[0]

    def negation(self):
        if self.at("!"):
            self.take()
            return ("not", self.negation())
        return self.comparison()

    def comparison(self):
        left = self.primary()
        kind, value = self.peek()
        if kind == "op" and value in _COMPARE:
            self.take()
            return ("cmp", _COMPARE[value], left, self.primary())
        if kind == "op" and value in "=+-*/":
            raise Untranslatable(_l("arithmetic and assignments (“%(op)s”) are not supported.", op=value))
        return left

    def primary(self):
        kind, value = self.take()
        if (kind, value) == ("op", "("):
            inner = self.either()
            self.expect(")")
            return inner
        if (kind, value) == ("op", "-") and self.peek()[0] == "number":
            return ("lit", "-" + self.take()[1], True)
        if kind == "name" and self.at("("):
            return self.call(value)
        if kind == "name":
            return ("ref", value)
        if kind == "number":
            return ("lit", value, True)
        if kind == "string":
            return ("lit", re.sub(r"\\(.)", r"\1", value[1:-1]), False)
        raise Untranslatable(_l("“%(text)s” is not supported here.", text=value or "…"))

    def call(self, name: str):
        self.take()
        args = []
        if not self.at(")"):
            args.append(self.either())
            while self.at(","):
                self.take()
                args.append(self.either())
        self.expect(")")
        return ("call", name, args)

    def expect(self, value: str) -> None:
        if self.take() != ("op", value):
            raise Untranslatable(_l("a parenthesis is missing."))


class _Converter:
    def __init__(self, resolve: Resolve):
        self.resolve = resolve

    def condition(self, node):
        kind = node[0]
        if kind in ("and", "or"):
            operands = tuple(self.condition(part) for part in node[1])
            return And(operands) if kind == "and" else Or(operands)
        if kind == "not":
            return _negated(self.condition(node[1]))
        if kind == "cmp":
            return self.compare(*node[1:])
        if kind == "call" and node[1].lower() == "is_empty":
            return self.is_empty(node[2])
        if kind == "call":
            raise Untranslatable(_l("the function %(name)s() is not supported here.", name=node[1]))
        raise Untranslatable(_l("“%(text)s” alone is no condition.", text=_shown(node)))

    def is_empty(self, args):
        if len(args) != 1 or args[0][0] != "ref":
            raise Untranslatable(_l("is_empty() takes one question."))
        target = self.target(args[0][1])
        if target.choice:
            return Not(_selected(target))
        return Call("empty", (Ref(target.code),))

    def compare(self, op: str, left, right):
        if left[0] == "lit" and right[0] != "lit":
            left, right, op = right, left, _FLIPPED[op]
        if left[0] == "call":
            return Compare(op, self.count(left), self.value(right))
        if left[0] != "ref":
            raise Untranslatable(_l("“%(text)s” cannot be compared here.", text=_shown(left)))
        target = self.target(left[1])
        if right[0] == "lit":
            return self.against_literal(op, target, right)
        other = self.value(right)
        if target.choice or target.values is not None or isinstance(other, Ref) and self._coded(right):
            raise Untranslatable(_l("comparing two questions with options is not supported."))
        return Compare(op, Ref(target.code), other)

    def against_literal(self, op: str, target: Target, literal):
        value, number = literal[1], literal[2]
        if target.choice:
            if op not in ("=", "!=") or value not in (YES, ""):
                raise Untranslatable(_l("an option of a multiple choice is compared with “Y” or “” only."))
            chosen = (value == YES) == (op == "=")
            return _selected(target) if chosen else Not(_selected(target))
        if value == "" and not number:
            if op not in ("=", "!="):
                raise Untranslatable(_l("“%(op)s” does not compare with an empty text.", op=op))
            return Call("empty" if op == "=" else "answered", (Ref(target.code),))
        if target.values is not None:
            if op not in ("=", "!=") or value not in target.values:
                raise Untranslatable(_l("“%(value)s” is not an answer code of %(code)s.", value=value,
                                        code=target.code))
            return Compare(op, Ref(target.code), Literal(target.values[value]))
        return Compare(op, Ref(target.code), Literal(value, number))

    def value(self, node):
        if node[0] == "lit":
            return Literal(node[1], node[2])
        if node[0] == "ref":
            target = self.target(node[1])
            if target.choice:
                raise Untranslatable(_l("an option of a multiple choice is compared with “Y” or “” only."))
            return Ref(target.code)
        if node[0] == "call":
            return self.count(node)
        raise Untranslatable(_l("“%(text)s” cannot be compared here.", text=_shown(node)))

    def count(self, node):
        """count(that.q) of a multiple choice: how many options are chosen."""
        name, args = node[1].lower(), node[2]
        if name != "count" or len(args) != 1 or args[0][0] != "ref" or not args[0][1].startswith("that."):
            raise Untranslatable(_l("the function %(name)s() is not supported here.", name=node[1]))
        target = self.target(args[0][1].removeprefix("that."))
        if not target.multi:
            raise Untranslatable(_l("count(that.…) counts the options of a multiple choice only."))
        return Call("count", (Ref(target.code),))

    def target(self, name: str) -> Target:
        base, _, suffix = name.partition(".")
        if suffix and suffix not in _SUFFIXES:
            raise Untranslatable(_l("“%(name)s” is not supported here.", name=name))
        return self.resolve(base)

    def _coded(self, node) -> bool:
        return self.target(node[1]).values is not None


def _selected(target: Target) -> Call:
    return Call("selected", (Ref(target.code), Literal(target.choice)))


def _negated(node):
    """not empty(q) reads as answered(q), and the other way round."""
    if isinstance(node, Call) and node.name in ("empty", "answered"):
        return Call("answered" if node.name == "empty" else "empty", node.args)
    if isinstance(node, Not):
        return node.operand
    return Not(node)


def _shown(node) -> str:
    if node[0] in ("ref", "lit"):
        return str(node[1])
    if node[0] == "call":
        return f"{node[1]}(…)"
    return "…"
