"""Poll sessions and polls: creating them, the state a facilitator moves a poll through, votes, moderation,
results and export rows. Functions flush, never commit: the view commits, then calls live.announce."""
import hashlib
import json
import secrets
import zlib
from collections import Counter
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from surveyapp.db import utcnow
from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.participants.codes import ALPHABET
from surveyapp.polls.models import WITH_OPTIONS, Kind, Poll, PollOption, PollSession, State, Vote, WordModeration
from surveyapp.polls.tally import Ballot, aggregate, form_values, normalise_word, validate
from surveyapp.questionnaires.codes import suggest_code
from surveyapp.textclean import without_bidi_overrides

CODE_LENGTH = 6  # 29 letters and digits without look-alikes (0/O, 1/I/L, U/V): about 600 million codes
MAX_OPTIONS = 20
MAX_SCALE = 10
DEFAULT_SCALE = 5
# action -> (the states it may start from, the state it leads to); a closed poll may be opened again
TRANSITIONS = {"open": ((State.DRAFT, State.CLOSED), State.OPEN), "close": ((State.OPEN,), State.CLOSED),
               "reveal": ((State.CLOSED,), State.REVEALED)}


class PollNotOpen(DomainError):
    status_code = 409


class Conflict(DomainError):
    status_code = 409


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_join_code(text: str) -> str:
    """What people type or scan: lower case and spaces are fine."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def voter_hash(token: str) -> str:
    """What is stored of a browser's random cookie token (the token itself never is)."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(programme_id: int, title: str, lang: str, created_by_id: int | None) -> PollSession:
    taken = set(db.session.scalars(select(PollSession.code)))
    code = new_join_code()
    while code in taken:
        code = new_join_code()
    session = PollSession(programme_id=programme_id, title=without_bidi_overrides(title), lang=lang, code=code,
                          created_by_id=created_by_id)
    db.session.add(session)
    db.session.flush()
    return session


def joinable_session(code: str) -> PollSession | None:
    """The session of a join code, or None for an unknown or closed one (the same 404 either way)."""
    code = normalise_join_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(select(PollSession).where(PollSession.code == code, PollSession.closed_at.is_(None)))


def close_session(session: PollSession, now: datetime | None = None) -> list[Poll]:
    """End the session: its code stops working, its open polls close. Returns the polls that changed."""
    session.closed_at = now or utcnow()
    changed = [poll for poll in session.polls if poll.state == State.OPEN]
    for poll in changed:
        poll.state = State.CLOSED.value
    db.session.flush()
    return changed


def add_poll(session: PollSession, kind: str, question: str, option_lines: list[str],
             max_choices: int | None = None, scale: int | None = None) -> Poll:
    """A draft poll at the end of the session; options (one per line) for choice and ranking polls."""
    if session.closed_at is not None:
        raise Conflict(_l("This session is closed."))
    question = without_bidi_overrides(question)
    labels = [label for label in (without_bidi_overrides(line).strip() for line in option_lines) if label]
    if kind in WITH_OPTIONS:
        _check_options(labels)
    else:
        labels = []
    if kind == Kind.MULTIPLE and max_choices is not None and not 1 <= max_choices <= len(labels):
        raise DomainError(_l("The most choices allowed must be between 1 and the number of options (%(n)d).",
                             n=len(labels)))
    if kind == Kind.RATING and scale is not None and not 2 <= scale <= MAX_SCALE:
        raise DomainError(_l("The scale goes from 1 to a number between 2 and %(max)d.", max=MAX_SCALE))
    position = max((poll.position for poll in session.polls), default=0) + 1
    poll = Poll(session=session, position=position, kind=kind, question=question, state=State.DRAFT.value,
                max_choices=(max_choices or len(labels)) if kind == Kind.MULTIPLE else None,
                scale=(scale or DEFAULT_SCALE) if kind == Kind.RATING else None)
    taken: set[str] = set()
    for index, label in enumerate(labels, start=1):
        code = suggest_code(label, taken, fallback="o")
        taken.add(code)
        poll.options.append(PollOption(position=index, code=code, label=label))
    db.session.add(poll)
    db.session.flush()
    return poll


def _check_options(labels: list[str]) -> None:
    if len(labels) < 2:
        raise DomainError(_l("Please give at least two options, one per line."))
    if len(labels) > MAX_OPTIONS:
        raise DomainError(_l("Please give at most %(max)d options.", max=MAX_OPTIONS))
    if any(len(label) > 200 for label in labels):
        raise DomainError(_l("An option may have at most 200 characters."))
    if len({label.casefold() for label in labels}) != len(labels):
        raise DomainError(_l("Each option must be different."))


