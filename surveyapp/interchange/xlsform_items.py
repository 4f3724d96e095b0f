"""One XLSForm row -> one item in the starter format (or Untranslatable, with the reason), and the choice lists.

Codes: XLSForm names may use capitals, hyphens and dots ("label-test"), surveyapp codes may not; such a name
is written in lower case with underscores, and a note says so. Conditions and option literals follow.
The `surveyapp` column (written by xlsform_export) carries what XLSForm has no words for: the item type when
the standard column is an approximation (a Likert scale is a select_one there) and its exact settings; what
it gives still passes every check of the builder.
"""
import json
import re

from flask_babel import gettext as _

from surveyapp.interchange.xlsform_columns import EXTENSION, EXTENSION_TEXT, MEDIA_KEYS
from surveyapp.interchange.xlsform_logic import Untranslatable, constraint_settings, to_condition
from surveyapp.itemtypes import REGISTRY
from surveyapp.itemtypes.extras import OTHER, OTHER_PART
from surveyapp.itemtypes.number import MAX_DECIMALS

BEGIN_GROUP = ("begin group", "begin_group")
END_GROUP = ("end group", "end_group")
BEGIN_REPEAT = ("begin repeat", "begin_repeat", "begin loop", "begin_loop")
END_REPEAT = ("end repeat", "end_repeat", "end loop", "end_loop")
SIMPLE = {"integer": ("number", {"decimals": 0}), "int": ("number", {"decimals": 0}),
          "decimal": ("number", {"decimals": MAX_DECIMALS}), "text": ("text", {}), "string": ("text", {}),
          "phone number": ("text", {}), "date": ("date", {}), "note": ("display", {})}
SELECT = re.compile(r"^(select_one|select one|select_multiple|select multiple|select all that apply|rank)"
                    r"(?: from)? (\S+)(?: (or_other|or specify other))?$")
MULTIPLE = ("select_multiple", "select multiple", "select all that apply")
TIMESTAMPS = ("start", "end", "today")
GEO = ("geopoint", "geotrace", "geoshape", "osm")
MEDIA = ("image", "audio", "video", "file", "background-audio", "background-geopoint")
DEVICE = ("deviceid", "uri:deviceid", "simserial", "subscriberid", "phonenumber", "username", "email", "audit",
          "uri:email", "uri:username", "start-geopoint")
TEXT_KEYS = ("low", "high", "dk", "other_label", "invalid")  # item wording beyond label and hint
RANGE_10 = {"start": "0", "end": "10", "step": "1"}
FIELD_VALUES = {"BooleanField": bool, "IntegerField": int, "DateField": str, "StringField": str,
                "OptionCodeField": str, "SelectField": str}
MAX_SETTING = 10**9
MAX_SETTING_TEXT = 300


def unsupported(kind: str) -> str | None:
    """Why a row of type `kind` cannot be asked here (None: it can, or it is a timestamp)."""
    if kind.startswith(BEGIN_REPEAT):
        return _("Repeats are not supported.")
    if kind == "include":
        return _("“include” (a form inside the form) is not supported.")
    if kind in ("calculate", "hidden"):
        return _("Calculations are not supported.")
    if kind in GEO:
        return _("GPS locations and maps cannot be asked for.")
    if kind in MEDIA:
        return _("Photos, audio, video and files cannot be asked for.")
    if kind in DEVICE:
        return _("Device information (“%(type)s”) is not collected.", type=kind)
    return None


def choice_lists(reader, sheet) -> dict[str, list[dict]]:
    """list name -> [{"name", "code", "label": {lang: text}}] in sheet order; bad rows reported."""
    lists: dict[str, list[dict]] = {}
    for row in sheet.rows if sheet else []:
        list_name, name = row.value("list_name"), row.value("name")
        if not list_name or not name:
            reader.problem(row, _("A choice needs a list name and a name."))
            continue
        choices = lists.setdefault(list_name, [])
        code = option_code(name)
        if any(choice["code"] == code for choice in choices):
            reader.problem(row, _("The choice “%(name)s” is in the list “%(list)s” twice.", name=name,
                                  list=list_name))
            continue
        label = reader.texts(row, "label") or {reader.default: name}
        if any(row.value(key) for key in MEDIA_KEYS):
            reader.note(row, _("pictures and sounds of choices are not carried over."))
        choices.append({"name": name, "code": code, "label": label,
                        "filters": {key: row.value(key) for key in row.cells}})
    return lists


