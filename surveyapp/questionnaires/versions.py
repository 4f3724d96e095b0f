"""Versions keep stored answers meaningful.

An item's meaning is what a stored answer of it stands for: its type, its settings (Likert points, number
range, date limits...; not those its type names cosmetic, such as a number's decimal places: 12.5 means 12.5
whatever places are allowed later) and the option codes it offers. Once a questionnaire has a response
(any response row, submitted or not), a builder change that alters the meaning of an item keeps a snapshot
of the version it replaces (QuestionnaireVersion) and counts `questionnaires.version` up, in the change's own
transaction; each response records the version it was given on. Exports and reports read an earlier
version's scales and options from its snapshot, so a "5" given on a 5-point scale stays a 5 of 5.

Wording (question, help, scale end labels, option labels, page titles), order, `required` and pages change
no meaning and stay in place; a new item makes no version either (older answers simply lack it). Adding or
deleting an option changes the codes offered: a new version (the answers keep their codes, an old version's
snapshot its labels). What would break the answers' link to their item (deleting an item, changing an item
or option code) stays refused once responses exist (service._ensure_unlocked): codes line versions up.
"""
import json
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exists, select

from surveyapp.audit.service import record
from surveyapp.extensions import db
from surveyapp.questionnaires.models import Item, Questionnaire, QuestionnaireVersion
from surveyapp.responses.models import Response


def has_responses(questionnaire: Questionnaire) -> bool:
    return bool(db.session.scalar(select(exists().where(Response.questionnaire_id == questionnaire.id))))


def meaning(item: Item) -> str:
    """What a stored answer of `item` stands for (type, settings, the option codes offered, in any order), as a
    string to compare and group by.

    A setting at its type's default counts as absent: a Likert item saved with "points": 5 where it had none
    asks what it asked before. The type's cosmetic settings do not count."""
    kind = item.kind
    settings = {key: value for key, value in item.settings.items()
                if value is not None and kind.defaults.get(key, ...) != value and key not in kind.cosmetic_settings}
    return json.dumps([item.type, settings, sorted(item.kind.option_codes(item))], sort_keys=True, default=str)


def snapshot(questionnaire: Questionnaire) -> dict:
    """The questionnaire as its respondents see it now: enough to describe its answers after it changed."""
    return {
        "version": questionnaire.version,
        "texts": _texts(questionnaire.texts),
        "items": [_item_snapshot(item) for item in questionnaire.items],
    }


def _item_snapshot(item: Item) -> dict:
    return {
        "code": item.code,
        "type": item.type,
        "settings": dict(item.settings),
        "required": item.required,
        "page": item.page,
        "texts": _texts(item.texts),
        "options": [{"code": option.code, "labels": _texts(option.texts).get("label", {})}
                    for option in item.options],
    }


def _texts(rows) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for row in rows:
        texts.setdefault(row.key, {})[row.lang] = row.text
    return texts


@contextmanager
def keeping_meaning(questionnaire: Questionnaire, change: str) -> Iterator[None]:
    """Run a builder change; if it alters an item's meaning once responses exist, make a new version.

    The version replaced is described as it was before the change (its snapshot is taken first, in memory,
    and stored only when needed). `change` names the change in the audit trail.
    """
    before = snapshot(questionnaire)
    meanings = {item.code: meaning(item) for item in questionnaire.items}
    yield
    changed = [item.code for item in questionnaire.items
               if item.code in meanings and meaning(item) != meanings[item.code]]
    if changed and has_responses(questionnaire):
        new_version(questionnaire, before, changed, change)


def new_version(questionnaire: Questionnaire, before: dict, changed: list[str], change: str) -> int:
    """Keep `before` as the current version's snapshot (unless kept already) and count the version up."""
    number = questionnaire.version
    kept = db.session.scalar(select(exists().where(QuestionnaireVersion.questionnaire_id == questionnaire.id,
                                                   QuestionnaireVersion.number == number)))
    if not kept:
        db.session.add(QuestionnaireVersion(questionnaire_id=questionnaire.id, number=number, snapshot=before))
    questionnaire.version = number + 1  # a change to the row: the structure_stamp changes with it
    db.session.flush()
    # The Session itself, not the db.session proxy: in a request this event comes in addition to the
    # request's own (item.edit), which an explicit record through the proxy would stand in for.
    record("questionnaire.new_version", target=f"questionnaire:{questionnaire.id}",
           detail={"version": number + 1, "items": changed[:20], "change": change}, session=db.session())
    return number + 1


def snapshots(questionnaire_ids: list[int]) -> dict[tuple[int, int], dict]:
    """{(questionnaire id, version number): snapshot} of every earlier version kept for these questionnaires."""
    rows = db.session.execute(
        select(QuestionnaireVersion.questionnaire_id, QuestionnaireVersion.number, QuestionnaireVersion.snapshot)
        .where(QuestionnaireVersion.questionnaire_id.in_(questionnaire_ids))
    )
    return {(questionnaire_id, number): data for questionnaire_id, number, data in rows}
