"""A LimeSurvey survey file (.lss) read safely into plain records: the survey, its groups and questions.

The XML is parsed with defusedxml: a document type declaration with entities (the "billion laughs"
bomb) or an external entity is refused before anything is expanded or fetched. Files of LimeSurvey 2 and 3
carry a `language` column on every text row; files of LimeSurvey 4 and later keep the texts apart
(`question_l10ns`, `answer_l10ns`, `group_l10ns`). Both are read into the same records, texts keyed by the
file's own language codes (`de-informal`); limesurvey.py maps them to questionnaire languages.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError

MIN_DB_VERSION = 145  # LimeSurvey 2.0; older files have another layout
MAX_DB_VERSION = 999  # LimeSurvey 6 writes 6xx; a layout we have never seen is refused, not guessed at
MAX_BYTES = 20_000_000


class NotLimeSurvey(DomainError):
    """Not a LimeSurvey survey file we can read (not XML, unsafe XML, another export, an unknown version)."""

    status_code = 422


@dataclass
class Answer:
    code: str
    scale: int
    order: int
    texts: dict[str, str] = field(default_factory=dict)  # LimeSurvey language -> label


@dataclass
class Question:
    qid: str
    gid: str
    type: str
    title: str  # the question's code
    mandatory: str
    other: str
    relevance: str
    preg: str
    order: int
    scale: int = 0
    parent: str = "0"  # a subquestion's question
    has_default: bool = False  # LimeSurvey fills in a default answer
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> {"question": …, "help": …}
    attributes: dict[str, str] = field(default_factory=dict)  # language-neutral
    localised: dict[str, dict[str, str]] = field(default_factory=dict)  # attribute -> language -> value
    subquestions: list["Question"] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)


@dataclass
class Group:
    gid: str
    order: int
    relevance: str
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> {"name": …, "description": …}
    questions: list[Question] = field(default_factory=list)


@dataclass
class Survey:
    languages: list[str]  # the base language first
    texts: dict[str, dict[str, str]]  # language -> {"title", "description", "welcome", "end"}
    groups: list[Group]


def load(data: bytes) -> Survey:
    """The survey in `data`; NotLimeSurvey for anything else."""
    root = _root(data)
    if root.tag != "document" or (root.findtext("LimeSurveyDocType") or "").strip() != "Survey":
        raise NotLimeSurvey(_l("This is not a LimeSurvey survey file (.lss): it has no "
                               "<LimeSurveyDocType>Survey</LimeSurveyDocType>."))
    version = (root.findtext("DBVersion") or "").strip()
    if not version.isdigit() or not MIN_DB_VERSION <= int(version) <= MAX_DB_VERSION:
        raise NotLimeSurvey(_l("This LimeSurvey file's version (DBVersion %(version)s) is not supported: "
                               "please export it from LimeSurvey 2.0 or later.", version=version or "?"))
    return _Reader(root).survey()


def _root(data: bytes) -> Element:
    if not isinstance(data, bytes | bytearray) or len(data) > MAX_BYTES:
        raise NotLimeSurvey(_l("This file is too large for a LimeSurvey survey file."))
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise NotLimeSurvey(_l("This file is not a LimeSurvey file or is unsafe XML: it declares entities "
                               "(which could expand without end or read other files). Nothing was "
                               "imported.")) from None
    except (ParseError, ValueError):
        raise NotLimeSurvey(_l("This file is not a LimeSurvey survey file: it is not readable XML.")) from None


class _Reader:
    def __init__(self, root: Element):
        self.root = root

    def rows(self, table: str, *keys: str) -> list[dict[str, str]]:
        """The table's rows as {field: text}; a row lacking one of `keys` (a damaged file) is passed over."""
        rows = ({cell.tag: (cell.text or "").strip() for cell in row} for row in self.root.findall(f"{table}/rows/row"))
        return [row for row in rows if all(row.get(key) for key in keys)]

    def survey(self) -> Survey:
        languages = self.languages()
        questions = self.questions(languages[0])
        groups = self.groups()
        for question in sorted(questions.values(), key=lambda q: q.order):
            if question.gid in groups:
                groups[question.gid].questions.append(question)
        return Survey(languages, self.survey_texts(), sorted(groups.values(), key=lambda g: g.order))

    def languages(self) -> list[str]:
        settings = self.rows("surveys")
        base = settings[0].get("language", "") if settings else ""
        listed = [(node.text or "").strip() for node in self.root.findall("languages/language")]
        extra = settings[0].get("additional_languages", "").split() if settings else []
        languages = [lang for lang in dict.fromkeys([base, *listed, *extra]) if lang]
        if not languages:
            raise NotLimeSurvey(_l("This LimeSurvey file names no language."))
        return languages

    def survey_texts(self) -> dict[str, dict[str, str]]:
        return {row.get("surveyls_language", ""): {
            "title": row.get("surveyls_title", ""), "description": row.get("surveyls_description", ""),
            "welcome": row.get("surveyls_welcometext", ""), "end": row.get("surveyls_endtext", ""),
        } for row in self.rows("surveys_languagesettings")}

    def groups(self) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        for row in self.rows("groups", "gid") + self.rows("group_l10ns", "gid"):
            group = groups.setdefault(row["gid"], Group(row["gid"], _number(row.get("group_order")),
                                                        row.get("grelevance", "")))
            group.relevance = group.relevance or row.get("grelevance", "")
            if "language" in row:
                group.texts[row["language"]] = {"name": row.get("group_name", ""),
                                                "description": row.get("description", "")}
        return groups

    def questions(self, base: str) -> dict[str, Question]:
        """Every question with its texts, attributes, subquestions and answers, by qid."""
        questions = self._questions("questions")
        subquestions = self._questions("subquestions")
        for sub in sorted(subquestions.values(), key=lambda q: (q.scale, q.order)):
            if sub.parent in questions:
                questions[sub.parent].subquestions.append(sub)
        self._attributes(questions)
        for answer_qid, answer in self._answers():
            if answer_qid in questions:
                questions[answer_qid].answers.append(answer)
        for question in questions.values():
            question.answers.sort(key=lambda a: (a.scale, a.order))
        for qid in self._defaults():
            if qid in questions:
                questions[qid].has_default = True
        return questions

    def _defaults(self) -> set[str]:
        """The questions with a default answer (in any language)."""
        given = {row["dvid"] for row in self.rows("defaultvalue_l10ns", "dvid", "defaultvalue")}
        return {row["qid"] for row in self.rows("defaultvalues", "qid")
                if row.get("defaultvalue") or row.get("dvid") in given}

    def _questions(self, table: str) -> dict[str, Question]:
        questions: dict[str, Question] = {}
        texts = defaultdict(dict)
        for row in self.rows("question_l10ns", "qid"):
            texts[row["qid"]][row.get("language", "")] = {"question": row.get("question", ""),
                                                          "help": row.get("help", "")}
        for row in self.rows(table, "qid"):
            question = questions.get(row["qid"])
            if question is None:
                question = _question(row)
                question.texts = texts.get(row["qid"], {})
                questions[row["qid"]] = question
            if "language" in row:
                question.texts[row["language"]] = {"question": row.get("question", ""),
                                                   "help": row.get("help", "")}
        return questions

    def _attributes(self, questions: dict[str, Question]) -> None:
        for row in self.rows("question_attributes"):
            question = questions.get(row.get("qid", ""))
            name, value, lang = row.get("attribute", ""), row.get("value", ""), row.get("language", "")
            if question is None or not value:
                continue
            if lang:
                question.localised.setdefault(name, {})[lang] = value
            else:
                question.attributes[name] = value

    def _answers(self):
        labels = defaultdict(dict)
        for row in self.rows("answer_l10ns", "aid"):
            labels[row["aid"]][row.get("language", "")] = row.get("answer", "")
        merged: dict[tuple[str, str, int], Answer] = {}
        for row in self.rows("answers", "qid"):
            key = (row["qid"], row.get("code", ""), _number(row.get("scale_id")))
            answer = merged.get(key)
            if answer is None:
                answer = merged[key] = Answer(row.get("code", ""), key[2], _number(row.get("sortorder")),
                                              dict(labels.get(row.get("aid", ""), {})))
                yield row["qid"], answer
            if "language" in row:
                answer.texts[row["language"]] = row.get("answer", "")


def _question(row: dict[str, str]) -> Question:
    return Question(row["qid"], row.get("gid", ""), row.get("type", ""), row.get("title", ""),
                    row.get("mandatory", ""), row.get("other", ""), row.get("relevance", ""), row.get("preg", ""),
                    _number(row.get("question_order")), _number(row.get("scale_id")), row.get("parent_qid", "0"))


def _number(text: str | None) -> int:
    text = (text or "").strip()
    return int(text) if text.lstrip("-").isdigit() else 0
