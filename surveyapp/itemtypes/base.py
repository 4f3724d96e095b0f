"""The base of every item type, and the registry the types put themselves in.

A type owns everything that depends on it: its form field and validation, how its values are stored and read
back, its respondent widget (the macro template `templates/items/<widget>.html`), its settings form and their
checks, the hint shown before anyone errs, what a report shows of it (the name of a statistic: reports compute
it), its export columns, its value labels in the export language and its SPSS measurement level. Nothing
outside this package tests a type's code.

Every answer passes `CleanValue` first (no control characters, surrogates or noncharacters, in any type), so
that nothing a respondent sends can be stored that breaks a report or an export. Every entry point (/s/, /i/,
the builder's preview) builds its page forms from here, so all of them check the same way.

This package sits low: it imports no feature package (questionnaires' `Item.kind` imports it).
"""
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, StopValidation

from surveyapp.i18n import in_language
from surveyapp.textclean import forbidden_character

REGISTRY: dict[str, "ItemType"] = {}


def register(cls):
    REGISTRY[cls.code] = cls()
    return cls


def item_type(code: str) -> "ItemType":
    return REGISTRY[code]


def type_choices() -> list[tuple[str, str]]:
    return [(code, kind.label) for code, kind in REGISTRY.items()]


class Statistic(StrEnum):
    """What a report shows of an item; reports hold one computation per name."""

    DISTRIBUTION = "distribution"  # counts and shares per option
    AGREEMENT = "agreement share"  # share of the top boxes (a headline figure)
    YES_SHARE = "yes share"  # share of "yes" (a headline figure)
    MEAN_MEDIAN = "mean/median"  # mean, median, spread
    GRID = "grid"  # a composite's rows side by side: one stacked bar per row (each row has its own section)
    RANKING = "ranking"  # per ranked option: mean rank, share ranked first, n


SHARES = (Statistic.AGREEMENT, Statistic.YES_SHARE)  # statistics that are a share of chosen codes

# A coded "don't know / prefer not to say" (types with `declinable`, setting "dont_know") is stored as this
# reserved code; reports count it apart and leave it out of shares and means, exports carry it as the number
# DONT_KNOW_EXPORTED (SPSS: a user-missing value), which no scale or option code can be.
DONT_KNOW = "dk"
DONT_KNOW_EXPORTED = -9
# wording fields used only with a setting: item text key -> that setting
WORDING_OF = {"dk": "dont_know", "other_label": "other", "invalid": "pattern"}


class Measure(StrEnum):
    """SPSS measurement levels (pyreadstat's `variable_measure`)."""

    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    SCALE = "scale"


class CleanValue:
    """Refuse a value holding a character no export can carry (see surveyapp.textclean), whatever the type."""

    message = _l("This answer contains a character that is not allowed (a control character). Please remove it.")

    def __call__(self, form, field):
        if any(isinstance(value, str) and forbidden_character(value) for value in field.raw_data or ()):
            field.errors.clear()  # "not a valid choice/date" would only confuse: this is the one problem
            raise StopValidation(self.message)


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class Column:
    """One export column of an item; `option` is set for the indicator column of one option."""

    name: str
    option: str | None = None


@dataclass(frozen=True, eq=False)
class SettingsPart:
    """One fieldset of the builder's item page: settings fields, and wording fields (per language) among them.

    Several types may share a part (the end labels of every scale). The builder's item form shows the parts of
    the item's own type only (a new item's type is chosen first); field names stay unique over all parts anyway.
    """

    legend: str
    fields: dict  # form field name -> unbound WTForms field; a settings key or a wording key
    text_keys: tuple[str, ...] = ()  # which fields are wording, per language (stored as item texts)


@dataclass(frozen=True)
class PartShape:
    """What every part of a composite item takes from it (questionnaires.parts copies it on each change): its
    type, settings, shared wording {key: {lang: text}} (a scale's end labels) and options [(code, {lang: label})]."""

    type: str
    settings: dict
    texts: dict
    options: list
    required: bool = False


