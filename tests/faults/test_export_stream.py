"""A worker killed (or an export failing) mid-stream: the client must see an incomplete transfer, never a
shorter CSV that looks complete.

A real gunicorn (one sync worker, loopback port, the test database) serves the app; the export is read with a
raw socket so the chunked framing itself is checked: a complete body ends with the terminating chunk
`0\\r\\n\\r\\n`; a failed one must not.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from surveyapp.accounts.models import Role
from surveyapp.respond import service as respond
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
RESPONSES = 30


@pytest.fixture(scope="module")
def gunicorn(_schema, tmp_path_factory):
    control = tmp_path_factory.mktemp("gunicorn")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "FAULTS_DATABASE_URL": _schema, "FAULTS_CONTROL_DIR": str(control)}
    env.pop("DATABASE_URL", None)
    log = (control / "gunicorn.log").open("wb")
    master = subprocess.Popen(  # noqa: S603 - our own fixed command line
        [str(GUNICORN), "-w", "1", "-b", f"127.0.0.1:{port}", "--timeout", "120", "--graceful-timeout", "5",
         "tests.faults.gunicorn_app:create()"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            break
        except OSError:
            assert master.poll() is None and time.monotonic() < deadline, (control / "gunicorn.log").read_text()
            time.sleep(0.2)
    yield {"port": port, "control": control, "log": control / "gunicorn.log"}
    master.send_signal(signal.SIGTERM)
    try:
        master.wait(timeout=30)
    except subprocess.TimeoutExpired:
        master.kill()
        master.wait()
    log.close()


class RawHttp:
    """HTTP/1.1 over a plain socket: the bytes as they arrive, nothing hidden by a client library."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: str = "", headers: dict | None = None) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        lines = [f"{method} {path} HTTP/1.1", "Host: localhost", "Connection: close"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n" + body).encode())
        return sock

    def read_head(self, sock: socket.socket) -> tuple[int, dict, bytes]:
        data = b""
        while b"\r\n\r\n" not in data:
            more = sock.recv(65536)
            assert more, "connection closed before the headers"
            data += more
        head, rest = data.split(b"\r\n\r\n", 1)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, value = line.split(":", 1)
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        for cookie in headers.get("set-cookie", []):
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return int(status_line.split()[1]), headers, rest

    def fetch(self, method: str, path: str, body: str = "", headers: dict | None = None):
        sock = self.request(method, path, body, headers)
        with sock:
            status, head, rest = self.read_head(sock)
            return status, head, rest + read_to_end(sock)

    def login(self, email: str) -> None:
        from urllib.parse import urlencode

        _status, _head, page = self.fetch("GET", "/login")
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1).decode()
        status, _head, _body = self.fetch("POST", "/login", urlencode(
            {"email": email, "password": PASSWORD, "csrf_token": token}))
        assert status == 302, "login failed"


def read_to_end(sock: socket.socket) -> bytes:
    data = b""
    while True:
        try:
            more = sock.recv(65536)
        except ConnectionResetError:
            return data
        if not more:
            return data
        data += more


def dechunk(raw: bytes) -> tuple[bytes, bool]:
    """The body of a chunked transfer and whether it ended properly (with the terminating zero chunk)."""
    body, rest = b"", raw
    while True:
        line, sep, rest = rest.partition(b"\r\n")
        if not sep:
            return body, False
        size = int(line.split(b";")[0], 16)
        if size == 0:
            return body, rest.startswith(b"\r\n")  # no trailers: the zero chunk, then the final CRLF
        if len(rest) < size + 2:
            return body + rest[:size], False
        body, rest = body + rest[:size], rest[size + 2:]


@pytest.fixture
def export(db, make):
    """A questionnaire with RESPONSES submitted responses, and a manager's export URL for it."""
    programme = make.programme()
    questionnaire = make.questionnaire(programme, items=[("agree", "likert", True, 1, {"points": 5}, []),
                                                        ("story", "longtext", False, 1, {}, [])])
    agree, story = (item.id for item in questionnaire.items)
    for n in range(RESPONSES):
        respond.save_page(questionnaire, f"key{n}", 1, "de", {agree: [str(n % 5 + 1)], story: [f"story {n} " * 20]},
                          final=True)
    db.session.commit()
    manager = make.user(Role.MANAGER, programme)
    return f"/manage/questionnaires/{questionnaire.id}/export.csv", manager.email


def test_a_complete_export_ends_with_the_terminating_chunk(gunicorn, export):
    url, email = export
    http = RawHttp(gunicorn["port"])
    http.login(email)
    status, head, raw = http.fetch("GET", url)
    assert status == 200 and head["transfer-encoding"] == ["chunked"]
    body, complete = dechunk(raw)
    assert complete and body.decode("utf-8-sig").count("\n") == RESPONSES + 1  # the detector sees a good one


@pytest.mark.parametrize("gzip", [False, True], ids=["plain", "gzip"])
def test_an_export_failing_half_way_is_not_terminated_cleanly(gunicorn, export, gzip):
    url, email = export
    http = RawHttp(gunicorn["port"])
    http.login(email)
    headers = {"X-Fault": "raise", **({"Accept-Encoding": "gzip"} if gzip else {})}
    status, head, raw = http.fetch("GET", url, headers=headers)
    assert status == 200 and head["transfer-encoding"] == ["chunked"]
    _body, complete = dechunk(raw)
    assert not complete, "a failed export ended like a complete one"


def test_a_worker_killed_mid_export_leaves_an_incomplete_transfer(gunicorn, export):
    url, email = export
    http = RawHttp(gunicorn["port"])
    http.login(email)
    paused = gunicorn["control"] / "paused"
    paused.unlink(missing_ok=True)
    sock = http.request("GET", url, headers={"X-Fault": "pause"})
    with sock:
        status, head, first = http.read_head(sock)
        assert status == 200 and head["transfer-encoding"] == ["chunked"]
        deadline = time.monotonic() + 60
        while not paused.exists():
            assert time.monotonic() < deadline, "the export never reached the pause"
            time.sleep(0.05)
        os.kill(int(paused.read_text()), signal.SIGKILL)  # the worker gunicorn started for this test
        raw = first + read_to_end(sock)
    body, complete = dechunk(raw)
    assert body.startswith("\ufeff".encode())  # the first chunk (header row with the BOM) did arrive
    assert not complete, "the client could not tell the killed export from a complete one"



@pytest.mark.parametrize("suffix", ["export.xlsx", "export.sav"])
def test_file_exports_are_framed_so_a_cut_connection_shows(gunicorn, export, suffix):
    """XLSX and SPSS are written whole to a temporary file before the first byte goes out. send_file gives
    no Content-Length for that handle, so gunicorn sends them chunked: a killed worker leaves the transfer
    without its terminating chunk, as for the CSV. (An HTTP/1.0 client would get a close-delimited body.)"""
    url, email = export
    http = RawHttp(gunicorn["port"])
    http.login(email)
    status, head, raw = http.fetch("GET", url.replace("export.csv", suffix))
    assert status == 200
    if "content-length" in head:
        assert len(raw) == int(head["content-length"][0])
    else:
        assert head["transfer-encoding"] == ["chunked"] and dechunk(raw)[1]
