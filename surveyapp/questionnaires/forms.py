"""Builder forms. Per-language forms are made per request, since a questionnaire chooses its own languages."""
from functools import cache

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from surveyapp.forms import StaffForm
from surveyapp.i18n import FALLBACK_LANGUAGE, INTERFACE_LANGUAGES, is_known_language, language_name, ui_language_name
from surveyapp.itemtypes import REGISTRY, ItemType, OptionCodeField, SettingsPart, item_type
from surveyapp.programmes.pathways import PATHWAYS, stages
from surveyapp.questionnaires import parts
from surveyapp.questionnaires.models import Status

STATUS_LABELS = {Status.DRAFT: _l("Draft"), Status.OPEN: _l("Open"), Status.CLOSED: _l("Closed")}
LOCKED_CODE = _l("Locked: the questionnaire has responses, so this code can no longer change.")
NO_STAGE = _l("Not on the pathway")
CODE_HELP = _l("Lower-case letters, digits and underscores, e.g. careful_driving. "
               "Used as the column name in exports.")
NEW_CODE_HELP = _l("Leave it empty to have one made from the question (you can change it later, until the "
                   "first response). Lower-case letters, digits and underscores; the column name in exports.")
CONDITION_HELP = _l("Leave empty to always show it. Otherwise a rule on earlier answers, using their codes, "
                    "e.g. driven = 'yes', or age >= 18 and not selected(transport, 'bus'), or "
                    "answered(remark).")
OPTION_LINES_HELP = _l("One option per line. To choose its code, write code = label, e.g. 1 = Never; "
                       "otherwise a code is made from the label.")
NEW_PAGE = "new"
MAX_PAGE = 100
# Offered besides the interface languages and any a questionnaire already has: languages public services in
# Austria and Germany are often asked for. Any other known code can still be added on the translations page.
CONTENT_LANGUAGES = ("bs", "hr", "sr", "hu", "pl", "ro", "cs", "sk", "sl", "sq", "bg", "ru", "fa", "ps", "ku",
                     "so", "ti", "es", "pt", "nl", "el", "zh")


def language_list(text: str | None) -> list[str]:
    """"de, en tr" -> ["de", "en", "tr"]."""
    return [part for part in (text or "").replace(",", " ").split() if part]


def language_label(code: str) -> str:
    """The language's own name, with its name in the interface language when that differs: 'Türkçe (Turkish)'."""
    own, ours = language_name(code), ui_language_name(code).capitalize()
    return own if own.casefold() == ours.casefold() else f"{own} ({ours})"


def language_choices(current=()) -> list[SelectChoice]:
    """Every language to choose from, by name in the interface language's order; stored as codes."""
    codes = [code for code in dict.fromkeys([*INTERFACE_LANGUAGES, *CONTENT_LANGUAGES, *current])
             if code and is_known_language(code)]
    return sorted((SelectChoice(code, language_label(code)) for code in codes),
                  key=lambda choice: ui_language_name(choice.value).casefold())


def _known_languages(_form, field) -> None:
    unknown = [lang for lang in field.data or () if not is_known_language(lang)]
    if unknown:
        raise ValidationError(_l("Unknown language code: %(codes)s.", codes=", ".join(unknown)))


def _language(_form, field) -> None:
    if field.data and not is_known_language(field.data):
        raise ValidationError(_l("Unknown language code: %(codes)s.", codes=field.data))