class OptionCodeField(SelectField):
    """A setting naming one of the item's options ("none of these"): the builder's form fills in the item's
    options as its choices (ItemForm.offer_options); the type's `check_item` refuses a code it lacks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=[SelectChoice("", "–")], validate_choice=False, **kwargs)


class ItemType:
    """Base: a free value stored as one string."""

    code = ""
    label = _l("Item")
    description = ""  # one line in the builder's list of types: what it asks, how it is answered
    widget = "input"  # its macro template: templates/items/<widget>.html
    first_input = ""  # the id suffix of its first input, for the error summary's link ("-0": first option)
    has_options = False  # options are edited by the manager
    answered = True  # takes an answer; False: shown only (a text block, a matrix's or ranking's heading)
    composite = False  # its answers are those of its parts (Item.parts: matrix rows, ranked options)
    part_only = False  # only ever a part of a composite (a ranking's ranks): the builder does not offer it
    numeric = False  # exported as a number
    multi = False  # several stored values, one export column per option
    coded = False  # stores option codes that have labels
    statistics: tuple[Statistic, ...] = ()  # what a report shows; none: answers are counted (and listed)
    chart = "none"  # the report's chart of its distribution: "bar", "stacked" or "none"
    measure = Measure.NOMINAL
    settings_parts: tuple[SettingsPart, ...] = ()  # its fieldsets on the builder's item page
    defaults: dict = {}  # what an absent setting means
    cosmetic_settings: tuple[str, ...] = ()  # settings that change how it is asked, not what an answer means
    part_keys: tuple[str, ...] = ()  # settings fields that list its parts (a matrix's rows): never stored
    reported_alone = True  # False: its figures show in its composite's section only (the ranks of a ranking)

    # --- the builder: settings ---
    @property
    def settings_fields(self) -> dict:
        return {name: field for part in self.settings_parts for name, field in part.fields.items()}

    @property
    def text_keys(self) -> tuple[str, ...]:
        return tuple(key for part in self.settings_parts for key in part.text_keys)

    def wording_keys(self, item) -> tuple[str, ...]:
        """The wording fields `item` uses (translation pages offer them): its type's, less those of a setting
        it does not have (the "don't know" wording without "don't know")."""
        return tuple(key for key in self.text_keys if key not in WORDING_OF or item.settings.get(WORDING_OF[key]))

    @property
    def settings_keys(self) -> tuple[str, ...]:
        return tuple(name for name in self.settings_fields if name not in self.text_keys)

    def check_settings(self, settings: dict) -> dict:
        """Drop empty settings (an unticked box too: it means what no setting means); raise DomainError for
        contradictory ones. Keys of other features stay."""
        return {key: value for key, value in settings.items() if value is not None and value is not False}

    def check_item(self, item) -> None:
        """Check the settings against the item itself (an option code a setting names); DomainError if wrong."""

    def settings_data(self, settings: dict) -> dict:
        """Stored settings -> the settings form's data."""
        return {key: settings[key] for key in self.settings_keys if key in settings}

    # --- the respondent's page ---
    def validators(self, item) -> list:
        presence = InputRequired(message=_l("Please answer this question.")) if item.required else Optional()
        return [CleanValue(), presence]

    def field(self, item, lang: str):
        return StringField(item.text("label", lang), validators=self.validators(item))

    def hint(self, item) -> str | None:
        """What the answer must be, shown before anyone errs (in the current interface language)."""
        return None

    def needs_options(self, item) -> bool:
        """Whether it cannot be answered without options (opening a questionnaire checks)."""
        return self.has_options

    # --- composites (Item.parts) ---
    def part_shape(self, item) -> PartShape | None:
        """What each of its parts takes from it; None: it has no parts."""
        return None

    def derived_parts(self, item) -> list[tuple[str, dict[str, str]]] | None:
        """Its parts when they follow from it (one per option of a ranking): [(code suffix, {lang: label})];
        None when the manager lists them (a matrix's rows)."""
        return None

    def check_group(self, item, values) -> list[tuple[str, str]]:
        """Check a composite's parts together (ranks given once each): [(item code, message)], empty if fine.

        `values` maps the code of each shown item of the page (its parts among them) to its values as they would
        be stored; a part alone cannot see these problems, so the page calls this after every field passed its
        own checks, and shows each message on the field of the item it names."""
        return []

    def choices(self, item, lang: str) -> list[Choice]:
        return [Choice(option.code, option.label(lang)) for option in item.options]

    # --- a coded "don't know" (see DONT_KNOW) ---
    declinable = False  # may offer it (the builder's "don't know" settings part)

    def dont_know(self, item) -> bool:
        """Whether `item` offers a coded "don't know / prefer not to say" as its last choice."""
        return self.declinable and bool(item.settings.get("dont_know"))

    def dont_know_label(self, item, lang: str) -> str:
        """Its wording in `lang`: the item's own (text "dk"), else the interface's default in `lang`."""
        with in_language(lang):
            return item.text("dk", lang) or _("Don't know / prefer not to say")

    def offered(self, item, lang: str) -> list[Choice]:
        """What a respondent chooses from: its choices, then the coded "don't know" when it offers one."""
        choices = self.choices(item, lang)
        if self.dont_know(item):
            choices = [*choices, Choice(DONT_KNOW, self.dont_know_label(item, lang))]
        return choices

    def option_codes(self, item) -> list[str]:
        return [choice.code for choice in self.choices(item, item.questionnaire.default_lang)]

    # --- storage ---
    def to_values(self, data) -> list[str]:
        """Form data -> stored strings (empty list when unanswered)."""
        if data is None or data == "":
            return []
        return [str(data)]

    def to_form(self, values: list[str]):
        """Stored strings -> form data, for resuming and language switches."""
        return values[0] if values else None

    # --- reports and exports ---
    def share_codes(self, item, top: int) -> list[str]:
        """The codes a share statistic counts (see SHARES)."""
        return []

    def columns(self, item, codes: list[str] | None = None) -> list[Column]:
        """Its export columns; `codes`: the option codes to give columns (every version's), else its own."""
        return [Column(item.code)] if self.answered else []

    def value_labels(self, item, lang: str) -> dict[str, str]:
        """Stored code -> its label in `lang` (an export's or report's language); empty when not coded."""
        if not self.coded:
            return {}
        with in_language(lang):
            return {choice.code: str(choice.label) for choice in self.choices(item, lang)}

    def decimals(self, item) -> bool:
        """Whether its numbers may have a fraction (exports keep whole numbers as integers otherwise)."""
        return False


