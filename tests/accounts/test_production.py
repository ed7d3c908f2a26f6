"""A deployment that follows the README is secure by default: HTTPS only, Secure cookies,
HSTS, a Content-Security-Policy, `check --deploy` clean, private data files, and access logs
without buyers' details or barcodes. Tried on the real server (`boxoffice serve`)."""

import os
import secrets
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from boxoffice.delivery.backends import EmlFileBackend

BOXOFFICE = [sys.executable, "-m", "boxoffice"]


def _deployment_env(data_dir: Path, **extra) -> dict:
    dropped = {"DATABASE_URL", "DEBUG", "BOXOFFICE_INSECURE_HTTP", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by browser tests
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return {**env, "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "tickets.example,127.0.0.1",
            "BOXOFFICE_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING", **extra}  # fmt: skip


def _run(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([*BOXOFFICE, *args], env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_deployment_environment(tmp_path):
    result = _run("check", "--deploy", "--fail-level", "WARNING", env=_deployment_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_plain_http_is_a_choice_that_check_deploy_points_out(tmp_path):
    result = _run("check", "--deploy", env=_deployment_env(tmp_path, BOXOFFICE_INSECURE_HTTP="1"))
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout


def test_the_data_directory_database_and_secret_key_are_private(tmp_path):
    data = tmp_path / "data"
    env = _deployment_env(data)
    del env["SECRET_KEY"]  # the embedded set-up keeps its own key in the data directory
    assert _run("migrate", env=env).returncode == 0
    assert _mode(data) == 0o700
    for name in ("boxoffice.sqlite3", "secret_key"):
        assert _mode(data / name) == 0o600, name
    for extra in data.glob("boxoffice.sqlite3-*"):  # -wal, -shm
        assert _mode(extra) == 0o600, extra.name


def test_outbox_emails_are_private(tmp_path):
    outbox = tmp_path / "outbox"
    EmlFileBackend(file_path=str(outbox)).send_messages([mail.EmailMessage("Tickets", "body", "a@x.test", ["b@x.test"])])
    (written,) = outbox.iterdir()
    assert (_mode(outbox), _mode(written)) == (0o700, 0o600)


def test_demo_refuses_a_database_of_its_own(monkeypatch, db):
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example/boxoffice")
    with pytest.raises(CommandError, match="--allow-external-database"):
        call_command("demo", no_serve=True)


def test_demo_refuses_a_database_with_other_organizers(monkeypatch, organizer):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(CommandError, match="not a demo database"):
        call_command("demo", no_serve=True)


# --- the real server -------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, headers: dict | None = None):
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        return opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10)
    except urllib.error.HTTPError as answer:
        return answer


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`boxoffice serve` on a fresh embedded database, set up like the README says, with an
    operator's API token and one sold order; the access log is collected."""
    data = tmp_path_factory.mktemp("served")
    env = _deployment_env(data)
    for command in (
        ["migrate"],
        ["createorganizer", "--slug", "museum", "--name", "City Museum"],
        ["createoperator", "--organizer", "museum", "--email", "desk@museum.test", "--password", "long-enough-pass", "--role", "operator"],
    ):  # fmt: skip
        assert _run(*command, env=env).returncode == 0
    token = _run("createtoken", "--organizer", "museum", "--email", "desk@museum.test", env=env).stdout.strip().split()[-1]
    port = _free_port()
    log = open(data / "access.log", "w+")
    process = subprocess.Popen([*BOXOFFICE, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-migrate"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield {"base": base, "token": token, "log": data / "access.log"}
    process.terminate()
    process.wait(timeout=20)
    log.close()


HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front says (FORWARDED_ALLOW_IPS: 127.0.0.1)


def test_plain_http_is_redirected_to_https(server):
    answer = _get(f"{server['base']}/login/")
    assert answer.status == 301 and answer.headers["Location"].startswith("https://")


def test_https_pages_have_hsts_secure_cookies_and_a_csp(server):
    answer = _get(f"{server['base']}/login/", HTTPS)
    assert answer.status == 200
    assert "max-age=31536000" in answer.headers["Strict-Transport-Security"]
    cookies = answer.headers.get_all("Set-Cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)
    csp = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp


def test_access_log_lines_of_searches_have_no_email_phone_or_barcode(server):
    secrets_in_urls = ["ann.buyer@example.test", "0612345678", "ABCDEFGHJKMNPQRSTUVW"]
    auth = {**HTTPS, "Authorization": f"Bearer {server['token']}"}
    api = f"{server['base']}/api/v1/organizers/museum"
    for term in secrets_in_urls:
        assert _get(f"{api}/orders?search={term}&page=1", auth).status == 200
        _get(f"{server['base']}/o/museum/?q={term}", {**HTTPS, "Referer": f"https://tickets.example/o/museum/?q={term}"})
    _get(f"{api}/orders/ABCDEFG/tickets/{secrets_in_urls[2]}", auth)
    _get(f"{api}/orders/ABCDEFG/tickets.pdf?tickets={secrets_in_urls[2]}", auth)
    _get(f"{server['base']}/invitation/some-secret-token/", HTTPS)
    time.sleep(0.5)
    logged = server["log"].read_text()
    assert "GET /api/v1/organizers/museum/orders?search=[redacted]&page=1" in logged
    for secret in [*secrets_in_urls, "ann.buyer%40example.test", "some-secret-token"]:
        assert secret not in logged


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)
