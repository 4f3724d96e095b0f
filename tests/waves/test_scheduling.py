"""Pure cores, no app: scheduling, tokens, panel codes."""

from datetime import UTC, date, datetime, timedelta

from surveyapp.participants.codes import ALPHABET, new_panel_code, normalise_panel_code
from surveyapp.waves import scheduling, tokens


def test_add_months_clamps_to_month_end():
    assert scheduling.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert scheduling.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert scheduling.add_months(date(2026, 3, 1), 12) == date(2027, 3, 1)


def test_due_and_close():
    due = scheduling.due_at(date(2026, 3, 10), 1, 3)
    assert due == datetime(2026, 6, 11, 8, 0, tzinfo=UTC)
    assert scheduling.closes_at(due, 21) == due + timedelta(days=21)


def test_reminders_follow_offsets_limit_and_window():
    due = datetime(2026, 1, 1, 8, tzinfo=UTC)
    closes = due + timedelta(days=20)
    assert scheduling.next_send_after(due, closes, [14, 7], 2, 0) == due
    assert scheduling.next_send_after(due, closes, [14, 7], 2, 1) == due + timedelta(days=7)
    assert scheduling.next_send_after(due, closes, [14, 7], 2, 2) == due + timedelta(days=14)
    assert scheduling.next_send_after(due, closes, [14, 7], 2, 3) is None
    assert scheduling.next_send_after(due, closes, [14, 7], 1, 2) is None
    assert scheduling.next_send_after(due, closes, [7, 30], 5, 2) is None  # after the window closed


def test_backoff_grows_and_is_capped():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    waits = [(scheduling.retry_at(now, n) - now).total_seconds() for n in (1, 2, 3, 10)]
    assert waits == [60, 120, 240, 3600]


def test_token_is_long_stable_and_only_hash_is_stored():
    salt = tokens.new_salt()
    token = tokens.make_token("secret", salt)
    assert len(token) * 6 >= 128 and token == tokens.make_token("secret", salt)
    assert token != tokens.make_token("other", salt)
    assert tokens.hash_token(token) != token and len(tokens.hash_token(token)) == 64
    assert tokens.response_key("secret", salt) != tokens.response_key("secret", tokens.new_salt())


def test_panel_codes_are_unambiguous_and_normalised():
    codes = {new_panel_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 9 and code[4] == "-" and all(ch in ALPHABET for ch in code.replace("-", ""))
    assert normalise_panel_code(" k7qm 2xwd ") == "K7QM-2XWD"
