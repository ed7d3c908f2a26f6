"""The OpenAPI document tells the truth: schemathesis generates requests for every operation
from it (valid ones and odd ones: huge numbers, control characters, far dates, wrong types)
and checks every answer against it — no 5xx, no status, content type or body the document
does not declare. A bounded run against the live test server, on each database."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from boxoffice.core.services import team

pytestmark = pytest.mark.django_db(transaction=True)
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def test_every_operation_answers_as_documented(live_server, admin, sell, tmp_path):
    sell(2)  # an order, tickets, a buyer: something for the operations to find
    token = team.create_api_token(admin)
    config = tmp_path / "schemathesis.toml"
    config.write_text('[parameters]\n"path.org" = "museum"\n')  # the organizer's own paths, not only 404s
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or "schemathesis"
    result = subprocess.run(
        [executable, "--config-file", str(config), "run", f"{live_server.url}/api/v1/openapi.json",
         "-H", f"Authorization: Bearer {token}", "--checks", CHECKS, "--max-examples", "6", "--seed", "7",
         "--max-time", "60", "--no-color", "--report-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=240, env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
        cwd=tmp_path,  # its cache of crashes goes there, not into the checkout
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