class LanguagesField(SelectMultipleField):
    """Languages as checkboxes by name, posted as codes; "de, en" in one value (the former text field, which
    scripts may still send) is read as two codes. Unknown codes reach `_known_languages`, which names them."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist):
        self.data = list(dict.fromkeys(language_list(" ".join(valuelist))))

    def pre_validate(self, form):
        """Any known language may be offered, not only those listed."""


class SettingsForm(StaffForm):
    slug = StringField(_l("Link name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("Lower-case letters, digits and hyphens; "
                                      "the public link is /s/ followed by it."))
    default_lang = SelectField(_l("Default language"), validate_choice=False,
                               validators=[DataRequired(), Length(max=20), _language],
                               description=_l("Respondents see it first; its texts are written first."))
    languages = LanguagesField(_l("Languages offered"), validators=[_known_languages],
                               description=_l("Respondents can switch between them. The default language is "
                                              "always offered."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = language_choices([*(self.languages.data or ()), self.default_lang.data])
        self.languages.choices = choices
        self.default_lang.choices = choices

    @property
    def offered(self) -> list[str]:
        return self.languages.data or []


class CreateForm(SettingsForm):
    programme_id = SelectField(_l("Programme"), coerce=int, validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)],
                        description=_l("In the default language; other languages on the next page."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():  # a first draft in the manager's own interface language
            own = str(get_locale() or FALLBACK_LANGUAGE)
            self.default_lang.data = self.default_lang.data or own
            self.languages.data = self.languages.data or [own]


def texts_form(page_numbers: list[int], formdata=None, data=None) -> StaffForm:
    """Title, intro, thank-you and one title per page, in one language."""

    class TextsForm(StaffForm):
        title = StringField(_l("Title"), validators=[Length(max=300)])
        intro = TextAreaField(_l("Introduction"), validators=[Length(max=5000)], render_kw={"rows": 4})
        thanks = TextAreaField(_l("Thank-you text"), validators=[Length(max=5000)], render_kw={"rows": 3})

    for number in page_numbers:
        setattr(TextsForm, f"page_{number}", StringField(_l("Title of page %(n)s", n=number),
                                                         validators=[Length(max=300)]))
    return _bind(TextsForm, formdata, data)


def _page_choice(_form, field) -> None:
    value = field.data or ""
    if value != NEW_PAGE and not (value.isascii() and value.isdigit() and 0 < int(value) <= MAX_PAGE):
        raise ValidationError(_l("Please choose a page from the list."))


class ItemForm(StaffForm):
    """An item's place and its wording in one language; `item_form` adds the settings of its type."""

    code = StringField(_l("Code"), validators=[Optional(), Length(max=64)], description=CODE_HELP)
    type = SelectField(_l("Type"), validators=[InputRequired()])
    required = BooleanField(_l("Answer required"))
    page = SelectField(_l("Page"), default="1", validate_choice=False, validators=[InputRequired(), _page_choice])
    label = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=2000)],
                          render_kw={"rows": 2})
    help = StringField(_l("Help text"), validators=[Optional(), Length(max=1000)])
    condition = StringField(_l("Show only if"), validators=[Optional(), Length(max=2000)],
                            description=CONDITION_HELP)
    # Unknown codes reach the service, which refuses them with its own message.
    stage = SelectField(_l("Stage on the outcome pathway"), validate_choice=False, validators=[Optional()],
                        description=_l("Where the item sits on the programme's outcome pathway; the report "
                                       "shows its figures under that stage. Changing it makes no new version."))

    TEXT_KEYS = ("label", "help")
    kind: ItemType | None = None  # the type whose settings the form shows
    settings_parts: tuple[SettingsPart, ...] = ()  # its settings fieldsets

    def __init__(self, *args, locked: bool = False, type_fixed: bool = False, pathway: str | None = None,
                 pages: list[tuple[int, str]] = (), new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = [SelectChoice(kind.code, str(kind.label)) for kind in offered_types()]
        self.stage.choices = [SelectChoice("", str(NO_STAGE))] + [
            SelectChoice(step.code, str(step.label)) for step in stages(pathway)]
        self.page.choices = page_choices(pages)
        if new:
            self.code.description = NEW_CODE_HELP
        if locked:
            self.code.render_kw = {"disabled": True}
            self.code.description = LOCKED_CODE
        if type_fixed:
            self.type.render_kw = {"disabled": True}
            self.type.validators = [Optional()]

    def offer_options(self, options: list[tuple[str, str]]) -> None:
        """Let the settings that name one of the item's options (OptionCodeField) choose among `options`
        [(code, label)]; "–" for none."""
        for field in self:
            if isinstance(field, OptionCodeField):
                field.choices = [SelectChoice("", "–"), *(SelectChoice(code, f"{label} ({code})")
                                                          for code, label in options)]

    def settings_for(self, kind: ItemType) -> dict:
        return {key: self[key].data for key in kind.settings_keys}

    def texts(self, kind: ItemType) -> dict[str, str]:
        return {key: self[key].data for key in (*self.TEXT_KEYS, *kind.text_keys)}

    def page_number(self, existing: list[int]) -> int:
        """The chosen page; "new" is the page after the last."""
        return max(existing, default=0) + 1 if self.page.data == NEW_PAGE else int(self.page.data)


def page_choices(pages: list[tuple[int, str]]) -> list[SelectChoice]:
    """The existing pages by number and title, then a new one after the last."""
    choices = [SelectChoice(str(number), _("Page %(number)s: %(title)s", number=number, title=title) if title
                            else _("Page %(number)s", number=number)) for number, title in pages]
    last = max((number for number, _title in pages), default=0)
    return [*choices, SelectChoice(NEW_PAGE, _("New page (%(number)s)", number=last + 1))]


def offered_types() -> list[ItemType]:
    """The types a manager can add; a part-only type (a ranking's rank) comes with its composite."""
    return [kind for kind in REGISTRY.values() if not kind.part_only]


class OptionLinesForm(StaffForm):
    """Options in bulk: typed or pasted one per line."""

    lines = TextAreaField(_l("Options, one per line"), validators=[DataRequired(), Length(max=20000)],
                          description=OPTION_LINES_HELP, render_kw={"rows": 6})
    mode = RadioField(_l("The options above"), default="append", choices=[
        SelectChoice("append", _l("Add them after the existing options")),
        SelectChoice("replace", _l("Replace the list with them: an option whose label is listed keeps its code, "
                                   "one not listed is deleted"))])


class PathwayForm(StaffForm):
    """The programme's outcome-pathway model; unknown models reach the service, which names them."""

    pathway = SelectField(_l("Outcome pathway model"), validate_choice=False, validators=[InputRequired()],
                          choices=[SelectChoice(code, label) for code, (label, _stages) in PATHWAYS.items()])
    clear = BooleanField(_l("Remove those stages"),
                         description=_l("Items tagged with a stage the chosen model does not have lose it."))


def item_form(kind: ItemType, *args, new: bool = False, **kwargs) -> ItemForm:
    """The item form with the settings of one type (a choice type's new item also takes its options)."""
    return _item_form_class(kind.code, new and kind.has_options)(*args, new=new, **kwargs)


@cache
def _item_form_class(code: str, with_options: bool) -> type[ItemForm]:
    kind = item_type(code)
    fields = dict(kind.settings_fields)
    if with_options:
        fields["options"] = TextAreaField(_l("Options, one per line"), validators=[Optional(), Length(max=20000)],
                                          description=OPTION_LINES_HELP, render_kw={"rows": 6})
    return type("ItemForm", (ItemForm,), {**fields, "kind": kind, "settings_parts": kind.settings_parts})


def item_data(item, lang: str) -> dict:
    """The item form's data for `item`, its wording in `lang`."""
    own = {row.key: row.text for row in item.texts if row.lang == lang}
    return {"code": item.code, "type": item.type, "required": item.required, "page": str(item.page),
            "stage": item.stage or "", "condition": item.condition or "",
            **item.kind.settings_data(item.settings), **parts.form_data(item, lang),
            **{key: own.get(key, "") for key in (*ItemForm.TEXT_KEYS, *item.kind.text_keys)}}


def option_form(languages: list[str], *, locked: bool = False, formdata=None, data=None) -> StaffForm:
    """An option's code and its label in every language of the questionnaire."""

    class OptionForm(StaffForm):
        code = StringField(_l("Code"), validators=[Optional() if locked else DataRequired(), Length(max=64)],
                           render_kw={"disabled": True} if locked else None,
                           description=LOCKED_CODE if locked else _l("Stored in the answers and exports, "
                                                                     "e.g. 1, yes, female."))

    for lang in languages:
        setattr(OptionForm, f"label_{lang}", StringField(
            _l("Label (%(language)s)", language=ui_language_name(lang)),
            validators=[Optional(), Length(max=500)], render_kw={"lang": lang}))
    return _bind(OptionForm, formdata, data)


def option_labels(form: StaffForm, languages: list[str]) -> dict[str, str]:
    return {lang: form[f"label_{lang}"].data for lang in languages}


def _bind(form_class, formdata, data):
    kwargs = {"data": data or {}}
    if formdata is not None:
        kwargs["formdata"] = formdata
    return form_class(**kwargs)


PAGE_CONDITION_HELP = _l("Leave empty to always show it. Otherwise a rule on answers given on earlier pages, "
                         "e.g. driven = 'no'. A page with nothing to show is skipped.")
SPARE_RULES = 2  # empty rule rows shown, so rules can be added without a script
MAX_RULES = 10


class PageForm(StaffForm):
    """A page's title in one language, its display condition and its skip rules (`page_form` adds the rows)."""

    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    condition = StringField(_l("Show this page only if"), validators=[Optional(), Length(max=2000)],
                            description=PAGE_CONDITION_HELP)
    rules = 0

    def skips(self) -> list[dict]:
        """The filled rule rows as stored: [{"when": expression, "to": page number or "end"}]."""
        return [{"when": when, "to": int(to) if to.isdigit() else to} for when, to in self.rule_rows() if when]

    def rule_rows(self) -> list[tuple[str, str]]:
        return [((self[f"when_{i}"].data or "").strip(), self[f"to_{i}"].data or "") for i in range(self.rules)]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for index, (when, to) in enumerate(self.rule_rows()):
            if when and not to:
                self[f"to_{index}"].errors.append(_("Choose where this rule goes."))
            elif to and not when:
                self[f"when_{index}"].errors.append(_("Write when this rule applies, or choose no page."))
            elif to and to != "end" and not (to.isascii() and to.isdigit() and int(to) <= MAX_PAGE):
                self[f"to_{index}"].errors.append(_("Please choose a page from the list."))
            else:
                continue
            valid = False
        return valid


def page_form(targets: list[tuple[int, str]], rules: int, formdata=None, data=None) -> PageForm:
    """The page form with `rules` skip-rule rows; `targets`: the later pages (number, title)."""
    choices = [SelectChoice("", str(_l("– no rule –")))] + [
        SelectChoice(str(number), _("Page %(number)s: %(title)s", number=number, title=title) if title
                     else _("Page %(number)s", number=number)) for number, title in targets
    ] + [SelectChoice("end", str(_l("The end (the questionnaire is submitted)")))]
    rules = min(rules, MAX_RULES)
    fields = {}
    for index in range(rules):
        fields[f"when_{index}"] = StringField(_l("Rule %(n)s: if", n=index + 1),
                                              validators=[Optional(), Length(max=2000)])
        fields[f"to_{index}"] = SelectField(_l("Rule %(n)s: go to", n=index + 1), choices=choices,
                                            validate_choice=False)
    return _bind(type("PageForm", (PageForm,), {**fields, "rules": rules}), formdata, data)


def page_data(questionnaire, number: int, lang: str) -> dict:
    page = questionnaire.page(number)
    data = {"title": next((row.text for row in questionnaire.texts if row.key == f"page.{number}"
                           and row.lang == lang), ""), "condition": (page.condition or "") if page else ""}
    for index, skip in enumerate(page.skips if page else []):
        data[f"when_{index}"], data[f"to_{index}"] = skip.get("when", ""), str(skip.get("to", ""))
    return data
