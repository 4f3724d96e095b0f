"""The respondent's side: load an open questionnaire, build page forms from the item registry, save pages.

Saving is one transaction per page and idempotent: a response is keyed by a random token carried in the form,
and the claim `submitted_at IS NULL` makes a double tap or a replayed form store nothing twice.
"""
import re
import secrets
from datetime import datetime
from functools import lru_cache

from babel.support import Translations
from flask import current_app
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms.i18n import messages_path

from surveyapp.datasets.versions import SnapshotItem
from surveyapp.db import utcnow
from surveyapp.errors import DomainError, Gone, NotFound
from surveyapp.extensions import db
from surveyapp.questionnaires.lifecycle import Reach, aware, reachable
from surveyapp.questionnaires.models import Item, Questionnaire
from surveyapp.questionnaires.versions import meaning, snapshots
from surveyapp.respond import cache
from surveyapp.responses.models import Answer, Response


class AlreadySubmitted(Exception):
    """The response behind this key is complete; nothing more is accepted."""


class BadResponseKey(DomainError):
    """A response key this server never issued (tampered, truncated or foreign form): nothing is stored."""

    status_code = 400


# exactly what new_response_key() makes: 24 random bytes, URL-safe base64 without padding
_ISSUED_KEY = re.compile(r"[A-Za-z0-9_-]{32}")
# what save_page stores at all: issued keys and invitation keys (waves.tokens.response_key), within the column
_STORABLE_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def field_name(item: Item) -> str:
    return f"q_{item.code}"


class NotYetOpen(DomainError):
    """An open questionnaire whose opening date is still ahead.

    403, not 404: the link is right and will work, so link checkers must not report it broken, and unlike
    404 and 410 a 403 is never cached heuristically (it must not outlive the opening minute). Its page is
    headed with `title`, not "Access denied"."""

    status_code = 403
    title = _l("This survey is not open yet")


def load_questionnaire(slug: str, *, allow_draft: bool = False, now: datetime | None = None) -> Questionnaire:
    """The questionnaire at `slug` for a respondent: its cached, read-only structure (see respond.cache).

    Whether it takes answers is decided at every request on the status read now and the clock, never cached:
    a scheduled opening or closing takes effect at its minute."""
    if allow_draft:
        return _load_into_session(slug)
    found = cache.questionnaire_by_slug(slug)
    reach = reachable(found[0], now or utcnow(), found[1], found[2]) if found else Reach.DRAFT
    if reach is Reach.DRAFT:
        raise NotFound(_l("This survey does not exist. Please check the link."))
    if reach is Reach.SCHEDULED:
        raise NotYetOpen(_l("This survey opens on %(date)s. Please come back then.",
                            date=LazyString(format_datetime, aware(found[0].opens_at))))
    if reach is not Reach.OPEN:  # closed by hand, past its closing date, archived
        raise Gone(_l("This survey is closed. Thank you for your interest."))
    return found[0]


def _load_into_session(slug: str) -> Questionnaire:
    query = cache.with_structure(select(Questionnaire).where(Questionnaire.slug == slug))
    questionnaire = db.session.scalar(query)
    if questionnaire is None:
        raise NotFound(_l("This survey does not exist. Please check the link."))
    return questionnaire


def new_response_key() -> str:
    return secrets.token_urlsafe(24)


def checked_key(key) -> str:
    """The response key a respondent's form carries, if new_response_key() could have made it; else BadResponseKey.

    Refused (400) rather than replaced by a fresh key: a key that was never issued means a tampered or broken
    form, and starting a new response for it would let a replayed form store its answers twice. A key longer
    than the column (a 500 on PostgreSQL) or with other characters never reaches the database.
    """
    if not isinstance(key, str) or not _ISSUED_KEY.fullmatch(key):
        raise BadResponseKey(_l("This form is not valid. Please reload the survey page and try again."))
    return key


def page_form(questionnaire: Questionnaire, page: int, lang: str, formdata=None, data=None) -> FlaskForm:
    """A FlaskForm for one page, its fields made by each item's type (its class cached with the structure)."""
    form_class = cache.derived(questionnaire, ("form", page, lang, str(get_locale())),
                               lambda: _page_form_class(questionnaire, page, lang))
    kwargs = {"data": data or {}}
    if formdata is not None:
        kwargs["formdata"] = formdata
    return form_class(**kwargs)


