"""Read a LimeSurvey survey file (.lss) into a Draft: what maps, and question by question what does not.

Groups become pages (a group's relevance the page's condition), questions items of the registry's types
(lss_questions), every language of the file a questionnaire language (variants such as `de-informal` read as
their base language, with a note), HTML texts plain texts (lss_text), relevance equations conditions where
they fit the logic language (lss_expressions). Question codes become item codes (lower case, other
characters as "_", unique), and every equation and `{code}` pipe naming them is rewritten to match.

What does not map is a Problem naming the question: an unsupported type leaves the question out; a
condition, validation or pipe that does not translate leaves that part out and keeps the question. An
item whose condition reads a question that was left out loses that condition (and says so).
"""
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from surveyapp.i18n import in_language, is_known_language
from surveyapp.interchange import limits, lss_file, lss_questions, lss_text
from surveyapp.interchange.lss_expressions import Target, Untranslatable, translate
from surveyapp.interchange.lss_questions import Choice, Shape, Unsupported
from surveyapp.interchange.model import Draft, Problem
from surveyapp.questionnaires.service import LANG_PATTERN

SOURCE = "limesurvey"
FILTERING = ("multiple", "ranking")  # what an array filter may name
MAX_LISTED = 5  # expressions named in one problem
CODE_WIDTH = 30  # leaves room for a matrix row's code in its part's code (64 at most)
_CODE_CHARS = re.compile(r"[^a-z0-9_]+")
_REGION = re.compile(r"[A-Z]{2}|[0-9]{3}|[A-Z][a-z]{3}")  # pt-BR, es-419, zh-Hans; not de-informal, de-easy
_SGQA = re.compile(r"[0-9]+X[0-9]+X([0-9]+)(\w*)")


def read(data: bytes) -> Draft:
    """The questionnaire in LimeSurvey file `data`; lss_file.NotLimeSurvey when it is none (or unsafe)."""
    draft = _Reader(lss_file.load(data)).draft()
    draft.problems += limits.draft_problems(draft)  # texts longer than the builder allows: left out
    return limits.without_long(draft)


@dataclass
class _Emitted:
    """An item made from a question: what equations and pipes naming the question refer to."""

    code: str
    shape: Shape
    rows: dict[str, str]  # a matrix: LimeSurvey subquestion code -> the part's code
    options: dict[str, str]  # a multiple choice: LimeSurvey subquestion code -> option code


