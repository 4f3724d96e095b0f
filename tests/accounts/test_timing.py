"""Login answers in the same time whether the e-mail is known, unknown or of a deactivated account."""
import statistics
import time

from surveyapp.accounts.models import Role
from surveyapp.accounts.service import set_active
from tests.conftest import csrf_token

TRIES = 7


def test_unknown_and_inactive_logins_take_as_long_as_known_ones(app, client, make, db):
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    known = make.user(Role.MANAGER)
    inactive = make.user(Role.MANAGER)
    set_active(inactive, False)
    db.session.commit()
    token = csrf_token(client, "/login")
    emails = {"known": known.email, "unknown": "nobody-here@example.org", "inactive": inactive.email}
    times = {name: [] for name in emails}
    for _ in range(TRIES + 1):  # interleaved, so machine load hits all three alike; the first round warms up
        for name, email in emails.items():
            start = time.perf_counter()
            status = client.post("/login", data={"email": email, "password": "not the password",
                                                 "csrf_token": token}).status_code
            times[name].append(time.perf_counter() - start)
            assert status == 422
    median = {name: statistics.median(values[1:]) for name, values in times.items()}
    print({name: f"{seconds * 1000:.1f} ms" for name, seconds in median.items()})
    for name in ("unknown", "inactive"):
        assert 0.5 <= median[name] / median["known"] <= 2, median
