"""A questionnaire as an XLSForm workbook (survey, choices, settings) that xlsform.read reads back unchanged.

Every language is a column `label::<Language> (<code>)`, as KoboToolbox writes them. Each page is a group
(`field-list`: one screen) whose `relevant` is the page's condition; a matrix is a `table-list` group of
select_one rows sharing its scale, which is how ODK draws a grid. Conditions and validation are written in
XLSForm's own syntax (xlsform_logic). What XLSForm has no words for goes to columns other tools ignore: the
`surveyapp` column holds an item's exact type and settings where the standard columns approximate them (a
Likert scale is a select_one of its points there, a yes/no question a select_one of yes and no) and a page's
skip rules; `surveyapp_<text>` columns hold wording such as a scale's end labels. Text cells are written as
text, never as formulas.
"""
import io
import json
import re

from openpyxl import Workbook

from surveyapp.interchange.xlsform_columns import EXTENSION, EXTENSION_TEXT, english_name
from surveyapp.interchange.xlsform_items import TEXT_KEYS
from surveyapp.interchange.xlsform_logic import constraint_settings, to_constraint, to_relevant
from surveyapp.itemtypes.extras import OTHER_PART
from surveyapp.itemtypes.number import MAX_DECIMALS
from surveyapp.programmes import pathways
from surveyapp.questionnaires.models import Item, Questionnaire

SHOWN_TYPES = {"single": "select_one", "multiple": "select_multiple", "ranking": "rank", "likert": "select_one",
               "yesno": "select_one", "scale10": "range", "text": "text", "longtext": "text", "date": "date",
               "display": "note"}


def export(questionnaire: Questionnaire) -> bytes:
    sheets = _Sheets(questionnaire)
    for number in questionnaire.page_numbers:
        sheets.page(number)
    return sheets.workbook()


