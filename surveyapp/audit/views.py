"""Admin view of the audit trail: /admin/audit (admins only), filtered and paged, and its CSV export."""
import csv
import io
from collections.abc import Iterator

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user, login_required

from surveyapp.audit import queries, trail
from surveyapp.audit.forms import FilterForm
from surveyapp.exports.formats import neutralise
from surveyapp.web import stream_in_app_context

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.record_once
def _install_hooks(state) -> None:
    trail.init_app(state.app)


def _admin_filters() -> FilterForm:
    if not current_user.is_admin:
        abort(403)
    return FilterForm(request.args)


@bp.get("/")
@login_required
def events():
    form = _admin_filters()
    if not form.validate():
        return render_template("audit/events.html", form=form, events=[], pages=1, number=1), 422
    events, pages = queries.page(form.filters(), form.page.data or 1)
    return render_template("audit/events.html", form=form, events=events, pages=pages,
                           number=min(form.page.data or 1, pages))


@bp.get("/export.csv")
@login_required
def export():
    form = _admin_filters()
    if not form.validate():
        abort(422)
    return Response(stream_in_app_context(_csv(queries.rows(form.filters()))), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit-trail.csv"'})


def _csv(rows: Iterator[tuple], chunk_rows: int = 500) -> Iterator[bytes]:
    """UTF-8 with BOM (Excel); every text cell formula-neutralised (actor, target and detail come from users)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(queries.CSV_COLUMNS)
    encoding = "utf-8-sig"
    for number, row in enumerate(rows, 1):
        writer.writerow([neutralise(value) for value in row])
        if number % chunk_rows == 0:
            yield buffer.getvalue().encode(encoding)
            buffer.seek(0)
            buffer.truncate()
            encoding = "utf-8"
    yield buffer.getvalue().encode(encoding)
