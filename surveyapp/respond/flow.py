"""One page flow for every way into a questionnaire: what a respondent's request leads to.

The public link (/s/<slug>), the personal link (/i/<token>) and the builder's preview differ only in what their
EntryPoint says: where the response key comes from, whether and where answers are kept, and their addresses.
`show` and `advance` decide the rest the same way for all of them (which page, the language switch, Back with a
draft, validation, the last page, a second submission); views only map the Outcome to HTTP. A new way in (a
kiosk) is one more EntryPoint.

Which items and pages a respondent is shown, and where Next and Back go, is respond.route's: the flow hands it
the answers known so far (kept ones and, after a POST, the page's) whenever the questionnaire has logic or
pipes; a plain questionnaire reads nothing more than before.
"""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from flask_wtf import FlaskForm

from surveyapp.extensions import db
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.respond import cache, route, service
from surveyapp.respond.service import AlreadySubmitted


class Kind(Enum):
    NEW = "new"  # a new respondent's blank first page (nothing stored yet)
    PAGE = "page"  # a page with what was kept so far
    LANGUAGE = "language"  # the same page and answers in another language; nothing stored
    ERRORS = "errors"  # the page again with its problems; nothing stored
    NEXT = "next"  # the page stored; go on to `page`
    BACK = "back"  # what could be kept was kept as a draft; go back to `page`
    LATER = "later"  # kept as a draft, to be continued later through a personal link
    FINISHED = "finished"  # the last page stored: the response is submitted
    ALREADY_SUBMITTED = "already_submitted"  # the response was complete before: nothing stored
    ELSEWHERE = "elsewhere"  # the page asked for is off the respondent's way: go to `page` instead


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    page: int
    form: FlaskForm | None = None
    answers: Mapping[str, Sequence[str]] = field(default_factory=dict)  # known so far, by code: decide and pipe


@dataclass(frozen=True)
class Stored:
    """What an entry point kept of a response: its answers as form data and the page to resume at."""

    page: int
    data: dict = field(default_factory=dict)
    submitted: bool = False


class EntryPoint:
    """One way into a questionnaire. The flow asks it; views build it and give it the respondent's key."""

    continue_later = False  # offers "Continue later": a personal link to this response
    preview = False  # shows the preview notice
    piping: Mapping[str, str] | None = None  # facts about the respondent filled into texts
    template = "respond/page.html"  # the page's template (a kiosk's extends it)

    def __init__(self, questionnaire: Questionnaire, lang: str):
        self.questionnaire = questionnaire
        self.lang = lang

    def form_key(self) -> str:
        """The response key the page's form carries (its hidden `rk`)."""
        raise NotImplementedError

    def check(self, form: FlaskForm) -> None:
        """Refuse (DomainError) a submitted form this entry point could not have issued."""

    def closed(self) -> bool:
        """True when the response is known to be complete before anything is looked up."""
        return False

    def stored(self) -> Stored | None:
        """What was kept so far; None for a new respondent."""
        raise NotImplementedError

    def save(self, page: int, answers: dict[int, list[str]], *, final: bool) -> None:
        """Keep a valid page (and submit on the last one); AlreadySubmitted when the response is complete."""
        raise NotImplementedError

    def keep_draft(self, page: int, answers: dict[int, list[str]], *, resume_here: bool) -> None:
        """Keep what could be kept of a page; `resume_here` (Continue later) also starts a new response."""
        raise NotImplementedError

    def answered(self) -> set[int]:
        """The ids of the items with a kept answer (asked only at the final submit)."""
        raise NotImplementedError

    def page_url(self, page: int, **args) -> str:
        raise NotImplementedError

    def action_url(self) -> str:
        raise NotImplementedError

    def page_context(self) -> dict:
        """What else the entry point's template needs to draw a page."""
        return {}


def clamp(questionnaire: Questionnaire, page: int | None) -> int:
    return min(max(page or 1, 1), questionnaire.page_numbers[-1])


def show(entry: EntryPoint, requested: int | None = None) -> Outcome:
    """A GET: the page asked for (or the one to resume at) with what was kept, or a reason not to show it.

    A page off the respondent's way (its condition fails, a skip passes it, nothing on it is shown) is not
    shown: asked for, it sends the respondent on to the nearest page of the way (ELSEWHERE); to resume at
    (saving keeps the page number after the saved one), that page is shown in its place."""
    if entry.closed():
        return Outcome(Kind.ALREADY_SUBMITTED, 1)
    stored = entry.stored()
    questionnaire = entry.questionnaire
    if stored is None:
        return Outcome(Kind.NEW, first_page(questionnaire))
    if stored.submitted:
        return Outcome(Kind.ALREADY_SUBMITTED, stored.page)
    answers = kept_answers(questionnaire, stored.data) if reads_answers(questionnaire) else {}
    asked = clamp(questionnaire, requested or stored.page)
    page = route.walk(questionnaire, answers).nearest(asked)
    if requested and page != asked:
        return Outcome(Kind.ELSEWHERE, page)
    return Outcome(Kind.PAGE, page, page_form(entry, page, stored.data), answers)


