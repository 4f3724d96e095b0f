"""Pure scheduling: due dates from session dates and offsets, answering windows, reminders, retry backoff."""

import calendar
from datetime import UTC, date, datetime, time, timedelta

SEND_TIME = time(8, 0, tzinfo=UTC)  # invitations go out in the morning, not at midnight


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_at(session_day: date, offset_days: int, offset_months: int) -> datetime:
    return datetime.combine(add_months(session_day, offset_months) + timedelta(days=offset_days), SEND_TIME)


def closes_at(due: datetime, window_days: int) -> datetime:
    return due + timedelta(days=window_days)


def next_send_after(
    due: datetime, closes: datetime, reminder_days: list[int], max_reminders: int, sends: int
) -> datetime | None:
    """When the next message is due after `sends` delivered ones (0 = the invitation itself), or None.

    Reminder offsets count from the invitation's due date; a reminder past the window is never sent.
    """
    if sends == 0:
        return due
    reminders = sorted(reminder_days)[: max(max_reminders, 0)]
    if sends - 1 >= len(reminders):
        return None
    when = due + timedelta(days=reminders[sends - 1])
    return when if when < closes else None


def retry_at(now: datetime, attempts: int, base_seconds: int = 60, cap_seconds: int = 3600) -> datetime:
    """Exponential backoff for SMTP failures: 1, 2, 4 ... minutes, at most an hour."""
    return now + timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), cap_seconds))


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
