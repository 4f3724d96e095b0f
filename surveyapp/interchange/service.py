"""Read a questionnaire file into a Draft, create a questionnaire from a Draft, export one as XLSForm.

`create` builds through `starters.service.build`, the builder's own service functions, so an imported
questionnaire passes every check a built one does. It flushes, never commits: the caller (the upload's
confirmation, the CLI) owns the transaction, and rolls back on a refusal, so nothing is half-created. A
preview or dry run creates and rolls back, so it reports what the builder would refuse as well.
"""
import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.interchange import limits, xlsform, xlsform_export
from surveyapp.interchange.model import Draft
from surveyapp.itemtypes import REGISTRY
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.models import Questionnaire
from surveyapp.starters import service as starters

XLSFORM_SUFFIXES = (".xlsx",)
LIMESURVEY_SUFFIXES = (".lss", ".xml")
MAX_SLUG = Questionnaire.slug.type.length


class UnknownFormat(DomainError):
    status_code = 422


class Refused(DomainError):
    """The draft has rows that do not map, and leaving them out was not asked for."""

    status_code = 422


def read(filename: str, data: bytes) -> Draft:
    """The draft of an XLSForm workbook or a LimeSurvey file, told apart by extension, else by content."""
    suffix = Path(filename or "").suffix.lower()
    if suffix in XLSFORM_SUFFIXES or (not suffix and data.startswith(b"PK")):
        return xlsform.read(data)
    if suffix in LIMESURVEY_SUFFIXES or (not suffix and data.lstrip()[:1] == b"<"):
        from surveyapp.interchange import limesurvey

        return limesurvey.read(data)
    raise UnknownFormat(_l("Please choose an XLSForm workbook (.xlsx) or a LimeSurvey survey file (.lss)."))


def create(draft: Draft, programme: Programme, slug: str, *, skip_unsupported: bool = False) -> Questionnaire:
    """A draft questionnaire of `programme` from `draft`; Refused while it has problems not to be skipped."""
    if draft.problems and not skip_unsupported:
        raise Refused(lazy_ngettext(
            "%(num)d row or question cannot be imported, so nothing was created. Change the file, or leave it "
            "out (“skip unsupported”).",
            "%(num)d rows or questions cannot be imported, so nothing was created. Change the file, or leave "
            "them out (“skip unsupported”).", len(draft.problems)))
    draft = limits.without_long(draft)  # read() left them out already; a draft made otherwise too
    if not draft.item_count:
        raise Refused(_l("This file has no question that can be imported."))
    too_long = limits.draft_problems(draft)  # a questionnaire's or page's text: never cut to fit
    if too_long:
        raise Refused(_l("%(where)s: %(reason)s Nothing was created.", where=too_long[0].where,
                         reason=too_long[0].reason))
    if len(slug or "") > MAX_SLUG:  # the builder's message names the letters only
        raise Refused(_l("A link name has at most %(num)s characters.", num=MAX_SLUG))
    return starters.build(draft.data, programme, slug, draft.data["languages"])


def check(draft: Draft, programme: Programme, slug: str) -> str | None:
    """What the builder would refuse in the draft (its message), None if nothing: created, then rolled back.
    Rows already reported are left out, so the check looks at what would be created."""
    try:
        create(draft, programme, slug, skip_unsupported=True)
    except DomainError as error:
        return str(error.message)
    finally:
        db.session.rollback()
    return None


def export_xlsform(questionnaire: Questionnaire) -> bytes:
    return xlsform_export.export(questionnaire)


def suggest_slug(draft: Draft, filename: str) -> str:
    """A free link name from the form's id or the file's name ("Youth Survey.xlsx" -> youth-survey)."""
    base = re.sub(r"[^a-z0-9]+", "-", (draft.data.get("form_id") or Path(filename or "").stem).lower()).strip("-")
    base = base[:60] if len(base) >= 2 else "imported"
    return starters.suggest_slug(base)


@dataclass(frozen=True)
class Entry:
    code: str
    type_label: str
    label: str
    condition: str | None


def summary(draft: Draft) -> list[tuple[str, str | None, list[Entry]]]:
    """(page title, page condition, its items) per page, in the default language, for a preview."""
    lang = draft.data["languages"][0]
    pages = []
    for number, page in enumerate(draft.data["pages"], start=1):
        entries = [Entry(spec["code"], str(REGISTRY[spec["type"]].label) if spec["type"] in REGISTRY
                         else spec["type"], starters.pick(spec.get("texts", {}).get("label", {}), lang, [lang]),
                         spec.get("condition")) for spec in page["items"]]
        title = starters.pick(page.get("title", {}), lang, [lang]) or str(_l("Page %(number)s", number=number))
        pages.append((title, page.get("condition"), entries))
    return pages
