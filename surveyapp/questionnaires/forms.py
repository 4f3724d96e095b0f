"""Builder forms. Per-language forms are made per request, since a questionnaire chooses its own languages."""
from functools import cache

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from surveyapp.forms import StaffForm
from surveyapp.i18n import is_known_language, ui_language_name
from surveyapp.itemtypes import ItemType, SettingsPart, item_type, type_choices
from surveyapp.programmes.pathways import PATHWAYS, stages
from surveyapp.questionnaires.models import Status

STATUS_LABELS = {Status.DRAFT: _l("Draft"), Status.OPEN: _l("Open"), Status.CLOSED: _l("Closed")}
LOCKED_CODE = _l("Locked: the questionnaire has responses, so this code can no longer change.")
NO_STAGE = _l("Not on the pathway")
CODE_HELP = _l("Lower-case letters, digits and underscores, e.g. careful_driving. "
               "Used as the column name in exports.")


def language_list(text: str | None) -> list[str]:
    """"de, en tr" -> ["de", "en", "tr"]."""
    return [part for part in (text or "").replace(",", " ").split() if part]


def _known_languages(_form, field) -> None:
    unknown = [lang for lang in language_list(field.data) if not is_known_language(lang)]
    if unknown:
        raise ValidationError(_l("Unknown language code: %(codes)s.", codes=", ".join(unknown)))


def _language(_form, field) -> None:
    if field.data and not is_known_language(field.data):
        raise ValidationError(_l("Unknown language code: %(codes)s.", codes=field.data))


class SettingsForm(StaffForm):
    slug = StringField(_l("Link name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("Lower-case letters, digits and hyphens; "
                                      "the public link is /s/ followed by it."))
    default_lang = StringField(_l("Default language"), validators=[DataRequired(), Length(max=20), _language],
                               description=_l("A language code such as de or en."))
    languages = StringField(_l("Languages offered"), validators=[Length(max=200), _known_languages],
                            description=_l("Language codes separated by commas, e.g. de, en, tr."))


class CreateForm(SettingsForm):
    programme_id = SelectField(_l("Programme"), coerce=int, validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)],
                        description=_l("In the default language; other languages on the next page."))


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


class ItemForm(StaffForm):
    """An item's place and its wording in one language; `item_form` adds the settings of its type."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=64)], description=CODE_HELP)
    type = SelectField(_l("Type"), validators=[InputRequired()])
    required = BooleanField(_l("Answer required"))
    page = IntegerField(_l("Page"), default=1, validators=[InputRequired(), NumberRange(min=1, max=100)])
    label = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=2000)],
                          render_kw={"rows": 2})
    help = StringField(_l("Help text"), validators=[Optional(), Length(max=1000)])
    # Unknown codes reach the service, which refuses them with its own message.
    stage = SelectField(_l("Stage on the outcome pathway"), validate_choice=False, validators=[Optional()],
                        description=_l("Where the item sits on the programme's outcome pathway; the report "
                                       "shows its figures under that stage. Changing it makes no new version."))

    TEXT_KEYS = ("label", "help")
    kinds: tuple[ItemType, ...] = ()  # the types whose settings the form shows
    settings_parts: tuple[SettingsPart, ...] = ()  # their settings fieldsets, each once

    def __init__(self, *args, locked: bool = False, type_fixed: bool = False, pathway: str | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = [SelectChoice(code, str(label)) for code, label in type_choices()]
        self.stage.choices = [SelectChoice("", str(NO_STAGE))] + [
            SelectChoice(step.code, str(step.label)) for step in stages(pathway)]
        if locked:
            self.code.render_kw = {"disabled": True}
            self.code.description = LOCKED_CODE
            self.code.validators = [Optional(), Length(max=64)]
        if type_fixed:
            self.type.render_kw = {"disabled": True}
            self.type.validators = [Optional()]

    def settings_for(self, kind: ItemType) -> dict:
        return {key: self[key].data for key in kind.settings_keys}

    def texts(self, kind: ItemType) -> dict[str, str]:
        return {key: self[key].data for key in (*self.TEXT_KEYS, *kind.text_keys)}


class PathwayForm(StaffForm):
    """The programme's outcome-pathway model; unknown models reach the service, which names them."""

    pathway = SelectField(_l("Outcome pathway model"), validate_choice=False, validators=[InputRequired()],
                          choices=[SelectChoice(code, label) for code, (label, _stages) in PATHWAYS.items()])
    clear = BooleanField(_l("Remove those stages"),
                         description=_l("Items tagged with a stage the chosen model does not have lose it."))


def item_form(kinds, *args, **kwargs) -> ItemForm:
    """The item form with the settings forms of `kinds`: the item's own type, or every type for a new item.

    Settings field names are unique over all parts (a registry test checks), so one form can hold them all.
    """
    return _item_form_class(tuple(kind.code for kind in kinds))(*args, **kwargs)


@cache
def _item_form_class(codes: tuple[str, ...]) -> type[ItemForm]:
    kinds = tuple(item_type(code) for code in codes)
    parts = tuple(dict.fromkeys(part for kind in kinds for part in kind.settings_parts))  # a shared part once
    fields = {name: field for part in parts for name, field in part.fields.items()}
    return type("ItemForm", (ItemForm,), {**fields, "kinds": kinds, "settings_parts": parts})


def item_data(item, lang: str) -> dict:
    """The item form's data for `item`, its wording in `lang`."""
    own = {row.key: row.text for row in item.texts if row.lang == lang}
    return {"code": item.code, "type": item.type, "required": item.required, "page": item.page,
            "stage": item.stage or "",
            **item.kind.settings_data(item.settings),
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
