"""Cut an expression into tokens, each with where it starts and ends (0-based offsets into the text).

A hand-written scanner: every regular expression here matches one token at one place and cannot backtrack
beyond it, so a long or hostile text costs linear time.
"""
import re
from dataclasses import dataclass

from surveyapp.logic import errors
from surveyapp.logic.nodes import KEYWORDS, OPERATORS

NAME, REF, NUMBER, STRING, OP, LPAREN, RPAREN, COMMA, KEYWORD, END = (
    "name", "ref", "number", "string", "op", "(", ")", ",", "keyword", "end")

_NAME = re.compile(r"[^\W\d]\w*")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_WORD_CHAR = re.compile(r"\w")
_WORD_CHAR_RUN = re.compile(r"-?\w+")
_EXPONENT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]+(?!\w)")  # 1e999: a number, yet not one we read
# Opening quotation mark -> the marks that close it: typewriter quotes, and the typographic ones that a
# text pasted from a word processor brings along (German „…“ as well as English “…”).
QUOTES = {"'": "'", '"': '"', "‘": "’", "“": "”", "„": "“”"}
_PUNCTUATION = {"(": LPAREN, ")": RPAREN, ",": COMMA}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str  # as written
    value: str  # a code, a number, a text's content, an operator's canonical form, a lower-case keyword
    start: int
    end: int

    @property
    def position(self) -> int:
        return self.start + 1


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, ending in an END token; ExpressionError at the first thing that is none."""
    tokens, index = [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index == len(text):
            tokens.append(Token(END, "", "", index, index))
            return tokens
        token = _token_at(text, index)
        tokens.append(token)
        index = token.end


def _token_at(text: str, index: int) -> Token:
    char = text[index]
    if char in _PUNCTUATION:
        return Token(_PUNCTUATION[char], char, char, index, index + 1)
    for width in (2, 1):
        spelling = text[index:index + width]
        if len(spelling) == width and spelling in OPERATORS:
            return Token(OP, spelling, OPERATORS[spelling], index, index + width)
    if char in QUOTES:
        return _string(text, index)
    if text.startswith("${", index):
        return _reference(text, index)
    number = _NUMBER.match(text, index)
    if number:
        return _number(text, number)
    name = _NAME.match(text, index)
    if name:
        word = name.group()
        kind = KEYWORD if word.lower() in KEYWORDS else NAME
        return Token(kind, word, word.lower() if kind == KEYWORD else word, index, name.end())
    raise errors.unexpected_character(char, index + 1)


def _string(text: str, index: int) -> Token:
    closers = [text.find(mark, index + 1) for mark in QUOTES[text[index]]]
    found = [at for at in closers if at >= 0]
    if not found:
        raise errors.unclosed_text(text[index], index + 1)
    end = min(found)
    return Token(STRING, text[index:end + 1], text[index + 1:end], index, end + 1)


def _reference(text: str, index: int) -> Token:
    end = text.find("}", index + 2)
    if end < 0:
        raise errors.unclosed_reference(index + 1)
    code = text[index + 2:end].strip()
    if not code:
        raise errors.empty_reference(index + 1)
    return Token(REF, text[index:end + 1], code, index, end + 1)


def _number(text: str, match: re.Match) -> Token:
    end = match.end()
    if end < len(text) and _WORD_CHAR.match(text, end):
        exponent = _EXPONENT.match(text, match.start())
        if exponent:
            raise errors.invalid_number(exponent.group(), match.start() + 1)
        word = _WORD_CHAR_RUN.match(text, match.start())
        raise errors.digit_code(word.group(), match.start() + 1)
    return Token(NUMBER, match.group(), match.group(), match.start(), end)

