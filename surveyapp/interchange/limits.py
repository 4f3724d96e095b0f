"""The builder's length limits (questionnaires.forms) for imported texts: a text the builder's form would refuse
is a problem of its row or question, never stored (openpyxl alone cuts a cell at 32,767 characters).

`sheet_problems` names the XLSForm sheet, row and column; `draft_problems` names the question (LimeSurvey)
and is checked again when creating. Such questions are left out of the draft (`without_long`), as other rows
that do not map are: created only when problems are skipped; a text is never cut to fit.
"""
import copy

from flask_babel import gettext as _

from surveyapp.interchange.model import Draft, Problem

QUESTIONNAIRE = {"title": 300, "intro": 5000, "thanks": 5000}
PAGE_TITLE = 300
ITEM = {"label": 2000, "help": 1000}
ITEM_OTHER = 2000  # a type's own texts (a pattern's message, an end label)
OPTION = 500
# XLSForm columns -> the builder field they fill
SHEET = {("survey", "label"): 2000, ("survey", "hint"): 1000, ("survey", "constraint_message"): ITEM_OTHER,
         ("survey", "required_message"): ITEM_OTHER, ("survey", "relevant"): 2000,
         ("survey", "constraint"): 2000, ("choices", "label"): OPTION, ("settings", "form_title"): 300}


def _too_long(length: int, limit: int) -> str:
    return _("The text has %(length)s characters; the builder allows at most %(limit)s.", length=length,
             limit=limit)


def sheet_problems(sheets) -> list[Problem]:
    """One problem per XLSForm cell longer than its builder field allows."""
    found = []
    for name, sheet in sheets.items():
        for row in sheet.rows:
            for key, cells in row.cells.items():
                limit = SHEET.get((name, key))
                for lang, text in cells if limit else ():
                    if len(text.strip()) > limit:
                        column = f"{key}::{lang}" if lang else key
                        where = _("%(sheet)s, row %(row)s, column %(column)s", sheet=name, row=row.number,
                                  column=column)
                        found.append(Problem(where, _too_long(len(text.strip()), limit)))
    return found


def draft_problems(draft: Draft) -> list[Problem]:
    """One problem per question (or questionnaire text) with a text longer than the builder allows."""
    data, found = draft.data, []
    texts = {"title": data.get("title", {}), **data.get("texts", {})}
    for key, limit in QUESTIONNAIRE.items():
        _check(found, _("the questionnaire's %(text)s", text=key), texts.get(key) or {}, limit)
    for number, page in enumerate(data.get("pages", []), start=1):
        _check(found, _("page %(number)s", number=number), page.get("title") or {}, PAGE_TITLE)
        for spec in page.get("items", []):
            found += _item_problems(spec)
    return found


def without_long(draft: Draft) -> Draft:
    """The draft without the questions that have a text over the builder's limit (and pages left empty)."""
    data = copy.deepcopy(draft.data)
    for page in data.get("pages", []):
        page["items"] = [spec for spec in page.get("items", []) if not _item_problems(spec)]
    data["pages"] = [page for page in data.get("pages", []) if page["items"]]
    return Draft(draft.source, data, draft.problems, draft.notes)


def _item_problems(spec: dict) -> list[Problem]:
    found: list[Problem] = []
    where = _("question (code: %(code)s)", code=spec.get("code", ""))
    for key, by_lang in (spec.get("texts") or {}).items():
        _check(found, where, by_lang or {}, ITEM.get(key, ITEM_OTHER))
    for entry in [*spec.get("options", []), *spec.get("rows", [])]:
        _check(found, where, entry.get("label") or {}, OPTION)
    return found[:1]


def _check(found: list[Problem], where: str, by_lang: dict, limit: int) -> None:
    longest = max((len(text) for text in by_lang.values() if isinstance(text, str)), default=0)
    if longest > limit:
        found.append(Problem(where, _too_long(longest, limit)))
