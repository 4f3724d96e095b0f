"""LimeSurvey question types as item types: the item (type, options, rows, settings) and what did not map.

`shape(question)` gives a Shape: the item's type, settings, options and rows with their LimeSurvey codes
(texts are the caller's: it knows the languages and the pipes), the answer codes a relevance equation may
compare the item with, and the problems of its settings. A type without an equivalent raises Unsupported.
"""
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError
from surveyapp.interchange.lss_file import Question
from surveyapp.itemtypes.rules import check_pattern

SINGLE, MULTIPLE, ARRAYS = frozenset("L!"), "M", frozenset("FABCEH")
TEXTS = {"S": "text", "T": "longtext", "U": "longtext"}
MAX_LENGTH = {"text": 500, "longtext": 5000}
# LimeSurvey's fixed answers: its code -> (our code, label in English, translated by the caller)
FIXED = {
    "G": [("F", "f", _l("Female")), ("M", "m", _l("Male"))],
    "C": [("Y", "y", _l("Yes")), ("N", "n", _l("No")), ("U", "u", _l("Uncertain"))],
    "E": [("I", "i", _l("Increase")), ("S", "s", _l("Same")), ("D", "d", _l("Decrease"))],
    "B": [(str(n), str(n), str(n)) for n in range(1, 11)],
}
UNSUPPORTED = {
    "K": _l("multiple numerical input"), "Q": _l("multiple short text"), ";": _l("array of texts"),
    ":": _l("array of numbers"), "|": _l("file upload"), "*": _l("equation"), "P": _l("multiple choice with comments"),
    "O": _l("list with comment"), "1": _l("array with two scales"), "I": _l("language switch"),
}
VALIDATION = ("em_validation_q", "em_validation_sq")
CODE_CHARS = re.compile(r"[^a-z0-9_]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
OTHER = "-oth-"  # LimeSurvey's stored code of "other"
MAX_PREG = 500
NUMBER_PATTERN = r"-?[0-9]+[.,0-9]*"  # "numbers only" on a short text, within check_pattern's 3 repeats


class Unsupported(Exception):
    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


@dataclass
class Choice:
    """An option or a matrix row: LimeSurvey's code, ours, and where its label comes from."""

    lss: str
    code: str
    texts: dict[str, str] | None = None  # LimeSurvey language -> label (None: `fixed`)
    fixed: object = None  # a fixed label (lazy string or number)


@dataclass
class Shape:
    type: str
    settings: dict = field(default_factory=dict)
    options: list[Choice] = field(default_factory=list)
    rows: list[Choice] = field(default_factory=list)
    row_values: dict[str, str] | None = None  # a matrix: LimeSurvey answer code -> the rows' option code
    problems: list = field(default_factory=list)  # reasons (lazy strings)

    @property
    def values(self) -> dict[str, str] | None:
        """LimeSurvey answer code -> option code, for a coded item's equations (None: compared as is)."""
        if self.type == "yesno":
            return {"Y": "yes", "N": "no"}
        if self.type == "likert":
            return {str(n): str(n) for n in range(1, 6)}
        if self.type in ("single", "multiple"):
            values = {choice.lss: choice.code for choice in self.options}
            return {**values, OTHER: "other"} if self.settings.get("other") else values
        return None


def shape(question: Question) -> Shape:
    kind = question.type
    if kind in UNSUPPORTED or kind not in {*SINGLE, MULTIPLE, *ARRAYS, *TEXTS, "G", "Y", "5", "N", "D", "X", "R"}:
        name = UNSUPPORTED.get(kind, kind)
        raise Unsupported(_l("its type “%(type)s” (%(name)s) has no equivalent; the question is left out.",
                             type=kind, name=name))
    if question.attributes.get("hidden") == "1":
        raise Unsupported(_l("it is hidden (always answered by its default or an equation); the question is "
                             "left out."))
    result = _BUILDERS.get(kind, _simple)(question)
    result.problems += _validation_problems(question, result)
    return result


def _simple(question: Question) -> Shape:
    types = {"Y": "yesno", "5": "likert", "D": "date", "X": "display", **TEXTS}
    result = Shape(types[question.type])
    if result.type == "likert":
        result.settings["points"] = 5
    if result.type in MAX_LENGTH:
        _length(question, result)
    if question.type == "S" and question.preg:
        _pattern(question.preg, result)
    elif question.type == "S" and question.attributes.get("numbers_only") == "1":
        result.settings["pattern"] = NUMBER_PATTERN
    if question.type == "D":
        _date_limits(question, result)
    return result


def _single(question: Question) -> Shape:
    result = Shape("single", options=_answers(question))
    _other(question, result)
    return result


def _gender(question: Question) -> Shape:
    return Shape("single", options=_fixed("G"))


def _multiple(question: Question) -> Shape:
    result = Shape("multiple", options=_subquestions(question, scale=0))
    _other(question, result)
    low, high = (_whole(question.attributes.get(key)) for key in ("min_answers", "max_answers"))
    for key, value, text in (("min_choices", low, "min_answers"), ("max_choices", high, "max_answers")):
        if value is not None and 1 <= value <= 100:
            result.settings[key] = value
        elif question.attributes.get(text) and value != 0:
            result.problems.append(_l("%(setting)s “%(value)s” is not a fixed number and is left out.",
                                      setting=text, value=question.attributes[text]))
    exclusive = question.attributes.get("exclude_all_others", "").strip()
    codes = {choice.lss: choice.code for choice in result.options}
    if exclusive in codes:
        result.settings["exclusive"] = codes[exclusive]
    elif exclusive:
        result.problems.append(_l("“exclude all others” for “%(codes)s” is left out: only one option of "
                                  "the question can exclude the others.", codes=exclusive))
    return result


def _number(question: Question) -> Shape:
    result = Shape("number")
    result.settings["decimals"] = 0 if question.attributes.get("num_value_int_only") == "1" else 6
    for key, attribute in (("min", "min_num_value_n"), ("max", "max_num_value_n")):
        text = question.attributes.get(attribute, "").strip()
        if text and re.fullmatch(r"-?[0-9]{1,15}", text):
            result.settings[key] = int(text)
        elif text:
            result.problems.append(_l("%(setting)s “%(value)s” is not a whole number and is left out.",
                                      setting=attribute, value=text))
    if "min" in result.settings and "max" in result.settings and result.settings["min"] > result.settings["max"]:
        result.problems.append(_l("its minimum is above its maximum; both are left out."))
        del result.settings["min"], result.settings["max"]
    if question.preg:
        result.problems.append(_l("its format “%(pattern)s” is left out: a number takes no pattern.",
                                  pattern=question.preg))
    return result


def _ranking(question: Question) -> Shape:
    result = Shape("ranking", options=_answers(question))
    low, high = (_whole(question.attributes.get(key)) for key in ("min_answers", "max_answers"))
    if high:
        result.settings["rank_at_most"] = min(high, len(result.options)) or None
        if low == high:
            result.settings["rank_exactly"] = True
    if low and low != high:
        result.problems.append(_l("“rank at least %(num)s” is left out: a ranking may ask for exactly or at "
                                  "most a number of ranks.", num=low))
    return result


def _matrix(question: Question) -> Shape:
    kind = question.type
    if kind == "A":
        result = Shape("matrix", {"scale": "likert", "points": 5}, row_values={str(n): str(n) for n in range(1, 6)})
    else:
        options = _fixed(kind) if kind in FIXED else _answers(question)
        result = Shape("matrix", {"scale": "options"}, options=options,
                       row_values={choice.lss: choice.code for choice in options})
    result.rows = _subquestions(question, scale=0, width=30)
    for key in ("min_answers", "max_answers"):
        if question.attributes.get(key):
            result.problems.append(_l("%(setting)s “%(value)s” is left out: a matrix does not count its rows.",
                                      setting=key, value=question.attributes[key]))
    return result


_BUILDERS = {**{kind: _single for kind in SINGLE}, "G": _gender, MULTIPLE: _multiple, "N": _number,
             "R": _ranking, **{kind: _matrix for kind in ARRAYS}}


def _answers(question: Question) -> list[Choice]:
    taken: set[str] = {"other", "dk"}
    return [Choice(answer.code, _code(answer.code, taken), texts=answer.texts)
            for answer in question.answers if answer.scale == 0]


def _subquestions(question: Question, scale: int, width: int = 64) -> list[Choice]:
    taken: set[str] = {"other", "dk"}
    return [Choice(sub.title, _code(sub.title, taken, width),
                   texts={lang: texts.get("question", "") for lang, texts in sub.texts.items()})
            for sub in question.subquestions
            if sub.scale == scale and not (sub.title == "other" and question.other == "Y")]


def _fixed(kind: str) -> list[Choice]:
    return [Choice(lss, code, fixed=label) for lss, code, label in FIXED[kind]]


def _code(lss: str, taken: set[str], width: int = 64) -> str:
    """An option or row code from LimeSurvey's: lower case, other characters as "_", unique."""
    base = CODE_CHARS.sub("_", lss.lower()).strip("_")[:width] or "a"
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base[:width - len(str(number)) - 1]}_{number}"
    taken.add(code)
    return code