def first_page(questionnaire: Questionnaire) -> int:
    """Where a new respondent starts (nothing answered yet: the same for all of them)."""
    return cache.derived(questionnaire, ("first page",), lambda: route.walk(questionnaire, {}).way[0])


def reads_answers(questionnaire: Questionnaire) -> bool:
    """Whether conditions, skips or pipes read answers (see route.uses_answers), once per cached structure."""
    return cache.derived(questionnaire, ("reads answers",), lambda: route.uses_answers(questionnaire))


def page_form(entry: EntryPoint, page: int, data: dict | None = None) -> FlaskForm:
    """The form of `page` showing `data` (a new respondent's blank page without it)."""
    data = {**(data or {}), "rk": entry.form_key(), "page": page}
    return service.page_form(entry.questionnaire, page, entry.lang, formdata=None, data=data)


def advance(entry: EntryPoint, formdata: Mapping) -> Outcome:
    """A submitted page: switch the language, go back (keeping a draft), continue later, refuse or keep it.

    Items the answers hide are neither checked nor kept, and what was kept of items hidden now goes (an answer
    changed on a page gone back to may hide items further on). Next is the next page of the respondent's way
    (route.Walk.next_page); the way's end submits. Raises DomainError for a form the entry point never issued.
    Stores through the entry point in the current transaction; `settle` ends it.
    """
    questionnaire = entry.questionnaire
    page = clamp(questionnaire, page_number(formdata))
    form = service.page_form(questionnaire, page, entry.lang, formdata=formdata)
    entry.check(form)
    if entry.closed():
        return Outcome(Kind.ALREADY_SUBMITTED, page)
    nav = formdata.get("nav")
    reads = reads_answers(questionnaire)
    posted = posted_values(form, questionnaire, page) if reads or nav in ("back", "later") else {}
    answers = {**(_kept(entry) if reads else {}), **_by_code(posted)}
    if "lang" in formdata:
        return Outcome(Kind.LANGUAGE, page, form, answers)
    way = route.walk(questionnaire, answers)
    try:
        if nav == "back":
            entry.keep_draft(page, _draft(way, posted), resume_here=False)
            return Outcome(Kind.BACK, way.previous_page(page))
        if nav == "later" and entry.continue_later:
            entry.keep_draft(page, _draft(way, posted), resume_here=True)
            return Outcome(Kind.LATER, page)
        shown = way.shown(page, judged=True)
        if not checked(form, questionnaire, page, shown):
            return Outcome(Kind.ERRORS, page, form, answers)
        answered = service.collect_answers(form, questionnaire, page)
        kept = _clearing_hidden(way, {item.id: answered[item.id] for item in shown if item.id in answered})
        following = way.next_page(page)
        final = following is route.END
        missing = first_missing(entry, page, way) if final else None
        if missing is not None:
            entry.keep_draft(page, kept, resume_here=False)
            return Outcome(Kind.ERRORS, missing, missing_form(entry, missing, way), answers)
        entry.save(page, kept, final=final)
    except AlreadySubmitted:
        return Outcome(Kind.ALREADY_SUBMITTED, page)
    return Outcome(Kind.FINISHED, page) if final else Outcome(Kind.NEXT, following)


def submit_partly(entry: EntryPoint, formdata: Mapping) -> Outcome:
    """Submit a page as it is, without asking for what is missing: its shown items' values that pass their own
    checks (as Back keeps them). For a respondent who is gone (a kiosk left idle, an answer queued offline that
    the server refuses only when nobody can correct it any more). NEW when nothing was answered: nothing stored."""
    questionnaire = entry.questionnaire
    page = clamp(questionnaire, page_number(formdata))
    form = service.page_form(questionnaire, page, entry.lang, formdata=formdata)
    entry.check(form)
    posted = posted_values(form, questionnaire, page)
    kept = _draft(route.walk(questionnaire, _by_code(posted)), posted)
    if not any(kept.values()):
        return Outcome(Kind.NEW, page)
    try:
        entry.save(page, kept, final=True)
    except AlreadySubmitted:
        return Outcome(Kind.ALREADY_SUBMITTED, page)
    return Outcome(Kind.FINISHED, page)


def checked(form: FlaskForm, questionnaire: Questionnaire, page: int, shown: list[Item]) -> bool:
    """Validate the page's shown items (a hidden item's errors are dropped: it is ignored), then run each shown
    item's group check on the page's values (a ranking's ranks, an "other" text): its messages become errors
    of the fields they name (of the item's own or first part's field when that has none)."""
    shown_ids = {item.id for item in shown}
    fields = answer_fields(form, questionnaire, page)
    form.validate()
    for item, bound in fields:
        if item.id not in shown_ids:
            bound.errors = []
    if form.errors:
        return False
    by_code = {item.code: bound for item, bound in fields if item.id in shown_ids}
    values = {item.code: item.kind.to_values(bound.data) for item, bound in fields if item.id in shown_ids}
    for item in shown:
        for code, message in item.kind.check_group(item, values):
            candidates = [code, item.code, *(part.code for part in item.parts)]
            target = next((by_code[name] for name in candidates if name in by_code), None)
            if target is not None:
                target.errors.append(message)
    return not form.errors


