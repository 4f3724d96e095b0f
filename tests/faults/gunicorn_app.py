"""The app as gunicorn serves it, for the export fault tests, with one hook: the streamed CSV export does what
the request's X-Fault header says after its first chunk: "raise" (the generator fails), "pause" (it writes
its pid to FAULTS_CONTROL_DIR/paused and waits there, to be killed), anything else: nothing.

    gunicorn 'tests.faults.gunicorn_app:create()'   with FAULTS_DATABASE_URL and FAULTS_CONTROL_DIR set
"""
import os
import time
from pathlib import Path

from flask import request

from surveyapp import create_app
from surveyapp.exports import formats


def create():
    real = formats.csv_chunks
    control = Path(os.environ["FAULTS_CONTROL_DIR"])

    def csv_chunks(frames, columns=None):
        return _faulty(real(frames, columns), request.headers.get("X-Fault", ""), control)

    formats.csv_chunks = csv_chunks
    return create_app({"SQLALCHEMY_DATABASE_URI": os.environ["FAULTS_DATABASE_URL"], "SECRET_KEY": "test-secret",
                       "PUBLIC_BASE_URL": "http://localhost"})


def _faulty(chunks, fault: str, control: Path):
    yield next(chunks)
    if fault == "raise":
        raise RuntimeError("the export failed half-way (fault test)")
    if fault == "pause":
        (control / "paused").write_text(str(os.getpid()))
        deadline = time.monotonic() + 120  # the test kills us long before; never hang a worker for good
        while time.monotonic() < deadline:
            time.sleep(0.05)
    yield from chunks
