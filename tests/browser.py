"""Browser fixtures shared by every browser test: Debian's Chromium driven by Playwright, and a
page that fails its test on a JavaScript error, a Content-Security-Policy violation, a server
error or a request that never completed. Import them into a conftest.py:
`from browser import browser_context_args, browser_type_launch_args, page  # noqa: F401`."""

import os
import re
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
# A portal page is one page: one top bar and one main heading, also after htmx has swapped a
# part of it (a whole page swapped into a results box is how "a page inside a page" looks). The
# watch reports through console.error, which the page fixture turns into a failure.
ONE_PAGE_WATCH = """(() => {
  const check = () => {
    const bars = document.querySelectorAll("header.topbar").length;
    const headings = document.querySelectorAll("h1").length;
    if (bars > 1 || headings > 1 || (bars === 1 && headings === 0 && document.readyState !== "loading")) {
      console.error(`not one page: ${bars} top bars and ${headings} h1 at ${location.pathname}`);
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  document.addEventListener("DOMContentLoaded", () => {
    check();
    observer.observe(document.documentElement, {childList: true, subtree: true});
  });
})();"""
# A 4xx answer is how a page says "not allowed" or "fix this field": the tests expect those.
_EXPECTED_REFUSAL = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "accept_downloads": True}


@pytest.fixture
def page(page):
    """pytest-playwright's page, watched: what went wrong in it fails the test at the end."""
    problems = page.problems = []

    def console(message):
        if message.type == "error" and not _EXPECTED_REFUSAL.search(message.text):
            problems.append(f"console error: {message.text}")

    def failed(request):
        if request.failure and "ERR_ABORTED" not in request.failure:  # a download, or a page left mid-load
            problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def answered(response):
        if response.status >= 500:
            problems.append(f"server error: {response.status} {response.request.method} {response.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on("requestfailed", failed)
    page.on("response", answered)
    page.add_init_script(ONE_PAGE_WATCH)
    yield page
    assert not problems, "the page had problems:\n" + "\n".join(problems)


# What axe-core reports at these levels stops or misleads a person using a screen reader, a
# keyboard or poor eyesight; "moderate" and "minor" findings are advice, not failures.
_BLOCKING_IMPACTS = {"serious", "critical"}


def accessibility_problems(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA and best-practice rules on the page as it stands now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [
        f"{page.url}: {violation['impact']} {violation['id']} ({violation['help']}) at "
        + ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
        for violation in results["violations"]
        if violation["impact"] in _BLOCKING_IMPACTS
    ]


def assert_accessible(page) -> None:
    problems = accessibility_problems(page)
    assert not problems, "accessibility violations:\n" + "\n".join(problems)