def first_missing(entry: EntryPoint, final_page: int, way: route.Walk | None = None) -> int | None:
    """The first page with a shown required item left unanswered, at the final submit; None when all are.

    A page checks only its own items, and a Back draft may clear an answer, so the last page proves nothing
    about the others. Only a questionnaire with required items on other pages asks for the kept answers (one
    query); a one-page survey has been checked whole already. Pages off the way and hidden items ask nothing.
    """
    questionnaire = entry.questionnaire
    elsewhere = [item for item in questionnaire.items
                 if item.required and item.kind.answered and item.page != final_page]
    if not elsewhere:
        return None
    hidden = (way or route.walk(questionnaire, {})).hidden
    asked = {item.id: item.page for item in elsewhere if item.id not in hidden}
    if not asked:
        return None
    answered = entry.answered()
    return min((page for item_id, page in asked.items() if item_id not in answered), default=None)


def missing_form(entry: EntryPoint, page: int, way: route.Walk) -> FlaskForm:
    """`page` with what was kept, its shown and unanswered required items showing their error."""
    stored = entry.stored()
    kept = stored.data if stored else {}
    form = page_form(entry, page, kept)
    for item, bound in answer_fields(form, entry.questionnaire, page):
        if item.required and service.field_name(item) not in kept and item.id not in way.hidden:
            bound.validate(form)
    return form


def settle(outcome: Outcome) -> None:
    """End the request's transaction: keep what was stored, drop the remains of a refused second submission."""
    if outcome.kind is Kind.ALREADY_SUBMITTED:
        db.session.rollback()
    else:
        db.session.commit()


def answer_fields(form: FlaskForm, questionnaire: Questionnaire, page: int) -> list[tuple[Item, object]]:
    """The page's items that take an answer, with their fields."""
    return [(item, bound) for item, bound in service.page_items(form, questionnaire, page) if bound is not None]


def posted_values(form: FlaskForm, questionnaire: Questionnaire, page: int) -> dict[Item, list[str] | None]:
    """What each field of a page not checked as a whole holds: an emptied field nothing ([]), a value that
    passes its own checks its values, any other value (a control character, "abc" for a number) None."""
    values = {}
    for item, bound in answer_fields(form, questionnaire, page):
        if _blank(bound.raw_data):
            values[item] = []
        else:
            values[item] = item.kind.to_values(bound.data) if bound.validate(form) else None
    return values


def posted_answers(form: FlaskForm, questionnaire: Questionnaire, page: int) -> dict[str, list[str]]:
    """A posted page's values by item code, as conditions and pipes read them (a refused value: none)."""
    return _by_code(posted_values(form, questionnaire, page))


def _by_code(posted: dict[Item, list[str] | None]) -> dict[str, list[str]]:
    return {item.code: values or [] for item, values in posted.items()}


def _draft(way: route.Walk, posted: dict[Item, list[str] | None]) -> dict:
    """What can be kept of a page not checked as a whole (Back, Continue later): its shown items' values that
    passed their own checks (an emptied field clears its answer); hidden items' answers go."""
    draft = {item.id: values for item, values in posted.items() if values is not None and item.id not in way.hidden}
    return _clearing_hidden(way, draft)


def _clearing_hidden(way: route.Walk, kept: dict[int, list[str]]) -> dict:
    """`kept`, and no answer (clearing a kept one) for every item hidden on the way, on any page."""
    if not reads_answers(way.questionnaire):
        return kept
    return {**kept, **{item.id: [] for item in way.hidden_answered()}}


def _blank(raw_data) -> bool:
    return all(isinstance(value, str) and not value.strip() for value in raw_data or ())


def _kept(entry: EntryPoint) -> dict[str, list[str]]:
    """The answers kept so far, by item code."""
    stored = entry.stored()
    return kept_answers(entry.questionnaire, stored.data) if stored is not None else {}


def kept_answers(questionnaire: Questionnaire, data: Mapping) -> dict[str, list[str]]:
    """Kept answers as form data (`Stored.data`) -> their stored values by item code."""
    return {item.code: item.kind.to_values(data[service.field_name(item)]) for item in questionnaire.items
            if service.field_name(item) in data}


def page_number(formdata: Mapping) -> int | None:
    """The page a posted form says it is (clamp it)."""
    try:
        return int(formdata.get("page"))
    except (TypeError, ValueError):
        return None


def kept_in(response, questionnaire: Questionnaire) -> Stored | None:
    """What a stored response holds, for `EntryPoint.stored` (its answers are read only while it is open)."""
    if response is None:
        return None
    if response.submitted_at is not None:
        return Stored(response.page, submitted=True)
    return Stored(response.page, service.stored_form_data(response, questionnaire))
