"""Uploaded files waiting for their import to be confirmed: kept on the server under a random token.

Between the upload, the mapping step, the preview and the confirmation the file stays here (the instance
folder, never the browser): each step reads the same bytes again and plans anew, so what is confirmed is what
was previewed, and nothing a browser sends back can change the plan but the mapping, which is checked again.
A staged file belongs to one questionnaire and the person who uploaded it, and is gone after STAGED_SECONDS.
"""
import json
import os
import re
import secrets
import time
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from surveyapp.errors import Gone

STAGED_SECONDS = 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")


@dataclass
class Staged:
    token: str
    questionnaire_id: int
    user_id: int
    filename: str
    wave: str | None
    mapping: dict[str, str] = field(default_factory=dict)


def folder(instance_path: str) -> str:
    path = os.path.join(instance_path, "response_imports")
    os.makedirs(path, exist_ok=True)
    return path


def stage(instance_path: str, questionnaire_id: int, user_id: int, filename: str, data: bytes,
          wave: str | None, now: float | None = None) -> Staged:
    """Keep `data` under a new token (and clear what has expired); the token names it from now on."""
    base = folder(instance_path)
    sweep(base, now)
    staged = Staged(secrets.token_urlsafe(16), questionnaire_id, user_id, os.path.basename(filename), wave)
    with open(os.path.join(base, f"{staged.token}.data"), "wb") as handle:
        handle.write(data)
    save(instance_path, staged)
    return staged


def save(instance_path: str, staged: Staged) -> None:
    with open(os.path.join(folder(instance_path), f"{staged.token}.json"), "w", encoding="utf-8") as handle:
        json.dump(staged.__dict__, handle)


def load(instance_path: str, token: str, questionnaire_id: int, user_id: int,
         now: float | None = None) -> tuple[Staged, bytes]:
    """The staged file of this questionnaire and person; Gone when unknown, foreign or expired."""
    gone = Gone(_l("This upload has expired or is unknown. Please upload the file again."))
    if not _TOKEN.fullmatch(token or ""):
        raise gone
    base = folder(instance_path)
    meta_path, data_path = (os.path.join(base, f"{token}.{suffix}") for suffix in ("json", "data"))
    try:
        if (now or time.time()) - os.path.getmtime(data_path) > STAGED_SECONDS:
            raise gone
        with open(meta_path, encoding="utf-8") as handle:
            staged = Staged(**json.load(handle))
        with open(data_path, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError, TypeError):
        raise gone from None
    if (staged.questionnaire_id, staged.user_id) != (questionnaire_id, user_id):
        raise gone
    return staged, data


def discard(instance_path: str, token: str) -> None:
    for suffix in ("json", "data"):
        try:
            os.remove(os.path.join(folder(instance_path), f"{token}.{suffix}"))
        except OSError:
            pass


def sweep(base: str, now: float | None = None) -> None:
    """Remove staged files older than STAGED_SECONDS."""
    limit = (now or time.time()) - STAGED_SECONDS
    for name in os.listdir(base):
        path = os.path.join(base, name)
        try:
            if os.path.getmtime(path) < limit:
                os.remove(path)
        except OSError:
            pass
