"""Read an XLSForm workbook (KoboToolbox, ODK) into a Draft: the sheets `survey`, `choices` and `settings`.

Sheets and columns are found in any case. Each top-level group is a page (its label the page's title, its
`relevant` the page's condition); questions outside groups share a page until the next group. A group inside
a page is flattened (its `relevant` joins its questions' conditions), except a `table-list` group of select
questions sharing one list: that is a matrix. What does not map (repeats, include, calculations, media, GPS,
expressions the logic language cannot say) is a Problem naming sheet, row and reason, and its row is left out;
a condition or text naming a row left out is left out too. The workbook is read within uploads' limits (zip
directory checked before unpacking, rows streamed, a deadline).
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError
from surveyapp.i18n import FALLBACK_LANGUAGE
from surveyapp.interchange import limits
from surveyapp.interchange import xlsform_items as items
from surveyapp.interchange.model import Draft, Problem
from surveyapp.interchange.xlsform_columns import UnknownLanguage, language_code
from surveyapp.interchange.xlsform_logic import Untranslatable, to_condition
from surveyapp.interchange.xlsform_sheets import Row, read_sheets

TITLE_LIMIT = 200


class NotAnXlsForm(DomainError):
    """The file is no XLSForm workbook (no `survey` sheet): nothing can be read from it."""

    status_code = 422


@dataclass
class Group:
    row: Row | None
    repeat: bool = False
    children: list = field(default_factory=list)
    last: int = 0  # the row number of its end


def read(data: bytes) -> Draft:
    """The questionnaire of an XLSForm workbook; NotAnXlsForm or uploads.UploadRejected if it is none."""
    sheets = read_sheets(data)
    if "survey" not in sheets:
        raise NotAnXlsForm(_l("This workbook has no “survey” sheet, so it is not an XLSForm."))
    return limits.without_long(_Reader(sheets).draft())  # a text over the builder's limit: a problem, left out


class _Reader:
    def __init__(self, sheets):
        self.sheets = sheets
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self._formulas()
        self.problems += limits.sheet_problems(sheets)
        self.settings = self._settings()
        self.default = self._default_language()
        self.languages = self._languages()
        self.lists = items.choice_lists(self, sheets.get("choices"))
        self.codes: dict[str, str] = {}  # XLSForm name -> item code, of every row imported so far
        self.options: dict[str, dict[str, str]] = {}  # item code -> {choice name: option code}
        self.names: dict[str, int] = {}  # every name seen -> its row (duplicates are refused)

    # --- what is reported ---
    def problem(self, row: Row, reason) -> None:
        self.problems.append(Problem(where(row), str(reason)))

    def note(self, row: Row | None, text) -> None:
        self.notes.append(f"{where(row)}: {text}" if row else str(text))

    def _formulas(self) -> None:
        """Formula cells were read as their cached values (never evaluated); one without is a problem."""
        for sheet in self.sheets.values():
            for number, column, value in sheet.formulas:
                where = _("%(sheet)s, row %(row)s", sheet=sheet.name, row=number)
                if value:
                    self.notes.append(_("%(where)s: the formula in column %(column)s was read as its value "
                                        "“%(value)s”.", where=where, column=column, value=value))
                else:
                    self.problems.append(Problem(where, _("Column %(column)s holds a formula without a "
                                                          "calculated value: type the value instead.",
                                                          column=column)))

    # --- settings and languages ---
    def _settings(self) -> dict:
        sheet = self.sheets.get("settings")
        return sheet.rows[0] if sheet and sheet.rows else None

    def _default_language(self) -> str:
        given = self.settings.value("default_language") if self.settings else ""
        if not given or given.lower() == "default":
            return FALLBACK_LANGUAGE
        try:
            return language_code(given)
        except UnknownLanguage:
            self.problem(self.settings, _("The default language “%(name)s” is not a language surveyapp knows.",
                                          name=given))
            return FALLBACK_LANGUAGE

    def _languages(self) -> list[str]:
        """The languages of the survey sheet's labels, the default first."""
        sheet = self.sheets["survey"]
        found = list(dict.fromkeys(column.lang or self.default for column in sheet.columns
                                   if column.key == "label"))
        if found and self.default not in found:
            self.notes.append(_("No labels in the default language %(lang)s: %(first)s is the default instead.",
                                lang=self.default, first=found[0]))
            self.default = found[0]
        for heading in sheet.unknown + [heading for name in ("choices", "settings") if name in self.sheets
                                        for heading in self.sheets[name].unknown]:
            self.problems.append(Problem(_("column “%(column)s”", column=heading),
                                         _("Its language is not one surveyapp knows: the column was not read.")))
        return list(dict.fromkeys([self.default, *found]))

    def texts(self, row: Row, key: str) -> dict[str, str]:
        """{lang: text} of text column `key` in the form's languages."""
        return {lang: text for lang, text in row.texts(key, self.default).items() if lang in self.languages}

    # --- the survey sheet ---
    def draft(self) -> Draft:
        root = self._tree()
        pages, loose = [], None
        for node in root.children:
            if isinstance(node, Group) and not node.repeat:
                loose = None
                self._page(node, pages)
            elif isinstance(node, Group):
                self._repeat(node)
            else:
                if loose is None:
                    loose = {"title": {}, "items": []}
                    pages.append(loose)
                loose["items"] += self._question(node, [])
        pages = [page for page in pages if page["items"]]
        data = {"languages": self.languages, "title": self._title(), "texts": self._questionnaire_texts(),
                "pages": pages, "form_id": self.settings.value("form_id") if self.settings else ""}
        return Draft("xlsform", data, self.problems, self.notes)

    def _tree(self) -> Group:
        """The survey rows as nested groups; unmatched begin/end rows are reported."""
        root = Group(None)
        stack = [root]
        for row in self.sheets["survey"].rows:
            kind = row.type
            if kind in items.BEGIN_GROUP or kind.startswith(items.BEGIN_REPEAT):
                group = Group(row, repeat=kind.startswith(items.BEGIN_REPEAT))
                stack[-1].children.append(group)
                stack.append(group)
            elif kind in items.END_GROUP or kind in items.END_REPEAT:
                if len(stack) == 1:
                    self.problem(row, _("This end of a group has no beginning."))
                    continue
                stack.pop().last = row.number
            elif kind:
                stack[-1].children.append(row)
        for group in stack[1:]:
            self.problem(group.row, _("This group is never ended (no “end group” row)."))
        return root

    def _page(self, group: Group, pages: list) -> None:
        if not self._claim(group.row):
            return
        page = {"title": self.texts(group.row, "label"), "items": []}
        relevant = group.row.value("relevant")
        if relevant:
            try:
                page["condition"] = to_condition(relevant, self.codes, self.options)
            except Untranslatable as error:
                self.problem(group.row, _("%(reason)s The page and its questions are left out.",
                                          reason=error.reason))
                self._leave_out(group)
                return
        try:
            extension = items.extension(self, group.row)
        except Untranslatable as error:
            self.problem(group.row, error.reason)
            extension = {}
        if _valid_skips(extension.get("skips")):
            page["skips"] = extension["skips"]
        elif extension.get("skips"):
            self.problem(group.row, _("The surveyapp column holds no valid skip rules: they are left out."))
        pages.append(page)
        for node in group.children:
            page["items"] += self._member(node, [])

    def _member(self, node, conditions: list[str]) -> list[dict]:
        if isinstance(node, Group) and node.repeat:
            self._repeat(node)
            return []
        if isinstance(node, Group):
            return self._inner_group(node, conditions)
        return self._question(node, conditions)

    def _inner_group(self, group: Group, conditions: list[str]) -> list[dict]:
        """A matrix if it is one, else its questions under its condition (a group in a page is no page)."""
        if not self._claim(group.row):
            return []
        relevant = group.row.value("relevant")
        if relevant:
            try:
                conditions = [*conditions, to_condition(relevant, self.codes, self.options)]
            except Untranslatable as error:
                self.problem(group.row, _("%(reason)s Its questions are left out.", reason=error.reason))
                self._leave_out(group)
                return []
        try:
            matrix = items.matrix(self, group, conditions)
        except Untranslatable as error:
            self.problem(group.row, _("%(reason)s Its questions are left out.", reason=error.reason))
            self._leave_out(group)
            return []
        if matrix is not None:
            return [matrix]
        if self.texts(group.row, "label"):
            self.note(group.row, _("a group inside a page: its questions were kept, its label was not."))
        return [spec for node in group.children for spec in self._member(node, conditions)]

    def _question(self, row: Row, conditions: list[str]) -> list[dict]:
        if not self._claim(row):
            return []
        try:
            spec = items.question(self, row, conditions)
        except Untranslatable as error:
            self.problem(row, error.reason)
            return []
        if spec is not None:
            self.codes[row.name] = spec["code"]
            for suffix in items.part_suffixes(spec):
                self.codes.setdefault(f"{row.name}_{suffix}", f"{spec['code']}_{suffix}")
                self.codes.setdefault(f"{spec['code']}_{suffix}", f"{spec['code']}_{suffix}")
            self.options[spec["code"]] = {option["name"]: option["code"] for option in spec.get("options", [])}
            for option in spec.get("options", []):
                option.pop("name")
            return [spec]
        return []

    def _claim(self, row: Row) -> bool:
        """Refuse a row without a name or with one used before."""
        if not row.name:
            self.problem(row, _("This row has no name."))
            return False
        if row.name in self.names:
            self.problem(row, _("The name “%(name)s” is used twice (first in row %(row)s).", name=row.name,
                                row=self.names[row.name]))
            return False
        self.names[row.name] = row.number
        return True

    def _repeat(self, group: Group) -> None:
        self.problem(group.row, _("Repeats are not supported: rows %(first)s to %(last)s are left out.",
                                  first=group.row.number, last=group.last or group.row.number))

    def _leave_out(self, group: Group) -> None:
        """Claim the names of a group left out, so rows that read them are left out too, not misread."""
        for node in group.children:
            if isinstance(node, Group):
                self._leave_out(node)
            else:
                self.names.setdefault(node.name, node.number)

    def _title(self) -> dict[str, str]:
        given = self.settings.value("form_title") or self.settings.value("form_id") if self.settings else ""
        titles = {self.default: (given or _("Imported questionnaire"))[:TITLE_LIMIT]}
        return titles | (self.texts(self.settings, "surveyapp_title") if self.settings else {})

    def _questionnaire_texts(self) -> dict:
        if not self.settings:
            return {}
        return {key: texts for key in ("intro", "thanks") if (texts := self.texts(self.settings, f"surveyapp_{key}"))}


def _valid_skips(skips) -> bool:
    """[{"when": text, "to": page number or "end"}, ...] as a page stores them (the builder checks the rest)."""
    return isinstance(skips, list) and bool(skips) and all(
        isinstance(rule, dict) and isinstance(rule.get("when", ""), str)
        and isinstance(rule.get("to"), (int, str)) and not isinstance(rule.get("to"), bool) for rule in skips)


def where(row: Row | None) -> str:
    if row is None:
        return ""
    if row.name:
        return _("%(sheet)s, row %(row)s (name: %(name)s)", sheet=row.sheet, row=row.number, name=row.name)
    return _("%(sheet)s, row %(row)s", sheet=row.sheet, row=row.number)