class ChoiceType(ItemType):
    """One option chosen from a list of radio buttons."""

    widget = "choice"
    first_input = "-0"
    coded = True
    statistics = (Statistic.DISTRIBUTION,)
    chart = "bar"

    def field(self, item, lang):
        choices = [SelectChoice(c.code, c.label) for c in self.offered(item, lang)]
        return RadioField(item.text("label", lang), choices=choices, validators=self.validators(item))


SCALE_ENDS = SettingsPart(_l("Scale: labels of the two ends"), {
    "low": StringField(_l("Scale: label of the lowest point"), validators=[Optional(), Length(max=200)]),
    "high": StringField(_l("Scale: label of the highest point"), validators=[Optional(), Length(max=200)]),
}, text_keys=("low", "high"))


class ScaleType(ChoiceType):
    """Numbered points in one row, with optional labels of the two ends (per language)."""

    widget = "scale"
    numeric = True
    measure = Measure.ORDINAL
    ends = SCALE_ENDS.text_keys  # the wording keys of the two ends' labels
    settings_parts = (SCALE_ENDS,)

    def value_labels(self, item, lang):
        """The end points carry their wording: "1 – not at all", "5 – completely"."""
        labels = super().value_labels(item, lang)
        codes = list(labels)
        if not codes:
            return labels
        for key, code in zip(self.ends, (codes[0], codes[-1]), strict=True):
            end = item.text(key, lang)
            if end:
                labels[code] = f"{code} – {end}"
        return labels
