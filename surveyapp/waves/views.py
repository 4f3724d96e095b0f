"""Staff pages for the wave plan and dashboard; the personal link /i/<token>."""

from flask import Blueprint

from surveyapp.waves import models  # noqa: F401

bp = Blueprint("waves", __name__)
