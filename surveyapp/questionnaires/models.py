"""Questionnaires, items and options; every wording lives in per-language text rows.

A new language is new rows, never a new column, so it needs no migration.
"""
import enum
import secrets
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from surveyapp.db import one_of, utcnow
from surveyapp.extensions import db
from surveyapp.itemtypes import ItemType, item_type
from surveyapp.programmes.models import Programme


class Status(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


# The codes of the item-type registry (itemtypes.CODES; a test keeps both equal). The database refuses any
# other type: a new type needs a migration that replaces ck_items_type.
ITEM_TYPES = ("single", "multiple", "likert", "scale10", "yesno", "number", "text", "longtext", "date",
              "display", "matrix", "ranking", "rank")


def new_structure_stamp() -> str:
    return secrets.token_hex(8)


def _enum(kind):
    """A VARCHAR with a CHECK constraint ck_<table>_<enum name> allowing only the enum's values."""
    return Enum(kind, native_enum=False, length=20, create_constraint=True, name=kind.__name__.lower(),
                values_callable=lambda e: [m.value for m in e])


class Questionnaire(db.Model):
    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    default_lang: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.DRAFT)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A new random stamp on every change to the questionnaire, its items, options or texts (see
    # _restamp_changed_questionnaires): respondent pages cache the structure per process by (id, stamp).
    structure_stamp: Mapped[str] = mapped_column(String(32), default=new_structure_stamp, server_default="0")
    # Optimistic locking of builder saves: carried in the builder's forms, compared and incremented in one
    # UPDATE (service.claim_edit), so of two staff saving the same version the second gets a 409.
    edit_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # What stored answers mean: counted up when a change alters an item's meaning once responses exist
    # (questionnaires.versions); the version it replaces is kept in QuestionnaireVersion.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Scheduled fielding: respondents are turned away before `opens_at` and after `closes_at` (None: no bound).
    opens_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Archived questionnaires leave the builder's list; their responses stay in reports and exports.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    programme: Mapped[Programme] = relationship()
    items: Mapped[list["Item"]] = relationship(
        back_populates="questionnaire", order_by="Item.position", cascade="all, delete-orphan"
    )
    texts: Mapped[list["QuestionnaireText"]] = relationship(cascade="all, delete-orphan")
    pages: Mapped[list["Page"]] = relationship(
        back_populates="questionnaire", order_by="Page.number", cascade="all, delete-orphan"
    )

    def text(self, key: str, lang: str) -> str:
        return pick_text(self.texts, key, lang, self.default_lang)

    @property
    def page_numbers(self) -> list[int]:
        """Every page that holds an item or has a Page row (an empty page added in the builder)."""
        return sorted({item.page for item in self.items} | {page.number for page in self.pages}) or [1]

    def page(self, number: int) -> "Page | None":
        """The settings row of page `number` (its display condition and skip rules); None: defaults."""
        return next((page for page in self.pages if page.number == number), None)

    def items_on(self, page: int) -> list["Item"]:
        return [item for item in self.items if item.page == page]


class Page(db.Model):
    """A page's own settings: when it is shown and where to go after it. Items keep their page number;
    a page without a row has none of these (shown always, followed by the next page).

    Page titles stay per language in QuestionnaireText ("page.<number>"); renumbering pages renumbers
    items, rows, titles and skip targets together (questionnaires.service).
    """

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("questionnaire_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    # A display condition in the logic language (surveyapp.logic) on earlier items; None: always shown.
    condition: Mapped[str | None] = mapped_column(Text)
    # After this page: [{"when": <expression>, "to": <page number> | "end"}], the first that holds applies.
    skips: Mapped[list] = mapped_column(JSON, default=list)

    questionnaire: Mapped["Questionnaire"] = relationship(back_populates="pages")


class QuestionnaireVersion(db.Model):
    """An earlier version of a questionnaire as its respondents saw it (questionnaires.versions.snapshot).

    Answers given on it keep their meaning: exports and reports read its scales and options from here.
    """

    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    snapshot: Mapped[dict] = mapped_column(JSON)


class QuestionnaireText(db.Model):
    """Title, intro, thank-you and page titles ("page.2") of a questionnaire, one row per language."""

    __tablename__ = "questionnaire_texts"
    __table_args__ = (UniqueConstraint("questionnaire_id", "key", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)


class Item(db.Model):
    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("questionnaire_id", "code"), one_of("type", ITEM_TYPES))

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(32))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    page: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    # Where the item sits on the programme's outcome pathway (programmes.pathways); None: not tagged.
    stage: Mapped[str | None] = mapped_column(String(32))
    # The composite item this one is a part of: a matrix row, a ranked option, an "other" text. Parts sit on
    # their parent's page right after it and are answered, exported and reported as items of their own.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    # A display condition in the logic language (surveyapp.logic) on earlier items; None: always shown.
    condition: Mapped[str | None] = mapped_column(Text)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="items")
    parent: Mapped["Item | None"] = relationship(remote_side="Item.id", back_populates="parts")
    parts: Mapped[list["Item"]] = relationship(back_populates="parent", order_by="Item.position",
                                               cascade="all, delete-orphan")
    options: Mapped[list["Option"]] = relationship(
        back_populates="item", order_by="Option.position", cascade="all, delete-orphan"
    )
    texts: Mapped[list["ItemText"]] = relationship(cascade="all, delete-orphan")

    def text(self, key: str, lang: str) -> str:
        return pick_text(self.texts, key, lang, self.questionnaire.default_lang)

    @property
    def kind(self) -> ItemType:
        return item_type(self.type)


