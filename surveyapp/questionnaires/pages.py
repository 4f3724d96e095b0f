"""Pages as objects of their own: add, retitle, reorder, delete; each page's display condition and skip rules.

A page is a number its items carry, a Page row with its logic, and its titles (QuestionnaireText "page.<n>").
Reordering or deleting renumbers all three, the skip targets and the page a respondent is on, in the caller's
transaction; then every condition and skip is checked again, so a move that would make a condition look at a
later page is refused as a whole. Flushes, never commits.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, update

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.questionnaires.conditions import (
    check_all_pipes,
    check_item_condition,
    check_page_condition,
    check_pipes,
    check_skips,
)
from surveyapp.questionnaires.models import Page, Questionnaire, QuestionnaireText, set_text
from surveyapp.questionnaires.service import about_field
from surveyapp.responses.models import Response

MAX_PAGES = 100
END = "end"


def page_titles(questionnaire: Questionnaire, lang: str) -> list[tuple[int, str]]:
    """(number, title in `lang` or the default language) of every page."""
    return [(number, questionnaire.text(f"page.{number}", lang)) for number in questionnaire.page_numbers]


def add_page(questionnaire: Questionnaire) -> int:
    """An empty page after the last; its number."""
    number = questionnaire.page_numbers[-1] + 1
    if number > MAX_PAGES:
        raise DomainError(_l("A questionnaire has at most %(num)s pages.", num=MAX_PAGES))
    questionnaire.pages.append(Page(number=number, skips=[]))
    db.session.flush()
    return number


def set_title(questionnaire: Questionnaire, number: int, lang: str, title: str | None) -> None:
    _existing(questionnaire, number)
    check_pipes(questionnaire, f"page.{number}", lang, title)
    set_text(questionnaire, QuestionnaireText, f"page.{number}", lang, title)
    db.session.flush()


def set_logic(questionnaire: Questionnaire, number: int, condition: str | None, skips: list[dict]) -> None:
    """When the page is shown, and where to go after it (the first rule that holds)."""
    _existing(questionnaire, number)
    with about_field("condition"):
        condition = check_page_condition(questionnaire, number, condition) if (condition or "").strip() else None
    for index in range(len(skips)):  # rule by rule, so a refusal names the rule (`error.field`: its index)
        with about_field(index):
            check_skips(questionnaire, number, skips[:index + 1])
    skips = check_skips(questionnaire, number, skips) if skips else []
    page = questionnaire.page(number)
    if page is None:
        page = Page(number=number)
        questionnaire.pages.append(page)
    page.condition, page.skips = condition, list(skips)
    db.session.flush()


def move_page(questionnaire: Questionnaire, number: int, step: int) -> None:
    """Swap the page with the one before (step -1) or after (+1)."""
    numbers = questionnaire.page_numbers
    index = numbers.index(_existing(questionnaire, number)) + step
    if 0 <= index < len(numbers):
        other = numbers[index]
        _renumber(questionnaire, {number: other, other: number})
        _recheck(questionnaire)


def delete_page(questionnaire: Questionnaire, number: int) -> None:
    """Delete an empty page; the pages after it move up one."""
    _existing(questionnaire, number)
    if questionnaire.items_on(number):
        raise DomainError(_l("Page %(number)s still has items: move them to another page or delete them first.",
                             number=number))
    if len(questionnaire.page_numbers) == 1:
        raise DomainError(_l("A questionnaire needs at least one page."))
    sources = [page.number for page in questionnaire.pages if any(skip.get("to") == number for skip in page.skips)]
    if sources:
        raise DomainError(_l("A skip rule on page %(pages)s goes to page %(number)s: change it first.",
                             pages=", ".join(map(str, sources)), number=number))
    page = questionnaire.page(number)
    if page is not None:
        questionnaire.pages.remove(page)
    for row in [row for row in questionnaire.texts if row.key == f"page.{number}"]:
        questionnaire.texts.remove(row)
    db.session.flush()
    _renumber(questionnaire, {later: later - 1 for later in questionnaire.page_numbers if later > number})
    _recheck(questionnaire)


def _existing(questionnaire: Questionnaire, number: int) -> int:
    if number not in questionnaire.page_numbers:
        raise DomainError(_l("There is no page %(number)s.", number=number))
    return number


def _renumber(questionnaire: Questionnaire, moves: dict[int, int]) -> None:
    """Give pages new numbers {old: new}: items, Page rows, titles, skip targets, respondents' current page.

    Rows and titles go through a temporary number first, as (questionnaire, number) and (questionnaire, key,
    lang) are unique and two pages may swap.
    """
    moves = {old: new for old, new in moves.items() if old != new}
    if not moves:
        return
    for item in questionnaire.items:
        item.page = moves.get(item.page, item.page)
    rows = [page for page in questionnaire.pages if page.number in moves]
    titles = [row for row in questionnaire.texts if row.key.startswith("page.") and _page_of(row.key) in moves]
    for page in rows:
        page.number = -moves[page.number]
    for row in titles:
        row.key = f"moving.{moves[_page_of(row.key)]}"
    db.session.flush()
    for page in rows:
        page.number = -page.number
    for row in titles:
        row.key = f"page.{row.key.removeprefix('moving.')}"
    for page in questionnaire.pages:
        if any(skip.get("to") in moves for skip in page.skips):
            page.skips = [{**skip, "to": moves.get(skip["to"], skip["to"])} for skip in page.skips]
    questionnaire.pages.sort(key=lambda page: page.number)
    db.session.execute(
        update(Response).where(Response.questionnaire_id == questionnaire.id, Response.submitted_at.is_(None),
                               Response.page.in_(moves))
        .values(page=case(moves, value=Response.page)).execution_options(synchronize_session=False))
    db.session.flush()


def _page_of(key: str) -> int | None:
    number = key.removeprefix("page.")
    return int(number) if number.isdigit() else None


def _recheck(questionnaire: Questionnaire) -> None:
    """Every condition, skip and piped text still looks only at earlier pages; every skip goes only forward."""
    try:
        for item in questionnaire.items:
            if item.condition:
                check_item_condition(item, item.condition)
        for page in questionnaire.pages:
            if page.condition:
                check_page_condition(questionnaire, page.number, page.condition)
            if page.skips:
                check_skips(questionnaire, page.number, page.skips)
        check_all_pipes(questionnaire)
    except DomainError as error:
        raise DomainError(_l("The pages were not moved, as their logic would no longer work: %(reason)s",
                             reason=error.message)) from error
