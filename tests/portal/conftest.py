"""Browser tests: a real Chromium (Debian's) driven by Playwright against a live server.
The database is shared with the live server's threads, so these tests are transactional."""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
PASSWORD = "portal-pass-1"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "accept_downloads": True}


@pytest.fixture
def portal(live_server, page, transactional_db, settings):
    """A helper to sign in and open portal pages: portal.login(membership) then portal.go("o/museum/")."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    page.set_default_timeout(10_000)

    class Portal:
        url = live_server.url

        def login(self, membership):
            user = membership.user
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            page.goto(f"{live_server.url}/login/")
            page.get_by_label("Email").fill(user.username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{live_server.url}/o/**")
            return page

        def go(self, path: str):
            page.goto(f"{live_server.url}/{path.lstrip('/')}")
            return page

        def order(self, order):
            return self.go(f"o/{order.organizer.slug}/orders/{order.code}/")

    return Portal()
