"""Outcome pathways: the stages an item can be tagged with, by pathway model.

The default is the logic model (activity → output → short-term outcome → long-term outcome); PHINEO's
Wirkungstreppe has seven steps (1–3 outputs, 4–6 outcomes, 7 impact). A report warns where a pathway has
outcome data but no output data.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

DEFAULT = "logic_model"


@dataclass(frozen=True)
class Stage:
    code: str
    label: object  # a lazy string
    kind: str  # "activity", "output", "outcome" or "impact"


PATHWAYS: dict[str, tuple[object, tuple[Stage, ...]]] = {
    "logic_model": (_l("Logic model"), (
        Stage("activity", _l("Activity"), "activity"),
        Stage("output", _l("Output"), "output"),
        Stage("short_term", _l("Short-term outcome"), "outcome"),
        Stage("long_term", _l("Long-term outcome"), "outcome"),
    )),
    "phineo": (_l("PHINEO impact staircase (Wirkungstreppe)"), (
        Stage("phineo_1", _l("1 Activities take place as planned"), "output"),
        Stage("phineo_2", _l("2 Target groups are reached"), "output"),
        Stage("phineo_3", _l("3 Target groups accept the offer"), "output"),
        Stage("phineo_4", _l("4 Target groups change awareness or skills"), "outcome"),
        Stage("phineo_5", _l("5 Target groups change their behaviour"), "outcome"),
        Stage("phineo_6", _l("6 The target groups' situation changes"), "outcome"),
        Stage("phineo_7", _l("7 Society changes"), "impact"),
    )),
}


def stages(pathway: str | None) -> tuple[Stage, ...]:
    """The stages of a programme's pathway model, in order (the default model for None or an unknown one)."""
    return PATHWAYS.get(pathway or DEFAULT, PATHWAYS[DEFAULT])[1]


def stage(pathway: str | None, code: str | None) -> Stage | None:
    return next((s for s in stages(pathway) if s.code == code), None)
