"""The expression tree, and what is read off it: the codes it uses, its canonical text, its JSON form.

Nodes are frozen: a parsed condition can be cached and shared. Positions (1-based, where the node starts in
the text it was parsed from) are kept for messages but left out of equality, so `parse(render(tree)) == tree`.
"""
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

KEYWORDS = frozenset({"and", "or", "not"})
CONDITION_FUNCTIONS = frozenset({"selected", "answered", "empty"})
FUNCTIONS = ("selected", "count", "answered", "empty")
BARE_NAME = re.compile(r"[^\W\d]\w*")


def _position():
    return field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Ref:
    """An item's answers, by its code. `end` is the 0-based end of its text, for renames."""

    code: str
    position: int = _position()
    end: int = _position()


@dataclass(frozen=True)
class Literal:
    """A number or a text (an option code). Both are kept as written; numbers stay strings, like answers.
    `end` is the 0-based end of its text, quotation marks included, for renames."""

    value: str
    number: bool = False
    position: int = _position()
    end: int = _position()


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple
    position: int = _position()


@dataclass(frozen=True)
class Compare:
    op: str  # one of OPERATORS' values
    left: object
    right: object
    position: int = _position()


@dataclass(frozen=True)
class Not:
    operand: object
    position: int = _position()


@dataclass(frozen=True)
class And:
    operands: tuple
    position: int = _position()


@dataclass(frozen=True)
class Or:
    operands: tuple
    position: int = _position()


Node = Ref | Literal | Call | Compare | Not | And | Or

# Every spelling a builder may type, to the one each is stored and evaluated as.
OPERATORS = {"=": "=", "==": "=", "!=": "!=", "≠": "!=", "<>": "!=", "<": "<", "<=": "<=", "≤": "<=",
             ">": ">", ">=": ">=", "≥": ">="}


def is_condition(node) -> bool:
    """True for what is true or false; False for values (items, literals, count)."""
    return isinstance(node, Compare | Not | And | Or) or (isinstance(node, Call) and node.name in
                                                           CONDITION_FUNCTIONS)


def children(node) -> tuple:
    if isinstance(node, And | Or):
        return node.operands
    if isinstance(node, Not):
        return (node.operand,)
    if isinstance(node, Compare):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return ()


def walk(node) -> Iterator:
    """Every node of the tree, parents before children, left to right."""
    yield node
    for child in children(node):
        yield from walk(child)


def references(node) -> list[str]:
    """The item codes the expression reads, each once, in the order written."""
    return list(dict.fromkeys(n.code for n in walk(node) if isinstance(n, Ref)))


def option_literals(tree, item: str):
    """The literals that stand for an option of `item`: compared with it by = or !=, or selected's code."""
    for node in walk(tree):
        if isinstance(node, Call) and node.name == "selected" and node.args[0].code == item:
            yield node.args[1]
        elif isinstance(node, Compare) and node.op in ("=", "!="):
            for one, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(one, Literal) and isinstance(other, Ref) and other.code == item:
                    yield one


def code_text(code: str) -> str:
    """An item code as written in an expression: bare where it can be, else ${code}."""
    bare = BARE_NAME.fullmatch(code) and code.lower() not in KEYWORDS
    return code if bare else "${" + code + "}"


def literal_text(node: Literal) -> str:
    if node.number:
        return node.value
    for opening, closing in (("'", "'"), ('"', '"'), ("‘", "’"), ("“", "”")):
        if closing not in node.value:
            return opening + node.value + closing
    return "'" + node.value + "'"  # unreachable for parsed texts: each lacks at least one closing mark


_PRECEDENCE = {Or: 1, And: 2, Not: 3}


def render(node) -> str:
    """The canonical text of a tree: ASCII operators, lower-case keywords, only the parentheses needed."""
    if isinstance(node, Ref):
        return code_text(node.code)
    if isinstance(node, Literal):
        return literal_text(node)
    if isinstance(node, Call):
        return node.name + "(" + ", ".join(render(arg) for arg in node.args) + ")"
    if isinstance(node, Compare):
        return f"{render(node.left)} {node.op} {render(node.right)}"
    if isinstance(node, Not):
        return "not " + _operand(node.operand, 2)
    word = " or " if isinstance(node, Or) else " and "
    return word.join(_operand(operand, _PRECEDENCE[type(node)]) for operand in node.operands)


def _operand(node, weakest_bare: int) -> str:
    """Render `node`, in parentheses when it binds no tighter than precedence `weakest_bare`."""
    text = render(node)
    return f"({text})" if _PRECEDENCE.get(type(node), 9) <= weakest_bare else text


def to_json(node) -> list:
    """The tree as nested lists (see the package docstring), for the respondent page's script."""
    if isinstance(node, Ref):
        return ["ref", node.code]
    if isinstance(node, Literal):
        return ["lit", node.value]
    if isinstance(node, Call):
        return ["call", node.name, *(to_json(arg) for arg in node.args)]
    if isinstance(node, Compare):
        return ["cmp", node.op, to_json(node.left), to_json(node.right)]
    if isinstance(node, Not):
        return ["not", to_json(node.operand)]
    return ["or" if isinstance(node, Or) else "and", *(to_json(operand) for operand in node.operands)]
