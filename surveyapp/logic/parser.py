"""A recursive-descent parser: text -> tree, or an ExpressionError naming what is wrong and where.

Grammar, loosest first:
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := primary (OPERATOR primary)?
    primary    := "(" or_expr ")" | NAME "(" arguments? ")" | NAME | ${code} | NUMBER | TEXT
The input is bounded (MAX_LENGTH characters, MAX_DEPTH nested parentheses, calls and "not"), so no text can
exhaust the stack: too long or too deep is an ExpressionError like any other.
"""
from surveyapp.logic import errors
from surveyapp.logic.nodes import (
    FUNCTIONS,
    And,
    Call,
    Compare,
    Literal,
    Not,
    Or,
    Ref,
    is_condition,
    render,
)
from surveyapp.logic.tokens import (
    COMMA,
    END,
    KEYWORD,
    LPAREN,
    NAME,
    NUMBER,
    OP,
    REF,
    RPAREN,
    STRING,
    Token,
    tokenize,
)

MAX_LENGTH = 2000
MAX_DEPTH = 50


def parse(text):
    """The tree of a condition; ExpressionError (and nothing else) for anything that is not one."""
    text = text if isinstance(text, str) else ""
    if len(text) > MAX_LENGTH:
        raise errors.too_long(MAX_LENGTH)
    if not text.strip():
        raise errors.empty()
    return _Parser(text, tokenize(text)).condition()


class _Parser:
    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.token
        self.index += 1
        return token

    def at_keyword(self, word: str) -> bool:
        return self.token.kind == KEYWORD and self.token.value == word

    def condition(self):
        node = self.or_expr()
        if self.token.kind != END:
            raise errors.unexpected(self.token.text, self.token.position)
        return self.require_condition(node)

    def or_expr(self):
        return self.chain("or", Or, self.and_expr)

    def and_expr(self):
        return self.chain("and", And, self.not_expr)

    def chain(self, word: str, node_class, operand):
        first = operand()
        operands = [first]
        while self.at_keyword(word):
            self.advance()
            operands.append(operand())
        if len(operands) == 1:
            return first
        return node_class(tuple(self.require_condition(node) for node in operands), first.position)

    def not_expr(self):
        if not self.at_keyword("not"):
            return self.comparison()
        keyword = self.advance()
        self.enter(keyword)
        operand = self.require_condition(self.not_expr())
        self.depth -= 1
        return Not(operand, keyword.position)

    def comparison(self):
        left = self.primary()
        if self.token.kind != OP:
            return left
        operator = self.advance()
        right = self.primary()
        return Compare(operator.value, self.require_value(left), self.require_value(right), left.position)

    def primary(self):
        token = self.advance()
        if token.kind == LPAREN:
            return self.group(token)
        if token.kind == NAME and self.token.kind == LPAREN:
            return self.call(token)
        if token.kind in (NAME, REF):
            return Ref(token.value, token.position, token.end)
        if token.kind in (NUMBER, STRING):
            return Literal(token.value, token.kind == NUMBER, token.position, token.end)
        if token.kind == END:
            raise errors.incomplete(token.position)
        raise errors.unexpected(token.text, token.position)

    def group(self, opening: Token):
        self.enter(opening)
        inner = self.or_expr()
        self.close()
        self.depth -= 1
        return inner

    def call(self, name_token: Token):
        name = name_token.value.lower()
        if name not in FUNCTIONS:
            raise errors.unknown_function(name_token.value, name_token.position)
        self.enter(self.advance())
        args = []
        if self.token.kind != RPAREN:
            args.append(self.or_expr())
            while self.token.kind == COMMA:
                self.advance()
                args.append(self.or_expr())
        self.close()
        self.depth -= 1
        return _checked_call(name, tuple(args), name_token.position)

    def close(self) -> None:
        if self.token.kind != RPAREN:
            raise errors.missing_parenthesis(self.token.position)
        self.advance()

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise errors.too_deep(token.position, MAX_DEPTH)

    def require_condition(self, node):
        if not is_condition(node):
            raise errors.not_a_condition(self.source(node), node.position)
        return node

    @staticmethod
    def require_value(node):
        if is_condition(node):
            raise errors.not_a_value(node.position)
        return node

    def source(self, node) -> str:
        """A value as the builder wrote it (an item as typed, ${…} or bare), for messages."""
        if isinstance(node, Ref):
            return self.text[node.position - 1:node.end]
        return render(node)


def _checked_call(name: str, args: tuple, position: int) -> Call:
    if name == "selected":
        if len(args) != 2 or not isinstance(args[0], Ref) or not isinstance(args[1], Literal):
            raise errors.selected_arguments(position)
    elif len(args) != 1 or not isinstance(args[0], Ref):
        raise errors.item_argument(name, position)
    return Call(name, args, position)
