"""Per-process cache of questionnaire structures for the respondent pages.

Loading a questionnaire with its items, options and texts (five queries, ~100 ORM objects) and building its
WTForms class were most of a respondent request's cost. Both depend only on the structure, which changes
rarely and always gets a new `structure_stamp` (see questionnaires.models). So each request reads one light
row (id, stamp, status) and reuses the structure an earlier request of this process loaded for that (id,
stamp); a change made in any process shows at the next request, because the stamp in the database differs.

Cached questionnaires are detached from every session and shared between requests: read them, never change
them or attach them to a session (use their `id` in queries).
"""
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from surveyapp.extensions import db
from surveyapp.programmes.models import Programme
from surveyapp.questionnaires.models import Item, Option, Questionnaire, Status

MAX_ENTRIES = 64  # questionnaires kept per process; the least recently used one is dropped first


class _Entry:
    __slots__ = ("questionnaire", "derived")

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.derived: dict[tuple, object] = {}  # page form classes, blank pages (respond.blank)


_entries: OrderedDict[tuple[int, str], _Entry] = OrderedDict()
_lock = Lock()
# built once: constructing the statement cost more than running it (a Core execute, no ORM entities)
_BY_SLUG = select(Questionnaire.id, Questionnaire.structure_stamp, Questionnaire.status,
                  Programme.archived_at.is_not(None).label("programme_archived")).join(
    Programme, Programme.id == Questionnaire.programme_id).where(Questionnaire.slug == bindparam("slug"))


def questionnaire_by_slug(slug: str) -> tuple[Questionnaire, Status, bool] | None:
    """The structure of the questionnaire at `slug`, its status and whether its programme is archived (both read
    now, not cached: archiving a programme changes no structure); None if absent."""
    row = db.session.connection().execute(_BY_SLUG, {"slug": slug}).first()
    if row is None:
        return None
    entry = _get((row.id, row.structure_stamp))
    if entry is None:
        entry = _put(_load(row.id))
    return entry.questionnaire, row.status, bool(row.programme_archived)


def derived(questionnaire: Questionnaire, key: tuple, build: Callable[[], object]) -> object:
    """`build()` once per cached structure and `key` (what, page, language, ...); uncached ones every time.

    What is built must depend only on the structure and on `key`.
    """
    entry = _get((questionnaire.id, questionnaire.structure_stamp))
    if entry is None or entry.questionnaire is not questionnaire:
        return build()
    try:
        return entry.derived[key]
    except KeyError:
        value = entry.derived[key] = build()
        return value


def clear() -> None:
    with _lock:
        _entries.clear()


def _get(key: tuple[int, str]) -> _Entry | None:
    with _lock:
        entry = _entries.get(key)
        if entry is not None:
            _entries.move_to_end(key)
        return entry


def _put(questionnaire: Questionnaire) -> _Entry:
    key = (questionnaire.id, questionnaire.structure_stamp)
    with _lock:
        entry = _entries.get(key)
        if entry is None:
            entry = _entries[key] = _Entry(questionnaire)
            older = [k for k in _entries if k[0] == key[0] and k != key]  # this questionnaire's old stamps
            for k in older:
                del _entries[k]
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
        return entry


def with_structure(query):
    """`query` for Questionnaire rows, loading their texts, pages, items (with their parts), options and option
    texts too."""
    return query.options(
        selectinload(Questionnaire.texts),
        selectinload(Questionnaire.pages),
        selectinload(Questionnaire.items).selectinload(Item.parts),
        selectinload(Questionnaire.items).selectinload(Item.texts),
        selectinload(Questionnaire.items).selectinload(Item.options).selectinload(Option.texts),
    )


def _load(questionnaire_id: int) -> Questionnaire:
    """Load the whole structure, then detach it so no commit or rollback can expire it."""
    questionnaire = db.session.scalar(
        with_structure(select(Questionnaire).where(Questionnaire.id == questionnaire_id))
        .execution_options(populate_existing=True)
    )
    objects = [questionnaire, *questionnaire.texts, *questionnaire.pages]
    for item in questionnaire.items:
        # back references (questionnaire, parent): identity-map lookups, no query
        objects += [item, item.questionnaire, item.parent, *item.texts]
        for option in item.options:
            objects += [option, option.item, *option.texts]
    for obj in dict.fromkeys(obj for obj in objects if obj is not None):
        if obj in db.session:
            db.session.expunge(obj)
    return questionnaire
