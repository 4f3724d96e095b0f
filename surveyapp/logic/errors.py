"""The one error of the logic language: a translated message that names the problem and where it is.

Builders type conditions by hand, so every message says what is wrong and at which 1-based character
position, in the message text itself (a plain form shows no caret).
"""
from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError


class ExpressionError(DomainError):
    status_code = 422

    def __init__(self, message, position: int):
        super().__init__(message)
        self.position = position


def shown(text: str, limit: int = 20) -> str:
    """A token as quoted in a message: cut, so a pasted paragraph does not fill the page."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def empty() -> ExpressionError:
    return ExpressionError(_l("An expression cannot be empty."), 1)


def too_long(limit: int) -> ExpressionError:
    return ExpressionError(_l("An expression can have at most %(limit)s characters; this one is longer "
                              "(position %(position)s).", limit=limit, position=limit + 1), limit + 1)


def too_deep(position: int, limit: int) -> ExpressionError:
    return ExpressionError(_l("Too many nested parentheses, functions or “not” at position %(position)s "
                              "(at most %(limit)s).", position=position, limit=limit), position)


def unexpected_character(char: str, position: int) -> ExpressionError:
    return ExpressionError(_l("Unexpected character “%(char)s” at position %(position)s.",
                              char=char, position=position), position)


def unclosed_text(quote: str, position: int) -> ExpressionError:
    return ExpressionError(_l("The text starting with %(quote)s at position %(position)s has no closing "
                              "quotation mark.", quote=quote, position=position), position)


def unclosed_reference(position: int) -> ExpressionError:
    return ExpressionError(_l("Missing “}” after “${” at position %(position)s.", position=position), position)


def empty_reference(position: int) -> ExpressionError:
    return ExpressionError(_l("“${}” at position %(position)s needs an item code between the braces, "
                              "e.g. ${q1}.", position=position), position)


def digit_code(text: str, position: int) -> ExpressionError:
    return ExpressionError(_l("“%(text)s” at position %(position)s: write an item code that starts with a "
                              "digit as ${%(text)s}.", text=shown(text), position=position), position)


def invalid_number(text: str, position: int) -> ExpressionError:
    return ExpressionError(_l("“%(text)s” at position %(position)s is not a valid number here: write it with "
                              "digits and at most one decimal point, e.g. 1500 or 2.5 (no exponent).",
                              text=shown(text), position=position), position)


def unexpected(token: str, position: int) -> ExpressionError:
    return ExpressionError(_l("Unexpected “%(token)s” at position %(position)s.",
                              token=shown(token), position=position), position)


def incomplete(position: int) -> ExpressionError:
    return ExpressionError(_l("The expression ends too early: something is missing at position %(position)s.",
                              position=position), position)


def missing_parenthesis(position: int) -> ExpressionError:
    return ExpressionError(_l("Missing “)” at position %(position)s.", position=position), position)


def unknown_function(name: str, position: int) -> ExpressionError:
    return ExpressionError(_l("Unknown function “%(name)s” at position %(position)s. "
                              "Use selected, count, answered or empty.",
                              name=shown(name), position=position), position)


def selected_arguments(position: int) -> ExpressionError:
    return ExpressionError(_l("“selected” at position %(position)s takes an item and an option code, "
                              "e.g. selected(q1, 'yes').", position=position), position)


def item_argument(name: str, position: int) -> ExpressionError:
    return ExpressionError(_l("“%(name)s” at position %(position)s takes one item, e.g. %(name)s(q1).",
                              name=name, position=position), position)


def not_a_condition(text: str, position: int) -> ExpressionError:
    return ExpressionError(_l("“%(text)s” at position %(position)s is a value, not a condition: compare it, "
                              "e.g. q1 = 'yes', or use answered(q1).", text=shown(text), position=position),
                           position)


def not_a_value(position: int) -> ExpressionError:
    return ExpressionError(_l("A condition cannot be compared (position %(position)s): compare an item, "
                              "a number, a text or count(…).", position=position), position)
