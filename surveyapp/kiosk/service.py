"""Kiosk mode: open a tablet for one questionnaire, know it again by its cookie, leave it with the staff PIN.

A kiosk serves questionnaires answered on ONE page only: the whole questionnaire is one form, so a respondent
can finish while the tablet is offline (static/js/kiosk.js queues the submission) and the server decides
conditions and required answers when it arrives. A questionnaire with more pages is refused (NotServable).
Services take the acting user and `now`, flush and never commit.
"""
import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from surveyapp.errors import DomainError
from surveyapp.extensions import db
from surveyapp.kiosk.models import KioskDevice
from surveyapp.questionnaires.lifecycle import aware
from surveyapp.questionnaires.models import Questionnaire, Status

MAX_PIN_FAILURES = 5  # wrong PINs in a row before leaving is locked
LOCK_OUT = timedelta(minutes=15)


class NotServable(DomainError):
    """A questionnaire a kiosk cannot serve (more than one page, or not open)."""

    status_code = 409


@dataclass(frozen=True)
class Settings:
    """How a kiosk behaves: idle timeout, what the idle timeout does, the pause after the thank-you screen."""

    idle_seconds: int = 90
    on_idle: str = "discard"
    restart_seconds: int = 8


def check_servable(questionnaire: Questionnaire) -> None:
    """Refuse a questionnaire a kiosk cannot serve offline: it must be open and answered on one page."""
    if questionnaire.status is not Status.OPEN or questionnaire.archived_at is not None:
        title = questionnaire.text("title", questionnaire.default_lang)
        raise NotServable(_l("“%(title)s” is not open: open it before starting kiosk mode.", title=title))
    check_one_page(questionnaire)


def check_one_page(questionnaire: Questionnaire) -> None:
    """Refuse a questionnaire of more than one page (it may have gained one since its kiosk was opened)."""
    if len(questionnaire.page_numbers) > 1:
        title = questionnaire.text("title", questionnaire.default_lang)
        raise NotServable(_l(
            "Kiosk mode serves questionnaires answered on one page, so that a respondent can finish even while "
            "the tablet is offline. Move all items of “%(title)s” to page 1, or share its public link instead.",
            title=title))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_device(questionnaire: Questionnaire, settings: Settings, pin: str, user, now: datetime
                ) -> tuple[KioskDevice, str]:
    """A new kiosk device and the token for its cookie (only its hash is stored)."""
    check_servable(questionnaire)
    token = secrets.token_urlsafe(32)
    device = KioskDevice(questionnaire_id=questionnaire.id, token_hash=hash_token(token),
                         pin_hash=generate_password_hash(pin), idle_seconds=settings.idle_seconds,
                         on_idle=settings.on_idle, restart_seconds=settings.restart_seconds,
                         created_by=user.id if user else None, created_at=now, pin_failures=0)
    db.session.add(device)
    db.session.flush()
    return device, token


def device_for(token: str | None) -> KioskDevice | None:
    """The active device whose cookie holds `token`; None for none, a forged one or an ended device."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(KioskDevice).where(KioskDevice.token_hash == hash_token(token),
                                                      KioskDevice.ended_at.is_(None)))


def active_devices(questionnaire: Questionnaire) -> list[KioskDevice]:
    return list(db.session.scalars(select(KioskDevice).where(KioskDevice.questionnaire_id == questionnaire.id,
                                                             KioskDevice.ended_at.is_(None))
                                   .order_by(KioskDevice.id)))


def end_device(questionnaire: Questionnaire, device_id: int | None, now: datetime) -> KioskDevice | None:
    """End one of the questionnaire's active devices from the staff side; None if there is no such device."""
    device = db.session.get(KioskDevice, device_id) if device_id else None
    if device is None or device.questionnaire_id != questionnaire.id or device.ended_at is not None:
        return None
    device.ended_at = now
    return device


class Leaving(enum.Enum):
    LEFT = "left"
    WRONG = "wrong"  # a wrong PIN, counted
    LOCKED = "locked"  # too many wrong PINs: refused without looking at the PIN


def leave(device: KioskDevice, pin: str, now: datetime) -> Leaving:
    """Check the PIN to leave kiosk mode: the right one ends the device; the MAX_PIN_FAILURES-th wrong one in a
    row locks leaving for LOCK_OUT (ending the device from the staff side still works). The caller commits
    whatever the outcome, so wrong PINs count."""
    if device.locked_until is not None and now < aware(device.locked_until):
        return Leaving.LOCKED
    if check_password_hash(device.pin_hash, pin or ""):
        device.ended_at, device.pin_failures, device.locked_until = now, 0, None
        return Leaving.LEFT
    device.pin_failures += 1
    if device.pin_failures >= MAX_PIN_FAILURES:
        device.pin_failures, device.locked_until = 0, now + LOCK_OUT
        return Leaving.LOCKED
    return Leaving.WRONG


def tries_left(device: KioskDevice) -> int:
    return MAX_PIN_FAILURES - device.pin_failures
