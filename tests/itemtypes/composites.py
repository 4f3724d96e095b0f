"""A questionnaire with a matrix and a ranking (worded in de, en, ar), and answering it through the public page:
shared by the matrix and ranking tests of item types, exports and reports."""
from surveyapp.questionnaires import parts
from surveyapp.questionnaires import service as builder
from surveyapp.questionnaires.models import Status
from tests.conftest import hidden_fields

ROWS = {"de": "library = Bibliothek\nbus = Busse", "en": "library = Library\nbus = Buses",
        "ar": "library = مكتبة\nbus = حافلات"}
MODES = ["bike", "bus", "car"]


def youth_survey(make, programme=None, *, scale="likert", options=(), required=True, ranking=False,
                 ranking_settings=None):
    """An open questionnaire: matrix `services` (rows library, bus), then ranking `modes` (bike, bus, car) if
    asked for. Only the default language's rows come with the item; the others are set as a translator would."""
    items = [("services", "matrix", required, 1, {"scale": scale, "points": 5, "rows": ROWS["de"]}, list(options))]
    if ranking:
        items.append(("modes", "ranking", required, 1, ranking_settings or {}, MODES))
    questionnaire = make.questionnaire(programme, languages=("de", "en", "ar"), status=Status.DRAFT, items=items)
    for lang in ("en", "ar"):
        parts.sync(questionnaire.items[0], {"rows": ROWS[lang]}, lang)
    builder.set_item_texts(questionnaire.items[0], "en", {"low": "bad", "high": "great"})
    builder.set_item_texts(questionnaire.items[0], "de", {"low": "schlecht", "high": "super"})
    builder.set_item_texts(questionnaire.items[0], "ar", {"low": "سيئ", "high": "ممتاز"})
    builder.set_status(questionnaire, Status.OPEN)
    make.db.session.commit()
    return questionnaire


def post_answers(client, questionnaire, answers: dict, *, lang="en"):
    """Open the public page and submit `answers` ({"services_library": "4", ...}): the response."""
    page = client.get(f"/s/{questionnaire.slug}?lang={lang}")
    assert page.status_code == 200
    data = {f"q_{code}": value for code, value in answers.items()}
    return client.post(f"/s/{questionnaire.slug}", data={**hidden_fields(page.get_data(as_text=True)), **data,
                                                         "nav": "submit"})
