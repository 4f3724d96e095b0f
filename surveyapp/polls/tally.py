"""The pure core of polls: what a vote may hold, word normalisation, Borda points and the aggregate.

No Flask, no database: a poll is described by `Ballot` (its kind, option codes, k and scale), votes are their
JSON payloads. service.py feeds these from the tables.
"""
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError
from surveyapp.polls.models import Kind

MAX_WORD = 40  # characters of a normalised word
MAX_CLOUD = 60  # words shown in a cloud: the most frequent
MAX_VALUES = 100  # posted values read at all; more is refused before looking at them
_JOINERS = "\u200c\u200d"  # ZWNJ in Persian words, ZWJ in emoji sequences
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")  # Hangul fillers, blank braille, grapheme joiner


class InvalidVote(DomainError):
    """A vote that cannot be counted as posted: nothing is stored."""

    status_code = 422


@dataclass(frozen=True)
class Ballot:
    kind: str
    codes: tuple[str, ...]  # the options' codes in their order
    max_choices: int | None = None
    scale: int | None = None


def _invisible(ch: str) -> bool:
    """Format characters (zero-width space, soft hyphen, bidi overrides: category Cf) but the joiners some
    scripts and emoji need, and the blank letters and symbols that draw nothing."""
    return (unicodedata.category(ch) == "Cf" and ch not in _JOINERS) or ch in _BLANKS


def normalise_word(text: str) -> str:
    """Invisibles dropped, NFKC, case-folded, trimmed, inner whitespace one space: 'ＣＯ-Design ', 'co-design'
    with a soft hyphen or zero-width space in it and 'co-design' are one word.

    Empty (nothing visible), or longer than MAX_WORD characters after that, is refused (InvalidVote)."""
    visible = "".join(ch for ch in text or "" if not _invisible(ch))
    word = " ".join(unicodedata.normalize("NFKC", visible).casefold().split())
    if not any(unicodedata.category(ch)[0] in "LNPS" and not _invisible(ch) for ch in word):
        raise InvalidVote(_l("Please enter a word."))
    if len(word) > MAX_WORD:
        raise InvalidVote(_l("Please enter at most %(max)d characters.", max=MAX_WORD))
    return word


def validate(ballot: Ballot, values: Sequence[str]) -> dict:
    """The payload to store for the posted `values` (the form's `answer` fields in order), or InvalidVote."""
    if len(values) > MAX_VALUES:
        raise InvalidVote(_l("This vote has too many answers."))
    return _VALIDATORS[ballot.kind](ballot, [str(value) for value in values])


def _single(ballot: Ballot, values: list[str]) -> dict:
    if len(values) != 1 or values[0] not in ballot.codes:
        raise InvalidVote(_l("Please choose one of the options."))
    return {"choice": values[0]}


def _multiple(ballot: Ballot, values: list[str]) -> dict:
    chosen = set(values)
    if not chosen or not chosen <= set(ballot.codes) or len(chosen) != len(values):
        raise InvalidVote(_l("Please choose among the options."))
    if len(chosen) > (ballot.max_choices or len(ballot.codes)):
        raise InvalidVote(_l("Please choose at most %(max)d options.", max=ballot.max_choices))
    return {"choices": [code for code in ballot.codes if code in chosen]}


def _rating(ballot: Ballot, values: list[str]) -> dict:
    points = [str(n) for n in range(1, (ballot.scale or 5) + 1)]
    if len(values) != 1 or values[0] not in points:
        raise InvalidVote(_l("Please choose a rating from 1 to %(max)d.", max=len(points)))
    return {"rating": int(values[0])}


def _ranking(ballot: Ballot, values: list[str]) -> dict:
    if sorted(values) != sorted(ballot.codes):
        raise InvalidVote(_l("Please give each option exactly one place."))
    return {"ranking": list(values)}


def _words(_ballot: Ballot, values: list[str]) -> dict:
    if len(values) != 1:
        raise InvalidVote(_l("Please enter a word."))
    return {"word": normalise_word(values[0])}


_VALIDATORS = {Kind.SINGLE: _single, Kind.MULTIPLE: _multiple, Kind.RATING: _rating, Kind.RANKING: _ranking,
               Kind.WORDS: _words}


def form_values(payload: dict) -> list[str]:
    """The form's `answer` values that gave `payload` (validate's inverse): a vote form shows the earlier vote."""
    for key in ("choices", "ranking"):
        if key in payload:
            return [str(value) for value in payload[key]]
    return [str(payload[key]) for key in ("choice", "rating", "word") if key in payload]


def borda(codes: Sequence[str], rankings: Iterable[Sequence[str]]) -> dict[str, int]:
    """Borda points: with n options, n−1 for each first place, n−2 for a second, … 0 for the last."""
    points = dict.fromkeys(codes, 0)
    last = len(codes) - 1
    for ranking in rankings:
        for place, code in enumerate(ranking):
            if code in points:
                points[code] += last - place
    return points


def aggregate(ballot: Ballot, labels: dict[str, str], payloads: Sequence[dict],
              hidden: frozenset[str] = frozenset()) -> dict:
    """{"votes", "items", "mean"} of the payloads; `hidden` words are left out of a word cloud.

    Items: {"key", "label", "count", "share", "points"}. Share is of the voters (a multiple choice's add up to
    more than 1); a ranking's count is its first places, its share its points of the most it could have had."""
    votes = len(payloads)
    if ballot.kind == Kind.RATING:
        return _rating_aggregate(ballot, payloads)
    if ballot.kind == Kind.RANKING:
        return _ranking_aggregate(ballot, labels, payloads)
    if ballot.kind == Kind.WORDS:
        counts = Counter(p.get("word") for p in payloads if p.get("word") and p.get("word") not in hidden)
        ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:MAX_CLOUD]
        return {"votes": votes, "mean": None, "items": [_item(word, word, count, votes) for word, count in ranked]}
    counts = Counter(code for p in payloads for code in (p.get("choices") or [p.get("choice")]))
    return {"votes": votes, "mean": None,
            "items": [_item(code, labels.get(code, code), counts[code], votes) for code in ballot.codes]}


def _item(key: str, label: str, count: int, total: int, points: int = 0) -> dict:
    return {"key": key, "label": label, "count": count, "share": round(count / total, 4) if total else 0.0,
            "points": points}


def _rating_aggregate(ballot: Ballot, payloads: Sequence[dict]) -> dict:
    ratings = [p["rating"] for p in payloads if isinstance(p.get("rating"), int)]
    counts = Counter(ratings)
    items = [_item(str(n), str(n), counts[n], len(payloads)) for n in range(1, (ballot.scale or 5) + 1)]
    mean = round(sum(ratings) / len(ratings), 2) if ratings else None
    return {"votes": len(payloads), "mean": mean, "items": items}


def _ranking_aggregate(ballot: Ballot, labels: dict[str, str], payloads: Sequence[dict]) -> dict:
    rankings = [p.get("ranking") or [] for p in payloads]
    points = borda(ballot.codes, rankings)
    firsts = Counter(ranking[0] for ranking in rankings if ranking)
    most = len(payloads) * (len(ballot.codes) - 1)
    items = [{**_item(code, labels.get(code, code), firsts[code], len(payloads), points[code]),
              "share": round(points[code] / most, 4) if most else 0.0}
             for code in sorted(ballot.codes, key=lambda code: (-points[code], ballot.codes.index(code)))]
    return {"votes": len(payloads), "mean": None, "items": items}