class _Sheets:
    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.langs = list(questionnaire.languages)
        self.survey: list[dict] = []
        self.choices: list[dict] = []
        self.codes = {item.code for item in questionnaire.items}

    def heading(self, key: str, lang: str) -> str:
        return f"{key}::{english_name(lang)} ({lang})"

    def texts(self, owner, keys: dict[str, str]) -> dict:
        """Cells of `owner`'s texts: {item text key: column key} in every language, pipes as ${code}."""
        cells = {}
        for row in owner.texts:
            if row.key in keys and row.lang in self.langs:
                cells[self.heading(keys[row.key], row.lang)] = re.sub(r"\{([a-z][a-z0-9_]*)\}", self._pipe, row.text)
        return cells

    def _pipe(self, found) -> str:
        return "${" + found.group(1) + "}" if found.group(1) in self.codes else found.group(0)

    # --- survey ---
    def page(self, number: int) -> None:
        questionnaire = self.questionnaire
        settings = questionnaire.page(number)
        name = next(name for name in (f"page_{number}", f"page_{number}_group") if name not in self.codes)
        row = {"type": "begin group", "name": name, "appearance": "field-list"}
        row |= {self.heading("label", title.lang): title.text for title in questionnaire.texts
                if title.key == f"page.{number}" and title.lang in self.langs}
        if settings and settings.condition:
            row["relevant"] = to_relevant(settings.condition)
        if settings and settings.skips:
            row[EXTENSION] = json.dumps({"skips": settings.skips}, ensure_ascii=False)
        self.survey.append(row)
        for item in questionnaire.items_on(number):
            if item.parent is None:
                self.item(item)
        self.survey.append({"type": "end group"})

    def item(self, item: Item) -> None:
        if item.type == "matrix":
            self.matrix(item)
            return
        row = self.question(item, self.shown_type(item))
        self.survey.append(row)

    def question(self, item: Item, shown: str) -> dict:
        row = {"type": shown, "name": item.code, "required": "yes" if item.required else ""}
        row |= self.texts(item, {"label": "label", "help": "hint", "invalid": "constraint_message",
                                 **{key: EXTENSION_TEXT + key for key in TEXT_KEYS if key != "invalid"}})
        if item.condition:
            row["relevant"] = to_relevant(item.condition)
        constraint = to_constraint(item.type, item.settings)
        if constraint:
            row["constraint"] = constraint
        if item.type == "longtext":
            row["appearance"] = "multiline"
        if item.type == "scale10":
            row["parameters"] = "start=0 end=10 step=1"
        extension = self.extension(item, shown, constraint)
        if extension:
            row[EXTENSION] = json.dumps(extension, ensure_ascii=False)
        return row

    def shown_type(self, item: Item) -> str:
        if item.type == "number":
            return "integer" if not item.settings.get("decimals") else "decimal"
        shown = SHOWN_TYPES[item.type]
        if shown in ("select_one", "select_multiple", "rank"):
            self.choice_list(item.code, item)
            shown = f"{shown} {item.code}"
            if OTHER_PART in item.kind.settings_parts and item.settings.get("other"):
                shown += " or_other"
        return shown

    def extension(self, item: Item, shown: str, constraint: str) -> dict:
        """The exact type and settings, when the standard columns would read back as something else."""
        implied = {"other": True} if " or_other" in shown else {}
        implied |= constraint_settings(item.type, constraint) if constraint else {}
        if shown.startswith(("integer", "decimal")):
            implied["decimals"] = 0 if shown == "integer" else MAX_DECIMALS
        extension = {}
        if item.type in ("likert", "yesno") or item.settings != implied:
            extension = {"type": item.type, "settings": item.settings}
        if item.stage:
            extension["stage"] = {self.questionnaire.programme.pathway or pathways.DEFAULT: item.stage}
            extension.setdefault("type", item.type)
            extension.setdefault("settings", item.settings)
        return extension

    def matrix(self, item: Item) -> None:
        """A table-list group: one select_one per row, sharing the matrix's scale as one choice list."""
        row = {"type": "begin group", "name": item.code, "appearance": "table-list"}
        row |= self.texts(item, {"label": "label", "help": "hint", "low": EXTENSION_TEXT + "low",
                                 "high": EXTENSION_TEXT + "high"})
        if item.condition:
            row["relevant"] = to_relevant(item.condition)
        row[EXTENSION] = json.dumps({"type": "matrix", "settings": item.settings}, ensure_ascii=False)
        self.survey.append(row)
        if item.parts:
            self.choice_list(item.code, item.parts[0])
        for part in item.parts:
            child = {"type": f"select_one {item.code}", "name": part.code, "required": "yes" if part.required else ""}
            child |= self.texts(part, {"label": "label"})
            if part.condition:
                child["relevant"] = to_relevant(part.condition)
            self.survey.append(child)
        self.survey.append({"type": "end group"})

    def choice_list(self, name: str, item: Item) -> None:
        """The item's options (or its type's fixed choices: a scale's points, yes and no) in every language."""
        if item.options:
            for option in item.options:
                self.choices.append({"list_name": name, "name": option.code} | {
                    self.heading("label", text.lang): text.text for text in option.texts
                    if text.key == "label" and text.lang in self.langs})
            return
        labelled = {lang: item.kind.choices(item, lang) for lang in self.langs}
        for index, choice in enumerate(labelled[self.langs[0]]):
            self.choices.append({"list_name": name, "name": choice.code} | {
                self.heading("label", lang): labelled[lang][index].label for lang in self.langs})

    # --- the workbook ---
    def settings(self) -> dict:
        questionnaire = self.questionnaire
        row = {"form_title": questionnaire.text("title", questionnaire.default_lang), "form_id": questionnaire.slug,
               "default_language": f"{english_name(questionnaire.default_lang)} ({questionnaire.default_lang})"}
        for text in questionnaire.texts:
            if text.key in ("title", "intro", "thanks") and text.lang in self.langs:
                row[self.heading(EXTENSION_TEXT + text.key, text.lang)] = text.text
        return row

    def workbook(self) -> bytes:
        book = Workbook()
        book.remove(book.active)
        for title, rows in (("survey", self.survey), ("choices", self.choices), ("settings", [self.settings()])):
            _write(book.create_sheet(title), rows)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def _write(sheet, rows: list[dict]) -> None:
    header = list(dict.fromkeys(key for row in rows for key in row))
    sheet.append(header)
    for number, row in enumerate(rows, start=2):
        for column, key in enumerate(header, start=1):
            value = row.get(key)
            if value not in (None, ""):
                cell = sheet.cell(row=number, column=column)
                cell.value = str(value)
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