class ItemText(db.Model):
    """Question wording ("label"), help text ("help") and scale end labels ("low", "high") per language."""

    __tablename__ = "item_texts"
    __table_args__ = (UniqueConstraint("item_id", "key", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)


class Option(db.Model):
    __tablename__ = "options"
    __table_args__ = (UniqueConstraint("item_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)

    item: Mapped[Item] = relationship(back_populates="options")
    texts: Mapped[list["OptionText"]] = relationship(cascade="all, delete-orphan")

    def label(self, lang: str) -> str:
        return pick_text(self.texts, "label", lang, self.item.questionnaire.default_lang) or self.code


class OptionText(db.Model):
    __tablename__ = "option_texts"
    __table_args__ = (UniqueConstraint("option_id", "key", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("options.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(20), default="label")
    lang: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)


def pick_text(texts, key: str, lang: str, default_lang: str) -> str:
    """The text in `lang`, else in the default language, else empty."""
    fallback = ""
    for row in texts:
        if row.key != key:
            continue
        if row.lang == lang:
            return row.text
        if row.lang == default_lang:
            fallback = row.text
    return fallback


def set_text(owner, text_model, key: str, lang: str, value: str | None) -> None:
    """Create, update or (for an empty value) remove one text row of `owner`."""
    value = (value or "").strip()
    for row in owner.texts:
        if row.key == key and row.lang == lang:
            if value:
                row.text = value
            else:
                owner.texts.remove(row)
            return
    if value:
        owner.texts.append(text_model(key=key, lang=lang, text=value))


@event.listens_for(Session, "before_flush")
def _restamp_changed_questionnaires(session, _context, _instances) -> None:
    """Give every questionnaire whose structure or wording changes in this flush a new structure_stamp."""
    changed = set()
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty, *session.deleted):
            questionnaire = _owner(session, obj)
            if questionnaire is not None and questionnaire not in session.deleted:
                changed.add(questionnaire)
    for questionnaire in changed:
        questionnaire.structure_stamp = new_structure_stamp()


def _owner(session, obj) -> "Questionnaire | None":
    """The questionnaire a structural row belongs to (None for anything else, or when not yet attached:
    a new row is appended to its parent's collection, which makes the parent itself dirty)."""
    if isinstance(obj, Questionnaire):
        return obj
    if isinstance(obj, Page):
        return obj.questionnaire
    if isinstance(obj, QuestionnaireText):
        return session.get(Questionnaire, obj.questionnaire_id) if obj.questionnaire_id else None
    if isinstance(obj, ItemText):
        obj = session.get(Item, obj.item_id) if obj.item_id else None
    elif isinstance(obj, OptionText):
        obj = session.get(Option, obj.option_id) if obj.option_id else None
    if isinstance(obj, Option):
        obj = obj.item
    if isinstance(obj, Item):
        return obj.questionnaire
    return None