def _page_form_class(questionnaire: Questionnaire, page: int, lang: str) -> type[FlaskForm]:
    class PageForm(FlaskForm):
        class Meta:
            def get_translations(self, form):
                if not current_app.config.get("WTF_I18N_ENABLED", True):
                    return None
                return _wtforms_translations(str(get_locale()))

        rk = HiddenField()
        page = HiddenField()

    for item in questionnaire.items_on(page):
        if item.kind.answered:
            setattr(PageForm, field_name(item), item.kind.field(item, lang))
    return PageForm


@lru_cache(maxsize=16)
def _wtforms_translations(locale: str) -> Translations:
    """WTForms' own messages in `locale`, read once per process (Flask-WTF reads them per request)."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


def page_items(form: FlaskForm, questionnaire: Questionnaire, page: int) -> list[tuple[Item, object]]:
    return [(item, form[field_name(item)] if item.kind.answered else None) for item in questionnaire.items_on(page)]


def find_response(key: str | None, questionnaire: Questionnaire) -> Response | None:
    if not isinstance(key, str) or not _STORABLE_KEY.fullmatch(key):
        return None
    return db.session.scalar(
        select(Response).where(Response.key == key, Response.questionnaire_id == questionnaire.id)
    )


def stored_form_data(response: Response, questionnaire: Questionnaire) -> dict:
    """Answers saved so far, as form data, so a respondent resumes where they stopped."""
    values: dict[int, list[str]] = {}
    for item_id, value in db.session.execute(
        select(Answer.item_id, Answer.value).where(Answer.response_id == response.id).order_by(Answer.id)
    ):
        values.setdefault(item_id, []).append(value)
    return form_data(questionnaire, values)


def answered_items(questionnaire: Questionnaire, key: str) -> set[int]:
    """The ids of the items the response with `key` holds an answer to (none for an unknown key); an answer
    given on an earlier version to an item whose meaning changed since does not count (saving drops it)."""
    rows = db.session.execute(
        select(Answer.item_id, Response.questionnaire_version).join(Response, Answer.response_id == Response.id)
        .where(Response.key == key, Response.questionnaire_id == questionnaire.id)
    ).all()
    earlier = {version for _item_id, version in rows if version < questionnaire.version}
    changed = set().union(*(changed_since(questionnaire, version) for version in earlier))
    return {item_id for item_id, _version in rows} - changed


def changed_since(questionnaire: Questionnaire, version: int) -> set[int]:
    """The ids of the items whose meaning changed since `version` (its snapshot against the live items); an
    item that version did not have changed nothing. Without a snapshot (none was kept) nothing counts as
    changed."""
    earlier = snapshots([questionnaire.id]).get((questionnaire.id, version))
    if earlier is None:
        return set()
    before = {data["code"]: meaning(SnapshotItem(data, questionnaire)) for data in earlier["items"]}
    return {item.id for item in questionnaire.items if item.code in before and meaning(item) != before[item.code]}


def form_data(questionnaire: Questionnaire, values: dict[int, list[str]]) -> dict:
    """Stored values (by item id) as form data."""
    return {field_name(item): item.kind.to_form(values[item.id]) for item in questionnaire.items if item.id in values}


def collect_answers(form: FlaskForm, questionnaire: Questionnaire, page: int) -> dict[int, list[str]]:
    return {item.id: item.kind.to_values(form[field_name(item)].data) for item in questionnaire.items_on(page)
            if item.kind.answered}


def save_page(questionnaire: Questionnaire, key: str, page: int, lang: str, answers: dict[int, list[str]],
              *, final: bool, now: datetime | None = None, links: dict | None = None) -> int:
    """Store one page's answers (and submit on the last page) in the current transaction.

    Returns the response id; raises AlreadySubmitted when the response is complete already and BadResponseKey
    for a key that could not be stored. `links` (participant_id, wave_id, invitation_id) are set on a new
    response given through an invitation. The caller commits.
    """
    _check_storable(key)
    now = now or utcnow()
    state = {"page": page if final else page + 1, "lang": lang, "submitted_at": now if final else None}
    return _store(questionnaire, key, state, answers, now, links)


def save_draft(questionnaire: Questionnaire, key: str, lang: str, answers: dict[int, list[str]],
               *, resume_page: int | None = None, now: datetime | None = None, links: dict | None = None) -> int | None:
    """Keep a page's answers so far without submitting or moving on (Back, Continue later); the caller commits.

    Without `resume_page` only an existing, unsubmitted response takes them (else None: a Back never starts a
    response). With it the response is started if new and resumes at that page; AlreadySubmitted if complete.
    """
    _check_storable(key)
    if resume_page is None:
        try:
            response_id = _claim(questionnaire, key, {"lang": lang})
        except AlreadySubmitted:
            return None
        _replace_answers(response_id, answers, new=False)
        return response_id
    state = {"page": resume_page, "lang": lang, "submitted_at": None}
    return _store(questionnaire, key, state, answers, now or utcnow(), links)


def _store(questionnaire, key, state, answers, now, links) -> int:
    """Start the response with `state` or claim the existing one, then store `answers`: the id."""
    response_id = _start(questionnaire, key, state, now, links or {})
    new = response_id is not None
    if not new:  # the response exists: this page again, or a later one
        response_id = _claim(questionnaire, key, state)
    _replace_answers(response_id, answers, new=new)
    return response_id


def _check_storable(key: str) -> None:
    if not _STORABLE_KEY.fullmatch(key):
        raise BadResponseKey(_l("This form is not valid. Please reload the survey page and try again."))


def _replace_answers(response_id: int, answers: dict[int, list[str]], *, new: bool) -> None:
    """Store `answers` in place of the response's earlier answers to these items (none when it is `new`)."""
    if not new:
        db.session.execute(delete(Answer).where(Answer.response_id == response_id, Answer.item_id.in_(answers)))
    pairs = [(item_id, value) for item_id, values in answers.items() for value in values]
    if pairs:
        _insert_answers(db.session.connection(), response_id, pairs)


