"""Parts of composite items: a matrix's rows, a ranking's ranked options.

A part is a real item (Item.parent) on its composite's page right after it, coded `<composite>_<part>`, so
answers, exports, reports, indicators and display conditions treat it as the item it is. Its type, scale and
options come from its composite (`ItemType.part_shape`) and are copied to it on every change of the composite
(`follow`), inside the change's `keeping_meaning`, so a changed scale makes a new version as for any item.

A matrix's rows are listed by the manager, one per line (`set_rows`), in the language being edited: "code =
text", or only the text (a code is then suggested from it). Rows keep their codes when reworded or reordered;
removing one, like deleting an item, is refused once the questionnaire has responses (its answers would lose
their item). A ranking's parts follow its options (`ItemType.derived_parts`).

Flushes, never commits: the caller owns the transaction.
"""
import re

from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.itemtypes import ItemType, PartShape
from surveyapp.itemtypes.extras import OTHER, OTHER_PART, offers_other, other_code, other_label
from surveyapp.questionnaires.codes import suggest_code
from surveyapp.questionnaires.models import Item, ItemText, Option, OptionText, set_text
from surveyapp.questionnaires.versions import has_responses
from surveyapp.textclean import clean_text

ROW_LINE = re.compile(r"^\s*([a-z0-9][a-z0-9_]{0,29})\s*=\s*(.*)$")
MAX_ROWS = 60
MAX_CODE = 64


class PartsLocked(DomainError):
    """Removing a part would orphan its answers."""

    status_code = 409


def split(kind: ItemType, settings: dict) -> tuple[dict, dict]:
    """(the settings to store, the fields that list its parts): a matrix's rows are parts, not a setting."""
    stored = {key: value for key, value in settings.items() if key not in kind.part_keys}
    return stored, {key: settings[key] for key in kind.part_keys if key in settings}


def sync(item: Item, data: dict, lang: str | None = None) -> None:
    """After `item` was saved: its listed parts (`data["rows"]`, in `lang`), then each part's shape."""
    follow_other(item)
    if not item.kind.composite:
        return
    if data.get("rows") is not None:
        set_rows(item, parse_rows(data["rows"]), lang or item.questionnaire.default_lang)
    follow(item)


def follow_other(item: Item) -> None:
    """Give a choice offering "other, please specify" its text part (itemtypes.extras), shown only while
    "other" is chosen and labelled with the choice's wording; take it away when the choice goes (refused once
    the questionnaire has responses, as removing a row is)."""
    if item.kind.composite or OTHER_PART not in item.kind.settings_parts:
        return
    part = item.parts[0] if item.parts else None
    if not offers_other(item):
        if part is not None:
            _keep_only(item, [])
        return
    if part is None:
        code = other_code(item)
        _check_code(item, code)
        part = Item(code=code, type="text", page=item.page, position=item.position, settings={})
        item.questionnaire.items.append(part)
        item.parts.append(part)
    part.page, part.required = item.page, False
    part.condition = f"selected({item.code}, '{OTHER}')"
    for lang in item.questionnaire.languages:
        set_text(part, ItemText, "label", lang, other_label(item, lang))
    arrange(item.questionnaire)


def parse_rows(text: str) -> list[tuple[str | None, str]]:
    """"library = Library\\nBuses" -> [("library", "Library"), (None, "Buses")]; blank lines dropped."""
    rows = []
    for line in (text or "").splitlines():
        line = clean_text(line)
        if not line:
            continue
        found = ROW_LINE.match(line)
        rows.append((found.group(1), found.group(2).strip()) if found else (None, line))
    if len(rows) > MAX_ROWS:
        raise DomainError(_l("A matrix has at most %(num)s rows.", num=MAX_ROWS))
    return rows


def rows_text(item: Item, lang: str) -> str:
    """The rows as the builder's text area shows them: "code = text", one per line, the text in exactly `lang`
    (a row not yet worded in it shows "code = ", so the default language's text is not saved as its own)."""
    return "\n".join(f"{suffix(part)} = {_own_label(part, lang)}" for part in item.parts)


def _own_label(part: Item, lang: str) -> str:
    return next((row.text for row in part.texts if row.key == "label" and row.lang == lang), "")


def form_data(item: Item, lang: str) -> dict:
    """The builder form's fields that list `item`'s parts, filled in `lang`."""
    return {"rows": rows_text(item, lang)} if "rows" in item.kind.part_keys else {}


def suffix(part: Item) -> str:
    """The part's own code: `library` of `services_library`."""
    return part.code[len(part.parent.code) + 1:]


def set_rows(item: Item, rows: list[tuple[str | None, str]], lang: str) -> None:
    """Make `item`'s parts the `rows` [(code or None, text in `lang`)], in this order."""
    if not rows:
        raise DomainError(_l("Please list at least one row, one per line."))
    existing = {suffix(part): part for part in item.parts}
    by_text = {part.text("label", lang): code for code, part in existing.items()}
    wanted: list[tuple[str, str]] = []
    for code, text in rows:
        used = {chosen for chosen, _text in wanted}
        if not text and not (code in existing and lang != item.questionnaire.default_lang):
            raise DomainError(_l("Each row needs a text: %(code)s.", code=code or ""))
        if code is None:  # an unchanged text keeps its row; a new one gets a code of its own
            known = by_text.get(text)
            code = known if known and known not in used else suggest_code(text, {*existing, *used}, fallback="row")
        if code in used:
            raise DomainError(_l("Two rows have the code %(code)s.", code=code))
        wanted.append((code, text))
    _keep_only(item, [code for code, _text in wanted])
    for code, text in wanted:
        part = existing.get(code) or _new_part(item, code)
        if text:  # an existing row not yet worded in another language stays so
            set_text(part, ItemText, "label", lang, text)
    _order(item, [code for code, _text in wanted])


