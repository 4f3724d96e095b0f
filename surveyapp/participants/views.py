"""Staff pages for sessions and participants; the public self-enrolment page."""
from flask import Blueprint

from surveyapp.participants import models  # noqa: F401  (tables known to the metadata)

bp = Blueprint("participants", __name__)