class _Reader:
    def __init__(self, survey: lss_file.Survey):
        self.survey = survey
        self.problems: list[Problem] = []
        self.notes: list[str] = []
        self.languages = self._languages()  # LimeSurvey language -> ours, the base language first
        self.by_title = {q.title: q for group in survey.groups for q in group.questions}
        self.by_qid = {q.qid: q for group in survey.groups for q in group.questions}
        self.emitted: dict[str, _Emitted] = {}
        self.left_out: set[str] = set()
        self.taken: set[str] = set()

    # --- the questionnaire ---
    def draft(self) -> Draft:
        pages = []
        for group in self.survey.groups:
            page = self._page(group, len(pages) + 1)
            if page["items"]:
                pages.append(page)
        data = {"languages": list(self.languages.values()), "title": self._titles(),
                "texts": self._survey_texts(), "pages": pages}
        return Draft(SOURCE, data, self.problems, self.notes)

    def _languages(self) -> dict[str, str]:
        mapped: dict[str, str] = {}
        for lss in self.survey.languages:
            ours = _language(lss)
            if ours is None:
                self.problems.append(Problem(_("languages"), _("LimeSurvey language “%(code)s” is not known; its "
                                                               "texts are left out.", code=lss)))
            elif ours in mapped.values():
                self.notes.append(_("LimeSurvey language “%(code)s” left out: its texts would be read as "
                                    "“%(ours)s”, which the file has already.", code=lss, ours=ours))
            else:
                if ours != lss:
                    self.notes.append(_("LimeSurvey language “%(code)s” read as “%(ours)s”.", code=lss, ours=ours))
                mapped[lss] = ours
        if not mapped:
            raise lss_file.NotLimeSurvey(_("This LimeSurvey file has no language surveyapp knows."))
        return mapped

    def _titles(self) -> dict[str, str]:
        return self._texts({lang: texts.get("title", "") for lang, texts in self.survey.texts.items()}, line=True)

    def _survey_texts(self) -> dict[str, dict[str, str]]:
        where = _("survey texts")
        intro = {lang: "\n\n".join(part for part in (lss_text.plain(texts.get("description")),
                                                     lss_text.plain(texts.get("welcome"))) if part)
                 for lang, texts in self.survey.texts.items()}
        end = {lang: lss_text.plain(texts.get("end")) for lang, texts in self.survey.texts.items()}
        return {"intro": self._texts(intro, where=where, pipes=False, html=False),
                "thanks": self._texts(end, where=where, pipes=False, html=False)}

    # --- pages ---
    def _page(self, group: lss_file.Group, number: int) -> dict:
        earlier = dict(self.emitted)
        name = _("group “%(name)s”", name=self._base(group.texts).get("name", group.gid))
        page = {"title": self._texts({lang: t.get("name", "") for lang, t in group.texts.items()}, line=True),
                "items": []}
        condition = self._condition(group.relevance, name, earlier, _("the page is shown to everyone"))
        if condition:
            page["condition"] = condition
        description = self._texts({lang: t.get("description", "") for lang, t in group.texts.items()},
                                  where=name, known=earlier)
        for question in group.questions:
            item = self._item(question)
            if item:
                page["items"].append(item)
        if page["items"] and any(description.values()):  # a group's description heads its page
            page["items"].insert(0, {"code": self._claim(f"page{number}_text"), "type": "display",
                                     "texts": {"label": description}})
        return page

    # --- items ---
    def _item(self, question: lss_file.Question) -> dict | None:
        where = _("question %(code)s", code=question.title)
        try:
            shape = lss_questions.shape(question)
        except Unsupported as refused:
            self.left_out.add(question.title)
            self.problems.append(Problem(where, str(refused.reason)))
            return None
        known = dict(self.emitted)
        texts = self._item_texts(question, where, known)
        if shape.type == "display" and not any(texts["label"].values()):
            self.left_out.add(question.title)
            self.problems.append(Problem(where, _("nothing of its text is left to show; the text is left out.")))
            return None
        code = self._claim(question.title)
        item = {"code": code, "type": shape.type, "required": question.mandatory == "Y" and shape.type != "display",
                "settings": dict(shape.settings), "texts": texts}
        if shape.options:
            item["options"] = [{"code": c.code, "label": self._choice_label(c, where, known)}
                               for c in shape.options]
        rows = {}
        if not shape.rows:
            self._unfiltered(question, where)
        else:
            item["rows"] = self._rows(question, shape, where, known)
            rows = {row.lss: f"{code}_{row.code}" for row in shape.rows}
        condition = self._condition(question.relevance, where, known, _("the question is shown to everyone"))
        if condition:
            item["condition"] = condition
        self.problems += [Problem(where, str(reason)) for reason in shape.problems]
        options = {c.lss: c.code for c in shape.options} if shape.type in FILTERING else {}
        self.taken.update(_part_codes(code, shape))
        self.emitted[question.title] = _Emitted(code, shape, rows, options)
        return item

    def _item_texts(self, question, where: str, known: dict) -> dict:
        texts = {"label": self._texts({lang: t.get("question", "") for lang, t in question.texts.items()},
                                      where=where, known=known)}
        helps = self._texts({lang: t.get("help", "") for lang, t in question.texts.items()}, where=where,
                            known=known)
        if any(helps.values()):
            texts["help"] = helps
        neutral = question.attributes.get("other_replace_text")  # LimeSurvey 2 may keep it for every language
        other = question.localised.get("other_replace_text") or (neutral and dict.fromkeys(self.languages, neutral))
        if other and question.other == "Y":
            worded = self._texts(other, where=where, known=known, line=True)
            if any(worded.values()):
                texts["other_label"] = worded
        return texts

    def _rows(self, question, shape: Shape, where: str, known: dict) -> list[dict]:
        rows = [{"code": row.code, "label": self._choice_label(row, where, known)} for row in shape.rows]
        source, exclude = (question.attributes.get("array_filter", "").strip(),
                           question.attributes.get("array_filter_exclude", "").strip())
        for name, negate in ((source, False), (exclude, True)):
            if name:
                self._filter_rows(rows, shape, name, negate, where, known)
        return rows

    def _unfiltered(self, question, where: str) -> None:
        """An array filter on a question without rows would filter its options: surveyapp cannot."""
        for attribute in ("array_filter", "array_filter_exclude"):
            source = question.attributes.get(attribute, "").strip()
            if source:
                self.problems.append(Problem(where, _("its array filter on “%(source)s” is left out: options "
                                                      "cannot be filtered, only a matrix's rows.", source=source)))

    def _filter_rows(self, rows: list[dict], shape: Shape, name: str, negate: bool, where: str,
                     known: dict) -> None:
        """Array filter: a row is shown only when the option of the same code is chosen in an earlier multiple
        choice, or ranked in an earlier ranking (`negate`: only when it is not)."""
        emitted = known.get(name)
        if emitted is None or emitted.shape.type not in FILTERING:
            self.problems.append(Problem(where, _("its array filter on “%(source)s” is left out: it must name an "
                                                  "earlier multiple choice or ranking that was imported.",
                                                  source=name)))
            return
        for row, choice in zip(rows, shape.rows, strict=True):
            option = emitted.options.get(choice.lss)
            if option:
                chosen = (f"selected({emitted.code}, '{option}')" if emitted.shape.type == "multiple"
                          else f"answered({emitted.code}_{option})")  # the ranking's part for the option
                condition = f"not {chosen}" if negate else chosen
                row["condition"] = f"{row['condition']} and {condition}" if row.get("condition") else condition

    # --- texts ---
    def _texts(self, by_lss: dict[str, str], *, where: str | None = None, known: dict | None = None,
               pipes: bool = True, html: bool = True, line: bool = False) -> dict[str, str]:
        """Texts by our language (a language the file leaves empty takes the base language's text), plain,
        with pipes rewritten; what could not be piped is reported under `where`."""
        base = by_lss.get(next(iter(self.languages)), "")
        texts = {}
        for lss, ours in self.languages.items():
            text = by_lss.get(lss) or base
            text = lss_text.plain(text) if html else text
            text = " ".join(text.split()) if line else text
            if "{" in text:
                text = self._piped(text, where or _("survey texts"), known if pipes else None)
            texts[ours] = text
        return texts

    def _piped(self, text: str, where: str, known: dict | None) -> str:
        text, dropped = lss_text.pipes(text, lambda name: self._pipe(name, known or {}))
        if dropped:
            shown = list(dict.fromkeys(expression[:60] for expression in dropped))
            listed = ", ".join(shown[:MAX_LISTED]) + (" …" if len(shown) > MAX_LISTED else "")
            problem = Problem(where, _("%(expressions)s left out of its text: a text shows only an earlier "
                                       "question's answer, as {code}.", expressions=listed))
            if problem not in self.problems:
                self.problems.append(problem)
        return text

    def _pipe(self, name: str, known: dict) -> str | None:
        """The item code a `{name}` shows: an earlier question's answer, a matrix row's, an "other" text."""
        title, sub = self._split(name)
        emitted = known.get(title)
        if emitted is None:
            return None
        if sub is None:
            return emitted.code if emitted.shape.type not in ("display", "matrix", "ranking") else None
        if sub == "other" and emitted.shape.settings.get("other"):
            return f"{emitted.code}_other_text" if emitted.shape.type == "multiple" else f"{emitted.code}_other"
        return emitted.rows.get(sub)

    def _choice_label(self, choice: Choice, where: str, known: dict) -> dict[str, str]:
        if choice.texts is None:
            label = {}
            for ours in self.languages.values():
                with in_language(ours):
                    label[ours] = str(choice.fixed)
            return label
        labels = self._texts(choice.texts, where=where, known=known, line=True)
        return {lang: label or choice.lss for lang, label in labels.items()}  # a row needs a text: its code

    def _base(self, texts: dict) -> dict:
        return texts.get(next(iter(self.languages))) or next(iter(texts.values()), {})

    # --- conditions ---
    def _condition(self, equation: str, where: str, known: dict, fallback: str) -> str | None:
        try:
            return translate(equation, lambda name: self._target(name, known))
        except Untranslatable as refused:
            self.problems.append(Problem(where, _("its condition “%(equation)s” is left out (%(why)s), so "
                                                  "%(fallback)s.", equation=equation.strip()[:300],
                                                  why=str(refused.reason).rstrip("."), fallback=fallback)))
            return None

    def _target(self, name: str, known: dict) -> Target:
        """What a name in an equation reads: a question, a multiple choice's option or a matrix row."""
        title, sub = self._split(name)
        emitted = known.get(title)
        if emitted is None:
            raise Untranslatable(self._why_unknown(title or name))
        shape = emitted.shape
        if sub is None:
            if shape.type in ("display", "matrix", "ranking"):
                raise Untranslatable(_("%(code)s takes no answer of its own", code=title))
            return Target(emitted.code, shape.values, multi=shape.type == "multiple")
        if sub in emitted.options and shape.type == "multiple":  # a ranking's q_1 is its first rank, no option
            return Target(emitted.code, choice=emitted.options[sub])
        if sub in emitted.rows:
            return Target(emitted.rows[sub], shape.row_values)
        if sub == "other" and shape.settings.get("other"):
            return Target(emitted.code, choice="other") if shape.type == "multiple" else Target(
                f"{emitted.code}_other")
        raise Untranslatable(_("“%(name)s” names no part of %(code)s", name=name, code=title))

    def _split(self, name: str) -> tuple[str, str | None]:
        """`q`, `q_sq` or SGQA `123X4X56sq` -> (question code, subquestion code or None)."""
        sgqa = _SGQA.fullmatch(name)
        if sgqa:
            question = self.by_qid.get(sgqa.group(1))
            return (question.title if question else name), (sgqa.group(2) or None)
        if name in self.by_title:
            return name, None
        for at in [match.start() for match in re.finditer("_", name)]:
            if name[:at] in self.by_title:
                return name[:at], name[at + 1:]
        return name, None

    def _why_unknown(self, title: str) -> str:
        if title in self.left_out:
            return _("it reads %(code)s, which is left out", code=title)
        if title in self.by_title:
            return _("it reads %(code)s, which is not asked before it", code=title)
        return _("%(code)s is no question of the survey", code=title)

    # --- codes ---
    def _claim(self, title: str) -> str:
        """An item code from a LimeSurvey code, unique among the codes (and part codes) so far."""
        base = _CODE_CHARS.sub("_", title.lower()).strip("_")[:CODE_WIDTH] or "q"
        base = base if base[0].isalpha() else f"q{base}"[:CODE_WIDTH]
        code, number = base, 1
        while code in self.taken or any(other.startswith(code + "_") for other in self.taken):
            number += 1
            code = f"{base[:CODE_WIDTH - len(str(number)) - 1]}_{number}"
        self.taken.add(code)
        return code


def _part_codes(code: str, shape: Shape) -> list[str]:
    """The codes the builder will give the item's parts: matrix rows, ranked options, "other" texts."""
    parts = [f"{code}_{row.code}" for row in shape.rows]
    if shape.type == "ranking":
        parts += [f"{code}_{option.code}" for option in shape.options]
    if shape.settings.get("other"):
        parts += [f"{code}_other", f"{code}_other_text"]
    return parts


def _language(lss: str) -> str | None:
    """A LimeSurvey language code as ours: `pt-BR` -> `pt_BR`, a variant (`de-informal`) -> `de`."""
    base, _sep, variant = lss.partition("-")
    base = base.lower()
    if _REGION.fullmatch(variant):
        regional = f"{base}_{variant}"
        if LANG_PATTERN.match(regional) and is_known_language(regional):
            return regional
    return base if LANG_PATTERN.match(base) and is_known_language(base) else None