def change_state(poll: Poll, action: str) -> None:
    """open (a draft, or a closed poll again), close, reveal (closed polls only); anything else is a 409."""
    sources, target = TRANSITIONS.get(action, ((), None))
    if target is None or poll.state not in sources:
        raise Conflict(_l("This poll cannot be changed that way now (it is %(state)s).", state=poll.state))
    if target == State.OPEN and poll.session.closed_at is not None:
        raise Conflict(_l("This session is closed."))
    poll.state = target.value
    db.session.flush()


def ballot(poll: Poll) -> Ballot:
    return Ballot(poll.kind, tuple(option.code for option in poll.options), poll.max_choices, poll.scale)


def cast_vote(poll: Poll, voter: str, values: list[str], now: datetime | None = None) -> Vote:
    """Store this voter's vote on an open poll, replacing an earlier one (409 when not open, 422 when invalid)."""
    if poll.state != State.OPEN or poll.session.closed_at is not None:
        raise PollNotOpen(_l("This poll is not open for votes."))
    payload = validate(ballot(poll), values)
    now = now or utcnow()
    vote = _find_vote(poll.id, voter)
    if vote is None:
        try:
            with db.session.begin_nested():  # the same browser twice at once: the second updates the first
                vote = Vote(poll_id=poll.id, voter=voter, payload=payload, created_at=now, updated_at=now)
                db.session.add(vote)
            return vote
        except IntegrityError:
            vote = _find_vote(poll.id, voter)
    vote.payload, vote.updated_at = payload, now
    db.session.flush()
    return vote


def _find_vote(poll_id: int, voter: str) -> Vote | None:
    return db.session.scalar(select(Vote).where(Vote.poll_id == poll_id, Vote.voter == voter))


def voted_polls(poll_ids: list[int], voter: str) -> dict[int, list[str]]:
    """{poll id: the form values of the vote} of this voter's votes among `poll_ids` (shown to change it)."""
    if not poll_ids:
        return {}
    rows = db.session.execute(select(Vote.poll_id, Vote.payload).where(Vote.poll_id.in_(poll_ids),
                                                                      Vote.voter == voter))
    return {poll_id: form_values(payload) for poll_id, payload in rows}


def hidden_words(poll_id: int) -> frozenset[str]:
    return frozenset(db.session.scalars(select(WordModeration.word).where(WordModeration.poll_id == poll_id,
                                                                          WordModeration.hidden.is_(True))))


def set_word_hidden(poll: Poll, word: str, hidden: bool, now: datetime | None = None) -> None:
    """Hide a word of a word cloud from every chart (or show it again); the votes stay as given."""
    if poll.kind != Kind.WORDS:
        raise Conflict(_l("Only word clouds have words to moderate."))
    word = normalise_word(word)
    row = db.session.scalar(select(WordModeration).where(WordModeration.poll_id == poll.id,
                                                         WordModeration.word == word))
    if row is None:
        row = WordModeration(poll_id=poll.id, word=word)
        db.session.add(row)
    row.hidden, row.updated_at = hidden, now or utcnow()
    db.session.flush()


def word_queue(poll: Poll) -> list[dict]:
    """Every word given, most frequent first, with whether it is hidden: the moderation queue."""
    counts = Counter(payload.get("word") for payload in db.session.scalars(
        select(Vote.payload).where(Vote.poll_id == poll.id)) if payload.get("word"))
    hidden = hidden_words(poll.id)
    return [{"word": word, "count": count, "hidden": word in hidden}
            for word, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))]


def results(poll: Poll, *, for_presenter: bool) -> dict:
    """The poll's aggregate, JSON-able, never a voter: participants get the figures only once revealed.

    "version" is a checksum of everything else, so it changes exactly when the aggregate does (ETags)."""
    shown = for_presenter or poll.state == State.REVEALED
    data = {"poll": poll.id, "kind": poll.kind, "state": poll.state, "question": poll.question,
            "votes": 0, "items": [], "mean": None, "hidden": not shown}
    if shown:
        payloads = list(db.session.scalars(select(Vote.payload).where(Vote.poll_id == poll.id)))
        labels = {option.code: option.label for option in poll.options}
        data |= aggregate(ballot(poll), labels, payloads, hidden_words(poll.id) if poll.kind == Kind.WORDS
                          else frozenset())
    data["version"] = zlib.crc32(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    return data


def vote_count(poll: Poll) -> int:
    return db.session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == poll.id))


EXPORT_HEADER = ("session", "poll", "position", "kind", "question", "state", "voters", "key", "label", "count",
                 "share", "points", "mean")


def export_rows(session: PollSession) -> list[tuple]:
    """One row per poll and item of its aggregate (hidden words left out); never a voter or a token."""
    rows = []
    for poll in session.polls:
        data = results(poll, for_presenter=True)
        head = (session.title, poll.id, poll.position, poll.kind, poll.question, poll.state, data["votes"])
        rows += [(*head, item["key"], item["label"], item["count"], item["share"], item["points"], data["mean"])
                 for item in data["items"]] or [(*head, None, None, None, None, None, data["mean"])]
    return rows