def question(reader, row, conditions: list[str]) -> dict | None:
    """The item of a question row, None for a row that asks nothing (a timestamp); Untranslatable if none."""
    kind = row.type
    reason = unsupported(kind)
    if reason:
        raise Untranslatable(reason)
    if kind in TIMESTAMPS:
        reader.note(row, _("not needed: every response keeps when it was started and submitted."))
        return None
    _check_media(row)
    spec = {"code": item_code(reader, row), "required": _required(row), "settings": {}}
    _shape(reader, row, spec)
    override = extension(reader, row)
    if override.get("type"):
        _override(spec, override)
    _constraint(row, spec)
    spec["texts"] = _texts(reader, row, spec)
    condition = row.value("relevant")
    if condition:
        conditions = [*conditions, to_condition(condition, reader.codes, reader.options)]
    if conditions:
        spec["condition"] = " and ".join(f"({text})" if len(conditions) > 1 else text for text in conditions)
    _unmapped_columns(reader, row)
    return spec


def _shape(reader, row, spec: dict) -> None:
    """Type, settings and options from the row's type column (and its appearance and parameters)."""
    kind = row.type
    if kind in SIMPLE:
        spec["type"], settings = SIMPLE[kind]
        spec["settings"] = dict(settings)
        if kind in ("text", "string") and "multiline" in row.value("appearance").lower():
            spec["type"] = "longtext"
        return
    if kind == "range":
        _range(row, spec)
        return
    found = SELECT.match(kind)
    if not found:
        raise Untranslatable(_("The question type “%(type)s” is not supported.", type=row.type_as_written))
    if row.value("choice_filter"):
        raise Untranslatable(_("Choice filters (“%(filter)s”) cannot be expressed: surveyapp shows every option "
                               "of a question.", filter=row.value("choice_filter")))
    verb, list_name, other = found.groups()
    spec["type"] = "ranking" if verb == "rank" else "multiple" if verb in MULTIPLE else "single"
    spec["options"] = [dict(choice) for choice in _choices(reader, row, list_name)]
    for option in spec["options"]:
        option.pop("filters")
    if other:
        if spec["type"] == "ranking" or any(option["code"] == "other" for option in spec["options"]):
            raise Untranslatable(_("“or_other” cannot be added here (a ranking, or the list has a choice "
                                   "“other” already)."))
        spec["settings"]["other"] = True


def part_suffixes(spec: dict) -> list[str]:
    """The code suffixes of the parts an item gets (a ranking's ranked options, the text box of "other"):
    conditions and texts of later rows may name them, as the export writes them (`order_x`, `colour_other`)."""
    kind = REGISTRY[spec["type"]]
    suffixes = [option["code"] for option in spec.get("options", [])] if spec["type"] == "ranking" else []
    if spec["settings"].get("other") and OTHER_PART in kind.settings_parts:
        suffixes.append("other_text" if kind.multi else OTHER)
    return suffixes


def _choices(reader, row, list_name: str) -> list[dict]:
    listed = next((choices for name, choices in reader.lists.items() if name.lower() == list_name.lower()), None)
    if not listed:
        raise Untranslatable(_("The choice list “%(list)s” is missing or empty.", list=list_name))
    return listed


def _range(row, spec: dict) -> None:
    """A range 0 to 10 in steps of 1 is a 0–10 scale; any other range of whole numbers is a number."""
    parameters = dict(part.split("=", 1) for part in re.split(r"[\s;,]+", row.value("parameters")) if "=" in part)
    parameters = {key.strip().lower(): value.strip() for key, value in parameters.items()}
    if all(parameters.get(key, default) == default for key, default in RANGE_10.items()):
        spec["type"] = "scale10"
        return
    try:
        low, high, step = (int(parameters.get(key, default)) for key, default in RANGE_10.items())
    except ValueError:
        raise Untranslatable(_("A range with fractions (“%(parameters)s”) is not supported.",
                               parameters=row.value("parameters"))) from None
    if step != 1:
        raise Untranslatable(_("A range in steps other than 1 is not supported."))
    spec["type"], spec["settings"] = "number", {"decimals": 0, "min": low, "max": high}


