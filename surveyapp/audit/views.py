"""Admin view of the audit trail: /admin/audit (admins only)."""
from flask import Blueprint

from surveyapp.audit import models  # noqa: F401  (registers the table with the metadata)

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
