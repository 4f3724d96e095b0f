"""The browser fixtures of tests/browser, for this package's one browser test."""
from tests.browser.conftest import axe_source, browser, live_server, pages  # noqa: F401
