"""One page flow for every way into a questionnaire: what a respondent's request leads to.

The public link (/s/<slug>), the personal link (/i/<token>) and the builder's preview differ only in what their
EntryPoint says: where the response key comes from, whether and where answers are kept, and their addresses.
`show` and `advance` decide the rest the same way for all of them (which page, the language switch, Back with a
draft, validation, the last page, a second submission); views only map the Outcome to HTTP. A new way in (a
kiosk) is one more EntryPoint.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from flask_wtf import FlaskForm

from surveyapp.extensions import db
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.respond import service
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


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    page: int
    form: FlaskForm | None = None


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


def clamp(questionnaire: Questionnaire, page: int | None) -> int:
    return min(max(page or 1, 1), questionnaire.page_numbers[-1])


def show(entry: EntryPoint, requested: int | None = None) -> Outcome:
    """A GET: the page asked for (or the one to resume at) with what was kept, or a reason not to show it."""
    if entry.closed():
        return Outcome(Kind.ALREADY_SUBMITTED, 1)
    stored = entry.stored()
    if stored is None:
        return Outcome(Kind.NEW, 1)
    if stored.submitted:
        return Outcome(Kind.ALREADY_SUBMITTED, stored.page)
    page = clamp(entry.questionnaire, requested or stored.page)
    return Outcome(Kind.PAGE, page, page_form(entry, page, stored.data))


def page_form(entry: EntryPoint, page: int, data: dict | None = None) -> FlaskForm:
    """The form of `page` showing `data` (a new respondent's blank page without it)."""
    data = {**(data or {}), "rk": entry.form_key(), "page": page}
    return service.page_form(entry.questionnaire, page, entry.lang, formdata=None, data=data)


def advance(entry: EntryPoint, formdata: Mapping) -> Outcome:
    """A submitted page: switch the language, go back (keeping a draft), continue later, refuse or keep it.

    Raises DomainError for a form the entry point never issued. Stores through the entry point in the current
    transaction; `settle` ends it.
    """
    questionnaire = entry.questionnaire
    page = clamp(questionnaire, page_number(formdata))
    form = service.page_form(questionnaire, page, entry.lang, formdata=formdata)
    entry.check(form)
    if entry.closed():
        return Outcome(Kind.ALREADY_SUBMITTED, page)
    if "lang" in formdata:
        return Outcome(Kind.LANGUAGE, page, form)
    nav = formdata.get("nav")
    final = page == questionnaire.page_numbers[-1]
    try:
        if nav == "back":
            entry.keep_draft(page, draft_answers(form, questionnaire, page), resume_here=False)
            return Outcome(Kind.BACK, max(page - 1, 1))
        if nav == "later" and entry.continue_later:
            entry.keep_draft(page, draft_answers(form, questionnaire, page), resume_here=True)
            return Outcome(Kind.LATER, page)
        if not form.validate():
            return Outcome(Kind.ERRORS, page, form)
        answers = service.collect_answers(form, questionnaire, page)
        missing = first_missing(entry, page) if final else None
        if missing is not None:
            entry.keep_draft(page, answers, resume_here=False)
            return Outcome(Kind.ERRORS, missing, missing_form(entry, missing))
        entry.save(page, answers, final=final)
    except AlreadySubmitted:
        return Outcome(Kind.ALREADY_SUBMITTED, page)
    return Outcome(Kind.FINISHED, page) if final else Outcome(Kind.NEXT, page + 1)


def first_missing(entry: EntryPoint, final_page: int) -> int | None:
    """The first page with a required item left unanswered, at the final submit; None when all are answered.

    A page checks only its own items, and a Back draft may clear an answer, so the last page proves nothing
    about the others. Only a questionnaire with required items on other pages asks for the kept answers (one
    query); a one-page survey has been checked whole already.
    """
    elsewhere = {item.id: item.page for item in entry.questionnaire.items
                 if item.required and item.page != final_page}
    if not elsewhere:
        return None
    answered = entry.answered()
    return min((page for item_id, page in elsewhere.items() if item_id not in answered), default=None)


def missing_form(entry: EntryPoint, page: int) -> FlaskForm:
    """`page` with what was kept, its unanswered required items showing their error."""
    stored = entry.stored()
    kept = stored.data if stored else {}
    form = page_form(entry, page, kept)
    for item, bound in service.page_items(form, entry.questionnaire, page):
        if item.required and service.field_name(item) not in kept:
            bound.validate(form)
    return form


def settle(outcome: Outcome) -> None:
    """End the request's transaction: keep what was stored, drop the remains of a refused second submission."""
    if outcome.kind is Kind.ALREADY_SUBMITTED:
        db.session.rollback()
    else:
        db.session.commit()


def draft_answers(form: FlaskForm, questionnaire: Questionnaire, page: int) -> dict[int, list[str]]:
    """What can be kept of a page not checked as a whole: an emptied field clears its answer, a value that
    passes its own checks is kept, any other value (a control character, "abc" for a number) is not."""
    kept = {}
    for item, bound in service.page_items(form, questionnaire, page):
        if _blank(bound.raw_data):
            kept[item.id] = []
        elif bound.validate(form):
            kept[item.id] = item.kind.to_values(bound.data)
    return kept


def _blank(raw_data) -> bool:
    return all(isinstance(value, str) and not value.strip() for value in raw_data or ())


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
