"""Domain operations on questionnaires. They flush, never commit: the caller owns the transaction."""
import re
from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.itemtypes import REGISTRY, ItemType
from surveyapp.programmes.pathways import stage as pathway_stage
from surveyapp.questionnaires import parts
from surveyapp.questionnaires.conditions import (
    check_deletable,
    check_item_condition,
    check_option_deletable,
    check_pipes,
    check_readers,
    follow_option_rename,
    follow_rename,
)
from surveyapp.questionnaires.lifecycle import ensure_not_archived
from surveyapp.questionnaires.models import (
    Item,
    ItemText,
    Option,
    OptionText,
    Questionnaire,
    QuestionnaireText,
    Status,
    set_text,
)
from surveyapp.questionnaires.opening import check_openable
from surveyapp.questionnaires.versions import has_responses, keeping_meaning
from surveyapp.responses.models import Response

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$")
VERSION_PATTERN = re.compile(r"[0-9]{1,10}")  # ASCII digits only (int() would also take "１" or "1_0")


class LockedError(DomainError):
    """Codes are frozen once answers exist, so stored answers keep their meaning."""

    status_code = 409


class EditConflict(DomainError):
    """Someone else saved the questionnaire after this form was shown: saving would overwrite their change."""

    status_code = 409


EDIT_CONFLICT = _l("Someone else saved this questionnaire while you were editing it, so your changes were not "
                   "saved. Reload the page to see the current version, then make your changes again.")


def claim_edit(questionnaire: Questionnaire, seen: str | int | None) -> None:
    """Take the next edit version if the form was shown with the current one (one UPDATE, no read first).

    `seen` None (a client that sends no version) skips the comparison but still counts the save. On
    PostgreSQL the UPDATE holds the row until commit, so a concurrent save waits and then finds no match.
    Every builder save passes here, so an archived questionnaire refuses them all (lifecycle.Archived, 409).
    """
    ensure_not_archived(questionnaire)
    match = Questionnaire.id == questionnaire.id
    if seen is not None:
        seen = str(seen)
        if not VERSION_PATTERN.fullmatch(seen) or not 0 < int(seen) < 2**31:  # beyond PostgreSQL's integer
            raise EditConflict(EDIT_CONFLICT)
        match &= Questionnaire.edit_version == int(seen)
    claimed = db.session.execute(
        update(Questionnaire).where(match).values(edit_version=Questionnaire.edit_version + 1)
        .returning(Questionnaire.edit_version).execution_options(synchronize_session=False)
    ).scalar()
    if claimed is None:
        raise EditConflict(EDIT_CONFLICT)
    set_committed_value(questionnaire, "edit_version", claimed)


def create_questionnaire(programme_id: int, slug: str, default_lang: str, languages: list[str],
                         title: str) -> Questionnaire:
    _check_slug(slug)
    if not (title or "").strip():
        raise DomainError(_l("Please give the questionnaire a title."))
    languages = _check_languages(default_lang, languages)
    questionnaire = Questionnaire(programme_id=programme_id, slug=slug, default_lang=default_lang,
                                  languages=languages, status=Status.DRAFT)
    set_text(questionnaire, QuestionnaireText, "title", default_lang, title)
    db.session.add(questionnaire)
    try:
        db.session.flush()
    except IntegrityError:  # the same link name created meanwhile (a double click); the caller rolls back
        raise DomainError(_l("This link name is already taken.")) from None
    return questionnaire


def update_settings(questionnaire: Questionnaire, slug: str, default_lang: str, languages: list[str]) -> None:
    """Change the link name and languages; texts in a dropped language stay stored, unused."""
    if slug != questionnaire.slug:
        _check_slug(slug)
        questionnaire.slug = slug
    questionnaire.languages = _check_languages(default_lang, languages)
    questionnaire.default_lang = default_lang
    db.session.flush()


def _check_slug(slug: str) -> None:
    if not SLUG_PATTERN.match(slug or ""):
        raise DomainError(_l("The link name may use lower-case letters, digits and hyphens only."))
    if db.session.scalar(select(exists().where(Questionnaire.slug == slug))):
        raise DomainError(_l("This link name is already taken."))


def _check_languages(default_lang: str, languages: list[str]) -> list[str]:
    from surveyapp.i18n import is_known_language

    languages = list(dict.fromkeys([default_lang, *languages]))
    unknown = [lang for lang in languages if not LANG_PATTERN.match(lang) or not is_known_language(lang)]
    if unknown:
        raise DomainError(_l("Unknown language code: %(codes)s.", codes=", ".join(unknown)))
    return languages