def _insert_answers(connection, response_id: int, pairs: list[tuple[int, str]]) -> None:
    if connection.dialect.name == "postgresql":  # one statement with two arrays, not one per answer
        items, values = zip(*pairs, strict=True)
        connection.execute(_ANSWERS_UNNEST, {"response_id": response_id, "item_ids": list(items),
                                             "values": list(values)})
        return
    connection.execute(_ANSWERS, [{"response_id": response_id, "item_id": item_id, "value": value}
                                  for item_id, value in pairs])  # Core executemany (cheap in sqlite3)


# INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id, built once per dialect (cheaper than per call)
_START = {name: dialect.insert(Response.__table__).on_conflict_do_nothing(index_elements=["key"])
          .returning(Response.id) for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}
_ANSWERS = insert(Answer.__table__)
_ANSWERS_UNNEST = text(  # rows in the order given (ids ascending), as the executemany would
    "INSERT INTO answers (response_id, item_id, value) SELECT :response_id, item_id, value "
    "FROM unnest(CAST(:item_ids AS integer[]), CAST(:values AS text[])) "
    "WITH ORDINALITY AS a(item_id, value, n) ORDER BY n")
_KEY_TAKEN = select(Response.id).where(Response.key == bindparam("key"))


def _start(questionnaire, key, state, now, links) -> int | None:
    """Insert the response unless its key exists (then None): one statement for a new respondent."""
    connection = db.session.connection()
    statement = _START.get(connection.dialect.name)
    if statement is None:  # no ON CONFLICT here: look first, the unique key still guards the race
        if connection.execute(_KEY_TAKEN, {"key": key}).first() is not None:
            return None
        statement = insert(Response.__table__).returning(Response.id)
    row = dict(questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version, key=key,
               started_at=now, **state, **links)
    try:
        return connection.execute(statement, row).scalar()
    except IntegrityError:
        # another unique value (the invitation) is taken already; the caller rolls back and re-reads
        raise AlreadySubmitted from None


def _claim(questionnaire, key, state) -> int:
    """Take the existing, unsubmitted response with this key (and questionnaire); AlreadySubmitted if none.

    The claim returns the response's version too: one begun on an earlier version moves to the current one
    here (see `_move_to_current`); the common case, the same version, costs no further statement."""
    claimed = db.session.execute(
        update(Response)
        .where(Response.key == key, Response.questionnaire_id == questionnaire.id,
               Response.submitted_at.is_(None))
        .values(**state)
        .returning(Response.id, Response.questionnaire_version)
    ).first()
    if claimed is None:
        raise AlreadySubmitted
    if claimed.questionnaire_version < questionnaire.version:
        _move_to_current(questionnaire, claimed.id, claimed.questionnaire_version)
    return claimed.id


def _move_to_current(questionnaire: Questionnaire, response_id: int, version: int) -> None:
    """Move a response the questionnaire changed under to its current version, in the saving transaction.

    Its answers to items whose meaning changed since `version` were given on the old scale or options and are
    dropped; the final submit's check of required answers (respond.flow) then asks for them again."""
    changed = changed_since(questionnaire, version)
    if changed:
        db.session.execute(delete(Answer).where(Answer.response_id == response_id, Answer.item_id.in_(changed)))
    db.session.execute(update(Response).where(Response.id == response_id)
                       .values(questionnaire_version=questionnaire.version))
