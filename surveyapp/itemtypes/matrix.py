"""Matrix: several rows sharing one scale; each row is a part (an item of the scale's type) answered,
exported and reported as an item of its own. The matrix itself holds the question and the shared scale.

The scale is a setting: a Likert scale (its points and end labels as for a Likert item), the 0–10 scale, or
the matrix's own options (each row is then a single choice of them). questionnaires.parts copies the scale to
every row whenever the matrix changes, so a row never needs its matrix to be understood: reports, exports,
indicators and display conditions read rows as the items they are. The rows themselves are listed by the
manager, one per line (`rows`, not stored as a setting: the parts are the rows).
"""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from surveyapp.errors import DomainError
from surveyapp.itemtypes.base import SCALE_ENDS, ItemType, PartShape, SettingsPart, Statistic, register
from surveyapp.itemtypes.likert import POINTS, Likert

# the matrix's scale -> the type of its rows
ROW_TYPES = {"likert": "likert", "scale10": "scale10", "options": "single"}
SCALE_LABELS = {"likert": _l("Likert scale (5 or 7 points)"), "scale10": _l("0–10 scale"),
                "options": _l("The matrix's own options (added below once saved)")}
MAX_ROWS = 60

MATRIX = SettingsPart(_l("Matrix settings"), {
    "scale": SelectField(_l("Matrix: scale shared by every row"), default="likert",
                         choices=[SelectChoice(code, label) for code, label in SCALE_LABELS.items()]),
    "rows": TextAreaField(_l("Matrix: rows, one per line"), validators=[Optional(), Length(max=20000)],
                          render_kw={"rows": 6},
                          description=_l("One row per line, e.g. “Library”. To set a row's code, write it "
                                         "first: “library = Library”. Codes are suggested otherwise and stay "
                                         "when a row is reworded or moved.")),
})


@register
class Matrix(ItemType):
    code = "matrix"
    label = _l("Matrix (rows sharing one scale)")
    description = _l("Several statements rated on one shared scale, shown as a grid (stacked on a phone).")
    widget = "matrix"
    has_options = True  # the scale's choices when `scale` is "options"
    answered = False
    composite = True
    statistics = (Statistic.GRID,)
    defaults = {"scale": "likert", "points": POINTS[0]}
    settings_parts = (MATRIX, Likert.settings_parts[0], SCALE_ENDS)
    part_keys = ("rows",)

    def check_settings(self, settings):
        settings = super().check_settings(settings)
        if settings.get("scale", "likert") not in ROW_TYPES:
            raise DomainError(_l("Unknown scale for a matrix."))
        if settings.get("points", POINTS[0]) not in POINTS:
            raise DomainError(_l("A Likert scale has 5 or 7 points."))
        return settings

    def field(self, item, lang):
        return None

    def needs_options(self, item):
        return self.row_type(item) == "single"

    def row_type(self, item) -> str:
        return ROW_TYPES[item.settings.get("scale", self.defaults["scale"])]

    def part_shape(self, item):
        """Each row is an item of the scale's type with the matrix's scale settings, end labels or options."""
        row_type = self.row_type(item)
        settings = {"points": int(item.settings.get("points", POINTS[0]))} if row_type == "likert" else {}
        texts = {}
        if row_type != "single":
            for row in item.texts:
                if row.key in SCALE_ENDS.text_keys:
                    texts.setdefault(row.key, {})[row.lang] = row.text
        options = [(option.code, {text.lang: text.text for text in option.texts if text.key == "label"})
                   for option in item.options] if row_type == "single" else []
        return PartShape(row_type, settings, texts, options, required=item.required)