def check_settings(kind: ItemType, settings: dict) -> dict:
    """Drop empty settings; the type rejects contradictory ones (a minimum above the maximum, 6 Likert points)."""
    return kind.check_settings(settings)


def set_questionnaire_texts(questionnaire: Questionnaire, lang: str, texts: dict[str, str | None]) -> None:
    for key, value in texts.items():
        check_pipes(questionnaire, key, lang, value)
        set_text(questionnaire, QuestionnaireText, key, lang, value)
    db.session.flush()


def add_item(questionnaire: Questionnaire, code: str, type_code: str, *, required: bool = False,
             page: int = 1, settings: dict | None = None, texts: dict[str, dict[str, str]] | None = None,
             options: list[tuple[str, dict[str, str]]] | None = None) -> Item:
    """Append an item.

    `texts` maps language -> {"label": ..., "help": ...}; options are (code, {lang: label}).
    """
    _check_code(code)
    if type_code not in REGISTRY:
        raise DomainError(_l("Unknown item type."))
    if any(item.code == code for item in questionnaire.items):
        raise DomainError(_l("An item with this code already exists."))
    position = max((item.position for item in questionnaire.items), default=0) + 1
    settings, listed = parts.split(REGISTRY[type_code], settings or {})
    item = Item(code=code, type=type_code, required=required, page=max(1, page), position=position,
                settings=check_settings(REGISTRY[type_code], settings))
    questionnaire.items.append(item)
    for lang, values in (texts or {}).items():
        set_item_texts(item, lang, values)
    for option_code, labels in options or []:
        _check_option_code(item, option_code)
        _append_option(item, option_code, labels)
    item.kind.check_item(item)
    parts.sync(item, listed)
    parts.arrange(questionnaire)
    db.session.flush()
    return item


def set_item_texts(item: Item, lang: str, texts: dict[str, str | None]) -> None:
    for key, value in texts.items():
        check_pipes(item, key, lang, value)
        set_text(item, ItemText, key, lang, value)
    parts.follow(item)  # a matrix's scale labels are its rows'


def update_item(item: Item, *, code: str, required: bool, page: int, settings: dict,
                lang: str | None = None) -> None:
    """`lang`: the language of the rows a matrix lists in `settings` (default: the questionnaire's)."""
    if code != item.code:
        _ensure_unlocked(item.questionnaire)
        _check_code(code)
        if any(other.code == code for other in item.questionnaire.items if other is not item):
            raise DomainError(_l("An item with this code already exists."))
        renamed = parts.rename(item, code)
        for old, new in [(item.code, code), *renamed]:
            follow_rename(item.questionnaire, old, new)
        item.code = code
    settings, listed = parts.split(item.kind, settings)
    # Merge, so settings kept by other features (not on the item form) survive; None clears a setting.
    item.required, item.page = required, max(1, page)
    with keeping_meaning(item.questionnaire, "item settings"):
        item.settings = check_settings(item.kind, {**item.settings, **settings})
        item.kind.check_item(item)
        parts.sync(item, listed, lang)
        parts.arrange(item.questionnaire)
        db.session.flush()
    check_readers(item)  # it may have moved to another page


def set_item_condition(item: Item, text: str | None) -> None:
    """Show `item` only when `text` (the logic language, on earlier answers) holds; blank: always shown."""
    with about_field("condition"):
        item.condition = check_item_condition(item, text) if (text or "").strip() else None
    db.session.flush()


@contextmanager
def about_field(field: str | int):
    """Name the input a DomainError raised inside is about (`error.field`), so the form can put the message
    under that field as well as in its summary."""
    try:
        yield
    except DomainError as error:
        error.field = field
        raise


def set_item_stage(item: Item, code: str | None) -> None:
    """Tag the item with a stage of its programme's outcome pathway ("" or None: untagged).

    No new version: a stage says where an item sits in the programme's logic, not what its answers mean.
    """
    code = code or None
    if code is not None and pathway_stage(item.questionnaire.programme.pathway, code) is None:
        raise DomainError(_l("This stage is not on the programme's outcome pathway: %(code)s.", code=code))
    item.stage = code
    db.session.flush()


def delete_item(item: Item) -> None:
    _ensure_unlocked(item.questionnaire)
    check_deletable(item)
    parts.detach(item)
    item.questionnaire.items.remove(item)
    db.session.flush()