def _override(spec: dict, override: dict) -> None:
    """The `surveyapp` column's type and settings; options only for types that have them."""
    kind = REGISTRY.get(override["type"]) if isinstance(override["type"], str) else None
    if kind is None or kind.part_only:
        raise Untranslatable(_("The surveyapp column names an unknown type “%(type)s”.",
                               type=str(override["type"])[:40]))
    spec["type"] = override["type"]
    spec["settings"] = checked_settings(kind, override.get("settings") or {})
    if not kind.has_options:
        spec.pop("options", None)
    stage = override.get("stage")
    if stage:
        if not isinstance(stage, dict) or not all(isinstance(value, str) for value in stage.values()):
            raise Untranslatable(_("The surveyapp column holds no valid settings."))
        spec["stage"] = stage


def checked_settings(kind, settings) -> dict:
    """Only settings the type has, each a value of the kind its builder field gives (a whole number, a tick, a
    text): a file can hand the builder nothing its own form could not."""
    fields = {name: field for name, field in kind.settings_fields.items()
              if name not in kind.text_keys and name not in kind.part_keys}
    if not isinstance(settings, dict):
        raise Untranslatable(_("The surveyapp column holds no valid settings."))
    for key, value in settings.items():
        field = fields.get(key)
        wanted = field and (int if field.kwargs.get("coerce") is int else FIELD_VALUES.get(field.field_class.__name__))
        if wanted is None or type(value) is not wanted or (wanted is int and abs(value) > MAX_SETTING) \
                or (wanted is str and len(value) > MAX_SETTING_TEXT):
            raise Untranslatable(_("The surveyapp column gives the setting “%(key)s” a value a %(type)s cannot "
                                   "take.", key=str(key)[:40], type=kind.label))
    return dict(settings)


def _texts(reader, row, spec: dict) -> dict:
    texts = {"label": reader.texts(row, "label"), "help": reader.texts(row, "hint")}
    for key in TEXT_KEYS:
        texts[key] = reader.texts(row, EXTENSION_TEXT + key)
    if spec["settings"].get("pattern"):
        texts["invalid"] = texts["invalid"] or reader.texts(row, "constraint_message")
    elif reader.texts(row, "constraint_message") and row.value("constraint"):
        reader.note(row, _("the constraint message was not kept: surveyapp words its own messages."))
    if not texts["label"] and spec["type"] != "display":
        texts["label"] = {reader.default: row.name}
        reader.note(row, _("no label: its name is the label."))
    return {key: {lang: pipes(text, reader.codes) for lang, text in by_lang.items()}
            for key, by_lang in texts.items() if by_lang}


def piped(reader, row, key: str) -> dict[str, str]:
    """{lang: text} of text column `key`, its ${name} pipes as surveyapp's {code}."""
    return {lang: pipes(text, reader.codes) for lang, text in reader.texts(row, key).items()}


def pipes(text: str, codes: dict[str, str]) -> str:
    """XLSForm's ${name} in a text -> surveyapp's {code}, for earlier questions imported."""
    def replace(found):
        name = found.group(1).strip()
        if name not in codes:
            raise Untranslatable(_("The text refers to “%(name)s”, which is not an earlier question that is "
                                   "imported.", name=name))
        return "{" + codes[name] + "}"
    return re.sub(r"\$\{([^}]*)\}", replace, text)


def _constraint(row, spec: dict) -> None:
    constraint = row.value("constraint")
    if constraint:
        spec["settings"].update(constraint_settings(spec["type"], constraint))


def _required(row) -> bool:
    value = row.value("required").lower()
    if value in ("", "no", "false", "false()", "0"):
        return False
    if value in ("yes", "true", "true()", "1"):
        return True
    raise Untranslatable(_("“required” depends on an expression (“%(expression)s”): surveyapp asks a question "
                           "either always or never as required.", expression=row.value("required")))


