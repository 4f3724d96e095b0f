"""What a questionnaire must be before it opens: respondents can answer every item and every page.

A choice item without options cannot be answered (a required one blocks its page for good). Pages are
numbered by their items; the numbers used must run 1..N, since an empty page in between (a gap: items on
pages 1 and 3) would show respondents a page with nothing on it.
"""
from flask_babel import gettext as _
from flask_babel import ngettext

from surveyapp.errors import DomainError
from surveyapp.questionnaires.models import Questionnaire

SHOWN = 5  # problems named in the message; the rest are counted


class NotReady(DomainError):
    """Opening refused: the message names what to fix."""

    status_code = 422


def check_openable(questionnaire: Questionnaire) -> None:
    """Raise NotReady naming every item without options and every empty page."""
    problems = [*_items_without_options(questionnaire), *_empty_pages(questionnaire)]
    if problems:
        shown = " ".join(problems[:SHOWN])
        more = len(problems) - SHOWN
        if more > 0:
            shown += " " + ngettext("(%(num)s more problem.)", "(%(num)s more problems.)", more)
        raise NotReady(_("The questionnaire cannot open yet. %(problems)s", problems=shown))


def _items_without_options(questionnaire: Questionnaire) -> list[str]:
    return [_("Item %(code)s has no options: add at least one.", code=item.code)
            for item in questionnaire.items if item.kind.needs_options(item) and not item.options]


def _empty_pages(questionnaire: Questionnaire) -> list[str]:
    used = {item.page for item in questionnaire.items}
    last = max(used, default=0)
    return [_("Page %(page)s has no items: move an item onto it or renumber the pages after it.", page=page)
            for page in range(1, last + 1) if page not in used]