def _other(question: Question, result: Shape) -> None:
    if question.other == "Y":
        result.settings["other"] = True


def _length(question: Question, result: Shape) -> None:
    most = _whole(question.attributes.get("maximum_chars"))
    if most and most > 0:
        result.settings["max_length"] = min(most, MAX_LENGTH[result.type])


def _pattern(preg: str, result: Shape) -> None:
    """A PHP pattern (/…/ with flags, matched anywhere unless anchored) as one the whole answer matches."""
    found = len(preg) <= MAX_PREG and re.fullmatch(r"\s*/(.*)/([a-zA-Z]*)\s*", preg, re.DOTALL)
    body = found.group(1) if found and not found.group(2) else None
    if body is not None:
        starts, ends = body.startswith("^"), body.endswith("$") and not body.endswith("\\$")
        body = body.removeprefix("^").removesuffix("$") if starts and ends else (
            f"{'' if starts else '.*'}(?:{body.removeprefix('^') if starts else body.removesuffix('$')})"
            f"{'' if ends else '.*'}")
        try:
            result.settings["pattern"] = check_pattern(body)
            return
        except DomainError as error:
            result.problems.append(_l("its format “%(pattern)s” is left out: %(problem)s", pattern=preg,
                                      problem=error.message))
            return
    result.problems.append(_l("its format “%(pattern)s” is left out: it is not a pattern surveyapp can use.",
                              pattern=preg))


def _date_limits(question: Question, result: Shape) -> None:
    for key, attribute in (("earliest", "date_min"), ("latest", "date_max")):
        text = question.attributes.get(attribute, "").strip()
        if not text:
            continue
        try:
            result.settings[key] = date.fromisoformat(text[:10]).isoformat() if ISO_DATE.match(text) else None
        except ValueError:
            result.settings[key] = None
        if result.settings[key] is None:
            del result.settings[key]
            result.problems.append(_l("%(setting)s “%(value)s” is not a date and is left out.",
                                      setting=attribute, value=text))


def _validation_problems(question: Question, result: Shape) -> list:
    problems = [_l("its validation equation “%(equation)s” is left out.", equation=question.attributes[key])
                for key in VALIDATION if question.attributes.get(key, "").strip()]
    if question.has_default and result.type != "display":
        problems.append(_l("its default answer is left out: an item starts unanswered."))
    if question.preg and question.type not in ("S", "N"):
        problems.append(_l("its format “%(pattern)s” is left out: only a short text takes one.",
                           pattern=question.preg))
    return problems


def _whole(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None
