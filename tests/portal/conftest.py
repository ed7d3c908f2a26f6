"""Browser tests: a real Chromium (Debian's) driven by Playwright against a live server.
The database is shared with the live server's threads, so these tests are transactional."""

import pytest
from browser import browser_context_args, browser_type_launch_args, page  # noqa: F401 — fixtures

PASSWORD = "portal-pass-1"


@pytest.fixture
def portal(live_server, page, transactional_db, settings):
    """A helper to sign in and open portal pages: portal.login(membership) then portal.go("o/museum/")."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    page.set_default_timeout(10_000)

    class Portal:
        url = live_server.url

        def login(self, membership, *, lands: str = "/o/**"):
            user = membership.user
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            page.goto(f"{live_server.url}/login/")
            page.get_by_label("Email").fill(user.username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{live_server.url}{lands}")
            return page

        def go(self, path: str):
            page.goto(f"{live_server.url}/{path.lstrip('/')}")
            return page

        def order(self, order):
            return self.go(f"o/{order.organizer.slug}/orders/{order.code}/")

    return Portal()