def follow(item: Item) -> None:
    """Copy the composite's shape to each of its parts (creating and removing derived parts first); a choice's
    "other" text follows its choice."""
    kind = item.kind
    if not kind.composite:
        follow_other(item)
        return
    derived = kind.derived_parts(item)
    if derived is not None:
        _derive(item, derived)
    shape = kind.part_shape(item)
    for part in item.parts:
        _shape(part, shape, item)
    arrange(item.questionnaire)
    db.session.flush()


def rename(item: Item, code: str) -> list[tuple[str, str]]:
    """Give `item`'s parts codes under its new code; the (old, new) code of each part."""
    renamed = []
    for part in item.parts:
        new = f"{code}_{suffix(part)}"
        _check_code(item, new, part)
        renamed.append((part.code, new))
    for part, (_old, new) in zip(item.parts, renamed, strict=True):
        part.code = new
    return renamed


def detach(item: Item) -> None:
    """Take `item`'s parts out of the questionnaire with it (deleting the item deletes them)."""
    for part in list(item.parts):
        if part in item.questionnaire.items:
            item.questionnaire.items.remove(part)


def arrange(questionnaire) -> None:
    """Positions in page order, each composite's parts right after it (in their own order): an item added to or
    moved onto an earlier page goes after that page's items, not after every item of the questionnaire."""
    top = [item for item in sorted(questionnaire.items, key=lambda item: (item.page, item.position))
           if item.parent is None]
    ordered = [member for item in top for member in (item, *item.parts)]
    for position, member in enumerate(ordered, start=1):
        if member.position != position:
            member.position = position
    questionnaire.items.sort(key=lambda member: member.position)


def _derive(item: Item, derived: list[tuple[str, dict[str, str]]]) -> None:
    existing = {suffix(part): part for part in item.parts}
    _keep_only(item, [code for code, _labels in derived])
    for code, labels in derived:
        part = existing.get(code) or _new_part(item, code)
        for lang, label in labels.items():
            set_text(part, ItemText, "label", lang, label)
    _order(item, [code for code, _labels in derived])


def _keep_only(item: Item, codes: list[str]) -> None:
    """Remove the parts not in `codes`: refused once the questionnaire has responses."""
    gone = [part for part in item.parts if suffix(part) not in codes]
    if gone and has_responses(item.questionnaire):
        raise PartsLocked(_l("This questionnaire has responses: %(codes)s can no longer be removed, as answers "
                             "were given to them. Reword them instead.",
                             codes=", ".join(part.code for part in gone)))
    for part in gone:
        item.parts.remove(part)
        item.questionnaire.items.remove(part)


def _new_part(item: Item, code: str) -> Item:
    full = f"{item.code}_{code}"
    _check_code(item, full)
    part = Item(code=full, type=item.kind.part_shape(item).type, page=item.page, position=item.position,
                settings={})
    item.questionnaire.items.append(part)
    item.parts.append(part)
    return part


def _check_code(item: Item, code: str, part: Item | None = None) -> None:
    if len(code) > MAX_CODE:
        raise DomainError(_l("The code %(code)s is too long: please shorten the item's or the row's code.",
                             code=code))
    if any(other.code == code for other in item.questionnaire.items if other is not part):
        raise DomainError(_l("An item with the code %(code)s already exists.", code=code))


def _order(item: Item, codes: list[str]) -> None:
    item.parts.sort(key=lambda part: codes.index(suffix(part)))


def _shape(part: Item, shape: PartShape, parent: Item) -> None:
    """Make `part` ask what its composite asks: type, settings, scale texts, options, page, required."""
    part.type, part.page, part.required = shape.type, parent.page, shape.required
    if part.settings != shape.settings:
        part.settings = dict(shape.settings)
    for row in [row for row in part.texts if row.key not in ("label", "help") and row.key not in shape.texts]:
        part.texts.remove(row)
    for key, texts in shape.texts.items():
        for lang, text in texts.items():
            set_text(part, ItemText, key, lang, text)
    _copy_options(part, shape.options)


def _copy_options(part: Item, options: list[tuple[str, dict[str, str]]]) -> None:
    codes = [code for code, _labels in options]
    for option in [option for option in part.options if option.code not in codes]:
        part.options.remove(option)
    existing = {option.code: option for option in part.options}
    for position, (code, labels) in enumerate(options, start=1):
        option = existing.get(code)
        if option is None:
            option = Option(code=code, position=position)
            part.options.append(option)
        option.position = position
        for row in [row for row in option.texts if row.lang not in labels]:
            option.texts.remove(row)
        for lang, label in labels.items():
            set_text(option, OptionText, "label", lang, label)
    part.options.sort(key=lambda option: option.position)
