"""Boxoffice's settings without Django's per-request connection health check, for a what-if
run of the gate scanning benchmark:

    python bench/scan_bench.py --server-settings scan_settings_no_health_check

With CONN_HEALTH_CHECKS (the default in boxoffice/settings.py) every request that uses the
database first sends a `SELECT 1` on its persistent connection; without it, a connection
broken since the last request (a database restart) fails that one request and is replaced.
"""

from boxoffice.settings import *  # noqa: F403
from boxoffice.settings import DATABASES

DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
