"""Indicator screens for managers and evaluators: define indicators and see them against their targets."""

from flask import Blueprint

from surveyapp.indicators import models  # noqa: F401  (the table belongs to the app's metadata)

bp = Blueprint("indicators", __name__, url_prefix="/manage")