def _check_media(row) -> None:
    if any(row.value(key) for key in MEDIA_KEYS):
        raise Untranslatable(_("Pictures, audio and video in questions are not supported."))


def _unmapped_columns(reader, row) -> None:
    for key, what in (("calculation", _("a calculation")), ("default", _("a default answer")),
                      ("read_only", _("read-only")), ("repeat_count", _("a repeat count"))):
        if row.value(key) and row.value(key).lower() not in ("no", "false", "false()"):
            reader.note(row, _("%(what)s is not carried over.", what=what))


def extension(reader, row) -> dict:
    """The `surveyapp` column's JSON object (empty when absent); Untranslatable when it is not one."""
    text = row.value(EXTENSION)
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise Untranslatable(_("The surveyapp column holds no valid settings."))
    return value


def matrix(reader, group, conditions: list[str]) -> dict | None:
    """A table-list group (or one the surveyapp column calls a matrix) of select_one rows sharing one list."""
    override = extension(reader, group.row)
    table = "table-list" in group.row.value("appearance").lower() or override.get("type") == "matrix"
    rows = group.children
    shapes = [SELECT.match(row.type) if hasattr(row, "type") else None for row in rows]
    if not table or not rows or not all(shape and shape.group(1) in ("select_one", "select one")
                                        and not shape.group(3) for shape in shapes):
        return None
    if len({shape.group(2).lower() for shape in shapes}) != 1:
        return None
    code = item_code(reader, group.row)
    spec = {"code": code, "type": "matrix", "required": False, "settings": {"scale": "options"}}
    spec["options"] = [{key: value for key, value in choice.items() if key != "filters"}
                       for choice in _choices(reader, group.row, shapes[0].group(2))]
    if override.get("type") == "matrix":
        spec["settings"] = checked_settings(REGISTRY["matrix"], override.get("settings") or {})
        if spec["settings"].get("scale", "likert") != "options":
            spec.pop("options")
    spec["texts"] = {key: texts for key, texts in (("label", piped(reader, group.row, "label")),
                                                   ("help", piped(reader, group.row, "hint")),
                                                   *((k, piped(reader, group.row, EXTENSION_TEXT + k))
                                                     for k in ("low", "high"))) if texts}
    spec["rows"] = [_matrix_row(reader, row, code) for row in rows]
    spec["required"] = any(_required(row) for row in rows)
    if conditions:
        spec["condition"] = " and ".join(f"({text})" for text in conditions) if len(conditions) > 1 \
            else conditions[0]
    reader.codes[group.row.name] = code
    for row, part in zip(rows, spec["rows"], strict=True):
        reader.codes[row.name] = f"{code}_{part['code']}"
        reader.names.setdefault(row.name, row.number)
    reader.options[code] = {option["name"]: option["code"] for option in spec.get("options", [])}
    for option in spec.get("options", []):
        option.pop("name")
    return spec


def _matrix_row(reader, row, code: str) -> dict:
    name = row.name.lower()
    suffix = option_code(name.removeprefix(code + "_"))
    part = {"code": suffix, "label": piped(reader, row, "label") or {reader.default: row.name}}
    if row.value("relevant"):
        part["condition"] = to_condition(row.value("relevant"), reader.codes, reader.options)
    return part


def item_code(reader, row) -> str:
    """The row's name as an item code; a note when it had to change."""
    code = re.sub(r"[^a-z0-9_]", "_", row.name.lower())
    if not code[:1].isalpha():
        code = "q" + code if code.startswith("_") else "q_" + code
    code = code[:64]
    if code != row.name:
        reader.note(row, _("the name “%(name)s” became the code “%(code)s”.", name=row.name, code=code))
    if code in reader.codes.values():
        raise Untranslatable(_("Its name becomes the code “%(code)s”, which another question has.", code=code))
    return code


def option_code(name: str) -> str:
    code = re.sub(r"[^a-z0-9_]", "_", name.strip().lower()).strip("_") or "option"
    return code[:64]
