"""Uploaded files kept between the preview and the confirmation: on the server, by a random token, briefly.

The confirmation names the token only; the file's bytes are read again from here and read again into a
draft, so nothing the browser sends back about the draft is trusted. A token belongs to the user who
uploaded (another user's token is unknown to them) and lapses after LIFETIME; lapsed files are removed
whenever a file is kept. The folder is IMPORT_FOLDER (default: the instance folder's "imports"), so every
worker of one host shares it.
"""
import json
import re
import secrets
import time
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from surveyapp.errors import DomainError

LIFETIME = 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


class Lapsed(DomainError):
    status_code = 410


def _folder() -> Path:
    folder = Path(current_app.config.get("IMPORT_FOLDER") or Path(current_app.instance_path) / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(data: bytes, filename: str, user_id: int) -> str:
    """Keep the upload; the token that finds it again."""
    folder = _folder()
    _remove_lapsed(folder)
    token = secrets.token_urlsafe(32)
    (folder / f"{token}.bin").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"user": user_id, "filename": filename[:200],
                                                      "kept": time.time()}))
    return token


def fetch(token: str, user_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of the user's upload; Lapsed if unknown, someone else's or too old."""
    lapsed = Lapsed(_l("This upload has lapsed (uploads are kept for an hour). Please upload the file again."))
    if not TOKEN.fullmatch(token or ""):
        raise lapsed
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        raise lapsed from None
    if meta.get("user") != user_id or time.time() - meta.get("kept", 0) > LIFETIME:
        raise lapsed
    return meta.get("filename", ""), data


def claim(token: str, user_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of the upload, taken for one confirmation: the file is renamed, which only one of
    several confirmations at once (a double click) achieves; the others are told it is used (410). The
    winner `discard`s it when created, or `release`s it when refused, so the form can be sent again."""
    filename, data = fetch(token, user_id)
    folder = _folder()
    try:
        (folder / f"{token}.bin").rename(folder / f"{token}.claimed")
    except OSError:
        raise Lapsed(_l("This upload is being imported or has been imported already: see the "
                        "questionnaires list.")) from None
    return filename, data


def release(token: str) -> None:
    """Give a claimed upload back (its confirmation was refused)."""
    if TOKEN.fullmatch(token or ""):
        (_folder() / f"{token}.claimed").rename(_folder() / f"{token}.bin")


def discard(token: str) -> None:
    if TOKEN.fullmatch(token or ""):
        for suffix in (".bin", ".json", ".claimed"):
            (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _remove_lapsed(folder: Path) -> None:
    now = time.time()
    for path in folder.glob("*.json"):
        try:
            if now - json.loads(path.read_text()).get("kept", 0) > LIFETIME:
                discard(path.stem)
        except (OSError, ValueError):
            continue
