"""Real-browser fixtures: Debian's chromium driven by Playwright, a live server on a free loopback port
against the test database, the demo loaded, axe-core from the npm registry.

Playwright never downloads a browser here: chromium comes from apt (installed on first use when missing;
CI runs as root). axe-core is fetched once with `npm pack` into tests/browser/.cache/ (git-ignored).
"""
import os
import shutil
import subprocess
import tarfile
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from surveyapp.demo import load_demo

os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_VERSION = "4.10.3"
CACHE = Path(__file__).resolve().parent / ".cache"
# Tests never modify tracked files: screenshots go to the git-ignored cache unless asked for
# (`make screenshots` sets SURVEYAPP_SCREENSHOTS=docs/screenshots to refresh the README's pictures).
SCREENSHOTS = Path(os.environ.get("SURVEYAPP_SCREENSHOTS") or CACHE / "screenshots").resolve()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
DEMO_RESPONSES = 40


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        _unavailable("chromium is missing and cannot be installed here: apt-get install chromium (as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "chromium"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=True)
        subprocess.run(install, env=env, capture_output=True, check=True)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser bundle, pinned, from the npm registry (cached between runs)."""
    target = CACHE / f"axe-{AXE_VERSION}.min.js"
    if not target.exists():
        if not shutil.which("npm"):
            _unavailable("npm is needed to fetch axe-core")
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent"],
                       check=True, capture_output=True, cwd=CACHE)
        with tarfile.open(CACHE / f"axe-core-{AXE_VERSION}.tgz") as archive:
            member = archive.extractfile("package/axe.min.js")
            target.write_bytes(member.read())
    return target.read_text()


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session; each test opens its own context."""
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app, db):
    """The real app served by werkzeug on a free loopback port, with the demo loaded (few responses)."""
    load_demo(responses=DEMO_RESPONSES)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = url  # as deployed: the public address is the one browsers reach
    yield url
    server.shutdown()
    thread.join(5)
    db.session.remove()


class Pages:
    """Opens pages in fresh browser contexts and closes them after the test."""

    def __init__(self, browser, base_url: str, axe_source: str):
        self.browser, self.base_url, self.axe_source = browser, base_url, axe_source
        self._contexts = []

    def open(self, path: str = "/", *, phone: bool = False, javascript: bool = True, **options):
        context = self.browser.new_context(base_url=self.base_url, java_script_enabled=javascript,
                                           **{**(PHONE if phone else DESKTOP), **options})
        context.set_default_timeout(10_000)
        self._contexts.append(context)
        page = context.new_page()
        page.csp_errors = []
        page.on("console", lambda message: "Content Security Policy" in message.text
                and page.csp_errors.append(message.text))
        page.goto(path)
        return page

    def axe(self, page) -> list[dict]:
        """Serious or critical WCAG 2.1 A/AA violations on the page as it is now."""
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe_source + "\n;undefined")
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS)
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                 "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result["violations"] if v["impact"] in ("serious", "critical")]

    def assert_accessible(self, page) -> None:
        violations = self.axe(page)
        assert violations == [], f"axe on {page.url}: {violations}"
        assert page.csp_errors == [], page.csp_errors

    def screenshot(self, page, name: str, *, full_page: bool = True) -> None:
        """Saved to SCREENSHOTS, at CSS pixel size to keep the files small."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), scale="css", full_page=full_page)

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture
def pages(browser, live_server, axe_source):
    opened = Pages(browser, live_server, axe_source)
    yield opened
    opened.close()


def login(page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/manage/**")