def move_item(item: Item, step: int) -> None:
    """Swap with the neighbour above (step -1) or below (+1); order is cosmetic, so allowed when locked.

    Parts are not neighbours: a composite moves with its parts, a part stays with its composite. Refused
    (nothing is rolled back here: the caller does) when a condition, skip rule or pipe would then read an item
    the respondent meets only later. Only within the item's page: past its edge the list would change but not
    what respondents see, so that is refused too (the item's page field moves it to another page)."""
    if item.parent is None:
        neighbours = [other for other in item.questionnaire.items if other.parent is None and other.page == item.page]
        if not 0 <= neighbours.index(item) + step < len(neighbours):
            raise DomainError(_l("Already the first item on its page — move it to another page on its item page.")
                              if step < 0 else
                              _l("Already the last item on its page — move it to another page on its item page."))
        _swap(neighbours, item, step)
        parts.arrange(item.questionnaire)
        try:
            for member in (item, *item.parts):  # its own condition may now read the neighbour it passed
                check_item_condition(member, member.condition)
            check_readers(item)  # and what reads it may now come before it
        except DomainError as error:
            raise DomainError(_l("“%(code)s” was not moved: %(reason)s", code=item.code,
                                 reason=error.message)) from error


def add_option(item: Item, code: str, labels: dict[str, str]) -> Option:
    """Once answered, a new version: the answers given before were given without it."""
    _check_option_code(item, code)
    with keeping_meaning(item.questionnaire, "option added"):
        option = _append_option(item, code, labels)
        parts.follow(item)
        db.session.flush()
    return option


def new_option(item: Item, code: str, labels: dict[str, str]) -> Option:
    """Append an option, making no version: for a caller that makes several changes in one keeping_meaning."""
    _check_option_code(item, code)
    return _append_option(item, code, labels)


def _check_option_code(item: Item, code: str) -> None:
    _check_code(code, allow_digits_first=True)
    if any(option.code == code for option in item.options):
        raise DomainError(_l("An option with this code already exists."))


def _append_option(item: Item, code: str, labels: dict[str, str]) -> Option:
    option = Option(code=code, position=len(item.options) + 1)
    item.options.append(option)
    for lang, label in labels.items():
        check_pipes(option, "label", lang, label)
        set_text(option, OptionText, "label", lang, label)
    return option


def update_option(option: Option, code: str, labels: dict[str, str]) -> None:
    if code != option.code:
        if has_responses(option.item.questionnaire):
            raise LockedError(_l("This questionnaire has responses: option codes can no longer change, as they "
                                 "line up the answers of every version. Add an option instead."))
        _check_code(code, allow_digits_first=True)
        if any(other.code == code for other in option.item.options if other is not option):
            raise DomainError(_l("An option with this code already exists."))
        follow_option_rename(option.item, option.code, code)
        option.code = code
    for lang, label in labels.items():
        check_pipes(option, "label", lang, label)
        set_text(option, OptionText, "label", lang, label)
    parts.follow(option.item)
    db.session.flush()


def delete_option(option: Option) -> None:
    """Once answered, a new version: stored answers with its code stay (answers hold codes, not options) and
    keep its label from the version's snapshot."""
    check_option_deletable(option)
    with keeping_meaning(option.item.questionnaire, "option deleted"):
        item = option.item
        item.options.remove(option)
        parts.follow(item)
        db.session.flush()


def move_option(option: Option, step: int) -> None:
    _swap(option.item.options, option, step)
    parts.follow(option.item)


def set_status(questionnaire: Questionnaire, status: Status) -> None:
    if status is Status.OPEN and not questionnaire.items:
        raise DomainError(_l("Add at least one item before opening the questionnaire."))
    if status is Status.OPEN:
        check_openable(questionnaire)
        from surveyapp.questionnaires.slots import check_complete

        check_complete(questionnaire)
    questionnaire.status = status
    db.session.flush()


def response_count(questionnaire: Questionnaire) -> int:
    return db.session.scalar(
        select(func.count()).where(Response.questionnaire_id == questionnaire.id,
                                   Response.submitted_at.is_not(None))
    )


def _swap(rows: list, row, step: int) -> None:
    index = rows.index(row)
    other = index + step
    if 0 <= other < len(rows):
        row.position, rows[other].position = rows[other].position, row.position
        if row.position == rows[other].position:
            row.position += step
        rows.sort(key=lambda r: r.position)
        db.session.flush()


def _ensure_unlocked(questionnaire: Questionnaire) -> None:
    if has_responses(questionnaire):
        raise LockedError(_l("This questionnaire has responses: codes can no longer change and items can no "
                             "longer be deleted. Wording can still be corrected."))


def _check_code(code: str, allow_digits_first: bool = False) -> None:
    pattern = r"^[a-z0-9][a-z0-9_]{0,63}$" if allow_digits_first else CODE_PATTERN.pattern
    if not re.match(pattern, code or ""):
        raise DomainError(_l("Codes use lower-case letters, digits and underscores, starting with a letter."))
